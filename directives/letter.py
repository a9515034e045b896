"""The printable หนังสือเวียน of a directive, through the documents app's letter renderers.

An original prints as written. A relay prints as the relaying office's own letter: its number, date
and addressees, the covering note (or a standard sentence) as the body, and the letter it relays as
its enclosure, the way a district forwards a provincial circular on paper.
"""

from __future__ import annotations

import datetime as dt
import re

from directives.models import URGENCY_THAI, Directive, Recipient
from phrom.lib.thai import thai_date


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _paragraphs(text: str) -> list[str]:
    parts = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text or "")]
    return [p for p in parts if p]


def _contact(text: str) -> tuple[str, str]:
    """(phone, e-mail) from the contact lines ('โทร. …' and an address with @)."""
    phone, email = "", ""
    for line in _lines(text):
        if "@" in line and not email:
            email = line.split()[-1]
        elif not phone:
            phone = re.sub(r"^(โทร\.?|โทรศัพท์|tel\.?)\s*", "", line, flags=re.IGNORECASE)
    return phone, email


def build_letter(directive: Directive):
    """A documents.letters.Letter for the directive (pure data; render with render_letter_pdf/docx)."""
    from documents.letter_models import document_settings_for
    from documents.letters import Enclosure, Reference
    from documents.letters.builders import circular_from_data

    settings = document_settings_for(directive.issuer)
    date = directive.date or _today()
    number = directive.number or f"{settings['letter_prefix']}/ว"
    references = [
        Reference(r.get("description", ""), r.get("number", ""), _iso(r.get("date")))
        for r in directive.references or []
        if r.get("description")
    ]
    if directive.parent_id:
        parent = directive.parent
        enclosures = [
            Enclosure(
                f"สำเนาหนังสือ{parent.issuer.name_th}"
                + (f" {URGENCY_THAI[parent.urgency]}" if parent.urgency else ""),
                parent.number,
                parent.date,
            )
        ]
        body = _paragraphs(directive.cover_note) or [
            f"ด้วย{parent.issuer.name_th} ได้แจ้งเรื่อง {directive.subject} "
            f"ให้องค์กรปกครองส่วนท้องถิ่นดำเนินการ"
            + (f" ภายในวันที่ {thai_date(_local(directive.deadline))}" if directive.deadline else "")
            + " รายละเอียดปรากฏตามสิ่งที่ส่งมาพร้อมนี้"
        ]
        references = []
    else:
        enclosures = [
            Enclosure(e.title, e.detail, None, *_quantity(e.quantity)) for e in directive.enclosures.all()
        ]
        body = _paragraphs(directive.body)
    phone, email = _contact(directive.contact)
    letter = circular_from_data(
        settings,
        number=number,
        date=date,
        subject=directive.subject,
        addressee=directive.salutation or _addressees(directive),
        body=body or [directive.subject],
        closing=directive.closing,
        urgency=URGENCY_THAI.get(directive.urgency, ""),
        references=references,
        enclosures=enclosures,
        signer_name=directive.signer_name or None,
        signer_positions=_lines(directive.signer_position) or None,
        circular=directive.is_circular,
    )
    changes = {}
    if directive.owning_unit:
        changes["owning_unit"] = tuple(_lines(directive.owning_unit))
    if phone:
        changes["phone"] = phone
    if email:
        changes["email"] = email
    return letter.replace(**changes) if changes else letter


def _today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


def _iso(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _local(value: dt.datetime) -> dt.date:
    from django.utils import timezone

    return timezone.localtime(value).date()


def _quantity(text: str) -> tuple[int, str]:
    """'๑ ชุด' -> (1, 'ชุด'); anything else -> (1, text)."""
    from phrom.lib.thai import to_arabic_digits

    m = re.match(r"^\s*(\d+)\s*(.*)$", to_arabic_digits(text or ""))
    if m:
        return int(m.group(1)), m.group(2).strip() or "ชุด"
    return 1, (text or "ชุด").strip() or "ชุด"


def _addressees(directive: Directive) -> str:
    names = list(
        directive.recipients.filter(role=Recipient.Role.TO).values_list("org__name_th", flat=True)[:5]
    )
    return " ".join(names) or "ผู้รับตามบัญชีแนบท้าย"


def render(directive: Directive, fmt: str) -> tuple[bytes, str]:
    """(bytes, content type) of the letter as PDF or DOCX."""
    from documents.letters import render_letter_docx, render_letter_pdf

    letter = build_letter(directive)
    if fmt == "docx":
        return (
            render_letter_docx(letter),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    return render_letter_pdf(letter), "application/pdf"
