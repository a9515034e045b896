"""Thai official letters (หนังสือภายนอก, หนังสือเวียน, คำสั่ง, ประกาศ) as data, PDF and DOCX.

The API for other apps (directives, plans):

    from documents.letters import Letter, Reference, Enclosure, Paragraph, letter_number
    letter = Letter(kind="circular", date=date(2020, 6, 23), number=letter_number("พร ๐๐๒๓.๑", 3026,
                    circular=True), office_lines=("ศาลากลางจังหวัดแพร่", "ถนนไชยบูรณ์ พร ๕๕๐๐๐"),
                    subject="…", addressee="นายอำเภอทุกอำเภอ", body=("…", "…"),
                    closing="จึงเรียนมาเพื่อโปรดทราบ", signer_name="นายต่อพงษ์ ทับทิมโต",
                    signer_positions=("ท้องถิ่นจังหวัดแพร่ ปฏิบัติราชการแทน", "ผู้ว่าราชการจังหวัดแพร่"))
    pdf = render_letter_pdf(letter)      # bytes
    docx = render_letter_docx(letter)    # bytes

`Letter` is pure data (no database) and validates itself (LetterError names the field). The
builders in documents.letters.builders fill one from Phrom's data and the organization's document
settings (documents.letter_models.document_settings_for).
"""

from documents.letters.model import (
    ANNOUNCEMENT,
    CIRCULAR,
    EXTERNAL,
    KINDS,
    ORDER,
    Enclosure,
    Letter,
    LetterError,
    Paragraph,
    Reference,
    letter_number,
    order_number,
    prepare,
)
from documents.letters.pdf import render_letter_pdf


def render_letter_docx(letter: Letter) -> bytes:
    """DOCX bytes of the letter (see documents.docx.letter)."""
    from documents.docx.letter import render_letter_docx as render

    return render(letter)


__all__ = [
    "ANNOUNCEMENT",
    "CIRCULAR",
    "EXTERNAL",
    "KINDS",
    "ORDER",
    "Enclosure",
    "Letter",
    "LetterError",
    "Paragraph",
    "Reference",
    "letter_number",
    "order_number",
    "prepare",
    "render_letter_docx",
    "render_letter_pdf",
]

# The download registry (documents.registry) imports this package to learn the letter kinds.
from documents.letters import kinds  # noqa: E402, F401
