from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "pulih.home"
    label = "home"
    verbose_name = "Home"
