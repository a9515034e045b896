"""A Thai official letter as plain data, and its layout-ready form.

`Letter` holds what an officer decides (who writes to whom, about what, in which words);
`prepare(letter)` turns it into the strings that are printed, in the order the ระเบียบงานสารบรรณ
prescribes. Both renderers (PDF through Typst, DOCX through docxtpl) print `prepare()`'s result
and nothing else, so the two formats cannot disagree.

Digits: the number of the letter, dates, enclosure counts, list labels, phone/fax numbers and page
numbers are *generated* and follow `Letter.digits` ("thai" -> ๐๑๒…, "arabic" -> 012…). Text the
officer typed (subject, body, names, another agency's letter number) is printed exactly as typed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from phrom.lib.thai import format_phone, thai_date, to_arabic_digits, to_thai_digits

EXTERNAL = "external"  # หนังสือภายนอก
CIRCULAR = "circular"  # หนังสือเวียน: a หนังสือภายนอก numbered with ว
ORDER = "order"  # คำสั่ง
ANNOUNCEMENT = "announcement"  # ประกาศ
KINDS = (EXTERNAL, CIRCULAR, ORDER, ANNOUNCEMENT)

URGENCIES = ("", "ด่วน", "ด่วนมาก", "ด่วนที่สุด")
SECRECY_LEVELS = ("", "ลับ", "ลับมาก", "ลับที่สุด")
SALUTATIONS = ("เรียน", "กราบเรียน")
DIGITS = ("thai", "arabic")

CLOSE = "ขอแสดงความนับถือ"
CLOSE_HIGHEST = "ขอแสดงความนับถืออย่างยิ่ง"  # with กราบเรียน
ORDER_EFFECT = "ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป"


class LetterError(ValueError):
    """The letter's data cannot be printed (the message says which field and why)."""


@dataclass(frozen=True)
class Reference:
    """อ้างถึง: an earlier letter, e.g. Reference("หนังสือกรมส่งเสริมการปกครองท้องถิ่น",
    "มท ๐๘๑๒/ว ๑๒๑๗", date(2020, 4, 20)) -> "หนังสือกรม… ที่ มท ๐๘๑๒/ว ๑๒๑๗ ลงวันที่ ๒๐ เมษายน ๒๕๖๓"."""

    description: str
    number: str = ""  # as printed on that letter; kept as typed
    date: dt.date | None = None


@dataclass(frozen=True)
class Enclosure:
    """สิ่งที่ส่งมาด้วย: one numbered item with its count ("จำนวน ๑ ชุด")."""

    description: str
    number: str = ""  # the enclosed letter's number, kept as typed
    date: dt.date | None = None
    count: int = 1
    unit: str = "ชุด"  # ชุด, ฉบับ, เล่ม, แผ่น …


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph. Plain strings in Letter.body are paragraphs with a first-line indent.

    `label` (e.g. "1." or "1.1") makes a hanging-indent list item at `level` (0, 1, 2); it is
    generated, so its digits follow the letter's setting.
    """

    text: str
    label: str = ""
    level: int = 0


@dataclass(frozen=True)
class Letter:
    """Everything printed on one letter, คำสั่ง or ประกาศ. Pure data: no database, no I/O.

    Required for every kind: kind, date, subject, body, signer_name. Letters (external, circular)
    also need number, office_lines, addressee. Orders need issuer and number ("12/2569", see
    `order_number`); announcements need issuer.
    """

    kind: str
    date: dt.date
    subject: str
    body: tuple[str | Paragraph, ...]
    signer_name: str
    number: str = ""  # formatted: "พร ๐๐๒๓.๑/ว ๓๐๒๖" (letter_number) or "๑๒/๒๕๖๙" (order_number)
    urgency: str = ""  # "", ด่วน, ด่วนมาก, ด่วนที่สุด
    urgent_by: dt.datetime | None = None  # ด่วนภายใน <date time>
    secrecy: str = ""  # "", ลับ, ลับมาก, ลับที่สุด
    issuer: str = ""  # the organization: "คำสั่ง<issuer>", "ประกาศ<issuer>"
    office_lines: tuple[str, ...] = ()  # the issuing office and its address, top right
    salutation: str = "เรียน"
    addressee: str = ""
    references: tuple[Reference, ...] = ()
    enclosures: tuple[Enclosure, ...] = ()
    closing: str = ""  # จึงเรียนมาเพื่อโปรดทราบ…; for an order, default ORDER_EFFECT
    complimentary_close: str = ""  # default from the salutation
    signer_positions: tuple[str, ...] = ()  # incl. "ปฏิบัติราชการแทน …" lines
    owning_unit: tuple[str, ...] = ()  # ส่วนราชการเจ้าของเรื่อง, bottom left
    phone: str = ""
    fax: str = ""
    email: str = ""
    copies: tuple[str, ...] = ()  # สำเนาส่ง
    digits: str = "thai"
    emblem: bytes | None = None  # PNG, JPEG or SVG; None prints no emblem

    def __post_init__(self):
        def problem(name, message):
            raise LetterError(f"{name}: {message}")

        if self.kind not in KINDS:
            problem("kind", f"must be one of {', '.join(KINDS)}")
        if self.urgency not in URGENCIES:
            problem("urgency", "must be ด่วน, ด่วนมาก, ด่วนที่สุด or empty")
        if self.secrecy not in SECRECY_LEVELS:
            problem("secrecy", "must be ลับ, ลับมาก, ลับที่สุด or empty")
        if self.salutation not in SALUTATIONS:
            problem("salutation", "must be เรียน or กราบเรียน")
        if self.digits not in DIGITS:
            problem("digits", "must be thai or arabic")
        if not isinstance(self.date, dt.date):
            problem("date", "must be a date")
        for name in ("subject", "signer_name"):
            if not getattr(self, name).strip():
                problem(name, "is empty")
        if not self.body:
            problem("body", "has no paragraph")
        if self.kind in (EXTERNAL, CIRCULAR):
            for name in ("number", "addressee"):
                if not getattr(self, name).strip():
                    problem(name, "is empty")
            if not self.office_lines:
                problem("office_lines", "is empty")
        else:
            if not self.issuer.strip():
                problem("issuer", "is empty")
            if self.kind == ORDER and not self.number.strip():
                problem("number", "is empty")
        if self.emblem is not None and emblem_suffix(self.emblem) is None:
            problem("emblem", "is not a PNG, JPEG or SVG image")
        # Tuples, so a frozen Letter is hashable and cannot change under a renderer.
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, list):
                object.__setattr__(self, f.name, tuple(value))

    def replace(self, **changes) -> Letter:
        return dataclasses.replace(self, **changes)


# -- numbering -----------------------------------------------------------------------------------


def digits_of(value: object, digits: str) -> str:
    """A generated number in the chosen digits; Thai digits already in `value` follow too."""
    text = str(value)
    return to_thai_digits(text) if digits == "thai" else to_arabic_digits(text)


def letter_number(
    prefix: str, register_number: int | str, *, circular: bool = False, digits: str = "thai"
) -> str:
    """The number of an outgoing letter: "พร ๐๐๒๓.๑" + 3026, circular -> "พร ๐๐๒๓.๑/ว ๓๐๒๖".

    The prefix is the organization's code (Organization.letter_prefix); it is configuration and
    never derived. Its digits and the register number's follow `digits`.
    """
    prefix = " ".join((prefix or "").split())
    if not prefix:
        raise LetterError(
            "letter prefix: the organization has no letter-code prefix (set it in the settings)"
        )
    register = to_arabic_digits(str(register_number)).strip()
    if not register.isascii() or not register.isdigit() or int(register) < 1:
        raise LetterError(f"register number: {register_number!r} is not a positive whole number")
    text = f"{prefix}/ว {int(register)}" if circular else f"{prefix}/{int(register)}"
    return digits_of(text, digits)


def order_number(number: int | str, year_be: int, *, digits: str = "thai") -> str:
    """The number of an order: 65, 2556 -> "๖๕/๒๕๕๖" (the series restarts every year)."""
    n = to_arabic_digits(str(number)).strip()
    if not n.isascii() or not n.isdigit() or int(n) < 1:
        raise LetterError(f"order number: {number!r} is not a positive whole number")
    if not 2400 < int(year_be) < 2700:
        raise LetterError(f"order number: {year_be!r} is not a Buddhist-era year")
    return digits_of(f"{int(n)}/{int(year_be)}", digits)


def emblem_suffix(data: bytes) -> str | None:
    """ ".png", ".jpg" or ".svg" from the first bytes; None for anything else."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return ".png"
    if data[:3] == b"\xff\xd8\xff":
        return ".jpg"
    head = data[:1024].lstrip()
    if head.startswith(b"<?xml") or head.startswith(b"<svg") or b"<svg" in head:
        return ".svg"
    return None


# -- the printed form ------------------------------------------------------------------------------


def prepare(letter: Letter) -> dict:
    """The strings to print, in print order (JSON-serialisable; the emblem is left out)."""
    d = letter.digits

    def num(value):
        return digits_of(value, d)

    def date_text(value: dt.date | None) -> str:
        return thai_date(value, digits=d, style="letter") if value else ""

    def phone_text(value: str) -> str:
        value = (value or "").strip()
        if not value:
            return ""
        return num(format_phone(value) if _plain_phone(value) else value)

    def described(description: str, number: str, date: dt.date | None) -> list[dict]:
        """Segments of "<description> ที่ <number> ลงวันที่ <date>"; a date never breaks."""
        parts = [{"text": description.strip(), "keep": False}]
        if number.strip():
            parts.append({"text": f"ที่ {number.strip()}", "keep": False})
        if date:
            parts.append({"text": f"ลงวันที่ {date_text(date)}", "keep": True})
        return parts

    def joined(parts: list[dict]) -> str:
        return " ".join(p["text"] for p in parts if p["text"])

    many_refs = len(letter.references) > 1
    references = [
        {
            "label": num(f"{i}.") if many_refs else "",
            "parts": (parts := described(r.description, r.number, r.date)),
            "text": joined(parts),
        }
        for i, r in enumerate(letter.references, start=1)
    ]
    enclosures = [
        {
            "label": num(f"{i}."),
            "parts": (parts := described(e.description, e.number, e.date)),
            "text": joined(parts),
            "count": f"จำนวน {num(e.count)} {e.unit}".strip(),
        }
        for i, e in enumerate(letter.enclosures, start=1)
    ]
    body = []
    for p in letter.body:
        if isinstance(p, Paragraph):
            body.append(
                {"text": p.text, "label": num(p.label) if p.label else "", "level": max(0, min(p.level, 3))}
            )
        else:
            body.append({"text": str(p), "label": "", "level": 0})

    closing = letter.closing
    if letter.kind == ORDER and not closing:
        closing = ORDER_EFFECT
    complimentary = letter.complimentary_close or (
        CLOSE_HIGHEST if letter.salutation == "กราบเรียน" else CLOSE
    )

    contacts = []
    phones = []
    if letter.phone.strip():
        phones.append(f"โทร. {phone_text(letter.phone)}")
    if letter.fax.strip():
        phones.append(f"โทรสาร {phone_text(letter.fax)}")
    if phones:
        contacts.append(" ".join(phones))  # one line, as typed letters have it
    if letter.email.strip():
        contacts.append(f"ไปรษณีย์อิเล็กทรอนิกส์ {letter.email.strip()}")

    urgent_by = ""
    if letter.urgent_by:
        at = letter.urgent_by
        urgent_by = f"ด่วนภายใน {date_text(at.date())} เวลา {num(at.strftime('%H.%M'))} น."

    is_letter = letter.kind in (EXTERNAL, CIRCULAR)
    heading = ""
    date_line = date_text(letter.date)
    if letter.kind == ORDER:
        heading = f"คำสั่ง{letter.issuer.strip()}"
        date_line = f"สั่ง ณ วันที่ {thai_date(letter.date, digits=d, style='order')}"
    elif letter.kind == ANNOUNCEMENT:
        heading = f"ประกาศ{letter.issuer.strip()}"
        date_line = f"ประกาศ ณ วันที่ {thai_date(letter.date, digits=d, style='order')}"

    return {
        "kind": letter.kind,
        "is_letter": is_letter,
        "digits": d,
        "urgency": letter.urgency,
        "urgent_by": urgent_by,
        "secrecy": letter.secrecy,
        "heading": heading,
        "number": num(letter.number.strip()),  # generated: follows the digits setting both ways
        "office_lines": [line for line in letter.office_lines if line.strip()],
        "date": date_line,
        "subject": letter.subject.strip(),
        "salutation": letter.salutation,
        "addressee": letter.addressee.strip(),
        "references": references,
        "enclosures": enclosures,
        "body": body,
        "closing": closing.strip(),
        "complimentary_close": complimentary if is_letter else "",
        "signer_name": f"({letter.signer_name.strip()})",
        "signer_positions": [line for line in letter.signer_positions if line.strip()],
        "owning_unit": [line for line in letter.owning_unit if line.strip()],
        "contacts": contacts,
        "copies": [line for line in letter.copies if line.strip()],
        "has_emblem": letter.emblem is not None,
    }


def _plain_phone(value: str) -> bool:
    """A bare number we can lay out the official way ('054511411' -> '0 5451 1411')."""
    bare = to_arabic_digits(value).replace(" ", "").replace("-", "")
    return bare.isascii() and bare.isdigit() and len(bare) in (9, 10)


def page_number(n: int, digits: str) -> str:
    """'- ๒ -': how pages after the first are numbered."""
    return f"- {digits_of(n, digits)} -"
