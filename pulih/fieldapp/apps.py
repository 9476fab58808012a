from django.apps import AppConfig


class FieldappConfig(AppConfig):
    name = "pulih.fieldapp"
    label = "fieldapp"
    verbose_name = "Offline field app"
