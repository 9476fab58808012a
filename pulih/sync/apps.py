from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyncConfig(AppConfig):
    name = "pulih.sync"
    label = "sync"
    verbose_name = _("Offline sync")

    def ready(self) -> None:
        from pulih.sync.capture import connect
        from pulih.sync.registry import synced_models

        connect(synced_models())
