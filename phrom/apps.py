from django.apps import AppConfig


class PhromConfig(AppConfig):
    name = "phrom"
    verbose_name = "Phrom"
