"""The personal-token pages, to be mounted at /api/tokens/ by phrom.urls (they need a session,
like every page, so they stay behind LoginRequiredMiddleware)."""

from django.urls import path

from api import views

app_name = "api_tokens"
urlpatterns = [
    path("", views.token_list, name="list"),
    path("new", views.token_create, name="create"),
    path("<int:pk>/revoke", views.token_revoke, name="revoke"),
]
