"""eservices.intake: creating a request all-or-nothing, tracking codes, due dates, citizens' additions."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from eservices import intake
from eservices.models import Attachment, EventKind, Request, RequestEvent, RequestStatus
from eservices.tests.factories import jpeg_bytes, make_service, pdf_bytes
from eservices.uploads import CheckedFile

pytestmark = pytest.mark.django_db
BANGKOK = ZoneInfo("Asia/Bangkok")


def checked(name="บัตร.jpg", data=None, content_type="image/jpeg"):
    data = data if data is not None else jpeg_bytes()
    return CheckedFile(name, content_type, len(data), "0" * 64, data)


def media_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def create(service, files=(), **kw):
    values = {"applicant_name": "นายทดสอบ ยื่นคำขอ", "phone": "๐๘๑-๒๓๔-๕๖๗๘", "answers": {"x": "y"}}
    values.update(kw)
    return intake.create_request(service, files=list(files), **values)


def test_it_creates_the_request_its_history_and_its_files(cast):
    service = make_service(cast.lgo)

    req = create(service, [checked(), checked("คำร้อง.pdf", pdf_bytes(), "application/pdf")])

    assert req.status == RequestStatus.RECEIVED
    assert req.phone == "0812345678" and req.phone_last4 == "5678"
    assert req.org == cast.lgo
    assert [e.kind for e in req.events.all()] == [EventKind.STATUS]
    assert [a.original_name for a in req.attachments.all()] == ["บัตร.jpg", "คำร้อง.pdf"]
    assert req.attachments.all()[1].file.read() == pdf_bytes()


def test_tracking_codes_are_50_random_bits_in_an_unambiguous_alphabet():
    codes = {intake.new_tracking_code() for _ in range(2000)}

    assert len(codes) == 2000
    for code in list(codes)[:50]:
        prefix, a, b = code.split("-")
        assert prefix == "PHR" and len(a) == len(b) == 5
        assert not set(a + b) & set("ILOU")
    assert len(intake.ALPHABET) ** intake.CODE_LENGTH >= 2**50
    assert math.log2(len(set(intake.ALPHABET))) == 5


@pytest.mark.parametrize(
    "typed",
    ["PHR-7KQ2M-X9D4T", "phr 7kq2m x9d4t", "7KQ2MX9D4T", " phr-7kq2m-x9d4t ", "PHR-7KQ2M-X9D4T".lower()],
)
def test_typed_codes_are_forgiven_their_case_spaces_and_dashes(typed):
    assert intake.normalize_tracking_code(typed) == "PHR-7KQ2M-X9D4T"


def test_look_alike_letters_and_thai_digits_read_as_digits():
    assert intake.normalize_tracking_code("PHR-O1LI๒-๓4567") == "PHR-01112-34567"


@pytest.mark.parametrize("typed", ["", "PHR-123", "PHR-7KQ2M-X9D4TT", "PHR-7KQ2M-X9D4!"])
def test_what_cannot_be_a_code_is_none(typed):
    assert intake.normalize_tracking_code(typed) is None


def test_a_failure_after_the_first_file_leaves_no_request_and_no_file(cast, monkeypatch):
    service = make_service(cast.lgo)
    files_before, rows_before = media_files(), (Request.objects.count(), Attachment.objects.count())
    real_save = Attachment.save
    calls = []

    def failing_save(self, *args, **kwargs):
        calls.append(self.original_name)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Attachment, "save", failing_save)

    with pytest.raises(OSError, match="disk full"):
        create(service, [checked("a.jpg"), checked("b.jpg")])

    assert calls == ["a.jpg", "b.jpg"]
    assert (Request.objects.count(), Attachment.objects.count()) == rows_before
    assert media_files() == files_before


def test_a_code_collision_is_retried_with_a_fresh_code(cast, monkeypatch):
    service = make_service(cast.lgo)
    first = create(service)
    codes = iter([first.tracking_code, "PHR-AAAAA-BBBBB"])
    monkeypatch.setattr(intake, "new_tracking_code", lambda: next(codes))

    second = create(service)

    assert second.tracking_code == "PHR-AAAAA-BBBBB"


def test_a_service_that_takes_no_requests_refuses(cast):
    service = make_service(cast.lgo, accepts_requests=False)

    with pytest.raises(intake.NotAccepting):
        create(service)
    assert not Request.objects.exists()


def test_due_date_counts_working_days_from_the_bangkok_date(cast, settings):
    service = make_service(cast.lgo, processing_days=3)
    # Friday 23:30 in Bangkok (Friday 16:30 UTC): Mon, Tue, Wed → due Wednesday.
    friday_night = dt.datetime(2026, 5, 8, 23, 30, tzinfo=BANGKOK)

    due = intake.due_at_for(service, friday_night)

    assert timezone.localtime(due).date() == dt.date(2026, 5, 13)
    assert timezone.localtime(due).time() == dt.time(16, 30)
    settings.ESERVICES_HOLIDAYS = ["2026-05-11"]
    assert timezone.localtime(intake.due_at_for(service, friday_night)).date() == dt.date(2026, 5, 14)


def test_a_counter_service_timed_in_minutes_is_due_the_next_working_day(cast):
    service = make_service(cast.lgo, processing_days=None, processing_minutes=15)

    due = intake.due_at_for(service, dt.datetime(2026, 5, 8, 10, 0, tzinfo=BANGKOK))

    assert timezone.localtime(due).date() == dt.date(2026, 5, 11)


def test_an_email_receipt_goes_out_after_commit(cast, django_capture_on_commit_callbacks):
    service = make_service(cast.lgo, name="ขอรับเบี้ยยังชีพ")

    with django_capture_on_commit_callbacks(execute=True):
        req = create(service, [checked("บัตร.jpg")], email="somjai@example.test")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["somjai@example.test"]
    assert req.tracking_code in message.subject and req.tracking_code in message.body
    assert "บัตร.jpg" in message.body
    assert "/services/track/?code=" in message.body


def test_no_email_no_receipt_mail(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        create(make_service(cast.lgo))

    assert mail.outbox == []


def test_find_request_needs_the_right_code_and_the_right_digits(cast):
    req = create(make_service(cast.lgo))

    assert intake.find_request(req.tracking_code.lower(), "5678") == req
    assert intake.find_request(req.tracking_code, "๕๖๗๘") == req
    assert intake.find_request(req.tracking_code, "5679") is None
    assert intake.find_request("PHR-AAAAA-AAAAA", "5678") is None


def test_a_citizen_adds_a_document_only_while_the_office_waits(cast):
    req = create(make_service(cast.lgo))

    with pytest.raises(intake.NotWaiting):
        intake.add_citizen_document(req, files=[checked()], message="ส่งเพิ่ม")
    Request.objects.filter(pk=req.pk).update(status=RequestStatus.WAITING)
    event = intake.add_citizen_document(req, files=[checked("ทะเบียนบ้าน.jpg")], message="ส่งสำเนาทะเบียนบ้านแล้ว")

    assert event.kind == EventKind.CITIZEN
    assert "ทะเบียนบ้าน.jpg" in event.text and "ส่งสำเนาทะเบียนบ้านแล้ว" in event.text
    assert req.attachments.get().original_name == "ทะเบียนบ้าน.jpg"
    assert RequestEvent.objects.filter(request=req, kind=EventKind.CITIZEN).count() == 1
