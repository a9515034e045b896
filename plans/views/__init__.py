"""Plan pages. Each module owns one area and exports its own `urlpatterns` (see plans/urls.py)."""
