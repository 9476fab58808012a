from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "pulih.regions"
    label = "regions"
    verbose_name = "Regions"
