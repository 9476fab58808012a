from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Load the demo data of every app (idempotent: safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if not config.name.startswith("pulih.") or config.name == "pulih.core":
                continue
            if find_spec(module_name) is None:
                continue
            module = import_module(module_name)
            with transaction.atomic():
                module.load(self.stdout.write)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
