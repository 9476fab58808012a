from importlib.util import find_spec

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "pulih.screening"
    label = "screening"
    verbose_name = _("Screening instruments")

    def ready(self) -> None:
        if find_spec("pulih.clients.timeline") is not None:
            from pulih.clients import timeline
            from pulih.screening.timeline import screening_entries

            timeline.register(screening_entries)
