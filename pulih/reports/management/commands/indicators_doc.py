"""Write the indicator catalogue to ``docs/indicators.md`` (or another path)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from pulih.reports.docs import catalogue_markdown


class Command(BaseCommand):
    help = "Write the indicator catalogue (docs/indicators.md) from the definitions in pulih/reports/catalogue.py."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "docs" / "indicators.md"))
        parser.add_argument("--check", action="store_true", help="Fail if the file is not up to date.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["output"])
        text = catalogue_markdown()
        if options["check"]:
            current = path.read_text(encoding="utf-8") if path.exists() else ""
            if current != text:
                raise SystemExit(f"{path} is out of date: run manage.py indicators_doc")
            self.stdout.write(f"{path} is up to date.")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {path}.")
