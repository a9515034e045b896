"""Every write of the directives app: compose, issue, relay, acknowledge, submit, review.

Each function is atomic, records an audit event, and tells people through directives.notify after
the transaction commits (a failing e-mail never undoes or blocks the write). Permission checks that
depend on the actor live here too (`can_issue`, `can_submit`, `can_review`), so the pages and the API
ask the same questions; *seeing* a directive is Directive.objects.visible_to (orgs.access).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.log import record
from directives import notify, numbering
from directives.models import (
    Ask,
    CopyRule,
    Directive,
    DirectiveStatus,
    Enclosure,
    Group,
    Recipient,
    Submission,
    SubmissionCopy,
    SubmissionStatus,
    receipt_number,
)
from orgs import access
from orgs.models import LGO_KINDS, NATIONAL_KINDS, PROVINCIAL_KINDS, Kind, Organization, Role
from plans.models import Plan
from plans.models import Status as PlanStatus

# Fields a directive's author writes (the rest is set by issuing).
FIELDS = (
    "urgency",
    "subject",
    "salutation",
    "references",
    "body",
    "closing",
    "cover_note",
    "ask",
    "deadline",
    "submit_to",
    "copy_rules",
    "signer_name",
    "signer_position",
    "owning_unit",
    "contact",
    "date",
    "is_circular",
    "groups",
    "number",
)
# What a relay inherits from the directive it relays.
INHERITED = ("urgency", "subject", "references", "body", "ask", "deadline", "submit_to", "copy_rules")


class DirectiveError(Exception):
    """A write that cannot be done as asked; the message says why and what to do."""


class NotAllowed(DirectiveError):
    """The user may see the directive but not do this (403)."""


class AlreadyRelayed(DirectiveError):
    """The organization has relayed this directive already (a double click, a retried request)."""

    def __init__(self, relay: Directive, message: str):
        self.relay = relay
        super().__init__(message)


class AlreadySubmitted(DirectiveError):
    def __init__(self, submission: Submission, message: str):
        self.submission = submission
        super().__init__(message)


# -- who may do what -------------------------------------------------------------------------


def can_issue(user, org: Organization) -> bool:
    """Overseers issue in the name of an organization they belong to (site admins: any)."""
    return getattr(user, "is_superuser", False) or Role.OVERSEER in access.roles_in(user, org)


def issuer_choices(user) -> list[Organization]:
    """Organizations the user may issue directives as."""
    if getattr(user, "is_superuser", False):
        kinds = [Kind.OPDC, Kind.DLA, Kind.PROVINCIAL_OFFICE, Kind.PROVINCE, Kind.DISTRICT]
        return list(Organization.objects.filter(kind__in=kinds).order_by("kind", "name_th")[:2000])
    return [m.organization for m in access.memberships(user) if m.role == Role.OVERSEER]


def can_review(user, submission: Submission) -> bool:
    """Reviewers are the overseers of the organization the plan was sent to (OPDC), not the copies."""
    return getattr(user, "is_superuser", False) or Role.OVERSEER in access.roles_in(
        user, submission.submitted_to
    )


def relay_issuers(user, directive: Directive) -> list[Organization]:
    """Addressees of `directive` that the user may relay it from (their overseer memberships)."""
    if directive.status != DirectiveStatus.ISSUED:
        return []
    orgs = Organization.objects.filter(
        directives_received__directive=directive, directives_received__role=Recipient.Role.TO
    ).exclude(kind__in=LGO_KINDS)
    return [o for o in orgs if can_issue(user, o)]


def submitters(user, directive: Directive) -> list[Organization]:
    """Addressees of `directive` for which the user may submit a plan (planners and approvers)."""
    if directive.status != DirectiveStatus.ISSUED or directive.ask != Ask.SUBMIT_PLAN:
        return []
    mine = [m.organization_id for m in access.memberships(user) if m.role in (Role.PLANNER, Role.APPROVER)]
    return list(Organization.objects.filter(pk__in=mine, directives_received__directive=directive))


# -- addressees ------------------------------------------------------------------------------


def groups_for(issuer: Organization) -> list[Group]:
    """The addressee groups that make sense for an issuer of this kind."""
    if issuer.kind in NATIONAL_KINDS:
        return [Group.PROVINCES, Group.PROVINCIAL_OFFICES, Group.DISTRICTS, Group.LGOS]
    if issuer.kind in PROVINCIAL_KINDS:
        return [Group.DISTRICTS, Group.LGOS]
    if issuer.kind == Kind.DISTRICT:
        return [Group.DISTRICT_LGOS]
    return []


def group_queryset(issuer: Organization, group: str):
    below = Organization.objects.within(issuer).filter(is_active=True)
    if group == Group.DISTRICTS:
        return below.filter(kind=Kind.DISTRICT)
    if group in (Group.LGOS, Group.DISTRICT_LGOS):
        return below.lgos()
    if group == Group.PROVINCES:
        return below.filter(kind=Kind.PROVINCE)
    if group == Group.PROVINCIAL_OFFICES:
        return below.filter(kind=Kind.PROVINCIAL_OFFICE)
    return Organization.objects.none()


def addressable(issuer: Organization):
    """Organizations a directive of `issuer` may name: everything below it, plus OPDC and the DLA."""
    return Organization.objects.filter(
        issuer.subtree_q() | Q(kind__in=NATIONAL_KINDS), is_active=True
    ).exclude(pk=issuer.pk)


def planned_recipients(directive: Directive) -> dict[int, tuple[str, str]]:
    """org id -> (role, group) that issuing would produce: named rows plus expanded groups.

    An organization named "to" or reached by a group is an addressee even if also named as copy.
    """
    out: dict[int, tuple[str, str]] = {}
    for group in directive.groups or []:
        for org_id in group_queryset(directive.issuer, group).values_list("pk", flat=True).iterator():
            out.setdefault(org_id, (Recipient.Role.TO, group))
    for org_id, role, group in directive.recipients.values_list("org_id", "role", "group"):
        if role == Recipient.Role.TO or org_id not in out:
            out[org_id] = (role, group)
    out.pop(directive.issuer_id, None)
    return out


def set_named_recipients(directive: Directive, *, to: Iterable[int], copies: Iterable[int]) -> None:
    """Replace the named addressees of a draft (group members are added on issue)."""
    to, copies = set(to), set(copies) - set(to)
    directive.recipients.all().delete()
    Recipient.objects.bulk_create(
        [Recipient(directive=directive, org_id=i, role=Recipient.Role.TO) for i in sorted(to)]
        + [Recipient(directive=directive, org_id=i, role=Recipient.Role.COPY) for i in sorted(copies)]
    )


# -- compose and issue -----------------------------------------------------------------------


def _save_enclosures(directive: Directive, enclosures: Iterable[dict], *, start: int = 0) -> list[str]:
    """Create enclosure rows; returns the storage names written (to remove them if the write fails)."""
    written = []
    for i, item in enumerate(enclosures, start=start):
        enc = Enclosure(
            directive=directive,
            order=i,
            title=item["title"],
            detail=item.get("detail", ""),
            quantity=item.get("quantity") or "๑ ชุด",
        )
        checked = item.get("upload")
        if checked is not None:
            enc.original_name = checked.original_name
            enc.content_type = checked.content_type
            enc.size = checked.size
            enc.sha256 = checked.sha256
            enc.file.save(checked.original_name, checked.file, save=False)
            written.append(enc.file.name)
        enc.save()
    return written


def _atomic_with_files(fn):
    """Run fn() in a transaction; if it fails, remove the files it stored (nothing partial)."""
    written: list[str] = []
    try:
        with transaction.atomic():
            return fn(written)
    except BaseException:
        from django.core.files.storage import default_storage

        for name in written:
            default_storage.delete(name)
        raise


def create_directive(
    *, issuer: Organization, by, values: dict, to=(), copies=(), enclosures=(), parent=None, request=None
) -> Directive:
    """A draft directive with its named addressees and enclosures."""

    def write(written):
        d = Directive(issuer=issuer, parent=parent, created_by=by, status=DirectiveStatus.DRAFT)
        for name, value in values.items():
            if name in FIELDS:
                setattr(d, name, value)
        d.save()
        set_named_recipients(d, to=to, copies=copies)
        written += _save_enclosures(d, enclosures)
        record("directive.create", actor=by, organization=issuer, obj=d, summary=d.subject, request=request)
        return d

    return _atomic_with_files(write)


def update_directive(
    directive: Directive, *, by, values: dict, to=(), copies=(), enclosures=(), remove=(), request=None
) -> Directive:
    """Change a draft (issued directives are never edited: a correction is a new letter)."""

    def write(written):
        d = Directive.objects.select_for_update().get(pk=directive.pk)
        if d.status != DirectiveStatus.DRAFT:
            raise DirectiveError(_("This directive has been issued and can no longer be changed."))
        changed = []
        for name, value in values.items():
            if name in FIELDS:
                setattr(d, name, value)
                changed.append(name)
        d.version += 1
        d.save()
        set_named_recipients(d, to=to, copies=copies)
        gone = list(d.enclosures.filter(pk__in=list(remove)))
        for enc in gone:
            if enc.file:
                transaction.on_commit(
                    lambda name=enc.file.name, storage=enc.file.storage: storage.delete(name)
                )
            enc.delete()
        start = (d.enclosures.order_by("-order").values_list("order", flat=True).first() or 0) + 1
        written += _save_enclosures(d, enclosures, start=start)
        record(
            "directive.update",
            actor=by,
            organization=d.issuer,
            obj=d,
            summary=d.subject,
            data={"fields": changed},
            request=request,
        )
        return d

    return _atomic_with_files(write)


def delete_draft(directive: Directive, *, by, request=None) -> None:
    with transaction.atomic():
        d = Directive.objects.select_for_update().get(pk=directive.pk)
        if d.status != DirectiveStatus.DRAFT:
            raise DirectiveError(_("An issued directive cannot be deleted."))
        files = [(e.file.storage, e.file.name) for e in d.enclosures.all() if e.file]
        record("directive.delete", actor=by, organization=d.issuer, obj=d, summary=d.subject, request=request)
        d.delete()
        for storage, name in files:
            transaction.on_commit(lambda s=storage, n=name: s.delete(n))


def issue_directive(directive: Directive, *, by, number: str = "", request=None) -> Directive:
    """Draft -> issued: date, register number (typed or the next one), addressees expanded in bulk."""
    with transaction.atomic():
        d = Directive.objects.select_for_update().select_related("issuer").get(pk=directive.pk)
        if d.status != DirectiveStatus.DRAFT:
            raise DirectiveError(_("This directive has already been issued."))
        _check_ready(d)
        d.date = d.date or timezone.localdate()
        if d.root_id is None:
            d.root = d.parent.root if d.parent_id else None
        if d.root_id is None:
            d.root_id = d.pk
        d.status = DirectiveStatus.ISSUED
        d.issued_by = by
        d.issued_at = timezone.now()
        d.save(update_fields=["date", "root", "status", "issued_by", "issued_at", "updated_at"])
        try:
            numbering.assign_number(d, typed=number or d.number)
        except numbering.NumberTaken as exc:
            raise DirectiveError(
                _(
                    "Number %(n)s is already used in this year's series of %(org)s. Leave the number empty "
                    "to take the next free one, or type another."
                )
                % {"n": exc.number, "org": d.issuer}
            ) from None
        _expand(d)
        record(
            "directive.issue",
            actor=by,
            organization=d.issuer,
            obj=d,
            summary=f"{d.number} {d.subject}",
            data={"recipients": d.recipients.count()},
            request=request,
        )
        transaction.on_commit(lambda: notify.on_issued(d))
    return d


def _check_ready(d: Directive) -> None:
    if not d.subject.strip():
        raise DirectiveError(_("Write the subject before issuing."))
    if d.ask == Ask.SUBMIT_PLAN and d.submit_to_id is None:
        raise DirectiveError(_("Say where plans are to be sent (for example OPDC) before issuing."))
    if not d.groups and not d.recipients.filter(role=Recipient.Role.TO).exists():
        raise DirectiveError(_("Choose at least one addressee (an organization or a group) before issuing."))


def _expand(d: Directive) -> None:
    """Turn the draft's groups into Recipient rows (one bulk insert, however many organizations)."""
    planned = planned_recipients(d)
    existing = {
        org_id: (role, group) for org_id, role, group in d.recipients.values_list("org_id", "role", "group")
    }
    if d.issuer_id in existing:
        d.recipients.filter(org_id=d.issuer_id).delete()
    changed: dict[tuple[str, str], list[int]] = {}
    for org_id, now in planned.items():
        if org_id in existing and existing[org_id] != now:
            changed.setdefault(now, []).append(org_id)
    for (role, group), ids in changed.items():
        d.recipients.filter(org_id__in=ids).update(role=role, group=group)
    Recipient.objects.bulk_create(
        [
            Recipient(directive=d, org_id=org_id, role=role, group=group)
            for org_id, (role, group) in planned.items()
            if org_id not in existing
        ],
        batch_size=2000,
    )


# -- relay -----------------------------------------------------------------------------------


def relay_candidates(parent: Directive, issuer: Organization):
    """Organizations below `issuer` not yet addressed anywhere in the chain: the relay's default."""
    reached = Recipient.objects.filter(directive__root_id=parent.root_id, role=Recipient.Role.TO).values(
        "org_id"
    )
    below = Organization.objects.within(issuer).filter(is_active=True).exclude(pk=issuer.pk)
    if issuer.kind in PROVINCIAL_KINDS:
        below = below.exclude(kind__in=PROVINCIAL_KINDS)
    return below.exclude(pk__in=reached)


def relay_directive(
    parent: Directive,
    *,
    issuer: Organization,
    by,
    date: dt.date | None = None,
    number: str = "",
    cover_note: str = "",
    to: Iterable[int] | None = None,
    request=None,
) -> Directive:
    """Relay an issued directive from one of its addressees down to the organizations below it.

    The relay is a new directive (own number in the issuer's ว series, own date, a covering note)
    that inherits the subject, body, deadline and submission rules; `to` defaults to every
    organization below the issuer that the chain has not reached yet.
    """
    if not can_issue(by, issuer):
        raise NotAllowed(_("Only an overseer of %(org)s can relay in its name.") % {"org": issuer})
    if not Recipient.objects.filter(directive=parent, org=issuer, role=Recipient.Role.TO).exists():
        raise NotAllowed(_("%(org)s is not an addressee of this directive.") % {"org": issuer})
    if parent.status != DirectiveStatus.ISSUED:
        raise DirectiveError(_("Only an issued directive can be relayed."))
    candidates = relay_candidates(parent, issuer)
    if to is None:
        to_ids = list(candidates.values_list("pk", flat=True))
    else:
        wanted = set(to)
        to_ids = list(
            Organization.objects.within(issuer)
            .filter(pk__in=wanted)
            .exclude(pk=issuer.pk)
            .values_list("pk", flat=True)
        )
        if len(to_ids) != len(wanted):
            raise DirectiveError(_("A relay can only go to organizations below %(org)s.") % {"org": issuer})
    if not to_ids:
        raise DirectiveError(
            _("There is no organization below %(org)s to relay this directive to.") % {"org": issuer}
        )
    values = {name: getattr(parent, name) for name in INHERITED}
    values.update(
        cover_note=cover_note,
        date=date or timezone.localdate(),
        salutation=_default_salutation(issuer),
        closing="จึงแจ้งมาเพื่อทราบและดำเนินการ",
        is_circular=True,
    )
    with transaction.atomic():
        # One relay per addressee: lock the parent so that two clicks (or two API calls) at the
        # same moment cannot both pass the check and send the circular down twice.
        Directive.objects.select_for_update().filter(pk=parent.pk).first()
        done = parent.relays.filter(issuer=issuer, status=DirectiveStatus.ISSUED).first()
        if done is not None:
            raise AlreadyRelayed(done, _("%(org)s has relayed this directive already.") % {"org": issuer})
        relay = create_directive(
            issuer=issuer, by=by, values=values, to=to_ids, parent=parent, request=request
        )
        relay.root_id = parent.root_id
        relay.save(update_fields=["root"])
        issue_directive(relay, by=by, number=number, request=request)
    relay.refresh_from_db()
    return relay


def _default_salutation(issuer: Organization) -> str:
    if issuer.kind == Kind.DISTRICT:
        return "นายกองค์การบริหารส่วนจังหวัด นายกเทศมนตรี และนายกองค์การบริหารส่วนตำบล ทุกแห่ง"
    if issuer.kind in PROVINCIAL_KINDS:
        return "นายอำเภอ ทุกอำเภอ"
    return ""


def chain_of(directive: Directive) -> list[Directive]:
    """The directive's ancestors from the root down, then the directive itself (a few queries)."""
    chain = [directive]
    at = directive
    while at.parent_id is not None and len(chain) < 10:
        at = Directive.objects.select_related("issuer").get(pk=at.parent_id)
        chain.append(at)
    return list(reversed(chain))


# -- acknowledgement -------------------------------------------------------------------------


def acknowledge(directive: Directive, *, user) -> int:
    """Record that a member of an addressee opened the directive (first opener and time, once)."""
    if directive.status != DirectiveStatus.ISSUED or not getattr(user, "is_authenticated", False):
        return 0
    org_ids = [m.organization_id for m in access.memberships(user)]
    if not org_ids:
        return 0
    return Recipient.objects.filter(
        directive=directive, org_id__in=org_ids, acknowledged_at__isnull=True
    ).update(acknowledged_at=timezone.now(), acknowledged_by=user)


# -- submissions -----------------------------------------------------------------------------


def copy_orgs(org: Organization, rules: Iterable[str], *, exclude=()) -> list[int]:
    """The organizations that get a copy of `org`'s submission under the directive's copy rules.

    "province": the provincial local-administration office when the province has one (that is where
    the overseers of local governments sit), otherwise the province itself. "district": the district
    the local government lies in.
    """
    ids: list[int] = []
    rules = set(rules or [])
    if CopyRule.PROVINCE in rules and org.province_id:
        office = (
            Organization.objects.filter(province_id=org.province_id, kind=Kind.PROVINCIAL_OFFICE)
            .values_list("pk", flat=True)
            .first()
        )
        ids.append(office or org.province_id)
    if CopyRule.DISTRICT in rules and org.district_id and org.district_id != org.pk:
        ids.append(org.district_id)
    return [i for i in dict.fromkeys(ids) if i not in set(exclude)]


def is_on_time(at: dt.datetime, deadline: dt.datetime | None) -> bool:
    """On time up to and including the deadline instant (end of the deadline day by default)."""
    return deadline is None or at <= deadline


def _submission_allowed(directive: Directive, plan: Plan, by) -> None:
    if directive.status != DirectiveStatus.ISSUED or directive.ask != Ask.SUBMIT_PLAN:
        raise DirectiveError(_("This directive does not ask for a plan."))
    if directive.submit_to_id is None:
        raise DirectiveError(_("This directive does not say where plans go; ask its issuer."))
    if not access.can_plan(by, plan.org):
        raise NotAllowed(_("Only the organization's planners and approvers can submit its plan."))
    if not Recipient.objects.filter(directive=directive, org_id=plan.org_id).exists():
        raise NotAllowed(_("%(org)s is not an addressee of this directive.") % {"org": plan.org})
    if plan.status != PlanStatus.APPROVED:
        raise DirectiveError(
            _("Only an approved plan can be submitted. Have the executive approve the plan first.")
        )


def submit_plan(directive: Directive, plan: Plan, *, by, key: str, note: str = "", request=None):
    """Send an approved plan up the chain. Returns (submission, created).

    Idempotent: the same key returns the submission it made; so does sending the same approved
    version again while its submission is live (five clicks, five identical receipts). A different
    approved version replaces a submission that is waiting or was returned (the old one becomes
    superseded, history kept); after acceptance nothing replaces it.
    """
    key = (key or "").strip()[:80]
    if not key:
        raise DirectiveError(_("The submission has no idempotency key; reload the page and send it again."))
    found = Submission.objects.filter(idempotency_key=key).first()
    if found is not None:
        if found.org_id != plan.org_id or found.root_id != directive.root_id:
            raise DirectiveError(_("This idempotency key was used for another submission; send a new one."))
        return found, False
    _submission_allowed(directive, plan, by)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return _submit(directive, plan, by=by, key=key, note=note, request=request)
        except IntegrityError:
            # A concurrent request won the race (same key, or a live submission for this chain).
            found = Submission.objects.filter(idempotency_key=key).first()
            if found is not None:
                return found, False
            live = _live(directive, plan.org_id)
            if live is not None and live.plan_id == plan.pk:
                return live, False
    raise DirectiveError(_("The submission could not be saved; please send it again."))


def _live(directive: Directive, org_id: int) -> Submission | None:
    return (
        Submission.objects.filter(root_id=directive.root_id, org_id=org_id)
        .exclude(status=SubmissionStatus.SUPERSEDED)
        .first()
    )


def _submit(directive: Directive, plan: Plan, *, by, key: str, note: str, request) -> tuple[Submission, bool]:
    live = (
        Submission.objects.select_for_update()
        .filter(root_id=directive.root_id, org_id=plan.org_id)
        .exclude(status=SubmissionStatus.SUPERSEDED)
        .first()
    )
    if live is not None:
        if live.plan_id == plan.pk and live.status in (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED):
            return live, False
        if live.status == SubmissionStatus.ACCEPTED:
            raise AlreadySubmitted(
                live, _("The plan sent in answer to this directive has been accepted already.")
            )
        if live.plan_id == plan.pk:
            raise AlreadySubmitted(
                live,
                _(
                    "This plan version was returned with comments. Revise the plan, have the new version "
                    "approved, then submit it."
                ),
            )
        live.status = SubmissionStatus.SUPERSEDED
        live.save(update_fields=["status"])
    now = timezone.now()
    sub = Submission.objects.create(
        directive=directive,
        root_id=directive.root_id,
        org=plan.org,
        plan=plan,
        plan_digest=plan.digest,
        submitted_to_id=directive.submit_to_id,
        receipt_number=receipt_number(directive.root_id, plan.org_id, key),
        idempotency_key=key,
        submitted_by=by,
        submitted_at=now,
        on_time=is_on_time(now, directive.deadline),
        note=note,
        replaces=live,
    )
    SubmissionCopy.objects.bulk_create(
        [
            SubmissionCopy(submission=sub, org_id=i)
            for i in copy_orgs(plan.org, directive.copy_rules, exclude=[directive.submit_to_id, plan.org_id])
        ]
    )
    record(
        "submission.create",
        actor=by,
        organization=plan.org,
        obj=sub,
        summary=sub.receipt_number,
        data={
            "directive": directive.pk,
            "plan": plan.pk,
            "on_time": sub.on_time,
            "replaces": live.pk if live else None,
        },
        request=request,
    )
    transaction.on_commit(lambda: notify.on_submitted(sub))
    return sub, True


def new_key() -> str:
    return str(uuid.uuid4())


def review_submission(
    submission: Submission, *, by, accept: bool, comment: str = "", request=None
) -> Submission:
    """Accept a submission, or return it with comments (the comments are required)."""
    if not can_review(by, submission):
        raise NotAllowed(
            _("Only the overseers of %(org)s review plans sent to it.") % {"org": submission.submitted_to}
        )
    comment = (comment or "").strip()
    if not accept and not comment:
        raise DirectiveError(_("Say what should be revised: returning a plan needs comments."))
    status = SubmissionStatus.ACCEPTED if accept else SubmissionStatus.RETURNED
    now = timezone.now()
    with transaction.atomic():
        n = Submission.objects.filter(pk=submission.pk, status=SubmissionStatus.SUBMITTED).update(
            status=status, reviewed_by=by, reviewed_at=now, review_comment=comment
        )
        if n == 0:
            raise DirectiveError(_("This submission has been reviewed already or was replaced."))
        submission.refresh_from_db()
        record(
            "submission.review",
            actor=by,
            organization=submission.org,
            obj=submission,
            summary=f"{submission.receipt_number} {status}",
            data={"status": status},
            request=request,
        )
        transaction.on_commit(lambda: notify.on_reviewed(submission))
    return submission


def history(submission: Submission) -> list[Submission]:
    """Every submission of the organization for the same chain, newest first."""
    return list(
        Submission.objects.filter(root_id=submission.root_id, org_id=submission.org_id)
        .select_related("plan", "submitted_by", "reviewed_by")
        .order_by("-submitted_at", "-pk")
    )


def plan_to_submit(org: Organization) -> Plan | None:
    return Plan.objects.filter(org=org, status=PlanStatus.APPROVED).first()
