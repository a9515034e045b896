"""Keeping Plan.score / Plan.score_at current, for dashboards and league tables.

The score is the checker's (plans.checks: the share of rule points kept, capped while errors remain).
It changes only when a draft's content changes, and the checker already runs on every editor page
and on approval, so the score is stored from there (`note_score`, no extra query when unchanged)
and after each lifecycle step (`refresh_score`). `refresh_plan_scores` recomputes every current
plan in bulk (after an upgrade of the rules, or for data loaded without the editor).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from plans.models import Plan, Status

CURRENT = [Status.DRAFT, Status.IN_REVIEW, Status.APPROVED]


def _checks():
    from plans import checks

    return checks


def refresh_score(plan: Plan, result=None) -> int:
    """Run the checker (unless its `result` is given) and store the score on the plan. Returns it."""
    if result is None:
        result = _checks().run_checks(plan)
    score = result.score
    now = timezone.now()
    Plan.objects.filter(pk=plan.pk).update(score=score, score_at=now)
    plan.score, plan.score_at = score, now
    return score


def note_score(plan: Plan, result) -> None:
    """After the editor ran the checker: store the score if it changed, once the request's work commits.

    Reading a page must not fail or wait because of this bookkeeping, and an unchanged score costs
    nothing, so the write is a conditional UPDATE run on commit.
    """
    if result is None or plan is None or plan.pk is None:
        return
    score = result.score
    if plan.score == score:
        return
    plan_pk = plan.pk
    plan.score = score

    def store():
        Plan.objects.filter(pk=plan_pk).exclude(score=score).update(score=score, score_at=timezone.now())

    transaction.on_commit(store)


def refresh_plan_scores(*, only_missing: bool = False, batch: int = 200) -> int:
    """Recompute the score of every current plan (or of those without one); returns how many changed.

    Plans are loaded a batch at a time with plans.bundle (one query per table per plan) and written
    back with one bulk UPDATE per batch.
    """
    from plans.bundle import load_bundle

    qs = Plan.objects.filter(status__in=CURRENT).order_by("pk")
    if only_missing:
        qs = qs.filter(score__isnull=True)
    checks = _checks()
    changed = 0
    ids = list(qs.values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        plans = list(Plan.objects.filter(pk__in=ids[start : start + batch]).select_related("org"))
        now = timezone.now()
        dirty = []
        for plan in plans:
            score = checks.run_checks(load_bundle(plan)).score
            if plan.score != score or plan.score_at is None:
                plan.score, plan.score_at = score, now
                dirty.append(plan)
        Plan.objects.bulk_update(dirty, ["score", "score_at"])
        changed += len(dirty)
    return changed


def demo_step(ctx) -> str:
    """load_demo step: scores for the demo's plans that have none yet (idempotent)."""
    n = refresh_plan_scores(only_missing=True)
    return f"คะแนนความพร้อม / readiness scores: {n} plan(s) scored"
