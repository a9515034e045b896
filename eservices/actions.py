"""Every staff-side write of the e-services: the catalogue, request forms, downloadable forms, the
work on citizens' requests and crisis notices. Atomic and audited; mail goes out on commit.

Services and requests are saved with optimistic locking (their `version`): the caller names the
version it read; a stale save raises Conflict carrying the row as it now is, so the page can show
both versions and nothing typed is lost.

Request creation and the citizen's additions are the public side's (eservices/intake.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Max, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from audit.log import record
from eservices import library
from eservices.models import (
    Channel,
    CrisisNotice,
    EventKind,
    FieldType,
    FormField,
    Request,
    RequestEvent,
    RequestStatus,
    Service,
    ServiceForm,
)
from phrom.lib.files import display_file_name

log = logging.getLogger(__name__)

MAX_FORM_BYTES = 10 * 1024 * 1024
FORM_TYPES = {  # downloadable forms: detected type -> (extension, content type)
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# Which status may follow which. Closed requests can be reopened (into "in progress") by staff.
TRANSITIONS = {
    RequestStatus.RECEIVED: {
        RequestStatus.IN_PROGRESS,
        RequestStatus.WAITING,
        RequestStatus.DONE,
        RequestStatus.REJECTED,
    },
    RequestStatus.IN_PROGRESS: {RequestStatus.WAITING, RequestStatus.DONE, RequestStatus.REJECTED},
    RequestStatus.WAITING: {RequestStatus.IN_PROGRESS, RequestStatus.DONE, RequestStatus.REJECTED},
    RequestStatus.DONE: {RequestStatus.IN_PROGRESS},
    RequestStatus.REJECTED: {RequestStatus.IN_PROGRESS},
}
CLOSED = (RequestStatus.DONE, RequestStatus.REJECTED)
NEEDS_REASON = (RequestStatus.WAITING, RequestStatus.REJECTED)


class Conflict(Exception):
    """Someone saved this after you opened it. `current` is the object as it now is."""

    def __init__(self, current):
        self.current = current
        super().__init__(_("Someone else saved this while you were working on it."))


class Invalid(ValueError):
    """A write that cannot be done as asked; the message says what to do."""


# -- time ------------------------------------------------------------------------------------


def published_days(service: Service) -> int | None:
    """The service's published processing time in working days; a counter service timed in minutes
    counts as one working day when sent online (as eservices.intake.due_at_for sets due_at)."""
    if service.processing_days:
        return service.processing_days
    if service.processing_minutes:
        return 1
    return None


def working_days_between(start: dt.datetime, end: dt.datetime) -> float:
    """Working days (Monday–Friday) elapsed from `start` to `end`, as a fraction."""
    if end <= start:
        return 0.0
    a, b = timezone.localtime(start), timezone.localtime(end)
    total = 0.0
    day = a
    while day.date() < b.date():
        nxt = (day + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        if day.weekday() < 5:
            total += (nxt - day).total_seconds() / 86400
        day = nxt
    if b.weekday() < 5:
        total += (b - day).total_seconds() / 86400
    return round(total, 2)


# -- the catalogue ---------------------------------------------------------------------------


def unique_slug(org, base: str, *, exclude_pk=None) -> str:
    base = (slugify(base) or "service")[:70].strip("-") or "service"
    taken = set(
        Service.objects.filter(org=org, slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug


def _next_order(org) -> int:
    return (Service.objects.filter(org=org).aggregate(m=Max("order"))["m"] or 0) + 1


@transaction.atomic
def adopt_starters(org, keys, *, by, request=None) -> list[Service]:
    """Drafts from the starter library (content and form fields). Keys already adopted are skipped."""
    keys = [k for k in dict.fromkeys(keys) if k in library.BY_KEY]
    have = set(Service.objects.filter(org=org, starter_key__in=keys).values_list("starter_key", flat=True))
    created = []
    order = _next_order(org)
    name = org.name_th
    for key in keys:
        if key in have:
            continue
        s = library.BY_KEY[key]
        service = Service.objects.create(
            org=org,
            slug=unique_slug(org, key),
            starter_key=key,
            name=s["name"],
            summary=library.fill(s["summary"], name),
            unit=s["unit"],
            legal_basis=library.fill(s["legal_basis"], name),
            eligibility=library.fill(s["eligibility"], name),
            hours=library.fill(s["hours"], name),
            steps=[dict(step) for step in s["steps"]],
            processing_days=s["processing_days"],
            processing_minutes=s["processing_minutes"],
            documents=[dict(d) for d in s["documents"]],
            fees=s["fees"],
            complaints=library.fill(s.get("complaints", library.COMPLAINTS), name),
            channels=list(s["channels"]),
            channel_details={},
            order=order,
        )
        order += 1
        FormField.objects.bulk_create(
            FormField(
                service=service,
                order=i,
                **{k: f[k] for k in ("key", "label", "field_type", "help_text", "choices", "required")},
            )
            for i, f in enumerate(s["fields"], 1)
        )
        created.append(service)
    if created:
        record(
            "eservices.adopt",
            actor=by,
            organization=org,
            request=request,
            summary=", ".join(s.name for s in created),
            data={"keys": [s.starter_key for s in created], "ids": [s.pk for s in created]},
        )
    return created


@transaction.atomic
def create_service(org, *, name: str, by, request=None) -> Service:
    service = Service.objects.create(
        org=org,
        name=name,
        slug=unique_slug(org, name),
        order=_next_order(org),
        complaints=library.fill(library.COMPLAINTS, org.name_th),
    )
    record("eservices.service_create", actor=by, organization=org, obj=service, request=request, summary=name)
    return service


EDITABLE = (
    "name",
    "summary",
    "unit",
    "legal_basis",
    "eligibility",
    "hours",
    "steps",
    "processing_days",
    "processing_minutes",
    "documents",
    "fees",
    "complaints",
    "channels",
    "channel_details",
    "available_online",
    "accepts_requests",
)


@transaction.atomic
def update_service(service: Service, *, expected_version: int, values: dict, by, request=None) -> Service:
    """Save the catalogue entry's fields; Conflict if someone saved since `expected_version`."""
    values = {k: v for k, v in values.items() if k in EDITABLE}
    if values.get("accepts_requests"):
        values["available_online"] = True  # a Phrom form is an online channel
    changed = Service.objects.filter(pk=service.pk, version=expected_version).update(
        **values, version=F("version") + 1, updated_at=timezone.now()
    )
    if not changed:
        raise Conflict(Service.objects.filter(pk=service.pk).first())
    service.refresh_from_db()
    record(
        "eservices.service_update",
        actor=by,
        organization=service.org,
        obj=service,
        request=request,
        summary=service.name,
        data={"fields": sorted(values)},
    )
    return service


def publish_problems(service: Service) -> list[str]:
    """What a citizen's manual needs before it is published (empty when it may be)."""
    problems = []
    if not service.name.strip():
        problems.append(_("Give the service a name."))
    if not service.steps:
        problems.append(_("List the steps of the service and how long each takes."))
    if not (service.processing_days or service.processing_minutes):
        problems.append(_("Give the total processing time."))
    if not service.channels:
        problems.append(_("Tick at least one channel through which citizens can apply."))
    if service.accepts_requests and not service.is_published and not service.fields.exists():
        problems.append(_("Add at least one field to the request form, or untick “accepts requests”."))
    return problems


@transaction.atomic
def set_published(service: Service, published: bool, *, by, request=None) -> Service:
    if published:
        problems = publish_problems(service)
        if problems:
            raise Invalid(" ".join(problems))
    Service.objects.filter(pk=service.pk).update(
        is_published=published, version=F("version") + 1, updated_at=timezone.now()
    )
    service.refresh_from_db()
    record(
        "eservices.publish" if published else "eservices.unpublish",
        actor=by,
        organization=service.org,
        obj=service,
        request=request,
        summary=service.name,
    )
    return service


@transaction.atomic
def move_service(service: Service, direction: int, *, by, request=None) -> None:
    siblings = list(Service.objects.filter(org=service.org).order_by("order", "pk"))
    i = next(i for i, s in enumerate(siblings) if s.pk == service.pk)
    j = i + direction
    if not 0 <= j < len(siblings):
        return
    siblings[i], siblings[j] = siblings[j], siblings[i]
    for n, s in enumerate(siblings, 1):
        s.order = n
    Service.objects.bulk_update(siblings, ["order"])
    record("eservices.service_move", actor=by, organization=service.org, obj=service, request=request)


# -- the request form's fields ---------------------------------------------------------------


def _field_key(service: Service, label: str) -> str:
    base = (slugify(label) or "field").replace("-", "_")[:50] or "field"
    taken = set(service.fields.values_list("key", flat=True))
    key, n = base, 2
    while key in taken:
        key = f"{base}_{n}"
        n += 1
    return key


@transaction.atomic
def add_field(service: Service, *, values: dict, by, request=None) -> FormField:
    order = (service.fields.aggregate(m=Max("order"))["m"] or 0) + 1
    field = FormField.objects.create(
        service=service,
        key=_field_key(service, values.get("key") or values["label"]),
        order=order,
        **{k: values[k] for k in ("label", "help_text", "field_type", "choices", "required") if k in values},
    )
    _touch(service)
    record(
        "eservices.field_add",
        actor=by,
        organization=service.org,
        obj=field,
        request=request,
        summary=f"{service.name}: {field.label}",
    )
    return field


@transaction.atomic
def update_field(field: FormField, *, values: dict, by, request=None) -> FormField:
    for k in ("label", "help_text", "field_type", "choices", "required"):
        if k in values:
            setattr(field, k, values[k])
    if field.field_type != FieldType.CHOICE:
        field.choices = []
    field.save(update_fields=["label", "help_text", "field_type", "choices", "required"])
    _touch(field.service)
    record(
        "eservices.field_update",
        actor=by,
        organization=field.service.org,
        obj=field,
        request=request,
        summary=f"{field.service.name}: {field.label}",
    )
    return field


@transaction.atomic
def move_field(field: FormField, direction: int, *, by, request=None) -> None:
    fields = list(field.service.fields.order_by("order", "pk"))
    i = next(i for i, f in enumerate(fields) if f.pk == field.pk)
    j = i + direction
    if 0 <= j < len(fields):
        fields[i], fields[j] = fields[j], fields[i]
        for n, f in enumerate(fields, 1):
            f.order = n
        FormField.objects.bulk_update(fields, ["order"])
        _touch(field.service)
        record("eservices.field_move", actor=by, organization=field.service.org, obj=field, request=request)


@transaction.atomic
def delete_field(field: FormField, *, by, request=None) -> None:
    """Answers already given stay in the requests (shown under the field's key)."""
    service = field.service
    record(
        "eservices.field_delete",
        actor=by,
        organization=service.org,
        obj=field,
        request=request,
        summary=f"{service.name}: {field.label}",
    )
    field.delete()
    _touch(service)


def _touch(service: Service) -> None:
    """A change of the form is a change of the entry: an editor open on an older version will know."""
    Service.objects.filter(pk=service.pk).update(version=F("version") + 1, updated_at=timezone.now())


# -- downloadable forms ----------------------------------------------------------------------


def check_form_file(uploaded) -> tuple[str, bytes]:
    """(content type, bytes) of a downloadable form, judged by its content; Invalid otherwise."""
    import filetype

    if uploaded.size > MAX_FORM_BYTES:
        raise Invalid(
            _("The file is larger than 10 MB. Save it smaller (e.g. as a PDF) and upload it again.")
        )
    data = uploaded.read(MAX_FORM_BYTES + 1)
    if len(data) > MAX_FORM_BYTES:
        raise Invalid(
            _("The file is larger than 10 MB. Save it smaller (e.g. as a PDF) and upload it again.")
        )
    kind = filetype.guess(data)
    if kind is None or kind.extension not in FORM_TYPES:
        raise Invalid(
            _(
                "Upload the form as PDF, Word (.docx) or Excel (.xlsx). This file is none of these, "
                "whatever its name says."
            )
        )
    return FORM_TYPES[kind.extension], data


def display_name(name: str) -> str:
    """The uploaded form's name as shown (Thai kept), never used as a path."""
    return display_file_name(name, default="form", max_length=200)


@transaction.atomic
def upload_form(service: Service, uploaded, *, title: str, by, request=None) -> ServiceForm:
    content_type, data = check_form_file(uploaded)
    original = display_name(uploaded.name)
    form = ServiceForm(
        service=service,
        title=title.strip() or original,
        original_name=original,
        content_type=content_type,
        size=len(data),
    )
    form.file.save(original, ContentFile(data), save=False)  # the path is generated, never the name
    try:
        form.save()
    except Exception:
        form.file.delete(save=False)
        raise
    _touch(service)
    record(
        "eservices.form_upload",
        actor=by,
        organization=service.org,
        obj=form,
        request=request,
        summary=f"{service.name}: {form.title}",
        data={"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)},
    )
    return form


@transaction.atomic
def delete_form(form: ServiceForm, *, by, request=None) -> None:
    service = form.service
    record(
        "eservices.form_delete",
        actor=by,
        organization=service.org,
        obj=form,
        request=request,
        summary=f"{service.name}: {form.title}",
    )
    name = form.file.name
    storage = form.file.storage
    form.delete()
    _touch(service)
    transaction.on_commit(lambda: storage.delete(name))


# -- requests --------------------------------------------------------------------------------


def _conditional(req: Request, expected_version: int | None, **values) -> Request:
    qs = Request.objects.filter(pk=req.pk)
    if expected_version is not None:
        qs = qs.filter(version=expected_version)
    if not qs.update(**values, version=F("version") + 1, updated_at=timezone.now()):
        raise Conflict(Request.objects.filter(pk=req.pk).first())
    req.refresh_from_db()
    return req


@transaction.atomic
def change_status(
    req: Request, status: str, *, by, reason: str = "", expected_version: int | None = None, request=None
) -> Request:
    """Move a request on: received → in progress → waiting for the citizen → done, or rejected.

    Waiting needs what the citizen must send; rejected needs the reason. Both are shown to the
    citizen. Closing sets closed_at; reopening clears it.
    """
    status = RequestStatus(status)
    reason = (reason or "").strip()
    if status == req.status:
        raise Invalid(_("The request is already “%(status)s”.") % {"status": status.label})
    if status not in TRANSITIONS[RequestStatus(req.status)]:
        raise Invalid(
            _("A request that is “%(old)s” cannot become “%(new)s”.")
            % {"old": RequestStatus(req.status).label, "new": status.label}
        )
    if status in NEEDS_REASON and not reason:
        raise Invalid(
            _("Say what the citizen must send.")
            if status == RequestStatus.WAITING
            else _("Give the reason for rejecting the request: the citizen will read it.")
        )
    old = req.status
    now = timezone.now()
    req = _conditional(
        req,
        expected_version,
        status=status,
        status_reason=reason,
        closed_at=now if status in CLOSED else None,
    )
    RequestEvent.objects.create(request=req, kind=EventKind.STATUS, status=status, text=reason, by=_user(by))
    record(
        "eservices.request_status",
        actor=by,
        organization=req.org,
        obj=req,
        request=request,
        summary=f"{req.tracking_code}: {old} → {status}",
        data={"from": old, "to": str(status), "reason": reason},
    )
    _mail_citizen(req, status=status, reason=reason)
    return req


@transaction.atomic
def add_message(req: Request, text: str, *, by, request=None) -> RequestEvent:
    """A message to the citizen: on the tracking page, and by e-mail when they gave an address."""
    text = (text or "").strip()
    if not text:
        raise Invalid(_("Write the message first."))
    event = RequestEvent.objects.create(request=req, kind=EventKind.MESSAGE, text=text, by=_user(by))
    _conditional(req, None)
    record(
        "eservices.request_message",
        actor=by,
        organization=req.org,
        obj=req,
        request=request,
        summary=req.tracking_code,
    )
    _mail_citizen(req, text)
    return event


@transaction.atomic
def add_note(req: Request, text: str, *, by, request=None) -> RequestEvent:
    """An internal note: staff only, never on the tracking page."""
    text = (text or "").strip()
    if not text:
        raise Invalid(_("Write the note first."))
    event = RequestEvent.objects.create(request=req, kind=EventKind.NOTE, text=text, by=_user(by))
    record(
        "eservices.request_note",
        actor=by,
        organization=req.org,
        obj=req,
        request=request,
        summary=req.tracking_code,
    )
    return event


@transaction.atomic
def assign(req: Request, assignee, *, by, request=None) -> Request:
    """Give the request to a colleague who works requests (or to nobody)."""
    from orgs import access

    if assignee is not None and not access.can_serve(assignee, req.org):
        raise Invalid(_("Only the organization's service staff, admins and approvers can be given requests."))
    req = _conditional(req, None, assignee=assignee)
    name = (assignee.display_name if assignee else "") or ""
    RequestEvent.objects.create(request=req, kind=EventKind.ASSIGN, text=name, by=_user(by))
    record(
        "eservices.request_assign",
        actor=by,
        organization=req.org,
        obj=req,
        request=request,
        summary=f"{req.tracking_code} → {name or '-'}",
        data={"assignee": getattr(assignee, "pk", None)},
    )
    return req


def _user(by):
    return by if getattr(by, "is_authenticated", False) else None


def tracking_url(req: Request) -> str:
    try:
        return f"{settings.SITE_URL}{reverse('citizen:track')}?code={req.tracking_code}"
    except NoReverseMatch:  # the public pages are not mounted
        return f"{settings.SITE_URL}/services/"


def _status_mail(req: Request, status, reason: str) -> str:
    lines = [_("Your request is now: %(status)s.") % {"status": RequestStatus(status).label}]
    if reason:
        lines.append(reason)
    return "\n\n".join(lines)


def _mail_citizen(req: Request, text: str = "", *, status=None, reason: str = "") -> None:
    """E-mail the citizen about a status change (`status`, `reason`) or a message (`text`).

    Always in Thai: the citizen reads it, whatever language the staff member works in.
    """
    if not req.email:
        return
    with translation.override("th"):
        if status is not None:
            text = _status_mail(req, status, reason)
        subject = _("Your request %(code)s at %(org)s") % {"code": req.tracking_code, "org": req.org.name_th}
        if req.phone_last4:
            follow = _(
                "Follow your request with the tracking code %(code)s and the last four digits of your "
                "phone at %(url)s"
            ) % {"code": req.tracking_code, "url": tracking_url(req)}
        else:  # recorded by staff without a phone: it cannot be tracked online
            follow = _("Ask the office about your request with the tracking code %(code)s.") % {
                "code": req.tracking_code
            }
        body = "\n\n".join([text, follow, req.org.name_th])
    to = req.email

    def send():
        try:
            send_mail(subject, body, None, [to])
        except Exception:  # mail is a courtesy: the tracking page has the message either way
            log.exception("could not e-mail the citizen about request %s", req.pk)

    transaction.on_commit(send)


# -- crisis notices --------------------------------------------------------------------------


NOTICE_FIELDS = ("title", "text", "channels", "starts_at", "ends_at", "is_active")


@transaction.atomic
def save_notice(org, *, values: dict, services, by, notice: CrisisNotice | None = None, request=None):
    creating = notice is None
    notice = notice or CrisisNotice(org=org, created_by=_user(by))
    for k in NOTICE_FIELDS:
        if k in values:
            setattr(notice, k, values[k])
    notice.save()
    notice.services.set([s for s in services if s.org_id == org.pk])
    record(
        "eservices.notice_create" if creating else "eservices.notice_update",
        actor=by,
        organization=org,
        obj=notice,
        request=request,
        summary=notice.title,
    )
    return notice


@transaction.atomic
def end_notice(notice: CrisisNotice, *, by, request=None) -> CrisisNotice:
    """Take the notice off the public pages now (it stays in the list, ended)."""
    now = timezone.now()
    notice.is_active = False
    notice.ends_at = max(now, notice.starts_at + dt.timedelta(seconds=1))
    notice.save(update_fields=["is_active", "ends_at"])
    record(
        "eservices.notice_end",
        actor=by,
        organization=notice.org,
        obj=notice,
        request=request,
        summary=notice.title,
    )
    return notice


def active_notices(org, *, at: dt.datetime | None = None) -> list[CrisisNotice]:
    """The organization's notices in force now, with their services, for the public pages."""
    at = at or timezone.now()
    return decorate_notices(
        CrisisNotice.objects.filter(org=org, is_active=True, starts_at__lte=at)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=at))
        .prefetch_related("services")
        .order_by("-starts_at", "-pk")
    )


def decorate_notices(notices) -> list[CrisisNotice]:
    """Give each notice what the public partial shows: `channel_labels` and its `public_services`."""
    out = list(notices)
    for n in out:
        n.channel_labels = [channel_label(c) for c in n.channels or []]
        n.public_services = sorted(
            (s for s in n.services.all() if s.is_published), key=lambda s: (s.order, s.pk)
        )
    return out


def channel_label(key: str) -> str:
    try:
        return str(Channel(key).label)
    except ValueError:
        return key
