"""What changed between two versions of a plan (plans.diff)."""

from __future__ import annotations

import pytest

from plans import actions, checks, lifecycle
from plans import models as pm
from plans.diff import DELETE, EQUAL, INSERT, diff_exports, diff_plans, text_diff, tokens
from plans.portability import export_plan, start_revision


def section(result, key):
    return next(s for s in result.sections if s.key == key)


# -- Thai text -------------------------------------------------------------------------------


def test_thai_is_split_into_clusters_not_code_points():
    # เ travels with ก; the tone mark ่ and the vowel า stay with their consonant.
    assert tokens("เก่ากว่า") == ["เก่า", "ก", "ว่า"]
    assert tokens("ทีม A/B 2 ทีม") == ["ที", "ม", " ", "A/B", " ", "2", " ", "ที", "ม"]


def test_an_inserted_thai_phrase_is_marked_as_one_insertion():
    old_segs, new_segs = text_diff(
        "ให้บุคลากรปฏิบัติงานจากที่บ้าน", "ให้บุคลากรทุกคนปฏิบัติงานจากที่บ้าน"
    )  # fmt: skip
    assert old_segs == [(EQUAL, "ให้บุคลากรปฏิบัติงานจากที่บ้าน")] or all(op == EQUAL for op, _ in old_segs)
    assert [s for s in new_segs if s[0] == INSERT] == [(INSERT, "ทุกคน")]
    assert "".join(t for _op, t in new_segs) == "ให้บุคลากรทุกคนปฏิบัติงานจากที่บ้าน"


def test_a_replaced_thai_word_is_deleted_on_one_side_and_inserted_on_the_other():
    old_segs, new_segs = text_diff("ย้ายไปทำงานที่ศาลาประชาคม", "ย้ายไปทำงานที่อำเภอ")
    assert (DELETE, "ศาลาประชาคม") in old_segs
    assert (INSERT, "อำเภอ") in new_segs
    assert "".join(t for _op, t in old_segs) == "ย้ายไปทำงานที่ศาลาประชาคม"


def test_a_tone_mark_change_never_splits_a_cluster():
    old_segs, new_segs = text_diff("ไข่ไก่", "ไข้ไก่")
    assert (DELETE, "ไข่") in old_segs
    assert (INSERT, "ไข้") in new_segs


def test_tiny_unchanged_islands_are_folded_into_the_change():
    _old, new_segs = text_diff("กขคงจฉชซ", "กขกงจขชซ")
    inserted = [t for op, t in new_segs if op == INSERT]
    assert len(inserted) == 1


# -- structure ------------------------------------------------------------------------------


def make_plan(org, by, *, rto="d1", channel="", extra_step=False, objective="เพื่อให้บริการประชาชนอย่างต่อเนื่อง"):
    plan = actions.create_plan(org, by=by, title="แผน BCP", fiscal_year_be=2569)

    def add(model, **values):
        return actions.add_row(plan, model, values=values, by=by)

    add(pm.ListItem, section="objectives", text=objective)
    add(pm.ListItem, section="objectives", text="เพื่อคุ้มครองบุคลากร")
    chief = add(pm.Contact, name="นายสมชาย ใจดี", phone="0812345678")
    add(pm.TeamRole, title="หัวหน้าทีม", primary=chief)
    add(pm.Process, name="จัดเก็บภาษี", impact="high", rto=rto, channel_type=channel)
    add(pm.Process, name="เบี้ยยังชีพผู้สูงอายุ", impact="very_high", rto="d1")
    add(pm.Resource, resource_type="personnel", name="เจ้าหน้าที่กองคลัง", q_h4=1, q_d1=2)
    add(pm.ProcedureStep, phase="immediate", text="แจ้งหัวหน้าทีม")
    if extra_step:
        add(pm.ProcedureStep, phase="long", text="จัดตารางหมุนเวียนทีม A/B")
    plan.refresh_from_db()
    return plan


def test_two_identical_plans_have_no_changes(cast):
    a = make_plan(cast.lgo, cast.planner)
    b = make_plan(cast.lgo, cast.planner)
    assert diff_plans(a, b).identical


def test_a_changed_field_of_a_matched_row_is_reported_with_its_labels(cast):
    a = make_plan(cast.lgo, cast.planner)
    b = make_plan(cast.lgo, cast.planner, rto="w1", channel="line")
    result = diff_plans(a, b)
    bia = section(result, "processes")
    assert [s.key for s in result.changed_sections] == ["processes"]
    (row,) = bia.rows
    assert (row.change, row.label) == ("changed", "จัดเก็บภาษี")
    by_name = {f.name: f for f in row.fields}
    assert set(by_name) == {"rto", "channel_type"}
    assert (by_name["rto"].old, by_name["rto"].new) == ("1 วัน", "1 สัปดาห์")
    assert by_name["channel_type"].old == "—"


def test_added_and_removed_rows_are_reported_in_their_section(cast):
    a = make_plan(cast.lgo, cast.planner)
    b = make_plan(cast.lgo, cast.planner, extra_step=True)
    forward = section(diff_plans(a, b), "procedures")
    assert [(r.change, r.label) for r in forward.rows] == [("added", "จัดตารางหมุนเวียนทีม A/B")]
    backward = section(diff_plans(b, a), "procedures")
    assert [r.change for r in backward.rows] == ["removed"]


def test_an_edited_list_item_is_a_change_not_a_removal_and_an_addition(cast):
    a = make_plan(cast.lgo, cast.planner)
    b = make_plan(cast.lgo, cast.planner, objective="เพื่อให้บริการประชาชนทุกกลุ่มอย่างต่อเนื่อง")
    objectives = section(diff_plans(a, b), "objectives")
    (row,) = objectives.rows
    assert row.change == "changed"
    (field,) = row.fields
    assert (INSERT, "ทุกกลุ่ม") in field.new_segments


def test_resources_are_compared_per_table_of_the_opdc_form(cast):
    a = make_plan(cast.lgo, cast.planner)
    b = make_plan(cast.lgo, cast.planner)
    r = pm.Resource.objects.get(plan=b)
    actions.update_row(r, expected_version=r.version, values={"q_d1": 3}, by=cast.planner)
    result = diff_plans(a, b)
    (changed,) = result.changed_sections
    assert changed.key == "resources/personnel"
    assert changed.title.startswith("ตารางที่ 7")
    assert changed.editor_section == "resources"


def test_team_roles_compare_people_by_name_not_by_ref(cast):
    a = make_plan(cast.lgo, cast.planner)
    b = make_plan(cast.lgo, cast.planner)
    # A contact added before the chief shifts every ref (c1 -> c2) without changing the team.
    first = pm.Contact.objects.filter(plan=b).first()
    actions.move_row(actions.add_row(b, pm.Contact, values={"name": "นางใหม่ มาก่อน"}, by=cast.planner),
                     up=True, by=cast.planner)  # fmt: skip
    assert pm.Contact.objects.filter(plan=b).order_by("order", "id").first() != first
    result = diff_plans(a, b)
    assert not section(result, "team").changed
    assert section(result, "contacts").added == 1


def test_a_plans_own_fields_and_texts_are_compared(cast):
    a = make_plan(cast.lgo, cast.planner)
    b = make_plan(cast.lgo, cast.planner)
    actions.update_plan(b, expected_version=b.version, values={"absence_percent": 40}, by=cast.planner)
    actions.add_row(b, pm.PlanText, values={"key": "introduction", "text": "บทนำใหม่"}, by=cast.planner)
    general = section(diff_plans(a, b), "general")
    names = {f.name: f for f in general.fields}
    assert names["plan.absence_percent"].new == "40"
    assert names["texts.introduction"].label == "บทนำ"


def test_an_approved_plan_is_compared_by_its_snapshot(cast, monkeypatch):
    monkeypatch.setattr(checks, "run_checks", lambda plan_or_bundle: checks.CheckResult([]))
    a = make_plan(cast.lgo, cast.planner)
    lifecycle.approve(a, by=cast.approver)
    b = start_revision(a, by=cast.planner)
    p = pm.Process.objects.get(plan=b, name="จัดเก็บภาษี")
    actions.update_row(p, expected_version=p.version, values={"rto": "h4"}, by=cast.planner)
    # Were a row of the approved plan changed behind the actions' back, the diff shows what was approved.
    pm.Process.objects.filter(plan=a).update(notes="แก้ไขลับ")
    result = diff_plans(a, b)
    (row,) = section(result, "processes").rows
    assert [f.name for f in row.fields] == ["rto"]


def test_a_generic_export_shape_is_understood():
    old = {"plan": {"title": "ก"}, "things": [{"name": "หนึ่ง", "x": 1}, {"name": "สอง", "x": 2}]}
    new = {"plan": {"title": "ข"}, "things": [{"name": "สอง", "x": 3}, {"name": "สาม", "x": 1}]}
    result = {s.key: s for s in diff_exports(old, new)}
    assert [f.name for f in result["general"].fields] == ["plan.title"]
    rows = [(r.change, r.label) for r in result["things"].rows]
    assert sorted(rows) == sorted([("removed", "หนึ่ง"), ("changed", "สอง"), ("added", "สาม")])


@pytest.mark.parametrize("status", ["approved", "superseded"])
def test_export_of_uses_the_snapshot_of_frozen_versions(cast, status):
    from plans.diff import export_of

    plan = make_plan(cast.lgo, cast.planner)
    pm.Plan.objects.filter(pk=plan.pk).update(status=status, snapshot={"plan": {"title": "ที่อนุมัติ"}})
    plan.refresh_from_db()
    assert export_of(plan) == {"plan": {"title": "ที่อนุมัติ"}}
    plan.status = "draft"
    assert export_of(plan) == export_plan(plan)
