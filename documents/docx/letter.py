"""A Letter as DOCX: documents/docx_templates/letter.docx (หนังสือภายนอก, หนังสือเวียน) or
order.docx (คำสั่ง, ประกาศ), filled with the same prepare() strings as the PDF."""

from __future__ import annotations

from documents.docx.render import raster_emblem, render_template
from documents.letters.model import Letter, prepare


def letter_context(letter: Letter) -> dict:
    d = prepare(letter)
    return {
        **d,
        "office_lines": "\n".join(d["office_lines"]),
        "signer_positions": "\n".join(d["signer_positions"]),
        "owning_unit": "\n".join(d["owning_unit"] + d["contacts"]),
        "copies": "\n".join(d["copies"]),
        "emblem": "",
        # Page numbers: Thai digits in Word; LibreOffice prints Arabic digits for thaiNumbers.
        "page_fmt": "thaiNumbers" if d["digits"] == "thai" else "decimal",
    }


def render_letter_docx(letter: Letter) -> bytes:
    """DOCX bytes of the letter: editable, TH SarabunPSK 16 pt, the same parts as the PDF."""
    context = letter_context(letter)
    images = {"emblem": (raster_emblem(letter.emblem), 30)} if letter.emblem is not None else None
    name = "letter.docx" if context["is_letter"] else "order.docx"
    return render_template(name, context, images=images)
