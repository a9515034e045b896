"""The staff e-services API (/api/v1/services): the organization's catalogue, its citizens' requests
and the work on them, and its figures — under the same rules as the staff pages (eservices/views.py).

Scope: everything hangs off an organization the caller may read (404 otherwise). Citizens'
requests are personal data: only the organization's own members read them (403 for an overseer),
and every response that holds one writes an access-log row. Writes need `can_serve` (403). A status
change carries the `version` the request was read at; a stale one is 409 with the request as it
now is. Request bodies are read inside the view, after the access checks, so an outsider learns
nothing (not even "422") about an organization they may not see.
"""

import datetime as dt
import json

from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from api.pagination import Pagination
from audit.log import log_access
from eservices import actions, figures
from eservices.models import OPEN_STATUSES, Request, RequestStatus, Service
from orgs import access
from orgs.models import LGO_KINDS

router = Router(tags=["e-services (staff)"])


class Detail(Schema):
    detail: str


class ServiceOut(Schema):
    id: int
    slug: str
    starter_key: str
    name: str
    summary: str
    unit: str
    legal_basis: str
    eligibility: str
    hours: str
    steps: list
    processing_days: int | None
    processing_minutes: int | None
    documents: list
    fees: str
    complaints: str
    channels: list
    channel_details: dict
    available_online: bool
    accepts_requests: bool
    is_published: bool
    version: int


class RequestListOut(Schema):
    id: int
    tracking_code: str
    service_id: int
    service_name: str
    channel: str
    applicant_name: str
    status: str
    status_reason: str
    assignee_id: int | None
    submitted_at: dt.datetime
    due_at: dt.datetime | None
    closed_at: dt.datetime | None
    overdue: bool
    version: int


class EventOut(Schema):
    kind: str
    status: str
    text: str
    by: str | None
    created_at: dt.datetime
    public: bool


class AttachmentOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_by_citizen: bool
    created_at: dt.datetime
    download_url: str


class RequestOut(RequestListOut):
    phone: str
    email: str
    answers: dict
    events: list[EventOut]
    attachments: list[AttachmentOut]


class FiguresOut(Schema):
    organization_id: int
    period: str
    total: int
    open: int
    overdue: int
    closed: int
    closed_late: int
    median_days: float | None
    p90_days: float | None
    by_status: dict
    by_channel: dict
    services: list[dict]


# -- helpers -----------------------------------------------------------------------------------


def _org(request, org_id: int, *, write=False):
    org = access.get_visible_org(request.auth, org_id)
    if write and not access.can_serve(request.auth, org):
        raise HttpError(403, _("Only the organization's service staff, admins and approvers can do this."))
    return org


def _requests_org(request, org_id: int, *, write=False):
    org = _org(request, org_id, write=write)
    if not (request.auth.is_superuser or access.roles_in(request.auth, org)):
        raise HttpError(403, _("Citizens' requests are shown only to the organization's own staff."))
    return org


def _request_obj(org, request_id: int) -> Request:
    return get_object_or_404(Request.objects.filter(org=org).select_related("service"), pk=request_id)


def _body(request) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        raise HttpError(422, _("The body is not valid JSON.")) from None
    if not isinstance(body, dict):
        raise HttpError(422, _("The body must be a JSON object."))
    return body


def _list_out(r: Request, now) -> dict:
    return {
        "id": r.pk,
        "tracking_code": r.tracking_code,
        "service_id": r.service_id,
        "service_name": r.service.name,
        "channel": r.channel,
        "applicant_name": r.applicant_name,
        "status": r.status,
        "status_reason": r.status_reason,
        "assignee_id": r.assignee_id,
        "submitted_at": r.submitted_at,
        "due_at": r.due_at,
        "closed_at": r.closed_at,
        "version": r.version,
        "overdue": bool(r.due_at and r.status in OPEN_STATUSES and r.due_at < now),
    }


def _detail_out(request, org, r: Request) -> dict:
    from django.urls import reverse

    data = _list_out(r, timezone.now())
    data.update(
        phone=r.phone,
        email=r.email,
        answers=r.answers,
        events=[
            {
                "kind": e.kind,
                "status": e.status,
                "text": e.text,
                "by": e.by.display_name if e.by else None,
                "created_at": e.created_at,
                "public": e.is_public,
            }
            for e in r.events.select_related("by").order_by("created_at", "pk")
        ],
        attachments=[
            {
                "id": a.pk,
                "original_name": a.original_name,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
                "uploaded_by_citizen": a.uploaded_by_citizen,
                "created_at": a.created_at,
                "download_url": reverse("eservices:attachment", args=[org.pk, r.pk, a.pk]),
            }
            for a in r.attachments.all()
        ],
    )
    return data


def _body_doc(properties: dict, required: list[str], description: str) -> dict:
    schema = {"type": "object", "properties": properties, "required": required}
    return {
        "requestBody": {
            "required": True,
            "description": description,
            "content": {"application/json": {"schema": schema}},
        }
    }


# -- catalogue ---------------------------------------------------------------------------------


@router.get(
    "/org/{int:org_id}/services",
    response=list[ServiceOut],
    summary="The organization's catalogue, drafts included, in order",
)
def list_services(request, org_id: int):
    org = _org(request, org_id)
    return Service.objects.filter(org=org).order_by("order", "pk")


@router.get(
    "/org/{int:org_id}/services/{int:service_id}",
    response={200: ServiceOut, 404: Detail},
    summary="One catalogue entry",
)
def get_service(request, org_id: int, service_id: int):
    org = _org(request, org_id)
    return get_object_or_404(Service.objects.filter(org=org), pk=service_id)


# -- requests ----------------------------------------------------------------------------------


class RequestFilters(Schema):
    status: str | None = None  # a status, "open" (default) or "all"
    service: int | None = None
    assignee: int | None = None
    overdue: bool = False
    q: str | None = None


@router.get(
    "/org/{int:org_id}/requests",
    response=list[RequestListOut],
    summary="Citizens' requests (members only; access-logged). Filters: status (open|all|<status>), "
    "service, assignee, overdue, q (tracking code or name)",
)
@paginate(Pagination)
def list_requests(request, org_id: int, filters: Query[RequestFilters]):
    org = _requests_org(request, org_id)
    now = timezone.now()
    qs = Request.objects.filter(org=org).select_related("service")
    status = filters.status or "open"
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status != "all":
        if status not in RequestStatus.values:
            raise HttpError(422, _("Unknown status: %(status)s") % {"status": status})
        qs = qs.filter(status=status)
    if filters.service:
        qs = qs.filter(service_id=filters.service)
    if filters.assignee:
        qs = qs.filter(assignee_id=filters.assignee)
    if filters.overdue:
        qs = qs.filter(status__in=OPEN_STATUSES, due_at__lt=now)
    q = (filters.q or "").replace("\x00", "").strip()  # PostgreSQL refuses NUL bytes with an error
    if q:
        qs = qs.filter(Q(applicant_name__icontains=q) | Q(tracking_code__icontains=q.upper()))
    return _LoggedList(request, org, qs.order_by("due_at", "-submitted_at", "-pk"), now)


class _LoggedList:
    """A queryset stand-in for the paginator: the page actually returned is what gets access-logged."""

    def __init__(self, request, org, qs, now):
        self.request, self.org, self.qs, self.now = request, org, qs, now

    def count(self):
        return self.qs.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, item):
        rows = list(self.qs[item])
        if rows:
            log_access(self.request, "citizen_requests", organization=self.org, objects=rows)
        return [_list_out(r, self.now) for r in rows]


@router.get(
    "/org/{int:org_id}/requests/{int:request_id}",
    response={200: RequestOut, 403: Detail, 404: Detail},
    summary="One request with the citizen's answers, history (notes included) and files (access-logged)",
)
def get_request(request, org_id: int, request_id: int):
    org = _requests_org(request, org_id)
    r = _request_obj(org, request_id)
    log_access(request, "citizen_request", organization=org, objects=[r])
    return _detail_out(request, org, r)


def _write(request, org_id, request_id, call):
    org = _requests_org(request, org_id, write=True)
    r = _request_obj(org, request_id)
    body = _body(request)
    try:
        call(org, r, body)
    except actions.Invalid as exc:
        return JsonResponse({"detail": str(exc)}, status=422, json_dumps_params={"ensure_ascii": False})
    except actions.Conflict as exc:
        current = exc.current
        log_access(request, "citizen_request", organization=org, objects=[current])
        return JsonResponse(
            {
                "detail": str(exc),
                "current": json.loads(json.dumps(_list_out(current, timezone.now()), default=str)),
            },
            status=409,
            json_dumps_params={"ensure_ascii": False},
        )
    r.refresh_from_db()
    log_access(request, "citizen_request", organization=org, objects=[r])
    return _detail_out(request, org, r)


WRITE = {200: RequestOut, 403: Detail, 404: Detail, 409: dict, 422: Detail}


@router.post(
    "/org/{int:org_id}/requests/{int:request_id}/status",
    response=WRITE,
    summary="Change the status (in_progress, waiting, done, rejected; waiting and rejected need a reason)",
    openapi_extra=_body_doc(
        {
            "status": {"type": "string", "enum": RequestStatus.values},
            "reason": {"type": "string"},
            "version": {"type": "integer"},
        },
        ["status", "version"],
        "The new status, the reason the citizen reads, and the version you read.",
    ),
)
def change_status(request, org_id: int, request_id: int):
    def call(org, r, body):
        status, version = body.get("status"), body.get("version")
        if status not in RequestStatus.values:
            raise actions.Invalid(
                _("Send a status: %(values)s.") % {"values": ", ".join(RequestStatus.values)}
            )
        if isinstance(version, bool) or not isinstance(version, int):
            raise actions.Invalid(_("Send the version you read the request at."))
        actions.change_status(
            r,
            status,
            by=request.auth,
            reason=str(body.get("reason") or ""),
            expected_version=version,
            request=request,
        )

    return _write(request, org_id, request_id, call)


def _text(body) -> str:
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        raise actions.Invalid(_("Send the text."))
    return text[:4000]


@router.post(
    "/org/{int:org_id}/requests/{int:request_id}/messages",
    response=WRITE,
    summary="Write to the citizen (tracking page, and e-mail when given)",
    openapi_extra=_body_doc({"text": {"type": "string"}}, ["text"], "The message."),
)
def add_message(request, org_id: int, request_id: int):
    return _write(
        request,
        org_id,
        request_id,
        lambda org, r, body: actions.add_message(r, _text(body), by=request.auth, request=request),
    )


@router.post(
    "/org/{int:org_id}/requests/{int:request_id}/notes",
    response=WRITE,
    summary="Add an internal note (staff only)",
    openapi_extra=_body_doc({"text": {"type": "string"}}, ["text"], "The note."),
)
def add_note(request, org_id: int, request_id: int):
    return _write(
        request,
        org_id,
        request_id,
        lambda org, r, body: actions.add_note(r, _text(body), by=request.auth, request=request),
    )


@router.post(
    "/org/{int:org_id}/requests/{int:request_id}/assign",
    response=WRITE,
    summary="Give the request to a colleague who works requests (assignee: a user id, or null for nobody)",
    openapi_extra=_body_doc(
        {"assignee": {"type": ["integer", "null"]}}, ["assignee"], "The user id or null."
    ),
)
def assign(request, org_id: int, request_id: int):
    from accounts.models import User

    def call(org, r, body):
        if "assignee" not in body:
            raise actions.Invalid(_("Send assignee: a user id, or null."))
        uid = body["assignee"]
        user = None
        if uid is not None:
            user = User.objects.filter(pk=uid, is_active=True).first() if isinstance(uid, int) else None
            if user is None:
                raise actions.Invalid(_("No such colleague."))
        actions.assign(r, user, by=request.auth, request=request)

    return _write(request, org_id, request_id, call)


# -- figures -----------------------------------------------------------------------------------


@router.get(
    "/org/{int:org_id}/figures",
    response={200: FiguresOut, 404: Detail},
    summary="Figures of a local government (period: 30, 90, 365 or all)",
)
def get_figures(request, org_id: int, period: str = "365"):
    org = _org(request, org_id)
    if org.kind not in LGO_KINDS:
        raise HttpError(404, _("Figures are kept per local government; see the roll-up."))
    if period not in figures.PERIODS:
        raise HttpError(422, _("period must be one of 30, 90, 365, all."))
    f = figures.org_figures(org, period)
    return {
        "organization_id": org.pk,
        "period": period,
        "total": f.total,
        "open": f.open,
        "overdue": f.overdue,
        "closed": f.closed,
        "closed_late": f.late,
        "median_days": f.median,
        "p90_days": f.p90,
        "by_status": f.by_status,
        "by_channel": {c.value: n for c, n in f.by_channel},
        "services": [
            {
                "id": s.service.pk,
                "name": s.service.name,
                "total": s.total,
                "open": s.open,
                "overdue": s.overdue,
                "done": s.done,
                "rejected": s.rejected,
                "closed_late": s.late,
                "published_days": s.published,
                "median_days": s.median,
                "p90_days": s.p90,
                "by_channel": {c.value: n for c, n in s.channel_rows},
            }
            for s in f.services
        ],
    }


@router.get(
    "/org/{int:org_id}/figures/rollup",
    response={200: list[dict], 404: Detail},
    summary="One row of figures per local government below a district, province or national body",
)
def get_rollup(request, org_id: int, period: str = "365"):
    org = _org(request, org_id)
    if period not in figures.PERIODS:
        raise HttpError(422, _("period must be one of 30, 90, 365, all."))
    return [
        {
            "organization_id": r.org.pk,
            "name_th": r.org.name_th,
            "published_services": r.services,
            "online_services": r.online,
            "total": r.total,
            "open": r.open,
            "overdue": r.overdue,
            "closed": r.closed,
            "closed_late": r.late,
            "median_days": r.median,
            "by_channel": {c.value: n for c, n in r.channel_rows},
            "top_services": [{"name": name, "total": n} for name, n in r.top_services],
        }
        for r in figures.rollup(org, period)
    ]
