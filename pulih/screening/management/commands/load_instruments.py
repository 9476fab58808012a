from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pulih.screening.loading import load_instrument_file, shipped_instrument_files
from pulih.screening.spec import InstrumentError


class Command(BaseCommand):
    help = (
        "Load screening instruments from JSON documents (default: every file in "
        "pulih/screening/instruments/). Idempotent: an unchanged document changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", help="instrument JSON files (default: the shipped ones)")

    def handle(self, *args: Any, **options: Any) -> None:
        paths = [Path(p) for p in options["paths"]] or shipped_instrument_files()
        for path in paths:
            try:
                result = load_instrument_file(path)
            except InstrumentError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"{result.instrument}: {result.action} ({path.name})")
