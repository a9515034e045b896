"""Editing rows in place: /plans/<pk>/edit/<section>/<table>/rows/… (view, edit, new, delete, move),
the plan's own fields (/plans/<pk>/edit/general/fields/) and the notes (…/text/<key>/).

Every write goes through plans.actions; a stale version is refused with both texts shown and
nothing saved; a plan that is not a draft refuses every write; viewers get 403, outsiders 404.
"""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from plans import models as pm
from plans.tests.factories import make_complete_plan

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def plan(cast):
    return make_complete_plan(cast.lgo, by=cast.planner)


@pytest.fixture
def process(plan):
    return plan.processes.order_by("order", "id").first()


def base(plan, section, table):
    return f"/plans/{plan.pk}/edit/{section}/{table}/rows"


def process_data(process, **changes):
    data = {
        "name": process.name, "unit": process.unit, "mission": process.mission, "impact": process.impact,
        "rto": process.rto, "mbco": process.mbco, "mtpd": process.mtpd, "it_systems": process.it_systems,
        "partners": process.partners, "channel_type": process.channel_type,
        "channel_detail": process.channel_detail, "peak_periods": process.peak_periods,
        "notes": process.notes, "version": process.version,
    }  # fmt: skip
    data.update(changes)
    return data


def fresh(row):
    return type(row).objects.get(pk=row.pk)


# -- reading and opening a row ---------------------------------------------------------------


def test_a_row_renders_read_only_with_its_anchors_and_buttons(cast, client, plan, process):
    client.force_login(cast.planner)
    resp = client.get(f"{base(plan, 'bia', 'processes')}/{process.pk}/", **HX)
    assert resp.status_code == 200
    body = resp.content.decode()
    assert f'id="bia-process-{process.pk}"' in body
    assert f'id="bia-process-{process.pk}-rto"' in body
    assert f"{base(plan, 'bia', 'processes')}/{process.pk}/edit/" in body


def test_the_edit_form_posts_the_rows_version_and_names_inputs_by_anchor(cast, client, plan, process):
    client.force_login(cast.planner)
    resp = client.get(f"{base(plan, 'bia', 'processes')}/{process.pk}/edit/", **HX)
    assert resp.status_code == 200
    body = resp.content.decode()
    assert f'name="version" value="{process.version}"' in body
    assert f'id="bia-process-{process.pk}-name"' in body  # the checker's field anchor lands on the input
    assert 'hx-vals=\'{"autosave": "1"}\'' in body
    assert "data-draft-key=" in body


def test_a_row_of_another_table_is_404(cast, client, plan):
    client.force_login(cast.planner)
    building = plan.resources.filter(resource_type="building").first()
    assert client.get(f"{base(plan, 'resources', 'it_data')}/{building.pk}/", **HX).status_code == 404
    assert client.get(f"{base(plan, 'resources', 'building')}/{building.pk}/", **HX).status_code == 200


def test_a_row_of_another_plan_is_404(cast, client, plan):
    other = make_complete_plan(cast.lgo_same_district, by=cast.site_admin)
    row = other.processes.first()
    client.force_login(cast.planner)
    assert client.get(f"{base(plan, 'bia', 'processes')}/{row.pk}/", **HX).status_code == 404
    assert client.get(f"{base(other, 'bia', 'processes')}/{row.pk}/", **HX).status_code == 404


# -- saving ---------------------------------------------------------------------------------------


def test_saving_a_row_writes_it_through_the_actions_and_shows_it_read_only(cast, client, plan, process):
    client.force_login(cast.planner)
    url = f"{base(plan, 'bia', 'processes')}/{process.pk}/edit/"
    resp = client.post(url, process_data(process, name="จัดเก็บภาษีป้าย"), **HX)
    assert resp.status_code == 200
    assert "จัดเก็บภาษีป้าย" in resp.content.decode()
    assert "<form" not in resp.content.decode()
    saved = fresh(process)
    assert saved.name == "จัดเก็บภาษีป้าย" and saved.version == process.version + 1
    assert AuditEvent.objects.filter(action="plan.process.update").exists()
    assert "phrom:saved" in resp["HX-Trigger"]


def test_autosave_keeps_the_form_open_and_updates_its_version_and_status(cast, client, plan, process):
    client.force_login(cast.planner)
    url = f"{base(plan, 'bia', 'processes')}/{process.pk}/edit/"
    resp = client.post(url, {**process_data(process, notes="ร่างบันทึก"), "autosave": "1"}, **HX)
    assert resp.status_code == 200
    body = resp.content.decode()
    assert f'id="bia-process-{process.pk}-version" value="{process.version + 1}" hx-swap-oob="true"' in body
    assert f'id="bia-process-{process.pk}-status"' in body and "บันทึกแล้ว" in body
    assert "<form" not in body  # nothing the user is typing is replaced
    # nor the autosave element: htmx would drop the saves queued on it while this one was in flight
    assert f'id="bia-process-{process.pk}-autosave"' not in body
    assert fresh(process).notes == "ร่างบันทึก"


def test_an_incomplete_autosave_saves_nothing_and_says_so(cast, client, plan, process):
    client.force_login(cast.planner)
    url = f"{base(plan, 'bia', 'processes')}/{process.pk}/edit/"
    resp = client.post(url, {**process_data(process, name=""), "autosave": "1"}, **HX)
    assert resp.status_code == 200
    assert "is-error" in resp.content.decode()
    assert fresh(process).name == process.name


def test_an_invalid_save_shows_the_form_with_errors(cast, client, plan, process):
    client.force_login(cast.planner)
    url = f"{base(plan, 'bia', 'processes')}/{process.pk}/edit/"
    resp = client.post(url, process_data(process, name=""), **HX)
    assert resp.status_code == 422
    assert "errorlist" in resp.content.decode()
    assert fresh(process).version == process.version


def test_numbers_accept_thai_digits(cast, client, plan):
    resource = plan.resources.filter(resource_type="equipment").first()
    client.force_login(cast.planner)
    url = f"{base(plan, 'resources', 'equipment')}/{resource.pk}/edit/"
    data = {"name": "คอมพิวเตอร์", "measure": "เครื่อง", "q_h4": "๒", "q_d1": "๕", "q_w1": "1๐",
            "q_w2": "", "q_m1": "", "process": "", "notes": "", "version": resource.version}  # fmt: skip
    assert client.post(url, data, **HX).status_code == 200
    saved = fresh(resource)
    assert (saved.q_h4, saved.q_d1, saved.q_w1) == (2, 5, 10)


def test_resource_numbers_must_not_go_down_over_time(cast, client, plan):
    resource = plan.resources.filter(resource_type="equipment").first()
    client.force_login(cast.planner)
    url = f"{base(plan, 'resources', 'equipment')}/{resource.pk}/edit/"
    data = {"name": "คอมพิวเตอร์", "q_h4": "5", "q_d1": "3", "version": resource.version}
    assert client.post(url, data, **HX).status_code == 422


def test_phone_numbers_accept_thai_digits_and_are_checked(cast, client, plan):
    contact = plan.contacts.filter(kind="internal").first()
    client.force_login(cast.planner)
    url = f"{base(plan, 'contacts', 'internal')}/{contact.pk}/edit/"
    data = {"name": "นายสมชาย ใจดี", "phone": "๐๘๑ ๒๓๔ ๕๖๗๘", "version": contact.version}
    assert client.post(url, data, **HX).status_code == 200
    assert fresh(contact).phone == "081 234 5678"
    data = {"name": "นายสมชาย ใจดี", "phone": "12", "version": contact.version + 1}
    assert client.post(url, data, **HX).status_code == 422


def test_a_team_role_picks_its_people_from_the_plans_contacts_only(cast, client, plan):
    role = plan.team_roles.first()
    outsider = make_complete_plan(cast.lgo_same_district, by=cast.site_admin).contacts.first()
    client.force_login(cast.planner)
    url = f"{base(plan, 'team', 'roles')}/{role.pk}/edit/"
    form = client.get(url, **HX).content.decode()
    assert f'<option value="{outsider.pk}"' not in form
    data = {"title": role.title, "primary": outsider.pk, "backup": role.backup_id, "version": role.version}
    assert client.post(url, data, **HX).status_code == 422
    assert fresh(role).primary_id == role.primary_id


# -- conflicts: both texts, nothing saved ---------------------------------------------------------


def test_a_stale_save_is_refused_with_both_texts_and_saves_nothing(cast, client, plan, process):
    from plans import actions

    # given: someone else saved the row after this user opened it
    actions.update_row(
        fresh(process), expected_version=process.version, values={"notes": "ข้อความของผู้อื่น"}, by=cast.approver
    )
    client.force_login(cast.planner)
    url = f"{base(plan, 'bia', 'processes')}/{process.pk}/edit/"
    # when: the user saves from the old version
    resp = client.post(url, process_data(process, notes="ข้อความของฉัน"))
    # then: refused, both texts shown, the form carries the new version, nothing overwritten
    assert resp.status_code == 409
    body = resp.content.decode()
    assert "ข้อความของผู้อื่น" in body and "ข้อความของฉัน" in body
    assert "มีผู้อื่นบันทึกส่วนนี้ระหว่างที่คุณแก้ไข" in body
    assert f'name="version" value="{process.version + 1}"' in body
    assert fresh(process).notes == "ข้อความของผู้อื่น"


def test_a_stale_htmx_save_fills_the_problem_slot_and_turns_autosave_off(cast, client, plan, process):
    from plans import actions

    actions.update_row(
        fresh(process), expected_version=process.version, values={"notes": "ของผู้อื่น"}, by=cast.approver
    )
    client.force_login(cast.planner)
    url = f"{base(plan, 'bia', 'processes')}/{process.pk}/edit/"
    resp = client.post(url, {**process_data(process, notes="ของฉัน"), "autosave": "1"}, **HX)
    assert resp.status_code == 409
    assert resp["HX-Retarget"] == f"#bia-process-{process.pk}-problem"
    body = resp.content.decode()
    assert "ของผู้อื่น" in body and "ของฉัน" in body
    assert f'id="bia-process-{process.pk}-version" value="{process.version + 1}" hx-swap-oob="true"' in body
    assert 'data-autosave="off"' in body
    assert fresh(process).notes == "ของผู้อื่น"


def test_saving_again_after_seeing_both_texts_replaces_theirs(cast, client, plan, process):
    from plans import actions

    actions.update_row(
        fresh(process), expected_version=process.version, values={"notes": "ของผู้อื่น"}, by=cast.approver
    )
    client.force_login(cast.planner)
    url = f"{base(plan, 'bia', 'processes')}/{process.pk}/edit/"
    client.post(url, process_data(process, notes="ของฉัน"), **HX)
    resp = client.post(url, process_data(process, notes="ของฉัน", version=process.version + 1), **HX)
    assert resp.status_code == 200
    assert fresh(process).notes == "ของฉัน"


def test_saving_a_row_someone_deleted_offers_to_save_it_as_new(cast, client, plan):
    from plans import actions

    item = plan.list_items.filter(section="objectives").first()
    actions.delete_row(item, expected_version=item.version, by=cast.approver)
    client.force_login(cast.planner)
    url = f"{base(plan, 'objectives', 'objectives')}/{item.pk}/edit/"
    resp = client.post(url, {"text": "วัตถุประสงค์ที่ฉันพิมพ์", "version": item.version})
    assert resp.status_code == 409
    body = resp.content.decode()
    assert "วัตถุประสงค์ที่ฉันพิมพ์" in body
    assert f"{base(plan, 'objectives', 'objectives')}/new/" in body


def test_deleting_a_row_someone_changed_is_refused(cast, client, plan, process):
    from plans import actions

    actions.update_row(
        fresh(process), expected_version=process.version, values={"notes": "x"}, by=cast.approver
    )
    client.force_login(cast.planner)
    resp = client.post(
        f"{base(plan, 'bia', 'processes')}/{process.pk}/delete/", {"version": process.version}, **HX
    )
    assert resp.status_code == 409
    assert pm.Process.objects.filter(pk=process.pk).exists()


# -- adding, deleting, moving ---------------------------------------------------------------------------


def test_adding_a_row_puts_it_at_the_end_of_its_group(cast, client, plan):
    client.force_login(cast.planner)
    url = f"{base(plan, 'resources', 'partners')}/new/"
    form = client.get(url, **HX)
    assert form.status_code == 200 and "<form" in form.content.decode()
    resp = client.post(
        url, {"name": "ผู้ให้บริการอินเทอร์เน็ตสำรอง", "q_h4": "1", "anchor": "resources-resource-new1"}, **HX
    )
    assert resp.status_code == 200
    row = pm.Resource.objects.get(plan=plan, name="ผู้ให้บริการอินเทอร์เน็ตสำรอง")
    assert row.resource_type == "partners"
    assert row.order == max(r.order for r in plan.resources.filter(resource_type="partners"))
    assert f'id="resources-resource-{row.pk}"' in resp.content.decode()


def test_adding_an_invalid_row_keeps_what_was_typed(cast, client, plan):
    client.force_login(cast.planner)
    resp = client.post(f"{base(plan, 'bia', 'processes')}/new/", {"name": "", "notes": "บันทึกที่พิมพ์ไว้"}, **HX)
    assert resp.status_code == 422
    assert "บันทึกที่พิมพ์ไว้" in resp.content.decode()


def test_the_impact_matrix_saves_ticks_and_notes(cast, client, plan):
    scenario = plan.scenarios.filter(in_scope=True).first()
    client.force_login(cast.planner)
    url = f"{base(plan, 'impact', 'matrix')}/{scenario.pk}/edit/"
    body = client.get(url, **HX).content.decode()
    assert f'id="impact-scenario-{scenario.pk}-building"' in body
    data = {"building": "on", "building_note": "น้ำท่วมสำนักงาน", "personnel": "on", "version": scenario.version}
    assert client.post(url, data, **HX).status_code == 200
    impacts = fresh(scenario).impacts
    assert impacts["building"] == {"hit": True, "note": "น้ำท่วมสำนักงาน"}
    assert impacts["personnel"]["hit"] is True and impacts["it_data"]["hit"] is False


def test_the_impact_matrix_has_no_add_or_delete(cast, client, plan):
    scenario = plan.scenarios.first()
    client.force_login(cast.planner)
    assert client.get(f"{base(plan, 'impact', 'matrix')}/new/", **HX).status_code == 404
    resp = client.post(
        f"{base(plan, 'impact', 'matrix')}/{scenario.pk}/delete/", {"version": scenario.version}
    )
    assert resp.status_code == 404
    assert pm.Scenario.objects.filter(pk=scenario.pk).exists()


def test_deleting_a_row_removes_it_and_redraws_the_table(cast, client, plan):
    item = plan.list_items.filter(section="objectives").first()
    client.force_login(cast.planner)
    resp = client.post(
        f"{base(plan, 'objectives', 'objectives')}/{item.pk}/delete/", {"version": item.version}, **HX
    )
    assert resp.status_code == 200
    assert 'id="tbl-objectives-objectives"' in resp.content.decode()
    assert not pm.ListItem.objects.filter(pk=item.pk).exists()


def test_moving_a_row_up_swaps_it_with_the_one_above(cast, client, plan):
    items = list(plan.list_items.filter(section="objectives").order_by("order", "id"))
    client.force_login(cast.planner)
    resp = client.post(
        f"{base(plan, 'objectives', 'objectives')}/{items[1].pk}/move/", {"direction": "up"}, **HX
    )
    assert resp.status_code == 200
    order = list(
        plan.list_items.filter(section="objectives").order_by("order", "id").values_list("pk", flat=True)
    )
    assert order[:2] == [items[1].pk, items[0].pk]


def test_moving_needs_a_direction(cast, client, plan):
    item = plan.list_items.filter(section="objectives").first()
    client.force_login(cast.planner)
    assert client.post(f"{base(plan, 'objectives', 'objectives')}/{item.pk}/move/", **HX).status_code == 400


# -- the call tree -----------------------------------------------------------------------------------------


def test_setting_a_parent_that_makes_a_loop_is_refused(cast, client, plan):
    root = plan.call_tree.filter(parent=None).first()
    child = plan.call_tree.filter(parent=root).first()
    client.force_login(cast.planner)
    url = f"{base(plan, 'calltree', 'nodes')}/{root.pk}/edit/"
    data = {"contact": root.contact_id, "parent": child.pk, "order": 1, "version": root.version}
    resp = client.post(url, data, **HX)
    assert resp.status_code == 422
    assert fresh(root).parent_id is None


def test_saving_a_call_tree_node_redraws_the_whole_tree(cast, client, plan):
    root = plan.call_tree.filter(parent=None).first()
    child = plan.call_tree.filter(parent=root).first()
    client.force_login(cast.planner)
    url = f"{base(plan, 'calltree', 'nodes')}/{child.pk}/edit/"
    data = {
        "contact": child.contact_id,
        "parent": root.pk,
        "backup": "",
        "order": "๓",
        "version": child.version,
    }
    resp = client.post(url, data, **HX)
    assert resp.status_code == 200
    assert resp["HX-Retarget"] == "#tbl-calltree-nodes"
    assert 'class="calltree"' in resp.content.decode()
    assert fresh(child).order == 3


def test_removing_a_person_from_the_tree_moves_the_people_they_call_up(cast, client, plan):
    root = plan.call_tree.filter(parent=None).first()
    middle = plan.call_tree.filter(parent=root, children__isnull=False).distinct().first()
    below = list(middle.children.all())
    client.force_login(cast.planner)
    resp = client.post(
        f"{base(plan, 'calltree', 'nodes')}/{middle.pk}/delete/", {"version": middle.version}, **HX
    )
    assert resp.status_code == 200
    assert not pm.CallTreeNode.objects.filter(pk=middle.pk).exists()
    assert all(fresh(n).parent_id == root.pk for n in below)


# -- the plan's fields and the notes ------------------------------------------------------------------------


def test_the_plans_fields_save_with_thai_digits(cast, client, plan):
    client.force_login(cast.planner)
    data = {"title": plan.title, "fiscal_year": "๒๕๗๐", "absence_percent": "๓๐", "longest_outage_days": "60",
            "alternate_site": "ศาลาประชาคม", "next_review_date": "", "version": plan.version}  # fmt: skip
    resp = client.post(f"/plans/{plan.pk}/edit/general/fields/", {**data, "autosave": "1"}, **HX)
    assert resp.status_code == 200
    plan.refresh_from_db()
    assert (plan.fiscal_year, plan.absence_percent, plan.alternate_site) == (2570, 30, "ศาลาประชาคม")
    assert f'id="general-plan-{plan.pk}-version" value="{plan.version}"' in resp.content.decode()


def test_the_plans_fields_refuse_a_stale_version_with_both_values(cast, client, plan):
    client.force_login(cast.planner)
    old = plan.version
    pm.Plan.objects.filter(pk=plan.pk).update(alternate_site="ที่ว่าการอำเภอ", version=old + 1)
    data = {
        "title": plan.title,
        "fiscal_year": plan.fiscal_year,
        "alternate_site": "ศาลาประชาคม",
        "version": old,
    }
    resp = client.post(f"/plans/{plan.pk}/edit/general/fields/", data)
    assert resp.status_code == 409
    body = resp.content.decode()
    assert "ที่ว่าการอำเภอ" in body and "ศาลาประชาคม" in body
    plan.refresh_from_db()
    assert plan.alternate_site == "ที่ว่าการอำเภอ"


def test_a_note_is_created_on_first_save_then_updated(cast, client, plan):
    pm.PlanText.objects.filter(plan=plan, key="bia_note").delete()
    client.force_login(cast.planner)
    url = f"/plans/{plan.pk}/edit/bia/text/bia_note/"
    resp = client.post(url, {"text": "หมายเหตุ", "version": "", "autosave": "1"}, **HX)
    assert resp.status_code == 200
    note = pm.PlanText.objects.get(plan=plan, key="bia_note")
    assert note.text == "หมายเหตุ"
    resp = client.post(url, {"text": "หมายเหตุใหม่", "version": note.version}, **HX)
    assert resp.status_code == 200
    assert fresh(note).text == "หมายเหตุใหม่"
    # a stale save of the same note: both texts, nothing saved
    resp = client.post(url, {"text": "ของฉัน", "version": note.version})
    assert resp.status_code == 409
    assert "หมายเหตุใหม่" in resp.content.decode() and "ของฉัน" in resp.content.decode()
    assert fresh(note).text == "หมายเหตุใหม่"


def test_a_note_of_another_section_is_404(cast, client, plan):
    client.force_login(cast.planner)
    assert client.post(f"/plans/{plan.pk}/edit/bia/text/team_note/", {"text": "x"}).status_code == 404


# -- who may write ----------------------------------------------------------------------------


def write_requests(plan):
    """(method, url, data) of every write endpoint, on real rows of the plan."""
    process = plan.processes.first()
    node = plan.call_tree.first()
    rows = f"/plans/{plan.pk}/edit/bia/processes/rows"
    return [
        ("get", f"{rows}/{process.pk}/edit/", {}),
        ("post", f"{rows}/{process.pk}/edit/", process_data(process, name="เปลี่ยน")),
        ("get", f"{rows}/new/", {}),
        ("post", f"{rows}/new/", {"name": "ใหม่"}),
        ("post", f"{rows}/{process.pk}/delete/", {"version": process.version}),
        ("post", f"{rows}/{process.pk}/move/", {"direction": "down"}),
        ("post", f"/plans/{plan.pk}/edit/calltree/nodes/rows/{node.pk}/delete/", {"version": node.version}),
        ("post", f"/plans/{plan.pk}/edit/general/fields/", {"title": "x", "fiscal_year": 2570, "version": 1}),
        ("post", f"/plans/{plan.pk}/edit/bia/text/bia_note/", {"text": "x"}),
    ]


def snapshot(plan):
    from plans.bundle import ROW_MODELS

    return (
        list(pm.Plan.objects.filter(pk=plan.pk).values()),
        [list(m.objects.filter(plan=plan).order_by("pk").values()) for m in ROW_MODELS.values()],
    )


def test_a_viewer_may_read_rows_but_every_write_is_403(cast, client, plan, process):
    client.force_login(cast.viewer)
    assert client.get(f"{base(plan, 'bia', 'processes')}/{process.pk}/", **HX).status_code == 200
    before = snapshot(plan)
    for method, url, data in write_requests(plan):
        resp = getattr(client, method)(url, data, **HX)
        assert resp.status_code == 403, (method, url, resp.status_code)
    assert snapshot(plan) == before


@pytest.mark.parametrize("who", ["other_planner", "far_district_officer", "far_planner"])
def test_outsiders_get_404_on_every_row_endpoint(cast, client, plan, process, who):
    client.force_login(getattr(cast, who))
    before = snapshot(plan)
    assert client.get(f"{base(plan, 'bia', 'processes')}/{process.pk}/", **HX).status_code == 404
    for method, url, data in write_requests(plan):
        assert getattr(client, method)(url, data, **HX).status_code == 404, (method, url)
    assert snapshot(plan) == before


def test_an_overseer_reads_but_cannot_write(cast, client, plan, process):
    client.force_login(cast.district_officer)
    assert client.get(f"{base(plan, 'bia', 'processes')}/{process.pk}/", **HX).status_code == 200
    for method, url, data in write_requests(plan):
        assert getattr(client, method)(url, data, **HX).status_code == 403, (method, url)


def test_a_plan_in_review_refuses_every_edit(cast, client, plan, process):
    pm.Plan.objects.filter(pk=plan.pk).update(status=pm.Status.IN_REVIEW)
    client.force_login(cast.planner)
    before = snapshot(plan)
    for method, url, data in write_requests(plan):
        if method == "get":
            continue
        resp = getattr(client, method)(url, data, **HX)
        assert resp.status_code == 409, (url, resp.status_code)
    assert snapshot(plan) == before
    resp = client.post(
        f"{base(plan, 'bia', 'processes')}/{process.pk}/edit/", process_data(process, name="x")
    )
    assert "แก้ไขไม่ได้อีก" in resp.content.decode()
    assert 'value="x"' in resp.content.decode()  # what the user typed is still there


@pytest.mark.parametrize(
    ("method", "suffix"),
    [("get", "delete/"), ("get", "move/"), ("put", "edit/"), ("delete", "edit/"), ("put", "")],
)
def test_wrong_methods_are_405(cast, client, plan, process, method, suffix):
    client.force_login(cast.planner)
    url = f"{base(plan, 'bia', 'processes')}/{process.pk}/{suffix}"
    assert getattr(client, method)(url).status_code == 405


def test_the_fields_and_notes_endpoints_reject_get(cast, client, plan):
    client.force_login(cast.planner)
    assert client.get(f"/plans/{plan.pk}/edit/general/fields/").status_code == 405
    assert client.get(f"/plans/{plan.pk}/edit/bia/text/bia_note/").status_code == 405


def test_adding_a_person_to_the_call_tree_redraws_the_tree(cast, client, plan):
    contact = pm.Contact.objects.create(plan=plan, name="นางสาวใหม่ เข้าทีม", phone="0812223333")
    root = plan.call_tree.filter(parent=None).first()
    client.force_login(cast.planner)
    url = f"{base(plan, 'calltree', 'nodes')}/new/"
    form = client.get(url, **HX).content.decode()
    assert f'<option value="{contact.pk}">' in form
    resp = client.post(url, {"contact": contact.pk, "parent": root.pk, "order": "๙"}, **HX)
    assert resp.status_code == 200
    assert resp["HX-Retarget"] == "#tbl-calltree-nodes"
    node = plan.call_tree.get(contact=contact)
    assert (node.parent_id, node.order) == (root.pk, 9)
    assert f'id="calltree-calltreenode-{node.pk}"' in resp.content.decode()


def test_opening_a_form_on_a_plan_no_longer_a_draft_says_why_without_touching_the_page(cast, client, plan):
    process = plan.processes.first()
    pm.Plan.objects.filter(pk=plan.pk).update(status=pm.Status.IN_REVIEW)
    client.force_login(cast.planner)
    for url in (
        f"{base(plan, 'bia', 'processes')}/{process.pk}/edit/",
        f"{base(plan, 'bia', 'processes')}/new/",
    ):
        resp = client.get(url, **HX)
        assert resp.status_code == 409
        assert resp["HX-Reswap"] == "none"
        assert "phrom:alert" in resp["HX-Trigger"]
