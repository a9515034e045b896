"""Generating documents: request (idempotent), run (one worker per job), retry, fetch.

    doc = request_document(plan, "bcp_pdf", by=user)   # a GeneratedDocument, maybe already ready
    run_job(doc.pk)                                      # what the background task does

Approved versions are generated once and kept: their rows have ``cached`` set and a unique cache
key (kind + snapshot digest + options), so every later request finds the same file. A draft
changes, so each request renders it afresh, but a request while the same draft content is being
prepared returns the job in flight (a double click makes one job). Files go through Django's
default storage (MEDIA_ROOT), which is never served directly: downloads are access-checked views.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from documents import registry
from documents.models import GeneratedDocument

log = logging.getLogger(__name__)
State = GeneratedDocument.State
STALE_AFTER = dt.timedelta(minutes=10)  # a running job older than this was abandoned by its worker


class UnknownKind(LookupError):
    pass


def is_frozen(plan) -> bool:
    """Approved (or later superseded) versions never change: their documents can be cached."""
    from plans.models import Status

    return (
        plan.status in (Status.APPROVED, Status.SUPERSEDED)
        and bool(plan.digest)
        and plan.snapshot is not None
    )


def content_digest(plan) -> str:
    """SHA-256 of what the document shows: the frozen digest, or a draft's current export."""
    if is_frozen(plan):
        return plan.digest
    from plans.portability import export_json

    return hashlib.sha256(export_json(plan)).hexdigest()


def cache_key(kind: str, digest: str, options: dict, frozen: bool) -> str:
    raw = json.dumps([kind, digest, options, frozen], sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(raw.encode()).hexdigest()


def resolve_options(plan, spec: registry.DocumentKind, options: dict | None) -> dict:
    options = dict(options or {})
    if "digits" in spec.option_choices and options.get("digits") not in spec.option_choices["digits"]:
        from documents.inputs import document_settings

        options["digits"] = document_settings(plan.org)["digits"]
    return spec.clean_options(options)


def find_document(plan, kind: str, *, options: dict | None = None) -> GeneratedDocument | None:
    """The cached document of a frozen version, or the latest job for a draft (for the plan page)."""
    spec = registry.get(kind)
    if spec is None:
        return None
    options = resolve_options(plan, spec, options)
    if is_frozen(plan):
        key = cache_key(kind, plan.digest, options, True)
        return GeneratedDocument.objects.filter(cache_key=key, cached=True).first()
    return (
        GeneratedDocument.objects.filter(plan=plan, kind=kind, cached=False)
        .order_by("-created_at", "-id")
        .first()
    )


def request_document(plan, kind: str, *, by=None, options: dict | None = None) -> GeneratedDocument:
    """The document of `plan` of this kind: an existing one when it can be reused, else a new job
    (enqueued). A failed cached job is retried."""
    spec = registry.get(kind)
    if spec is None:
        raise UnknownKind(kind)
    options = resolve_options(plan, spec, options)
    frozen = is_frozen(plan)
    digest = content_digest(plan)
    key = cache_key(kind, digest, options, frozen)

    if frozen:
        existing = GeneratedDocument.objects.filter(cache_key=key, cached=True).first()
    else:
        existing = GeneratedDocument.objects.filter(
            cache_key=key, cached=False, state__in=[State.PENDING, State.RUNNING]
        ).first()
    if existing is not None:
        if existing.state == State.FAILED:
            return retry(existing)
        return existing

    doc = GeneratedDocument(
        plan=plan, kind=kind, options=options, cache_key=key, cached=frozen, digest=digest,
        plan_status=plan.status, plan_revision=plan.revision,
        requested_by=by if getattr(by, "pk", None) else None,
        filename=spec.filename(plan) + spec.extension, content_type=spec.content_type,
    )  # fmt: skip
    try:
        with transaction.atomic():
            doc.save()
    except IntegrityError:
        # Someone else created the same job a moment ago (double click, two tabs): use theirs.
        states = (
            [State.PENDING, State.RUNNING, State.READY, State.FAILED]
            if frozen
            else [State.PENDING, State.RUNNING]
        )
        other = GeneratedDocument.objects.filter(cache_key=key, cached=frozen, state__in=states).first()
        if other is None:  # the in-flight job finished in between: ask again
            return request_document(plan, kind, by=by, options=options)
        return other
    _enqueue(doc)
    doc.refresh_from_db()
    return doc


def retry(doc: GeneratedDocument) -> GeneratedDocument:
    """Failed → pending again, and enqueue (only the caller that flips the state enqueues)."""
    moved = GeneratedDocument.objects.filter(pk=doc.pk, state=State.FAILED).update(
        state=State.PENDING, error="", started_at=None, finished_at=None
    )
    if moved:
        _enqueue(doc)
    doc.refresh_from_db()
    return doc


def _enqueue(doc: GeneratedDocument) -> None:
    from documents.tasks import generate_document

    try:
        generate_document.enqueue(doc.pk)
    except Exception as exc:  # noqa: BLE001 - a broken queue must show as a failed job, not a 500
        log.exception("could not enqueue document %s", doc.pk)
        GeneratedDocument.objects.filter(pk=doc.pk, state=State.PENDING).update(
            state=State.FAILED, error=f"queue: {exc}"[:2000], finished_at=timezone.now()
        )


def claim(doc_id: int) -> bool:
    """Take the job: pending → running (or an abandoned running job). True for exactly one caller."""
    now = timezone.now()
    return bool(
        GeneratedDocument.objects.filter(pk=doc_id)
        .filter(Q(state=State.PENDING) | Q(state=State.RUNNING, started_at__lt=now - STALE_AFTER))
        .update(state=State.RUNNING, started_at=now, attempts=F("attempts") + 1)
    )


def run_job(doc_id: int) -> str:
    """Render the document and store the file. Returns the final state (or 'skipped')."""
    if not claim(doc_id):
        return "skipped"
    doc = GeneratedDocument.objects.select_related("plan", "plan__org").get(pk=doc_id)
    spec = registry.get(doc.kind)
    try:
        if spec is None:
            raise UnknownKind(doc.kind)
        data = spec.render(doc.plan, code=doc.code, options=doc.options)
        name = default_storage.save(
            f"documents/{doc.plan.org_id}/{doc.plan_id}/{doc.code}{spec.extension}", ContentFile(data)
        )
    except Exception as exc:  # noqa: BLE001 - any failure is shown to the user with a retry button
        log.exception("document %s (%s) failed", doc.pk, doc.kind)
        GeneratedDocument.objects.filter(pk=doc.pk, state=State.RUNNING).update(
            state=State.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=timezone.now()
        )
        return State.FAILED
    updated = GeneratedDocument.objects.filter(pk=doc.pk, state=State.RUNNING).update(
        state=State.READY, file=name, size=len(data), finished_at=timezone.now(), error=""
    )
    if not updated:  # pragma: no cover - the row changed under us; keep storage clean
        default_storage.delete(name)
        return "skipped"
    return State.READY


def open_file(doc: GeneratedDocument):
    return default_storage.open(doc.file.name, "rb")
