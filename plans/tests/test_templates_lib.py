"""Starting a plan from the template library (plans.templates_lib, plans/library/)."""

from __future__ import annotations

import time

import pytest

from audit.models import AuditEvent
from orgs.actions import create_organization
from orgs.models import Kind
from phrom.lib.thai import is_valid_thai_phone
from plans.checks import run_checks
from plans.library import FAMILY_BY_KIND, library_for
from plans.models import (
    WINDOW_HOURS,
    CallTreeNode,
    Contact,
    Impact,
    Mission,
    Phase,
    Plan,
    ProcedureStep,
    Process,
    Resource,
    ResourceType,
    Scenario,
    ScenarioKind,
    Status,
    Strategy,
    TeamRole,
    Unit,
    Window,
)
from plans.templates_lib import ensure_units, start_from_template

# The only errors a fresh template may leave: the people the planner must name.
PEOPLE_RULES = {
    "contacts.placeholder",
    "contacts.phone",
    "team.phone",
    "team.primary",
    "team.backup",
    "calltree.reaches_team",
}
QUANTITIES = ("q_h4", "q_d1", "q_w1", "q_w2", "q_m1")


@pytest.fixture
def town(cast):
    """A เทศบาลเมือง in the home district (the cast has none)."""
    return create_organization(
        kind=Kind.TOWN_MUNICIPALITY, name_th="เทศบาลเมืองตัวอย่าง", parent=cast.district, dla_code="4540199"
    )


@pytest.fixture
def pao(cast):
    return create_organization(
        kind=Kind.PAO, name_th="องค์การบริหารส่วนจังหวัดตัวอย่าง", parent=cast.district, dla_code="2540199"
    )


def rows(plan, model, **filters):
    return list(model.objects.filter(plan=plan, **filters).order_by("order", "id"))


# -- units -----------------------------------------------------------------------------------


def test_ensure_units_creates_the_default_units_of_an_sao_once(cast):
    first = ensure_units(cast.lgo, by=cast.planner)
    again = ensure_units(cast.lgo, by=cast.planner)

    assert [u.name_th for u in first] == ["สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา ศาสนาและวัฒนธรรม"]
    assert [u.pk for u in again] == [u.pk for u in first]
    assert AuditEvent.objects.filter(action="org.units.default", organization=cast.lgo).count() == 1


def test_ensure_units_gives_a_municipality_health_and_welfare_units(town):
    names = [u.name_th for u in ensure_units(town)]

    assert "กองสาธารณสุขและสิ่งแวดล้อม" in names and "กองสวัสดิการสังคม" in names


def test_ensure_units_keeps_the_units_an_organization_already_has(cast):
    Unit.objects.create(org=cast.lgo, name_th="สำนักปลัด", order=1)

    assert [u.name_th for u in ensure_units(cast.lgo)] == ["สำนักปลัด"]


# -- the whole plan --------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["sao", "town", "pao"])
def test_the_template_leaves_only_errors_about_people(cast, town, pao, which):
    org = {"sao": cast.lgo, "town": town, "pao": pao}[which]

    plan = start_from_template(org, by=cast.planner)

    errors = {i.rule for i in run_checks(plan).errors}
    assert errors, "the placeholders must still be reported"
    assert errors <= PEOPLE_RULES, errors - PEOPLE_RULES


def test_it_creates_a_draft_plan_and_records_it(cast):
    plan = start_from_template(cast.lgo, by=cast.planner)

    assert plan.status == Status.DRAFT and plan.created_by == cast.planner
    assert (plan.absence_percent, plan.longest_outage_days) == (30, 60)
    assert plan.alternate_site and "{" not in plan.alternate_site
    assert AuditEvent.objects.filter(
        action="plan.start_from_template", organization=cast.lgo, object_id=str(plan.pk)
    ).exists()


def test_a_second_plan_is_the_next_revision(cast):
    first = start_from_template(cast.lgo, by=cast.planner)
    second = start_from_template(cast.lgo, by=cast.planner)

    assert (first.revision, second.revision) == (1, 2)
    assert Unit.objects.filter(org=cast.lgo).count() == 4


def test_it_is_fast(cast, django_assert_max_num_queries):
    start = time.perf_counter()
    with django_assert_max_num_queries(40):
        start_from_template(cast.lgo, by=cast.planner)
    assert time.perf_counter() - start < 1.0


def test_no_text_keeps_an_unfilled_field(cast):
    plan = start_from_template(cast.lgo, by=cast.planner)

    texts = [i.text for i in plan.list_items.all()] + [t.text for t in plan.texts.all()]
    texts += [s.text for s in rows(plan, Strategy)] + [s.text for s in rows(plan, ProcedureStep)]
    texts += [a.text for a in plan.annexes.all()]
    assert not [t for t in texts if "{" in t or "}" in t]
    assert any("องค์การบริหารส่วนตำบลป่าแดง" in t for t in texts)


# -- coherence -------------------------------------------------------------------------------


def test_the_core_scenarios_and_haze_and_cyber_are_in_scope(cast):
    plan = start_from_template(cast.lgo, by=cast.planner)

    kinds = {s.kind for s in rows(plan, Scenario, in_scope=True)}
    assert kinds == {"flood", "fire", "epidemic", "protest", "haze", "cyber"}


def test_every_resource_type_hit_in_table_1_has_a_strategy_and_resources(cast):
    plan = start_from_template(cast.lgo, by=cast.planner)

    hit = {t for s in rows(plan, Scenario) for t in ResourceType.values if s.hits(t)}
    general = {s.resource_type for s in rows(plan, Strategy, scenario=None)}
    listed = {r.resource_type for r in rows(plan, Resource)}
    assert hit == set(ResourceType.values)
    assert hit <= general and hit <= listed


def test_resource_quantities_never_decrease(cast, town, pao):
    for org in (cast.lgo, cast.lgo_same_district, town, pao):
        plan = start_from_template(org, by=cast.planner)
        for r in rows(plan, Resource):
            q = [getattr(r, f) for f in QUANTITIES]
            assert None not in q and q == sorted(q), (org, r.name, q)


def test_personnel_rows_are_per_unit_and_hold_with_30_percent_absent(town):
    plan = start_from_template(town, by=None)

    personnel = rows(plan, Resource, resource_type=ResourceType.PERSONNEL)
    assert [r.name for r in personnel] == [f"บุคลากร{u.name_th}" for u in Unit.objects.filter(org=town)]
    for kind in FAMILY_BY_KIND:
        for unit in library_for(kind).units:
            assert unit["need"][-1] * 100 <= unit["staff"] * 70, (kind, unit["key"])


def test_every_phase_has_steps_with_a_responsible_role(cast):
    plan = start_from_template(cast.lgo, by=cast.planner)

    steps = rows(plan, ProcedureStep)
    assert {s.phase for s in steps if s.scenario_id is None} == set(Phase.values)
    assert all(s.responsible_id for s in steps)
    epidemic = Scenario.objects.get(plan=plan, kind=ScenarioKind.EPIDEMIC)
    assert any(s.phase == Phase.LONG and s.scenario_id == epidemic.pk for s in steps)


def test_impact_and_rto_agree_in_every_library_process():
    for kind in FAMILY_BY_KIND:
        for p in library_for(kind).processes:
            rto, mtpd = WINDOW_HOURS[Window(p["rto"])], WINDOW_HOURS[Window(p["mtpd"])]
            if p["impact"] == Impact.VERY_HIGH:
                assert rto <= WINDOW_HOURS[Window.D1], p["name"]
            if p["impact"] == Impact.LOW:
                assert rto >= WINDOW_HOURS[Window.W1], p["name"]
            assert mtpd >= rto, p["name"]


def test_every_public_service_process_has_an_alternative_channel(cast, town):
    for org in (cast.lgo, town):
        plan = start_from_template(org, by=cast.planner)
        public = rows(plan, Process, mission=Mission.PUBLIC_SERVICE)
        assert public and all(p.channel_type and p.channel_detail for p in public)
        assert rows(plan, Process, mission=Mission.GENERAL)


def test_civil_registration_is_only_for_municipalities_with_a_registration_office(cast, town):
    def names(org):
        return {p.name for p in rows(start_from_template(org, by=cast.planner), Process)}

    registration = "ทะเบียนราษฎรและบัตรประจำตัวประชาชน (สำนักทะเบียนท้องถิ่น)"
    assert registration in names(town)
    assert registration not in names(cast.lgo)
    assert registration not in names(cast.lgo_same_district)  # a เทศบาลตำบล


def test_processes_belong_to_the_organizations_own_units(cast):
    for i, name in enumerate(["สำนักปลัด อบต.", "กองคลัง", "กองช่าง"], 1):
        Unit.objects.create(org=cast.lgo, name_th=name, order=i)

    plan = start_from_template(cast.lgo, by=cast.planner)

    assert {p.unit for p in rows(plan, Process)} == {"สำนักปลัด อบต.", "กองคลัง", "กองช่าง"}
    titles = [r.title for r in rows(plan, TeamRole)]
    assert titles == [
        "หัวหน้าทีมบริหารความต่อเนื่อง",
        "ผู้ประสานงานทีมบริหารความต่อเนื่อง",
        "หัวหน้าทีมงานสำนักปลัด อบต.",
        "หัวหน้าทีมงานกองคลัง",
        "หัวหน้าทีมงานกองช่าง",
        "ทีมงานเทคโนโลยีสารสนเทศ",
    ]


# -- people ----------------------------------------------------------------------------------


def test_people_are_placeholders_the_planner_must_fill(cast):
    plan = start_from_template(cast.lgo, by=cast.planner)

    roles = rows(plan, TeamRole)
    people = Contact.objects.in_bulk([pk for r in roles for pk in (r.primary_id, r.backup_id)])
    assert len(people) == 2 * len(roles)
    assert all(c.name.startswith("ระบุชื่อ") and not c.phone for c in people.values())
    assert all(r.duties for r in roles)


def test_the_call_tree_reaches_every_placeholder_once(cast):
    plan = start_from_template(cast.lgo, by=cast.planner)

    nodes = rows(plan, CallTreeNode)
    roots = [n for n in nodes if n.parent_id is None]
    team = {pk for r in rows(plan, TeamRole) for pk in (r.primary_id, r.backup_id)}
    assert len(roots) == 1 and roots[0].contact_id == rows(plan, TeamRole)[0].primary_id
    assert sorted(n.contact_id for n in nodes) == sorted(team)


def test_external_contacts_have_valid_numbers_in_phrae(cast):
    plan = start_from_template(cast.lgo, by=cast.planner)

    external = rows(plan, Contact, kind="external")
    assert {"191", "199", "1669", "1784"} <= {c.phone for c in external}
    assert all(is_valid_thai_phone(c.phone) for c in external)
    assert any(c.name == "ที่ว่าการอำเภอเมืองแพร่" for c in external)


def test_external_contacts_elsewhere_ask_for_local_numbers(cast):
    plan = start_from_template(cast.lgo_other_province, by=cast.far_planner)

    blank = [c for c in rows(plan, Contact, kind="external") if not c.phone]
    assert blank and all(c.notes for c in blank)
    assert Plan.objects.get(pk=plan.pk).org == cast.lgo_other_province
