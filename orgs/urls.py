from django.urls import path

from orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.browser, name="browser"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/members/", views.members, name="members"),
]
