"""Citizens' pages under /services/ (no login): the finder, catalogues, requests and tracking."""

from django.urls import path

from eservices import public_views as views

app_name = "citizen"

urlpatterns = [
    path("", views.finder, name="finder"),
    path("track/", views.track, name="track"),
    path("track/<str:code>/", views.track_result, name="track_result"),
    path("receipt/<str:code>/", views.receipt, name="receipt"),
    path("<int:org_id>/", views.org_page, name="org"),
    path("<int:org_id>/<slug:slug>/", views.service_page, name="service"),
    path("<int:org_id>/<slug:slug>/apply/", views.apply, name="apply"),
    path("<int:org_id>/<slug:slug>/forms/<int:form_id>/", views.form_download, name="form_download"),
]
