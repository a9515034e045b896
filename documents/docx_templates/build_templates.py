"""Build the docxtpl templates (letter.docx, order.docx, bcp.docx) with python-docx.

    .venv/bin/python documents/docx_templates/build_templates.py

The .docx files next to this script are generated: never edit them by hand, change this script
and run it again (the output is byte-for-byte reproducible). The templates hold Jinja tags that
documents.docx fills with docxtpl; all Thai typography (TH SarabunPSK named for every script,
both sizes, th-TH, no theme fonts, exact 20 pt line pitch, A4 with the official margins) is set
here once, on docDefaults, on the styles and on every run.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from docx import Document  # noqa: E402
from docx.oxml import parse_xml  # noqa: E402
from docx.shared import Cm  # noqa: E402

from documents.docx.ooxml import (  # noqa: E402
    FONT,
    NSDECL,
    RED,
    TEXT_WIDTH_CM,
    cell,
    field,
    para,
    row,
    rpr,
    run,
    spacing,
    tab,
    table,
    tag,
    tag_row,
)

FIXED_TIME = (2020, 1, 1, 0, 0, 0)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


# -- document scaffold ---------------------------------------------------------------------------


def new_document(*, title_page: bool):
    """An empty python-docx document restyled for Thai: A4, official margins, no theme fonts."""
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.left_margin, sec.right_margin = Cm(3), Cm(2)
    sec.top_margin, sec.bottom_margin = Cm(2.5), Cm(2)
    sec.header_distance, sec.footer_distance = Cm(1.2), Cm(1.0)
    sec.different_first_page_header_footer = title_page
    thai_styles(doc)
    thai_page_numbers(sec._sectPr)
    props = doc.core_properties
    props.author = "Phrom"
    props.last_modified_by = "Phrom"
    import datetime as dt

    props.created = props.modified = dt.datetime(*FIXED_TIME)  # noqa: DTZ001
    props.revision = 1
    return doc


def thai_page_numbers(sect) -> None:
    """Page numbers in the document's digits: w:pgNumType w:fmt = thaiNumbers (๑ ๒ ๓ in Word) or
    decimal. LibreOffice reads thaiNumbers as decimal (Arabic digits); a PAGE field switch
    "\\* ThaiArabic" would be worse there (it prints Thai letters ก ข ค)."""
    el = parse_xml(f'<w:pgNumType {NSDECL} w:fmt="{{{{ page_fmt }}}}"/>')
    cols = sect.find(f"{W}cols")
    if cols is not None:
        cols.addprevious(el)
    else:
        sect.append(el)


def strip_theme(element) -> None:
    """Remove every *Theme font/colour attribute: they override explicit font names."""
    for el in element.iter():
        for attr in list(el.attrib):
            local = attr.split("}")[-1]
            if local.lower().endswith("theme") or local in ("themeColor", "themeShade", "themeTint"):
                del el.attrib[attr]
        if el.tag == f"{W}rFonts":  # name the font for every script
            for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
                el.set(f"{W}{slot}", FONT)


def thai_styles(doc) -> None:
    styles = doc.styles.element
    strip_theme(styles)
    defaults = styles.find(f"{W}docDefaults")
    for child in list(defaults):
        defaults.remove(child)
    defaults.append(parse_xml(f"<w:rPrDefault {NSDECL}>{rpr()}</w:rPrDefault>"))
    defaults.append(parse_xml(f"<w:pPrDefault {NSDECL}><w:pPr>{spacing()}</w:pPr></w:pPrDefault>"))

    def restyle(style_id: str, *, size: float = 16, bold: bool = False, p: str = ""):
        el = styles.find(f"{W}style[@{W}styleId='{style_id}']")
        if el is None:
            return
        for tag_name in ("rPr", "pPr"):
            old = el.find(f"{W}{tag_name}")
            if old is not None:
                el.remove(old)
        if p:
            el.append(parse_xml(f"<w:pPr {NSDECL}>{p}</w:pPr>"))
        el.append(parse_xml(rpr(size=size, bold=bold).replace("<w:rPr>", f"<w:rPr {NSDECL}>", 1)))

    restyle("Normal")
    restyle("Header")
    restyle("Footer")
    restyle("Title", size=20, bold=True)
    restyle(
        "Heading1",
        size=18,
        bold=True,
        p=f'<w:keepNext/><w:keepLines/>{spacing(before=12, after=6, pitch=24)}<w:outlineLvl w:val="0"/>',
    )
    restyle(
        "Heading2",
        size=16,
        bold=True,
        p=f'<w:keepNext/><w:keepLines/>{spacing(before=8, after=3)}<w:outlineLvl w:val="1"/>',
    )
    # Table-of-contents entries (Word builds them from the headings when fields are updated).
    for level in (1, 2):
        sid = f"TOC{level}"
        if styles.find(f"{W}style[@{W}styleId='{sid}']") is None:
            styles.append(
                parse_xml(
                    f'<w:style {NSDECL} w:type="paragraph" w:styleId="{sid}"><w:name w:val="toc {level}"/>'
                    '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:unhideWhenUsed/>'  # noqa: E501
                    f'<w:pPr><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{round(TEXT_WIDTH_CM / 2.54 * 1440)}"/>'  # noqa: E501
                    f'</w:tabs>{spacing()}<w:ind w:left="{0 if level == 1 else 567}"/></w:pPr>{rpr()}</w:style>'  # noqa: E501
                )
            )
    settings = doc.settings.element
    strip_theme(settings)
    for el in settings.iter(f"{W}themeFontLang"):
        el.set(f"{W}val", "th-TH")
        el.set(f"{W}bidi", "th-TH")


def set_body(doc, xml: str) -> None:
    """Replace the body's content (keeping the final section properties) with `xml`."""
    body = doc.element.body
    sect = body.find(f"{W}sectPr")
    for child in list(body):
        if child is not sect:
            body.remove(child)
    fragment = parse_xml(
        f'<w:body {NSDECL} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">{xml}</w:body>'
    )
    for child in list(fragment):
        sect.addprevious(child)


def set_part(part_element, xml: str) -> None:
    for child in list(part_element):
        part_element.remove(child)
    fragment = parse_xml(f"<w:hdr {NSDECL}>{xml}</w:hdr>")
    for child in list(fragment):
        part_element.append(child)


def page_number_paragraph(*, size: float = 16) -> str:
    """'- ๒ -' centred: a PAGE field in the section's number format (see thai_page_numbers)."""
    return para(run("- ", size=size), field("PAGE", "2", size=size), run(" -", size=size), align="center")


def secrecy_paragraph() -> str:
    return (
        tag("{%p if secrecy %}")
        + para(run("{{ secrecy }}", size=32, bold=True, color=RED), align="center", pitch=36)
        + tag("{%p endif %}")
    )


def fix_styles_with_effects(data: bytes) -> bytes:
    """Word 2010's copy of the styles: the same Thai defaults, no theme fonts."""
    from lxml import etree

    root = etree.fromstring(data)
    strip_theme(root)
    defaults = root.find(f"{W}docDefaults")
    if defaults is not None:
        for child in list(defaults):
            defaults.remove(child)
        defaults.append(parse_xml(f"<w:rPrDefault {NSDECL}>{rpr()}</w:rPrDefault>"))
        defaults.append(parse_xml(f"<w:pPrDefault {NSDECL}><w:pPr>{spacing()}</w:pPr></w:pPrDefault>"))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def save(doc, name: str) -> None:
    """Save with fixed zip timestamps so the output is reproducible."""
    buf = io.BytesIO()
    doc.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in sorted(zin.infolist(), key=lambda i: (i.filename != "[Content_Types].xml", i.filename)):
            data = zin.read(item.filename)
            if item.filename == "word/stylesWithEffects.xml":
                data = fix_styles_with_effects(data)
            info = zipfile.ZipInfo(item.filename, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(info, data)
    (HERE / name).write_bytes(out.getvalue())
    print(f"wrote {HERE / name} ({len(out.getvalue()):,} bytes)")


# -- shared pieces of letters ---------------------------------------------------------------------


def urgency_block() -> str:
    return (
        tag("{%p if urgency %}")
        + para(run("{{ urgency }}", size=32, bold=True, color=RED), pitch=40, after=0)
        + tag("{%p endif %}")
        + tag("{%p if urgent_by %}")
        + para(run("{{ urgent_by }}", bold=True, color=RED))
        + tag("{%p endif %}")
    )


def emblem_block() -> str:
    return para(run("{{ emblem }}"), align="center", pitch=None, after=6)


def body_block() -> str:
    """Body paragraphs: first line indented 2.5 cm; labelled items hang at the indent (+ level)."""
    out = tag("{%p for p in body %}") + tag("{%p if p.label %}")
    for level in (0, 1, 2):
        keyword = "if" if level == 0 else "elif"
        out += tag(f"{{%p {keyword} p.level == {level} %}}")
        label_w = 0.8 if level == 0 else 1.1
        out += para(
            run("{{ p.label }}"), tab(), run("{{ p.text }}"),
            left=2.5 + 0.75 * level + label_w, hanging=label_w, before=6,
        )  # fmt: skip
    out += tag("{%p endif %}") + tag("{%p else %}")
    out += para(run("{{ p.text }}"), first=2.5, before=6)
    out += tag("{%p endif %}") + tag("{%p endfor %}")
    return out


def signature_block(*, close: bool) -> str:
    """Centred on an axis right of the middle (20 % in); kept together and with what precedes."""
    keep = {"left": TEXT_WIDTH_CM * 0.2, "align": "center", "keep_next": True, "keep_lines": True}
    out = ""
    if close:
        out += para(run("{{ complimentary_close }}"), before=18, **keep)
    out += para(**keep) + para(**keep) + para(**keep)
    out += para(run("{{ signer_name }}"), **keep)
    out += para(run("{{ signer_positions }}"), left=TEXT_WIDTH_CM * 0.2, align="center", keep_lines=True)
    return out


def bottom_left_block() -> str:
    return (
        tag("{%p if owning_unit %}")
        + para(run("{{ owning_unit }}"), before=20)
        + tag("{%p endif %}")
        + tag("{%p if copies %}")
        + para(run("สำเนาส่ง"), tab(), run("{{ copies }}"), left=1.6, hanging=1.6, before=12)
        + tag("{%p endif %}")
    )


def headers(doc, *, number_from_second: bool) -> None:
    sec = doc.sections[0]
    set_part(sec.header._element, secrecy_paragraph() + page_number_paragraph())
    set_part(sec.footer._element, secrecy_paragraph())
    if number_from_second:
        set_part(sec.first_page_header._element, secrecy_paragraph() + para())
        set_part(sec.first_page_footer._element, secrecy_paragraph())


# -- letter.docx: หนังสือภายนอก / หนังสือเวียน -------------------------------------------------------


def build_letter() -> None:
    doc = new_document(title_page=True)
    label_w = 1.5
    band = [TEXT_WIDTH_CM - 7.2, 7.2]
    enc_w = [3.5, 0.9, TEXT_WIDTH_CM - 3.5 - 0.9 - 3.3, 3.3]  # the label and count fit on one line
    body = (
        urgency_block()
        + emblem_block()
        # ที่ (left) and the office with its address (right), on one band
        + table(
            band,
            [row(cell(band[0], para(run("ที่ {{ number }}"))), cell(band[1], para(run("{{ office_lines }}"))))],
            borders=False,
        )
        # the date from the middle of the line
        + para(run("{{ date }}"), left=TEXT_WIDTH_CM / 2, before=12)
        + para(run("เรื่อง"), tab(), run("{{ subject }}"), left=label_w, hanging=label_w, before=12)
        + para(
            run("{{ salutation }}"), tab(), run("{{ addressee }}"), left=label_w, hanging=label_w, before=12
        )
        + tag("{%p for r in references %}")
        + para(
            run("{{ 'อ้างถึง' if loop.first else '' }}"),
            tab(),
            run("{{ r.label }} {{ r.text }}"),
            left=1.8,
            hanging=1.8,
            before=6,
        )  # fmt: skip
        + tag("{%p endfor %}")
        + tag("{%p if enclosures %}")
        + para(pitch=6)
        + table(
            enc_w,
            [
                tag_row("{%tr for e in enclosures %}", 4, enc_w),
                row(
                    cell(enc_w[0], para(run("{{ 'สิ่งที่ส่งมาด้วย' if loop.first else '' }}"))),
                    cell(enc_w[1], para(run("{{ e.label }}"))),
                    cell(enc_w[2], para(run("{{ e.text }}"))),
                    cell(enc_w[3], para(run("{{ e.count }}")), valign="bottom"),
                ),
                tag_row("{%tr endfor %}", 4, enc_w),
            ],
            borders=False,
            indent_cm=-0.15,
        )
        + tag("{%p endif %}")
        + body_block()
        + para(run("{{ closing }}"), first=2.5, before=6, keep_next=True, keep_lines=True)
        + signature_block(close=True)
        + bottom_left_block()
    )
    set_body(doc, body)
    headers(doc, number_from_second=True)
    save(doc, "letter.docx")


# -- order.docx: คำสั่ง / ประกาศ --------------------------------------------------------------------


def build_order() -> None:
    doc = new_document(title_page=True)
    rule = (TEXT_WIDTH_CM - 4) / 2
    body = (
        emblem_block()
        + para(run("{{ heading }}", bold=True), align="center")
        + tag("{%p if number %}")
        + para(run("ที่ {{ number }}"), align="center")
        + tag("{%p endif %}")
        + para(run("เรื่อง {{ subject }}"), align="center")
        + para(left=rule, right=rule, border_bottom=True, pitch=8)
        + body_block()
        + tag("{%p if closing %}")
        + para(run("{{ closing }}"), first=2.5, before=6)
        + tag("{%p endif %}")
        + para(run("{{ date }}"), left=4, before=24, keep_next=True, keep_lines=True)
        + signature_block(close=False)
    )
    set_body(doc, body)
    headers(doc, number_from_second=True)
    save(doc, "order.docx")


# -- bcp.docx: the whole plan ---------------------------------------------------------------------------


def build_bcp() -> None:
    from documents.docx_templates.bcp_layout import bcp_body

    doc = new_document(title_page=True)
    headers(doc, number_from_second=True)  # creates the header parts the sections refer to
    sect = doc.element.body.find(f"{W}sectPr")
    body = bcp_body(base_sect=sect)
    set_body(doc, body)
    # Only the first section (cover …) has a different first page; later sections number every page.
    for el in sect.findall(f"{W}titlePg"):
        sect.remove(el)
    # Ask Word to update fields (the table of contents) when the file is opened.
    settings = doc.settings.element
    if settings.find(f"{W}updateFields") is None:
        settings.append(parse_xml(f'<w:updateFields {NSDECL} w:val="true"/>'))
    save(doc, "bcp.docx")


def check(name: str) -> None:
    """Fail loudly if a generated template refers to a theme font or misses a complex-script size."""
    with zipfile.ZipFile(HERE / name) as z:
        for part in ("word/document.xml", "word/styles.xml", "word/stylesWithEffects.xml"):
            xml = z.read(part).decode()
            assert "Theme=" not in xml and "w:cstheme" not in xml, f"{name}:{part} refers to theme fonts"
            assert xml.count("<w:sz ") == xml.count("<w:szCs "), f"{name}:{part}: w:sz without w:szCs"
            assert FONT in xml
            assert not re.search(r"<w:rFonts(?![^>]*w:cs=)", xml), f"{name}:{part}: w:rFonts without w:cs"


if __name__ == "__main__":
    build_letter()
    build_order()
    if "--no-bcp" not in sys.argv:
        build_bcp()
    for n in ("letter.docx", "order.docx") + (() if "--no-bcp" in sys.argv else ("bcp.docx",)):
        check(n)
