"""Plan pages: each area keeps its URL list next to its views."""

from plans.views import editor, lifecycle, portability

app_name = "plans"

urlpatterns = editor.urlpatterns + lifecycle.urlpatterns + portability.urlpatterns
