"""DOCX output: the XML that Word and LibreOffice need for Thai, and LibreOffice's own reading.

Every DOCX (the four letters and the demo plan) is checked in its XML: TH SarabunPSK named for the
complex script, both sizes (16 pt = 32 half-points), th-TH for complex script, no theme fonts,
table widths in w:tblGrid and w:tcW, rows that cannot split. Where LibreOffice is installed, all
of them are converted to PDF in ONE soffice run (with Phrom's fontconfig aliasing TH SarabunPSK to
Laksaman) and the PDFs are read back: Thai body text 16 pt, in Laksaman only.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from django.conf import settings
from django.db import transaction
from lxml import etree

from documents.docx.ooxml import FONT
from documents.letters import render_letter_docx
from documents.tests.test_letters import founding_letter

# The module fixtures write to the test database: make sure pytest-django creates it.
pytestmark = pytest.mark.django_db

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FONTCONFIG = Path(settings.BASE_DIR) / "documents" / "fontconfig" / "fonts.conf"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "docx"


def demo_plan_input():
    """bcp_input of the approved demo plan (เทศบาลเมืองแพร่), from `manage.py load_demo`."""
    from io import StringIO

    from django.core.management import call_command

    from documents.inputs import bcp_input
    from plans.models import Plan, Status

    call_command("load_demo", stdout=StringIO(), stderr=StringIO())
    plan = Plan.objects.get(org__dla_code="4540102", status=Status.APPROVED)
    return bcp_input(plan, code="ABCD-EFGH-JK")


@pytest.fixture(scope="module")
def docs(django_db_setup, django_db_blocker):
    """name -> DOCX bytes: the founding circular, the three plan letters, a complete plan's BCP
    (the demo plan's DOCX is measured in bench/bench_docx.py)."""
    from conftest import build_cast
    from documents.inputs import bcp_input
    from documents.letters.builders import adoption_announcement, covering_letter, team_order
    from plans.lifecycle import approve
    from plans.tests.factories import make_complete_plan

    out = {"circular": render_letter_docx(founding_letter())}
    with django_db_blocker.unblock(), transaction.atomic():
        cast = build_cast()
        cast.lgo.letter_prefix = "พร ๗๖๔๐๑"
        cast.lgo.save()
        plan = approve(make_complete_plan(cast.lgo, by=cast.planner), by=cast.approver)
        out["covering"] = render_letter_docx(covering_letter(plan, number=412, date=dt.date(2026, 1, 12)))
        out["order"] = render_letter_docx(team_order(plan, number=12, date=dt.date(2025, 10, 1)))
        out["announcement"] = render_letter_docx(adoption_announcement(plan))
        data = bcp_input(plan, code="ABCD-EFGH-JK")
        transaction.set_rollback(True)
    from documents.docx import render_bcp_docx

    out["bcp"] = render_bcp_docx(data)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, blob in out.items():
        (ARTIFACTS / f"{name}.docx").write_bytes(blob)
    return out, data


def parts(blob: bytes) -> dict[str, etree._Element]:
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        return {
            n: etree.fromstring(z.read(n))
            for n in z.namelist()
            if n.startswith("word/") and n.endswith(".xml") and "theme" not in n
        }


NAMES = ["circular", "covering", "order", "announcement", "bcp"]


@pytest.mark.parametrize("name", NAMES)
def test_every_font_is_named_for_thai_too_and_no_theme_font_is_left(docs, name):
    for part, root in parts(docs[0][name]).items():
        if part == "word/numbering.xml":
            continue  # bullet glyphs of the default list styles (Symbol, Wingdings): not text
        for rfonts in root.iter(f"{W}rFonts"):
            attrs = {k.split("}")[1]: v for k, v in rfonts.attrib.items()}
            assert not any(k.lower().endswith("theme") for k in attrs), (part, attrs)
            assert attrs.get("cs") == FONT and attrs.get("ascii") == FONT, (part, attrs)
        for sz in root.iter(f"{W}sz"):
            assert sz.getnext() is not None and sz.getnext().tag == f"{W}szCs", part
            assert sz.getnext().get(f"{W}val") == sz.get(f"{W}val")
        for lang in root.iter(f"{W}lang"):
            assert lang.get(f"{W}bidi") == "th-TH", part


@pytest.mark.parametrize("name", NAMES)
def test_the_defaults_are_th_sarabunpsk_16pt_with_an_exact_line_pitch(docs, name):
    import docx

    docx.Document(io.BytesIO(docs[0][name]))  # a valid package python-docx (and Word) can open
    styles = parts(docs[0][name])["word/styles.xml"]
    rpr = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    assert rpr.find(f"{W}rFonts").get(f"{W}cs") == FONT
    assert rpr.find(f"{W}sz").get(f"{W}val") == "32" and rpr.find(f"{W}szCs").get(f"{W}val") == "32"
    spacing = styles.find(f"{W}docDefaults/{W}pPrDefault/{W}pPr/{W}spacing")
    assert spacing.get(f"{W}lineRule") == "exact" and spacing.get(f"{W}line") == "400"
    doc = parts(docs[0][name])["word/document.xml"]
    sect = doc.find(f"{W}body/{W}sectPr")
    size, margin = sect.find(f"{W}pgSz"), sect.find(f"{W}pgMar")
    assert (size.get(f"{W}w"), size.get(f"{W}h")) == ("11906", "16838")  # A4
    assert [margin.get(f"{W}{k}") for k in ("left", "right", "top", "bottom")] == [
        "1701",
        "1134",
        "1417",
        "1134",
    ]
    # Thai body text: every text run of the body is 16 pt unless it says otherwise
    sizes = Counter(s.get(f"{W}val") for s in doc.iter(f"{W}szCs"))
    assert sizes.most_common(1)[0][0] in ("32", "28")


@pytest.mark.parametrize("name", ["circular", "covering", "bcp"])
def test_tables_carry_their_widths_twice_and_rows_never_split(docs, name):
    doc = parts(docs[0][name])["word/document.xml"]
    tables = list(doc.iter(f"{W}tbl"))
    assert tables
    for tbl in tables:
        grid = [int(g.get(f"{W}w")) for g in tbl.find(f"{W}tblGrid")]
        for tr in tbl.findall(f"{W}tr"):
            assert tr.find(f"{W}trPr/{W}cantSplit") is not None
            widths = []
            for tc in tr.findall(f"{W}tc"):
                span = tc.find(f"{W}tcPr/{W}gridSpan")
                widths.append(
                    (
                        int(tc.find(f"{W}tcPr/{W}tcW").get(f"{W}w")),
                        int(span.get(f"{W}val")) if span is not None else 1,
                    )
                )
            at = 0
            for width, span in widths:
                assert abs(width - sum(grid[at : at + span])) <= span, (name, grid, widths)
                at += span
            assert at == len(grid)


def test_the_urgency_is_red_bold_32pt_and_the_letter_is_numbered_from_page_two(docs):
    doc = parts(docs[0]["circular"])["word/document.xml"]
    urgent = [r for r in doc.iter(f"{W}r") if "".join(r.itertext()) == "ด่วนที่สุด"]
    assert urgent
    rpr = urgent[0].find(f"{W}rPr")
    assert rpr.find(f"{W}color").get(f"{W}val") == "DC0000"
    assert rpr.find(f"{W}szCs").get(f"{W}val") == "64" and rpr.find(f"{W}bCs") is not None
    sect = doc.find(f"{W}body/{W}sectPr")
    assert sect.find(f"{W}titlePg") is not None  # the first page has its own (empty) header
    assert sect.find(f"{W}pgNumType").get(f"{W}fmt") == "thaiNumbers"
    headers = [root for part, root in parts(docs[0]["circular"]).items() if "header" in part]
    assert any("PAGE" in "".join(h.itertext()) for h in headers)


def test_the_bcp_has_the_pdfs_structure_and_a_word_table_of_contents(docs):
    blob, data = docs
    doc = parts(blob["bcp"])["word/document.xml"]
    text = "".join(doc.itertext())
    instr = " ".join(i.text for i in doc.iter(f"{W}instrText"))
    assert "TOC" in instr
    settings_xml = parts(blob["bcp"])["word/settings.xml"]
    assert settings_xml.find(f"{W}updateFields").get(f"{W}val") == "true"
    order = [data["content"]["title_th"], data["content"]["announcement"]["heading"], "คำนำ", "สารบัญ", "บทนำ"]
    order += [f"ตารางที่ {n}" for n in "๑๒๓๔๕๖๗๘๙"] + ["ภาคผนวก"]
    at = 0
    for t in order:  # each in turn, after the previous one
        at = text.find(t, at)
        assert at >= 0, f"{t} missing or out of order"
    for p in data["content"]["processes"]:
        assert p["name"] in text
    headers = [r for r in doc.iter(f"{W}tblHeader")]
    assert len(headers) >= 9
    landscape = [s for s in doc.iter(f"{W}pgSz") if s.get(f"{W}orient") == "landscape"]
    assert len(landscape) == 2  # ตารางที่ 1 and ตารางที่ 3, as in the PDF


def test_user_text_is_escaped_not_interpreted(docs):
    from documents.letters.builders import circular_from_data
    from documents.tests.test_letters import _minimal_settings

    tricky = 'ข้อความ <w:p> & "อัญประกาศ" {{ x }} {% if %} \\ ]]>'
    letter = circular_from_data(
        _minimal_settings(), number=1, date=dt.date(2026, 1, 1), subject=tricky,
        addressee="นายอำเภอทุกอำเภอ", body=[tricky],
    )  # fmt: skip
    text = "".join(parts(render_letter_docx(letter))["word/document.xml"].itertext())
    assert text.count(tricky) == 2


# -- LibreOffice ------------------------------------------------------------------------------------


def soffice_convert(docx_files: list[Path], outdir: Path, profile: Path) -> None:
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTCONFIG), "HOME": str(profile)}
    subprocess.run(
        [shutil.which("soffice"), f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(outdir), *map(str, docx_files)],
        check=True, env=env, capture_output=True, timeout=180,
    )  # fmt: skip


@pytest.fixture(scope="module")
def libreoffice_pdfs(docs):
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice not installed: apt-get install libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory(prefix="phrom-lo-") as tmp:
        root = Path(tmp)
        files = []
        for name, blob in docs[0].items():
            (root / f"{name}.docx").write_bytes(blob)
            files.append(root / f"{name}.docx")
        soffice_convert(files, root / "out", root / "profile")
        pdfs = {name: (root / "out" / f"{name}.pdf").read_bytes() for name in docs[0]}
        fonts = {}
        for name in pdfs:
            listing = subprocess.run(
                ["pdffonts", str(root / "out" / f"{name}.pdf")], capture_output=True, text=True
            )
            fonts[name] = [line.split()[0] for line in listing.stdout.splitlines()[2:] if line.strip()]
    for name, blob in pdfs.items():
        (ARTIFACTS / f"{name}.libreoffice.pdf").write_bytes(blob)
    return pdfs, fonts


@pytest.mark.parametrize("name", NAMES)
def test_libreoffice_reads_the_docx_with_thai_at_16pt_in_laksaman(libreoffice_pdfs, name):
    pdfs, fonts = libreoffice_pdfs
    assert fonts[name] and all("Laksaman" in f for f in fonts[name]), fonts[name]
    doc = pdfium.PdfDocument(pdfs[name])
    try:
        sizes = Counter()
        page_no = 0 if name != "bcp" else min(3, len(doc) - 1)
        textpage = doc[page_no].get_textpage()
        for i in range(textpage.count_chars()):
            ch = textpage.get_text_range(i, 1)
            if "\u0e01" <= ch <= "\u0e4f":
                sizes[round(pdfium.raw.FPDFText_GetFontSize(textpage.raw, i))] += 1
        assert sizes.most_common(1)[0][0] == 16, sizes
        text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()
    if name == "circular":
        assert "พร ๐๐๒๓.๑/ว ๓๐๒๖" in text and "๒๓ มิถุนายน ๒๕๖๓" in text
    if name == "bcp":
        assert "ตารางที่ ๙" in text


def test_the_demo_plans_docx_has_no_leftover_template_tags(docs):
    text = "".join(parts(docs[0]["bcp"])["word/document.xml"].itertext())
    assert not re.search(r"\{\{|\{%|%\}|\}\}", text)
