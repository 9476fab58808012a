from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "pulih.api"
    label = "api"
    verbose_name = "API"
