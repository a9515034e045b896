"""The life of a plan version: ร่าง (draft) → รออนุมัติ (in review) → อนุมัติแล้ว (approved) → ถูกแทนที่ (superseded).

    draft ──submit_for_review──▶ in_review ──approve──▶ approved ──(next approval)──▶ superseded
      ▲  ╲                          │
      │   ╲────────approve──────────┼──▶ (a small organization's executive may approve a draft directly)
      └────────return_to_draft──────┘

Every transition is atomic and audited, and changes the status with a conditional UPDATE
(``WHERE status = <expected>``): a double click, or two people pressing the same button, changes
the plan once and the second call simply finds the plan already where it was going.

Approval freezes the plan: its export (plans.portability) is stored in ``Plan.snapshot`` and the
SHA-256 of the canonical export bytes in ``Plan.digest``, so anyone can later check that an
approved plan is the one that was approved. An approved plan is never edited again (plans.actions
refuses every write on a non-draft); a revision is a new draft (portability.start_revision).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.log import record
from orgs import access
from orgs.models import Organization
from plans.actions import next_review_default
from plans.models import Plan, RevisionEntry, Status


class LifecycleError(Exception):
    """A transition that cannot happen from the plan's current status."""

    def __init__(self, plan: Plan, message: str):
        self.plan = plan
        super().__init__(message)


class NotAllowed(PermissionDenied):
    """The user does not hold the role this transition needs (views answer 403)."""


class ApprovalRefused(Exception):
    """The checker found errors: a plan with errors is not approved. `errors` lists the checker's issues."""

    def __init__(self, plan: Plan, errors: list):
        self.plan = plan
        self.errors = list(errors)
        super().__init__(
            _("The plan cannot be approved: the checker found %(n)d error(s).") % {"n": len(self.errors)}
        )


def _wrong_state(plan: Plan) -> LifecycleError:
    return LifecycleError(
        plan,
        _("This plan is %(status)s: this step is not possible now.") % {"status": plan.get_status_display()},
    )


def _transition(plan: Plan, *, from_statuses, to: str, values: dict) -> bool:
    """Move the plan to `to` if it is still in one of `from_statuses`. True when this call moved it."""
    moved = Plan.objects.filter(pk=plan.pk, status__in=list(from_statuses)).update(
        status=to, version=F("version") + 1, updated_at=timezone.now(), **values
    )
    plan.refresh_from_db()
    if not moved and plan.status != to:
        raise _wrong_state(plan)
    return bool(moved)


@transaction.atomic
def submit_for_review(plan: Plan, *, by, request=None) -> Plan:
    """Draft → in review (ส่งขออนุมัติ). Planners and approvers of the organization."""
    if not access.can_plan(by, plan.org):
        raise NotAllowed(_("Only the organization's planners and approvers can send a plan for approval."))
    if _transition(
        plan, from_statuses=[Status.DRAFT], to=Status.IN_REVIEW, values={"submitted_at": timezone.now()}
    ):
        record("plan.submit", actor=by, organization=plan.org, obj=plan, request=request, summary=plan.title)
        _refresh_score(plan)
    return plan


@transaction.atomic
def return_to_draft(plan: Plan, *, by, comment: str = "", request=None) -> Plan:
    """In review → draft with a comment (ส่งกลับแก้ไข): the approver returns it, or a planner withdraws it."""
    if not access.can_plan(by, plan.org):
        raise NotAllowed(_("Only the organization's planners and approvers can return a plan to draft."))
    if _transition(plan, from_statuses=[Status.IN_REVIEW], to=Status.DRAFT, values={"submitted_at": None}):
        record(
            "plan.return", actor=by, organization=plan.org, obj=plan, request=request,
            summary=comment[:300], data={"comment": comment},
        )  # fmt: skip
        _refresh_score(plan)
    return plan


def _refresh_score(plan: Plan, result=None) -> None:
    """Plan.score for dashboards (directives.scoring), imported late like the checker."""
    from directives.scoring import refresh_score

    refresh_score(plan, result)


def run_checks(plan_or_bundle):
    """The checker's result (plans.checks, imported late: the checker may import this module)."""
    from plans import checks

    return checks.run_checks(plan_or_bundle)


def export_plan(plan_or_bundle) -> dict:
    from plans import portability

    return portability.export_plan(plan_or_bundle)


def export_digest(plan: Plan) -> str:
    """SHA-256 (hex) of the plan's canonical export bytes: what `approve` stores in Plan.digest."""
    from plans import portability

    return hashlib.sha256(portability.export_json(plan)).hexdigest()


def approve(plan: Plan, *, by, request=None) -> Plan:
    """In review (or draft) → approved, by an approver (ผู้บริหาร) of the organization.

    A draft may be approved directly: in a small อบต. the executive often both reviews and
    approves, and forcing a separate "send for approval" click adds nothing. Refused with
    ApprovalRefused while the checker reports errors. In the same transaction the organization's
    previously approved plan becomes superseded (the database allows one approved plan per
    organization), a revision-history row is completed, and the plan is frozen: snapshot + digest.
    Approving an already approved plan again (a double click) changes nothing.
    """
    if not access.can_approve(by, plan.org):
        raise NotAllowed(_("Only an approver of the organization can approve its plan."))
    with transaction.atomic():
        # One approval at a time per organization: the supersede-then-approve pair must not interleave.
        Organization.objects.select_for_update().filter(pk=plan.org_id).first()
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        if locked.status == Status.APPROVED:
            plan.refresh_from_db()
            return plan
        if locked.status not in (Status.DRAFT, Status.IN_REVIEW):
            raise _wrong_state(locked)

        from plans.bundle import load_bundle

        result = run_checks(load_bundle(locked))
        if result.errors:
            raise ApprovalRefused(locked, result.errors)
        _refresh_score(locked, result)

        now = timezone.now()
        today = timezone.localdate()
        superseded = list(
            Plan.objects.select_for_update()
            .filter(org_id=plan.org_id, status=Status.APPROVED)
            .exclude(pk=plan.pk)
        )
        if superseded:
            Plan.objects.filter(pk__in=[p.pk for p in superseded]).update(
                status=Status.SUPERSEDED, version=F("version") + 1, updated_at=now
            )
        _complete_revision_entry(locked, by=by, today=today)
        review = (
            locked.next_review_date if locked.next_review_date and locked.next_review_date > today else None
        )
        _transition(
            locked,
            from_statuses=[Status.DRAFT, Status.IN_REVIEW],
            to=Status.APPROVED,
            values={
                "approved_by": by,
                "approved_at": now,
                "submitted_at": locked.submitted_at or now,
                "next_review_date": review or next_review_default(today),
            },
        )
        # Freeze what was approved, after the status and approver are set (they are part of the export).
        snapshot = export_plan(locked)
        digest = export_digest(locked)
        Plan.objects.filter(pk=locked.pk).update(snapshot=snapshot, digest=digest)
        for old in superseded:
            record(
                "plan.supersede", actor=by, organization=old.org, obj=old, request=request,
                summary=old.title, data={"by_plan": locked.pk},
            )  # fmt: skip
        record(
            "plan.approve", actor=by, organization=locked.org, obj=locked, request=request,
            summary=locked.title, data={"digest": digest, "superseded": [p.pk for p in superseded]},
        )  # fmt: skip
    plan.refresh_from_db()
    return plan


def _complete_revision_entry(plan: Plan, *, by, today: dt.date) -> None:
    """The revision history names this version, its approval date and approver.

    A planner often writes the entry for the version themselves (label = revision number, with what
    changed): then only its date and reviewer are filled in. Otherwise a row is added.
    """
    label = str(plan.revision)
    name = str(by)[:200]
    entry = RevisionEntry.objects.filter(plan=plan, label=label).order_by("order", "id").first()
    if entry is not None:
        RevisionEntry.objects.filter(pk=entry.pk).update(date=today, reviewer=name, version=F("version") + 1)
        return
    last = RevisionEntry.objects.filter(plan=plan).order_by("-order").values_list("order", flat=True).first()
    with translation.override("th"):  # plan content is Thai, whatever language the approver reads
        changes = _("Approved for use") if plan.revision == 1 else _("Revised version approved for use")
    RevisionEntry.objects.create(
        plan=plan, label=label, date=today, reviewer=name, changes=changes, order=(last or 0) + 1
    )


def digest_matches(plan: Plan) -> bool:
    """True when an approved plan still exports to exactly the bytes that were approved."""
    return bool(plan.digest) and export_digest(plan) == plan.digest


def due_for_review(within_days: int = 30, *, today: dt.date | None = None):
    """Approved plans whose yearly review (next_review_date) is within `within_days` days, or overdue."""
    today = today or timezone.localdate()
    return (
        Plan.objects.filter(
            status=Status.APPROVED, next_review_date__lte=today + dt.timedelta(days=within_days)
        )
        .select_related("org")
        .order_by("next_review_date", "org__name_th")
    )
