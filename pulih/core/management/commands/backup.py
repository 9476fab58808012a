from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from pulih.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the database (SQLite online backup or PostgreSQL custom-format dump), "
        "optionally encrypted with PULIH_BACKUP_KEY."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target", nargs="?", help="File to write (default: var/backups/pulih-<time>.bak)")
        parser.add_argument(
            "--encrypt", action="store_true", help="Encrypt with AES-256-GCM (PULIH_BACKUP_KEY)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings

        target = options["target"]
        if not target:
            folder = Path(settings.VAR_DIR) / "backups"
            folder.mkdir(parents=True, exist_ok=True)
            suffix = ".bak.enc" if options["encrypt"] else ".bak"
            target = folder / f"pulih-{timezone.now():%Y%m%d-%H%M%S}{suffix}"
        try:
            path = backup_create(target=Path(target), encrypt=options["encrypt"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path} ({path.stat().st_size:,} bytes)."))
