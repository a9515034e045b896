"""The plan editor in a real browser: a first plan from the template to approval, two people
editing the same row, nothing typed lost when the network or the session fails, and the call
tree and the BIA on a phone."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from orgs.demo import DEMO_PASSWORD
from orgs.models import Organization
from plans import models as pm
from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)
expect = pytest.importorskip("playwright.sync_api").expect

# Real-looking people for อบต.ป่าแดง's team (made-up names and mobiles).
PEOPLE = [
    "นายบุญมี แดงดี", "นายประเสริฐ ป่าแดง", "นางสาวกาญจนา ศรีวงศ์", "นายสุรชัย คำปัน", "นางพรทิพย์ อินทะวงศ์",
    "นายวิชัย ใจมั่น", "นางสาวอรุณี ทองคำ", "นายสมบัติ เรือนแก้ว", "นางมยุรี สุขสวัสดิ์", "นายเกียรติศักดิ์ ปัญญา",
    "นางสาวรัตนา มณีวงศ์", "นายอดิศร ชัยมงคล", "นางสาววาสนา บุญเรือง", "นายธีระ วงค์ษา", "นางสาวปวีณา ศรีไชย",
    "นายชาญวิทย์ สายทอง", "นางสาวศิริพร ดวงดี", "นายกิตติ พรหมมา",
]  # fmt: skip
THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def mobile(i: int, thai: bool = False) -> str:
    number = f"08{i % 10}{(i * 7919) % 10_000_000:07d}"
    return number.translate(THAI) if thai else number


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", verbosity=0)
    return {"padaeng": Organization.objects.get(dla_code="6540115")}


@pytest.fixture
def padaeng_plan(demo):
    from accounts.models import User
    from plans.templates_lib import start_from_template

    return start_from_template(demo["padaeng"], by=User.objects.get(username="padaeng.planner"))


def section(live_server, plan, key):
    return f"{live_server.url}/plans/{plan.pk}/edit/{key}/"


def open_edit(page, anchor):
    """Click a row's edit button and wait for its form."""
    page.locator(f"#{anchor} [data-edit-key]").first.click()
    form = page.locator(f"#{anchor} form")
    form.wait_for()
    return form


def save(page, anchor):
    """Save a row's form and wait until it is read-only again."""
    page.locator(f"#{anchor} form button[type=submit]").click()
    page.locator(f"#{anchor} form").wait_for(state="detached")


def errors_on_overview(page, live_server, plan) -> list[str]:
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    return page.locator(".issue-error a").all_inner_texts()


# -- (a) the acceptance flow -------------------------------------------------------------------


def test_a_planner_writes_a_first_plan_in_the_browser_and_the_executive_approves_it(
    demo, live_server, page_factory
):
    planner = page_factory()
    login(planner, live_server, "padaeng.planner", DEMO_PASSWORD)

    # Start from the template: อบต.ป่าแดง has no plan yet.
    planner.goto(f"{live_server.url}/plans/org/{demo['padaeng'].pk}/")
    planner.locator(f"a[href='/plans/org/{demo['padaeng'].pk}/new/']").click()
    planner.locator("form:has(input[value=template]) button[type=submit]").click()
    planner.wait_for_url(re.compile(r"/plans/\d+/$"))
    plan = pm.Plan.objects.get(org=demo["padaeng"])
    first_errors = errors_on_overview(planner, live_server, plan)
    assert first_errors, "the template leaves the people for the planner to fill in"
    screenshot(planner, "plans-acceptance-1-overview-from-template")

    # The people: every placeholder in the contact list gets a name and a mobile (typed in Thai digits).
    planner.goto(section(live_server, plan, "contacts"))
    placeholders = list(plan.contacts.filter(kind="internal", name__startswith="ระบุ").order_by("order", "id"))
    assert placeholders
    for i, contact in enumerate(placeholders):
        anchor = f"contacts-contact-{contact.pk}"
        form = open_edit(planner, anchor)
        form.locator("[name=name]").fill(PEOPLE[i])
        form.locator("[name=phone]").fill(mobile(i, thai=True))
        save(planner, anchor)
        assert PEOPLE[i] in planner.locator(f"#{anchor}").inner_text()
    # One more person, added with the form at the end of the table.
    planner.locator("[data-add-key='contacts:internal:new']").click()
    new_form = planner.locator("#tbl-contacts-internal-rows form").last
    new_form.wait_for()
    new_form.locator("[name=name]").fill(PEOPLE[-1])
    new_form.locator("[name=position]").fill("นักจัดการงานทั่วไป")
    new_form.locator("[name=phone]").fill(mobile(99))
    new_form.locator("button[type=submit]").click()
    planner.get_by_text(PEOPLE[-1]).wait_for()
    newcomer = plan.contacts.get(name=PEOPLE[-1])
    screenshot(planner, "plans-acceptance-2-contacts")

    # The team: the IT role's backup becomes the newcomer (picked from the contact list).
    role = plan.team_roles.order_by("-order").first()
    old_backup_id = role.backup_id
    planner.goto(section(live_server, plan, "team"))
    anchor = f"team-teamrole-{role.pk}"
    form = open_edit(planner, anchor)
    form.locator("[name=backup]").select_option(str(newcomer.pk))
    save(planner, anchor)
    role.refresh_from_db()
    assert role.backup_id == newcomer.pk

    # The call tree: the newcomer replaces the old backup in the tree, called by the role's primary.
    planner.goto(section(live_server, plan, "calltree"))
    old_node = plan.call_tree.get(contact_id=old_backup_id)
    parent_node = plan.call_tree.get(contact_id=role.primary_id)
    anchor = f"calltree-calltreenode-{old_node.pk}"
    form = open_edit(planner, anchor)
    form.locator("[name=contact]").select_option(str(newcomer.pk))
    form.locator("[name=parent]").select_option(str(parent_node.pk))
    form.locator("[name=order]").fill("๑")
    form.locator("button[type=submit]").click()
    planner.locator(f"#{anchor} form").wait_for(state="detached")
    assert PEOPLE[-1] in planner.locator(f"#{anchor}").inner_text()
    # and the parent's node is drawn above it, in the same branch
    branch = planner.locator(f".tree-item:has(> #calltree-calltreenode-{parent_node.pk})")
    assert PEOPLE[-1] in branch.inner_text()
    screenshot(planner, "plans-acceptance-3-calltree")

    # The checker is satisfied: no errors left.
    assert errors_on_overview(planner, live_server, plan) == []
    assert "ไม่พบข้อผิดพลาด" in planner.inner_text(".readiness")
    screenshot(planner, "plans-acceptance-4-no-errors")
    planner.locator("form[action$='/submit/'] button").click()
    planner.wait_for_load_state("networkidle")
    plan.refresh_from_db()
    assert plan.status == pm.Status.IN_REVIEW

    # The chief executive approves it, in a browser of his own.
    approver = page_factory()
    login(approver, live_server, "padaeng.approver", DEMO_PASSWORD)
    approver.goto(f"{live_server.url}/plans/{plan.pk}/")
    approver.locator(f"a[href='/plans/{plan.pk}/approve/']").click()
    approver.locator("form.actions button[type=submit]").click()
    approver.wait_for_url(re.compile(rf"/plans/{plan.pk}/$"))
    plan.refresh_from_db()
    assert plan.status == pm.Status.APPROVED and plan.digest
    screenshot(approver, "plans-acceptance-5-approved")


# -- (b) two people, one row ---------------------------------------------------------------------


def test_two_people_saving_the_same_row_lose_neither_text(padaeng_plan, live_server, page_factory):
    plan = padaeng_plan
    process = plan.processes.order_by("order", "id").first()
    anchor = f"bia-process-{process.pk}"
    first, second = page_factory(), page_factory()
    login(first, live_server, "padaeng.planner", DEMO_PASSWORD)
    login(second, live_server, "padaeng.approver", DEMO_PASSWORD)
    for page in (first, second):
        page.goto(section(live_server, plan, "bia"))
    form1, form2 = open_edit(first, anchor), open_edit(second, anchor)

    # the first saves
    form1.locator("[name=notes]").fill("ข้อความของคนแรก")
    save(first, anchor)
    # the second, who opened the row before that save, saves too: refused, both texts shown
    form2.locator("[name=notes]").fill("ข้อความของคนที่สอง")
    form2.locator("button[type=submit]").click()
    problem = second.locator(f"#{anchor}-problem .problem")
    problem.wait_for()
    assert "มีผู้อื่นบันทึกส่วนนี้ระหว่างที่คุณแก้ไข" in problem.inner_text()
    differs = problem.locator("tr.differs")  # only the notes differ, and they come first
    assert differs.count() == 1
    assert "ข้อความของคนแรก" in differs.locator(".theirs").inner_text()
    assert "ข้อความของคนที่สอง" in differs.locator(".yours").inner_text()
    assert form2.locator("[name=notes]").input_value() == "ข้อความของคนที่สอง"
    process.refresh_from_db()
    assert process.notes == "ข้อความของคนแรก"
    screenshot(second, "plans-conflict")

    # having seen both, the second saves again: now on top of the first, knowingly
    form2.locator("[name=notes]").fill("ข้อความของคนแรก และของคนที่สอง")
    save(second, anchor)
    process.refresh_from_db()
    assert process.notes == "ข้อความของคนแรก และของคนที่สอง"


def test_autosave_saves_while_typing_and_says_when(padaeng_plan, live_server, page):
    plan = padaeng_plan
    process = plan.processes.order_by("order", "id").first()
    anchor = f"bia-process-{process.pk}"
    login(page, live_server, "padaeng.planner", DEMO_PASSWORD)
    page.goto(section(live_server, plan, "bia"))
    form = open_edit(page, anchor)
    new_impact = "low" if process.impact != "low" else "medium"
    form.locator("[name=impact]").select_option(new_impact)  # a change: saved after half a second
    page.locator(f"#{anchor}-status.is-saved").wait_for()
    assert re.search(r"บันทึกแล้ว \d\d:\d\d", page.inner_text(f"#{anchor}-status"))
    page.wait_for_function(
        f"document.getElementById('{anchor}-version').value === '{process.version + 1}'", timeout=8000
    )
    process.refresh_from_db()
    assert process.impact == new_impact
    # typing keeps saving (2 s after the last key), with the version moving on each time
    form.locator("[name=notes]").fill("บันทึกระหว่างพิมพ์")
    page.wait_for_function(
        f"document.getElementById('{anchor}-version').value === '{process.version + 1}'", timeout=8000
    )
    process.refresh_from_db()
    assert process.notes == "บันทึกระหว่างพิมพ์"
    save(page, anchor)  # the explicit save after autosaves is not a conflict with oneself


def test_a_change_made_while_an_autosave_is_in_flight_is_saved_too(padaeng_plan, live_server, page):
    import time

    plan = padaeng_plan
    process = plan.processes.order_by("order", "id").first()
    anchor = f"bia-process-{process.pk}"
    login(page, live_server, "padaeng.planner", DEMO_PASSWORD)
    page.goto(section(live_server, plan, "bia"))
    form = open_edit(page, anchor)

    held = []

    def slow_first_save(route):
        if route.request.method == "POST" and not held:
            held.append(route.request.post_data)
            time.sleep(1.5)  # the first autosave is still on its way when the user changes the next field
        route.continue_()

    page.route("**/edit/", slow_first_save)
    form.locator("[name=notes]").fill("พิมพ์ก่อน")
    form.locator("[name=notes]").blur()  # change: autosave after 0.5 s, answered slowly
    page.wait_for_timeout(800)
    new_impact = "low" if process.impact != "low" else "medium"
    form.locator("[name=impact]").select_option(new_impact)  # queued behind the slow save
    page.wait_for_function(
        f"document.getElementById('{anchor}-version').value === '{process.version + 2}'", timeout=10000
    )
    process.refresh_from_db()
    assert process.notes == "พิมพ์ก่อน"
    assert process.impact == new_impact


# -- nothing typed is lost -------------------------------------------------------------------------


def test_text_typed_while_offline_is_kept_and_restored_after_a_reload(padaeng_plan, live_server, page):
    plan = padaeng_plan
    item = plan.list_items.filter(section="objectives").order_by("order", "id").first()
    anchor = f"objectives-listitem-{item.pk}"
    login(page, live_server, "padaeng.planner", DEMO_PASSWORD)
    page.goto(section(live_server, plan, "objectives"))
    form = open_edit(page, anchor)
    page.context.set_offline(True)
    form.locator("[name=text]").fill("เพื่อให้บริการประชาชนได้ต่อเนื่องแม้สำนักงานใช้การไม่ได้")
    form.locator("button[type=submit]").click()
    page.locator("#plans-alert:not([hidden])").wait_for()
    assert "ยังไม่ได้บันทึก" in page.inner_text("#plans-alert")
    page.context.set_offline(False)

    page.reload()
    banner = page.locator("#draft-banner:not([hidden])")
    banner.wait_for()
    assert "มีข้อความที่ยังไม่ได้บันทึก" in banner.inner_text()
    banner.locator("[data-draft-restore]").click()
    restored = page.locator(f"#{anchor} form [name=text]")
    expect(restored).to_have_value("เพื่อให้บริการประชาชนได้ต่อเนื่องแม้สำนักงานใช้การไม่ได้")
    save(page, anchor)
    item.refresh_from_db()
    assert item.text == "เพื่อให้บริการประชาชนได้ต่อเนื่องแม้สำนักงานใช้การไม่ได้"
    page.reload()
    assert page.locator("#draft-banner").is_hidden()  # saved: the copy is gone


def test_a_save_after_the_session_ended_says_so_and_keeps_the_text(padaeng_plan, live_server, page):
    plan = padaeng_plan
    item = plan.list_items.filter(section="objectives").order_by("order", "id").first()
    anchor = f"objectives-listitem-{item.pk}"
    login(page, live_server, "padaeng.planner", DEMO_PASSWORD)
    page.goto(section(live_server, plan, "objectives"))
    form = open_edit(page, anchor)
    page.context.clear_cookies(name="sessionid")  # the session expired
    form.locator("[name=text]").fill("ข้อความหลังหมดเวลาเข้าระบบ")
    form.locator("button[type=submit]").click()
    page.locator("#plans-alert:not([hidden])").wait_for()
    assert "ออกจากระบบ" in page.inner_text("#plans-alert") or "เข้าสู่ระบบ" in page.inner_text("#plans-alert")
    assert form.locator("[name=text]").input_value() == "ข้อความหลังหมดเวลาเข้าระบบ"  # still in the form
    item.refresh_from_db()
    assert item.text != "ข้อความหลังหมดเวลาเข้าระบบ"

    login(page, live_server, "padaeng.planner", DEMO_PASSWORD)
    page.goto(section(live_server, plan, "objectives"))
    page.locator("#draft-banner:not([hidden]) [data-draft-restore]").click()
    expect(page.locator(f"#{anchor} form [name=text]")).to_have_value("ข้อความหลังหมดเวลาเข้าระบบ")
    save(page, anchor)
    item.refresh_from_db()
    assert item.text == "ข้อความหลังหมดเวลาเข้าระบบ"


def test_a_viewer_sees_the_plan_read_only(padaeng_plan, live_server, page):
    from accounts.models import User
    from orgs.actions import add_member
    from orgs.models import Role

    viewer = User.objects.create_user(
        username="padaeng.viewer", password=DEMO_PASSWORD, full_name="นายอ่าน อย่างเดียว"
    )
    add_member(padaeng_plan.org, viewer, Role.VIEWER)
    login(page, live_server, "padaeng.viewer", DEMO_PASSWORD)
    page.goto(section(live_server, padaeng_plan, "bia"))
    assert page.locator("[data-edit-key]").count() == 0
    assert page.locator("p.notice").count() == 1


# -- (c) on a phone -------------------------------------------------------------------------------------


def test_the_call_tree_and_the_bia_read_well_on_a_phone(padaeng_plan, live_server, page_factory):
    page = page_factory(phone=True)
    login(page, live_server, "padaeng.planner", DEMO_PASSWORD)
    page.goto(section(live_server, padaeng_plan, "calltree"))
    tree = page.locator(".calltree")
    assert tree.locator(".tree-node").count() == padaeng_plan.call_tree.count()
    # nothing wider than the phone: the tree is vertical
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "plans-calltree-phone")
    page.goto(section(live_server, padaeng_plan, "bia"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "plans-bia-phone")
    # an edit form fits too
    process = padaeng_plan.processes.order_by("order", "id").first()
    open_edit(page, f"bia-process-{process.pk}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "plans-bia-phone-editing")
