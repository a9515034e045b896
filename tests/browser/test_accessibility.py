"""axe-core on every public page: zero violations of WCAG 2.1 A and AA rules.

axe-playwright-python carries axe's script; Debian's Chromium renders the pages (tests/browser/
conftest.py). Pages are checked on a phone and on a wide screen, in Thai (the default) and the
request form also with its errors shown.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from eservices import geo
from eservices.geo_models import Coverage, CoverageSource, Subdistrict
from eservices.models import CrisisNotice, EventKind, Request, RequestEvent, RequestStatus
from eservices.tests.factories import jpeg_bytes, make_service
from orgs.actions import create_organization
from orgs.models import Kind
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def site(transactional_db):
    from conftest import build_cast

    cache.clear()
    cast = build_cast()
    town = create_organization(
        kind=Kind.TOWN_MUNICIPALITY, name_th="เทศบาลเมืองแพร่", parent=cast.district, dla_code="4540102",
        phone="054511411", address="ถนนเจริญเมือง ตำบลในเวียง อำเภอเมืองแพร่ จังหวัดแพร่", postal_code="54000",
    )  # fmt: skip
    create_organization(
        kind=Kind.PAO, name_th="องค์การบริหารส่วนจังหวัดแพร่", parent=cast.district, dla_code="2540101"
    )
    pa_daeng = Subdistrict.objects.create(
        code="540104", name_th="ป่าแดง", name_en="Pa Daeng", district=cast.district
    )
    Subdistrict.objects.create(code="540101", name_th="ในเวียง", name_en="Nai Wiang", district=cast.district)
    Coverage.objects.create(org=cast.lgo, subdistrict=pa_daeng, source=CoverageSource.NAMESAKE)
    Coverage.objects.create(org=town, subdistrict=pa_daeng, source=CoverageSource.NAMESAKE)
    service = make_service(cast.lgo, name="ขอรับเบี้ยยังชีพผู้สูงอายุ", slug="elderly-allowance")
    make_service(cast.lgo, name="ขอข้อมูลข่าวสารของราชการ", slug="info", accepts_requests=False, fields=False)
    CrisisNotice.objects.create(
        org=cast.lgo, title="ช่วงการระบาด ปิดเคาน์เตอร์ชั่วคราว", text="ยื่นคำขอออนไลน์ได้ตลอด 24 ชั่วโมง",
        starts_at=timezone.now() - dt.timedelta(days=1), channels=["online_form", "phone"],
    )  # fmt: skip
    yield {"cast": cast, "service": service}
    cache.clear()


def assert_no_violations(page, name: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
    )
    violations = results.response["violations"]
    detail = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n    "
        + "\n    ".join(n["html"][:200] for n in v["nodes"][:5])
        for v in violations
    )
    assert not violations, f"{name}: {len(violations)} WCAG 2.1 A/AA violation(s)\n{detail}"


@pytest.mark.parametrize("phone", [True, False], ids=["phone", "desktop"])
def test_every_public_page_has_no_wcag_21_aa_violations(site, live_server, page_factory, phone):
    page = page_factory(phone=phone)
    base = live_server.url
    cast, service = site["cast"], site["service"]
    org_url = f"{base}/services/{cast.lgo.pk}/"
    checked = []

    def check(name):
        page.wait_for_load_state("networkidle")
        assert_no_violations(page, name)
        checked.append(name)

    page.goto(f"{base}/services/")
    check("finder")
    page.goto(f"{base}/services/?q=ป่าแดง")
    check("finder search results")
    page.goto(f"{base}/services/?subdistrict=540104")
    page.click("details.more-orgs summary")
    check("finder answer (several candidates, details open)")
    page.goto(f"{base}/services/?province={cast.province.pk}&district={cast.other_district.pk}")
    check("finder district list")
    page.goto(org_url)
    check("organization catalogue")
    page.goto(f"{org_url}{service.slug}/")
    check("service page")
    page.goto(f"{org_url}{service.slug}/apply/")
    check("request form")
    page.fill("#id_f_national_id", "1101700230709")
    page.click("form.apply-form button[type=submit]")
    page.wait_for_selector(".form-errors")
    check("request form with errors")

    page.fill("#id_applicant_name", "นางสาวสมใจ ใจดี")
    page.fill("#id_phone", "0812345678")
    page.fill("#id_f_national_id", "1101700230708")
    page.fill("#id_f_birth_date", "15/3/2500")
    page.fill("#id_f_address", "12 หมู่ 3 ตำบลป่าแดง")
    page.check("input[name=f_bank][value='กรุงไทย']")
    page.set_input_files(
        "input[name=attachments]",
        files=[{"name": "บัตร.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}],
    )
    page.check("#id_consent")
    page.click("form.apply-form button[type=submit]")
    page.wait_for_url("**/services/receipt/**")
    check("receipt")
    code = page.inner_text(".tracking-code").strip()

    page.goto(f"{base}/services/track/")
    check("tracking form")
    page.fill("#id_code", "PHR-AAAAA-AAAAA")
    page.fill("#id_phone_last4", "1234")
    page.click("main button[type=submit]")
    page.wait_for_selector(".form-errors")
    check("tracking form with the neutral error")
    page.fill("#id_code", code)
    page.fill("#id_phone_last4", "5678")
    page.click("main button[type=submit]")
    page.wait_for_url(f"**/services/track/{code}/")
    check("tracking result")

    req = Request.objects.get(tracking_code=code)
    Request.objects.filter(pk=req.pk).update(status=RequestStatus.WAITING, status_reason="ขอสำเนาสมุดบัญชี")
    RequestEvent.objects.create(
        request=req, kind=EventKind.STATUS, status=RequestStatus.WAITING, text="ขอสำเนาสมุดบัญชี"
    )
    RequestEvent.objects.create(request=req, kind=EventKind.MESSAGE, text="กรุณาส่งภายในสัปดาห์นี้")
    page.reload()
    check("tracking result, waiting for the citizen (upload form)")
    screenshot(page, f"citizen-a11y-waiting-{'phone' if phone else 'desktop'}")

    assert len(checked) == 13


def test_the_finder_without_subdistricts_and_the_limit_pages_pass_axe(site, live_server, page, settings):
    cast = site["cast"]
    Subdistrict.objects.all().delete()
    assert not geo.has_subdistricts()
    page.goto(f"{live_server.url}/services/?province={cast.province.pk}&district={cast.district.pk}")
    assert_no_violations(page, "finder without subdistricts")

    settings.ESERVICES_RATE_LIMITS = {"track_address": (0, 600)}
    page.goto(f"{live_server.url}/services/track/")
    page.fill("#id_code", "PHR-AAAAA-AAAAA")
    page.fill("#id_phone_last4", "1234")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("main h1").count() == 1 and page.locator("form.track-form").count() == 0
    assert_no_violations(page, "too many tries (429)")
