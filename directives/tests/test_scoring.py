"""Plan.score / score_at: kept current from the checker, in the lifecycle, the editor and in bulk."""

from __future__ import annotations

import io

from django.core.management import call_command

from directives import scoring
from plans import lifecycle
from plans.checks import run_checks
from plans.models import Plan, Process, Status
from plans.tests.factories import make_complete_plan


def test_refresh_score_stores_the_checkers_score(cast):
    plan = make_complete_plan(cast.lgo, by=cast.planner)
    Process.objects.filter(plan=plan).update(rto="")  # errors: the score is capped
    expected = run_checks(plan).score
    assert expected <= 70
    assert scoring.refresh_score(plan) == expected
    plan.refresh_from_db()
    assert plan.score == expected and plan.score_at is not None


def test_the_lifecycle_keeps_the_score(cast):
    plan = make_complete_plan(cast.lgo, by=cast.planner)
    assert plan.score is None
    lifecycle.submit_for_review(plan, by=cast.planner)
    plan.refresh_from_db()
    assert plan.score == run_checks(plan).score
    Plan.objects.filter(pk=plan.pk).update(score=None)
    lifecycle.return_to_draft(plan, by=cast.approver, comment="แก้ไข")
    plan.refresh_from_db()
    assert plan.score is not None
    Plan.objects.filter(pk=plan.pk).update(score=None)
    lifecycle.approve(plan, by=cast.approver)
    plan.refresh_from_db()
    assert plan.status == Status.APPROVED and plan.score == run_checks(plan).score


def test_the_editor_stores_a_changed_score_after_its_request(
    cast, client, django_capture_on_commit_callbacks
):
    plan = make_complete_plan(cast.lgo, by=cast.planner)
    client.force_login(cast.planner)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert client.get(f"/plans/{plan.pk}/").status_code == 200
    assert len(callbacks) == 1
    plan.refresh_from_db()
    assert plan.score == run_checks(plan).score
    with django_capture_on_commit_callbacks(execute=True) as callbacks:  # unchanged: nothing to write
        client.get(f"/plans/{plan.pk}/")
    assert callbacks == []


def test_refresh_plan_scores_scores_every_current_plan(cast):
    plans = [make_complete_plan(org, by=cast.site_admin) for org in (cast.lgo, cast.lgo_same_district)]
    Process.objects.filter(plan=plans[1]).update(rto="")
    out = io.StringIO()
    call_command("refresh_plan_scores", stdout=out)
    assert "2" in out.getvalue()
    scores = dict(Plan.objects.values_list("pk", "score"))
    assert scores[plans[0].pk] == run_checks(plans[0]).score
    assert scores[plans[1].pk] == run_checks(plans[1]).score < scores[plans[0].pk]
    assert scoring.refresh_plan_scores() == 0  # nothing changed since
    assert scoring.demo_step(None).startswith("คะแนนความพร้อม")
