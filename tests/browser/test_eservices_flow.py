"""Acceptance: a citizen on a phone finds their local government from the subdistrict, sends a request
with a photo and tracks it; a staff member of the office works it to done through the queue; the
citizen sees each step. Real pages, real storage, real browser (Chromium through Playwright).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from PIL import Image, ImageDraw

from accounts.models import User
from audit.models import AccessLog, AuditEvent
from eservices import geo
from eservices.models import Request, RequestStatus
from eservices.tests.factories import make_service
from eservices.tests.staff_factories import make_request
from orgs.actions import add_member
from orgs.loaders import load_fixture
from orgs.models import Organization, Role
from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "phrom-test-pass-1"


@pytest.fixture
def office(transactional_db):
    data = Path(settings.PHROM_DATA_DIR)
    if geo.available_scope(data) is None:
        pytest.skip(f"the shared data (subdistricts) is not under {data}")
    load_fixture()
    geo.load_subdistricts(data, scope="phrae")
    cache.clear()
    padaeng = Organization.objects.get(dla_code="6540115")
    service = make_service(padaeng, name="ขอรับเบี้ยยังชีพผู้สูงอายุ", slug="elderly-allowance", processing_days=5)
    other = make_service(padaeng, name="ขอรับการสนับสนุนน้ำอุปโภคบริโภค", slug="water", processing_days=2)
    # colleagues' earlier requests, so the queue and the figures have something around the new one
    make_request(other, days_ago=9, name="นายบุญมี ใจคำ")  # overdue
    make_request(other, status=RequestStatus.DONE, days_ago=12, closed_days_ago=10)
    make_request(service, status=RequestStatus.DONE, days_ago=20, closed_days_ago=13)
    staff = User.objects.create_user(username="padaeng.staff", password=PASSWORD, full_name="นางสมใจ บริการดี")
    add_member(padaeng, staff, Role.SERVICE)
    yield {"padaeng": padaeng, "service": service, "staff": staff}
    cache.clear()


def document_photo(shade=(255, 255, 255)) -> bytes:
    img = Image.new("RGB", (900, 1200), (235, 232, 225))
    draw = ImageDraw.Draw(img)
    draw.rectangle((80, 80, 820, 1120), fill=shade, outline=(40, 40, 40), width=3)
    for y in range(180, 1000, 48):
        draw.line((130, y, 770 - (y % 5) * 40, y), fill=(30, 30, 30), width=6)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def staff_set_status(page, status: str, reason: str = "") -> None:
    page.check(f"#st-{status}")
    if reason:
        page.fill("#id_reason", reason)
    page.click("#status button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_a_request_goes_from_a_citizens_phone_through_the_office_to_done(office, live_server, page_factory):
    base = live_server.url
    org = office["padaeng"]

    # -- the citizen, on a phone: find the office, apply with a photo ------------------------
    citizen = page_factory(phone=True)
    citizen.goto(f"{base}/services/")
    citizen.select_option("#pick-province", label="จังหวัดแพร่")
    citizen.wait_for_selector("#pick-district")
    citizen.select_option("#pick-district", label="อำเภอเมืองแพร่")
    citizen.wait_for_selector("#pick-subdistrict")
    citizen.select_option("#pick-subdistrict", label="ป่าแดง")
    citizen.wait_for_selector(".org-choices-main")
    citizen.click(".org-choices-main a:has-text('องค์การบริหารส่วนตำบลป่าแดง')")
    citizen.wait_for_url(f"**/services/{org.pk}/")
    citizen.click(".service-card a:has-text('ขอรับเบี้ยยังชีพผู้สูงอายุ')")
    citizen.click(".apply-callout a.button")
    citizen.wait_for_url("**/apply/")
    citizen.fill("#id_applicant_name", "นางสาวสมใจ ใจดี")
    citizen.fill("#id_phone", "๐๘๑ ๒๓๔ ๕๖๗๘")  # Thai digits, as people type them
    citizen.fill("#id_f_national_id", "1-1017-00230-70-8")
    citizen.fill("#id_f_birth_date", "15/3/2500")
    citizen.fill("#id_f_address", "12 หมู่ 3 ตำบลป่าแดง อำเภอเมืองแพร่ จังหวัดแพร่ 54000")
    citizen.check("input[name=f_bank][value='กรุงไทย']")
    citizen.set_input_files(
        "input[name=attachments]",
        files=[{"name": "บัตรประชาชน.jpg", "mimeType": "image/jpeg", "buffer": document_photo()}],
    )
    citizen.check("#id_consent")
    citizen.click("form.apply-form button[type=submit]")
    citizen.wait_for_url("**/services/receipt/**")
    code = citizen.inner_text(".tracking-code").strip()
    assert re.fullmatch(r"PHR-[0-9A-Z]{5}-[0-9A-Z]{5}", code)
    req = Request.objects.get(tracking_code=code)

    def track():
        citizen.goto(f"{base}/services/track/")
        citizen.fill("#id_code", code)
        citizen.fill("#id_phone_last4", "5678")
        citizen.click("main button[type=submit]")
        citizen.wait_for_url(f"**/services/track/{code}/")
        return citizen.inner_text("main")

    assert code in track()

    # -- the office: the request is in the queue ---------------------------------------------
    staff = page_factory()
    login(staff, live_server, "padaeng.staff", PASSWORD)
    staff.goto(f"{base}/manage/services/")
    staff.wait_for_url(f"**/manage/services/org/{org.pk}/")  # one organization: straight in
    staff.click(".es-tabs a:has-text('คำขอ'), .es-tabs a:has-text('Requests')")
    staff.wait_for_url("**/requests/")
    rows = staff.locator(".es-queue tbody tr")
    assert rows.count() == 2
    assert "is-overdue" in (rows.nth(0).get_attribute("class") or "")  # the overdue one comes first
    assert code in rows.nth(1).inner_text()
    screenshot(staff, "eservices-staff-1-queue")

    staff.click(f"a:has-text('{code}')")
    staff.wait_for_url(f"**/requests/{req.pk}/")
    body = staff.inner_text("main")
    assert "นางสาวสมใจ ใจดี" in body and "1101700230708" in body and "บัตรประชาชน.jpg" in body
    preview = staff.locator(".es-attachments img").first
    preview.wait_for()
    assert (
        staff.evaluate("(img) => img.naturalWidth", preview.element_handle()) > 0
    )  # served by the checked view
    assert "/media" not in staff.content()
    assert AccessLog.objects.filter(what="citizen_request", object_ids=[str(req.pk)]).exists()

    staff_set_status(staff, "in_progress")
    assert Request.objects.get(pk=req.pk).status == "in_progress"
    staff_set_status(staff, "waiting", "ขอรูปหน้าสมุดบัญชีเงินฝากที่มีชื่อและเลขบัญชี")
    staff.fill("#msg-text", "แนบรูปได้ที่หน้าติดตามคำขอ ไม่ต้องเดินทางมาที่สำนักงานค่ะ")
    staff.click("form[action$='/message/'] button[type=submit]")
    staff.wait_for_load_state("networkidle")
    staff.fill("#note-text", "ตรวจสอบในระบบเบี้ยยังชีพแล้ว ไม่ซ้ำซ้อน")
    staff.click("form[action$='/note/'] button[type=submit]")
    staff.wait_for_load_state("networkidle")
    screenshot(staff, "eservices-staff-2-request")

    # -- the citizen sees what is asked and sends it -----------------------------------------
    text = track()
    assert "ขอรูปหน้าสมุดบัญชีเงินฝากที่มีชื่อและเลขบัญชี" in text
    assert "แนบรูปได้ที่หน้าติดตามคำขอ" in text
    assert "ไม่ซ้ำซ้อน" not in text  # internal notes stay inside the office
    citizen.set_input_files(
        ".add-doc input[name=attachments]",
        files=[{"name": "สมุดบัญชี.jpg", "mimeType": "image/jpeg", "buffer": document_photo((250, 250, 235))}],
    )
    citizen.click(".add-doc button[type=submit]")
    citizen.wait_for_load_state("networkidle")
    assert "สมุดบัญชี.jpg" in citizen.inner_text(".timeline")

    # -- the office closes it --------------------------------------------------------------------
    staff.reload()
    assert "สมุดบัญชี.jpg" in staff.inner_text("#files")
    staff_set_status(staff, "done")
    staff.fill("#msg-text", "ลงทะเบียนเรียบร้อย จะได้รับเงินงวดแรกภายในวันที่ 10 ของเดือนถัดไป")
    staff.click("form[action$='/message/'] button[type=submit]")
    staff.wait_for_load_state("networkidle")
    req.refresh_from_db()
    assert req.status == RequestStatus.DONE and req.closed_at is not None
    assert AuditEvent.objects.filter(action="eservices.request_status", object_id=str(req.pk)).count() == 3

    # -- and the citizen sees each step ------------------------------------------------------------
    text = track()
    assert "ลงทะเบียนเรียบร้อย" in text
    timeline = citizen.inner_text(".timeline")
    with translation.override("th"):  # the pages speak Thai first
        for status in (
            RequestStatus.RECEIVED,
            RequestStatus.IN_PROGRESS,
            RequestStatus.WAITING,
            RequestStatus.DONE,
        ):
            assert str(status.label) in timeline, (status, timeline)
    screenshot(citizen, "eservices-citizen-done")

    staff.goto(f"{base}/manage/services/org/{org.pk}/figures/?period=all")
    assert staff.locator(".es-svg").count() == 1
    screenshot(staff, "eservices-staff-3-figures")
