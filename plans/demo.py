"""Demo plans for `manage.py load_demo` (the step ``plans.demo.load_demo_plans``).

- เทศบาลเมืองแพร่ (4540102): a complete plan started from the template, with its team named (real-
  looking people, positions, distinct mobiles), the prolonged-epidemic review done, a risk table,
  and approved by the mayor (phrae.approver) — so it carries a snapshot and a digest;
- อบจ.แพร่ (2540101): an approved plan too, approved by a demo approver this step creates
  (pao.approver, password phrom-demo) since orgs.demo has no user there;
- อบต.หัวทุ่ง (6540307) and เทศบาลตำบลช่อแฮ (5540103): half-finished drafts (some people named,
  some decisions open), for the checker and the editor to show their work;
- อบต.ป่าแดง (6540115): nothing — its planner shows how a plan is started from the template.

Idempotent: an organization that already has a plan is left alone.
"""

from __future__ import annotations

from django.utils import timezone

from orgs.actions import add_member
from orgs.models import Role
from plans import lifecycle
from plans.models import Contact, Plan, PlanText, Process, Risk, Scenario, TeamRole, TextSection
from plans.templates_lib import start_from_template

PAO_APPROVER = ("pao.approver", "นายอนันต์ ศรีนคร", "นายกองค์การบริหารส่วนจังหวัดแพร่")

# People per team role, in the template's role order (leader, coordinator, the heads of the
# default units in order, IT): (primary, backup), each (name, position, mobile).
PHRAE_TEAM = [
    (("นายเมือง แพร่ดี", "นายกเทศมนตรีเมืองแพร่", "0818850101"),
     ("นายสมชาย ใจดี", "ปลัดเทศบาลเมืองแพร่", "0899510202")),
    (("นางรัชนี ศรีสุข", "หัวหน้าสำนักปลัดเทศบาล", "0862230303"),
     ("นางสาวพิมพ์ใจ วางแผน", "นักวิเคราะห์นโยบายและแผนชำนาญการ", "0934410404")),
    (("นายประยูร คำแสน", "หัวหน้าฝ่ายป้องกันและบรรเทาสาธารณภัย", "0817720505"),
     ("นายวีระ ทองมา", "เจ้าพนักงานป้องกันและบรรเทาสาธารณภัยชำนาญงาน", "0956630606")),
    (("นางวิไลวรรณ มณีรัตน์", "ผู้อำนวยการกองคลัง", "0891140707"),
     ("นางสาวจันทร์เพ็ญ อินทร์แก้ว", "นักวิชาการเงินและบัญชีชำนาญการ", "0623380808")),
    (("นายอนุชา เรือนคำ", "ผู้อำนวยการกองช่าง", "0845560909"),
     ("นายธนพล สายสุข", "วิศวกรโยธาชำนาญการ", "0978821010")),
    (("นางสุดารัตน์ ปัญญาดี", "ผู้อำนวยการกองสาธารณสุขและสิ่งแวดล้อม", "0810091111"),
     ("นายกิตติพงษ์ วงศ์ใหญ่", "นักวิชาการสุขาภิบาลชำนาญการ", "0887731212")),
    (("นางอรุณี แสนใจ", "ผู้อำนวยการกองสวัสดิการสังคม", "0934471313"),
     ("นางสาวศิริพร ยอดคำ", "นักพัฒนาชุมชนชำนาญการ", "0651191414")),
    (("นายสุรเชษฐ์ บุญยืน", "ผู้อำนวยการกองการศึกษา", "0829981515"),
     ("นางพรทิพย์ ชัยมงคล", "นักวิชาการศึกษาชำนาญการ", "0903361616")),
    (("นางสาววันดี ระบบดี", "นักวิชาการคอมพิวเตอร์ชำนาญการ", "0866641717"),
     ("นายณัฐพล คำมูล", "เจ้าพนักงานธุรการชำนาญงาน", "0958841818")),
]  # fmt: skip

PAO_TEAM = [
    (("นายอนันต์ ศรีนคร", "นายกองค์การบริหารส่วนจังหวัดแพร่", "0815420101"),
     ("นายไพโรจน์ สุขเจริญ", "ปลัดองค์การบริหารส่วนจังหวัดแพร่", "0897120202")),
    (("นางนงลักษณ์ แก้วมูล", "ผู้อำนวยการสำนักปลัดองค์การบริหารส่วนจังหวัด", "0863320303"),
     ("นายศุภชัย ใจกว้าง", "นักวิเคราะห์นโยบายและแผนชำนาญการพิเศษ", "0982232222")),
    (("นายชาตรี ธรรมวงศ์", "หัวหน้าฝ่ายป้องกันและบรรเทาสาธารณภัย", "0817750404"),
     ("นายสมพงษ์ ใจมั่น", "นักป้องกันสาธารณภัยชำนาญการ", "0956650505")),
    (("นางจิราพร ดวงแก้ว", "ผู้อำนวยการกองกิจการสภาองค์การบริหารส่วนจังหวัด", "0891170606"),
     ("นางสาวกัลยา ศรีวิชัย", "นักจัดการงานทั่วไปชำนาญการ", "0623390707")),
    (("นายพิชิต อุ่นเรือน", "ผู้อำนวยการกองยุทธศาสตร์และงบประมาณ", "0845570808"),
     ("นางสาวสุภาวดี มาลัย", "นักวิเคราะห์นโยบายและแผนชำนาญการ", "0978830909")),
    (("นางดารุณี พรหมมา", "ผู้อำนวยการกองคลัง", "0810081010"),
     ("นางสาวนิภาพร ทิพย์วงศ์", "นักวิชาการเงินและบัญชีชำนาญการ", "0887741111")),
    (("นายบรรจง ปานทอง", "ผู้อำนวยการกองพัสดุและทรัพย์สิน", "0934481212"),
     ("นางสาวเยาวลักษณ์ คำปัน", "นักวิชาการพัสดุชำนาญการ", "0651181313")),
    (("นายวิโรจน์ ศักดิ์สูง", "ผู้อำนวยการกองช่าง", "0829971414"),
     ("นายอำนาจ แก้วประเสริฐ", "วิศวกรโยธาชำนาญการ", "0903371515")),
    (("นางมยุรี สุวรรณ", "ผู้อำนวยการกองการศึกษา ศาสนาและวัฒนธรรม", "0866651616"),
     ("นายเอกชัย ทองดี", "นักวิชาการศึกษาชำนาญการ", "0958851717")),
    (("นางสาวรุ่งนภา จันทร์หอม", "ผู้อำนวยการกองสาธารณสุข", "0817781818"),
     ("นายภานุวัฒน์ ชมภู", "นักวิชาการสาธารณสุขชำนาญการ", "0896621919")),
    (("นายธีรวัฒน์ กาศเกษม", "นักวิชาการคอมพิวเตอร์ชำนาญการ", "0864432020"),
     ("นางสาวปิยะนุช ศรีมา", "เจ้าพนักงานเครื่องคอมพิวเตอร์ชำนาญงาน", "0939912121")),
]  # fmt: skip

HUATHUNG_TEAM = [  # only the leader and the coordinator are named so far
    (("นายทองดี ทุ่งทอง", "นายกองค์การบริหารส่วนตำบลหัวทุ่ง", "0819930101"),
     ("นางมาลี หัวทุ่ง", "ปลัดองค์การบริหารส่วนตำบลหัวทุ่ง", "0892240202")),
    (("นายสมบัติ ลองดี", "หัวหน้าสำนักปลัด", "0867750303"), None),
]  # fmt: skip

CHOHAE_TEAM = [  # only the leader
    (("นายบุญเลิศ ช่อแฮ", "นายกเทศมนตรีตำบลช่อแฮ", "0813360101"),
     ("นางสายสุนีย์ คำปวน", "ปลัดเทศบาลตำบลช่อแฮ", "0894470202")),
]  # fmt: skip

EPIDEMIC_REVIEW = {
    "key_person_cover": "ผู้ปฏิบัติงานสำรองของแต่ละกองปฏิบัติงานแทนตามตารางที่ 2 หากทั้งกองต้องกักตัว "
    "ให้สำนักปลัดจัดบุคลากรที่ผ่านการฝึกข้ามสายงานจากกองอื่นมาปฏิบัติงานแทน",
    "work_from_home": True,
    "split_teams": True,
    "remote_work_notes": "แบ่งทีม A/B สลับสัปดาห์ ทีมที่ปฏิบัติงานจากที่พักใช้โน้ตบุ๊กของหน่วยงานและเข้าระบบ e-LAAS "
    "และระบบสารบรรณอิเล็กทรอนิกส์ผ่านอินเทอร์เน็ต หัวหน้าส่วนราชการอนุมัติตารางรายสัปดาห์",
    "document_channels": ["edoc", "email", "dropbox", "line"],
    "channels_announced": True,
    "online_meetings": True,
    "e_approval": True,
    "meetings_notes": "ประชุมสภาและคณะกรรมการผ่านระบบประชุมออนไลน์ตามพระราชกำหนดว่าด้วยการประชุมผ่านสื่ออิเล็กทรอนิกส์ "
    "พ.ศ. 2563 ลงนามและสั่งการผ่านระบบสารบรรณอิเล็กทรอนิกส์",
    "hygiene_measures": True,
    "distancing": True,
    "hygiene_notes": "คัดกรองอุณหภูมิ ทุกคนสวมหน้ากาก วางเจลแอลกอฮอล์ทุกจุดบริการ เว้นระยะ 1.5 เมตร "
    "และทำความสะอาดจุดสัมผัสร่วมทุก 2 ชั่วโมง",
    "horizon_notes": "สมมติฐานเหตุการณ์ยืดเยื้อ 60 วัน หมุนเวียนทีม A/B ต่อเนื่อง ให้บริการผ่านช่องทางออนไลน์ "
    "และประเมินสถานการณ์ทุก 2 สัปดาห์",
}

RISKS = [  # (scenario kind, risk, likelihood, impact, response)
    ("haze", "หมอกควันและ PM2.5 เกินมาตรฐานต่อเนื่องในฤดูแล้ง", 5, 3,
     "จัดห้องปลอดฝุ่น แจกหน้ากาก N95 แก่บุคลากรภาคสนาม และลดงานกลางแจ้งในวันที่ค่าฝุ่นสูง"),
    ("flood", "น้ำจากแม่น้ำยมล้นตลิ่งเข้าท่วมชุมชนริมน้ำและเส้นทางเข้าสำนักงาน", 4, 4,
     "ติดตามระดับน้ำ ย้ายเอกสารและครุภัณฑ์ขึ้นที่สูง และเตรียมสถานที่ปฏิบัติงานสำรอง"),
    ("epidemic", "โรคติดต่ออุบัติใหม่ระบาดยืดเยื้อ บุคลากรต้องกักตัวพร้อมกัน", 3, 5,
     "แบ่งทีม A/B ปฏิบัติงานจากที่พัก และให้บริการผ่านช่องทางออนไลน์"),
    ("fire", "ไฟฟ้าลัดวงจรในอาคารสำนักงาน", 2, 4, "ตรวจระบบไฟฟ้าและถังดับเพลิงทุก 6 เดือน และสำรองข้อมูลนอกสำนักงาน"),
]  # fmt: skip

UNDECIDED = ["จัดเก็บภาษีป้าย", "พิจารณาอนุญาตก่อสร้าง ดัดแปลง รื้อถอนอาคาร"]

FOREWORD = (
    "{org} ได้จัดทำแผนดำเนินธุรกิจอย่างต่อเนื่องฉบับนี้ เพื่อเป็นแนวทางให้ผู้บริหารและบุคลากรใช้ในการรับมือ"
    "กับสภาวะวิกฤต ทั้งอุทกภัย อัคคีภัย โรคระบาด การชุมนุมประท้วง หมอกควัน และภัยคุกคามทางไซเบอร์ "
    "หวังเป็นอย่างยิ่งว่าแผนนี้จะช่วยให้การให้บริการประชาชนดำเนินไปได้อย่างต่อเนื่อง"
)


def load_demo_plans(ctx) -> str:
    """The demo plans (see the module docstring). Skips every organization that already has a plan."""
    created = []
    site_admin = ctx.users.get("admin")

    phrae = ctx.org("lgo:4540102")
    if not Plan.objects.filter(org=phrae).exists():
        plan = start_from_template(phrae, by=ctx.users["phrae.planner"])
        name_team(plan, PHRAE_TEAM)
        finish(plan)
        # Its public-service processes point at the e-service catalogue (created if needed), before the
        # approval freezes the plan.
        from eservices.demo import link_plan

        link_plan(plan)
        lifecycle.approve(plan, by=ctx.users["phrae.approver"])
        created.append(phrae.short_name_th or phrae.name_th)

    pao = ctx.org("lgo:2540101")
    approver = pao_approver(ctx, pao)
    if not Plan.objects.filter(org=pao).exists():
        plan = start_from_template(pao, by=approver)
        name_team(plan, PAO_TEAM)
        finish(plan)
        lifecycle.approve(plan, by=approver)
        created.append(pao.short_name_th or pao.name_th)

    huathung = ctx.org("lgo:6540307")
    if not Plan.objects.filter(org=huathung).exists():
        plan = start_from_template(huathung, by=ctx.users["huathung.planner"])
        name_team(plan, HUATHUNG_TEAM)
        # Still to decide: how fast the tax and building-permit work must be back.
        Process.objects.filter(plan=plan, name__in=UNDECIDED).update(rto="", mtpd="")
        created.append(huathung.short_name_th or huathung.name_th)

    chohae = ctx.org("lgo:5540103")
    if not Plan.objects.filter(org=chohae).exists():
        plan = start_from_template(chohae, by=site_admin)
        name_team(plan, CHOHAE_TEAM)
        created.append(chohae.short_name_th or chohae.name_th)

    if not created:
        return "แผนตัวอย่าง / demo plans: already there"
    return f"แผนตัวอย่าง / demo plans: {', '.join(created)}"


def pao_approver(ctx, pao):
    """The demo approver of อบจ.แพร่ (not in orgs.demo.DEMO_USERS): created once, password set once."""
    from accounts.models import User
    from orgs.demo import DEMO_PASSWORD
    from orgs.management.commands.load_demo import DEMO_EMAIL_DOMAIN

    username, full_name, position = PAO_APPROVER
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(
            username=username,
            full_name=full_name,
            email=f"{username}@{DEMO_EMAIL_DOMAIN}",
            phone="0815420101",
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
    add_member(pao, user, Role.APPROVER, position=position)
    ctx.users[username] = user
    return user


def name_team(plan: Plan, people: list) -> None:
    """Put real people in place of the template's placeholders, role by role (template order)."""
    roles = list(TeamRole.objects.filter(plan=plan).order_by("order", "id"))
    contacts = Contact.objects.in_bulk([pk for r in roles for pk in (r.primary_id, r.backup_id) if pk])
    changed = []
    for role, pair in zip(roles, people, strict=False):
        for contact_id, person in zip((role.primary_id, role.backup_id), pair, strict=True):
            if person is None or contact_id not in contacts:
                continue
            contact = contacts[contact_id]
            contact.name, contact.position, contact.phone = person
            contact.notes = ""
            changed.append(contact)
    Contact.objects.bulk_update(changed, ["name", "position", "phone", "notes"])


def finish(plan: Plan) -> None:
    """What a planner adds after the template: foreword, risks, and the prolonged-epidemic review."""
    PlanText.objects.create(
        plan=plan, key=TextSection.FOREWORD, text=FOREWORD.format(org=plan.org.name_th), order=3
    )
    scenarios = {s.kind: s for s in Scenario.objects.filter(plan=plan)}
    Risk.objects.bulk_create(
        [
            Risk(plan=plan, scenario=scenarios.get(kind), name=name, likelihood=likelihood, severity=severity,
                 response=response, order=i)
            for i, (kind, name, likelihood, severity, response) in enumerate(RISKS, 1)
        ]
    )  # fmt: skip
    Plan.objects.filter(pk=plan.pk).update(
        epidemic_review=EPIDEMIC_REVIEW, epidemic_reviewed_at=timezone.now()
    )
    plan.refresh_from_db()
