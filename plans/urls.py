"""Plan pages: each area keeps its URL list next to its views."""

import importlib

app_name = "plans"

urlpatterns = []
for _module in ("editor", "lifecycle", "portability"):
    try:
        urlpatterns += importlib.import_module(f"plans.views.{_module}").urlpatterns
    except ModuleNotFoundError as exc:  # an area not written yet
        if exc.name != f"plans.views.{_module}":
            raise
