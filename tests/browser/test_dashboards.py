"""The province dashboard in a real browser: the chart and the map draw, nothing errs, and it reads
on a phone. Phrae's demo organizations with the national scenario's chain (84 local governments in
every state); district outlines from the data directory."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from orgs.demo import DEMO_PASSWORD
from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)
expect = pytest.importorskip("playwright.sync_api").expect


@pytest.fixture
def scenario(transactional_db):
    from directives.management.commands.make_national_scenario import build_scenario

    call_command("load_demo", verbosity=0)
    return build_scenario(seed=4).root


def _open(page, live_server, root):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    login(page, live_server, "province", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/dashboards/{root.pk}/")
    page.wait_for_load_state("networkidle")
    return errors


def test_the_province_dashboard_draws_its_chart_and_map(page, live_server, scenario):
    errors = _open(page, live_server, scenario)
    expect(page.locator("h1")).to_contain_text("แผนดำเนินธุรกิจอย่างต่อเนื่อง")
    expect(page.locator("#dash-chart")).to_be_visible()
    assert page.evaluate("() => !!window.Chart && !!Chart.getChart(document.getElementById('dash-chart'))")
    # eight district outlines drawn as SVG paths, with their labels
    expect(page.locator("#dash-map svg path.leaflet-interactive")).to_have_count(8)
    expect(page.locator("#dash-map .dash-map-label").first).to_be_visible()
    expect(page.locator(".dash-map-legend li")).to_have_count(6)  # title and five steps
    expect(page.locator(".dash-rollup tbody tr")).to_have_count(8)
    # sort by score (highest first), then filter the list in place (htmx): the sort stays
    page.locator("#dash-list thead th").nth(3).locator("a").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#dash-list thead th").nth(3)).to_have_attribute("aria-sort", "descending")
    page.select_option("#dash-state", "late")
    expect(page).to_have_url(re.compile(r"state=late"))
    page.wait_for_load_state("networkidle")
    assert "sort=-score" in page.url
    scores = [
        int(t) for t in page.locator("#dash-list tbody td.num").all_inner_texts() if t.strip().isdigit()
    ]
    assert scores == sorted(scores, reverse=True) and scores
    from django.utils import translation

    from directives.dashboard import State

    with translation.override("th"):
        late = str(State.LATE.label)
    rows = page.locator("#dash-list tbody tr")
    expect(rows.first).to_contain_text(late)
    assert rows.count() == page.locator("#dash-list tbody tr", has_text=late).count() > 0
    screenshot(page, "dashboard-province")
    page.locator(".dash-rollup tbody th a").first.click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".breadcrumbs")).to_contain_text("จังหวัดแพร่")
    assert errors == []


def test_the_province_dashboard_on_a_phone(page_factory, live_server, scenario):
    page = page_factory(phone=True)
    errors = _open(page, live_server, scenario)
    expect(page.locator("#dash-map svg path.leaflet-interactive")).to_have_count(8)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone (only tables may)"
    box = page.locator("#dash-chart").bounding_box()
    assert box and box["width"] <= 370
    screenshot(page, "dashboard-province-phone")
    assert errors == []
