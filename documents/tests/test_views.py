"""Download buttons with progress, access-checked downloads, public verification, the API."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.urls import reverse

from audit.models import AccessLog
from documents import services
from documents.models import GeneratedDocument
from plans.lifecycle import approve
from plans.tests.factories import make_complete_plan

State = GeneratedDocument.State
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def approved(cast):
    return approve(make_complete_plan(cast.lgo, by=cast.planner), by=cast.approver)


def test_the_plan_page_offers_the_pdf(client, cast, approved):
    client.force_login(cast.viewer)
    page = client.get(reverse("plans:detail", args=[approved.pk])).content.decode()
    assert "Official documents" in page or "เอกสาร" in page
    assert reverse("documents:request", args=[approved.pk, "bcp_pdf"]) in page


def test_click_prepare_poll_download(client, cast, approved, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client.force_login(cast.viewer)

    started = client.post(reverse("documents:request", args=[approved.pk, "bcp_pdf"]), **HX)
    doc = GeneratedDocument.objects.get(plan=approved)
    assert started.status_code == 200 and 'hx-trigger="every 1s"' in started.content.decode()

    services.run_job(doc.pk)  # the worker
    polled = client.get(reverse("documents:job", args=[doc.pk]), **HX).content.decode()
    assert "hx-trigger" not in polled and reverse("documents:download", args=[doc.pk]) in polled
    assert doc.display_code in polled or GeneratedDocument.objects.get(pk=doc.pk).display_code in polled

    response = client.get(reverse("documents:download", args=[doc.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-")
    assert "filename*=utf-8''" + quote("แผนดำเนินธุรกิจอย่างต่อเนื่อง") in response["Content-Disposition"]
    assert AccessLog.objects.filter(what="document.download", organization=cast.lgo).exists()


def test_without_javascript_the_button_leads_to_a_progress_page(client, cast, approved):
    client.force_login(cast.planner)
    response = client.post(reverse("documents:request", args=[approved.pk, "bcp_pdf"]))
    doc = GeneratedDocument.objects.get(plan=approved)
    assert response.status_code == 302 and response["Location"] == reverse("documents:job", args=[doc.pk])
    assert client.get(response["Location"]).status_code == 200


def test_a_failed_job_offers_a_retry(client, cast, approved, monkeypatch):
    client.force_login(cast.planner)
    monkeypatch.setattr(
        "documents.bcp.render_bcp_pdf", lambda data: (_ for _ in ()).throw(RuntimeError("boom"))
    )
    page = client.post(reverse("documents:request", args=[approved.pk, "bcp_pdf"]), **HX).content.decode()
    doc = GeneratedDocument.objects.get(plan=approved)
    assert doc.state == State.FAILED and reverse("documents:retry", args=[doc.pk]) in page
    monkeypatch.undo()

    retried = client.post(reverse("documents:retry", args=[doc.pk]), **HX).content.decode()
    assert reverse("documents:download", args=[doc.pk]) in retried


def test_outsiders_get_404(client, cast, approved):
    doc = services.request_document(approved, "bcp_pdf")
    client.force_login(cast.other_planner)
    assert client.post(reverse("documents:request", args=[approved.pk, "bcp_pdf"])).status_code == 404
    assert client.get(reverse("documents:download", args=[doc.pk])).status_code == 404
    assert client.get(reverse("documents:job", args=[doc.pk])).status_code == 404
    assert client.get(f"/api/v1/documents/plans/{approved.pk}/bcp_pdf").status_code == 404


def test_the_verification_page_is_public_and_has_no_personal_data(client, cast, approved):
    doc = services.request_document(approved, "bcp_pdf")
    page = client.get(reverse("documents:verify", args=[doc.code]))
    text = page.content.decode()
    assert page.status_code == 200
    assert approved.digest in text and cast.lgo.name_th in text and doc.display_code in text
    for private in [cast.approver.full_name, cast.planner.full_name, "0811111113"]:
        assert private not in text
    contact_names = [c.name for c in approved.contacts.all()]
    assert not any(name in text for name in contact_names)


def test_a_draft_says_it_is_not_approved(client, cast):
    draft = make_complete_plan(cast.lgo, by=cast.planner)
    doc = services.request_document(draft, "bcp_pdf")
    text = client.get(reverse("documents:verify", args=[doc.code])).content.decode()
    assert "DRAFT" in text or "ร่าง" in text


def test_codes_are_typed_loosely_and_unknown_codes_are_404(client, approved):
    doc = services.request_document(approved, "bcp_pdf")
    typed = client.get(reverse("documents:verify_form"), {"code": doc.display_code.lower().replace("-", " ")})
    assert typed.status_code == 302 and typed["Location"] == reverse("documents:verify", args=[doc.code])

    unknown = client.get(reverse("documents:verify", args=["ABCDEFGHJK"]))
    assert unknown.status_code == 404 and approved.digest not in unknown.content.decode()
    assert client.get(reverse("documents:verify", args=["not-a-code"])).status_code == 404
    assert client.get(reverse("documents:verify_form"), {"code": "O0O0"}).status_code == 200


def test_api_document_and_verification(client, cast, approved, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client.force_login(cast.viewer)
    url = f"/api/v1/documents/plans/{approved.pk}/bcp_pdf"

    waiting = client.get(url)
    assert waiting.status_code == 202 and waiting.json()["state"] == "pending"
    doc = GeneratedDocument.objects.get(plan=approved)
    services.run_job(doc.pk)
    ready = client.get(url)
    assert ready.status_code == 200 and b"".join(ready.streaming_content).startswith(b"%PDF-")
    assert GeneratedDocument.objects.filter(plan=approved).count() == 1
    assert client.get(f"/api/v1/documents/plans/{approved.pk}/no_such_kind").status_code == 404

    client.logout()
    facts = client.get(f"/api/v1/documents/verify/{doc.display_code}")
    assert facts.status_code == 200 and facts.json()["digest"] == approved.digest and facts.json()["approved"]
    assert client.get("/api/v1/documents/verify/ABCDEFGHJK").status_code == 404


@pytest.mark.django_db
def test_letters_about_an_approved_plan_are_not_offered_for_a_draft(cast, client):
    from documents import registry
    from documents.views import plan_documents_context
    from plans import actions

    plan = actions.create_plan(cast.lgo, by=cast.planner)
    client.force_login(cast.planner)
    keys = {row["spec"].key for row in plan_documents_context(None, plan)["document_rows"]}
    assert "bcp_pdf" in keys and "team_order_pdf" in keys
    assert "covering_letter_pdf" not in keys and "adoption_announcement_docx" not in keys
    assert not registry.get("covering_letter_pdf").available_for(plan)

    resp = client.post(f"/documents/plans/{plan.pk}/covering_letter_pdf/", follow=True)
    assert "approved plans only" in resp.content.decode() or "อนุมัติ" in resp.content.decode()
    resp = client.get(f"/api/v1/documents/plans/{plan.pk}/covering_letter_pdf")
    assert resp.status_code == 409
