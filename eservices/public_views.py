"""The citizens' pages: no account, no login (every view is login_not_required).

The office finder, each local government's catalogue and service pages in the structure of the
citizen's manual, downloads of the forms of published services, the request form with its
receipt, and tracking by code plus the last four digits of the phone.

A receipt or tracking page is shown only in the browser session that sent the request or typed
its code and phone digits (the codes are kept in the session), so a link to it is useless to
anyone else. Rate limits (eservices.ratelimit) guard the look-up and the submissions.
"""

from __future__ import annotations

import datetime as dt
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.http import FileResponse, Http404
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from eservices import geo, intake, ratelimit, uploads
from eservices.actions import active_notices
from eservices.forms_public import AddDocumentForm, ApplicationForm, TrackForm, display_answers
from eservices.geo_models import Subdistrict
from eservices.models import Channel, EventKind, Request, RequestEvent, RequestStatus, Service, ServiceForm
from orgs.models import LGO_KINDS, Kind, Organization

SESSION_KEY = "citizen_requests"  # tracking codes this browser session may see
SESSION_MAX_CODES = 20
SUBDISTRICT_CODE = re.compile(r"[0-9]{6}")  # a subdistrict geocode


# -- helpers ----------------------------------------------------------------------------------


def public_org(org_id) -> Organization:
    """An active local government, or 404 (only local governments have a public catalogue)."""
    return get_object_or_404(Organization, pk=org_id, kind__in=LGO_KINDS, is_active=True)


def published_service(org: Organization, slug: str) -> Service:
    return get_object_or_404(Service.objects.published(), org=org, slug=slug)


def channel_list(service: Service) -> list[dict]:
    """The service's channels as label + detail (e-mail address, LINE id, …) in catalogue order."""
    details = service.channel_details or {}
    out = []
    for key in service.channels or []:
        try:
            label = Channel(key).label
        except ValueError:
            continue
        out.append({"key": key, "label": label, "detail": details.get(key, "")})
    return out


def remember(request, code: str) -> None:
    codes = [c for c in request.session.get(SESSION_KEY, []) if c != code]
    request.session[SESSION_KEY] = (codes + [code])[-SESSION_MAX_CODES:]


def remembered_request(request, code: str) -> Request | None:
    normalized = intake.normalize_tracking_code(code)
    if not normalized or normalized not in request.session.get(SESSION_KEY, []):
        return None
    return (
        Request.objects.select_related("service", "org")
        .prefetch_related("attachments")
        .filter(tracking_code=normalized)
        .first()
    )


def too_many(request, verdict: ratelimit.Verdict, *, what: str):
    """The friendly 429 page: what happened, and when to try again."""
    minutes = max(1, (verdict.retry_after + 59) // 60)
    response = render(
        request,
        "eservices/public/too_many.html",
        {"minutes": minutes, "retry_at": timezone.now() + dt.timedelta(seconds=verdict.retry_after),
         "what": what},
        status=429,
    )  # fmt: skip
    response["Retry-After"] = str(verdict.retry_after)
    return response


def too_large(request, service=None):
    max_total = uploads.limit("ESERVICES_UPLOAD_MAX_TOTAL_SIZE")
    return render(
        request,
        "eservices/public/too_large.html",
        {"service": service, "max_total": max_total,
         "max_file": uploads.limit("ESERVICES_UPLOAD_MAX_FILE_SIZE"),
         "max_files": uploads.limit("ESERVICES_UPLOAD_MAX_FILES")},
        status=413,
    )  # fmt: skip


def body_too_large(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > uploads.max_request_body()


def csrf_failure(request):
    """Run Django's CSRF check ourselves, after the size check (see apply())."""
    return CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})


# -- the office finder ----------------------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "HEAD"])
def finder(request):
    """Province → district → subdistrict (or a typed place name) → the local government."""
    provinces = list(
        Organization.objects.filter(kind=Kind.PROVINCE, is_active=True)
        .exclude(geocode="10")
        .order_by("name_th")
    )
    province = district = subdistrict = None
    get = request.GET
    if get.get("province"):
        province = next((p for p in provinces if str(p.pk) == get["province"]), None)
    districts = []
    if province is not None:
        districts = list(
            Organization.objects.filter(kind=Kind.DISTRICT, province=province, is_active=True).order_by(
                "name_th"
            )
        )
        if get.get("district"):
            district = next((d for d in districts if str(d.pk) == get["district"]), None)
    subdistricts = []
    if district is not None:
        subdistricts = list(Subdistrict.objects.filter(district=district).order_by("name_th"))
        if get.get("subdistrict"):
            subdistrict = next((s for s in subdistricts if s.code == get["subdistrict"]), None)
    elif not get.get("province") and SUBDISTRICT_CODE.fullmatch(get.get("subdistrict") or ""):
        # A search result links straight to a subdistrict: fill in its province and district.
        # (Only a well-formed geocode reaches the database: PostgreSQL refuses NUL bytes with an error.)
        subdistrict = (
            Subdistrict.objects.select_related("district", "district__province")
            .filter(code=get["subdistrict"])
            .first()
        )
        if subdistrict is not None:
            district, province = subdistrict.district, subdistrict.district.province
            districts = list(
                Organization.objects.filter(kind=Kind.DISTRICT, province=province, is_active=True).order_by(
                    "name_th"
                )
            )
            subdistricts = list(Subdistrict.objects.filter(district=district).order_by("name_th"))
    q = (get.get("q") or "").strip()[:100]
    context = {
        "provinces": provinces,
        "province": province,
        "districts": districts,
        "district": district,
        "subdistricts": subdistricts,
        "subdistrict": subdistrict,
        "q": q,
        "search": geo.search_places(q) if q else None,
        "geo_loaded": geo.has_subdistricts(),
    }
    if subdistrict is not None:
        context["answer"] = geo.who_serves(subdistrict)
    elif district is not None:
        context["district_lgos"] = geo.district_lgos(district)
        context["pao"] = geo.provincial_org(district.province_id)
    # htmx asks for the same page and swaps in the part below the changed select (hx-select).
    return render(request, "eservices/public/finder.html", context)


# -- catalogue ------------------------------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "HEAD"])
def org_page(request, org_id):
    org = public_org(org_id)
    services = list(Service.objects.published().filter(org=org).order_by("order", "name", "pk"))
    online = [s for s in services if s.accepts_requests]
    others = [s for s in services if not s.accepts_requests]
    return render(
        request,
        "eservices/public/org.html",
        {
            "org": org,
            "district": org.district if org.district_id else None,
            "online_services": online,
            "other_services": others,
            "notices": active_notices(org),
        },
    )


@login_not_required
@require_http_methods(["GET", "HEAD"])
def service_page(request, org_id, slug):
    org = public_org(org_id)
    service = published_service(org, slug)
    steps = [s for s in (service.steps or []) if isinstance(s, dict)]
    documents = [d for d in (service.documents or []) if isinstance(d, dict)]
    notices = [n for n in active_notices(org) if not n.services.all() or service in n.services.all()]
    return render(
        request,
        "eservices/public/service.html",
        {
            "org": org,
            "service": service,
            "steps": steps,
            "total_step_minutes": sum(
                int(s.get("minutes") or 0) for s in steps if str(s.get("minutes") or "").isdigit()
            ),
            "documents": documents,
            "channels": channel_list(service),
            "forms": list(service.forms.all()),
            "notices": notices,
        },
    )


@login_not_required
@require_http_methods(["GET", "HEAD"])
def form_download(request, org_id, slug, form_id):
    """A downloadable form of a published service, through this view only (never a media path)."""
    org = public_org(org_id)
    service = published_service(org, slug)
    form = get_object_or_404(ServiceForm, pk=form_id, service=service)
    try:
        handle = form.file.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type=form.content_type or "application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, form.original_name or "form")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=300"
    return response


# -- the request form -------------------------------------------------------------------------------


@login_not_required
@csrf_exempt  # checked below, after the size check, so that a huge upload is refused unread
@require_http_methods(["GET", "HEAD", "POST"])
def apply(request, org_id, slug):
    org = public_org(org_id)
    service = get_object_or_404(
        Service.objects.published().prefetch_related("fields"), org=org, slug=slug, accepts_requests=True
    )
    context = {"org": org, "service": service, "max_files": uploads.limit("ESERVICES_UPLOAD_MAX_FILES"),
               "max_file_size": uploads.limit("ESERVICES_UPLOAD_MAX_FILE_SIZE"),
               "max_total_size": uploads.limit("ESERVICES_UPLOAD_MAX_TOTAL_SIZE"),
               "accept": uploads.ACCEPT_ATTR}  # fmt: skip
    if request.method != "POST":
        context["form"] = ApplicationForm(service=service)
        return render(request, "eservices/public/apply.html", context)

    if body_too_large(request):
        return too_large(request, service)
    rejected = csrf_failure(request)
    if rejected is not None:
        return rejected
    address = ratelimit.client_address(request)
    verdict = ratelimit.check("submit_address", address)
    if not verdict.allowed:
        return too_many(request, verdict, what="submit")
    try:
        form = ApplicationForm(request.POST, request.FILES, service=service)
        uploaded = request.FILES.getlist("attachments")
    except (RequestDataTooBig, TooManyFilesSent):
        return too_large(request, service)
    if form.bot_filled:
        # Neutral: the same look as a received request, nothing stored, nothing said.
        return render(request, "eservices/public/sent.html", {"org": org, "service": service})
    checked, file_errors = uploads.check_files(uploaded)
    valid = form.is_valid()
    if file_errors:
        for error in file_errors:
            form.add_error("attachments", error)
    if not valid or file_errors:
        context.update(form=form, reselect=[uploads.display_name(u.name) for u in uploaded])
        return render(request, "eservices/public/apply.html", context, status=200)
    try:
        req = intake.create_request(
            service,
            applicant_name=form.cleaned_data["applicant_name"],
            phone=form.cleaned_data["phone"],
            email=form.cleaned_data.get("email") or "",
            answers=form.answers(),
            files=checked,
            request=request,
        )
    except intake.NotAccepting:
        raise Http404 from None
    ratelimit.hit("submit_address", address)
    remember(request, req.tracking_code)
    return redirect("citizen:receipt", code=req.tracking_code)


@login_not_required
@require_http_methods(["GET", "HEAD"])
def receipt(request, code):
    req = remembered_request(request, code)
    if req is None:
        return redirect(reverse("citizen:track") + f"?code={intake.normalize_tracking_code(code) or ''}")
    return render(
        request,
        "eservices/public/receipt.html",
        {
            "req": req,
            "service": req.service,
            "org": req.org,
            "attachments": list(req.attachments.all()),
            "answers": display_answers(list(req.service.fields.all()), req.answers or {}),
        },
    )


# -- tracking -------------------------------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def track(request):
    """Code + last four phone digits → the request's public history (kept for this session)."""
    if request.method != "POST":
        initial = {"code": intake.normalize_tracking_code(request.GET.get("code", "")) or ""}
        return render(request, "eservices/public/track.html", {"form": TrackForm(initial=initial)})
    form = TrackForm(request.POST)
    if not form.is_valid():
        return render(request, "eservices/public/track.html", {"form": form})
    address = ratelimit.client_address(request)
    code = intake.normalize_tracking_code(form.cleaned_data["code"]) or form.cleaned_data["code"].upper()
    by_address = ratelimit.hit("track_address", address)
    if not by_address.allowed:
        return too_many(request, by_address, what="track")
    by_code = ratelimit.check("track_code_failures", code)
    if not by_code.allowed:
        return too_many(request, by_code, what="track")
    req = intake.find_request(code, form.cleaned_data["phone_last4"])
    if req is None:
        ratelimit.hit("track_code_failures", code)
        form.add_error(
            None,
            _("We found no request with this tracking code and these phone digits. Check both against "
              "your receipt and try again."),
        )  # fmt: skip
        return render(request, "eservices/public/track.html", {"form": form})
    remember(request, req.tracking_code)
    return redirect("citizen:track_result", code=req.tracking_code)


def _public_events(req: Request) -> list[RequestEvent]:
    # Staff-only kinds never leave the database for this page; no names of staff are shown.
    return list(
        RequestEvent.objects.filter(request=req)
        .exclude(kind__in=(EventKind.NOTE, EventKind.ASSIGN))
        .order_by("created_at", "pk")
    )


@login_not_required
@csrf_exempt  # checked below, after the size check
@require_http_methods(["GET", "HEAD", "POST"])
def track_result(request, code):
    req = remembered_request(request, code)
    if req is None:
        if request.method == "POST" and body_too_large(request):
            return too_large(request)
        return redirect(reverse("citizen:track") + f"?code={intake.normalize_tracking_code(code) or ''}")
    form = None
    reselect = []
    if request.method == "POST":
        if body_too_large(request):
            return too_large(request)
        rejected = csrf_failure(request)
        if rejected is not None:
            return rejected
        if request.POST.get("action") == "forget":
            request.session[SESSION_KEY] = [
                c for c in request.session.get(SESSION_KEY, []) if c != req.tracking_code
            ]
            messages.info(
                request, _("This request is no longer shown on this device. Your code still works.")
            )
            return redirect("citizen:track")
        address = ratelimit.client_address(request)
        verdict = ratelimit.check("document_address", address)
        if not verdict.allowed:
            return too_many(request, verdict, what="document")
        try:
            form = AddDocumentForm(request.POST, request.FILES)
            uploaded = request.FILES.getlist("attachments")
        except (RequestDataTooBig, TooManyFilesSent):
            return too_large(request)
        checked, file_errors = uploads.check_files(uploaded)
        valid = form.is_valid()
        for error in file_errors:
            form.add_error("attachments", error)
        if valid and not file_errors:
            try:
                intake.add_citizen_document(
                    req, files=checked, message=form.cleaned_data["message"], request=request
                )
            except intake.NotWaiting:
                form.add_error(None, _("The office is no longer waiting for documents on this request."))
            except intake.TooManyAttachments:
                form.add_error(
                    None, _("This request already has as many documents as it can take. Call the office.")
                )
            else:
                ratelimit.hit("document_address", address)
                messages.success(
                    request, _("Sent. The office has been told and will continue with your request.")
                )
                return redirect("citizen:track_result", code=req.tracking_code)
        reselect = [uploads.display_name(u.name) for u in uploaded]
    if form is None and req.status == RequestStatus.WAITING:
        form = AddDocumentForm()
    return render(
        request,
        "eservices/public/track_result.html",
        {
            "req": req,
            "service": req.service,
            "org": req.org,
            "events": _public_events(req),
            "attachments": list(req.attachments.all()),
            "form": form if req.status == RequestStatus.WAITING else None,
            "reselect": reselect,
            "accept": uploads.ACCEPT_ATTR,
        },
    )
