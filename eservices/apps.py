from django.apps import AppConfig


class EservicesConfig(AppConfig):
    name = "eservices"
