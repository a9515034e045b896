"""Template filters for Thai dates and digits (built in to every template)."""

from django import template
from django.utils import timezone

from phrom.lib import thai

register = template.Library()


@register.filter
def thai_digits(value):
    return thai.to_thai_digits(value)


@register.filter
def thai_date(value, style="letter"):
    """{{ d|thai_date }} -> '๒๓ มิถุนายน ๒๕๖๓'; {{ d|thai_date:"short" }} -> '๒๓ มิ.ย. ๖๓'."""
    if not value:
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return thai.thai_date(value, style=style, digits="arabic")


@register.filter
def phone(value):
    return thai.format_phone(value) if value else ""
