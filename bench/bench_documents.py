"""How long the BCP PDF takes to render (documents.bcp.render_bcp_pdf, warm: fonts loaded).

    make bench
    .venv/bin/python -m pytest bench/bench_documents.py --benchmark-only -s

- the demo plan of เทศบาลเมืองแพร่ (23 processes, 18-person team; target < 0.8 s);
- a large plan (plans.tests.factories.make_large_plan: 90 processes, 110 people, 320 steps; about
  100 pages; target < 3 s).
Typst memoises identical inputs, so every round changes the generation date printed in the
document: each round is a real render. The page count is recorded in extra_info.
"""

from __future__ import annotations

import itertools

import pypdfium2 as pdfium
import pytest

from documents.bcp import render_bcp_pdf
from documents.inputs import bcp_input
from documents.tests.demo_plan import make_phrae_plan
from plans.tests.factories import make_large_plan

pytestmark = pytest.mark.django_db


def pages(pdf: bytes) -> int:
    doc = pdfium.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def varied(data: dict):
    """The same document with a different print date each round (defeats Typst's memoisation)."""
    counter = itertools.count()

    def make():
        return ({**data, "generated_on_text": f"รอบที่ {next(counter)}"},), {}

    return make


def run(benchmark, data: dict) -> bytes:
    render_bcp_pdf(data)  # warm: fonts loaded, template parsed
    result = benchmark.pedantic(render_bcp_pdf, setup=varied(data), rounds=8, iterations=1)
    n = pages(result)
    benchmark.extra_info["pages"] = n
    print(f"\n{benchmark.name}: {n} pages")
    return result


def test_demo_plan_pdf(benchmark):
    made = make_phrae_plan()
    pdf = run(benchmark, bcp_input(made.plan, code="ABCDEFGHJK"))
    assert pdf.startswith(b"%PDF-")


def test_large_plan_pdf(benchmark, cast):
    plan = make_large_plan(cast.lgo, by=cast.planner, processes=90, people=110, steps=320)
    pdf = run(benchmark, bcp_input(plan, code="ABCDEFGHJK"))
    assert pages(pdf) >= 90
