"""Requests received through other channels (counter, phone, LINE, e-mail, drop box, post), recorded
by staff; the figures per channel and service; citizens' e-mails always in Thai."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from audit.models import AccessLog, AuditEvent
from eservices import actions, figures, intake
from eservices.models import Attachment, Channel, EventKind, Request, RequestEvent
from eservices.tests.factories import VALID_NATIONAL_ID, jpeg_bytes, make_service
from eservices.tests.staff_factories import make_request
from orgs.actions import add_member, create_organization
from orgs.models import Kind, Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Staff work in English here, so a Thai e-mail proves the override (the UI strings are English)."""
    with translation.override("en"):
        yield


@pytest.fixture
def staff(cast):
    from accounts.models import User

    u = User.objects.create_user(username="svc", password="x-pass-123", full_name="นางบริการ ดีใจ")
    add_member(cast.lgo, u, Role.SERVICE)
    return u


@pytest.fixture
def service(cast):
    # a counter service that does not take online requests: staff may still record its requests
    return make_service(cast.lgo, processing_days=3, accepts_requests=False)


def url(name, *args):
    return reverse(f"eservices:{name}", args=args)


def post_data(service, **overrides):
    data = {
        "service": str(service.pk),
        "channel": "counter",
        "applicant_name": "นางสาวหน้าเคาน์เตอร์ มาเอง",
        "phone": "๐๘๑ ๒๓๔ ๕๖๗๘",
        "email": "",
        "f_national_id": VALID_NATIONAL_ID,
        "f_birth_date": "15/3/2500",
        "f_address": "12 หมู่ 3 ตำบลป่าแดง อำเภอเมืองแพร่ จังหวัดแพร่ 54000",
        "f_bank": "กรุงไทย",
        "f_note": "",
        "note": "เห็นบัตรตัวจริงแล้ว",
        "privacy_told": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# -- recording a request -----------------------------------------------------------------------


def test_staff_record_a_counter_request_and_get_a_receipt(cast, staff, service, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(staff)
    resp = client.get(url("request_record", cast.lgo.pk))
    body = resp.content.decode()
    assert resp.status_code == 200 and service.name in body
    resp = client.get(url("request_record", cast.lgo.pk), {"service": service.pk, "channel": "phone"})
    body = resp.content.decode()
    # the service's own form, the channels staff may choose (never the online form), phone chosen
    assert 'name="f_national_id"' in body and 'value="online_form"' not in body
    (phone_radio,) = re.findall(r'<input type="radio" name="channel" value="phone"[^>]*>', body)
    assert "checked" in phone_radio
    photo = SimpleUploadedFile("บัตรประชาชน.jpg", jpeg_bytes(), content_type="image/jpeg")
    resp = client.post(url("request_record", cast.lgo.pk), {**post_data(service), "attachments": photo})
    req = Request.objects.get()
    assert resp.status_code == 302 and resp.url == url("request_receipt", cast.lgo.pk, req.pk)
    assert req.channel == Channel.COUNTER and req.phone == "0812345678" and req.phone_last4 == "5678"
    assert req.answers["national_id"] == VALID_NATIONAL_ID and req.answers["birth_date"] == "1957-03-15"
    assert req.due_at is not None and req.status == "received"
    received = RequestEvent.objects.get(request=req, kind=EventKind.STATUS)
    note = RequestEvent.objects.get(request=req, kind=EventKind.NOTE)
    assert received.by == staff and note.text == "เห็นบัตรตัวจริงแล้ว" and not note.is_public
    (att,) = Attachment.objects.filter(request=req)
    assert att.original_name == "บัตรประชาชน.jpg" and not att.uploaded_by_citizen
    audit = AuditEvent.objects.get(action="request.create")
    assert audit.actor == staff and audit.data["channel"] == "counter" and audit.organization == cast.lgo
    # the receipt: the code, in Thai, logged as a view of personal data
    resp = client.get(resp.url)
    body = resp.content.decode()
    assert resp.status_code == 200 and req.tracking_code in body and "5678" in body
    assert "ใบรับคำขอ" in body or "รหัสติดตาม" in body
    assert AccessLog.objects.filter(what="citizen_request", object_ids=[str(req.pk)]).exists()
    # the citizen tracks it like an online request
    assert intake.find_request(req.tracking_code, "5678") == req
    # it is in the queue with its channel
    body = client.get(url("queue", cast.lgo.pk)).content.decode()
    assert req.tracking_code in body and "ติดต่อที่สำนักงาน" in body  # Channel.COUNTER in Thai


def test_without_a_phone_the_receipt_says_it_cannot_be_tracked_online(cast, staff, service, client):
    client.force_login(staff)
    resp = client.post(url("request_record", cast.lgo.pk), post_data(service, channel="post", phone=""))
    req = Request.objects.get()
    assert resp.status_code == 302 and req.channel == "post" and req.phone == "" and req.phone_last4 == ""
    assert intake.find_request(req.tracking_code, "") is None
    body = client.get(resp.url).content.decode()
    assert "ติดตามทางออนไลน์ไม่ได้" in body  # Thai: "cannot be followed online"
    body = client.get(url("request", cast.lgo.pk, req.pk)).content.decode()
    assert "ติดตามคำขอนี้ทางออนไลน์ไม่ได้" in body


def test_bad_input_is_explained_and_nothing_is_written(cast, staff, service, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(staff)
    fake = SimpleUploadedFile("คำขอ.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")
    resp = client.post(
        url("request_record", cast.lgo.pk),
        {
            **post_data(
                service, channel="online_form", f_national_id="1234567890123", privacy_told=None, phone="12"
            ),
            "attachments": fake,
        },
    )
    body = resp.content.decode()
    assert resp.status_code == 422
    assert 'id="id_channel_error"' in body and 'id="id_privacy_told_error"' in body
    assert 'id="id_phone_error"' in body and 'id="id_f_national_id_error"' in body
    assert 'id="id_attachments_error"' in body
    assert not Request.objects.exists() and not Attachment.objects.exists()
    # a service of another organization, or a draft, cannot be chosen
    other = make_service(cast.lgo_same_district)
    draft = make_service(cast.lgo, published=False, name="ร่างบริการ")
    for s in (other, draft):
        resp = client.post(url("request_record", cast.lgo.pk), post_data(s))
        assert resp.status_code == 422 and not Request.objects.exists()
    assert "ร่างบริการ" not in client.get(url("request_record", cast.lgo.pk)).content.decode()


def test_only_those_who_serve_may_record(cast, staff, service, client):
    client.force_login(cast.far_district_officer)  # outside: 404
    assert client.get(url("request_record", cast.lgo.pk)).status_code == 404
    assert client.post(url("request_record", cast.lgo.pk), post_data(service)).status_code == 404
    for user in (cast.viewer, cast.planner, cast.district_officer):  # may see the org, may not serve
        client.force_login(user)
        assert client.get(url("request_record", cast.lgo.pk)).status_code == 403
        assert client.post(url("request_record", cast.lgo.pk), post_data(service)).status_code == 403
    assert not Request.objects.exists()
    client.force_login(cast.approver)
    assert client.post(url("request_record", cast.lgo.pk), post_data(service)).status_code == 302


def test_create_request_keeps_the_online_rules_for_citizens(cast, staff):
    service = make_service(cast.lgo, accepts_requests=False)
    with pytest.raises(intake.NotAccepting):
        intake.create_request(service, applicant_name="ก", phone="0812345678", answers={}, files=[])
    with pytest.raises(ValueError):  # another channel needs a staff member
        intake.create_request(
            service, applicant_name="ก", phone="0812345678", answers={}, files=[], channel="counter"
        )
    req = intake.create_request(
        service, applicant_name="ก", phone="", answers={}, files=[], channel="line", by=staff
    )
    assert req.channel == "line" and req.phone_last4 == ""


# -- e-mails in Thai -----------------------------------------------------------------------------


def test_citizen_emails_are_thai_whatever_the_staff_language(
    cast, staff, service, django_capture_on_commit_callbacks
):
    req = make_request(service, email="citizen@example.test")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        actions.change_status(req, "in_progress", by=staff)
        actions.add_message(req, "กรุณานำบัตรตัวจริงมาแสดง", by=staff)
    status_mail, message_mail = mail.outbox
    assert "อยู่ระหว่างดำเนินการ" in status_mail.body and "In progress" not in status_mail.body
    assert "คำขอเลขที่" in status_mail.subject and "Your request" not in status_mail.subject
    assert "Follow your request" not in message_mail.body and req.tracking_code in message_mail.body
    assert translation.get_language() == "en"  # the override ends with the mail


def test_the_receipt_of_a_recorded_request_is_mailed_in_thai(
    cast, staff, service, client, django_capture_on_commit_callbacks
):
    from django.conf import settings

    client.force_login(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the staff member works in English
    assert "Record a request" in client.get(url("request_record", cast.lgo.pk)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(
            url("request_record", cast.lgo.pk), post_data(service, email="citizen@example.test")
        )
    assert resp.status_code == 302
    (receipt,) = mail.outbox
    assert "ได้รับคำขอแล้ว" in receipt.subject and "Request received" not in receipt.subject


# -- figures -----------------------------------------------------------------------------------


def test_org_figures_count_real_channels_per_service(cast, staff, service, client):
    online = make_service(cast.lgo, name="ขออนุญาตก่อสร้าง")
    make_request(online)
    make_request(online, channel="counter")
    for channel in ("counter", "counter", "phone", "line"):
        make_request(service, channel=channel)
    f = figures.org_figures(cast.lgo, "all")
    assert [(c.value, n) for c, n in f.by_channel] == [
        ("online_form", 1), ("line", 1), ("phone", 1), ("counter", 3)
    ]  # fmt: skip
    by_name = {s.service.name: s for s in f.services}
    assert by_name["ขออนุญาตก่อสร้าง"].by_channel == {"online_form": 1, "counter": 1}
    assert by_name[service.name].by_channel == {"counter": 2, "phone": 1, "line": 1}
    client.force_login(staff)
    body = client.get(url("figures", cast.lgo.pk), {"period": "all"}).content.decode()
    assert "ติดต่อที่สำนักงาน" in body and "LINE Official Account (LINE OA)" in body


def test_the_rollup_breaks_requests_down_by_channel_and_service(cast, client):
    service = make_service(cast.lgo, name="ขอรับเบี้ยยังชีพ")
    other = make_service(cast.lgo, name="แจ้งซ่อมไฟฟ้าสาธารณะ")
    for channel in ("online_form", "online_form", "counter", "phone"):
        make_request(service, channel=channel)
    make_request(other, channel="line")
    near = make_service(cast.lgo_same_district, name="ขอรับเบี้ยยังชีพ")
    make_request(near, channel="post")
    rows = {r.org.pk: r for r in figures.rollup(cast.district, "all")}
    row = rows[cast.lgo.pk]
    assert (
        row.total == 5 and row.online_requests == 2 and row.other_requests == 3 and row.online_percent == 40
    )
    assert [(c.value, n) for c, n in row.other_channel_rows] == [("line", 1), ("phone", 1), ("counter", 1)]
    assert row.top_services == [("ขอรับเบี้ยยังชีพ", 4), ("แจ้งซ่อมไฟฟ้าสาธารณะ", 1)]
    totals = figures.rollup_totals(list(rows.values()))
    assert totals.by_channel == {"online_form": 2, "counter": 1, "phone": 1, "line": 1, "post": 1}
    assert totals.top_services[0] == ("ขอรับเบี้ยยังชีพ", 5)
    client.force_login(cast.district_officer)
    body = client.get(url("figures", cast.district.pk), {"period": "all"}).content.decode()
    assert "แจ้งซ่อมไฟฟ้าสาธารณะ" in body and "ไปรษณีย์ 1" in body


def test_the_rollup_breakdown_keeps_its_query_count(cast):
    def measure():
        with CaptureQueriesContext(connection) as ctx:
            rows = figures.rollup(cast.district, "all")
            figures.rollup_totals(rows)
            [(r.channel_rows, r.top_services) for r in rows]
        return len(ctx)

    make_request(make_service(cast.lgo), channel="counter")
    few = measure()
    for i in range(4):
        org = create_organization(
            kind=Kind.SAO, name_th=f"อบต.ช่องทาง{i}", parent=cast.district, dla_code=f"65402{i:02d}"
        )
        for channel in ("online_form", "phone", "line"):
            make_request(make_service(org, fields=False), channel=channel)
    assert measure() == few == 4
