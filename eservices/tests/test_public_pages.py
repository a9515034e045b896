"""The citizens' pages without an account: catalogue, service manual, forms, applying, receipt, tracking."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone, translation

from eservices import intake
from eservices.models import (
    Attachment,
    CrisisNotice,
    EventKind,
    Request,
    RequestEvent,
    RequestStatus,
    ServiceForm,
)
from eservices.tests.factories import answers_post, jpeg_bytes, make_service, pdf_bytes, upload

pytestmark = pytest.mark.django_db
CODE = re.compile(r"PHR-[0-9A-Z]{5}-[0-9A-Z]{5}")


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def english_client() -> Client:
    c = Client()
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return c


@pytest.fixture
def service(cast):
    return make_service(cast.lgo, name="ขอรับเบี้ยยังชีพผู้สูงอายุ", slug="elderly-allowance")


def apply_url(s):
    return f"/services/{s.org_id}/{s.slug}/apply/"


def submit(client, s, *files, **data):
    resp = client.post(apply_url(s), answers_post(attachments=list(files), **data))
    assert resp.status_code == 302, resp.content.decode()[:2000]
    return Request.objects.get(tracking_code=resp["Location"].rstrip("/").rsplit("/", 1)[-1]), resp


# -- catalogue --------------------------------------------------------------------------------------


def test_the_organization_page_lists_published_services_and_not_drafts(client, cast, service):
    make_service(cast.lgo, name="บริการร่างยังไม่เผยแพร่", slug="draft", published=False)
    make_service(cast.lgo, name="ขอข้อมูลข่าวสาร", slug="info", accepts_requests=False, fields=False)

    page = client.get(f"/services/{cast.lgo.pk}/").content.decode()

    assert "องค์การบริหารส่วนตำบลป่าแดง" in page
    assert "ขอรับเบี้ยยังชีพผู้สูงอายุ" in page and "ขอข้อมูลข่าวสาร" in page
    assert "บริการร่างยังไม่เผยแพร่" not in page
    assert f'href="{apply_url(service)}"' in page
    assert 'href="tel:054000001"' in page
    assert "Monday to Friday, 08.30–16.30" in page


def test_only_local_governments_have_a_public_page(client, cast):
    assert client.get(f"/services/{cast.district.pk}/").status_code == 404
    assert client.get("/services/999999/").status_code == 404


def test_an_active_crisis_notice_shows_and_an_ended_one_does_not(client, cast, service):
    now = timezone.now()
    CrisisNotice.objects.create(org=cast.lgo, title="ปิดเคาน์เตอร์ชั่วคราว ยื่นออนไลน์ได้", text="ช่วงโรคระบาด",
                                starts_at=now - dt.timedelta(days=1))  # fmt: skip
    CrisisNotice.objects.create(
        org=cast.lgo, title="ประกาศเก่าที่หมดอายุ", text="-",
        starts_at=now - dt.timedelta(days=9), ends_at=now - dt.timedelta(days=2),
    )  # fmt: skip

    for url in (f"/services/{cast.lgo.pk}/", f"/services/{cast.lgo.pk}/{service.slug}/"):
        page = client.get(url).content.decode()
        assert "ปิดเคาน์เตอร์ชั่วคราว ยื่นออนไลน์ได้" in page
        assert "ประกาศเก่าที่หมดอายุ" not in page


def test_the_service_page_follows_the_citizens_manual(client, cast, service):
    page = client.get(f"/services/{cast.lgo.pk}/{service.slug}/").content.decode()

    headings = ("How long it takes", "Steps", "Documents required", "Who may apply",
                "Where and when to apply", "Fees", "Legal basis", "Where to complain")  # fmt: skip
    for heading in headings:
        assert heading in page, heading
    assert "3 working days" in page
    assert "ยื่นคำขอและตรวจเอกสาร" in page and "10 minutes" in page
    assert "สมุดบัญชีเงินฝากธนาคาร" in page and "copy" in page
    assert "Available online" in page and "Online form in Phrom" in page
    assert page.count(f'href="{apply_url(service)}"') == 2


def test_an_unpublished_service_is_404_everywhere(client, cast):
    draft = make_service(cast.lgo, slug="draft", published=False)

    assert client.get(f"/services/{cast.lgo.pk}/draft/").status_code == 404
    assert client.get(apply_url(draft)).status_code == 404
    assert client.post(apply_url(draft), answers_post()).status_code == 404
    assert not Request.objects.exists()


def test_forms_download_through_the_view_only_for_published_services(client, cast, service):
    form = ServiceForm(service=service, title="แบบคำขอลงทะเบียน", original_name="แบบคำขอ ผส.1.pdf",
                       content_type="application/pdf", size=0)  # fmt: skip
    form.file.save("x", ContentFile(pdf_bytes()), save=True)
    url = f"/services/{cast.lgo.pk}/{service.slug}/forms/{form.pk}/"

    page = client.get(f"/services/{cast.lgo.pk}/{service.slug}/").content.decode()
    resp = client.get(url)

    assert f'href="{url}"' in page
    assert resp.status_code == 200
    assert b"".join(resp.streaming_content) == pdf_bytes()
    assert resp["Content-Type"] == "application/pdf"
    assert "attachment" in resp["Content-Disposition"] and "filename*=utf-8''" in resp["Content-Disposition"]
    service.is_published = False
    service.save()
    assert client.get(url).status_code == 404
    assert form.file.name not in page  # never a media path


# -- applying ------------------------------------------------------------------------------------


def test_the_form_shows_every_field_the_privacy_notice_and_a_hidden_honeypot(client, cast, service):
    page = client.get(apply_url(service)).content.decode()

    for label in ("เลขประจำตัวประชาชน", "วันเกิด", "ที่อยู่ตามทะเบียนบ้าน", "ธนาคาร", "Mobile phone", "E-mail"):
        assert label in page, label
    notice = page.index("Privacy notice")
    assert notice < page.index('name="consent"') < page.index("Send the request")
    for part in (
        "Why",
        "Legal basis",
        "What is kept",
        "How long",
        "Who sees it",
        "Data controller",
        "Your rights",
    ):
        assert part in page[notice:], part
    honeypot = re.search(r'<div class="hp-field" aria-hidden="true">(.*?)</div>', page, re.S).group(1)
    assert 'tabindex="-1"' in honeypot and 'autocomplete="off"' in honeypot and 'name="homepage"' in honeypot
    assert 'enctype="multipart/form-data"' in page


def test_a_citizen_submits_and_gets_a_receipt_with_code_and_due_date(client, cast, service):
    req, resp = submit(client, service, upload("บัตรประชาชน.jpg", jpeg_bytes(), "image/jpeg"))

    assert req.applicant_name == "นางสาวสมใจ ใจดี"
    assert req.phone == "0812345678" and req.phone_last4 == "5678"
    assert req.answers == {
        "national_id": "1101700230708", "birth_date": "1957-03-15",
        "address": "12 หมู่ 3 ตำบลป่าแดง อำเภอเมืองแพร่ จังหวัดแพร่ 54000", "bank": "กรุงไทย",
    }  # fmt: skip
    assert req.privacy_accepted_at is not None and req.due_at is not None
    receipt = client.get(resp["Location"]).content.decode()
    assert req.tracking_code in receipt
    assert "ขอรับเบี้ยยังชีพผู้สูงอายุ" in receipt and "บัตรประชาชน.jpg" in receipt
    assert "Expected to be done by" in receipt and "3 working days" in receipt
    assert "x-xxxx-xxxxx-70-8" in receipt and "1101700230708" not in receipt
    assert "15 มีนาคม 2500" in receipt  # the birth date in the Buddhist era


def test_thai_digits_and_be_dates_are_accepted(client, cast, service):
    req, _ = submit(
        client, service, f_national_id="๑-๑๐๑๗-๐๐๒๓๐-๗๐-๘", f_birth_date="๑๕ มี.ค. ๒๕๐๐", phone="๐๘๑๒๓๔๕๖๗๘"
    )

    assert req.answers["national_id"] == "1101700230708"
    assert req.answers["birth_date"] == "1957-03-15"
    assert req.phone == "0812345678"


def test_errors_say_what_to_fix_and_keep_what_was_typed(client, cast, service):
    resp = client.post(
        apply_url(service),
        answers_post(f_national_id="1101700230709", f_birth_date="31/2/2568", phone="12345", consent="",
                     attachments=[upload("บัตร.jpg", jpeg_bytes())]),
    )  # fmt: skip

    page = resp.content.decode()
    assert resp.status_code == 200
    assert "its last digit does not match the others" in page
    assert "Type the date as day/month/year in the Buddhist era" in page
    assert "Type a Thai phone number" in page
    assert "Tick this box to send the request" in page
    assert 'value="1101700230709"' in page and 'value="31/2/2568"' in page
    assert "12 หมู่ 3 ตำบลป่าแดง" in page
    assert "Choose these files again" in page.replace("choose these files again", "Choose these files again")
    assert "บัตร.jpg" in page
    assert not Request.objects.exists() and not Attachment.objects.exists()


def test_a_bot_filling_the_honeypot_gets_a_neutral_page_and_nothing_is_stored(client, cast, service):
    resp = client.post(apply_url(service), answers_post(homepage="http://spam.example", attachments=[]))

    assert resp.status_code == 200
    assert "Request sent" in resp.content.decode()
    assert not CODE.search(resp.content.decode())
    assert not Request.objects.exists()


def test_the_form_needs_the_csrf_token(cast, service):
    strict = Client(enforce_csrf_checks=True)

    resp = strict.post(apply_url(service), answers_post())

    assert resp.status_code == 403
    assert not Request.objects.exists()


def test_submissions_per_address_are_limited_with_a_friendly_429(client, cast, service, settings):
    settings.ESERVICES_RATE_LIMITS = {"submit_address": (2, 3600)}
    submit(client, service)
    submit(client, service)

    resp = client.post(apply_url(service), answers_post())

    assert resp.status_code == 429
    assert "Try again in about" in resp.content.decode()
    assert int(resp["Retry-After"]) > 0
    assert Request.objects.count() == 2


# -- receipt and tracking ------------------------------------------------------------------------------


def test_the_receipt_is_shown_only_in_the_session_that_sent_it(client, cast, service):
    req, resp = submit(client, service)

    other = english_client().get(resp["Location"])

    assert other.status_code == 302
    assert other["Location"] == f"/services/track/?code={req.tracking_code}"


def test_tracking_with_code_and_last_four_digits_shows_the_public_history_only(client, cast, service):
    req, _ = submit(client, service)
    RequestEvent.objects.create(request=req, kind=EventKind.NOTE, text="บันทึกภายใน: โทรไม่ติด")
    RequestEvent.objects.create(request=req, kind=EventKind.ASSIGN, by=cast.planner, text="มอบหมาย")
    RequestEvent.objects.create(
        request=req, kind=EventKind.MESSAGE, by=cast.planner, text="กรุณารอเจ้าหน้าที่ติดต่อ"
    )
    req.assignee = cast.planner
    req.save()
    citizen = english_client()

    resp = citizen.post(
        "/services/track/", {"code": req.tracking_code.lower().replace("-", " "), "phone_last4": "๕๖๗๘"}
    )
    page = citizen.get(resp["Location"]).content.decode()

    assert resp["Location"] == f"/services/track/{req.tracking_code}/"
    assert "Received" in page and "กรุณารอเจ้าหน้าที่ติดต่อ" in page and "Message from the office" in page
    assert "บันทึกภายใน" not in page and "มอบหมาย" not in page
    assert cast.planner.full_name not in page and cast.planner.username not in page


def test_a_wrong_code_and_wrong_digits_get_the_same_neutral_message(client, cast, service):
    req, _ = submit(client, service)
    citizen = english_client()

    wrong_digits = citizen.post("/services/track/", {"code": req.tracking_code, "phone_last4": "0000"})
    wrong_code = citizen.post("/services/track/", {"code": "PHR-AAAAA-AAAAA", "phone_last4": "5678"})

    message = "We found no request with this tracking code and these phone digits."
    for resp in (wrong_digits, wrong_code):
        assert resp.status_code == 200
        assert message in resp.content.decode()
    strip = re.compile(r'value="[^"]*"|"X-CSRFToken": "[^"]+"')
    assert strip.sub("", wrong_digits.content.decode()) == strip.sub("", wrong_code.content.decode())


def test_changing_the_last_characters_of_a_code_never_shows_another_request(client, cast, service):
    mine, _ = submit(client, service)
    theirs, _ = submit(english_client(), service, applicant_name="นายคนอื่น ต่างหาก", phone="0899999999")
    citizen = english_client()
    citizen.post("/services/track/", {"code": mine.tracking_code, "phone_last4": "5678"})

    # The same session, the other request's code, in the URL and in the form.
    by_url = citizen.get(f"/services/track/{theirs.tracking_code}/")
    variants = [mine.tracking_code[:-1] + ch for ch in "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
                if mine.tracking_code[:-1] + ch != mine.tracking_code]  # fmt: skip
    seen = [citizen.post("/services/track/", {"code": v, "phone_last4": "5678"}) for v in variants[:3]]
    by_receipt = citizen.get(f"/services/receipt/{theirs.tracking_code}/")

    assert by_url.status_code == 302 and by_receipt.status_code == 302
    for resp in (by_url, by_receipt, *seen):
        assert "นายคนอื่น" not in resp.content.decode()
        assert resp.status_code in (200, 302, 429)
        if resp.status_code == 302:
            assert theirs.tracking_code not in resp["Location"] or resp["Location"].startswith(
                "/services/track/?"
            )


def test_failed_guesses_on_one_code_are_limited(client, cast, service, settings):
    settings.ESERVICES_RATE_LIMITS = {"track_code_failures": (3, 3600), "track_address": (100, 600)}
    req, _ = submit(client, service)
    guesser = english_client()

    for digits in ("0001", "0002", "0003"):
        assert (
            guesser.post("/services/track/", {"code": req.tracking_code, "phone_last4": digits}).status_code
            == 200
        )
    blocked = guesser.post("/services/track/", {"code": req.tracking_code, "phone_last4": "5678"})

    assert blocked.status_code == 429
    assert "tracking is paused" in blocked.content.decode()


def test_lookups_per_address_are_limited(client, cast, service, settings):
    settings.ESERVICES_RATE_LIMITS = {"track_address": (2, 600)}
    for _ in range(2):
        client.post("/services/track/", {"code": "PHR-AAAAA-AAAAA", "phone_last4": "1234"})

    resp = client.post("/services/track/", {"code": "PHR-BBBBB-BBBBB", "phone_last4": "1234"})

    assert resp.status_code == 429


def test_a_citizen_adds_a_document_when_the_office_waits(client, cast, service):
    req, _ = submit(client, service)
    url = f"/services/track/{req.tracking_code}/"
    assert "Send what the office asked for" not in client.get(url).content.decode()
    Request.objects.filter(pk=req.pk).update(status=RequestStatus.WAITING, status_reason="ขอสำเนาสมุดบัญชีเพิ่ม")

    page = client.get(url).content.decode()
    resp = client.post(url, {"message": "ส่งสมุดบัญชีแล้วค่ะ", "attachments": [upload("สมุดบัญชี.jpg", jpeg_bytes())]})

    assert "ขอสำเนาสมุดบัญชีเพิ่ม" in page and "Send what the office asked for" in page
    assert resp.status_code == 302
    event = RequestEvent.objects.get(request=req, kind=EventKind.CITIZEN)
    assert "ส่งสมุดบัญชีแล้วค่ะ" in event.text
    assert req.attachments.get().original_name == "สมุดบัญชี.jpg"
    after = client.get(url).content.decode()
    assert "You sent" in after and "สมุดบัญชี.jpg" in after


def test_a_bad_added_document_is_rejected_and_nothing_is_stored(client, cast, service):
    req, _ = submit(client, service)
    Request.objects.filter(pk=req.pk).update(status=RequestStatus.WAITING)

    resp = client.post(
        f"/services/track/{req.tracking_code}/", {"attachments": [upload("x.pdf", b"MZ\x90\x00" * 50)]}
    )

    assert resp.status_code == 200
    assert "“x.pdf” is not a PDF or a photo" in resp.content.decode()
    assert not RequestEvent.objects.filter(kind=EventKind.CITIZEN).exists()
    assert not Attachment.objects.exists()


def test_hiding_a_request_on_this_device_forgets_it(client, cast, service):
    req, resp = submit(client, service)

    client.post(f"/services/track/{req.tracking_code}/", {"action": "forget"})

    assert client.get(resp["Location"]).status_code == 302


# -- the public API --------------------------------------------------------------------------------------


def test_the_catalogue_api_needs_no_token_and_shows_only_published_services(client, cast, service):
    make_service(cast.lgo, name="ร่างที่ยังไม่เผยแพร่", slug="draft", published=False)
    intake.create_request(service, applicant_name="นางลับ มาก", phone="0811112222", answers={}, files=[])

    listing = client.get(f"/api/v1/catalogue/organizations/{cast.lgo.pk}")
    one = client.get(f"/api/v1/catalogue/organizations/{cast.lgo.pk}/services/{service.slug}")
    draft = client.get(f"/api/v1/catalogue/organizations/{cast.lgo.pk}/services/draft")

    assert listing.status_code == 200
    assert [s["slug"] for s in listing.json()["services"]] == [service.slug]
    assert one.json()["steps"][0] == {"text": "ยื่นคำขอและตรวจเอกสาร", "minutes": 10, "unit": "กองสวัสดิการสังคม"}
    assert one.json()["apply_url"] == apply_url(service)
    assert draft.status_code == 404
    assert "นางลับ" not in listing.content.decode() + one.content.decode()


def test_the_finder_api_answers_a_place_name(client, cast):
    from eservices.geo_models import Coverage, Subdistrict

    sub = Subdistrict.objects.create(
        code="540104", name_th="ป่าแดง", name_en="Pa Daeng", district=cast.district
    )
    Coverage.objects.create(org=cast.lgo, subdistrict=sub, source="namesake")

    data = client.get("/api/v1/catalogue/finder", {"q": "ต.ป่าแดง"}).json()

    assert data["subdistricts"][0]["code"] == "540104"
    assert data["subdistricts"][0]["candidates"][0]["organization"]["id"] == cast.lgo.pk
    assert data["subdistricts"][0]["situation"] == "one"


@pytest.mark.parametrize(
    "url",
    ["/services/?subdistrict=%00", "/services/?q=%00", "/api/v1/catalogue/finder?subdistrict=%00",
     "/api/v1/catalogue/finder?subdistrict=54O1O4", "/api/v1/catalogue/finder?q=a%00b"],
)  # fmt: skip
def test_a_nul_byte_or_a_malformed_geocode_finds_nothing_without_an_error(client, cast, url):
    # PostgreSQL refuses NUL bytes in SQL strings: they must never reach a query (CI runs on PostgreSQL).
    resp = client.get(url)

    assert resp.status_code == 200
    if url.startswith("/api/"):
        assert resp.json()["subdistricts"] == []
