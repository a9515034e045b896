"""URL map of Phrom."""

from django.contrib import admin
from django.urls import include, path

from phrom import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("accounts/", include("accounts.urls")),
    path("orgs/", include("orgs.urls")),
    path("plans/", include("plans.urls")),
    path("documents/", include("documents.urls")),
    path("directives/messages/", include("directives.message_urls")),
    path("directives/", include("directives.urls")),
    path("dashboards/", include("directives.dashboard_urls")),
    path("services/", include("eservices.public_urls")),
    path("manage/services/", include("eservices.urls")),
    path("api/v1/", include("api.urls")),
    path("api/tokens/", include("api.token_urls")),
    path("admin/", admin.site.urls),
]
