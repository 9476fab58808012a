"""``manage.py generate_data --scale small|medium|national|stress --seed N``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from pulih.scale.generator import (
    SCALES,
    Generator,
    checksum,
    has_generated,
    has_real_clients,
    purge,
    scale_for,
)


class Command(BaseCommand):
    help = "Generate deterministic synthetic data (clients, encounters, referrals …) at a chosen scale."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--clients", type=int, help="override the scale's number of clients")
        parser.add_argument("--units", type=int, help="override the scale's number of units")
        parser.add_argument("--until", help="last day of the period (YYYY-MM-DD, default today)")
        parser.add_argument("--password", help="password of every generated login (default: unusable)")
        parser.add_argument("--purge", action="store_true", help="delete previously generated data first")
        parser.add_argument("--force", action="store_true", help="run even if real client data exist")
        parser.add_argument("--checksum", action="store_true", help="print a checksum of the generated rows")
        parser.add_argument("--rollups", action="store_true", help="rebuild the report rollups afterwards")

    def handle(self, *args: Any, **opts: Any) -> None:
        log = self.stdout.write
        if has_real_clients() and not opts["force"]:
            raise CommandError(
                "This database holds client data that was not generated; refusing to add synthetic "
                "data to it. Use an empty database, or --force if you really mean it."
            )
        if has_generated():
            if not opts["purge"]:
                raise CommandError("Generated data already exist; add --purge to replace them.")
            purge(log)
        until = dt.date.fromisoformat(opts["until"]) if opts["until"] else timezone.localdate()
        scale = scale_for(opts["scale"], opts["clients"], opts["units"])
        password = make_password(opts["password"]) if opts["password"] else "!synthetic-unusable"
        log(
            f"generate_data: scale {opts['scale']} ({scale.units:,} units, {scale.clients:,} clients), "
            f"seed {opts['seed']}, until {until}, database {connection.vendor} "
            f"({'COPY' if connection.vendor == 'postgresql' else 'bulk_create'})"
        )
        result = Generator(scale, opts["seed"], until, log=log, password_hash=password).run()
        for label, n in sorted(result.counts.items()):
            log(f"  {label:<28} {n:>12,}")
        rows = sum(result.counts.values())
        log(
            f"done: {rows:,} rows ({result.encounters:,} encounters) in {result.seconds:.1f} s "
            f"({rows / max(result.seconds, 1e-9):,.0f} rows/s)"
        )
        if opts["rollups"]:
            from pulih.reports.rollups import rebuild_all

            started = timezone.now()
            rebuild_all()
            log(f"rollups rebuilt in {(timezone.now() - started).total_seconds():.1f} s")
        if opts["checksum"]:
            digest, _counts = checksum()
            log(f"checksum {digest}")
