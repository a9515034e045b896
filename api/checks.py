"""System checks for the API."""

from django.conf import settings
from django.core.checks import Warning, register


@register()
def swagger_assets_installed(app_configs, **kwargs):
    """The docs page serves Swagger UI from ninja's static files, found only when ninja is an app."""
    if "ninja" in settings.INSTALLED_APPS:
        return []
    return [
        Warning(
            "The API docs page (/api/v1/docs) needs django-ninja's static files.",
            hint='Add "ninja" to INSTALLED_APPS.',
            id="api.W001",
        )
    ]
