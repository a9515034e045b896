"""Plan pages: each area keeps its URL list next to its views."""

from plans.views import editor, lifecycle, portability, units

app_name = "plans"

urlpatterns = editor.urlpatterns + lifecycle.urlpatterns + portability.urlpatterns + units.urlpatterns
