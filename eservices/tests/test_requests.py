"""The staff queue and request processing: filters, overdue first, status changes, messages, notes,
assignment, file downloads, and the access log (PDPA)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AccessLog, AuditEvent
from eservices import actions
from eservices.models import EventKind, Request, RequestEvent, RequestStatus
from eservices.tests.factories import jpeg_bytes, make_service, pdf_bytes
from eservices.tests.staff_factories import add_attachment, make_request
from orgs.actions import add_member
from orgs.models import Role


@pytest.fixture(autouse=True)
def _english():
    """These tests read the English source of the messages (the Thai ones are in locale/)."""
    from django.utils import translation

    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(cast):
    from accounts.models import User

    u = User.objects.create_user(username="svc", password="x-pass-123", full_name="นางบริการ ดีใจ")
    add_member(cast.lgo, u, Role.SERVICE)
    return u


@pytest.fixture
def service(cast):
    return make_service(cast.lgo, processing_days=3)


def url(name, *args):
    return reverse(f"eservices:{name}", args=args)


def test_change_status_walks_the_request_to_done(service, staff):
    req = make_request(service)
    req = actions.change_status(req, "in_progress", by=staff)
    req = actions.change_status(req, "waiting", by=staff, reason="ขอสำเนาสมุดบัญชีธนาคาร")
    assert req.status_reason == "ขอสำเนาสมุดบัญชีธนาคาร" and req.closed_at is None
    req = actions.change_status(req, "done", by=staff)
    assert req.closed_at is not None and req.version == 4
    kinds = list(
        RequestEvent.objects.filter(request=req, kind=EventKind.STATUS).values_list("status", flat=True)
    )
    assert kinds == ["received", "in_progress", "waiting", "done"]
    assert AuditEvent.objects.filter(action="eservices.request_status", object_id=str(req.pk)).count() == 3
    req = actions.change_status(req, "in_progress", by=staff)  # reopened
    assert req.closed_at is None


@pytest.mark.parametrize(
    "start,to,reason,message",
    [
        ("received", "rejected", "", "reason"),
        ("received", "waiting", "", "must send"),
        ("done", "waiting", "x", "cannot become"),
        ("received", "received", "", "already"),
    ],
)
def test_change_status_refuses_what_makes_no_sense(service, staff, start, to, reason, message):
    req = make_request(service, status=start)
    with pytest.raises(actions.Invalid, match=message):
        actions.change_status(req, to, by=staff, reason=reason)
    assert Request.objects.get(pk=req.pk).status == start


def test_a_stale_status_change_is_a_conflict(service, staff):
    req = make_request(service)
    actions.change_status(req, "in_progress", by=staff, expected_version=1)
    stale = Request.objects.get(pk=req.pk)
    with pytest.raises(actions.Conflict):
        actions.change_status(stale, "done", by=staff, expected_version=1)


def test_messages_reach_the_citizen_by_mail_and_notes_do_not(
    service, staff, django_capture_on_commit_callbacks
):
    req = make_request(service, email="somjai@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_message(req, "โปรดส่งสำเนาสมุดบัญชี", by=staff)
        actions.add_note(req, "โทรแจ้งแล้ว ไม่รับสาย", by=staff)
    assert len(mail.outbox) == 1
    assert "โปรดส่งสำเนาสมุดบัญชี" in mail.outbox[0].body and req.tracking_code in mail.outbox[0].body
    assert "ไม่รับสาย" not in mail.outbox[0].body
    note = RequestEvent.objects.get(request=req, kind=EventKind.NOTE)
    assert not note.is_public


def test_requests_can_be_given_only_to_service_colleagues(cast, service, staff):
    req = make_request(service)
    with pytest.raises(actions.Invalid):
        actions.assign(req, cast.planner, by=staff)
    req = actions.assign(req, staff, by=staff)
    assert req.assignee == staff
    assert RequestEvent.objects.filter(request=req, kind=EventKind.ASSIGN).exists()


def test_the_queue_puts_overdue_requests_first_and_counts_by_status(cast, service, staff, client):
    fresh = make_request(service, days_ago=0, name="นายใหม่ มาก่อน")
    old = make_request(service, days_ago=20, name="นางเก่า รอนาน")
    make_request(service, status="done", days_ago=30, closed_days_ago=25)
    client.force_login(staff)
    resp = client.get(url("queue", cast.lgo.pk))
    body = resp.content.decode()
    assert resp.status_code == 200
    assert body.index(old.tracking_code) < body.index(fresh.tracking_code)
    assert "badge-danger" in body and "is-overdue" in body
    assert "นาย" in body and "done" not in [r.status for r in resp.context["page"].object_list]
    log = AccessLog.objects.get(what="citizen_requests")
    assert log.actor == staff and set(log.object_ids) == {str(old.pk), str(fresh.pk)}


def test_the_queue_filters(cast, service, staff, client):
    other = make_service(cast.lgo, name="ขอรถน้ำ", slug="water")
    a = make_request(service, name="นางสาวกุหลาบ แดงดี")
    b = make_request(other, name="นายมะลิ ขาวสะอาด", days_ago=20)
    actions.assign(a, staff, by=staff)
    client.force_login(staff)

    def codes(**params):
        resp = client.get(url("queue", cast.lgo.pk), params)
        return {r.tracking_code for r in resp.context["page"].object_list}

    assert codes(service=other.pk) == {b.tracking_code}
    assert codes(q="กุหลาบ") == {a.tracking_code}
    assert codes(q=b.tracking_code.lower()) == {b.tracking_code}
    assert codes(assignee="me") == {a.tracking_code}
    assert codes(assignee="none") == {b.tracking_code}
    assert codes(overdue="on") == {b.tracking_code}
    assert codes(status="done") == set()


def test_the_queue_query_count_does_not_grow_with_requests(cast, service, staff, client):
    for _ in range(3):
        make_request(service)
    client.force_login(staff)
    client.get(url("queue", cast.lgo.pk))
    with CaptureQueriesContext(connection) as few:
        client.get(url("queue", cast.lgo.pk))
    for _ in range(12):
        make_request(service)
    with CaptureQueriesContext(connection) as many:
        client.get(url("queue", cast.lgo.pk))
    assert len(many) == len(few)


def test_the_request_page_shows_answers_files_and_history_and_is_logged(cast, service, staff, client):
    req = make_request(service, answers={"national_id": "1101700230708", "address": "12 หมู่ 3"})
    add_attachment(req, "บัตรประชาชน ด้านหน้า.jpg", jpeg_bytes(), "image/jpeg")
    actions.add_note(req, "บันทึกภายในลับ", by=staff)
    client.force_login(staff)
    resp = client.get(url("request", cast.lgo.pk, req.pk))
    body = resp.content.decode()
    assert resp.status_code == 200
    assert "เลขประจำตัวประชาชน" in body and "1101700230708" in body and "12 หมู่ 3" in body
    assert "บัตรประชาชน ด้านหน้า.jpg" in body and "?inline=1" in body and "/media" not in body
    assert "บันทึกภายในลับ" in body
    assert AccessLog.objects.filter(what="citizen_request", object_ids=[str(req.pk)], actor=staff).exists()


def test_attachments_stream_with_their_thai_name_to_members_only(cast, service, staff, client):
    req = make_request(service)
    att = add_attachment(req, "ใบรับรองแพทย์.pdf", pdf_bytes(), "application/pdf")
    client.force_login(staff)
    resp = client.get(url("attachment", cast.lgo.pk, req.pk, att.pk))
    assert resp.status_code == 200
    assert b"".join(resp.streaming_content).startswith(b"%PDF")
    cd = resp["Content-Disposition"]
    assert cd.startswith("attachment;") and "filename*=utf-8''%E0%B9%83" in cd
    assert resp["X-Content-Type-Options"] == "nosniff"
    assert AccessLog.objects.filter(what="citizen_attachment", object_ids=[str(att.pk)]).exists()
    img = add_attachment(req, "รูป.jpg", jpeg_bytes(), "image/jpeg")
    resp = client.get(url("attachment", cast.lgo.pk, req.pk, img.pk) + "?inline=1")
    assert resp["Content-Disposition"].startswith("inline;")
    # a PDF is never inline (it could run scripts in a viewer)
    resp = client.get(url("attachment", cast.lgo.pk, req.pk, att.pk) + "?inline=1")
    assert resp["Content-Disposition"].startswith("attachment;")


def test_overseers_see_figures_not_citizens(cast, service, client):
    req = make_request(service)
    client.force_login(cast.district_officer)
    assert client.get(url("queue", cast.lgo.pk)).status_code == 403
    assert client.get(url("request", cast.lgo.pk, req.pk)).status_code == 403
    assert client.get(url("figures", cast.lgo.pk)).status_code == 200
    assert not AccessLog.objects.filter(what__startswith="citizen").exists()


def test_other_organizations_get_404_for_requests_and_files(cast, staff, client):
    theirs = make_service(cast.lgo_same_district)
    req = make_request(theirs)
    att = add_attachment(req, "x.jpg", jpeg_bytes(), "image/jpeg")
    client.force_login(staff)
    for name, args in [
        ("request", (cast.lgo_same_district.pk, req.pk)),
        ("request", (cast.lgo.pk, req.pk)),
        ("attachment", (cast.lgo.pk, req.pk, att.pk)),
        ("attachment", (cast.lgo_same_district.pk, req.pk, att.pk)),
    ]:
        assert client.get(url(name, *args)).status_code == 404
    assert (
        client.post(url("request_status", cast.lgo.pk, req.pk), {"status": "done", "version": 1}).status_code
        == 404
    )


def test_the_pages_process_a_request_to_done(cast, service, staff, client):
    req = make_request(service, email="c@example.test")
    client.force_login(staff)
    resp = client.post(
        url("request_status", cast.lgo.pk, req.pk), {"status": "waiting", "reason": "", "version": 1}
    )
    assert resp.status_code == 422
    resp = client.post(
        url("request_status", cast.lgo.pk, req.pk),
        {"status": "waiting", "reason": "ขอรูปสมุดบัญชี", "version": 1},
    )
    assert resp.status_code == 302
    client.post(url("request_message", cast.lgo.pk, req.pk), {"msg-text": "ส่งรูปทางหน้าติดตามได้เลยค่ะ"})
    client.post(url("request_note", cast.lgo.pk, req.pk), {"note-text": "รอเอกสาร"})
    client.post(url("request_assign", cast.lgo.pk, req.pk), {"assignee": str(staff.pk)})
    resp = client.post(
        url("request_status", cast.lgo.pk, req.pk), {"status": "done", "reason": "", "version": 1}
    )
    assert resp.status_code == 409  # stale version: the page says a colleague changed it
    req.refresh_from_db()
    resp = client.post(
        url("request_status", cast.lgo.pk, req.pk), {"status": "done", "reason": "", "version": req.version}
    )
    assert resp.status_code == 302
    req.refresh_from_db()
    assert req.status == "done" and req.assignee == staff and req.closed_at
    kinds = list(req.events.values_list("kind", flat=True))
    assert kinds.count("status") == 3 and "message" in kinds and "note" in kinds and "assign" in kinds


def test_viewers_read_requests_but_cannot_work_them(cast, service, client):
    req = make_request(service)
    client.force_login(cast.viewer)
    assert client.get(url("request", cast.lgo.pk, req.pk)).status_code == 200
    assert (
        client.post(url("request_status", cast.lgo.pk, req.pk), {"status": "done", "version": 1}).status_code
        == 403
    )
    assert client.post(url("request_note", cast.lgo.pk, req.pk), {"note-text": "x"}).status_code == 403
    assert Request.objects.get(pk=req.pk).status == RequestStatus.RECEIVED
