from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "pulih.core"
    label = "core"
    verbose_name = "Pulih core"
