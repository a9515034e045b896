from django.urls import path

from directives import dashboard_views as views

app_name = "dashboards"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:root_id>/", views.chain, name="chain"),
    path("<int:root_id>/<int:org_id>/", views.area, name="area"),
    path("<int:root_id>/<int:org_id>/export.<str:fmt>", views.export, name="export"),
]
