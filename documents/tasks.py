"""Background generation of documents (django-tasks; a database-backed queue in production)."""

from __future__ import annotations

from django_tasks import task


@task()
def generate_document(doc_id: int) -> str:
    """Render one GeneratedDocument row; safe to run twice or on two workers (see services.claim)."""
    from documents.services import run_job

    return run_job(doc_id)
