"""The demo plan as DOCX, and side by side: LibreOffice turning that DOCX into PDF vs Phrom's PDF.

    .venv/bin/python -m pytest bench/bench_docx.py --benchmark-only -s

Measured on the approved demo plan of `manage.py load_demo` (เทศบาลเมืองแพร่):
- documents.docx.render_bcp_docx (target: under 0.2 s warm);
- documents.bcp.render_bcp_pdf, Phrom's own PDF path (Typst);
- where LibreOffice is installed: soffice converting the same DOCX to PDF, warm (one profile,
  converted once before timing; every timed round is a fresh soffice process, as a server
  would run it without a resident office).
No assertions on time: the figures and the LibreOffice/Phrom ratio are printed and recorded in
extra_info. Inputs vary per round (the generation date) so no cache answers for the renderer.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = pytest.mark.django_db

FONTCONFIG = Path(settings.BASE_DIR) / "documents" / "fontconfig" / "fonts.conf"
RESULTS: dict[str, float] = {}


@pytest.fixture
def demo_input():
    from documents.inputs import bcp_input
    from plans.models import Plan, Status

    call_command("load_demo", stdout=StringIO(), stderr=StringIO())
    plan = Plan.objects.get(org__dla_code="4540102", status=Status.APPROVED)
    return bcp_input(plan, code="ABCD-EFGH-JK")


def _variants(data: dict):
    """A fresh copy per call (a different generation note each time)."""
    counter = {"n": 0}

    def make():
        counter["n"] += 1
        return {**data, "generated_on_text": f"{data['generated_on_text']} #{counter['n']}"}

    return make


def test_bcp_docx_of_the_demo_plan(benchmark, demo_input):
    from documents.docx import render_bcp_docx

    render_bcp_docx(demo_input)  # warm: templates read and compiled once per process
    make = _variants(demo_input)
    blob = benchmark.pedantic(lambda: render_bcp_docx(make()), rounds=10, iterations=1)
    RESULTS["docx"] = benchmark.stats.stats.median
    benchmark.extra_info.update({"bytes": len(blob), "median_s": RESULTS["docx"]})
    print(f"\nDOCX of the demo plan: {RESULTS['docx'] * 1000:.0f} ms median, {len(blob):,} bytes")


def test_bcp_pdf_of_the_demo_plan_by_phrom(benchmark, demo_input):
    from documents.bcp import render_bcp_pdf

    render_bcp_pdf(demo_input)
    make = _variants(demo_input)
    pdf = benchmark.pedantic(lambda: render_bcp_pdf(make()), rounds=5, iterations=1)
    RESULTS["phrom_pdf"] = benchmark.stats.stats.median
    benchmark.extra_info.update({"bytes": len(pdf), "median_s": RESULTS["phrom_pdf"]})
    print(f"\nPhrom PDF (Typst) of the demo plan: {RESULTS['phrom_pdf'] * 1000:.0f} ms median")


def test_bcp_pdf_of_the_demo_plan_by_libreoffice(benchmark, demo_input):
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice not installed: apt-get install libreoffice-writer-nogui")
    from documents.docx import render_bcp_docx

    with tempfile.TemporaryDirectory(prefix="phrom-bench-lo-") as tmp:
        root = Path(tmp)
        docx = root / "plan.docx"
        docx.write_bytes(render_bcp_docx(demo_input))
        profile = root / "profile"
        env = {**os.environ, "FONTCONFIG_FILE": str(FONTCONFIG), "HOME": str(profile)}
        command = [
            shutil.which("soffice"),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(root / "out"),
            str(docx),
        ]

        def convert():
            subprocess.run(command, check=True, env=env, capture_output=True, timeout=300)

        convert()  # first run creates the profile and the font cache
        started = time.perf_counter()
        benchmark.pedantic(convert, rounds=3, iterations=1)
        RESULTS["libreoffice_pdf"] = benchmark.stats.stats.median
        assert (root / "out" / "plan.pdf").stat().st_size > 10_000
    ratio = ""
    if "phrom_pdf" in RESULTS:
        ratio = f"; LibreOffice / Phrom = {RESULTS['libreoffice_pdf'] / RESULTS['phrom_pdf']:.1f}×"
        benchmark.extra_info["ratio_libreoffice_over_phrom"] = (
            RESULTS["libreoffice_pdf"] / RESULTS["phrom_pdf"]
        )
    benchmark.extra_info["median_s"] = RESULTS["libreoffice_pdf"]
    print(f"\nLibreOffice DOCX → PDF (warm profile): {RESULTS['libreoffice_pdf'] * 1000:.0f} ms median{ratio}"
          f" (measured in {time.perf_counter() - started:.1f} s)")  # fmt: skip
