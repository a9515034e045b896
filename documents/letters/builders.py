"""Letters built from Phrom's data: the BCP covering letter, the team order, the adoption
announcement, and a circular for directives.

These read the database (the plan, its team, the organization's document settings) and return a
`Letter`; the renderers never touch the database. Every builder takes keyword overrides for what
an officer may want to change before printing (number, date, signer, copies, …).

Generated numbers inside the standard wording (fiscal year, the cabinet resolution's date) follow
the organization's digits setting, like the letter's own number and date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.utils import timezone

from documents.letters.model import (
    ANNOUNCEMENT,
    CIRCULAR,
    EXTERNAL,
    ORDER,
    Enclosure,
    Letter,
    LetterError,
    Paragraph,
    Reference,
    digits_of,
    letter_number,
    order_number,
)
from phrom.lib.thai import be_year, thai_date

DOTTED_NAME = "...................................................."
BCP_NAME = "แผนดำเนินธุรกิจอย่างต่อเนื่อง (Business Continuity Plan – BCP)"
CABINET_RESOLUTION = dt.date(2020, 3, 31)  # มติคณะรัฐมนตรี ๓๑ มีนาคม ๒๕๖๓ (BCP for prolonged crises)
OPDC_SECRETARY = "เลขาธิการ ก.พ.ร."


def letter_from_settings(kind: str, doc_settings: dict, **fields) -> Letter:
    """A Letter with the organization's office, signer, owning unit, contacts, digits and emblem
    (from documents.letter_models.document_settings_for) filled in; `fields` override any of them."""
    base = {
        "digits": doc_settings["digits"],
        "emblem": doc_settings.get("emblem"),
        "issuer": doc_settings["issuer"],
        "office_lines": tuple(doc_settings["office_lines"]),
        "owning_unit": tuple(doc_settings["owning_unit"]),
        "phone": doc_settings["phone"],
        "fax": doc_settings["fax"],
        "email": doc_settings["email"],
        "signer_name": doc_settings["signer_name"] or DOTTED_NAME,
        "signer_positions": tuple(doc_settings["signer_positions"]),
    }
    base.update({k: v for k, v in fields.items() if v is not None})
    return Letter(kind=kind, **base)


BLANK_NUMBER = "........"


def number_for(doc_settings: dict, number: int | str | None, *, circular: bool = False) -> str:
    """A register number (3026, "3026") becomes "<prefix>/3026"; a formatted number is kept;
    None leaves the register number to be written in by hand ("<prefix>/........")."""
    if number is None:
        prefix = doc_settings["letter_prefix"] or BLANK_NUMBER
        return f"{prefix}/ว {BLANK_NUMBER}" if circular else f"{prefix}/{BLANK_NUMBER}"
    text = str(number).strip()
    from phrom.lib.thai import to_arabic_digits

    if to_arabic_digits(text).isdigit():
        return letter_number(
            doc_settings["letter_prefix"], text, circular=circular, digits=doc_settings["digits"]
        )
    if not text:
        raise LetterError("number: is empty")
    return text


def circular_from_data(
    doc_settings: dict,
    *,
    number: int | str,
    date: dt.date,
    subject: str,
    addressee: str,
    body: Sequence[str | Paragraph],
    closing: str = "จึงเรียนมาเพื่อโปรดทราบและดำเนินการ",
    urgency: str = "",
    urgent_by: dt.datetime | None = None,
    references: Iterable[Reference] = (),
    enclosures: Iterable[Enclosure] = (),
    copies: Iterable[str] = (),
    signer_name: str | None = None,
    signer_positions: Sequence[str] | None = None,
    circular: bool = True,
) -> Letter:
    """A หนังสือเวียน (or, with circular=False, a plain หนังสือภายนอก) from plain values.

    For the directives app: pass `document_settings_for(issuing_org)` and the directive's fields;
    `number` is the register number (numbered with ว in the circular series) or a formatted number.
    No database access.
    """
    return letter_from_settings(
        CIRCULAR if circular else EXTERNAL,
        doc_settings,
        number=number_for(doc_settings, number, circular=circular),
        date=date,
        subject=subject,
        addressee=addressee,
        body=tuple(body),
        closing=closing,
        urgency=urgency,
        urgent_by=urgent_by,
        references=tuple(references),
        enclosures=tuple(enclosures),
        copies=tuple(copies),
        signer_name=signer_name,
        signer_positions=tuple(signer_positions) if signer_positions is not None else None,
    )


# -- from a plan -------------------------------------------------------------------------------


def _settings(plan) -> dict:
    from documents.letter_models import document_settings_for

    return document_settings_for(plan.org)


def _approval(plan) -> tuple[dt.date, str]:
    """The approval date and the approver's name; LetterError if the plan is not approved."""
    from plans.models import Status

    if plan.status != Status.APPROVED or not plan.approved_at:
        raise LetterError(
            "plan: this letter is about the approved plan; approve the plan first "
            f"(it is now {plan.get_status_display()})"
        )
    approver = str(plan.approved_by) if plan.approved_by_id else ""
    return timezone.localtime(plan.approved_at).date(), approver


def _signer(doc_settings: dict, fallback: str, signer_name: str | None) -> str:
    return signer_name or doc_settings["signer_name"] or fallback or DOTTED_NAME


def covering_letter(
    plan,
    *,
    number: int | str | None,
    date: dt.date,
    reference: Reference | None = None,
    copies: Sequence[str] | None = None,
    urgency: str = "",
    signer_name: str | None = None,
    signer_positions: Sequence[str] | None = None,
) -> Letter:
    """The local government's หนังสือภายนอก sending its approved BCP to เลขาธิการ ก.พ.ร.

    Enclosure: the plan. สำเนาส่ง: the province (through its local-administration office) unless
    `copies` says otherwise. `reference`: the letter that asked for the plan, if any.
    """
    doc = _settings(plan)
    approved_on, approver = _approval(plan)
    org = plan.org
    d = doc["digits"]
    fy = digits_of(plan.fiscal_year, d)
    province = org.province if org.province_id and org.province_id != org.pk else None
    if copies is None:
        copies = [f"ผู้ว่าราชการ{province.name_th} (ผ่านท้องถิ่น{province.name_th})"] if province else []
    body = [
        f"ตามที่คณะรัฐมนตรีได้มีมติเมื่อวันที่ {thai_date(CABINET_RESOLUTION, digits=d)} ให้หน่วยงานของรัฐทบทวน"
        f"และปรับปรุง{BCP_NAME} ให้รองรับสภาวะวิกฤตที่ยืดเยื้อได้ "
        "และให้องค์กรปกครองส่วนท้องถิ่นจัดส่งแผนไปยังสำนักงาน ก.พ.ร. นั้น",
        f"{org.name_th} ได้จัดทำแผนดังกล่าว ประจำปีงบประมาณ พ.ศ. {fy} เสร็จเรียบร้อยแล้ว "
        f"และผู้บริหารได้อนุมัติแผนเมื่อวันที่ {thai_date(approved_on, digits=d)} "
        "รายละเอียดปรากฏตามสิ่งที่ส่งมาพร้อมนี้",
    ]
    return letter_from_settings(
        EXTERNAL,
        doc,
        number=number_for(doc, number),
        date=date,
        urgency=urgency,
        subject=f"ส่ง{BCP_NAME}",
        salutation="เรียน",
        addressee=OPDC_SECRETARY,
        references=(reference,) if reference else (),
        enclosures=(
            Enclosure(f"แผนดำเนินธุรกิจอย่างต่อเนื่องของ{org.name_th} ประจำปีงบประมาณ พ.ศ. {fy}", count=1, unit="ชุด"),
        ),
        body=tuple(body),
        closing="จึงเรียนมาเพื่อโปรดทราบ",
        signer_name=_signer(doc, approver, signer_name),
        signer_positions=tuple(signer_positions) if signer_positions is not None else None,
        copies=tuple(copies),
    )


def team_order(
    plan,
    *,
    number: int | str | None,
    date: dt.date,
    authority: str = "",
    signer_name: str | None = None,
    signer_positions: Sequence[str] | None = None,
) -> Letter:
    """คำสั่ง appointing the BCP team from the plan's team (ตารางที่ 2): each role with its primary
    and backup person and duties. `number` is the order's number this year (numbered n/<BE year>);
    `authority` the legal basis ("อาศัยอำนาจตามความในมาตรา … แห่ง…"), if the organization cites one.
    """
    from plans.models import TeamRole

    doc = _settings(plan)
    d = doc["digits"]
    org = plan.org
    roles = list(
        TeamRole.objects.filter(plan=plan).select_related("primary", "backup").order_by("order", "id")
    )
    if not roles:
        raise LetterError("team: the plan has no team yet; add the team roles (ตารางที่ 2) first")

    def person(contact) -> str:
        if contact is None:
            return "-"
        return f"{contact.name} ตำแหน่ง {contact.position}" if contact.position else contact.name

    body: list[str | Paragraph] = [
        f"เพื่อให้การบริหารความต่อเนื่องตาม{BCP_NAME} ของ{org.name_th} ประจำปีงบประมาณ พ.ศ. "
        f"{digits_of(plan.fiscal_year, d)} เป็นไปอย่างมีประสิทธิภาพ สามารถรับมือกับสภาวะวิกฤตและให้บริการ"
        "ประชาชนได้อย่างต่อเนื่อง "
        + (f"{authority.strip()} " if authority.strip() else "")
        + "จึงแต่งตั้งคณะทำงานบริหารความต่อเนื่อง ดังนี้",
    ]
    for i, role in enumerate(roles, start=1):
        body.append(Paragraph(role.title, label=f"{i}."))
        body.append(Paragraph(f"ผู้ปฏิบัติงานหลัก {person(role.primary)}", label=f"{i}.1", level=1))
        body.append(Paragraph(f"ผู้ปฏิบัติงานสำรอง {person(role.backup)}", label=f"{i}.2", level=1))
        if role.duties.strip():
            body.append(Paragraph(f"หน้าที่ {role.duties.strip()}", label=f"{i}.3", level=1))
    body.append(
        "ให้คณะทำงานตามคำสั่งนี้ปฏิบัติหน้าที่ตามแผนดำเนินธุรกิจอย่างต่อเนื่องเมื่อเกิดสภาวะวิกฤต "
        "ดูแลให้ข้อมูลในแผนเป็นปัจจุบัน ซักซ้อมการปฏิบัติตามแผนอย่างน้อยปีละหนึ่งครั้ง "
        "และรายงานผลการดำเนินการให้ผู้บริหารทราบ"
    )
    approver = str(plan.approved_by) if plan.approved_by_id else ""
    return letter_from_settings(
        ORDER,
        doc,
        number=(
            order_number(number, be_year(date), digits=d)
            if number is not None
            else digits_of(f"{BLANK_NUMBER}/{be_year(date)}", d)
        ),
        date=date,
        subject="แต่งตั้งคณะทำงานบริหารความต่อเนื่อง",
        body=tuple(body),
        signer_name=_signer(doc, approver, signer_name),
        signer_positions=tuple(signer_positions) if signer_positions is not None else None,
        owning_unit=(),
        phone="",
        fax="",
        email="",
    )


def adoption_announcement(
    plan,
    *,
    date: dt.date | None = None,
    signer_name: str | None = None,
    signer_positions: Sequence[str] | None = None,
) -> Letter:
    """ประกาศ adopting the approved plan, dated the day of approval and signed by the approver
    unless told otherwise."""
    doc = _settings(plan)
    approved_on, approver = _approval(plan)
    d = doc["digits"]
    org = plan.org
    body = (
        f"ตามที่คณะรัฐมนตรีได้มีมติเมื่อวันที่ {thai_date(CABINET_RESOLUTION, digits=d)} "
        "เห็นชอบมาตรการเตรียมความพร้อมของหน่วยงานภาครัฐในการบริหารราชการและให้บริการประชาชนในสภาวะวิกฤต "
        f"โดยให้หน่วยงานของรัฐทบทวนและปรับปรุง{BCP_NAME} ให้สามารถรองรับสภาวะวิกฤตได้ นั้น",
        f"{org.name_th} ได้จัดทำ{BCP_NAME} ประจำปีงบประมาณ พ.ศ. {digits_of(plan.fiscal_year, d)} "
        f"(ฉบับที่ {digits_of(plan.revision, d)}) เพื่อให้กระบวนการทำงานที่สำคัญและการให้บริการประชาชน"
        "ดำเนินต่อไปได้ หรือกลับมาดำเนินการได้ภายในระยะเวลาที่กำหนดเมื่อเกิดเหตุการณ์ที่ทำให้การปฏิบัติงาน"
        "หยุดชะงัก จึงประกาศใช้แผนดำเนินธุรกิจอย่างต่อเนื่องฉบับนี้ ให้ผู้บริหารและบุคลากรทุกส่วนราชการ"
        "ถือปฏิบัติ รายละเอียดปรากฏตามแผนแนบท้ายประกาศนี้",
    )
    return letter_from_settings(
        ANNOUNCEMENT,
        doc,
        date=date or approved_on,
        subject=f"การประกาศใช้{BCP_NAME}",
        body=body,
        closing="ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป",
        signer_name=_signer(doc, approver, signer_name),
        signer_positions=tuple(signer_positions) if signer_positions is not None else None,
        owning_unit=(),
        phone="",
        fax="",
        email="",
    )
