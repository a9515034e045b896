"""The documents API: a plan's documents (generated in the background) and public verification.

GET /documents/plans/{plan_id}/{kind} asks for the document and answers 200 with the file when it
is ready, or 202 with the job's state while it is being prepared (call again; `retry_after`
seconds is a good interval). A failed job answers 503 and is retried by the next call. The kinds
are those of documents.registry (GET /documents/kinds). Plans are reached only through
Plan.objects.visible_to(user): outsiders get 404.

GET /documents/verify/{code} is public: the facts printed on a document's last page (organization,
version, status, approval date, SHA-256), never people.
"""

from __future__ import annotations

import datetime as dt

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from audit.log import log_access
from documents import registry, services
from documents.models import GeneratedDocument, normalize_code
from plans.models import Plan

router = Router(tags=["documents"])
State = GeneratedDocument.State


class Detail(Schema):
    detail: str


class KindOut(Schema):
    key: str
    label: str
    content_type: str
    extension: str
    options: dict[str, list[str]]


class JobOut(Schema):
    state: str
    kind: str
    code: str
    retry_after: int | None = None
    error: str = ""
    detail: str = ""


class VerifyOut(Schema):
    code: str
    kind: str
    organization: str
    plan_title: str
    fiscal_year: int
    revision: int
    approved: bool
    status_when_generated: str
    status_now: str
    approved_at: dt.datetime | None
    generated_at: dt.datetime
    digest: str
    superseded: bool


@router.get("/kinds", response=list[KindOut], summary="The kinds of document a plan can be downloaded as")
def kinds(request):
    return [
        {
            "key": k.key,
            "label": str(k.label),
            "content_type": k.content_type,
            "extension": k.extension,
            "options": {name: list(values) for name, values in k.option_choices.items()},
        }
        for k in registry.kinds()
    ]


@router.get(
    "/plans/{int:plan_id}/{kind}",
    response={200: bytes, 202: JobOut, 404: Detail, 409: Detail, 503: JobOut},
    summary="A plan's document: 200 with the file when ready, 202 while it is prepared (phones: logged)",
)
def plan_document(request, plan_id: int, kind: str, digits: str = ""):
    plan = get_object_or_404(Plan.objects.visible_to(request.user).select_related("org"), pk=plan_id)
    spec = registry.get(kind)
    if spec is None:
        raise HttpError(404, "Unknown kind of document: see /api/v1/documents/kinds.")
    if not spec.available_for(plan):
        raise HttpError(409, "This document is made for approved plans only: approve the plan first.")
    options = {"digits": digits} if digits else None
    doc = services.request_document(plan, kind, by=request.user, options=options)
    if doc.state == State.READY:
        try:
            handle = services.open_file(doc)
        except FileNotFoundError:
            GeneratedDocument.objects.filter(pk=doc.pk).update(state=State.FAILED, error="file missing")
            doc = services.retry(doc)
        else:
            log_access(request, "document.download", organization=plan.org, objects=[doc])
            return FileResponse(
                handle, as_attachment=True, filename=doc.filename, content_type=doc.content_type
            )
    body = {"state": doc.state, "kind": doc.kind, "code": doc.display_code}
    if doc.state == State.FAILED:
        return 503, {
            **body,
            "error": doc.error[:500],
            "detail": "The document could not be made; call again to retry.",
        }
    return 202, {**body, "retry_after": 1, "detail": "Being prepared: call again."}


@router.get(
    "/verify/{code}",
    auth=None,
    response={200: VerifyOut, 404: Detail},
    summary="Public: the facts of a generated document, by its verification code",
)
def verify(request, code: str):
    from documents.views import verification_facts

    compact = normalize_code(code)
    doc = (
        GeneratedDocument.objects.select_related("plan", "plan__org").filter(code=compact).first()
        if compact
        else None
    )
    if doc is None:
        raise HttpError(404, "No document has this verification code.")
    facts = verification_facts(doc)
    facts.pop("kind_label", None)
    return facts
