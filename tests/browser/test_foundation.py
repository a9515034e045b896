"""The demo as a new user meets it: each role signs in and sees what it should."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from orgs.demo import DEMO_PASSWORD
from orgs.models import Organization
from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", verbosity=0)
    return {
        "phrae": Organization.objects.get(dla_code="4540102"),
        "padaeng": Organization.objects.get(dla_code="6540115"),
        "huathung": Organization.objects.get(dla_code="6540307"),
    }


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("phrae.planner", "เทศบาลเมืองแพร่"),
        ("padaeng.planner", "องค์การบริหารส่วนตำบลป่าแดง"),
        ("district.mueang", "อำเภอเมืองแพร่"),
        ("province", "จังหวัดแพร่"),
        ("opdc", "สำนักงานคณะกรรมการพัฒนาระบบราชการ"),
    ],
)
def test_each_demo_role_signs_in_and_lands_on_its_home(demo, live_server, page, username, expected):
    login(page, live_server, username, DEMO_PASSWORD)
    assert page.url.rstrip("/") == live_server.url
    assert expected in page.inner_text("main")
    screenshot(page, f"home-{username}")


def test_a_planner_cannot_see_another_local_governments_members(demo, live_server, page):
    login(page, live_server, "padaeng.planner", DEMO_PASSWORD)
    resp = page.goto(f"{live_server.url}/orgs/{demo['phrae'].pk}/members/")
    assert resp.status == 404
    page.goto(f"{live_server.url}/orgs/{demo['phrae'].pk}/")
    text = page.inner_text("main")
    assert "เทศบาลเมืองแพร่" in text
    assert "พิมพ์ใจ" not in text  # phrae.planner's name is private to Phrae's members and overseers
    page.goto(f"{live_server.url}/orgs/{demo['padaeng'].pk}/members/")
    assert "ประเสริฐ" in page.inner_text("main")


def test_the_district_officer_reads_members_in_the_district_but_not_beyond(demo, live_server, page):
    login(page, live_server, "district.mueang", DEMO_PASSWORD)
    assert page.goto(f"{live_server.url}/orgs/{demo['padaeng'].pk}/members/").status == 200
    assert page.goto(f"{live_server.url}/orgs/{demo['huathung'].pk}/members/").status == 404


def test_the_organization_browser_works_on_a_phone(demo, live_server, page_factory):
    page = page_factory(phone=True)
    login(page, live_server, "province", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/orgs/")
    page.get_by_role("link", name="แพร่").first.click()
    page.wait_for_load_state("networkidle")
    assert "ลอง" in page.inner_text("main")
    # Search as you type: only the results are swapped in.
    page.goto(f"{live_server.url}/orgs/")
    page.fill("input[name=q]", "ห้วยอ้อ")
    page.wait_for_selector("text=เทศบาลตำบลห้วยอ้อ")
    screenshot(page, "browser-search-phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page must not scroll sideways on a phone"


def test_the_language_switch_turns_the_page_english(demo, live_server, page):
    login(page, live_server, "phrae.planner", DEMO_PASSWORD)
    page.locator("form.lang-switch button[value=en]").first.click()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.lang") == "en"
