"""The plan checker: every rule fires when (and only when) its one thing is broken.

Each test starts from make_complete_plan (no issues at all), breaks exactly one thing in the loaded
bundle (what the checker reads) and asserts that exactly that rule fires, with its severity,
section and the anchor of the field to fix.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from plans import actions
from plans.bundle import ROW_MODELS, load_bundle
from plans.checks import (
    ERROR,
    ERROR_CAP,
    RULES,
    SECTIONS,
    WARNING,
    has_alternative_channel,
    rules_markdown,
    run_checks,
)
from plans.models import CallTreeNode, ListSection, Phase, Process, ScenarioKind, Strategy, TeamRole
from plans.tests.factories import make_complete_plan, make_large_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(cast):
    return make_complete_plan(cast.lgo, by=cast.planner)


@pytest.fixture
def b(plan):
    """The loaded complete plan; tests break it in memory, as the checker would read it."""
    return load_bundle(plan)


def fired(result) -> set[str]:
    return {i.rule for i in result.issues}


def only(result, rule_id: str, *, anchor: str | None = None, section: str | None = None, count: int = 1):
    """Exactly `rule_id` fired, `count` times, with the rule's severity and section; the first issue."""
    assert fired(result) == {rule_id}, (
        result.explain_text() + "\n" + "\n".join(i.message for i in result.issues)
    )
    assert len(result.issues) == count, [i.message for i in result.issues]
    issue = result.issues[0]
    assert issue.severity == RULES[rule_id].severity
    assert issue.section == (section or RULES[rule_id].section)
    if anchor is not None:
        assert issue.anchor == anchor
    assert issue.url.endswith(f"/edit/{issue.section}/#{issue.anchor}")
    assert issue.message
    return issue


def scenario(b, kind):
    return next(s for s in b.scenarios if s.kind == kind)


def resource(b, resource_type):
    return next(r for r in b.resources if r.resource_type == resource_type)


def internal_contacts(b):
    return [c for c in b.contacts if c.kind == "internal"]


def node_of(b, contact):
    return next(n for n in b.call_tree if n.contact_id == contact.pk)


# -- the complete plan and the result object ----------------------------------------------------


def test_the_complete_plan_has_no_issues_and_full_marks(b):
    result = run_checks(b)
    assert result.issues == []
    assert result.ok
    assert result.score == 100
    assert set(result.section_scores.values()) == {100}
    assert result.explain() == []


def test_the_large_plan_has_no_issues(cast):
    plan = make_large_plan(cast.lgo, by=cast.planner)
    bundle = load_bundle(plan)
    assert (len(bundle.processes), len(internal_contacts(bundle)), len(bundle.procedure_steps)) == (
        60,
        80,
        200,
    )
    assert run_checks(bundle).issues == []


def test_it_loads_the_plan_when_given_a_plan(plan):
    plan.absence_percent = None
    plan.save(update_fields=["absence_percent"])
    assert fired(run_checks(plan)) == {"general.absence"}


def test_a_break_saved_through_the_actions_is_found(plan, cast):
    role = TeamRole.objects.filter(plan=plan).order_by("order").first()
    actions.update_row(role, expected_version=role.version, values={"backup": None}, by=cast.planner)
    only(run_checks(plan), "team.backup", anchor=f"team-teamrole-{role.pk}-backup")


def test_errors_lower_the_score_and_the_explanation_names_the_rules(b):
    b.plan.absence_percent = None
    b.team_roles[0].duties = ""
    result = run_checks(b)
    assert not result.ok
    assert [i.rule for i in result.errors] == ["general.absence"]
    assert [i.rule for i in result.warnings] == ["team.duties"]
    total = sum(r.points for r in RULES.values())
    lost = RULES["general.absence"].points + RULES["team.duties"].points
    assert result.score == min(round(100 * (total - lost) / total), ERROR_CAP)  # an error caps it
    b.plan.absence_percent = 30
    only_warning = run_checks(b)
    assert only_warning.score == round(100 * (total - RULES["team.duties"].points) / total) < 100
    b.plan.absence_percent = None
    assert [(c.rule, c.points, c.issues) for c in result.explain()] == [
        ("general.absence", RULES["general.absence"].points, 1),
        ("team.duties", RULES["team.duties"].points, 1),
    ]
    assert "general.absence" in result.explain_text() and "team.duties" in result.explain_text()
    assert result.section_scores["general"] < 100 and result.section_scores["team"] < 100
    assert result.section_scores["bia"] == 100


def test_a_rule_costs_its_points_once_however_often_it_fires(b):
    b.team_roles[0].duties = b.team_roles[1].duties = ""
    one = run_checks(b).score
    b.team_roles[2].duties = ""
    result = run_checks(b)
    assert result.score == one
    assert result.explain()[0].issues == 3


def test_issues_of_a_row_can_be_picked_by_its_anchor(b):
    role = b.team_roles[1]
    role.duties = ""
    role.backup_id = None
    result = run_checks(b)
    assert {i.rule for i in result.for_anchor_prefix(f"team-teamrole-{role.pk}")} == {
        "team.backup",
        "team.duties",
    }
    assert {i.rule for i in result.for_section("team")} == {"team.backup", "team.duties"}


# -- general -----------------------------------------------------------------------------------


def test_general_title_fires_without_a_title(b):
    b.plan.title = " "
    only(run_checks(b), "general.title", anchor=f"general-plan-{b.plan.pk}-title")


@pytest.mark.parametrize("year", [None, 2026, 3000])
def test_general_fiscal_year_fires_on_a_missing_or_christian_era_year(b, year):
    b.plan.fiscal_year = year
    issue = only(run_checks(b), "general.fiscal_year", anchor=f"general-plan-{b.plan.pk}-fiscal_year")
    if year == 2026:
        assert "2569" in issue.message


def test_general_absence_fires_without_an_absence_assumption(b):
    b.plan.absence_percent = None
    only(run_checks(b), "general.absence", anchor=f"general-plan-{b.plan.pk}-absence_percent")


def test_general_next_review_warns_without_a_date(b):
    b.plan.next_review_date = None
    only(run_checks(b), "general.next_review", anchor=f"general-plan-{b.plan.pk}-next_review_date")


def test_general_alternate_site_warns_when_a_scenario_hits_the_building(b):
    b.plan.alternate_site = ""
    only(run_checks(b), "general.alternate_site", anchor=f"general-plan-{b.plan.pk}-alternate_site")


def test_general_alternate_site_is_not_needed_when_no_scenario_hits_the_building(b):
    b.plan.alternate_site = ""
    for s in b.scenarios:
        s.impacts["building"]["hit"] = False
    b.resources = [r for r in b.resources if r.resource_type != "building"]
    assert run_checks(b).issues == []


def test_general_epidemic_review_warns_until_the_review_is_done(b):
    b.plan.epidemic_reviewed_at = None
    only(run_checks(b), "general.epidemic_review", anchor=f"general-plan-{b.plan.pk}-epidemic_review")


# -- objectives, assumptions -------------------------------------------------------------------


def test_objectives_count_fires_with_one_objective(b):
    first = b.items(ListSection.OBJECTIVES)[0]
    b.list_items = [i for i in b.list_items if i.section != ListSection.OBJECTIVES or i is first]
    only(run_checks(b), "objectives.count", anchor="tbl-objectives-objectives")


def test_assumptions_present_fires_without_assumptions(b):
    b.list_items = [i for i in b.list_items if i.section != ListSection.ASSUMPTIONS]
    only(run_checks(b), "assumptions.present", anchor="tbl-assumptions-assumptions")


# -- scope and impact --------------------------------------------------------------------------


def test_scope_epidemic_fires_when_the_epidemic_is_out_of_scope(b):
    epidemic = scenario(b, ScenarioKind.EPIDEMIC)
    epidemic.in_scope = False
    only(run_checks(b), "scope.epidemic", anchor=f"scope-scenario-{epidemic.pk}-in_scope")


def test_scope_epidemic_fires_without_an_epidemic_scenario(b):
    b.scenarios = [s for s in b.scenarios if s.kind != ScenarioKind.EPIDEMIC]
    only(run_checks(b), "scope.epidemic", anchor="tbl-scope-scenarios")


def test_scope_core_warns_when_a_core_scenario_is_missing(b):
    b.scenarios = [s for s in b.scenarios if s.kind != ScenarioKind.FLOOD]
    only(run_checks(b), "scope.core", anchor="tbl-scope-scenarios")


def test_scope_core_accepts_a_core_scenario_marked_out_of_scope(b):
    scenario(b, ScenarioKind.FLOOD).in_scope = False
    assert run_checks(b).issues == []


def test_impact_hits_warns_when_a_scenario_hits_nothing(b):
    fire = scenario(b, ScenarioKind.FIRE)
    fire.impacts = {}
    only(run_checks(b), "impact.hits", anchor=f"impact-scenario-{fire.pk}")


# -- contacts and team -------------------------------------------------------------------------


def test_contacts_phone_fires_when_a_staff_member_has_no_mobile(b):
    outside_team = internal_contacts(b)[-1]  # the seventh person is in the call tree, not the team
    outside_team.phone = "054 511 411"  # a landline: staff need a mobile
    only(run_checks(b), "contacts.phone", anchor=f"contacts-contact-{outside_team.pk}-phone")


def test_contacts_phone_fires_when_an_external_number_is_not_thai(b):
    police = next(c for c in b.contacts if c.kind == "external")
    police.phone = "911"
    only(run_checks(b), "contacts.phone", anchor=f"contacts-contact-{police.pk}-phone")


def test_contacts_phone_accepts_emergency_short_codes_and_thai_digits(b):
    externals = [c for c in b.contacts if c.kind == "external"]
    externals[0].phone, externals[1].phone = "๑๗๘๔", "199"
    internal_contacts(b)[-1].phone = "+66 81 234 5678"
    assert run_checks(b).issues == []


def test_team_leader_fires_without_a_leader_role(b):
    b.team_roles[0].title = "ผู้ดูแลระบบ"
    only(run_checks(b), "team.leader", anchor="tbl-team-roles")


def test_team_primary_fires_when_a_role_has_no_primary(b):
    role = b.team_roles[1]
    role.primary_id = None
    only(run_checks(b), "team.primary", anchor=f"team-teamrole-{role.pk}-primary")


def test_team_backup_fires_when_a_role_has_no_backup(b):
    role = b.team_roles[2]
    role.backup_id = None
    only(run_checks(b), "team.backup", anchor=f"team-teamrole-{role.pk}-backup")


def test_team_backup_fires_when_the_backup_is_the_primary(b):
    role = b.team_roles[2]
    role.backup_id = role.primary_id
    only(run_checks(b), "team.backup", anchor=f"team-teamrole-{role.pk}-backup")


def test_team_phone_fires_for_a_team_member_without_a_phone_and_points_to_the_contact(b):
    backup = b.contacts_by_id[b.team_roles[1].backup_id]
    backup.phone = "ไม่มี"
    issue = only(
        run_checks(b), "team.phone", anchor=f"contacts-contact-{backup.pk}-phone", section="contacts"
    )
    assert issue.row_id == backup.pk and issue.field == "phone"


def test_team_duties_warns_when_a_role_has_no_duties(b):
    role = b.team_roles[0]
    role.duties = ""
    only(run_checks(b), "team.duties", anchor=f"team-teamrole-{role.pk}-duties")


# -- call tree ---------------------------------------------------------------------------------


def test_calltree_root_fires_when_two_people_are_called_by_nobody(b):
    node = node_of(b, internal_contacts(b)[-1])
    node.parent_id = None
    only(run_checks(b), "calltree.root", anchor=f"calltree-calltreenode-{node.pk}-parent")


def test_an_empty_call_tree_has_no_root_and_reaches_nobody(b):
    b.call_tree = []
    result = run_checks(b)
    assert fired(result) == {"calltree.root", "calltree.reaches_team"}
    assert next(i for i in result.issues if i.rule == "calltree.root").anchor == "tbl-calltree-nodes"


def test_calltree_cycle_fires_on_a_loop(b):
    node = node_of(b, internal_contacts(b)[-1])  # outside the team: only the loop is wrong
    node.parent_id = node.pk
    only(run_checks(b), "calltree.cycle", anchor=f"calltree-calltreenode-{node.pk}-parent")


def test_a_loop_cuts_off_the_people_below_it(b):
    people = internal_contacts(b)
    one, four = node_of(b, people[1]), node_of(b, people[4])
    assert four.parent_id == one.pk
    one.parent_id = four.pk
    result = run_checks(b)
    assert fired(result) == {"calltree.cycle", "calltree.reaches_team"}
    assert len([i for i in result.issues if i.rule == "calltree.cycle"]) == 1


def test_calltree_once_fires_when_a_person_is_called_twice(b):
    root = next(n for n in b.call_tree if n.parent_id is None)
    again = CallTreeNode(pk=10**9, plan=b.plan, contact_id=internal_contacts(b)[3].pk, parent_id=root.pk)
    b.call_tree.append(again)
    only(run_checks(b), "calltree.once", anchor=f"calltree-calltreenode-{again.pk}-contact")


def test_calltree_reaches_team_fires_when_a_team_member_is_left_out(b):
    backup = b.contacts_by_id[b.team_roles[2].backup_id]
    b.call_tree = [n for n in b.call_tree if n.contact_id != backup.pk]
    issue = only(run_checks(b), "calltree.reaches_team", anchor="tbl-calltree-nodes")
    assert backup.name in issue.message


# -- business impact analysis ------------------------------------------------------------------


@pytest.mark.parametrize("field", ["impact", "rto"])
def test_bia_impact_rto_fires_without_an_impact_or_rto(b, field):
    process = b.processes[0]
    setattr(process, field, "")
    only(run_checks(b), "bia.impact_rto", anchor=f"bia-process-{process.pk}-{field}")


def test_bia_coherence_warns_on_a_very_high_impact_that_waits_a_week(b):
    process = b.processes[0]
    process.impact, process.rto = "very_high", "w1"
    only(run_checks(b), "bia.coherence", anchor=f"bia-process-{process.pk}-rto")


def test_bia_coherence_warns_on_a_low_impact_due_in_a_day(b):
    process = b.processes[3]
    process.impact, process.rto = "low", "d1"
    only(run_checks(b), "bia.coherence", anchor=f"bia-process-{process.pk}-rto")


def test_bia_unit_warns_without_a_unit(b):
    process = b.processes[2]
    process.unit = ""
    only(run_checks(b), "bia.unit", anchor=f"bia-process-{process.pk}-unit")


def test_bia_mtpd_fires_when_the_limit_is_shorter_than_the_target(b):
    process = b.processes[0]
    process.mtpd = "h4"
    only(run_checks(b), "bia.mtpd", anchor=f"bia-process-{process.pk}-mtpd")


def test_bia_missions_fires_without_a_public_service(b):
    for p in b.processes:
        p.mission = "general"
    only(run_checks(b), "bia.missions", anchor="tbl-bia-processes")


def test_bia_missions_fires_twice_without_processes(b):
    b.processes, b.dependencies = [], {}
    for r in b.resources:
        r.process_id = None
    only(run_checks(b), "bia.missions", count=2)


@pytest.mark.parametrize("field", ["channel_type", "channel_detail"])
def test_bia_channel_fires_when_a_public_service_has_no_alternative_channel(b, field):
    public = next(p for p in b.processes if p.mission == "public_service")
    setattr(public, field, "")
    only(run_checks(b), "bia.channel", anchor=f"bia-process-{public.pk}-{field}")


def test_has_alternative_channel_needs_a_type_and_details():
    assert has_alternative_channel(Process(channel_type="line", channel_detail="@padaeng"))
    assert not has_alternative_channel(Process(channel_type="line", channel_detail=" "))
    assert not has_alternative_channel(Process(channel_type="", channel_detail="@padaeng"))


def test_bia_dependencies_fires_when_a_4_hour_process_needs_a_1_day_one(b):
    needing, needed = b.processes[1], b.processes[2]
    assert b.dependencies[needing.pk] == [needed.pk] and needed.rto == "d1"
    needing.rto = "h4"
    only(run_checks(b), "bia.dependencies", anchor=f"bia-process-{needing.pk}-depends_on")


def test_bia_dependencies_fires_when_any_dependency_recovers_later(b):
    needing, needed = b.processes[1], b.processes[2]
    needed.impact, needed.rto = "high", "w1"
    only(run_checks(b), "bia.dependencies", anchor=f"bia-process-{needing.pk}-depends_on")


def test_bia_duplicates_warns_on_a_repeated_name(b):
    b.processes[3].name = f"  {b.processes[0].name} "
    only(run_checks(b), "bia.duplicates", anchor=f"bia-process-{b.processes[3].pk}-name")


# -- resources ---------------------------------------------------------------------------------


def test_resources_non_decreasing_fires_when_a_quantity_drops(b):
    building = resource(b, "building")
    building.q_w1 = 1
    only(run_checks(b), "resources.non_decreasing", anchor=f"resources-resource-{building.pk}-q_w1")


def test_resources_non_decreasing_skips_empty_windows(b):
    building = resource(b, "building")
    building.q_d1 = building.q_w2 = None
    assert run_checks(b).issues == []


def test_resources_quantities_warns_when_no_quantity_is_given(b):
    building = resource(b, "building")
    building.q_h4 = building.q_d1 = building.q_w1 = building.q_w2 = building.q_m1 = None
    only(run_checks(b), "resources.quantities", anchor=f"resources-resource-{building.pk}-q_h4")


def test_resources_per_hit_type_fires_when_a_hit_type_has_no_resources(b):
    b.resources = [r for r in b.resources if r.resource_type != "equipment"]
    only(run_checks(b), "resources.per_hit_type", anchor="tbl-resources-equipment")


def test_resources_staffing_fires_when_the_first_day_needs_more_staff_than_are_present(b):
    b.plan.absence_percent = 80  # 10 staff, 2 present; the first day needs 3
    issue = only(run_checks(b), "resources.staffing", anchor="tbl-resources-personnel")
    assert all(str(n) in issue.message for n in (80, 2, 10, 3))


def test_resources_staffing_counts_the_larger_of_the_first_two_windows(b):
    personnel = resource(b, "personnel")
    personnel.q_h4, personnel.q_d1, personnel.q_w1, personnel.q_w2 = 1, 8, 8, 8  # 8 > 7 of 10 at 30 %
    only(run_checks(b), "resources.staffing")
    personnel.q_d1 = 7
    assert run_checks(b).issues == []


# -- strategies --------------------------------------------------------------------------------


def test_strategies_per_hit_type_fires_when_a_hit_type_has_no_strategy(b):
    b.strategies = [s for s in b.strategies if s.resource_type != "it_data"]
    only(run_checks(b), "strategies.per_hit_type", anchor="tbl-strategies-it_data")


def test_a_strategy_for_one_scenario_covers_only_that_scenario(b):
    epidemic, protest = scenario(b, ScenarioKind.EPIDEMIC), scenario(b, ScenarioKind.PROTEST)
    for s in b.strategies:
        if s.resource_type == "partners":
            s.scenario_id = epidemic.pk  # only the epidemic hits partners
        if s.resource_type == "personnel":
            s.scenario_id = epidemic.pk  # the protest hits personnel as well
    issue = only(run_checks(b), "strategies.per_hit_type", anchor="tbl-strategies-personnel")
    assert protest.name in issue.message and epidemic.name not in issue.message
    b.strategies.append(
        Strategy(pk=10**9, plan=b.plan, resource_type="personnel", scenario_id=protest.pk, text="x")
    )
    assert run_checks(b).issues == []


# -- procedures --------------------------------------------------------------------------------


def test_procedures_phases_fires_when_a_phase_has_no_steps_for_a_scenario(b):
    b.procedure_steps = [
        s for s in b.procedure_steps if not (s.phase == Phase.MEDIUM and s.scenario_id is None)
    ]
    issue = only(run_checks(b), "procedures.phases", anchor="tbl-procedures-medium")
    assert scenario(b, ScenarioKind.FLOOD).name in issue.message
    assert scenario(b, ScenarioKind.EPIDEMIC).name not in issue.message  # it has its own medium step


def test_procedures_epidemic_long_fires_without_long_term_epidemic_steps(b):
    epidemic = scenario(b, ScenarioKind.EPIDEMIC)
    b.procedure_steps = [
        s for s in b.procedure_steps if not (s.phase == Phase.LONG and s.scenario_id == epidemic.pk)
    ]
    only(run_checks(b), "procedures.epidemic_long", anchor="tbl-procedures-long")


def test_procedures_responsible_warns_on_a_step_without_a_role(b):
    step = b.procedure_steps[0]
    step.responsible_id = None
    only(run_checks(b), "procedures.responsible", anchor=f"procedures-procedurestep-{step.pk}-responsible")


# -- optional ----------------------------------------------------------------------------------


def test_optional_risk_scores_fires_outside_1_to_5(b):
    risk = b.risks[0]
    risk.likelihood = 7  # the database refuses it; an import or a bug must not slip through
    only(run_checks(b), "optional.risk_scores", anchor=f"optional-risk-{risk.pk}-likelihood")


# -- placeholders ------------------------------------------------------------------------------


def _row(b, section):
    return {
        "general": lambda: (b.plan, "alternate_site"),
        "objectives": lambda: (b.items(ListSection.OBJECTIVES)[0], "text"),
        "assumptions": lambda: (b.items(ListSection.ASSUMPTIONS)[0], "text"),
        "scope": lambda: (b.scenarios[0], "description"),
        "contacts": lambda: (internal_contacts(b)[-1], "name"),
        "team": lambda: (b.team_roles[1], "title"),
        "bia": lambda: (b.processes[0], "unit"),
        "resources": lambda: (b.resources[0], "name"),
        "strategies": lambda: (b.strategies[0], "text"),
        "procedures": lambda: (b.procedure_steps[0], "text"),
    }[section]()


@pytest.mark.parametrize(
    "rule_id",
    [
        "general.placeholder", "objectives.placeholder", "assumptions.placeholder", "scope.placeholder",
        "contacts.placeholder", "team.placeholder", "bia.placeholder", "resources.placeholder",
        "strategies.placeholder", "procedures.placeholder",
    ],
)  # fmt: skip
def test_a_placeholder_left_from_a_template_fires_in_its_section(b, rule_id):
    section = rule_id.split(".")[0]
    row, field = _row(b, section)
    setattr(row, field, "ระบุชื่อ")
    only(run_checks(b), rule_id, anchor=f"{section}-{row._meta.model_name}-{row.pk}-{field}")


# -- efficiency --------------------------------------------------------------------------------


def test_checking_a_loaded_plan_makes_no_query_and_loading_is_constant(cast, django_assert_num_queries):
    small = make_complete_plan(cast.lgo, by=cast.planner)
    large = make_large_plan(cast.lgo, by=cast.planner)
    queries = len(ROW_MODELS) + 1  # one per table, and the process dependencies
    for plan in (small, large):
        with django_assert_num_queries(queries):
            bundle = load_bundle(plan)
        with django_assert_num_queries(0):
            run_checks(bundle)


def test_the_checker_takes_under_50_ms_on_a_large_plan(cast):
    bundle = load_bundle(make_large_plan(cast.lgo, by=cast.planner))
    run_checks(bundle)  # warm up (translations, URL resolver)
    best = min(_timed(run_checks, bundle) for _ in range(5))
    assert best < 0.050, f"{best * 1000:.1f} ms"


def _timed(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def test_a_broken_large_plan_is_checked_without_queries(cast):
    bundle = load_bundle(make_large_plan(cast.lgo, by=cast.planner))
    for p in bundle.processes:
        p.rto = ""
    with CaptureQueriesContext(connection) as ctx:
        result = run_checks(bundle)
    assert len(ctx.captured_queries) == 0
    assert len(result.errors) == 60


# -- the registry and its documentation --------------------------------------------------------


def test_there_are_at_least_25_documented_rules():
    assert len(RULES) >= 25
    for r in RULES.values():
        assert r.id.split(".")[0] == r.section in SECTIONS
        assert r.severity in (ERROR, WARNING)
        assert r.points > 0
        assert str(r.title) and len(r.why) > 20 and len(r.fix) > 10, r.id


def test_every_rule_has_a_test_in_this_file():
    source = Path(__file__).read_text(encoding="utf-8")
    untested = [rule_id for rule_id in RULES if f'"{rule_id}"' not in source]
    assert untested == []


def test_the_rule_reference_in_docs_is_generated_from_the_rules():
    committed = (Path(settings.BASE_DIR) / "docs" / "checks.md").read_text(encoding="utf-8")
    assert committed == rules_markdown(), (
        "docs/checks.md is out of date: regenerate it with "
        '`.venv/bin/python manage.py shell -c "from plans.checks import rules_markdown; '
        "open('docs/checks.md', 'w').write(rules_markdown())\"`"
    )
    assert all(f"`{rule_id}`" in committed for rule_id in RULES)


def test_messages_and_titles_are_in_thai_by_default_and_english_on_request(b):
    b.team_roles[1].backup_id = None
    with translation.override("th"):
        thai = run_checks(b).issues[0].message
        thai_title = str(RULES["team.backup"].title)
    with translation.override("en"):
        english = run_checks(b).issues[0].message
        english_title = str(RULES["team.backup"].title)
    assert english.startswith("Role “") and "backup" in english
    assert thai != english and any("\u0e00" <= ch <= "\u0e7f" for ch in thai.split("“")[0])
    assert thai_title != english_title


def test_a_plan_with_errors_never_scores_above_the_cap(cast):
    from plans.templates_lib import start_from_template

    plan = start_from_template(cast.lgo, by=cast.planner)  # placeholders for people: errors remain
    result = run_checks(plan)
    assert result.errors
    assert result.score <= ERROR_CAP
    assert str(ERROR_CAP) in result.explain_text()
