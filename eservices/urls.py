"""Staff pages of the e-services, mounted at /manage/services/ (see eservices/views.py for access)."""

from django.urls import path

from eservices import views

app_name = "eservices"

org = "org/<int:org_id>/"
svc = org + "s/<int:pk>/"
req = org + "requests/<int:pk>/"

urlpatterns = [
    path("", views.home, name="home"),
    path(org, views.catalogue, name="catalogue"),
    path(org + "adopt/", views.adopt, name="adopt"),
    path(org + "new/", views.service_new, name="service_new"),
    path(svc, views.service_edit, name="service_edit"),
    path(svc + "row/<str:kind>/", views.service_row, name="service_row"),
    path(svc + "publish/", views.service_publish, name="service_publish"),
    path(svc + "move/", views.service_move, name="service_move"),
    path(svc + "fields/", views.service_fields, name="service_fields"),
    path(svc + "fields/<int:field_id>/", views.field_edit, name="field_edit"),
    path(svc + "fields/<int:field_id>/move/", views.field_move, name="field_move"),
    path(svc + "fields/<int:field_id>/delete/", views.field_delete, name="field_delete"),
    path(svc + "forms/", views.form_upload, name="form_upload"),
    path(svc + "forms/<int:form_id>/", views.form_file, name="form_file"),
    path(svc + "forms/<int:form_id>/delete/", views.form_delete, name="form_delete"),
    path(org + "requests/", views.queue, name="queue"),
    path(org + "requests/record/", views.request_record, name="request_record"),
    path(req, views.request_detail, name="request"),
    path(req + "status/", views.request_status, name="request_status"),
    path(req + "message/", views.request_message, name="request_message"),
    path(req + "note/", views.request_note, name="request_note"),
    path(req + "assign/", views.request_assign, name="request_assign"),
    path(req + "files/<int:att_id>/", views.attachment, name="attachment"),
    path(req + "receipt/", views.request_receipt, name="request_receipt"),
    path(org + "notices/", views.notices, name="notices"),
    path(org + "notices/<int:pk>/", views.notice_edit, name="notice_edit"),
    path(org + "notices/<int:pk>/end/", views.notice_end, name="notice_end"),
    path(org + "figures/", views.figures_page, name="figures"),
]
