"""Editor pages: /plans/org/<org>/ (plans list), /plans/org/<org>/new/, /plans/<pk>/ (overview),
/plans/<pk>/edit/<section>/ (section editor) — who may see them, what they show, and that a
section page costs the same number of queries whatever the size of the plan."""

from __future__ import annotations

import pytest

from audit.models import AccessLog
from plans import actions
from plans import models as pm
from plans.sections import SECTION_KEYS, SECTIONS
from plans.tests.factories import make_complete_plan, make_large_plan


@pytest.fixture
def plan(cast):
    return make_complete_plan(cast.lgo, by=cast.planner)


def section_url(plan, section):
    return f"/plans/{plan.pk}/edit/{section}/"


# -- the organization's plans ------------------------------------------------------------------


def test_plans_list_shows_every_version_with_its_status_and_score(cast, client, plan):
    client.force_login(cast.planner)
    resp = client.get(f"/plans/org/{cast.lgo.pk}/")
    assert resp.status_code == 200
    body = resp.content.decode()
    assert plan.title in body
    assert f"/plans/{plan.pk}/" in body
    assert "ร่าง" in body  # the status badge, in Thai
    assert f"/plans/org/{cast.lgo.pk}/new/" in body  # planners may start a new version


def test_plans_list_offers_no_new_plan_to_a_viewer(cast, client, plan):
    client.force_login(cast.viewer)
    resp = client.get(f"/plans/org/{cast.lgo.pk}/")
    assert resp.status_code == 200
    assert f"/plans/org/{cast.lgo.pk}/new/" not in resp.content.decode()


def test_plans_list_hides_other_organizations(cast, client, plan):
    client.force_login(cast.other_planner)
    assert client.get(f"/plans/org/{cast.lgo.pk}/").status_code == 404


def test_plans_list_rejects_post(cast, client):
    client.force_login(cast.planner)
    assert client.post(f"/plans/org/{cast.lgo.pk}/").status_code == 405


# -- starting a plan -----------------------------------------------------------------------------


def test_new_plan_page_explains_the_three_ways_to_start(cast, client):
    client.force_login(cast.planner)
    resp = client.get(f"/plans/org/{cast.lgo.pk}/new/")
    assert resp.status_code == 200
    body = resp.content.decode()
    assert 'value="template"' in body
    assert "ไม่มีแผนที่อนุมัติแล้ว" in body or "no approved plan" in body  # nothing to copy yet
    assert "JSON" in body


def test_new_plan_requires_the_planner_role(cast, client):
    client.force_login(cast.viewer)
    assert client.get(f"/plans/org/{cast.lgo.pk}/new/").status_code == 403
    assert client.post(f"/plans/org/{cast.lgo.pk}/new/", {"choice": "template"}).status_code == 403
    assert not pm.Plan.objects.filter(org=cast.lgo).exists()


def test_new_plan_hides_other_organizations(cast, client):
    client.force_login(cast.other_planner)
    assert client.get(f"/plans/org/{cast.lgo.pk}/new/").status_code == 404
    assert client.post(f"/plans/org/{cast.lgo.pk}/new/", {"choice": "template"}).status_code == 404
    assert not pm.Plan.objects.filter(org=cast.lgo).exists()


def test_starting_from_the_template_creates_a_draft_and_opens_its_overview(cast, client):
    client.force_login(cast.planner)
    resp = client.post(f"/plans/org/{cast.lgo.pk}/new/", {"choice": "template"})
    plan = pm.Plan.objects.get(org=cast.lgo)
    assert resp.status_code == 302
    assert resp.url == f"/plans/{plan.pk}/"
    assert plan.status == pm.Status.DRAFT
    assert plan.processes.exists() and plan.team_roles.exists()  # the template's content


def test_starting_from_the_approved_plan_makes_the_next_revision(cast, client, plan):
    from plans import lifecycle

    lifecycle.approve(plan, by=cast.approver)
    client.force_login(cast.planner)
    resp = client.post(f"/plans/org/{cast.lgo.pk}/new/", {"choice": "revision"})
    new = pm.Plan.objects.filter(org=cast.lgo).order_by("-revision").first()
    assert resp.status_code == 302
    assert new.pk != plan.pk and new.revision == plan.revision + 1 and new.status == pm.Status.DRAFT


def test_starting_a_revision_without_an_approved_plan_says_so(cast, client):
    client.force_login(cast.planner)
    resp = client.post(f"/plans/org/{cast.lgo.pk}/new/", {"choice": "revision"}, follow=True)
    assert not pm.Plan.objects.filter(org=cast.lgo).exists()
    assert any(m.level_tag == "error" for m in resp.context["messages"])


# -- the plan overview -------------------------------------------------------------------------------


def test_overview_shows_status_score_and_issues_linking_to_their_fields(cast, client, plan):
    contact = plan.contacts.first()
    pm.Contact.objects.filter(pk=contact.pk).update(phone="")
    client.force_login(cast.planner)
    resp = client.get(f"/plans/{plan.pk}/")
    assert resp.status_code == 200
    body = resp.content.decode()
    assert resp.context["result"].score < 100
    assert f"/plans/{plan.pk}/edit/contacts/#contacts-contact-{contact.pk}-phone" in body
    for s in SECTIONS:
        assert f"/plans/{plan.pk}/edit/{s.key}/" in body
    assert f"/plans/{plan.pk}/submit/" in body  # the lifecycle buttons


def test_overview_of_a_complete_plan_has_no_errors(cast, client, plan):
    client.force_login(cast.planner)
    resp = client.get(f"/plans/{plan.pk}/")
    assert resp.context["result"].errors == []


@pytest.mark.parametrize("who", ["other_planner", "far_district_officer", "far_planner"])
def test_overview_hides_the_plan_from_outsiders(cast, client, plan, who):
    client.force_login(getattr(cast, who))
    assert client.get(f"/plans/{plan.pk}/").status_code == 404


@pytest.mark.parametrize(
    "who", ["viewer", "approver", "district_officer", "province_officer", "opdc_reviewer"]
)
def test_overview_is_readable_by_the_organization_and_its_overseers(cast, client, plan, who):
    client.force_login(getattr(cast, who))
    assert client.get(f"/plans/{plan.pk}/").status_code == 200


def test_overview_rejects_post(cast, client, plan):
    client.force_login(cast.planner)
    assert client.post(f"/plans/{plan.pk}/").status_code == 405


# -- section pages -------------------------------------------------------------------------------------


@pytest.mark.parametrize("section", SECTION_KEYS)
def test_every_section_page_shows_its_rows_with_their_anchors(cast, client, plan, section):
    client.force_login(cast.planner)
    resp = client.get(section_url(plan, section))
    assert resp.status_code == 200
    body = resp.content.decode()
    sec = next(s for s in SECTIONS if s.key == section)
    for t in sec.tables:
        assert f'id="tbl-{section}-{t.key}"' in body
        for row in t.queryset(plan)[:3]:
            if t.kind == "impact" and not row.in_scope:
                continue
            assert f'id="{section}-{t.model_name}-{row.pk}"' in body
    if sec.plan_form:
        assert f'id="general-plan-{plan.pk}-fiscal_year"' in body


def test_section_page_marks_the_fields_the_checker_links_to(cast, client, plan):
    process = plan.processes.first()
    client.force_login(cast.planner)
    body = client.get(section_url(plan, "bia")).content.decode()
    assert f'id="bia-process-{process.pk}-rto"' in body
    assert f'id="bia-process-{process.pk}-name"' in body


def test_section_page_counts_issues_per_section_in_the_side_navigation(cast, client, plan):
    role = plan.team_roles.first()
    pm.TeamRole.objects.filter(pk=role.pk).update(backup=None)
    client.force_login(cast.planner)
    resp = client.get(section_url(plan, "bia"))
    team = next(n for n in resp.context["nav"] if n["key"] == "team")
    assert team["errors"] >= 1


def test_unknown_section_is_404(cast, client, plan):
    client.force_login(cast.planner)
    assert client.get(section_url(plan, "nonsense")).status_code == 404


def test_section_page_hides_the_plan_from_outsiders(cast, client, plan):
    client.force_login(cast.other_planner)
    assert client.get(section_url(plan, "contacts")).status_code == 404
    client.force_login(cast.far_district_officer)
    assert client.get(section_url(plan, "contacts")).status_code == 404


def test_section_page_is_read_only_for_a_viewer(cast, client, plan):
    client.force_login(cast.viewer)
    resp = client.get(section_url(plan, "bia"))
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "/rows/new/" not in body and '/edit/"' not in body
    assert resp.context["editable"] is False


def test_section_page_of_a_plan_in_review_is_read_only_with_a_note(cast, client, plan):
    pm.Plan.objects.filter(pk=plan.pk).update(status=pm.Status.IN_REVIEW)
    client.force_login(cast.planner)
    resp = client.get(section_url(plan, "bia"))
    assert resp.context["editable"] is False
    assert "/rows/new/" not in resp.content.decode()
    assert 'class="notice"' in resp.content.decode()


def test_section_page_rejects_post(cast, client, plan):
    client.force_login(cast.planner)
    assert client.post(section_url(plan, "bia")).status_code == 405


def test_pages_with_phone_numbers_write_an_access_log_row(cast, client, plan):
    client.force_login(cast.planner)
    for section in ("contacts", "team", "calltree"):
        before = AccessLog.objects.count()
        client.get(section_url(plan, section))
        assert AccessLog.objects.count() == before + 1
    before = AccessLog.objects.count()
    client.get(section_url(plan, "bia"))
    assert AccessLog.objects.count() == before


def test_the_call_tree_is_drawn_as_nested_lists_from_the_top(cast, client, plan):
    client.force_login(cast.planner)
    body = client.get(section_url(plan, "calltree")).content.decode()
    root = plan.call_tree.filter(parent=None).first()
    child = plan.call_tree.filter(parent=root).first()
    assert body.index(f'id="calltree-calltreenode-{root.pk}"') < body.index('class="tree-children"')
    assert body.index('class="tree-children"') < body.index(f'id="calltree-calltreenode-{child.pk}"')


# -- query counts ------------------------------------------------------------------------------------------

# A section page, whatever the size of the plan:
#   1 session, 1 user, 1 the user's memberships (orgs.access, once per request),
#   1 the plan with its organization,
#   14 the whole plan (plans.bundle: one per table, plus the process dependencies),
#   and on pages with phone numbers (contacts, team, call tree) 1 access-log row.
SECTION_QUERIES = 18
PERSONAL = {"contacts", "team", "calltree"}


@pytest.mark.parametrize("section", SECTION_KEYS)
def test_a_section_page_costs_the_same_queries_whatever_the_size_of_the_plan(
    cast, client, django_assert_num_queries, section
):
    small = make_complete_plan(cast.lgo, by=cast.planner)
    large = make_large_plan(cast.lgo, by=cast.planner)
    client.force_login(cast.planner)
    expected = SECTION_QUERIES + (1 if section in PERSONAL else 0)
    for plan in (small, large):
        with django_assert_num_queries(expected):
            assert client.get(section_url(plan, section)).status_code == 200


def test_the_overview_costs_the_same_queries_whatever_the_size_of_the_plan(cast, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = make_complete_plan(cast.lgo, by=cast.planner)
    large = make_large_plan(cast.lgo, by=cast.planner)
    client.force_login(cast.planner)
    counts = []
    for plan in (small, large):
        with CaptureQueriesContext(connection) as ctx:
            client.get(f"/plans/{plan.pk}/")
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_plan_created_with_actions_is_editable_in_the_editor(cast, client):
    plan = actions.create_plan(cast.lgo, by=cast.planner)
    client.force_login(cast.planner)
    for section in SECTION_KEYS:
        assert client.get(section_url(plan, section)).status_code == 200
