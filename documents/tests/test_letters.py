"""Letters as PDF: the founding letter re-created from the seed, and the three plan letters.

Each PDF is rendered once per module and read back with PDFium (pypdfium2, Chrome's engine): the
text must come out verbatim and in the regulation's order, the urgency red and at least 32 pt,
and the only embedded fonts Laksaman. The PDFs are also written to test-artifacts/letters/ for a
person to look at.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from django.conf import settings
from django.db import transaction

from documents.letters import (
    CIRCULAR,
    Enclosure,
    Letter,
    LetterError,
    Paragraph,
    Reference,
    letter_number,
    order_number,
    prepare,
    render_letter_pdf,
)
from documents.letters.builders import adoption_announcement, circular_from_data, covering_letter, team_order

# The module fixtures write to the test database: make sure pytest-django creates it.
pytestmark = pytest.mark.django_db

SEED = Path(settings.BASE_DIR).parent / "shared" / "seed" / "phrae-circular-2563-bcp.txt"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "letters"


# -- the founding letter, from the seed's facts ------------------------------------------------


def seed_blocks() -> list[list[str]]:
    """The seed letter as blocks (separated by blank lines) of lines."""
    if not SEED.exists():
        pytest.skip(f"the seed letter is not at {SEED} (the shared data directory next to the repo)")
    text = SEED.read_text(encoding="utf-8")
    return [
        [line.strip() for line in b.splitlines() if line.strip()] for b in text.split("\n\n") if b.strip()
    ]


def seed_paragraphs() -> list[str]:
    return [" ".join(" ".join(b).split()) for b in seed_blocks()]


def after(paras: list[str], prefix: str) -> str:
    return next(p for p in paras if p.startswith(prefix))[len(prefix) :].strip()


def thai_date_of(text: str) -> dt.date:
    from phrom.lib.thai import MONTHS, to_arabic_digits

    day, month, year = to_arabic_digits(text).split()
    return dt.date(int(year) - 543, MONTHS.index(month) + 1, int(day))


def founding_letter() -> Letter:
    """The หนังสือเวียน of จังหวัดแพร่ (23 June 2563), every fact taken from the seed text."""
    from phrom.lib.thai import to_arabic_digits

    blocks = seed_blocks()
    paras = seed_paragraphs()
    number_at = next(i for i, p in enumerate(paras) if p.startswith("ที่ "))
    prefix, register = paras[number_at][len("ที่ ") :].split("/ว ")
    enclosures = []
    for i, p in enumerate(paras):
        m = re.match(r"^(?:สิ่งที่ส่งมาด้วย )?[๑-๙]\. (.+) ที่ (มท .+)$", p)
        if m:
            date = thai_date_of(paras[i + 1].removeprefix("ลงวันที่ "))
            count = to_arabic_digits(paras[i + 2].split()[1])
            enclosures.append(
                Enclosure(m.group(1), m.group(2), date, count=int(count), unit=paras[i + 2].split()[2])
            )
    first_body = next(i for i, p in enumerate(paras) if p.startswith("กรมส่งเสริมการปกครองท้องถิ่น แจ้ง"))
    closing_at = next(i for i, p in enumerate(paras) if p.startswith("จึงเรียน"))
    signer_at = next(i for i, p in enumerate(paras) if p.startswith("(") and p.endswith(")"))
    return Letter(
        kind=CIRCULAR,
        urgency=paras[0],
        number=letter_number(prefix, to_arabic_digits(register), circular=True),
        office_lines=tuple(blocks[number_at + 1]),
        date=thai_date_of(paras[number_at + 2]),
        subject=after(paras, "เรื่อง "),
        addressee=after(paras, "เรียน "),
        enclosures=tuple(enclosures),
        body=tuple(paras[first_body:closing_at]),
        closing=paras[closing_at],
        complimentary_close=paras[closing_at + 1],
        signer_name=paras[signer_at][1:-1],
        signer_positions=tuple(blocks[signer_at + 1]),
        owning_unit=tuple(blocks[signer_at + 2]),
        phone=after(paras, "โทร. "),
        emblem=placeholder(),
    )


def placeholder() -> bytes:
    from documents.letter_models import placeholder_emblem

    return placeholder_emblem()


# -- reading PDFs --------------------------------------------------------------------------------


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(pdf: bytes) -> str:
    doc = pdfium.PdfDocument(pdf)
    try:
        return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()


def positions(text: str, needles: list[str]) -> list[int]:
    flat = squash(text)
    return [flat.find(squash(n)) for n in needles]


def embedded_fonts(pdf: bytes) -> set[str]:
    return set(re.findall(rb"/BaseFont\s*/([A-Za-z0-9+\-_,]+)", pdf.replace(b"#20", b" ")))


def styled_runs(pdf: bytes, page_no: int = 0) -> list[tuple[str, float, tuple[int, int, int]]]:
    """(text, font size in pt, fill colour) of a page's text, consecutive objects of one style joined
    (Typst writes a text object per cluster of Thai)."""
    doc = pdfium.PdfDocument(pdf)
    out: list[list] = []
    try:
        page = doc[page_no]
        textpage = page.get_textpage()
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT]):
            n = pdfium_c.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0)
            buf = (pdfium_c.c_ushort * n)()
            pdfium_c.FPDFTextObj_GetText(obj.raw, textpage.raw, buf, n)
            text = bytes(buf).decode("utf-16-le", "ignore").rstrip("\x00")
            size = pdfium_c.c_float()
            pdfium_c.FPDFTextObj_GetFontSize(obj.raw, size)
            scale = abs(obj.get_matrix().d) or 1.0
            r, g, b, a = (pdfium_c.c_uint() for _ in range(4))
            pdfium_c.FPDFPageObj_GetFillColor(obj.raw, r, g, b, a)
            style = (round(size.value * scale, 1), (r.value, g.value, b.value))
            if out and out[-1][1:] == list(style):
                out[-1][0] += text
            else:
                out.append([text, *style])
    finally:
        doc.close()
    return [tuple(x) for x in out]


# -- module fixtures: render everything once ---------------------------------------------------------


@pytest.fixture(scope="module")
def founding():
    paras = seed_paragraphs()
    letter = founding_letter()
    pdf = render_letter_pdf(letter)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "circular.pdf").write_bytes(pdf)
    return paras, letter, pdf


@pytest.fixture(scope="module")
def plan_letters(django_db_setup, django_db_blocker):
    """The covering letter, team order and adoption announcement of an approved complete plan."""
    from conftest import build_cast
    from documents.letter_models import DocumentSettings
    from phrom.lib.thai import to_thai_digits
    from plans.lifecycle import approve
    from plans.tests.factories import make_complete_plan

    with django_db_blocker.unblock(), transaction.atomic():
        cast = build_cast()
        cast.lgo.letter_prefix = "พร ๗๖๔๐๑"
        cast.lgo.address = "หมู่ที่ ๓ ตำบลป่าแดง อำเภอเมืองแพร่ จังหวัดแพร่"
        cast.lgo.postal_code = "54000"
        cast.lgo.save()
        DocumentSettings.objects.create(
            organization=cast.lgo,
            office_lines="องค์การบริหารส่วนตำบลป่าแดง\nอำเภอเมืองแพร่ จังหวัดแพร่ ๕๔๐๐๐",
            owning_unit="สำนักปลัด งานธุรการ",
            phone="054000001",
            fax="054000002",
            email="saraban@padaeng.example",
            signer_name="นายอนุมัติ ผู้บริหาร",
        )
        plan = make_complete_plan(cast.lgo, by=cast.planner)
        plan = approve(plan, by=cast.approver)
        letters = {
            "covering": covering_letter(
                plan,
                number=412,
                date=dt.date(2026, 1, 12),
                reference=Reference("หนังสือจังหวัดแพร่", "พร ๐๐๒๓.๑/ว ๓๐๒๖", dt.date(2020, 6, 23)),
            ),
            "order": team_order(plan, number=12, date=dt.date(2025, 10, 1)),
            "announcement": adoption_announcement(plan),
        }
        facts = {
            "approved_on": plan.approved_at.date(),
            "roles": [
                (r.title, r.primary.name, r.backup.name)
                for r in plan.team_roles.select_related("primary", "backup")
            ],
            "settings_signer": "นายอนุมัติ ผู้บริหาร",
            "fiscal_year": "ประจำปีงบประมาณ พ.ศ. " + to_thai_digits(plan.fiscal_year),
        }
        transaction.set_rollback(True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdfs = {}
    for name, letter in letters.items():
        pdfs[name] = render_letter_pdf(letter)
        (ARTIFACTS / f"{name}.pdf").write_bytes(pdfs[name])
    return letters, pdfs, facts


# -- the founding letter ---------------------------------------------------------------------------


def test_the_founding_letter_prints_every_paragraph_of_the_seed_verbatim_and_in_order(founding):
    paras, _letter, pdf = founding
    # A paragraph may run over a page break: leave out the page numbers ("- ๒ -") in between.
    flat = squash(re.sub(r"^\s*- [๐-๙]+ -\s*$", "", pdf_text(pdf), flags=re.M))
    cursor = 0
    for p in paras:
        at = flat.find(squash(p), cursor)
        assert at >= 0, f"not found (in order) in the PDF text: {p[:60]}…"
        cursor = at + len(squash(p))


def test_the_founding_letter_has_its_number_date_recipients_and_enclosures(founding):
    _paras, _letter, pdf = founding
    text = pdf_text(pdf)
    assert "ที่ พร ๐๐๒๓.๑/ว ๓๐๒๖" in text
    assert "๒๓ มิถุนายน ๒๕๖๓" in text
    assert "พ.ศ." not in text.split("เรื่อง")[0], "a letter's date has no พ.ศ."
    assert squash("เรียน นายอำเภอทุกอำเภอ นายองค์การบริหารส่วนจังหวัดแพร่ และนายกเทศมนตรีเมืองแพร่") in squash(text)
    for enclosure in (
        "๑. สำเนาหนังสือกรมส่งเสริมการปกครองท้องถิ่น ที่ มท ๐๘๑๒/ว ๑๒๑๗ ลงวันที่ ๒๐ เมษายน ๒๕๖๓ จำนวน ๑ ชุด",
        "๒. สำเนาหนังสือกรมส่งเสริมการปกครองท้องถิ่น ด่วนที่สุด ที่ มท ๐๘๑๒/ว ๑๔๓๔ ลงวันที่ ๑๔ พฤษภาคม ๒๕๖๓ จำนวน ๑ ชุด",
    ):
        assert squash(enclosure) in squash(text)


def test_the_urgency_is_red_bold_and_at_least_32_points(founding):
    _paras, _letter, pdf = founding
    runs = styled_runs(pdf)
    urgent = [r for r in runs if "ด่วนที่สุด" in r[0]]
    assert urgent, runs[:5]
    text, size, (r, g, b) = urgent[0]
    assert size >= 32
    assert r >= 200 and g <= 40 and b <= 40, (r, g, b)
    body = [run for run in runs if "กรมส่งเสริม" in run[0]]
    assert body and all(run[2] == (0, 0, 0) and 15.5 <= run[1] <= 16.5 for run in body)
    assert b"Laksaman-Bold" in pdf or b"Laksaman Bold" in pdf.replace(b"#20", b" ")


def test_only_laksaman_is_embedded(founding):
    _paras, _letter, pdf = founding
    fonts = embedded_fonts(pdf)
    assert fonts and all(b"Laksaman" in f for f in fonts), fonts


def test_pages_after_the_first_are_numbered_at_the_top_in_thai_digits(founding):
    _paras, _letter, pdf = founding
    doc = pdfium.PdfDocument(pdf)
    try:
        assert len(doc) == 2
        first = doc[0].get_textpage().get_text_range()
        second = doc[1].get_textpage().get_text_range()
        assert "- ๑ -" not in first
        assert second.lstrip().startswith("- ๒ -")
    finally:
        doc.close()


def test_arabic_digits_change_only_generated_numbers(founding):
    _paras, letter, _pdf = founding
    data = prepare(letter.replace(digits="arabic"))
    assert data["number"] == "พร 0023.1/ว 3026"
    assert data["date"] == "23 มิถุนายน 2563"
    assert data["enclosures"][0]["count"] == "จำนวน 1 ชุด"
    assert data["enclosures"][0]["text"].endswith("ที่ มท ๐๘๑๒/ว ๑๒๑๗ ลงวันที่ 20 เมษายน 2563")  # typed: kept
    assert data["body"][0]["text"] == letter.body[0] and "2019 (COVID-19)" in data["body"][0]["text"]


# -- plan letters ----------------------------------------------------------------------------------


def test_the_covering_letter_has_its_parts_in_the_regulations_order(plan_letters):
    _letters, pdfs, facts = plan_letters
    text = pdf_text(pdfs["covering"])
    parts = [
        "ที่ พร ๗๖๔๐๑/๔๑๒",
        "องค์การบริหารส่วนตำบลป่าแดง",
        "๑๒ มกราคม ๒๕๖๙",
        "เรื่อง ส่งแผนดำเนินธุรกิจอย่างต่อเนื่อง",
        "เรียน เลขาธิการ ก.พ.ร.",
        "อ้างถึง หนังสือจังหวัดแพร่ ที่ พร ๐๐๒๓.๑/ว ๓๐๒๖ ลงวันที่ ๒๓ มิถุนายน ๒๕๖๓",
        "สิ่งที่ส่งมาด้วย",
        facts["fiscal_year"],
        "จำนวน ๑ ชุด",
        "ตามที่คณะรัฐมนตรีได้มีมติเมื่อวันที่ ๓๑ มีนาคม ๒๕๖๓",
        "จึงเรียนมาเพื่อโปรดทราบ",
        "ขอแสดงความนับถือ",
        f"({facts['settings_signer']})",
        "นายกองค์การบริหารส่วนตำบลป่าแดง",
        "สำนักปลัด",
        "โทร. ๐ ๕๔๐๐ ๐๐๐๑",
        "โทรสาร ๐ ๕๔๐๐ ๐๐๐๒",
        "saraban@padaeng.example",
        "สำเนาส่ง ผู้ว่าราชการจังหวัดแพร่ (ผ่านท้องถิ่นจังหวัดแพร่)",
    ]
    found = positions(text, parts)
    assert all(p >= 0 for p in found), [parts[i] for i, p in enumerate(found) if p < 0]
    assert found == sorted(found), "parts out of order"
    from phrom.lib.thai import thai_date

    assert squash(thai_date(facts["approved_on"])) in squash(text)


def test_the_team_order_lists_every_role_with_its_people(plan_letters):
    _letters, pdfs, facts = plan_letters
    text = pdf_text(pdfs["order"])
    head = [
        "คำสั่งองค์การบริหารส่วนตำบลป่าแดง",
        "ที่ ๑๒/๒๕๖๘",
        "เรื่อง แต่งตั้งคณะทำงานบริหารความต่อเนื่อง",
        "จึงแต่งตั้งคณะทำงานบริหารความต่อเนื่อง ดังนี้",
    ]
    people = [x for i, (title, primary, backup) in enumerate(facts["roles"], start=1)
              for x in (f"{i}. {title}".translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")),
                        primary, backup)]  # fmt: skip
    tail = ["ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป", "สั่ง ณ วันที่ ๑ เดือน ตุลาคม พ.ศ. ๒๕๖๘", "(นายอนุมัติ ผู้บริหาร)"]
    found = positions(text, head + people + tail)
    assert all(p >= 0 for p in found), [(head + people + tail)[i] for i, p in enumerate(found) if p < 0]
    assert found == sorted(found)
    assert "ขอแสดงความนับถือ" not in text


def test_the_announcement_is_dated_with_be_on_the_approval_day(plan_letters):
    letters, pdfs, facts = plan_letters
    from phrom.lib.thai import thai_date

    text = pdf_text(pdfs["announcement"])
    parts = [
        "ประกาศองค์การบริหารส่วนตำบลป่าแดง",
        "เรื่อง การประกาศใช้แผนดำเนินธุรกิจอย่างต่อเนื่อง",
        facts["fiscal_year"],
        "ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป",
        "ประกาศ ณ วันที่ " + thai_date(facts["approved_on"], style="order"),
        "(นายอนุมัติ ผู้บริหาร)",
        "นายกองค์การบริหารส่วนตำบลป่าแดง",
    ]
    found = positions(text, parts)
    assert all(p >= 0 for p in found), [parts[i] for i, p in enumerate(found) if p < 0]
    assert found == sorted(found)
    assert letters["announcement"].date == facts["approved_on"]


def test_letters_about_the_plan_need_an_approved_plan(cast):
    from plans.tests.factories import make_complete_plan

    plan = make_complete_plan(cast.lgo, by=cast.planner)
    with pytest.raises(LetterError, match="approve the plan first"):
        covering_letter(plan, number=1, date=dt.date(2026, 1, 1))
    with pytest.raises(LetterError, match="approve the plan first"):
        adoption_announcement(plan)
    # The order does not need approval, but a letter number needs the organization's prefix.
    assert team_order(plan, number=1, date=dt.date(2026, 1, 1)).number == "๑/๒๕๖๙"
    with pytest.raises(LetterError, match="letter-code prefix"):
        circular_from_data(
            {**_minimal_settings(), "letter_prefix": ""}, number=5, date=dt.date(2026, 1, 1),
            subject="ทดสอบ", addressee="นายอำเภอทุกอำเภอ", body=["ทดสอบ"],
        )  # fmt: skip


# -- the Letter API --------------------------------------------------------------------------------


def _minimal_settings(**over) -> dict:
    base = {
        "digits": "thai", "issuer": "จังหวัดแพร่", "letter_prefix": "พร ๐๐๒๓.๑",
        "office_lines": ["ศาลากลางจังหวัดแพร่", "ถนนไชยบูรณ์ พร ๕๕๐๐๐"], "owning_unit": [], "phone": "",
        "fax": "", "email": "", "executive_title": "ผู้ว่าราชการจังหวัดแพร่", "signer_name": "นายทดสอบ ระบบ",
        "signer_positions": ["ผู้ว่าราชการจังหวัดแพร่"], "emblem": None, "emblem_source": "placeholder",
        "saved": False,
    }  # fmt: skip
    return {**base, **over}


def test_numbers_are_formatted_from_prefix_register_and_year():
    assert letter_number("พร ๐๐๒๓.๑", 3026, circular=True) == "พร ๐๐๒๓.๑/ว ๓๐๒๖"
    assert letter_number("มท 0812", "๑๒๑๗") == "มท ๐๘๑๒/๑๒๑๗"
    assert letter_number("พร ๐๐๒๓.๑", 7, digits="arabic") == "พร 0023.1/7"
    assert order_number(65, 2556) == "๖๕/๒๕๕๖"
    for bad in ("0", "-1", "๓a", ""):
        with pytest.raises(LetterError):
            letter_number("พร ๐๐๒๓.๑", bad)
    with pytest.raises(LetterError):
        order_number(1, 2020)  # a CE year


def test_a_letter_refuses_missing_parts_and_names_the_field():
    ok = {"kind": "external", "date": dt.date(2026, 1, 1), "subject": "ทดสอบ", "body": ("ข้อความ",),
          "signer_name": "นายทดสอบ ระบบ", "number": "พร ๑/๑", "office_lines": ("สำนักงาน",), "addressee": "ผู้รับ"}  # fmt: skip  # noqa: E501
    Letter(**ok)
    for field, value, message in [
        ("kind", "memo", "kind"),
        ("urgency", "ด่วนจี๋", "urgency"),
        ("addressee", " ", "addressee"),
        ("body", (), "body"),
        ("emblem", b"GIF89a", "emblem"),
        ("salutation", "ถึง", "salutation"),
    ]:
        with pytest.raises(LetterError, match=message):
            Letter(**{**ok, field: value})


def test_typed_text_is_data_not_markup():
    """Characters that mean something in Typst markup print as typed."""
    tricky = 'ข้อความ #set text(red) $x$ *ตัวหนา* _เอียง_ <label> @ref [วงเล็บ] "อัญประกาศ" \\ // /* */'
    letter = circular_from_data(
        _minimal_settings(),
        number=1,
        date=dt.date(2026, 1, 1),
        subject=tricky,
        addressee="นายอำเภอทุกอำเภอ",
        body=[tricky, Paragraph(tricky, label="1.")],
        enclosures=[Enclosure(tricky)],
    )
    text = pdf_text(render_letter_pdf(letter))
    assert squash(text).count(squash(tricky)) == 4


def test_secrecy_is_printed_red_at_the_top_and_bottom_of_every_page(founding):
    _paras, letter, _pdf = founding
    pdf = render_letter_pdf(letter.replace(secrecy="ลับ"))
    doc = pdfium.PdfDocument(pdf)
    try:
        for i in range(len(doc)):
            runs = styled_runs(pdf, i)
            red_and_large = "".join(t for t, size, (r, g, b) in runs if size >= 32 and r >= 200 and g < 40)
            assert red_and_large.count("ลับ") == 2, runs
    finally:
        doc.close()


def test_the_letters_and_the_word_plan_are_in_the_download_registry(cast):
    """A draft plan: the team order prints with the number left blank; the announcement refuses."""
    from documents import registry
    from plans.tests.factories import make_complete_plan

    plan = make_complete_plan(cast.lgo, by=cast.planner)
    keys = {k.key for k in registry.kinds()}
    assert {"bcp_docx", "covering_letter_pdf", "team_order_docx", "adoption_announcement_pdf"} <= keys
    pdf = registry.get("team_order_pdf").render(plan, code="X", options={"digits": "arabic"})
    text = pdf_text(pdf)
    assert "ที่ ......../25" in text and "คำสั่งองค์การบริหารส่วนตำบลป่าแดง" in text
    docx = registry.get("bcp_docx").render(plan, code="ABCD-EFGH-JK", options={})
    assert docx[:2] == b"PK"
    with pytest.raises(LetterError):
        registry.get("adoption_announcement_pdf").render(plan, code="X", options={})
