"""The directives API: directives down the chain, relays, acknowledgements, submissions and reviews.

Same rules as the pages (directives.actions and Directive/Submission.objects.visible_to): outside
your reach is 404 whatever the method; visible but not yours to act on is 403; a state that does not
allow the action is 409; a body that does not validate is 422. Request bodies of writes are read
after the access checks, so an outsider learns nothing about an object they may not see.

Submitting is idempotent: send the same `Idempotency-Key` header (or `idempotency_key` field) on a
retry and you get the same submission and receipt (200 instead of 201).
"""

import datetime as dt
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from api.pagination import Pagination
from api.routers.plans import _error, _Invalid, _json_body, _validate
from directives import actions
from directives.forms import deadline_at, parse_date, parse_time
from directives.models import Ask, CopyRule, Directive, DirectiveStatus, Group, Submission, Urgency
from orgs.models import Organization
from plans.models import Plan
from plans.models import Status as PlanStatus

router = Router(tags=["directives"])


# -- schemas -----------------------------------------------------------------------------------


class Detail(Schema):
    detail: str


class OrgRef(Schema):
    id: int
    name_th: str
    kind: str


class ChainLink(Schema):
    id: int
    number: str
    date: dt.date | None
    issuer: OrgRef


class DirectiveListOut(Schema):
    id: int
    status: str
    number: str
    date: dt.date | None
    urgency: str
    subject: str
    issuer: OrgRef
    parent_id: int | None
    root_id: int | None
    deadline: dt.datetime | None
    ask: str


class InboxOut(DirectiveListOut):
    recipient_org: OrgRef
    role: str
    acknowledged_at: dt.datetime | None


class EnclosureOut(Schema):
    id: int
    title: str
    detail: str
    quantity: str
    original_name: str
    content_type: str
    size: int
    download_url: str | None


class DirectiveOut(DirectiveListOut):
    salutation: str
    references: list
    body: str
    closing: str
    cover_note: str
    submit_to: OrgRef | None
    copy_rules: list[str]
    groups: list[str]
    signer_name: str
    signer_position: str
    owning_unit: str
    contact: str
    issued_at: dt.datetime | None
    chain: list[ChainLink]
    enclosures: list[EnclosureOut]
    recipients_count: int
    opened_count: int | None = Field(description="Only for the issuer's side.")


class ReferenceIn(Schema):
    description: str = Field(max_length=300)
    number: str = Field("", max_length=80)
    date: dt.date | None = None


class EnclosureLineIn(Schema):
    title: str = Field(max_length=500)
    detail: str = Field("", max_length=300)
    quantity: str = Field("๑ ชุด", max_length=40)


class DirectiveIn(Schema):
    issuer: int | None = Field(None, description="The organization issuing it (default: your only one).")
    subject: str = Field(min_length=1, max_length=500)
    urgency: Urgency = Urgency.NORMAL
    number: str = Field("", max_length=80, description="Typed number, or empty for the next ว number.")
    date: str | None = Field(None, description="ISO date, or d/m/yyyy (B.E. years accepted); default: today.")
    salutation: str = Field("", max_length=500)
    references: list[ReferenceIn] = []
    enclosures: list[EnclosureLineIn] = Field(
        default_factory=list, description="Lines only (upload files on the page)."
    )
    body: str = ""
    closing: str = Field("จึงเรียนมาเพื่อโปรดทราบและดำเนินการ", max_length=500)
    ask: Ask = Ask.SUBMIT_PLAN
    deadline: str | None = Field(
        None,
        description="ISO date-time, or a date (end of that day), Asia/Bangkok unless an offset is given.",
    )
    submit_to: int | None = None
    copy_rules: list[CopyRule] = []
    groups: list[Group] = []
    to: list[int] = Field(default_factory=list, description="Named addressees (organization ids).")
    copies: list[int] = []
    signer_name: str = Field("", max_length=200)
    signer_position: str = ""
    owning_unit: str = ""
    contact: str = ""
    issue: bool = Field(False, description="Issue at once (otherwise a draft is created).")


class RelayIn(Schema):
    issuer: int | None = Field(None, description="The addressee relaying it (default: your only one).")
    number: str = Field("", max_length=80)
    date: dt.date | None = None
    cover_note: str = ""
    to: list[int] | None = Field(None, description="Default: every organization below not yet reached.")


class RecipientOut(Schema):
    org: OrgRef
    role: str
    group: str
    acknowledged_at: dt.datetime | None


class AckOut(Schema):
    acknowledged: int = Field(description="How many of your organizations' rows were recorded now.")


class SubmitIn(Schema):
    org: int | None = Field(None, description="The submitting local government (default: your only one).")
    idempotency_key: str | None = Field(None, max_length=80, description="Or the Idempotency-Key header.")
    note: str = Field("", max_length=2000)


class SubmissionOut(Schema):
    id: int
    receipt_number: str
    status: str
    directive_id: int
    root_id: int
    org: OrgRef
    submitted_to: OrgRef
    plan_id: int
    plan_digest: str
    submitted_at: dt.datetime
    on_time: bool
    note: str
    replaces_id: int | None
    reviewed_at: dt.datetime | None
    review_comment: str
    copies: list[OrgRef]

    @staticmethod
    def resolve_copies(obj):
        return [c.org for c in obj.copies.all()]


class ReviewIn(Schema):
    decision: Literal["accept", "return"]
    comment: str = ""


# -- helpers -----------------------------------------------------------------------------------


def _directive(request, directive_id: int) -> Directive:
    return get_object_or_404(
        Directive.objects.visible_to(request.auth).select_related("issuer", "submit_to"), pk=directive_id
    )


def _submission(request, submission_id: int) -> Submission:
    return get_object_or_404(
        Submission.objects.visible_to(request.auth).select_related("org", "submitted_to"), pk=submission_id
    )


def _guard(call):
    try:
        return call()
    except _Invalid as exc:
        return _unprocessable(exc.errors)
    except actions.NotAllowed as exc:
        return _error(403, str(exc))
    except actions.AlreadySubmitted as exc:
        return _error(
            409, str(exc), submission=exc.submission.pk, receipt_number=exc.submission.receipt_number
        )
    except actions.DirectiveError as exc:
        return _error(409, str(exc))


def _unprocessable(errors):
    from django.http import JsonResponse

    return JsonResponse({"detail": errors}, status=422, json_dumps_params={"ensure_ascii": False})


def _one(choices: list, wanted: int | None, field: str):
    if wanted is None:
        if len(choices) == 1:
            return choices[0]
        raise _Invalid([{"loc": ["body", field], "msg": _("Say which organization."), "type": "missing"}])
    for o in choices:
        if o.pk == wanted:
            return o
    raise HttpError(403, _("You may not act for this organization here."))


def _directive_out(request, d: Directive) -> dict:
    from django.urls import reverse

    from directives.views import issuer_side

    side = issuer_side(request.auth, d)
    chain = actions.chain_of(d)
    out = {
        f: getattr(d, f)
        for f in DirectiveOut.model_fields
        if hasattr(d, f) and f not in ("chain", "enclosures")
    }
    out.update(
        issuer=d.issuer,
        submit_to=d.submit_to,
        chain=[{"id": c.pk, "number": c.number, "date": c.date, "issuer": c.issuer} for c in chain],
        enclosures=[
            {
                "id": e.pk,
                "title": e.title,
                "detail": e.detail,
                "quantity": e.quantity,
                "original_name": e.original_name,
                "content_type": e.content_type,
                "size": e.size,
                "download_url": reverse("directives:enclosure", kwargs={"pk": e.pk}) if e.file else None,
            }
            for e in d.enclosures.all()
        ],
        recipients_count=d.recipients.count(),
        opened_count=d.recipients.filter(acknowledged_at__isnull=False).count() if side else None,
    )
    return out


def _deadline(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        value = None
    if value is not None and ("T" in text or " " in text):
        return (
            value if timezone.is_aware(value) else timezone.make_aware(value, timezone.get_default_timezone())
        )
    parts = text.replace("T", " ").split()
    try:
        day = parse_date(parts[0])
        at = parse_time(parts[1]) if len(parts) > 1 else None
    except (ValueError, IndexError):
        raise _Invalid(
            [
                {
                    "loc": ["body", "deadline"],
                    "msg": _("Send an ISO date-time, e.g. 2026-12-10T16:30."),
                    "type": "date",
                }
            ]
        ) from None
    return deadline_at(day, at)


def _date(text: str | None, field: str) -> dt.date | None:
    if not text:
        return None
    try:
        return parse_date(text)
    except ValueError:
        raise _Invalid(
            [{"loc": ["body", field], "msg": _("Send an ISO date, e.g. 2026-12-10."), "type": "date"}]
        ) from None


# -- directives --------------------------------------------------------------------------------


class ListFilters(Schema):
    box: Literal["inbox", "issued"] = Field(
        "inbox", description="inbox: addressed to your organizations; issued: by them."
    )


@router.get("", response=list[DirectiveListOut], summary="Your directives: received (inbox) or issued")
@paginate(Pagination)
def list_directives(request, filters: Query[ListFilters]):
    from directives.views import my_org_ids

    org_ids = my_org_ids(request.auth)
    if filters.box == "issued":
        return (
            Directive.objects.filter(issuer_id__in=org_ids).select_related("issuer").order_by("-date", "-pk")
        )
    return (
        Directive.objects.filter(status=DirectiveStatus.ISSUED, recipients__org_id__in=org_ids)
        .select_related("issuer")
        .distinct()
        .order_by("-date", "-pk")
    )


@router.post(
    "",
    response={201: DirectiveOut, 403: Detail, 409: Detail, 422: dict},
    summary="Create a directive (a draft, or issued at once with `issue: true`)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": DirectiveIn.model_json_schema()}},
        }
    },
)
def create_directive(request):
    def call():
        issuers = actions.issuer_choices(request.auth)
        if not issuers:
            raise actions.NotAllowed(_("Only overseers (district, province, DLA, OPDC) issue directives."))
        data = _validate(DirectiveIn, _json_body(request))
        issuer = _one(issuers, data.issuer, "issuer")
        allowed = set(actions.addressable(issuer).values_list("pk", flat=True))
        bad = [i for i in data.to + data.copies if i not in allowed]
        if bad:
            raise _Invalid(
                [
                    {
                        "loc": ["body", "to"],
                        "msg": _("Not an organization this issuer may address: %(ids)s") % {"ids": bad},
                        "type": "scope",
                    }
                ]
            )
        groups_ok = {g.value for g in actions.groups_for(issuer)}
        if any(g not in groups_ok for g in data.groups):
            raise _Invalid(
                [
                    {
                        "loc": ["body", "groups"],
                        "msg": _("This group does not fit this issuer."),
                        "type": "scope",
                    }
                ]
            )
        submit_to = None
        if data.submit_to is not None:
            submit_to = Organization.objects.filter(pk=data.submit_to).first()
            if submit_to is None:
                raise _Invalid(
                    [{"loc": ["body", "submit_to"], "msg": _("No such organization."), "type": "ref"}]
                )
        if data.ask == Ask.SUBMIT_PLAN and submit_to is None:
            raise _Invalid(
                [
                    {
                        "loc": ["body", "submit_to"],
                        "msg": _("Say where the plans go (for example OPDC)."),
                        "type": "missing",
                    }
                ]
            )
        values = data.model_dump(
            exclude={"issuer", "to", "copies", "enclosures", "issue", "references", "date", "deadline"}
        )
        values.update(
            submit_to=submit_to,
            date=_date(data.date, "date"),
            deadline=_deadline(data.deadline),
            references=[
                {**r.model_dump(), "date": r.date.isoformat() if r.date else ""} for r in data.references
            ],
            copy_rules=[str(c) for c in data.copy_rules],
            groups=[str(g) for g in data.groups],
            urgency=str(data.urgency),
            ask=str(data.ask),
        )
        d = actions.create_directive(
            issuer=issuer,
            by=request.auth,
            values=values,
            to=data.to,
            copies=data.copies,
            enclosures=[e.model_dump() for e in data.enclosures],
            request=request,
        )
        if data.issue:
            actions.issue_directive(d, by=request.auth, number=data.number, request=request)
        d = Directive.objects.select_related("issuer", "submit_to").get(pk=d.pk)
        return Status(201, _directive_out(request, d))

    return _guard(call)


@router.get(
    "/{int:directive_id}", response=DirectiveOut, summary="One directive with its chain and enclosures"
)
def get_directive(request, directive_id: int):
    return _directive_out(request, _directive(request, directive_id))


@router.post(
    "/{int:directive_id}/issue",
    response={200: DirectiveOut, 403: Detail, 404: Detail, 409: Detail},
    summary="Issue a draft: number, date, addressees expanded",
)
def issue_directive(request, directive_id: int):
    def call():
        d = _directive(request, directive_id)
        if not actions.can_issue(request.auth, d.issuer):
            raise actions.NotAllowed(
                _("Only an overseer of %(org)s can issue in its name.") % {"org": d.issuer}
            )
        actions.issue_directive(d, by=request.auth, request=request)
        return _directive_out(request, Directive.objects.select_related("issuer", "submit_to").get(pk=d.pk))

    return _guard(call)


@router.post(
    "/{int:directive_id}/relay",
    response={201: DirectiveOut, 403: Detail, 404: Detail, 409: Detail, 422: dict},
    summary="Relay a received directive to the organizations below you (own number and date)",
    openapi_extra={"requestBody": {"content": {"application/json": {"schema": RelayIn.model_json_schema()}}}},
)
def relay_directive(request, directive_id: int):
    def call():
        d = _directive(request, directive_id)
        issuers = actions.relay_issuers(request.auth, d)
        if not issuers:
            raise actions.NotAllowed(_("You may not relay this directive."))
        data = _validate(RelayIn, _json_body(request))
        issuer = _one(issuers, data.issuer, "issuer")
        relay = actions.relay_directive(
            d,
            issuer=issuer,
            by=request.auth,
            date=data.date,
            number=data.number,
            cover_note=data.cover_note,
            to=data.to,
            request=request,
        )
        return Status(
            201,
            _directive_out(request, Directive.objects.select_related("issuer", "submit_to").get(pk=relay.pk)),
        )

    return _guard(call)


@router.post(
    "/{int:directive_id}/acknowledge",
    response={200: AckOut, 404: Detail},
    summary="Record that your organization has received (opened) the directive; once per organization",
)
def acknowledge(request, directive_id: int):
    d = _directive(request, directive_id)
    return {"acknowledged": actions.acknowledge(d, user=request.auth)}


@router.get(
    "/{int:directive_id}/recipients",
    response={200: list[RecipientOut], 403: Detail, 404: Detail},
    summary="Addressees and who has opened it (the issuer's side)",
)
def recipients(request, directive_id: int):
    from directives.views import issuer_side

    d = _directive(request, directive_id)
    if not issuer_side(request.auth, d):
        raise HttpError(403, _("Only the issuer and the overseers above it see who has opened it."))
    return list(d.recipients.select_related("org").order_by("org__name_th"))


@router.post(
    "/{int:directive_id}/submissions",
    response={200: SubmissionOut, 201: SubmissionOut, 403: Detail, 404: Detail, 409: dict, 422: dict},
    summary="Submit your organization's approved plan in answer (idempotent: Idempotency-Key)",
    openapi_extra={
        "requestBody": {"content": {"application/json": {"schema": SubmitIn.model_json_schema()}}},
        "parameters": [
            {
                "in": "header",
                "name": "Idempotency-Key",
                "required": False,
                "schema": {"type": "string"},
                "description": "A unique string (e.g. a UUID) per submission; repeat it on retries.",
            }
        ],
    },
)
def submit(request, directive_id: int):
    def call():
        d = _directive(request, directive_id)
        orgs = actions.submitters(request.auth, d)
        if not orgs:
            raise actions.NotAllowed(
                _("Only planners and approvers of an addressed local government can submit.")
            )
        data = _validate(SubmitIn, _json_body(request))
        org = _one(orgs, data.org, "org")
        key = request.headers.get("Idempotency-Key") or data.idempotency_key
        if not key:
            raise _Invalid(
                [
                    {
                        "loc": ["header", "Idempotency-Key"],
                        "msg": _("Send an Idempotency-Key header (e.g. a UUID)."),
                        "type": "missing",
                    }
                ]
            )
        plan = Plan.objects.filter(org=org, status=PlanStatus.APPROVED).first()
        if plan is None:
            raise actions.DirectiveError(
                _("%(org)s has no approved plan yet. Approve a plan first.") % {"org": org}
            )
        sub, created = actions.submit_plan(d, plan, by=request.auth, key=key, note=data.note, request=request)
        return Status(
            201 if created else 200,
            Submission.objects.prefetch_related("copies__org")
            .select_related("org", "submitted_to")
            .get(pk=sub.pk),
        )

    return _guard(call)


class SubmissionFilters(Schema):
    box: Literal["sent", "received", "copies"] = "sent"


@router.get(
    "/submissions",
    response=list[SubmissionOut],
    summary="Submissions sent by, sent to, or copied to your organizations",
)
@paginate(Pagination)
def list_submissions(request, filters: Query[SubmissionFilters]):
    from directives.views import submissions_in

    return (
        submissions_in(request.auth, filters.box)
        .prefetch_related("copies__org")
        .order_by("-submitted_at", "-pk")
    )


@router.get(
    "/submissions/{int:submission_id}", response=SubmissionOut, summary="One submission with its receipt"
)
def get_submission(request, submission_id: int):
    return _submission(request, submission_id)


@router.post(
    "/submissions/{int:submission_id}/review",
    response={200: SubmissionOut, 403: Detail, 404: Detail, 409: Detail, 422: dict},
    summary="Accept a submission or return it with comments (reviewers of the addressee)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": ReviewIn.model_json_schema()}},
        }
    },
)
def review(request, submission_id: int):
    def call():
        sub = _submission(request, submission_id)
        if not actions.can_review(request.auth, sub):
            raise actions.NotAllowed(
                _("Only the overseers of %(org)s review plans sent to it.") % {"org": sub.submitted_to}
            )
        data = _validate(ReviewIn, _json_body(request))
        actions.review_submission(
            sub, by=request.auth, accept=data.decision == "accept", comment=data.comment, request=request
        )
        return (
            Submission.objects.prefetch_related("copies__org")
            .select_related("org", "submitted_to")
            .get(pk=sub.pk)
        )

    return _guard(call)
