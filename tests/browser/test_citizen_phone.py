"""A citizen on a phone: finds the local government from the subdistrict, applies with a photo, tracks it.

Phrae's real organizations (orgs/fixtures/phrae.json) and subdistricts (shared data). The photo is a
real JPEG made with Pillow; the request goes through the real form, storage and tracking pages.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from PIL import Image, ImageDraw

from eservices import geo
from eservices.models import Request, RequestStatus
from eservices.tests.factories import make_service
from orgs.loaders import load_fixture
from orgs.models import Organization
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def phrae(transactional_db):
    data = Path(settings.PHROM_DATA_DIR)
    if geo.available_scope(data) is None:
        pytest.skip(f"the shared data (subdistricts) is not under {data}")
    load_fixture()
    geo.load_subdistricts(data, scope="phrae")
    cache.clear()
    padaeng = Organization.objects.get(dla_code="6540115")
    service = make_service(padaeng, name="ขอรับเบี้ยยังชีพผู้สูงอายุ", slug="elderly-allowance")
    yield {"padaeng": padaeng, "service": service}
    cache.clear()


def document_photo() -> bytes:
    """A phone photo of a document: a white page with lines of 'text', as a JPEG."""
    img = Image.new("RGB", (900, 1200), (235, 232, 225))
    draw = ImageDraw.Draw(img)
    draw.rectangle((80, 80, 820, 1120), fill=(255, 255, 255), outline=(40, 40, 40), width=3)
    for y in range(180, 1000, 48):
        draw.line((130, y, 770 - (y % 5) * 40, y), fill=(30, 30, 30), width=6)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def test_a_citizen_finds_the_office_applies_with_a_photo_and_tracks_it(phrae, live_server, page_factory):
    page = page_factory(phone=True)
    base = live_server.url

    # Find the local government: province → district → subdistrict (htmx fills each next select).
    page.goto(f"{base}/services/")
    page.select_option("#pick-province", label="จังหวัดแพร่")
    page.wait_for_selector("#pick-district")
    page.select_option("#pick-district", label="อำเภอเมืองแพร่")
    page.wait_for_selector("#pick-subdistrict")
    page.select_option("#pick-subdistrict", label="ป่าแดง")
    page.wait_for_selector(".org-choices-main")
    assert "องค์การบริหารส่วนตำบลป่าแดง" in page.inner_text(".org-choices-main")
    assert "subdistrict=540104" in page.url  # the address follows, so back and reload work
    screenshot(page, "citizen-phone-1-finder")

    page.click(".org-choices-main a:has-text('องค์การบริหารส่วนตำบลป่าแดง')")
    page.wait_for_url(f"**/services/{phrae['padaeng'].pk}/")
    page.click(".service-card a:has-text('ขอรับเบี้ยยังชีพผู้สูงอายุ')")
    page.wait_for_url("**/elderly-allowance/")
    screenshot(page, "citizen-phone-2-service")

    # Apply, with a photo of a document.
    page.click(".apply-callout a.button")
    page.wait_for_url("**/apply/")
    page.fill("#id_applicant_name", "นางสาวสมใจ ใจดี")
    page.fill("#id_phone", "081 234 5678")
    page.fill("#id_f_national_id", "1-1017-00230-70-8")
    page.fill("#id_f_birth_date", "15/3/2500")
    page.fill("#id_f_address", "12 หมู่ 3 ตำบลป่าแดง อำเภอเมืองแพร่ จังหวัดแพร่ 54000")
    page.check("input[name=f_bank][value='กรุงไทย']")
    page.set_input_files(
        "input[name=attachments]",
        files=[{"name": "บัตรประชาชน.jpg", "mimeType": "image/jpeg", "buffer": document_photo()}],
    )
    assert "บัตรประชาชน.jpg" in page.inner_text("[data-chosen-files]")
    page.check("#id_consent")
    screenshot(page, "citizen-phone-3-form")
    page.click("form.apply-form button[type=submit]")
    page.wait_for_url("**/services/receipt/**")

    code = page.inner_text(".tracking-code").strip()
    assert re.fullmatch(r"PHR-[0-9A-Z]{5}-[0-9A-Z]{5}", code)
    assert "บัตรประชาชน.jpg" in page.inner_text("main")
    req = Request.objects.get(tracking_code=code)
    assert req.org == phrae["padaeng"]
    assert req.attachments.get().content_type == "image/jpeg"
    screenshot(page, "citizen-phone-4-receipt")

    # Later, on another device: the code and the last four digits.
    other = page_factory(phone=True)
    other.goto(f"{base}/services/track/")
    other.fill("#id_code", code.lower().replace("-", " "))
    other.fill("#id_phone_last4", "5678")
    other.click("main button[type=submit]")
    other.wait_for_url(f"**/services/track/{code}/")
    assert code in other.inner_text("main")
    screenshot(other, "citizen-phone-5-tracking")

    # The office asks for one more document; the citizen sends it from the tracking page.
    Request.objects.filter(pk=req.pk).update(
        status=RequestStatus.WAITING, status_reason="ขอสำเนาหน้าสมุดบัญชีธนาคาร"
    )
    other.reload()
    assert "ขอสำเนาหน้าสมุดบัญชีธนาคาร" in other.inner_text(".status-card")
    other.set_input_files(
        ".add-doc input[name=attachments]",
        files=[{"name": "สมุดบัญชี.jpg", "mimeType": "image/jpeg", "buffer": document_photo()}],
    )
    screenshot(other, "citizen-phone-6-waiting")
    other.click(".add-doc button[type=submit]")
    other.wait_for_load_state("networkidle")
    assert "สมุดบัญชี.jpg" in other.inner_text(".timeline")
    assert req.attachments.count() == 2
