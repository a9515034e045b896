"""Demo e-services for `manage.py load_demo` (the step ``eservices.demo.load_demo_eservices``).

- เทศบาลเมืองแพร่ (4540102): eleven services adopted from the starter library, eight published
  (six take requests in Phrom), requests in every state — some overdue, some with photos and
  PDFs — and a crisis notice ("during the haze and the epidemic, apply online");
- อบต.ป่าแดง (6540115), อบต.หัวทุ่ง (6540307), อบต.แม่ยม (6540116): smaller catalogues with a
  few requests each; ป่าแดง's service staff (padaeng.service) has work waiting;
- the plans' public-service processes point to the catalogue entries that keep them running
  (link_plan): for draft plans here; an approved plan is frozen, so plans.demo links the plan
  before approving it (it calls link_plan when this module is there).

Citizens are made up: Thai names, mobiles 06x/08x/09x, national IDs that pass the check digit
(random digits, so they match no one on purpose), e-mails on the reserved example.com domain.

Idempotent: adoption is by starter_key; requests, attachments and notices are made only for an
organization that has none yet.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import random

from django.core.files.base import ContentFile
from django.utils import timezone

from eservices import actions
from eservices.intake import due_at_for, new_tracking_code
from eservices.models import (
    Attachment,
    Channel,
    CrisisNotice,
    EventKind,
    Request,
    RequestEvent,
    RequestStatus,
    Service,
)

# (organization key, starter keys adopted, keys published, keys taking requests in Phrom, channel details)
CATALOGUES = {
    "lgo:4540102": (
        [
            "elderly-allowance",
            "disability-allowance",
            "newborn-grant",
            "building-permit",
            "land-building-tax",
            "signboard-tax",
            "health-hazard-licence",
            "food-premises-licence",
            "commercial-registration",
            "complaint",
            "official-information",
        ],
        [
            "elderly-allowance",
            "disability-allowance",
            "building-permit",
            "land-building-tax",
            "signboard-tax",
            "health-hazard-licence",
            "complaint",
            "official-information",
        ],
        [
            "elderly-allowance",
            "disability-allowance",
            "land-building-tax",
            "signboard-tax",
            "complaint",
            "official-information",
        ],
        {
            "email": "saraban@phraecity.go.th",
            "line": "@phraecity",
            "phone": "054 511 411",
            "post": "สำนักงานเทศบาลเมืองแพร่ ถนนหน้าเมือง ตำบลในเวียง อำเภอเมืองแพร่ จังหวัดแพร่ 54000",
            "drop_box": "ตู้รับเอกสารหน้าประตูสำนักงานเทศบาล เปิดทุกวัน 08:00–18:00 น.",
        },
    ),
    "lgo:6540115": (
        [
            "elderly-allowance",
            "disability-allowance",
            "water-delivery",
            "disaster-relief",
            "complaint",
            "waste-collection",
            "village-water",
        ],
        ["elderly-allowance", "water-delivery", "disaster-relief", "complaint", "waste-collection"],
        ["elderly-allowance", "water-delivery", "disaster-relief", "complaint", "waste-collection"],
        {"line": "@padaeng", "phone": "054 646 129", "drop_box": "กล่องรับเอกสารหน้าที่ทำการ อบต.ป่าแดง"},
    ),
    "lgo:6540307": (
        [
            "elderly-allowance",
            "disability-allowance",
            "disaster-relief",
            "complaint",
            "building-permit",
            "land-building-tax",
        ],
        ["elderly-allowance", "disability-allowance", "disaster-relief", "complaint", "land-building-tax"],
        ["elderly-allowance", "disaster-relief", "complaint"],
        {"line": "@huathung", "phone": "054 580 123"},
    ),
    "lgo:6540116": (
        ["elderly-allowance", "complaint", "water-delivery", "child-centre-enrolment"],
        ["elderly-allowance", "complaint", "water-delivery"],
        ["complaint", "water-delivery"],
        {"phone": "054 600 456"},
    ),
}

# Plan process names (plans/library) -> the starter entry that is its alternative channel.
PROCESS_SERVICE = {
    "จ่ายเบี้ยยังชีพผู้สูงอายุ": "elderly-allowance",
    "จ่ายเบี้ยความพิการ": "disability-allowance",
    "รับเรื่องร้องทุกข์และร้องเรียน": "complaint",
    "จัดเก็บภาษีที่ดินและสิ่งปลูกสร้าง": "land-building-tax",
    "จัดเก็บภาษีป้าย": "signboard-tax",
    "พิจารณาอนุญาตก่อสร้าง ดัดแปลง รื้อถอนอาคาร": "building-permit",
    "ช่วยเหลือประชาชนตามอำนาจหน้าที่ (กรณีสาธารณภัยและการบรรเทาความเดือดร้อน)": "disaster-relief",
    "ทะเบียนพาณิชย์": "commercial-registration",
    "เก็บขนขยะมูลฝอย": "waste-collection",
    "เก็บขนขยะมูลฝอยและขยะติดเชื้อ": "waste-collection",
}

FIRST = [
    "สมศรี",
    "บุญมี",
    "ประยูร",
    "วันเพ็ญ",
    "สมพร",
    "จันทร์ฟอง",
    "ทองใบ",
    "สุนทร",
    "อำไพ",
    "เกษม",
    "ศรีนวล",
    "ณัฐวุฒิ",
    "พิมพ์ชนก",
    "อนุชา",
    "มณีรัตน์",
    "ธีระ",
    "บัวผัน",
    "ชัยวัฒน์",
    "กาญจนา",
    "สายทอง",
]
LAST = [
    "แก้วมูล",
    "ใจคำ",
    "ปัญญาวงศ์",
    "อินทะวงศ์",
    "ศรีวิชัย",
    "คำปัน",
    "ยอดเมือง",
    "วงศ์ไชย",
    "บุญเรือง",
    "เรือนแก้ว",
    "ทิพย์มณี",
    "สุริยะ",
    "จันทร์แก้ว",
    "มะโนวงศ์",
    "ไชยลังกา",
]
TITLES = {"f": ["นาง", "นางสาว"], "m": ["นาย"]}
FEMALE = {
    "สมศรี",
    "วันเพ็ญ",
    "สมพร",
    "จันทร์ฟอง",
    "อำไพ",
    "ศรีนวล",
    "พิมพ์ชนก",
    "มณีรัตน์",
    "บัวผัน",
    "กาญจนา",
    "สายทอง",
    "ทองใบ",
}
VILLAGES = ["บ้านป่าแดง หมู่ 1", "บ้านนาคูหา หมู่ 3", "บ้านทุ่งโฮ้ง หมู่ 5", "บ้านในเวียง", "บ้านเหมืองหม้อ หมู่ 2"]

STAFF_MESSAGES = {
    RequestStatus.WAITING: [
        "โปรดถ่ายรูปหน้าสมุดบัญชีเงินฝากที่มีชื่อและเลขบัญชีให้ชัดเจน แล้วแนบในหน้าติดตามคำขอ",
        "ขอภาพถ่ายป้ายทั้งป้ายพร้อมตลับเมตรวัดขนาด เพื่อประเมินภาษี",
        "โปรดระบุจุดสังเกตใกล้บ้านเพิ่มเติม เจ้าหน้าที่หาที่อยู่ไม่พบ",
    ],
    RequestStatus.REJECTED: [
        "ผู้ยื่นมีอายุยังไม่ครบ 60 ปีบริบูรณ์ภายในปีงบประมาณถัดไป โปรดยื่นใหม่ในรอบการลงทะเบียนปีหน้า",
        "ที่อยู่ที่แจ้งอยู่นอกเขตพื้นที่รับผิดชอบ ได้ส่งเรื่องต่อให้เทศบาลตำบลช่อแฮแล้ว",
    ],
    RequestStatus.DONE: [
        "ลงทะเบียนเรียบร้อย จะได้รับเงินงวดแรกภายในวันที่ 10 ของเดือนถัดไป",
        "ดำเนินการแก้ไขเรียบร้อยแล้ว ขอบคุณที่แจ้งเรื่องเข้ามา",
        "ส่งใบเสร็จรับเงินทางอีเมลที่ให้ไว้แล้ว",
    ],
}
NOTES = ["โทรยืนยันข้อมูลกับผู้ยื่นแล้ว", "ตรวจสอบในระบบสารสนเทศเบี้ยยังชีพแล้ว ไม่ซ้ำซ้อน", "ส่งต่อกองช่างออกสำรวจ"]

# What each demo organization's requests look like: (status, days ago submitted, days it took or None)
PHRAE_REQUESTS = [
    (RequestStatus.RECEIVED, 0.1, None),
    (RequestStatus.RECEIVED, 1.2, None),
    (RequestStatus.RECEIVED, 9, None),
    (RequestStatus.IN_PROGRESS, 2, None),
    (RequestStatus.IN_PROGRESS, 16, None),
    (RequestStatus.WAITING, 3, None),
    (RequestStatus.WAITING, 6, None),
    (RequestStatus.DONE, 20, 1),
    (RequestStatus.DONE, 35, 2),
    (RequestStatus.DONE, 41, 6),
    (RequestStatus.DONE, 60, 3),
    (RequestStatus.DONE, 75, 1),
    (RequestStatus.DONE, 90, 12),
    (RequestStatus.REJECTED, 25, 2),
    (RequestStatus.REJECTED, 50, 4),
]
SMALL_REQUESTS = [
    (RequestStatus.RECEIVED, 0.5, None),
    (RequestStatus.RECEIVED, 12, None),
    (RequestStatus.IN_PROGRESS, 1, None),
    (RequestStatus.WAITING, 2, None),
    (RequestStatus.DONE, 14, 2),
    (RequestStatus.DONE, 30, 5),
    (RequestStatus.REJECTED, 21, 1),
]

NOTICE = (
    "ช่วงสถานการณ์หมอกควันและโรคระบาด งดให้บริการที่เคาน์เตอร์ชั่วคราว โปรดยื่นคำขอออนไลน์",
    "เทศบาลเมืองแพร่ขอความร่วมมือประชาชนยื่นคำขอผ่านช่องทางออนไลน์แทนการมาติดต่อที่สำนักงาน "
    "เพื่อลดความเสี่ยงจากการแพร่ระบาดของโรคและฝุ่นละอองขนาดเล็ก (PM2.5) ท่านสามารถยื่นคำขอและแนบเอกสาร"
    "ผ่านแบบฟอร์มออนไลน์ได้ตลอด 24 ชั่วโมง ติดตามผลด้วยรหัสติดตามคำขอ หรือสอบถามทาง LINE @phraecity "
    "และโทรศัพท์ 054 511 411 ในวันและเวลาราชการ เอกสารตัวจริงส่งทางไปรษณีย์หรือใส่ตู้รับเอกสารหน้าสำนักงานได้",
)


def load_demo_eservices(ctx) -> str:
    """The demo e-services (see the module docstring)."""
    summary = []
    rng = random.Random(4540102)
    for key in CATALOGUES:
        org = ctx.org(key)
        ensure_catalogue(org)
        made = 0
        if not Request.objects.filter(org=org).exists():
            made = make_requests(org, PHRAE_REQUESTS if key == "lgo:4540102" else SMALL_REQUESTS, rng, ctx)
        mix_channels(org, ctx)
        summary.append(f"{org.short_name_th or org.name_th} {made}")
    phrae = ctx.org("lgo:4540102")
    if not CrisisNotice.objects.filter(org=phrae).exists():
        services = Service.objects.filter(org=phrae, accepts_requests=True)
        actions.save_notice(
            phrae,
            values={
                "title": NOTICE[0],
                "text": NOTICE[1],
                "channels": [
                    Channel.ONLINE_FORM,
                    Channel.LINE,
                    Channel.PHONE,
                    Channel.POST,
                    Channel.DROP_BOX,
                ],
                "starts_at": timezone.now() - dt.timedelta(days=7),
                "ends_at": None,
                "is_active": True,
            },
            services=list(services),
            by=ctx.users.get("phrae.service"),
        )
    linked = link_draft_plans([ctx.org(k) for k in CATALOGUES])
    return f"บริการออนไลน์ / e-services: requests made {', '.join(summary)}; plan processes linked {linked}"


def ensure_catalogue(org) -> list[Service]:
    """Adopt, fill in and publish the organization's demo catalogue (idempotent)."""
    adopted, published, taking, details = CATALOGUES[_key(org)]
    actions.adopt_starters(org, adopted, by=None)
    services = list(Service.objects.filter(org=org, starter_key__in=adopted))
    for s in services:
        want_pub = s.starter_key in published
        want_req = s.starter_key in taking
        channels = list(dict.fromkeys([*s.channels, *details]))
        channels = [c for c in Channel.values if c in channels and (c != Channel.ONLINE_FORM or want_req)]
        values = {
            "channels": channels,
            "channel_details": {c: t for c, t in details.items() if c in channels},
            "available_online": want_pub
            and (want_req or any(c in channels for c in ("email", "line", "post"))),
            "accepts_requests": want_req,
        }
        if any(getattr(s, k) != v for k, v in values.items()):
            Service.objects.filter(pk=s.pk).update(**values)
        if want_pub and not s.is_published:
            Service.objects.filter(pk=s.pk).update(is_published=True)
    return list(Service.objects.filter(org=org))


def _key(org) -> str:
    return f"lgo:{org.dla_code}"


def link_plan(plan) -> int:
    """Point the plan's public-service processes to their published, online catalogue entries.

    For a draft (plans.demo calls it before approving the demo plan). Creates the organization's
    demo catalogue first when it has none. Returns how many processes were linked.
    """
    from plans.models import Mission, Process

    if _key(plan.org) not in CATALOGUES:
        return 0
    ensure_catalogue(plan.org)
    services = {
        s.starter_key: s
        for s in Service.objects.filter(org=plan.org, is_published=True, available_online=True).exclude(
            starter_key=""
        )
    }
    changed = []
    for p in Process.objects.filter(plan=plan, mission=Mission.PUBLIC_SERVICE, service__isnull=True):
        s = services.get(PROCESS_SERVICE.get(p.name, ""))
        if s is not None:
            p.service = s
            changed.append(p)
    Process.objects.bulk_update(changed, ["service"])
    return len(changed)


def link_draft_plans(orgs) -> int:
    from plans.models import Plan, Status

    return sum(
        link_plan(p) for p in Plan.objects.filter(org__in=orgs, status=Status.DRAFT).select_related("org")
    )


# -- requests ----------------------------------------------------------------------------------


def _national_id(rng) -> str:
    """13 digits with a correct check digit; first digit 1–3 like most Thai IDs (made up)."""
    head = str(rng.choice([1, 3, 3, 3])) + "5401" + "".join(str(rng.randint(0, 9)) for _ in range(7))
    total = sum(int(d) * (13 - i) for i, d in enumerate(head))
    return head + str((11 - total % 11) % 10)


def _person(rng):
    first = rng.choice(FIRST)
    title = rng.choice(TITLES["f" if first in FEMALE else "m"])
    return f"{title}{first} {rng.choice(LAST)}"


def _phone(rng) -> str:
    return rng.choice(["08", "09", "06"]) + "".join(str(rng.randint(0, 9)) for _ in range(8))


def _answer(field, rng, org):
    t = field.field_type
    if t == "national_id":
        return _national_id(rng)
    if t == "date":
        return (timezone.localdate() - dt.timedelta(days=rng.randint(30, 25000))).isoformat()
    if t in ("address",):
        place = org.name_th.replace("องค์การบริหารส่วนตำบล", "ตำบล")
        return f"{rng.randint(1, 199)} {rng.choice(VILLAGES)} {place}"
    if t == "choice":
        return rng.choice(field.choices) if field.choices else ""
    if t == "number":
        return str(rng.randint(1, 60))
    if t == "phone":
        return _phone(rng)
    if t == "textarea":
        return rng.choice(
            [
                "ไฟฟ้าสาธารณะหน้าบ้านดับมา 3 คืนแล้ว บริเวณทางโค้งมืดมาก",
                "น้ำประปาไม่ไหลตั้งแต่เมื่อวาน ในซอยมีผู้สูงอายุหลายครัวเรือน",
                "ขอสำเนาประกาศผลการจัดซื้อจัดจ้างโครงการก่อสร้างถนน คสล. หมู่ 3",
                "น้ำท่วมขังหน้าบ้านหลังฝนตก ท่อระบายน้ำอุดตัน",
            ]
        )
    return rng.choice(["ร้านเสริมสวยคุณแดง", "ร้านข้าวซอยป้าศรี", "ธนาคารกรุงไทย 981-2-34567-8", "-"])


def _jpeg(rng) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (640, 420), (246, 244, 236))
    draw = ImageDraw.Draw(img)
    draw.rectangle([30, 30, 610, 390], outline=(40, 60, 90), width=4)
    for i in range(7):
        y = 80 + i * 40
        draw.line([60, y, 60 + rng.randint(250, 520), y], fill=(90, 90, 90), width=6)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def _pdf() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (595, 842), (255, 255, 255)).save(buf, "PDF")
    return buf.getvalue()


def _attach(req, name, data, content_type, *, by_citizen=True):
    att = Attachment(
        request=req,
        original_name=name,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by_citizen=by_citizen,
    )
    att.file.save("upload", ContentFile(data), save=False)
    att.save()
    return att


def make_requests(org, plan, rng, ctx) -> int:
    """Requests in every state for the organization's services that take requests."""
    services = list(
        Service.objects.filter(org=org, accepts_requests=True, is_published=True).prefetch_related("fields")
    )
    if not services:
        return 0
    staff = next((u for name, u in ctx.users.items() if name.endswith(".service") and _member(u, org)), None)
    now = timezone.now()
    made = 0
    for i, (status, days_ago, took) in enumerate(plan):
        service = services[i % len(services)]
        submitted = now - dt.timedelta(days=days_ago, hours=rng.randint(0, 5))
        phone = _phone(rng)
        email = f"citizen{rng.randint(100, 999)}@example.com" if rng.random() < 0.4 else ""
        req = Request.objects.create(
            org=org,
            service=service,
            tracking_code=new_tracking_code(),
            applicant_name=_person(rng),
            phone=phone,
            phone_last4=phone[-4:],
            email=email,
            answers={f.key: _answer(f, rng, org) for f in service.fields.all()},
            status=status,
            privacy_accepted_at=submitted,
            submitted_at=submitted,
            due_at=due_at_for(service, submitted),
            assignee=staff if status != RequestStatus.RECEIVED else None,
        )
        events = [RequestEvent(request=req, kind=EventKind.STATUS, status=RequestStatus.RECEIVED)]
        times = [submitted]
        if i % 3 == 0:
            _attach(
                req,
                rng.choice(["รูปบัตรประชาชน.jpg", "ภาพถ่ายความเสียหาย.jpg", "หน้าสมุดบัญชี.jpg"]),
                _jpeg(rng),
                "image/jpeg",
            )
        if i % 4 == 1:
            _attach(req, "แบบคำขอ (ลงนามแล้ว).pdf", _pdf(), "application/pdf")
        step = submitted
        if status != RequestStatus.RECEIVED:
            step = step + dt.timedelta(hours=3)
            events.append(
                RequestEvent(
                    request=req, kind=EventKind.ASSIGN, text=staff.display_name if staff else "", by=staff
                )
            )
            times.append(step)
            events.append(
                RequestEvent(request=req, kind=EventKind.STATUS, status=RequestStatus.IN_PROGRESS, by=staff)
            )
            times.append(step)
        if status == RequestStatus.WAITING:
            text = rng.choice(STAFF_MESSAGES[RequestStatus.WAITING])
            events.append(
                RequestEvent(request=req, kind=EventKind.STATUS, status=status, text=text, by=staff)
            )
            times.append(step + dt.timedelta(hours=1))
            Request.objects.filter(pk=req.pk).update(status_reason=text)
        if status in (RequestStatus.DONE, RequestStatus.REJECTED):
            closed = submitted + dt.timedelta(days=took or 1)
            if i % 2:
                events.append(
                    RequestEvent(request=req, kind=EventKind.NOTE, text=rng.choice(NOTES), by=staff)
                )
                times.append(step + dt.timedelta(hours=2))
            text = rng.choice(STAFF_MESSAGES[status])
            events.append(
                RequestEvent(request=req, kind=EventKind.STATUS, status=status, text=text, by=staff)
            )
            times.append(closed)
            Request.objects.filter(pk=req.pk).update(closed_at=closed, status_reason=text)
        created = RequestEvent.objects.bulk_create(events)
        for e, at in zip(created, times, strict=True):
            RequestEvent.objects.filter(pk=e.pk).update(created_at=at)
        made += 1
    return made


# Of every ten requests, in order: how each arrived. Half online, the rest recorded by staff.
CHANNEL_MIX = [
    Channel.ONLINE_FORM, Channel.COUNTER, Channel.ONLINE_FORM, Channel.PHONE, Channel.ONLINE_FORM,
    Channel.LINE, Channel.ONLINE_FORM, Channel.COUNTER, Channel.ONLINE_FORM, Channel.PHONE,
]  # fmt: skip


def mix_channels(org, ctx) -> int:
    """Mark some of the organization's demo requests as received at the counter, by phone or LINE
    (recorded by its service staff), so the figures show a real mix. Once: skipped when any request
    already came through another channel."""
    reqs = Request.objects.filter(org=org)
    if reqs.exclude(channel=Channel.ONLINE_FORM).exists():
        return 0
    staff = next((u for name, u in ctx.users.items() if name.endswith(".service") and _member(u, org)), None)
    changed = 0
    for i, pk in enumerate(reqs.order_by("submitted_at", "pk").values_list("pk", flat=True)):
        channel = CHANNEL_MIX[i % len(CHANNEL_MIX)]
        if channel == Channel.ONLINE_FORM:
            continue
        Request.objects.filter(pk=pk).update(channel=channel)
        RequestEvent.objects.filter(
            request_id=pk, kind=EventKind.STATUS, status=RequestStatus.RECEIVED
        ).update(by=staff)
        Attachment.objects.filter(request_id=pk).update(uploaded_by_citizen=False)
        changed += 1
    return changed


def _member(user, org) -> bool:
    from orgs.models import Membership

    return Membership.objects.filter(user=user, organization=org).exists()
