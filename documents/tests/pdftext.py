"""Reading generated PDFs back the way a reader's viewer does (PDFium, Chrome's engine)."""

from __future__ import annotations

import re

import pypdfium2 as pdfium

# Thai marks that can never begin a line: they belong to the consonant before them.
FOLLOWING_MARKS = set("ะัาำิีึืฺุู็่้๊๋์ๅํ๎")
_WS = re.compile(r"\s+")


def squash(text: str) -> str:
    """Whitespace removed (PDF line breaks fall anywhere in Thai, which has no spaces).

    PDFium reports a hyphen that ends a line (e-|LAAS) as U+FFFE; it is the typed hyphen."""
    return _WS.sub("", (text or "").replace("\ufffe", "-"))


_HEADER = re.compile(r"^\s*-\s*[0-9๐-๙]+\s*-\s*(\r?\n)")
_FOOTER = re.compile(r"(\r?\n)?\s*รหัสตรวจสอบเอกสาร [A-Z0-9-]+\s*$")


def body_text(pages: list[str]) -> str:
    """The document's running text: pages joined without their page numbers and footers, so a
    paragraph that continues on the next page reads on."""
    return "".join(_FOOTER.sub("", _HEADER.sub("", p)) for p in pages)


def page_texts(pdf_bytes: bytes) -> list[str]:
    doc = pdfium.PdfDocument(pdf_bytes)
    try:
        out = []
        for i in range(len(doc)):
            page = doc[i]
            textpage = page.get_textpage()
            out.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return out
    finally:
        doc.close()


def outline(pdf_bytes: bytes) -> list[tuple[int, str, int]]:
    """(level, title, page index) of the PDF's bookmarks (Typst writes one per heading)."""
    doc = pdfium.PdfDocument(pdf_bytes)
    try:
        return [(b.level, b.get_title(), b.get_dest().get_index()) for b in doc.get_toc()]
    finally:
        doc.close()


def source_strings(data: dict) -> list[str]:
    """Every piece of text the planner wrote that the document prints: paragraphs, list items and
    table cells, straight from the plan export in the input dict."""
    e = data["export"]
    out: list[str] = []

    def add(*values):
        for v in values:
            if isinstance(v, str) and v.strip():
                out.extend(p.strip() for p in re.split(r"\n\s*\n|\n", v) if p.strip())

    add(*e["objectives"], *e["assumptions"], *e["texts"].values(), e["plan"]["alternate_site"])
    for s in e["scenarios"]:
        if s["in_scope"]:
            add(s["name"], s["description"], *(c["note"] for c in s["impacts"].values()))
    for c in e["contacts"]:
        add(c["name"], c["position"], c["unit"], c["email"], c["line_id"], c["notes"])
    for r in e["team"]:
        add(r["title"], r["duties"])
    for p in e["processes"]:
        add(
            p["name"],
            p["unit"],
            p["mbco"],
            p["it_systems"],
            p["partners"],
            p["channel_detail"],
            p["peak_periods"],
            p["notes"],
        )
    for r in e["resources"]:
        add(r["name"], r["measure"], r["notes"])
    for s in e["strategies"]:
        add(s["text"])
    for s in e["procedures"]:
        add(s["text"])
    for r in e["risks"]:
        add(r["name"], r["response"])
    for a in e["annexes"]:
        add(a["title"], a["text"])
    for items in e["optional"].values():
        add(*items)
    for r in e["revision_history"]:
        add(r["reviewer"], r["changes"])
    return out
