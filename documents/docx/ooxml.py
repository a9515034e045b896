"""WordprocessingML snippets with Thai done right, for building the DOCX templates.

Word and LibreOffice take Thai (a complex script) from w:rFonts/@w:cs, w:szCs, w:bCs and
w:lang/@w:bidi, and theme-font attributes override explicit names. Every run and paragraph written
here names the font in all four slots, gives both sizes, marks the language th-TH, and never
refers to the theme. Tables carry their widths twice (w:tblGrid for LibreOffice, w:tcW for Word)
and rows that must not split across pages carry w:cantSplit.

Units: sizes in points, lengths in centimetres; converted to half-points and twentieths of a
point (dxa) here. Text is XML-escaped except quotes, so Jinja tags (docxtpl) survive intact.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

FONT = "TH SarabunPSK"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSDECL = f'xmlns:w="{W_NS}"'
RED = "DC0000"
LINE_PITCH_PT = 20  # exact line pitch of 16 pt text (single spacing of TH SarabunPSK)

A4_W, A4_H = 11906, 16838  # dxa
MARGINS = {"left": 3.0, "right": 2.0, "top": 2.5, "bottom": 2.0}  # cm
TEXT_WIDTH_CM = 21.0 - MARGINS["left"] - MARGINS["right"]  # 16 cm
TEXT_WIDTH_LANDSCAPE_CM = 29.7 - MARGINS["left"] - MARGINS["right"]


def dxa(cm: float) -> int:
    return round(cm / 2.54 * 1440)


def rfonts() -> str:
    return f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'


def lang() -> str:
    # Latin text in English (so LibreOffice does not break "Plan" with Thai rules), Thai as th-TH.
    return '<w:lang w:val="en-US" w:eastAsia="en-US" w:bidi="th-TH"/>'


def rpr(*, bold: bool = False, size: float = 16, color: str | None = None) -> str:
    """Run properties in schema order: fonts, bold (both scripts), colour, sizes, language."""
    half = round(size * 2)
    parts = [rfonts()]
    if bold:
        parts += ["<w:b/>", "<w:bCs/>"]
    if color:
        parts.append(f'<w:color w:val="{color}"/>')
    parts += [f'<w:sz w:val="{half}"/>', f'<w:szCs w:val="{half}"/>', lang()]
    return "<w:rPr>" + "".join(parts) + "</w:rPr>"


def run(text: str, **props) -> str:
    return f'<w:r>{rpr(**props)}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def spacing(*, before: float = 0, after: float = 0, pitch: float | None = LINE_PITCH_PT) -> str:
    """Exact line pitch in points; pitch=None: single spacing that grows with its content (images)."""
    line = f' w:line="{round(pitch * 20)}" w:lineRule="exact"' if pitch else ' w:line="240" w:lineRule="auto"'
    return f'<w:spacing w:before="{round(before * 20)}" w:after="{round(after * 20)}"{line}/>'


def ppr(
    *,
    style: str = "",
    align: str = "",
    left: float = 0,
    right: float = 0,
    first: float = 0,
    hanging: float = 0,
    before: float = 0,
    after: float = 0,
    pitch: float | None = LINE_PITCH_PT,
    keep_next: bool = False,
    keep_lines: bool = False,
    page_break_before: bool = False,
    border_bottom: bool = False,
    tabs: tuple[float, ...] = (),
    outline: int | None = None,
    sect: str = "",
    size: float = 16,
    bold: bool = False,
) -> str:
    """Paragraph properties in schema order."""
    parts = []
    if style:
        parts.append(f'<w:pStyle w:val="{style}"/>')
    if keep_next:
        parts.append("<w:keepNext/>")
    if keep_lines:
        parts.append("<w:keepLines/>")
    if page_break_before:
        parts.append("<w:pageBreakBefore/>")
    if border_bottom:
        parts.append('<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>')
    if tabs:
        parts.append(
            "<w:tabs>" + "".join(f'<w:tab w:val="left" w:pos="{dxa(t)}"/>' for t in tabs) + "</w:tabs>"
        )
    parts.append(spacing(before=before, after=after, pitch=pitch))
    ind = []
    if left:
        ind.append(f'w:left="{dxa(left)}"')
    if right:
        ind.append(f'w:right="{dxa(right)}"')
    if first:
        ind.append(f'w:firstLine="{dxa(first)}"')
    if hanging:
        ind.append(f'w:hanging="{dxa(hanging)}"')
    if ind:
        parts.append(f"<w:ind {' '.join(ind)}/>")
    if align:
        parts.append(f'<w:jc w:val="{align}"/>')
    if outline is not None:
        parts.append(f'<w:outlineLvl w:val="{outline}"/>')
    parts.append(rpr(size=size, bold=bold))
    inner = "".join(parts)
    if sect:
        # sectPr belongs after rPr in pPr
        inner += sect
    return f"<w:pPr>{inner}</w:pPr>"


def para(*runs: str, **props) -> str:
    size = props.get("size", 16)
    bold = props.get("bold", False)
    body = "".join(r if r.startswith("<") else run(r, size=size, bold=bold) for r in runs)
    return f"<w:p>{ppr(**props)}{body}</w:p>"


def tag(text: str) -> str:
    """A paragraph holding only a docxtpl block tag ({%p …%}, {%tr …%}); docxtpl removes it."""
    return f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def tab() -> str:
    return "<w:r><w:tab/></w:r>"


def field(instruction: str, result: str = "1", **props) -> str:
    """A complex field (PAGE, TOC, …) with its current result."""
    r = rpr(**props)
    return (
        f'<w:r>{r}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{r}<w:instrText xml:space="preserve"> {escape(instruction)} </w:instrText></w:r>'
        f'<w:r>{r}<w:fldChar w:fldCharType="separate"/></w:r>'
        f"{result if result.startswith('<') else run(result, **props)}"
        f'<w:r>{r}<w:fldChar w:fldCharType="end"/></w:r>'
    )


# -- tables ---------------------------------------------------------------------------------------


def table(
    widths_cm: list[float],
    rows: list[str],
    *,
    borders: bool = True,
    indent_cm: float = 0,
) -> str:
    """A fixed-layout table: widths in w:tblGrid and (per cell, see `cell`) in w:tcW."""
    total = sum(dxa(w) for w in widths_cm)
    edge = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    none = '<w:{0} w:val="nil"/>'
    sides = ("top", "left", "bottom", "right", "insideH", "insideV")
    tbl_borders = "".join((edge if borders else none).format(s) for s in sides)
    ind = f'<w:tblInd w:w="{dxa(indent_cm)}" w:type="dxa"/>' if indent_cm else ""
    props = (
        f'<w:tblPr><w:tblW w:w="{total}" w:type="dxa"/>{ind}<w:tblBorders>{tbl_borders}</w:tblBorders>'
        '<w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
        'w:noHBand="1" w:noVBand="1"/></w:tblPr>'
    )
    grid = "<w:tblGrid>" + "".join(f'<w:gridCol w:w="{dxa(w)}"/>' for w in widths_cm) + "</w:tblGrid>"
    return f"<w:tbl>{props}{grid}{''.join(rows)}</w:tbl>"


def row(*cells: str, header: bool = False) -> str:
    """A row that never splits across pages; header rows repeat on every page."""
    trpr = "<w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if header else "") + "</w:trPr>"
    return f"<w:tr>{trpr}{''.join(cells)}</w:tr>"


def cell(
    width_cm: float, *paragraphs: str, span: int = 1, shade: str = "", valign: str = "top", vmerge: str = ""
) -> str:
    """A cell with its width (w:tcW); span columns with `span`, merge down with vmerge
    ("restart" on the first row, "continue" below)."""
    props = f'<w:tcW w:w="{dxa(width_cm)}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if vmerge:
        props += '<w:vMerge w:val="restart"/>' if vmerge == "restart" else "<w:vMerge/>"
    if shade:
        props += f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>'
    props += f'<w:vAlign w:val="{valign}"/>'
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{''.join(paragraphs) or para()}</w:tc>"


def tag_row(text: str, columns: int, widths_cm: list[float]) -> str:
    """A table row holding a docxtpl row tag ({%tr for … %}) in its first cell."""
    cells = [cell(widths_cm[0], tag(text))] + [cell(w) for w in widths_cm[1:columns]]
    return f"<w:tr>{''.join(cells)}</w:tr>"


def section(
    *,
    landscape: bool = False,
    title_page: bool = False,
    header_ids: dict[str, str] | None = None,
    footer_ids: dict[str, str] | None = None,
) -> str:
    """A w:sectPr: A4, margins left 3 cm, right 2 cm, top 2.5 cm, bottom 2 cm."""
    refs = "".join(
        f'<w:headerReference w:type="{kind}" r:id="{rid}"/>' for kind, rid in (header_ids or {}).items()
    ) + "".join(
        f'<w:footerReference w:type="{kind}" r:id="{rid}"/>' for kind, rid in (footer_ids or {}).items()
    )
    w, h = (A4_H, A4_W) if landscape else (A4_W, A4_H)
    orient = ' w:orient="landscape"' if landscape else ""
    m = {k: dxa(v) for k, v in MARGINS.items()}
    return (
        f"<w:sectPr>{refs}"
        f'<w:pgSz w:w="{w}" w:h="{h}"{orient}/>'
        f'<w:pgMar w:top="{m["top"]}" w:right="{m["right"]}" w:bottom="{m["bottom"]}" w:left="{m["left"]}" '
        f'w:header="{dxa(1.2)}" w:footer="{dxa(1.0)}" w:gutter="0"/>'
        + ("<w:titlePg/>" if title_page else "")
        + "</w:sectPr>"
    )
