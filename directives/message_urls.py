"""The directive messages (the e-mail outbox), mounted at /directives/messages/."""

from django.urls import path

from directives import message_views as views

app_name = "messages"

urlpatterns = [
    path("", views.message_list, name="list"),
    path("<int:pk>/", views.message_detail, name="detail"),
    path("<int:pk>/resend/", views.message_resend, name="resend"),
]
