from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pulih.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` (encrypted backups need PULIH_BACKUP_KEY)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="Backup file")
        parser.add_argument(
            "--database-name",
            default=None,
            help="Restore into this SQLite file / existing empty PostgreSQL database instead of the configured one.",
        )
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask before replacing the configured database."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["database_name"] and not options["yes"]:
            raise CommandError("This replaces the configured database. Re-run with --yes to confirm.")
        try:
            backup_restore(source=Path(options["source"]), database=options["database_name"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS("Restore finished."))
