from django.urls import path

from directives import views

app_name = "directives"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("issued/", views.issued, name="issued"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/issue/", views.issue, name="issue"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/relay/", views.relay, name="relay"),
    path("<int:pk>/recipients/", views.recipients, name="recipients"),
    path("<int:pk>/letter/<str:fmt>/", views.letter, name="letter"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("enclosures/<int:pk>/", views.enclosure, name="enclosure"),
    path("submissions/", views.submissions, name="submissions"),
    path("submissions/<int:pk>/", views.submission, name="submission"),
    path("submissions/<int:pk>/review/", views.review, name="review"),
]
