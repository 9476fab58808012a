from django.apps import AppConfig


class ScaleConfig(AppConfig):
    name = "pulih.scale"
    label = "scale"
    verbose_name = "Synthetic data and benchmarks"
