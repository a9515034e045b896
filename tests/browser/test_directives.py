"""The acceptance story of directives in a real browser, on the demo data: the founding letter of
Phrae province reaches all 84 local governments through the 8 districts; อบต.ป่าแดง submits its
approved plan to OPDC with copies to the province and its district; OPDC, the province and the
district each see it."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from directives.models import Directive, Recipient, Submission
from orgs.demo import DEMO_PASSWORD
from orgs.models import Organization
from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)
expect = pytest.importorskip("playwright.sync_api").expect
STEP = "directives.demo.load_demo_directives"


@pytest.fixture
def demo(transactional_db, monkeypatch):
    from orgs.management.commands import load_demo

    if STEP not in load_demo.STEPS:
        monkeypatch.setattr(load_demo, "STEPS", [*load_demo.STEPS, STEP])
    call_command("load_demo", verbosity=0)
    founding = Directive.objects.get(number="พร ๐๐๒๓.๑/ว ๓๐๒๖")
    padaeng = Organization.objects.get(dla_code="6540115")
    return {"founding": founding, "padaeng": padaeng}


@pytest.fixture
def padaeng_approved(demo):
    """อบต.ป่าแดง's executive approves a complete plan (the demo leaves it without one)."""
    from accounts.models import User
    from plans import lifecycle
    from plans.tests.factories import make_complete_plan

    plan = make_complete_plan(demo["padaeng"], by=User.objects.get(username="padaeng.planner"))
    return lifecycle.approve(plan, by=User.objects.get(username="padaeng.approver"))


def test_the_founding_letter_goes_down_the_chain_and_a_plan_comes_back_up(
    demo, padaeng_approved, live_server, page_factory
):
    founding, padaeng = demo["founding"], demo["padaeng"]

    # The provincial office sees the founding letter it issued, relayed by the 8 districts.
    province = page_factory()
    login(province, live_server, "province", DEMO_PASSWORD)
    province.goto(f"{live_server.url}/directives/issued/")
    province.get_by_role("link", name=re.compile("การทบทวนและปรับปรุงแผนดำเนินธุรกิจ")).first.click()
    expect(province.locator("h1")).to_contain_text("การทบทวนและปรับปรุงแผนดำเนินธุรกิจอย่างต่อเนื่อง")
    expect(province.locator(".subtitle")).to_contain_text("พร ๐๐๒๓.๑/ว ๓๐๒๖")
    expect(province.locator("h1 .urgency")).to_have_text("ด่วนที่สุด")
    expect(province.locator(".relay-list li")).to_have_count(8)
    screenshot(province, "directives-province-founding-letter")
    reached = set(Recipient.objects.filter(directive__root=founding).values_list("org_id", flat=True))
    assert set(Organization.objects.lgos().values_list("pk", flat=True)) <= reached  # all 84

    # อบต.ป่าแดง finds it in its inbox, relayed by อำเภอเมืองแพร่, unread.
    planner = page_factory()
    login(planner, live_server, "padaeng.planner", DEMO_PASSWORD)
    planner.goto(f"{live_server.url}/directives/")
    item = planner.locator(".dir-item", has_text="การทบทวนและปรับปรุงแผนดำเนินธุรกิจ").first
    expect(item).to_have_class(re.compile("is-unread"))
    expect(item.locator(".urgency")).to_have_text("ด่วนที่สุด")
    expect(item).to_contain_text("อำเภอเมืองแพร่")
    screenshot(planner, "directives-inbox-padaeng")
    item.locator("a.dir-subject").click()
    expect(planner.locator(".chain li")).to_have_count(3)  # province → district → (plans go to OPDC)
    expect(planner.locator(".chain")).to_contain_text("สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดแพร่")
    expect(planner.locator(".chain")).to_contain_text("อำเภอเมืองแพร่")
    expect(planner.locator(".ack-note")).to_be_visible()
    screenshot(planner, "directives-directive-with-chain")
    assert Recipient.objects.get(org=padaeng, directive__root=founding).acknowledged_at is not None

    # It submits its approved plan: one click (a double click still makes one submission).
    planner.get_by_role("link", name=re.compile("Submit our plan|ส่งแผน")).first.click()
    expect(planner.locator(".dir-form")).to_contain_text("สำนักงานคณะกรรมการพัฒนาระบบราชการ")
    expect(planner.locator(".dir-form")).to_contain_text("สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดแพร่")
    expect(planner.locator(".dir-form")).to_contain_text("อำเภอเมืองแพร่")
    screenshot(planner, "directives-submit")
    planner.locator("[data-once-button]").dblclick()
    planner.wait_for_url(re.compile(r"/directives/submissions/\d+/$"))
    sub = Submission.objects.get(org=padaeng)
    expect(planner.locator(".receipt-number")).to_have_text(sub.receipt_number)
    screenshot(planner, "directives-receipt")
    assert sub.plan_id == padaeng_approved.pk and not sub.on_time  # 2563's deadline has long passed
    assert set(sub.copies.values_list("org__kind", flat=True)) == {"provincial_office", "district"}

    # OPDC receives it; the province and the district see their copies.
    for username, box in [("opdc", "received"), ("province", "copies"), ("district.mueang", "copies")]:
        p = page_factory()
        login(p, live_server, username, DEMO_PASSWORD)
        p.goto(f"{live_server.url}/directives/submissions/?box={box}")
        expect(p.locator("table")).to_contain_text(sub.receipt_number)
        expect(p.locator("table")).to_contain_text("องค์การบริหารส่วนตำบลป่าแดง")
    screenshot(p, "directives-district-copies")

    # The province's dashboard of the founding letter counts the 84 local governments and the
    # three plans sent (the town municipality, the PAO, and now อบต.ป่าแดง).
    province.goto(f"{live_server.url}/dashboards/{founding.pk}/")
    total = province.locator(".dash-rollup tfoot tr")
    expect(total.locator("td.num strong").first).to_have_text("84")
    expect(total.locator(".dash-inline .nowrap")).to_have_text(re.compile(r"^3 · "))
    screenshot(province, "directives-province-dashboard")
