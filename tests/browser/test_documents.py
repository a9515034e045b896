"""The plan's PDF from the plan page, with progress, and its verification page, in a real browser."""

from __future__ import annotations

from pathlib import Path

import pytest

from documents import services
from documents.models import GeneratedDocument
from documents.tests.demo_plan import make_phrae_plan
from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_planner_downloads_the_pdf_and_anyone_verifies_it(
    live_server, page, page_factory, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    # A queue nobody works on until the test says so: the page must show the job in progress.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    made = make_phrae_plan()
    login(page, live_server, "phrae.planner", "phrom-demo")
    page.goto(f"{live_server.url}/plans/{made.plan.pk}/")

    page.click("#doc-bcp_pdf button.doc-button")
    page.wait_for_selector("#doc-bcp_pdf .doc-spinner")
    doc = GeneratedDocument.objects.get(plan=made.plan)
    assert doc.state == "pending"

    services.run_job(doc.pk)  # the worker
    link = page.wait_for_selector("#doc-bcp_pdf a.doc-download", timeout=15_000)
    page.locator("#documents-heading").scroll_into_view_if_needed()
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / "documents-plan-buttons.png"), full_page=False)
    with page.expect_download() as download:
        link.click()
    file = download.value
    assert file.suggested_filename.startswith("แผนดำเนินธุรกิจอย่างต่อเนื่อง เทศบาลเมืองแพร่")
    assert file.suggested_filename.endswith(".pdf")
    assert Path(file.path()).read_bytes()[:5] == b"%PDF-"

    doc.refresh_from_db()
    anonymous = page_factory(phone=True)
    anonymous.goto(f"{live_server.url}/documents/verify/")
    anonymous.fill("#verify-code", doc.display_code.lower())
    anonymous.press("#verify-code", "Enter")
    anonymous.wait_for_selector(".verify-result")
    text = anonymous.inner_text("main")
    assert made.plan.digest in text and "เทศบาลเมืองแพร่" in text
    assert "นายเมือง แพร่ดี" not in text
    anonymous.screenshot(path=str(DOCS / "documents-verify.png"), full_page=True)
    screenshot(anonymous, "documents-verify-phone")
