"""Generation jobs: caching of approved versions, fresh drafts, one job per double click, one
worker per job, failures with retry, the database-backed queue."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from documents import services
from documents.models import GeneratedDocument
from plans.lifecycle import approve
from plans.tests.factories import make_complete_plan

State = GeneratedDocument.State
FAKE_PDF = b"%PDF-1.7 fake"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def draft(cast):
    return make_complete_plan(cast.lgo, by=cast.planner)


@pytest.fixture
def approved(cast, draft):
    return approve(draft, by=cast.approver)


@pytest.fixture
def renderer():
    """Count real calls of the BCP renderer (the real one runs: its PDF is stored)."""
    from documents import bcp

    with mock.patch("documents.bcp.render_bcp_pdf", wraps=bcp.render_bcp_pdf) as spy:
        yield spy


def test_an_approved_version_is_rendered_once_and_cached(approved, cast, renderer):
    first = services.request_document(approved, "bcp_pdf", by=cast.viewer)
    second = services.request_document(approved, "bcp_pdf", by=cast.planner)

    assert first.state == State.READY and second.pk == first.pk
    assert renderer.call_count == 1
    assert first.cached and first.digest == approved.digest
    with services.open_file(first) as f:
        assert f.read(5) == b"%PDF-"
    assert (
        first.filename
        == f"แผนดำเนินธุรกิจอย่างต่อเนื่อง {cast.lgo.name_th} ปีงบประมาณ {approved.fiscal_year} ฉบับที่ 1.pdf"
    )


def test_other_options_are_another_cached_document(approved, renderer):
    thai = services.request_document(approved, "bcp_pdf")
    arabic = services.request_document(approved, "bcp_pdf", options={"digits": "arabic"})

    assert thai.pk != arabic.pk and renderer.call_count == 2
    assert services.request_document(approved, "bcp_pdf", options={"digits": "arabic"}).pk == arabic.pk


def test_a_draft_is_rendered_fresh_each_time(draft, renderer):
    first = services.request_document(draft, "bcp_pdf")
    second = services.request_document(draft, "bcp_pdf")

    assert renderer.call_count == 2
    assert first.pk != second.pk and first.code != second.code
    assert not first.cached and first.state == second.state == State.READY
    assert "(ร่าง)" in first.filename


def test_a_double_click_while_preparing_makes_one_job(draft, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    first = services.request_document(draft, "bcp_pdf")
    second = services.request_document(draft, "bcp_pdf")

    assert first.pk == second.pk and first.state == State.PENDING
    assert GeneratedDocument.objects.filter(plan=draft).count() == 1


def test_the_database_refuses_a_second_cached_row(approved):
    doc = services.request_document(approved, "bcp_pdf")
    with pytest.raises(IntegrityError), transaction.atomic():
        GeneratedDocument.objects.create(
            plan=approved, kind="bcp_pdf", cache_key=doc.cache_key, cached=True, digest=doc.digest,
            plan_status="approved",
        )  # fmt: skip


def test_only_one_worker_takes_a_job(draft, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    doc = services.request_document(draft, "bcp_pdf")

    assert services.claim(doc.pk) is True
    assert services.claim(doc.pk) is False  # the second worker finds it running
    assert services.run_job(doc.pk) == "skipped"
    doc.refresh_from_db()
    assert doc.state == State.RUNNING and doc.attempts == 1


def test_a_failure_is_shown_and_retried(approved):
    with mock.patch("documents.bcp.render_bcp_pdf", side_effect=RuntimeError("typst exploded")):
        doc = services.request_document(approved, "bcp_pdf")
    assert doc.state == State.FAILED and "typst exploded" in doc.error and not doc.file

    again = services.request_document(approved, "bcp_pdf")  # the next request retries it
    assert again.pk == doc.pk and again.state == State.READY and again.attempts == 2


@pytest.mark.django_db(transaction=True)  # the worker closes connections inside a test's transaction
def test_the_database_queue_and_its_worker(approved, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    doc = services.request_document(approved, "bcp_pdf")
    assert doc.state == State.PENDING

    call_command("db_worker", batch=True, verbosity=0)

    doc.refresh_from_db()
    assert doc.state == State.READY and doc.size > 1000
    with services.open_file(doc) as f:
        assert f.read(5) == b"%PDF-"
