"""Demo directives for `manage.py load_demo` (the step ``directives.demo.load_demo_directives``).

1. The founding letter itself: จังหวัดแพร่'s circular ด่วนที่สุด ที่ พร ๐๐๒๓.๑/ว ๓๐๒๖ of 23 June 2563,
   issued by the provincial local-administration office (สถจ.แพร่, whose letter prefix it is) on
   the province's behalf, signed by the ท้องถิ่นจังหวัด "ปฏิบัติราชการแทน ผู้ว่าราชการจังหวัดแพร่", with
   its two DLA letters as enclosures (one-page cover sheets of their facts, generated here: the
   DLA's own texts are not in the demo). It goes to the 8 districts, the PAO and the town
   municipality; each district relays it to its local governments, so all 84 have it. The town
   municipality's plan was accepted, the PAO's waits for review — both late by the 2563 deadline,
   honestly.
2. A current directive (fiscal year 2570) down the whole chain DLA → province → districts → local
   governments, with a deadline two weeks after the demo was first loaded, so on-time submissions
   exist too.

อบต.ป่าแดง is left without a submission (and unopened) so that its planner can try submitting.
Idempotent: a directive found by its issuer and number (or subject) is left alone.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid

from django.utils import timezone

from directives import actions
from directives.models import Ask, CopyRule, Directive, DirectiveStatus, Group, Recipient, Urgency
from directives.uploads import CheckedUpload
from orgs.models import Kind, Organization

KEY_NAMESPACE = uuid.UUID("6a0c6bd4-5f7e-4f4e-9c55-2d7f1f0d5a63")

FOUNDING_SUBJECT = (
    "การทบทวนและปรับปรุงแผนดำเนินธุรกิจอย่างต่อเนื่อง สำหรับการบริหารความพร้อมต่อสภาวะวิกฤต (Business Continuity Plan)"
)
FOUNDING_SALUTATION = "นายอำเภอทุกอำเภอ นายองค์การบริหารส่วนจังหวัดแพร่ และนายกเทศมนตรีเมืองแพร่"
# The body, verbatim from the letter (shared/seed/phrae-circular-2563-bcp.txt), one paragraph each.
FOUNDING_BODY = [
    "กรมส่งเสริมการปกครองท้องถิ่น แจ้งมติคณะรัฐมนตรี ในคราวการประชุมเมื่อวันที่ ๓๑ มีนาคม ๒๕๖๓ "
    "เห็นชอบในหลักการกับมาตรการเตรียมความพร้อมของหน่วยงานภาครัฐในการบริหารราชการ และให้บริการประชาชนในสภาวะวิกฤต "
    "(รองรับสถานการณ์การระบาดของโรคติดเชื้อไวรัสโคโรนา 2019 (COVID-19) ตามที่สำนักงาน ก.พ.ร. เสนอ "
    "โดยให้องค์กรปกครองส่วนท้องถิ่นมุ่งเน้นการนำระบบเทคโนโลยี มาใช้ในการปฏิบัติงาน "
    "การเร่งประชาสัมพันธ์การให้บริการประชาชนผ่านระบบอิเล็กทรอนิกส์การกำหนดมาตรการชั่วคราวให้มีช่องทางการรับส่งเอกสารอื่นๆ "
    "แทนการให้ประชาชนเดินทางมาติดต่อด้วยตนเอง และการดำเนินการ ทบทวนและปรับปรุงแผนการบริหารความพร้อมต่อสภาวะวิกฤต "
    "(Business Continuity Plan – BCP) ให้สามารถรองรับกรณีเกิดโรคระบาดต่อเนื่องเป็นระยะเวลานานได้",
    "ทั้งนี้ได้แจ้งแนวทางการทบทวนและปรับปรุงแผนดำเนินธุรกิจอย่างต่อเนื่อง สำหรับ การบริหารความพร้อมต่อสภาวะวิกฤต "
    "(Business Continuity Plan – BCP) ตามแนวทางที่สำนักงาน ก.พ.ร. กำหนด "
    "และเพื่อให้การดำเนินการดังกล่าวเป็นไปด้วยความเรียบร้อย "
    "จังหวัดจึงขอแจ้งแนวทางการทบทวนและ ปรับปรุงแผนดำเนินธุรกิจในองค์กรปกครองส่วนท้องถิ่นทราบ "
    "และให้จัดทำแผนดำเนินธุรกิจอย่างต่อเนื่อง สำหรับการบริหารความพร้อมต่อสภาวะวิกฤตฯ ให้พิจารณาจัดทำ BCP ในภารกิจทั่วไป "
    "รวมถึงภารกิจที่เป็น การบริการประชาชน และให้องค์กรปกครองส่วนท้องถิ่นจัดส่งแผนฯ ไปยังสำนักงาน ก.พ.ร. โดยตรง ภายใน "
    "วันที่ ๓๐ มิถุนายน ๒๕๖๓ พร้อมทั้งสำเนาให้จังหวัดทราบอีกทราบหนึ่งด้วย รายละเอียดปรากฏตามสิ่งที่ส่งมา พร้อมนี้",
]
FOUNDING_CLOSING = "จึงเรียนมาเพื่อทราบและดำเนินการ สำหรับอำเภอให้แจ้งองค์กรปกครองส่วนท้องถิ่นทราบ และดำเนินการต่อไป"
FOUNDING_SIGNER = "นายต่อพงษ์ ทับทิมโต"
FOUNDING_POSITION = "ท้องถิ่นจังหวัดแพร่ ปฏิบัติราชการแทน\nผู้ว่าราชการจังหวัดแพร่"
FOUNDING_UNIT = "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด\nฝ่ายบริหารทั่วไป"
FOUNDING_CONTACT = "โทร. ๐ ๕๕๕๓ ๔๑๑๙ ต่อ ๑๐๒"
FOUNDING_DATE = dt.date(2020, 6, 23)
FOUNDING_DEADLINE = dt.date(2020, 6, 30)

DLA_OFFICE = ("กรมส่งเสริมการปกครองท้องถิ่น", "ถนนนครราชสีมา เขตดุสิต กทม. ๑๐๓๐๐")
# The two DLA letters the founding letter encloses: (urgency, register number, date, subject).
DLA_LETTERS = [
    (
        "",
        1217,
        dt.date(2020, 4, 20),
        "มาตรการเตรียมความพร้อมของหน่วยงานภาครัฐในการบริหารราชการและให้บริการประชาชนในสภาวะวิกฤต",
    ),
    (
        "ด่วนที่สุด",
        1434,
        dt.date(2020, 5, 14),
        "แนวทางการทบทวนและปรับปรุงแผนดำเนินธุรกิจอย่างต่อเนื่อง (Business Continuity Plan – BCP)",
    ),
]

CURRENT_SUBJECT = "การทบทวนแผนดำเนินธุรกิจอย่างต่อเนื่อง (Business Continuity Plan – BCP) ประจำปีงบประมาณ พ.ศ. ๒๕๗๐"
CURRENT_BODY = [
    "ตามที่คณะรัฐมนตรีได้มีมติให้หน่วยงานภาครัฐทบทวนแผนดำเนินธุรกิจอย่างต่อเนื่อง (BCP) ให้เป็นปัจจุบันอยู่เสมอ "
    "เพื่อให้สามารถบริหารราชการและให้บริการประชาชนได้อย่างต่อเนื่องในสภาวะวิกฤต นั้น",
    "กรมส่งเสริมการปกครองท้องถิ่นขอให้จังหวัดแจ้งองค์กรปกครองส่วนท้องถิ่นทุกแห่งทบทวนแผนดำเนินธุรกิจอย่างต่อเนื่อง "
    "ประจำปีงบประมาณ พ.ศ. ๒๕๗๐ ให้ครอบคลุมภัยที่อาจเกิดขึ้นในพื้นที่ และให้ผู้บริหารท้องถิ่นอนุมัติ "
    "แล้วจัดส่งแผนที่ได้รับอนุมัติไปยังสำนักงาน ก.พ.ร. ผ่านระบบพร้อม ภายในกำหนด "
    "พร้อมทั้งสำเนาให้จังหวัดและอำเภอทราบ",
]


def _key(*parts) -> str:
    return str(uuid.uuid5(KEY_NAMESPACE, ":".join(str(p) for p in parts)))


def _at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(
        dt.datetime.combine(day, dt.time(hour, minute)), timezone.get_default_timezone()
    )


def _dla_letter_pdf(urgency: str, number: int, date: dt.date, subject: str) -> bytes | None:
    """A one-page cover sheet of a DLA letter's facts (the letter renderer of the documents app)."""
    try:
        from documents.letters import Letter, letter_number, render_letter_pdf
    except ImportError:
        return None
    letter = Letter(
        kind="circular",
        date=date,
        number=letter_number("มท ๐๘๑๒", number, circular=True),
        urgency=urgency,
        office_lines=DLA_OFFICE,
        subject=subject,
        addressee="ผู้ว่าราชการจังหวัด ทุกจังหวัด",
        body=(
            "สำเนาเพื่อประกอบหนังสือจังหวัดแพร่ ด่วนที่สุด ที่ พร ๐๐๒๓.๑/ว ๓๐๒๖ ลงวันที่ ๒๓ มิถุนายน ๒๕๖๓ "
            "ในข้อมูลตัวอย่างของระบบพร้อม แผ่นนี้สรุปเลขที่ วันที่ และเรื่องของหนังสือกรมส่งเสริมการปกครองท้องถิ่นฉบับจริง "
            "ซึ่งมิได้บรรจุไว้ในข้อมูลตัวอย่าง",
        ),
        closing="จึงเรียนมาเพื่อโปรดพิจารณา",
        signer_name="อธิบดีกรมส่งเสริมการปกครองท้องถิ่น",
        signer_positions=("อธิบดีกรมส่งเสริมการปกครองท้องถิ่น",),
        owning_unit=("กองพัฒนาและส่งเสริมการบริหารงานท้องถิ่น",),
    )
    return render_letter_pdf(letter)


def _enclosures() -> list[dict]:
    import hashlib

    from phrom.lib.thai import thai_date, to_thai_digits

    out = []
    for urgency, number, date, subject in DLA_LETTERS:
        detail = (
            f"{urgency + ' ' if urgency else ''}ที่ มท ๐๘๑๒/ว {to_thai_digits(number)} ลงวันที่ {thai_date(date)}"
        )
        item = {"title": "สำเนาหนังสือกรมส่งเสริมการปกครองท้องถิ่น", "detail": detail, "quantity": "๑ ชุด"}
        pdf = _dla_letter_pdf(urgency, number, date, subject)
        if pdf:
            name = f"หนังสือ สถ. มท 0812-ว {number}.pdf"
            item["upload"] = CheckedUpload(
                io.BytesIO(pdf), name, "application/pdf", len(pdf), hashlib.sha256(pdf).hexdigest()
            )
        out.append(item)
    return out


def _backdate(directive: Directive, day: dt.date) -> None:
    """Demo history: the directive was issued on its own date, not when the demo was loaded."""
    Directive.objects.filter(pk=directive.pk).update(issued_at=_at(day, 9, 30))


def _acknowledge_spread(directive: Directive, day: dt.date, users: dict, *, share: int, skip=()) -> int:
    """Mark `share` percent of the addressees as opened over the next days (deterministic)."""
    rows = list(directive.recipients.filter(acknowledged_at__isnull=True).select_related("org"))
    n = 0
    for r in rows:
        if r.org_id in skip or (r.org_id * 37) % 100 >= share:
            continue
        when = _at(day + dt.timedelta(days=1 + r.org_id % 4), 8 + r.org_id % 8, (r.org_id * 7) % 60)
        if when > timezone.now():
            when = timezone.now() - dt.timedelta(minutes=5 + r.org_id % 50)
        Recipient.objects.filter(pk=r.pk).update(acknowledged_at=when, acknowledged_by=users.get(r.org_id))
        n += 1
    return n


def _relay_all(root: Directive, districts, ctx, *, start: dt.date, numbers_from: int, note: str) -> int:
    admin = ctx.users.get("admin")
    overseers = {
        "district:5401": ctx.users.get("district.mueang"),
        "district:5403": ctx.users.get("district.long"),
    }
    total = 0
    for i, (key, district) in enumerate(districts):
        if root.relays.filter(issuer=district).exists():
            continue
        day = start + dt.timedelta(days=i % 3)
        relay = actions.relay_directive(
            root,
            issuer=district,
            by=overseers.get(key) or admin,
            date=day,
            number=str(numbers_from + 17 * i),
            cover_note=note.format(district=district.name_th),
        )
        _backdate(relay, day)
        total += relay.recipients.count()
    return total


def load_demo_directives(ctx) -> str:
    office = ctx.org("provincial_office:54")
    opdc = ctx.org("opdc")
    dla = ctx.org("dla")
    pao = ctx.org("lgo:2540101")
    town = ctx.org("lgo:4540102")
    padaeng = ctx.org("lgo:6540115")
    districts = [
        (f"district:{d.geocode}", d)
        for d in Organization.objects.filter(kind=Kind.DISTRICT, province=office.province).order_by("geocode")
    ]
    member_of = _first_member_by_org()
    made = []

    # 1. The founding letter of 23 June 2563 and its relays.
    founding = Directive.objects.filter(issuer=office, register_year=2020, register_number=3026).first()
    if founding is None:
        by = ctx.users["province"]
        founding = actions.create_directive(
            issuer=office,
            by=by,
            values={
                "urgency": Urgency.MOST_URGENT,
                "date": FOUNDING_DATE,
                "subject": FOUNDING_SUBJECT,
                "salutation": FOUNDING_SALUTATION,
                "body": "\n\n".join(FOUNDING_BODY),
                "closing": FOUNDING_CLOSING,
                "ask": Ask.SUBMIT_PLAN,
                "deadline": _end_of(FOUNDING_DEADLINE),
                "submit_to": opdc,
                "copy_rules": [CopyRule.PROVINCE, CopyRule.DISTRICT],
                "groups": [Group.DISTRICTS],
                "signer_name": FOUNDING_SIGNER,
                "signer_position": FOUNDING_POSITION,
                "owning_unit": FOUNDING_UNIT,
                "contact": FOUNDING_CONTACT,
            },
            to=[pao.pk, town.pk],
            enclosures=_enclosures(),
        )
        actions.issue_directive(founding, by=by, number="3026")
        _backdate(founding, FOUNDING_DATE)
        founding.refresh_from_db()
        made.append(founding.number)
    relayed = _relay_all(
        founding,
        districts,
        ctx,
        start=dt.date(2020, 6, 25),
        numbers_from=1502,
        note="อำเภอ{district} ขอแจ้งให้องค์กรปกครองส่วนท้องถิ่นในพื้นที่ทบทวนและปรับปรุงแผนดำเนินธุรกิจอย่างต่อเนื่อง "
        "และจัดส่งแผนไปยังสำนักงาน ก.พ.ร. โดยตรง ภายในวันที่ ๓๐ มิถุนายน ๒๕๖๓ พร้อมสำเนาให้จังหวัดและอำเภอทราบ",
    )
    acks = _acknowledge_all(founding, dt.date(2020, 6, 23), member_of, skip={padaeng.pk})

    # 2. The current directive (fiscal year 2570), DLA -> province -> districts -> LGOs.
    today = timezone.localdate()
    current = Directive.objects.filter(issuer=dla, subject=CURRENT_SUBJECT, parent__isnull=True).first()
    if current is None:
        by = ctx.users["dla"]
        issued_on = today - dt.timedelta(days=9)
        current = actions.create_directive(
            issuer=dla,
            by=by,
            values={
                "urgency": Urgency.VERY_URGENT,
                "date": issued_on,
                "subject": CURRENT_SUBJECT,
                "salutation": "ผู้ว่าราชการจังหวัด ทุกจังหวัด",
                "body": "\n\n".join(CURRENT_BODY),
                "closing": "จึงเรียนมาเพื่อโปรดพิจารณาดำเนินการ",
                "ask": Ask.SUBMIT_PLAN,
                "deadline": _at(today + dt.timedelta(days=14), 16, 30),
                "submit_to": opdc,
                "copy_rules": [CopyRule.PROVINCE, CopyRule.DISTRICT],
                "groups": [Group.PROVINCIAL_OFFICES],
                "signer_name": "นายวิชัย ส่งเสริม",
                "signer_position": "รองอธิบดี ปฏิบัติราชการแทน\nอธิบดีกรมส่งเสริมการปกครองท้องถิ่น",
                "owning_unit": "กองพัฒนาและส่งเสริมการบริหารงานท้องถิ่น",
                "contact": "โทร. ๐ ๒๒๔๑ ๙๐๐๐",
            },
        )
        actions.issue_directive(current, by=by)
        _backdate(current, issued_on)
        current.refresh_from_db()
        made.append(current.number)
    if not current.relays.filter(issuer=office).exists():
        day = current.date + dt.timedelta(days=2)
        relay = actions.relay_directive(
            current,
            issuer=office,
            by=ctx.users["province"],
            date=day,
            cover_note="จังหวัดแพร่ขอให้อำเภอแจ้งองค์กรปกครองส่วนท้องถิ่นในพื้นที่ดำเนินการตามหนังสือกรมส่งเสริมการปกครองท้องถิ่น "
            "และให้องค์การบริหารส่วนจังหวัดแพร่และเทศบาลเมืองแพร่ดำเนินการโดยตรง",
            to=[d.pk for _k, d in districts] + [pao.pk, town.pk],
        )
        _backdate(relay, day)
    province_relay = current.relays.get(issuer=office)
    relayed += _relay_all(
        province_relay,
        districts,
        ctx,
        start=province_relay.date + dt.timedelta(days=1),
        numbers_from=4101,
        note="อำเภอ{district} ขอให้องค์กรปกครองส่วนท้องถิ่นทบทวนแผนและส่งแผนที่ผู้บริหารอนุมัติแล้วผ่านระบบพร้อมภายในกำหนด",
    )
    acks += _acknowledge_all(current, current.date, member_of, skip={padaeng.pk}, share=55)

    subs = _demo_submissions(ctx, founding, current, pao, town, opdc)
    return (
        f"หนังสือสั่งการ / directives: {len(made)} new ({', '.join(made) or 'none'}); "
        f"{relayed} relay addressees; {acks} opened; {subs} submissions new"
    )


def _end_of(day: dt.date) -> dt.datetime:
    from directives.forms import deadline_at

    return deadline_at(day, None)


def _first_member_by_org() -> dict[int, object]:
    from orgs.models import Membership

    out: dict[int, object] = {}
    for m in Membership.objects.select_related("user").order_by("role", "pk"):
        out.setdefault(m.organization_id, m.user)
    return out


def _acknowledge_all(root: Directive, day: dt.date, users: dict, *, skip=(), share: int = 75) -> int:
    n = 0
    for d in (
        Directive.objects.filter(root=root, status=DirectiveStatus.ISSUED)
        .select_related("issuer")
        .order_by("pk")
    ):
        # Offices (districts, the PAO, the town) open their letters; local governments some of theirs.
        from_district = d.issuer.kind == Kind.DISTRICT
        n += _acknowledge_spread(d, d.date or day, users, share=share if from_district else 100, skip=skip)
    return n


def _demo_submissions(ctx, founding, current, pao, town, opdc) -> int:
    from directives.models import Submission

    reviewer = ctx.users["opdc"]
    made = 0
    plans = {org.pk: actions.plan_to_submit(org) for org in (pao, town)}
    plan_users = {town.pk: ctx.users["phrae.planner"], pao.pk: ctx.users.get("pao.approver")}
    wanted = [
        (founding, town, True),  # 2563: the town municipality's plan, accepted
        (founding, pao, False),  # 2563: the PAO's plan, waiting for OPDC
        (current, pao, True),  # 2570: on time, accepted
        (current, town, False),  # 2570: on time, waiting
    ]
    for root, org, accept in wanted:
        plan, by = plans.get(org.pk), plan_users.get(org.pk)
        if plan is None or by is None:
            continue
        received = Directive.objects.filter(
            root=root, status=DirectiveStatus.ISSUED, recipients__org=org
        ).first()
        if received is None or Submission.objects.filter(root=root, org=org).exists():
            continue
        sub, created = actions.submit_plan(received, plan, by=by, key=_key("demo", root.pk, org.pk))
        made += int(created)
        if accept and created:
            actions.review_submission(
                sub, by=reviewer, accept=True, comment="แผนครบถ้วนตามแนวทางของสำนักงาน ก.พ.ร."
            )
    return made
