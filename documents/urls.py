from django.urls import path

from documents import settings_views, views

app_name = "documents"

urlpatterns = [
    path("plans/<int:plan_pk>/<slug:kind>/", views.request_document, name="request"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/retry/", views.retry, name="retry"),
    path("jobs/<int:pk>/download/", views.download, name="download"),
    path("verify/", views.verify_form, name="verify_form"),
    path("verify/<str:code>/", views.verify, name="verify"),
    # The organization's document settings (letters work, documents/settings_views.py).
    path("settings/<int:org_pk>/", settings_views.document_settings, name="settings"),
    path("settings/<int:org_pk>/emblem.png", settings_views.emblem_image, name="settings_emblem"),
]
