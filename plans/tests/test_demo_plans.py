"""The demo plans loaded by `manage.py load_demo` (plans.demo)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from orgs.access import can_approve
from orgs.models import Organization
from phrom.lib.thai import normalize_phone
from plans.checks import is_thai_mobile, run_checks
from plans.epidemic import QUESTIONS
from plans.lifecycle import digest_matches
from plans.models import CallTreeNode, Contact, Phase, Plan, ProcedureStep, Status, TeamRole


def load_demo():
    out = StringIO()
    call_command("load_demo", stdout=out, stderr=StringIO())
    return out.getvalue()


def plans_of(dla_code):
    return list(Plan.objects.filter(org__dla_code=dla_code))


@pytest.fixture
def demo(db):
    load_demo()


def test_load_demo_twice_creates_the_demo_plans_once(db):
    load_demo()
    counts = {code: len(plans_of(code)) for code in ("4540102", "2540101", "6540307", "5540103", "6540115")}

    output = load_demo()

    assert counts == {"4540102": 1, "2540101": 1, "6540307": 1, "5540103": 1, "6540115": 0}
    assert {code: len(plans_of(code)) for code in counts} == counts
    assert "already there" in output


def test_the_phrae_demo_plan_is_approved_with_a_digest(demo):
    (plan,) = plans_of("4540102")

    assert plan.status == Status.APPROVED
    assert plan.approved_by == User.objects.get(username="phrae.approver")
    assert plan.digest and plan.snapshot and digest_matches(plan)
    assert run_checks(plan).errors == []
    assert 18 <= plan.processes.count() <= 25


def test_the_phrae_demo_plan_has_its_epidemic_review_done(demo):
    (plan,) = plans_of("4540102")

    assert plan.epidemic_reviewed_at is not None
    assert set(plan.epidemic_review) <= set(QUESTIONS) and plan.epidemic_review


def test_the_phrae_team_has_named_people_with_distinct_mobiles(demo):
    (plan,) = plans_of("4540102")

    roles = list(TeamRole.objects.filter(plan=plan))
    people = Contact.objects.in_bulk([pk for r in roles for pk in (r.primary_id, r.backup_id)])
    assert len(people) == 2 * len(roles) >= 18
    assert all(not c.name.startswith("ระบุ") and c.position for c in people.values())
    phones = [normalize_phone(c.phone) for c in people.values()]
    assert all(is_thai_mobile(p) for p in phones) and len(set(phones)) == len(phones)


def test_the_phrae_call_tree_reaches_every_team_member_exactly_once(demo):
    (plan,) = plans_of("4540102")

    team = {pk for r in TeamRole.objects.filter(plan=plan) for pk in (r.primary_id, r.backup_id)}
    nodes = list(CallTreeNode.objects.filter(plan=plan))
    assert sorted(n.contact_id for n in nodes) == sorted(team)
    assert sum(1 for n in nodes if n.parent_id is None) == 1
    assert {s.phase for s in ProcedureStep.objects.filter(plan=plan)} == set(Phase.values)


def test_the_pao_plan_is_approved_by_its_demo_approver(demo):
    (plan,) = plans_of("2540101")
    approver = User.objects.get(username="pao.approver")

    assert plan.status == Status.APPROVED and plan.approved_by == approver
    assert can_approve(approver, Organization.objects.get(dla_code="2540101"))
    assert approver.check_password("phrom-demo")


def test_the_other_demo_plans_are_unfinished_drafts(demo):
    for code in ("6540307", "5540103"):
        (plan,) = plans_of(code)
        assert plan.status == Status.DRAFT
        assert run_checks(plan).errors
