"""The BCP as a PDF, read back with PDFium: fonts, verbatim text, Thai line breaks, contents,
page numbers, verification block. The demo plan of เทศบาลเมืองแพร่ is rendered once per module."""

from __future__ import annotations

import re
import shutil
import subprocess
from types import SimpleNamespace

import pytest
from django.db import transaction

from documents.bcp import render_bcp_pdf
from documents.inputs import bcp_input
from documents.tests.demo_plan import make_phrae_plan
from documents.tests.pdftext import FOLLOWING_MARKS, body_text, outline, page_texts, source_strings, squash
from phrom.lib.thai import to_thai_digits

CODE = "ABCD-EFGH-JK"
# The module fixture needs the test database; pytest-django creates it only for modules that ask.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo plan's input and PDFs (Thai digits with a code; Arabic digits), built in a
    transaction that is rolled back: nothing stays in the test database."""
    with django_db_blocker.unblock(), transaction.atomic():
        made = make_phrae_plan()
        data = bcp_input(made.plan, code=CODE.replace("-", ""))
        arabic = bcp_input(made.plan, code=CODE.replace("-", ""), digits="arabic")
        transaction.set_rollback(True)
    pdf = render_bcp_pdf(data)
    pdf_arabic = render_bcp_pdf(arabic)
    return SimpleNamespace(
        data=data, pdf=pdf, pages=page_texts(pdf), pages_arabic=page_texts(pdf_arabic), pdf_arabic=pdf_arabic
    )


def test_the_demo_plan_input_is_the_approved_snapshot(demo):
    assert demo.data["plan"]["approved"] is True
    assert demo.data["export"]["organization"]["name_th"] == "เทศบาลเมืองแพร่"
    assert len(demo.data["export"]["processes"]) == 23
    assert demo.data["plan"]["approver"]["name"] == "นายเมือง แพร่ดี"
    assert demo.data["verification"]["url"].endswith("/documents/verify/ABCDEFGHJK/")


def test_only_laksaman_is_embedded(demo, tmp_path):
    if not shutil.which("pdffonts"):
        pytest.skip("install poppler-utils (pdffonts) to check the embedded fonts")
    path = tmp_path / "bcp.pdf"
    path.write_bytes(demo.pdf)
    lines = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    fonts = [line.split() for line in lines[2:] if line.strip()]
    assert fonts, "no fonts listed"
    for row in fonts:
        name, embedded = row[0], row[-5]
        assert re.fullmatch(r"[A-Z]{6}\+Laksaman(-Bold)?", name), f"unexpected font {name}"
        assert embedded == "yes", f"{name} is not embedded"


def test_every_paragraph_and_cell_extracts_verbatim(demo):
    text = squash(body_text(demo.pages))
    strings = source_strings(demo.data)
    missing = [s for s in strings if squash(s) not in text]
    assert len(strings) > 300
    share = 1 - len(missing) / len(strings)
    assert share >= 0.99, f"{share:.2%} verbatim; missing e.g. {missing[:5]}"


def test_no_line_starts_with_a_thai_following_mark(demo):
    bad = []
    for number, page in enumerate(demo.pages, start=1):
        for line in re.split(r"[\r\n]+", page):
            line = line.lstrip(" \u00a0\t")
            if line and line[0] in FOLLOWING_MARKS:
                bad.append((number, line[:30]))
    assert not bad, f"lines starting with a following vowel or tone mark: {bad[:10]}"


def test_the_contents_lists_the_page_each_heading_is_on(demo):
    toc = [(title, page) for _level, title, page in outline(demo.pdf) if title != "สารบัญ"]
    first = next(
        i for i, t in enumerate(demo.pages) if squash(t).startswith(f"-{to_thai_digits(i + 1)}-สารบัญ")
    )
    contents = squash(body_text(demo.pages[first : first + 3]))
    assert len(toc) >= 20
    pos = 0
    for k, (title, page_index) in enumerate(toc):
        # The heading really is on the page its bookmark points to ...
        assert squash(title) in squash(demo.pages[page_index]), f"{title!r} is not on page {page_index + 1}"
        # ... and the contents give that page: "title ....... number", entry after entry.
        start = contents.find(squash(title), pos)
        assert start >= 0, f"{title!r} missing from the contents"
        end = start + len(squash(title))
        following = contents.find(squash(toc[k + 1][0]), end) if k + 1 < len(toc) else len(contents)
        leader = contents[end:following]
        number = to_thai_digits(page_index + 1)
        assert re.fullmatch(r"\.+" + number, leader) or (
            k + 1 == len(toc) and re.match(r"\.+" + number, leader)
        ), f"contents give {leader!r} for {title!r}, expected page {number}"
        pos = end
    titles = [t for t, _p in toc]
    for expected in ("คำนำ", "บทนำ", "วัตถุประสงค์", "ขั้นตอนการบริหารความต่อเนื่อง", "แผนผังการติดต่อ (Call Tree)"):
        assert any(expected in t for t in titles), expected
    assert toc[-1][1] < len(demo.pages)


def test_tables_one_to_nine_appear_in_order(demo):
    text = squash(body_text(demo.pages))
    captions = {1: "การวิเคราะห์ผลกระทบจาก", 2: "รายชื่อทีมงาน", 3: "การวิเคราะห์ผลกระทบต่อ", 9: "กลยุทธ์ความต่อเนื่อง"}
    positions = [
        text.find(f"ตารางที่{to_thai_digits(n)}{captions.get(n, 'ความต้องการทรัพยากร')}") for n in range(1, 10)
    ]
    assert all(p >= 0 for p in positions), positions
    assert positions == sorted(positions)


def test_page_numbers_from_page_two(demo):
    assert not squash(demo.pages[0]).startswith("-๑-")
    for i in (1, 2, len(demo.pages) - 1):
        assert squash(demo.pages[i]).startswith(f"-{to_thai_digits(i + 1)}-"), i


def test_arabic_digits_when_the_document_says_so(demo):
    assert squash(demo.pages_arabic[1]).startswith("-2-")
    year = demo.data["plan"]["fiscal_year"]
    assert f"ประจำปีงบประมาณพ.ศ.{year}" in squash(demo.pages_arabic[0])
    assert f"ประจำปีงบประมาณพ.ศ.{to_thai_digits(year)}" in squash(demo.pages[0])


def test_the_last_page_carries_the_verification_code_and_digest(demo):
    last = squash(demo.pages[-1])
    assert CODE in last
    assert "/documents/verify/ABCDEFGHJK/" in last
    digest = demo.data["plan"]["digest"]
    assert digest in last
    assert "การตรวจสอบเอกสาร" in last


def test_the_call_tree_annex_reaches_every_person(demo):
    start = next(page for _l, title, page in outline(demo.pdf) if "แผนผังการติดต่อ" in title)
    tree_text = squash(body_text(demo.pages[start : start + 5]))
    people = {n["contact"] for n in demo.data["export"]["call_tree"]}
    names = {c["ref"]: c["name"] for c in demo.data["export"]["contacts"]}
    assert all(squash(names[p]) in tree_text for p in people)


def test_exercise_log_is_a_blank_form(demo):
    text = squash("".join(demo.pages))
    assert "บันทึกผลการฝึกซ้อมแผน" in text
    assert "ผลการฝึกซ้อมและข้อควรปรับปรุง" in text


def test_approved_plan_is_not_marked_draft_and_the_announcement_is_signed(demo):
    assert "ร่าง—ยังไม่ได้รับอนุมัติ" not in squash(demo.pages[0])
    announcement = squash(demo.pages[1])
    assert "ประกาศเทศบาลเมืองแพร่" in announcement
    assert "(นายเมืองแพร่ดี)" in announcement
