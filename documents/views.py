"""Pages of the documents app: download buttons with progress, downloads, public verification.

Everything about a plan's documents is scoped by Plan.objects.visible_to / GeneratedDocument
.objects.visible_to: outsiders get 404. The verification page is public and shows only public
facts about a document (organization, version, status, dates, digest), never people.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from audit.log import log_access
from documents import registry, services
from documents.models import GeneratedDocument, format_code, normalize_code
from plans.models import Plan, Status

State = GeneratedDocument.State


def _visible_plan(request, pk) -> Plan:
    return get_object_or_404(Plan.objects.visible_to(request.user).select_related("org"), pk=pk)


def _visible_doc(request, pk) -> GeneratedDocument:
    qs = GeneratedDocument.objects.visible_to(request.user).select_related("plan", "plan__org")
    return get_object_or_404(qs, pk=pk)


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def plan_documents_context(request, plan: Plan) -> dict:
    """What templates/documents/_plan_documents.html needs (one row per kind of document)."""
    rows = []
    for spec in registry.kinds():
        if not spec.available_for(plan):
            continue
        doc = services.find_document(plan, spec.key)
        # A draft's finished job is stale as soon as the plan changes: offer a fresh one then.
        if doc is not None and not doc.cached and doc.is_done:
            doc = doc if doc.state == State.FAILED else None
        rows.append({"spec": spec, "doc": doc})
    return {"plan": plan, "document_rows": rows}


def _job_response(request, doc: GeneratedDocument, spec, *, status: int = 200):
    context = {"doc": doc, "spec": spec, "plan": doc.plan}
    if _is_htmx(request):
        return render(request, "documents/_job.html", context, status=status)
    return render(request, "documents/job.html", context, status=status)


@require_POST
def request_document(request, plan_pk, kind):
    """Start (or find) the document; answers with its progress, polled until it is ready."""
    plan = _visible_plan(request, plan_pk)
    spec = registry.get(kind)
    if spec is None:
        raise Http404
    if not spec.available_for(plan):
        messages.error(request, _("This document is made for approved plans only: approve the plan first."))
        return redirect("plans:detail", pk=plan.pk)
    doc = services.request_document(plan, kind, by=request.user)
    if not _is_htmx(request):
        return redirect("documents:job", pk=doc.pk)
    return _job_response(request, doc, spec)


@require_safe
def job(request, pk):
    """Progress of one document (HTMX fragment while polling; a full page without JavaScript)."""
    doc = _visible_doc(request, pk)
    return _job_response(request, doc, registry.get(doc.kind))


@require_POST
def retry(request, pk):
    doc = _visible_doc(request, pk)
    if doc.state == State.FAILED:
        doc = services.retry(doc)
    if not _is_htmx(request):
        return redirect("documents:job", pk=doc.pk)
    return _job_response(request, doc, registry.get(doc.kind))


@require_safe
def download(request, pk):
    """The file, for those who may read the plan. It lists staff phones: the read is access-logged."""
    doc = _visible_doc(request, pk)
    if doc.state != State.READY or not doc.file:
        return redirect("documents:job", pk=doc.pk)
    try:
        handle = services.open_file(doc)
    except FileNotFoundError:
        # The stored file is gone (storage cleaned by hand): make it again.
        GeneratedDocument.objects.filter(pk=doc.pk).update(state=State.FAILED, error="file missing")
        doc.refresh_from_db()
        doc = services.retry(doc)
        return redirect("documents:job", pk=doc.pk)
    log_access(request, "document.download", organization=doc.plan.org, objects=[doc])
    response = FileResponse(handle, as_attachment=True, filename=doc.filename, content_type=doc.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


# -- public verification -----------------------------------------------------------------------


def verification_facts(doc: GeneratedDocument) -> dict:
    """Public facts about a generated document (shared by the page and the API). No people."""
    plan = doc.plan
    spec = registry.get(doc.kind)
    return {
        "code": format_code(doc.code),
        "kind": doc.kind,
        "kind_label": str(spec.label) if spec else doc.kind,
        "organization": plan.org.name_th,
        "plan_title": plan.title,
        "fiscal_year": plan.fiscal_year,
        "revision": doc.plan_revision,
        "status_when_generated": doc.plan_status,
        "approved": doc.plan_status in (Status.APPROVED, Status.SUPERSEDED),
        "status_now": plan.status,
        "approved_at": plan.approved_at if doc.plan_status in (Status.APPROVED, Status.SUPERSEDED) else None,
        "digest": doc.digest,
        "generated_at": doc.created_at,
        "superseded": plan.status == Status.SUPERSEDED,
    }


@login_not_required
@require_safe
def verify_form(request):
    """Type a code (or arrive from the QR code's short link)."""
    typed = (request.GET.get("code") or "").strip()
    error = ""
    if typed:
        code = normalize_code(typed)
        if code:
            return redirect("documents:verify", code=code)
        error = _(
            "A verification code has 10 letters and digits, for example ABCD-EFGH-JK. Check the code "
            "printed at the end of the document and try again."
        )
    return render(request, "documents/verify.html", {"typed": typed, "error": error}, status=200)


@login_not_required
@require_safe
def verify(request, code):
    compact = normalize_code(code)
    doc = (
        GeneratedDocument.objects.select_related("plan", "plan__org").filter(code=compact).first()
        if compact
        else None
    )
    if doc is None:
        return render(request, "documents/verify.html", {"typed": code, "not_found": True}, status=404)
    if compact != code:
        return redirect(reverse("documents:verify", kwargs={"code": compact}))
    return render(request, "documents/verify.html", {"facts": verification_facts(doc), "typed": ""})
