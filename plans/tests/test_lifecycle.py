"""The life of a plan version (plans.lifecycle): submit, return, approve, supersede, freeze."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEvent
from plans import actions, checks, lifecycle, portability
from plans import models as pm
from plans.actions import PlanLocked
from plans.lifecycle import ApprovalRefused, LifecycleError, approve, return_to_draft, submit_for_review
from plans.tests.factories import make_complete_plan

DRAFT, IN_REVIEW, APPROVED, SUPERSEDED = "draft", "in_review", "approved", "superseded"


def make_plan(org, by, title="แผน BCP") -> pm.Plan:
    """A small draft plan with a few rows (the checker is stubbed where the plan must pass)."""
    plan = actions.create_plan(org, by=by, title=title)
    for text in ("เพื่อให้บริการประชาชนได้อย่างต่อเนื่อง", "เพื่อคุ้มครองบุคลากร"):
        actions.add_row(plan, pm.ListItem, values={"section": "objectives", "text": text}, by=by)
    contact = actions.add_row(plan, pm.Contact, values={"name": "นายสมชาย ใจดี", "phone": "0812345678"}, by=by)
    actions.add_row(plan, pm.TeamRole, values={"title": "หัวหน้าทีม", "primary": contact}, by=by)
    actions.add_row(plan, pm.Process, values={"name": "จัดเก็บภาษี", "impact": "high", "rto": "d1"}, by=by)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def checks_pass(monkeypatch):
    """The checker finds nothing (tests of the lifecycle's own logic, not of the checker's rules)."""
    monkeypatch.setattr(checks, "run_checks", lambda plan_or_bundle: checks.CheckResult([]))


@pytest.fixture
def checks_fail(monkeypatch):
    issue = checks.Issue(
        rule="objectives.count", severity="error", message="ต้องมีวัตถุประสงค์อย่างน้อยสองข้อ",
        section="objectives", row_id=None, field=None, anchor="objectives",
    )  # fmt: skip
    monkeypatch.setattr(checks, "run_checks", lambda plan_or_bundle: checks.CheckResult([issue]))
    return issue


# -- submit and return --------------------------------------------------------------------


def test_a_planner_sends_a_draft_for_approval(cast):
    plan = make_plan(cast.lgo, cast.planner)
    submit_for_review(plan, by=cast.planner)
    assert plan.status == IN_REVIEW
    assert plan.submitted_at is not None
    assert AuditEvent.objects.filter(action="plan.submit", object_id=str(plan.pk)).count() == 1


def test_sending_twice_changes_the_plan_once(cast):
    plan = make_plan(cast.lgo, cast.planner)
    submit_for_review(plan, by=cast.planner)
    version = plan.version
    stale = pm.Plan.objects.get(pk=plan.pk)
    submit_for_review(stale, by=cast.planner)  # a double click
    assert stale.status == IN_REVIEW
    assert stale.version == version
    assert AuditEvent.objects.filter(action="plan.submit").count() == 1


def test_a_viewer_cannot_send_for_approval(cast):
    plan = make_plan(cast.lgo, cast.planner)
    with pytest.raises(PermissionDenied):
        submit_for_review(plan, by=cast.viewer)
    plan.refresh_from_db()
    assert plan.status == DRAFT


def test_a_planner_of_another_organization_cannot_send_for_approval(cast):
    plan = make_plan(cast.lgo, cast.planner)
    with pytest.raises(PermissionDenied):
        submit_for_review(plan, by=cast.other_planner)


def test_a_plan_in_review_cannot_be_edited(cast):
    plan = make_plan(cast.lgo, cast.planner)
    submit_for_review(plan, by=cast.planner)
    with pytest.raises(PlanLocked):
        actions.update_plan(plan, expected_version=plan.version, values={"title": "x"}, by=cast.planner)


def test_the_approver_returns_a_plan_to_draft_with_a_comment(cast):
    plan = make_plan(cast.lgo, cast.planner)
    submit_for_review(plan, by=cast.planner)
    return_to_draft(plan, by=cast.approver, comment="เพิ่มผู้ปฏิบัติงานสำรอง")
    assert plan.status == DRAFT
    assert plan.submitted_at is None
    event = AuditEvent.objects.get(action="plan.return")
    assert event.data["comment"] == "เพิ่มผู้ปฏิบัติงานสำรอง"
    actions.update_plan(plan, expected_version=plan.version, values={"title": "แก้แล้ว"}, by=cast.planner)


def test_a_draft_cannot_be_returned_to_draft_as_if_it_were_in_review(cast):
    plan = make_plan(cast.lgo, cast.planner)
    return_to_draft(plan, by=cast.planner)  # already a draft: nothing happens
    assert plan.status == DRAFT
    assert not AuditEvent.objects.filter(action="plan.return").exists()


def test_an_approved_plan_cannot_be_returned_to_draft(cast, checks_pass):
    plan = make_plan(cast.lgo, cast.planner)
    approve(plan, by=cast.approver)
    with pytest.raises(LifecycleError):
        return_to_draft(plan, by=cast.approver)
    with pytest.raises(LifecycleError):
        submit_for_review(plan, by=cast.planner)
    plan.refresh_from_db()
    assert plan.status == APPROVED


def test_a_viewer_cannot_return_a_plan(cast):
    plan = make_plan(cast.lgo, cast.planner)
    submit_for_review(plan, by=cast.planner)
    with pytest.raises(PermissionDenied):
        return_to_draft(plan, by=cast.viewer)


# -- approve ----------------------------------------------------------------------------------


def test_the_approver_approves_a_plan_in_review(cast, checks_pass):
    plan = make_plan(cast.lgo, cast.planner)
    submit_for_review(plan, by=cast.planner)
    approve(plan, by=cast.approver)
    assert plan.status == APPROVED
    assert plan.approved_by == cast.approver
    assert plan.approved_at is not None
    assert AuditEvent.objects.filter(action="plan.approve", object_id=str(plan.pk)).count() == 1


def test_a_small_organizations_executive_may_approve_a_draft_directly(cast, checks_pass):
    plan = make_plan(cast.lgo, cast.planner)
    approve(plan, by=cast.approver)
    assert plan.status == APPROVED
    assert plan.submitted_at is not None


@pytest.mark.parametrize("user", ["planner", "viewer", "org_admin", "district_officer", "opdc_reviewer"])
def test_only_an_approver_of_the_organization_approves(cast, checks_pass, user):
    plan = make_plan(cast.lgo, cast.planner)
    with pytest.raises(PermissionDenied):
        approve(plan, by=getattr(cast, user))
    plan.refresh_from_db()
    assert plan.status == DRAFT
    assert not plan.digest


def test_an_approver_of_another_organization_cannot_approve(cast, checks_pass):
    from orgs.actions import add_member
    from orgs.models import Role

    add_member(cast.lgo_same_district, cast.other_planner, Role.APPROVER)
    plan = make_plan(cast.lgo, cast.planner)
    with pytest.raises(PermissionDenied):
        approve(plan, by=cast.other_planner)


def test_checker_errors_block_the_approval(cast, checks_fail):
    plan = make_plan(cast.lgo, cast.planner)
    submit_for_review(plan, by=cast.planner)
    with pytest.raises(ApprovalRefused) as exc:
        approve(plan, by=cast.approver)
    assert exc.value.errors == [checks_fail]
    plan.refresh_from_db()
    assert plan.status == IN_REVIEW
    assert not plan.digest and plan.snapshot is None
    assert not pm.RevisionEntry.objects.filter(plan=plan).exists()
    assert not AuditEvent.objects.filter(action="plan.approve").exists()


def test_the_real_checker_refuses_an_empty_plan(cast):
    plan = actions.create_plan(cast.lgo, by=cast.planner)
    with pytest.raises(ApprovalRefused) as exc:
        approve(plan, by=cast.approver)
    assert exc.value.errors
    assert all(i.severity == "error" for i in exc.value.errors)


def test_a_complete_plan_is_approved_with_the_real_checker(cast):
    plan = make_complete_plan(cast.lgo, by=cast.planner)
    approve(plan, by=cast.approver)
    assert plan.status == APPROVED
    assert lifecycle.digest_matches(plan)


def test_approval_freezes_the_export_and_its_digest(cast, checks_pass):
    plan = make_plan(cast.lgo, cast.planner)
    approve(plan, by=cast.approver)
    assert plan.snapshot == portability.export_plan(plan)
    assert plan.status == APPROVED and "status" not in plan.snapshot["plan"]
    assert plan.digest == hashlib.sha256(portability.export_json(plan)).hexdigest()
    assert lifecycle.digest_matches(plan)


def test_approval_sets_the_next_review_a_year_later(cast, checks_pass):
    plan = make_plan(cast.lgo, cast.planner)
    approve(plan, by=cast.approver)
    today = timezone.localdate()
    assert plan.next_review_date == actions.next_review_default(today)


def test_approval_keeps_a_later_review_date_already_set(cast, checks_pass):
    plan = make_plan(cast.lgo, cast.planner)
    later = timezone.localdate() + dt.timedelta(days=200)
    actions.update_plan(
        plan, expected_version=plan.version, values={"next_review_date": later}, by=cast.planner
    )
    approve(plan, by=cast.approver)
    assert plan.next_review_date == later


def test_approval_replaces_a_review_date_in_the_past(cast, checks_pass):
    plan = make_plan(cast.lgo, cast.planner)
    past = timezone.localdate() - dt.timedelta(days=3)
    actions.update_plan(
        plan, expected_version=plan.version, values={"next_review_date": past}, by=cast.planner
    )
    approve(plan, by=cast.approver)
    assert plan.next_review_date > timezone.localdate()


def test_approval_adds_a_revision_history_row_inside_the_snapshot(cast, checks_pass):
    plan = make_plan(cast.lgo, cast.planner)
    approve(plan, by=cast.approver)
    entry = pm.RevisionEntry.objects.get(plan=plan)
    assert entry.label == "1"
    assert entry.date == timezone.localdate()
    assert entry.reviewer == "นายอนุมัติ ผู้บริหาร"
    assert entry.changes == "อนุมัติให้ใช้"
    assert plan.snapshot["revision_history"][0]["reviewer"] == "นายอนุมัติ ผู้บริหาร"


def test_approval_completes_the_planners_own_history_row_for_the_version(cast, checks_pass):
    plan = make_plan(cast.lgo, cast.planner)
    actions.add_row(
        plan, pm.RevisionEntry, by=cast.planner,
        values={"label": "1", "date": dt.date(2025, 1, 1), "changes": "ปรับปรุงตารางที่ 3"},
    )  # fmt: skip
    approve(plan, by=cast.approver)
    entry = pm.RevisionEntry.objects.get(plan=plan)
    assert (entry.changes, entry.date, entry.reviewer) == (
        "ปรับปรุงตารางที่ 3", timezone.localdate(), "นายอนุมัติ ผู้บริหาร"
    )  # fmt: skip


def test_approving_twice_changes_nothing_the_second_time(cast, checks_pass):
    plan = make_plan(cast.lgo, cast.planner)
    approve(plan, by=cast.approver)
    digest, version = plan.digest, plan.version
    again = approve(pm.Plan.objects.get(pk=plan.pk), by=cast.approver)
    assert (again.status, again.digest, again.version) == (APPROVED, digest, version)
    assert AuditEvent.objects.filter(action="plan.approve").count() == 1
    assert pm.RevisionEntry.objects.filter(plan=plan).count() == 1


def test_approval_supersedes_the_previously_approved_plan(cast, checks_pass):
    first = make_plan(cast.lgo, cast.planner, title="ฉบับแรก")
    approve(first, by=cast.approver)
    first_snapshot, first_digest = first.snapshot, first.digest
    second = make_plan(cast.lgo, cast.planner, title="ฉบับที่สอง")
    approve(second, by=cast.approver)
    first.refresh_from_db()
    assert second.status == APPROVED
    assert first.status == SUPERSEDED
    assert (first.snapshot, first.digest) == (first_snapshot, first_digest)  # what was approved stays
    assert pm.Plan.objects.filter(org=cast.lgo, status=APPROVED).get() == second
    event = AuditEvent.objects.get(action="plan.supersede")
    assert event.object_id == str(first.pk)
    assert event.data == {"by_plan": second.pk}


def test_approval_leaves_other_organizations_plans_alone(cast, checks_pass):
    from orgs.actions import add_member
    from orgs.models import Role

    add_member(cast.lgo_same_district, cast.approver, Role.APPROVER)
    theirs = make_plan(cast.lgo_same_district, cast.approver)
    approve(theirs, by=cast.approver)
    ours = make_plan(cast.lgo, cast.planner)
    approve(ours, by=cast.approver)
    theirs.refresh_from_db()
    assert theirs.status == APPROVED


def test_a_superseded_plan_cannot_be_approved_again(cast, checks_pass):
    first = make_plan(cast.lgo, cast.planner)
    approve(first, by=cast.approver)
    approve(make_plan(cast.lgo, cast.planner), by=cast.approver)
    first.refresh_from_db()
    with pytest.raises(LifecycleError):
        approve(first, by=cast.approver)


# -- an approved plan is immutable ------------------------------------------------------------


def test_every_action_on_an_approved_plan_is_refused_and_the_digest_still_matches(cast, checks_pass):
    plan = make_plan(cast.lgo, cast.planner)
    approve(plan, by=cast.approver)
    row = pm.Process.objects.get(plan=plan)
    item = pm.ListItem.objects.filter(plan=plan).first()
    by, new, title = cast.planner, {"name": "x"}, {"title": "x"}
    attempts = {
        "update_plan": lambda: actions.update_plan(plan, expected_version=plan.version, values=title, by=by),
        "add_row": lambda: actions.add_row(plan, pm.Annex, values={"title": "x"}, by=by),
        "update_row": lambda: actions.update_row(row, expected_version=row.version, values=new, by=by),
        "delete_row": lambda: actions.delete_row(row, expected_version=row.version, by=by),
        "move_row": lambda: actions.move_row(item, up=False, by=by),
    }  # fmt: skip
    import inspect

    public = {
        name for name, f in inspect.getmembers(actions, inspect.isfunction)
        if f.__module__ == actions.__name__ and not name.startswith("_")
    } - {"create_plan", "default_title", "next_review_default"}  # fmt: skip
    assert public <= set(attempts), f"new write actions to cover here: {public - set(attempts)}"
    for name, attempt in attempts.items():
        with pytest.raises(PlanLocked):
            attempt()
        plan.refresh_from_db()
        assert lifecycle.digest_matches(plan), name
    assert plan.snapshot == portability.export_plan(plan)


# -- review reminders -----------------------------------------------------------------------


def test_plans_due_for_review_lists_approved_plans_within_the_window(cast, checks_pass):
    plan = make_plan(cast.lgo, cast.planner)
    approve(plan, by=cast.approver)
    due = plan.next_review_date
    assert list(lifecycle.due_for_review(10, today=due - dt.timedelta(days=5))) == [plan]
    assert list(lifecycle.due_for_review(10, today=due - dt.timedelta(days=11))) == []
    assert list(lifecycle.due_for_review(0, today=due + dt.timedelta(days=30))) == [plan]  # overdue


def test_drafts_are_never_due_for_review(cast):
    plan = make_plan(cast.lgo, cast.planner)
    actions.update_plan(
        plan,
        expected_version=plan.version,
        values={"next_review_date": timezone.localdate()},
        by=cast.planner,
    )
    assert list(lifecycle.due_for_review(30)) == []


def test_the_command_prints_the_plans_due(cast, checks_pass):
    plan = make_plan(cast.lgo, cast.planner)
    approve(plan, by=cast.approver)
    pm.Plan.objects.filter(pk=plan.pk).update(next_review_date=timezone.localdate() + dt.timedelta(days=3))
    out = io.StringIO()
    call_command("plans_due_for_review", "--days", "7", stdout=out)
    text = out.getvalue()
    assert "องค์การบริหารส่วนตำบลป่าแดง" in text
    assert "due in 3 days" in text
    assert "1 plan(s) due" in text
    out = io.StringIO()
    call_command("plans_due_for_review", "--days", "2", stdout=out)
    assert "0 plan(s) due" in out.getvalue()
