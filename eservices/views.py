"""Staff pages of the e-services (/manage/services/…): the catalogue, the request queue, crisis
notices and figures. Parse, check access, call eservices.actions, render.

Access (orgs.access only):
- everything hangs off an organization: outsiders get 404 (get_visible_org);
- the catalogue, notices and figures are readable by the organization's members and overseers;
  writes need `can_serve` (service staff, admins, approvers), 403 for the others;
- citizens' requests (personal data) are shown only to the organization's own members; an
  overseer above gets 403 and the figures instead. Every view of a request or one of its files
  writes an access-log row (PDPA).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import mimetypes
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFilesSent
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from audit.log import log_access
from eservices import actions, figures, intake, library, uploads
from eservices.forms import (
    RECORDED_CHANNELS,
    FormFieldForm,
    NewServiceForm,
    NoticeForm,
    QueueFilterForm,
    RecordRequestForm,
    ServiceEditForm,
    StatusForm,
    TextForm,
    UploadForm,
)
from eservices.forms_public import display_answers
from eservices.models import (
    OPEN_STATUSES,
    Attachment,
    Channel,
    CrisisNotice,
    FieldType,
    FormField,
    Request,
    RequestStatus,
    Service,
    ServiceForm,
)
from orgs import access
from orgs.models import LGO_KINDS, Membership, Role

INLINE_TYPES = {"image/jpeg", "image/png"}  # shown as previews; HEIC is downloaded (browsers can't show it)


# -- access ----------------------------------------------------------------------------------


def _org(request, org_id, *, write=False):
    """The organization (404 outside the user's scope); 403 on a write by someone who may not serve."""
    org = access.get_visible_org(request.user, org_id)
    if write and not access.can_serve(request.user, org):
        raise PermissionDenied(
            _("Only the organization's service staff, admins and approvers can change this.")
        )
    return org


def _requests_org(request, org_id, *, write=False):
    """Citizens' requests are personal data: the organization's own members only (403 for overseers)."""
    org = _org(request, org_id, write=write)
    if not (request.user.is_superuser or access.roles_in(request.user, org)):
        raise PermissionDenied(
            _(
                "Citizens' requests are shown only to the organization's own staff. The figures page shows "
                "how the organization is doing."
            )
        )
    return org


def _service(org, pk) -> Service:
    return get_object_or_404(Service.objects.filter(org=org), pk=pk)


def _request(org, pk) -> Request:
    return get_object_or_404(Request.objects.filter(org=org).select_related("service", "assignee"), pk=pk)


def _ctx(request, org, tab, **extra):
    return {
        "org": org,
        "tab": tab,
        "can_serve": access.can_serve(request.user, org),
        "is_member": bool(request.user.is_superuser or access.roles_in(request.user, org)),
        "is_lgo": org.kind in LGO_KINDS,
        **extra,
    }


# -- home ------------------------------------------------------------------------------------


@require_GET
def home(request):
    """The organizations whose e-services the user works on or reads; straight in when only one."""
    ms = [m for m in access.memberships(request.user) if m.organization.kind in LGO_KINDS]
    overseen = [m for m in access.memberships(request.user) if m.role == Role.OVERSEER]
    orgs = list(dict.fromkeys(m.organization for m in ms))
    if len(orgs) == 1 and not overseen:
        return redirect("eservices:catalogue", org_id=orgs[0].pk)
    return render(
        request, "eservices/home.html", {"orgs": orgs, "overseen": [m.organization for m in overseen]}
    )


# -- catalogue -------------------------------------------------------------------------------


@require_GET
def catalogue(request, org_id):
    org = _org(request, org_id)
    services = list(
        Service.objects.filter(org=org)
        .order_by("order", "pk")
        .annotate(
            n_fields=Count("fields", distinct=True),
            n_open=Count("requests", filter=Q(requests__status__in=OPEN_STATUSES), distinct=True),
        )
    )
    for s in services:
        s.problems = actions.publish_problems(s) if not s.is_published else []
    return render(
        request,
        "eservices/catalogue.html",
        _ctx(
            request,
            org,
            "catalogue",
            services=services,
            new_form=NewServiceForm(),
            adopted=sum(1 for s in services if s.starter_key),
            library_size=len(library.STARTERS),
        ),
    )


@require_http_methods(["GET", "POST"])
def adopt(request, org_id):
    """Pick entries of the starter library; each becomes a draft with its content and form fields."""
    org = _org(request, org_id, write=request.method == "POST")
    have = set(Service.objects.filter(org=org).exclude(starter_key="").values_list("starter_key", flat=True))
    if request.method == "POST":
        keys = [k for k in request.POST.getlist("key") if k in library.BY_KEY]
        if not keys:
            messages.error(request, _("Tick at least one service to adopt."))
            return redirect("eservices:adopt", org_id=org.pk)
        created = actions.adopt_starters(org, keys, by=request.user, request=request)
        if created:
            messages.success(
                request,
                _(
                    "%(n)s services added as drafts. Check each one, adjust it to your office, "
                    "then publish it."
                )
                % {"n": len(created)},
            )
        else:
            messages.info(request, _("These services are in your catalogue already."))
        return redirect("eservices:catalogue", org_id=org.pk)
    entries = [
        {
            **s,
            "usual": org.kind in s["kinds"],
            "adopted": s["key"] in have,
            "summary_filled": library.fill(s["summary"], org.name_th),
        }
        for s in library.starters_for(org.kind)
    ]
    return render(request, "eservices/adopt.html", _ctx(request, org, "catalogue", entries=entries))


@require_POST
def service_new(request, org_id):
    org = _org(request, org_id, write=True)
    form = NewServiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the new service a name."))
        return redirect("eservices:catalogue", org_id=org.pk)
    service = actions.create_service(org, name=form.cleaned_data["name"], by=request.user, request=request)
    return redirect("eservices:service_edit", org_id=org.pk, pk=service.pk)


@require_http_methods(["GET", "POST"])
def service_edit(request, org_id, pk):
    org = _org(request, org_id, write=request.method == "POST")
    service = _service(org, pk)
    their = None
    if request.method == "POST":
        form = ServiceEditForm(request.POST, instance=Service.objects.get(pk=service.pk))
        if form.is_valid():
            try:
                actions.update_service(
                    service,
                    expected_version=form.cleaned_data["version"],
                    values=form.values(),
                    by=request.user,
                    request=request,
                )
            except actions.Conflict as exc:
                their = exc.current
                # Keep what was typed; the next save is made knowingly over the colleague's version.
                data = request.POST.copy()
                data["version"] = str(their.version)
                form = ServiceEditForm(data, instance=their)
                form.is_valid()
            else:
                messages.success(request, _("Saved."))
                return redirect("eservices:service_edit", org_id=org.pk, pk=service.pk)
    else:
        form = ServiceEditForm(instance=service)
    ctx = _ctx(
        request,
        org,
        "catalogue",
        service=service,
        form=form,
        their=their,
        problems=actions.publish_problems(service),
        forms=list(service.forms.all()),
        upload=UploadForm(),
        field_count=service.fields.count(),
    )
    if their is not None:
        ctx["their_channels"] = [actions.channel_label(c) for c in their.channels]
    return render(request, "eservices/service_edit.html", ctx, status=409 if their is not None else 200)


@require_GET
def service_row(request, org_id, pk, kind):
    """A blank editable row (a step or a document) for the entry editor (htmx)."""
    org = _org(request, org_id, write=True)
    _service(org, pk)
    if kind not in ("step", "document"):
        raise Http404
    return render(request, f"eservices/_{kind}_row.html", {"row": {}, "can_serve": True})


@require_POST
def service_publish(request, org_id, pk):
    org = _org(request, org_id, write=True)
    service = _service(org, pk)
    publish = request.POST.get("publish") == "1"
    try:
        actions.set_published(service, publish, by=request.user, request=request)
    except actions.Invalid as exc:
        messages.error(request, _("Not published yet: %(what)s") % {"what": exc})
    else:
        messages.success(request, _("Published: citizens can see it.") if publish else _("Back to draft."))
    if request.POST.get("next") == "list":
        return redirect("eservices:catalogue", org_id=org.pk)
    return redirect("eservices:service_edit", org_id=org.pk, pk=pk)


@require_POST
def service_move(request, org_id, pk):
    org = _org(request, org_id, write=True)
    service = _service(org, pk)
    actions.move_service(
        service, -1 if request.POST.get("direction") == "up" else 1, by=request.user, request=request
    )
    return redirect("eservices:catalogue", org_id=org.pk)


# -- the request form's fields ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def service_fields(request, org_id, pk):
    """The form-field editor: the fields in order, add one, and a preview of the public form."""
    org = _org(request, org_id, write=request.method == "POST")
    service = _service(org, pk)
    form = FormFieldForm(request.POST or None, prefix="new")
    if request.method == "POST" and form.is_valid():
        actions.add_field(service, values=form.values(), by=request.user, request=request)
        messages.success(request, _("Field added."))
        return redirect("eservices:service_fields", org_id=org.pk, pk=service.pk)
    fields = list(service.fields.order_by("order", "pk"))
    edit_forms = [(f, FormFieldForm(instance=f, prefix=f"f{f.pk}")) for f in fields]
    return render(
        request,
        "eservices/service_fields.html",
        _ctx(
            request,
            org,
            "catalogue",
            service=service,
            fields=fields,
            edit_forms=edit_forms,
            form=form,
            FieldType=FieldType,
        ),
        status=422 if form.errors else 200,
    )


def _field(service, field_id) -> FormField:
    return get_object_or_404(FormField.objects.filter(service=service), pk=field_id)


@require_POST
def field_edit(request, org_id, pk, field_id):
    org = _org(request, org_id, write=True)
    service = _service(org, pk)
    field = _field(service, field_id)
    form = FormFieldForm(request.POST, instance=FormField.objects.get(pk=field.pk), prefix=f"f{field.pk}")
    if form.is_valid():
        actions.update_field(field, values=form.values(), by=request.user, request=request)
        messages.success(request, _("Field saved."))
    else:
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, _("The field was not saved: %(errors)s") % {"errors": errors})
    return redirect(reverse("eservices:service_fields", args=[org.pk, service.pk]) + f"#field-{field.pk}")


@require_POST
def field_move(request, org_id, pk, field_id):
    org = _org(request, org_id, write=True)
    field = _field(_service(org, pk), field_id)
    actions.move_field(
        field, -1 if request.POST.get("direction") == "up" else 1, by=request.user, request=request
    )
    return redirect(reverse("eservices:service_fields", args=[org.pk, pk]) + f"#field-{field.pk}")


@require_POST
def field_delete(request, org_id, pk, field_id):
    org = _org(request, org_id, write=True)
    field = _field(_service(org, pk), field_id)
    actions.delete_field(field, by=request.user, request=request)
    messages.success(request, _("Field removed. Answers already sent are kept in the requests."))
    return redirect("eservices:service_fields", org_id=org.pk, pk=pk)


# -- downloadable forms ----------------------------------------------------------------------


@require_POST
def form_upload(request, org_id, pk):
    org = _org(request, org_id, write=True)
    service = _service(org, pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
    else:
        try:
            actions.upload_form(
                service,
                form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                by=request.user,
                request=request,
            )
        except actions.Invalid as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Form uploaded: citizens can download it from the service's page."))
    return redirect(reverse("eservices:service_edit", args=[org.pk, service.pk]) + "#forms")


def _stream(request, storage_file, *, name: str, content_type: str, inline: bool):
    try:
        fh = storage_file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    resp = FileResponse(fh, content_type=content_type)
    resp["Content-Disposition"] = content_disposition_header(not inline, name)
    resp["X-Content-Type-Options"] = "nosniff"
    resp["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    resp["Cache-Control"] = "private, no-store"
    return resp


@require_GET
def form_file(request, org_id, pk, form_id):
    org = _org(request, org_id)
    form = get_object_or_404(ServiceForm.objects.filter(service__org=org, service_id=pk), pk=form_id)
    return _stream(request, form.file, name=form.original_name, content_type=form.content_type, inline=False)


@require_POST
def form_delete(request, org_id, pk, form_id):
    org = _org(request, org_id, write=True)
    form = get_object_or_404(ServiceForm.objects.filter(service__org=org, service_id=pk), pk=form_id)
    actions.delete_form(form, by=request.user, request=request)
    messages.success(request, _("Form removed."))
    return redirect(reverse("eservices:service_edit", args=[org.pk, pk]) + "#forms")


# -- the request queue -----------------------------------------------------------------------


def _staff(org):
    """Members who can be given requests (service staff, admins, approvers)."""
    ids = Membership.objects.filter(
        organization=org, role__in=[Role.SERVICE, Role.ADMIN, Role.APPROVER]
    ).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "username"))


@require_GET
def queue(request, org_id):
    org = _requests_org(request, org_id)
    staff = _staff(org)
    f = QueueFilterForm(request.GET or None, org=org, staff=staff)
    f.is_valid()
    data = f.cleaned_data if f.is_bound else {}
    now = timezone.now()
    base = Request.objects.filter(org=org)
    qs = base.select_related("service", "assignee")
    status = data.get("status") or ""
    if status == "":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status != "all":
        qs = qs.filter(status=status)
    if data.get("service"):
        qs = qs.filter(service=data["service"])
    who = data.get("assignee") or ""
    if who == "none":
        qs = qs.filter(assignee__isnull=True)
    elif who == "me":
        qs = qs.filter(assignee=request.user)
    elif who.isdigit():
        qs = qs.filter(assignee_id=int(who))
    if data.get("overdue"):
        qs = qs.filter(status__in=OPEN_STATUSES, due_at__lt=now)
    q = (data.get("q") or "").strip()
    if q:
        from eservices.intake import normalize_tracking_code

        code = normalize_tracking_code(q)
        qs = qs.filter(
            Q(applicant_name__icontains=q)
            | Q(tracking_code__icontains=q.upper())
            | (Q(tracking_code=code) if code else Q(pk__in=[]))
        )
    # Overdue open requests first (oldest due first), then the rest, newest first.
    from django.db.models import BooleanField, Case, Value, When

    qs = qs.annotate(
        is_overdue=Case(
            When(status__in=OPEN_STATUSES, due_at__lt=now, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    ).order_by("-is_overdue", "due_at", "-submitted_at", "-pk")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    counts = dict(base.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    overdue_count = base.filter(status__in=OPEN_STATUSES, due_at__lt=now).count()
    params = request.GET.copy()
    params.pop("page", None)
    if page.object_list:
        log_access(request, "citizen_requests", organization=org, objects=list(page.object_list))
    return render(
        request,
        "eservices/queue.html",
        _ctx(
            request,
            org,
            "queue",
            page=page,
            filters=f,
            counts=[(s, counts.get(s.value, 0)) for s in RequestStatus],
            overdue_count=overdue_count,
            open_count=sum(counts.get(s, 0) for s in OPEN_STATUSES),
            status_filter=status,
            query=urlencode(params, doseq=True),
            now=now,
        ),
    )


def _detail_ctx(request, org, req, **extra):
    events = list(req.events.select_related("by").order_by("created_at", "pk"))
    attachments = list(req.attachments.all())
    fields = {f.key: f for f in req.service.fields.all()}
    answers = []
    for key, value in (req.answers or {}).items():
        f = fields.get(key)
        ftype = f.field_type if f else ""
        if ftype == FieldType.DATE and isinstance(value, str):
            with contextlib.suppress(ValueError):  # else shown as the citizen typed it
                value = dt.date.fromisoformat(value)
        answers.append((f.label if f else key, value, ftype))
    published = actions.published_days(req.service)
    end = req.closed_at or timezone.now()
    elapsed = actions.working_days_between(req.submitted_at, end)
    status_form = extra.pop("status_form", None) or StatusForm(initial={"version": req.version})
    return _ctx(
        request,
        org,
        "queue",
        req=req,
        events=events,
        attachments=attachments,
        answers=answers,
        published=published,
        elapsed=elapsed,
        status_form=status_form,
        overdue=bool(req.due_at and req.status in OPEN_STATUSES and req.due_at < timezone.now()),
        late=bool(req.due_at and req.closed_at and req.closed_at > req.due_at),
        next_statuses=[
            RequestStatus(s)
            for s in RequestStatus.values
            if s in actions.TRANSITIONS[RequestStatus(req.status)]
        ],
        staff=_staff(org),
        message_form=TextForm(prefix="msg"),
        note_form=TextForm(prefix="note"),
        inline_types=INLINE_TYPES,
        **extra,
    )


@require_GET
def request_detail(request, org_id, pk):
    org = _requests_org(request, org_id)
    req = _request(org, pk)
    log_access(request, "citizen_request", organization=org, objects=[req])
    return render(request, "eservices/request.html", _detail_ctx(request, org, req))


def _back(org, req, anchor=""):
    return HttpResponseRedirect(reverse("eservices:request", args=[org.pk, req.pk]) + anchor)


@require_POST
def request_status(request, org_id, pk):
    org = _requests_org(request, org_id, write=True)
    req = _request(org, pk)
    form = StatusForm(request.POST)
    problem, code = None, 422
    if form.is_valid():
        try:
            actions.change_status(
                req,
                form.cleaned_data["status"],
                by=request.user,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                request=request,
            )
        except actions.Conflict:
            code = 409
            problem = _(
                "A colleague changed this request while you were reading it. Check its history below, "
                "then choose the status again."
            )
            req.refresh_from_db()
            form = StatusForm(
                initial={
                    "version": req.version,
                    "status": form.cleaned_data["status"],
                    "reason": form.cleaned_data["reason"],
                }
            )
        except actions.Invalid as exc:
            problem = str(exc)
        else:
            messages.success(
                request,
                _("Status changed to “%(status)s”.")
                % {"status": RequestStatus(form.cleaned_data["status"]).label},
            )
            return _back(org, req)
    else:
        problem = _("Choose the new status.")
    log_access(request, "citizen_request", organization=org, objects=[req])
    ctx = _detail_ctx(request, org, req, status_form=form, status_problem=problem)
    return render(request, "eservices/request.html", ctx, status=code)


@require_POST
def request_message(request, org_id, pk):
    org = _requests_org(request, org_id, write=True)
    req = _request(org, pk)
    form = TextForm(request.POST, prefix="msg")
    if form.is_valid():
        actions.add_message(req, form.cleaned_data["text"], by=request.user, request=request)
        messages.success(
            request,
            _("Message sent: the citizen sees it on the tracking page%(mail)s.")
            % {"mail": _(" and by e-mail") if req.email else ""},
        )
    else:
        messages.error(request, _("Write the message first."))
    return _back(org, req, "#history")


@require_POST
def request_note(request, org_id, pk):
    org = _requests_org(request, org_id, write=True)
    req = _request(org, pk)
    form = TextForm(request.POST, prefix="note")
    if form.is_valid():
        actions.add_note(req, form.cleaned_data["text"], by=request.user, request=request)
        messages.success(request, _("Note added (staff only)."))
    else:
        messages.error(request, _("Write the note first."))
    return _back(org, req, "#history")


@require_POST
def request_assign(request, org_id, pk):
    org = _requests_org(request, org_id, write=True)
    req = _request(org, pk)
    raw = request.POST.get("assignee", "")
    assignee = None
    if raw == "me":
        assignee = request.user
    elif raw.isdigit():
        assignee = next((u for u in _staff(org) if u.pk == int(raw)), None)
        if assignee is None:
            messages.error(request, _("Choose a colleague from the list."))
            return _back(org, req)
    try:
        actions.assign(req, assignee, by=request.user, request=request)
    except actions.Invalid as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Assigned to %(name)s.") % {"name": assignee.display_name}
            if assignee
            else _("Nobody is assigned now."),
        )
    return _back(org, req)


@require_http_methods(["GET", "POST"])
def request_record(request, org_id):
    """Record a request that reached the office another way (counter, phone, LINE, e-mail, drop box,
    post), so the queue and the figures hold every request, not only the online ones.

    First the service (its form fields differ), then the form: the service's own fields and the
    same upload checks as the citizen's online form. The result is the printable receipt.
    """
    org = _requests_org(request, org_id, write=True)
    services = list(Service.objects.filter(org=org, is_published=True).order_by("order", "pk"))
    service = None
    raw = request.POST.get("service") or request.GET.get("service") or ""
    if raw.isdigit():
        service = next((s for s in services if s.pk == int(raw)), None)
    ctx = _ctx(
        request,
        org,
        "queue",
        services=services,
        service=service,
        channel_choices=RECORDED_CHANNELS,
        picked_channel=request.GET.get("channel", ""),
        max_files=uploads.limit("ESERVICES_UPLOAD_MAX_FILES"),
        accept=uploads.ACCEPT_ATTR,
    )
    if service is None:
        if raw:
            ctx["service_problem"] = _("Choose one of the published services in the list.")
        return render(request, "eservices/record.html", ctx, status=422 if request.method == "POST" else 200)
    if request.method != "POST":
        picked = ctx["picked_channel"]
        initial = {"channel": picked} if picked in dict(RECORDED_CHANNELS) else {}
        ctx["form"] = RecordRequestForm(service=service, initial=initial)
        return render(request, "eservices/record.html", ctx)
    try:
        form = RecordRequestForm(request.POST, request.FILES, service=service)
        uploaded = request.FILES.getlist("attachments")
    except (RequestDataTooBig, TooManyFilesSent):
        messages.error(
            request,
            _(
                "The files are too large together (at most %(mb)s MB). Nothing was saved: send fewer or "
                "smaller files."
            )
            % {"mb": uploads.limit("ESERVICES_UPLOAD_MAX_TOTAL_SIZE") // uploads.MB},
        )
        return redirect(reverse("eservices:request_record", args=[org.pk]) + f"?service={service.pk}")
    checked, file_errors = uploads.check_files(uploaded)
    valid = form.is_valid()
    for error in file_errors:
        form.add_error("attachments", error)
    if not valid or file_errors:
        ctx["form"] = form
        return render(request, "eservices/record.html", ctx, status=422)
    try:
        req = intake.create_request(
            service,
            applicant_name=form.cleaned_data["applicant_name"],
            phone=form.cleaned_data.get("phone") or "",
            email=form.cleaned_data.get("email") or "",
            answers=form.answers(),
            files=checked,
            request=request,
            channel=form.cleaned_data["channel"],
            by=request.user,
            note=form.cleaned_data.get("note") or "",
        )
    except intake.NotAccepting:  # unpublished meanwhile
        messages.error(request, _("This service is no longer published. Choose another one."))
        return redirect("eservices:request_record", org_id=org.pk)
    messages.success(
        request,
        _("Request recorded. Give the citizen the tracking code %(code)s (print this receipt).")
        % {"code": req.tracking_code},
    )
    return redirect("eservices:request_receipt", org_id=org.pk, pk=req.pk)


@require_GET
def request_receipt(request, org_id, pk):
    """The receipt to print or read out to the citizen: the tracking code and how to follow it."""
    org = _requests_org(request, org_id)
    req = _request(org, pk)
    log_access(request, "citizen_request", organization=org, objects=[req])
    return render(
        request,
        "eservices/receipt.html",
        _ctx(
            request,
            org,
            "queue",
            req=req,
            service=req.service,
            attachments=list(req.attachments.all()),
            answers=display_answers(list(req.service.fields.all()), req.answers or {}),
            online=req.channel == Channel.ONLINE_FORM,
            track_url=actions.tracking_url(req),
        ),
    )


@require_GET
def attachment(request, org_id, pk, att_id):
    """A citizen's file, streamed from storage to the organization's members only (access-logged)."""
    org = _requests_org(request, org_id)
    att = get_object_or_404(Attachment.objects.filter(request__org=org, request_id=pk), pk=att_id)
    inline = request.GET.get("inline") == "1" and att.content_type in INLINE_TYPES
    log_access(request, "citizen_attachment", organization=org, objects=[att])
    content_type = (
        att.content_type or mimetypes.guess_type(att.original_name)[0] or "application/octet-stream"
    )
    return _stream(request, att.file, name=att.original_name, content_type=content_type, inline=inline)


# -- crisis notices --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def notices(request, org_id):
    org = _org(request, org_id, write=request.method == "POST")
    form = NoticeForm(request.POST or None, org=org)
    if request.method == "POST" and form.is_valid():
        actions.save_notice(
            org,
            values=form.values(),
            services=form.cleaned_data["services"],
            by=request.user,
            request=request,
        )
        messages.success(request, _("Notice saved. It shows on your public pages during its period."))
        return redirect("eservices:notices", org_id=org.pk)
    items = actions.decorate_notices(CrisisNotice.objects.filter(org=org).prefetch_related("services"))
    active = {n.pk for n in actions.active_notices(org)}
    for n in items:
        n.in_force = n.pk in active
    return render(
        request,
        "eservices/notices.html",
        _ctx(
            request, org, "notices", notices_list=items, form=form, preview=[n for n in items if n.in_force]
        ),
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def notice_edit(request, org_id, pk):
    org = _org(request, org_id, write=request.method == "POST")
    notice = get_object_or_404(CrisisNotice.objects.filter(org=org), pk=pk)
    form = NoticeForm(request.POST or None, instance=notice, org=org)
    if request.method == "POST" and form.is_valid():
        actions.save_notice(
            org,
            values=form.values(),
            services=form.cleaned_data["services"],
            by=request.user,
            notice=notice,
            request=request,
        )
        messages.success(request, _("Notice saved."))
        return redirect("eservices:notices", org_id=org.pk)
    return render(
        request,
        "eservices/notice_edit.html",
        _ctx(request, org, "notices", notice=notice, form=form),
        status=422 if form.errors else 200,
    )


@require_POST
def notice_end(request, org_id, pk):
    org = _org(request, org_id, write=True)
    notice = get_object_or_404(CrisisNotice.objects.filter(org=org), pk=pk)
    actions.end_notice(notice, by=request.user, request=request)
    messages.success(request, _("The notice is off your public pages."))
    return redirect("eservices:notices", org_id=org.pk)


# -- figures ---------------------------------------------------------------------------------


@require_GET
def figures_page(request, org_id):
    org = _org(request, org_id)
    period = request.GET.get("period", "365")
    if period not in figures.PERIODS:
        period = "365"
    if org.kind in LGO_KINDS:
        fig = figures.org_figures(org, period)
        return render(
            request,
            "eservices/figures.html",
            _ctx(
                request,
                org,
                "figures",
                fig=fig,
                period=period,
                periods=figures.PERIODS,
                chart=time_chart(fig),
            ),
        )
    rows = figures.rollup(org, period)
    shown = rows
    if org.is_national:  # thousands of rows: only those with something to show
        shown = [r for r in rows if r.total or r.services]
    return render(
        request,
        "eservices/rollup.html",
        _ctx(
            request,
            org,
            "figures",
            rows=shown,
            all_count=len(rows),
            totals=figures.rollup_totals(rows),
            period=period,
            periods=figures.PERIODS,
        ),
    )


CHART_WIDTH, ROW_HEIGHT, BAR_WIDTH = 640, 52, 540


def time_chart(fig) -> dict | None:
    """An inline SVG of processing times per service: median bar, 90th percentile whisker and the
    published time as a marker. Geometry only; the template draws it."""
    rows = [s for s in fig.services if s.median is not None]
    if not rows:
        return None
    scale = max(max(s.median or 0, s.p90 or 0, s.published or 0) for s in rows) or 1
    bars = []
    for i, s in enumerate(rows):
        y = i * ROW_HEIGHT
        bars.append(
            {
                "label": s.service.name,
                "median": s.median,
                "p90": s.p90,
                "published": s.published,
                "over": s.over_published,
                "text_y": y + 16,
                "bar_y": y + 24,
                "w": max(2, round(BAR_WIDTH * s.median / scale)),
                "p90_x": round(BAR_WIDTH * (s.p90 or 0) / scale),
                "pub_x": round(BAR_WIDTH * s.published / scale) if s.published else None,
                "value_x": max(2, round(BAR_WIDTH * max(s.median, s.p90 or 0, s.published or 0) / scale)) + 8,
            }
        )
    return {"bars": bars, "width": CHART_WIDTH, "height": len(rows) * ROW_HEIGHT + 4, "scale": scale}
