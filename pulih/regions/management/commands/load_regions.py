import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pulih.regions.loading import load_regions


class Command(BaseCommand):
    help = "Load Indonesia's provinces, regencies, districts and villages (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--provinces", default="", help="Comma-separated province codes to load (default: all)."
        )
        parser.add_argument("--force", action="store_true", help="Load even if already loaded.")

    def handle(self, *args: Any, **options: Any) -> None:
        provinces = [p.strip() for p in options["provinces"].split(",") if p.strip()] or None
        started = time.perf_counter()
        result = load_regions(provinces=provinces, force=options["force"])
        elapsed = time.perf_counter() - started
        verb = "already loaded" if result.skipped else "loaded"
        self.stdout.write(
            f"Regions {verb}: {result.provinces} provinces, {result.regencies} regencies, "
            f"{result.districts} districts, {result.villages} villages ({elapsed:.1f} s)."
        )
