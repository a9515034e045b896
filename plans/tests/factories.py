"""Plans for tests and benchmarks: complete (no checker errors), small or large.

    plan = make_complete_plan(cast.lgo, by=cast.planner)      # 4 processes, 7 people, 10 steps
    plan = make_large_plan(cast.lgo, by=cast.planner)         # 60 processes, 80 people, 200 steps

Both build a draft through plans.actions.create_plan, then insert the rows with bulk_create (a
handful of queries per table, whatever the size). Both pass plans.checks.run_checks with zero
errors and zero warnings; tests break one thing at a time.

Shape of the plan (what tests can rely on):
- four core scenarios in scope (flood, fire, epidemic, protest); the large plan adds cyber and
  haze. ตารางที่ 1: flood and fire hit building, equipment and IT; the epidemic hits personnel and
  partners; the protest hits building and personnel (cyber: IT; haze: personnel);
- internal people in pairs: role i has person 2i as primary and 2i+1 as backup (role 0 is the
  team leader, role 1 the coordinator); an odd last person is in the call tree only; external
  contacts (police 191, 1669, the PEA office) are not in the team;
- the call tree holds every internal person once: person 0 at the root, person i called by
  person (i - 1) // 3;
- processes alternate general / public-service missions; public-service ones have a channel;
  RTO and impact agree, MTPD ≥ RTO, dependencies only on processes with the same RTO;
- resources of all five types, non-decreasing, with personnel feasible at 30 % absence;
  one strategy per resource type for all scenarios;
- steps: each phase has steps for all scenarios, and the epidemic has its own long-term steps;
  every step has a responsible role.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from plans.actions import create_plan
from plans.models import (
    Annex,
    CallTreeNode,
    Contact,
    ContactKind,
    ListItem,
    ListSection,
    Phase,
    Plan,
    PlanText,
    ProcedureStep,
    Process,
    Resource,
    ResourceType,
    RevisionEntry,
    Risk,
    Scenario,
    ScenarioKind,
    Strategy,
    TeamRole,
    TextSection,
)

B, E, IT, P, PT = "building", "equipment", "it_data", "personnel", "partners"
SCENARIOS = [  # kind, name, resource types hit
    (ScenarioKind.FLOOD, "อุทกภัย", (B, E, IT)),
    (ScenarioKind.FIRE, "อัคคีภัย", (B, E, IT)),
    (ScenarioKind.EPIDEMIC, "โรคระบาด/โรคติดต่ออุบัติใหม่", (P, PT)),
    (ScenarioKind.PROTEST, "ชุมนุมประท้วง/จลาจล", (B, P)),
]
EXTRA_SCENARIOS = [
    (ScenarioKind.CYBER, "ภัยคุกคามทางไซเบอร์/ระบบสารสนเทศล่ม", (IT,)),
    (ScenarioKind.HAZE, "หมอกควัน/PM2.5", (P,)),
]
ROLE_TITLES = [
    "หัวหน้าทีมบริหารความต่อเนื่อง",
    "ผู้ประสานงานทีมบริหารความต่อเนื่อง",
    "หัวหน้าทีมงานกองคลัง",
    "หัวหน้าทีมงานกองช่าง",
    "หัวหน้าทีมงานกองการศึกษา",
    "หัวหน้าทีมงานกองสาธารณสุขและสิ่งแวดล้อม",
    "หัวหน้าทีมงานกองสวัสดิการสังคม",
    "ทีมงานสารสนเทศ",
]
UNITS = ["สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา", "กองสาธารณสุขและสิ่งแวดล้อม", "กองสวัสดิการสังคม"]
FIRST_NAMES = ["สมชาย", "สมหญิง", "วิชัย", "มาลี", "ประเสริฐ", "สุดา", "อนันต์", "จันทร์เพ็ญ", "ชาญ", "พรทิพย์"]
# (name, mission, impact, rto, mtpd, channel type, channel detail)
PROCESSES = [
    ("งานสารบรรณและระบบสารบรรณอิเล็กทรอนิกส์", "general", "high", "d1", "w1", "", ""),
    ("จ่ายเบี้ยยังชีพผู้สูงอายุและคนพิการ", "public_service", "very_high", "d1", "w1", "line", "@padaeng-sao"),
    ("เบิกจ่ายงบประมาณผ่านระบบ e-LAAS", "general", "very_high", "d1", "w1", "", ""),
    ("จัดเก็บภาษีที่ดินและสิ่งปลูกสร้าง", "public_service", "medium", "w1", "m1", "web", "https://padaeng.example/tax"),
    ("จัดซื้อจัดจ้างผ่านระบบ e-GP", "general", "high", "w1", "w2", "", ""),
    (
        "อนุญาตก่อสร้าง ดัดแปลง รื้อถอนอาคาร",
        "public_service",
        "medium",
        "w1",
        "m1",
        "email",
        "saraban@padaeng.example",
    ),
    ("ป้องกันและบรรเทาสาธารณภัย", "general", "very_high", "h4", "d1", "", ""),
    ("รับเรื่องร้องทุกข์", "public_service", "high", "d1", "w1", "phone", "054 000 001"),
    ("บริหารงานบุคคลและเงินเดือน", "general", "low", "w2", "m1", "", ""),
    ("เก็บขยะมูลฝอย", "public_service", "high", "w1", "w2", "facebook", "fb.com/padaeng"),
]
RESOURCES = {  # type -> (name, measure, quantities per window)
    B: ("พื้นที่ปฏิบัติงานสำรอง", "ที่นั่ง", (5, 10, 20, 25, 30)),
    E: ("เครื่องคอมพิวเตอร์โน้ตบุ๊ก", "เครื่อง", (2, 4, 8, 10, 12)),
    IT: ("ระบบ e-LAAS และข้อมูลสำรอง", "ระบบ", (1, 1, 1, 1, 1)),
    P: ("บุคลากร", "คน", (2, 3, 5, 8, 10)),
    PT: ("การไฟฟ้าส่วนภูมิภาค", "ราย", (1, 1, 1, 1, 1)),
}
STRATEGIES = {
    B: "ย้ายไปปฏิบัติงานที่หอประชุมหมู่บ้าน หรือปฏิบัติงานจากที่บ้าน",
    E: "ยืมวัสดุอุปกรณ์จากหน่วยงานใกล้เคียง หรือเช่าชั่วคราว",
    IT: "สำรองข้อมูลนอกสถานที่และบนระบบคลาวด์ทุกวัน ใช้ VPN",
    P: "กำหนดผู้ปฏิบัติงานสำรอง ฝึกข้ามสายงาน แบ่งทีม A/B",
    PT: "มีรายชื่อผู้ให้บริการสำรองและข้อมูลติดต่อที่เป็นปัจจุบัน",
}
STEPS = {
    Phase.IMMEDIATE: "แจ้งหัวหน้าทีม ประเมินสถานการณ์ และเริ่มแผนผังการติดต่อ",
    Phase.SHORT: "ย้ายไปสถานที่สำรองหรือปฏิบัติงานจากที่บ้าน กู้คืนระบบสารสนเทศที่สำคัญ",
    Phase.MEDIUM: "กลับมาให้บริการกระบวนการที่เหลือ จัดหาทรัพยากรทดแทน",
    Phase.LONG: "ทบทวนสถานการณ์และปรับแผนทุกเดือน",
}
EPIDEMIC_LONG_STEP = "หมุนเวียนบุคลากรแบ่งทีม A/B และให้บริการผ่านช่องทางออนไลน์ต่อเนื่อง"


def make_complete_plan(org, *, by, title: str = "") -> Plan:
    """A small draft plan that passes every check: 4 processes, 3 roles, 7 people, 10 steps."""
    return _build(org, by=by, title=title, processes=4, people=7, steps=10, scenarios=SCENARIOS)


def make_large_plan(org, *, by, processes: int = 60, people: int = 80, steps: int = 200) -> Plan:
    """A large draft plan that passes every check (60 processes, 80 people, 200 steps by default)."""
    return _build(
        org, by=by, title="", processes=processes, people=people, steps=steps,
        scenarios=SCENARIOS + EXTRA_SCENARIOS,
    )  # fmt: skip


def _build(org, *, by, title, processes, people, steps, scenarios) -> Plan:
    assert people >= 4 and processes >= 2 and steps >= 5, "too small to pass the checks"
    plan = create_plan(org, by=by, title=title)
    Plan.objects.filter(pk=plan.pk).update(
        absence_percent=30,
        longest_outage_days=60,
        alternate_site="หอประชุมหมู่บ้านป่าแดง หมู่ 1",
        next_review_date=dt.date(2026, 9, 30),
        epidemic_reviewed_at=timezone.now(),
        epidemic_review={"eservices": "เปิดรับคำขอผ่าน LINE และเว็บไซต์", "split_teams": True},
    )
    plan.refresh_from_db()

    ListItem.objects.bulk_create(
        [
            ListItem(plan=plan, section=ListSection.OBJECTIVES, order=1,
                     text="เพื่อให้บริการประชาชนที่สำคัญดำเนินต่อไปได้ในภาวะวิกฤต"),
            ListItem(plan=plan, section=ListSection.OBJECTIVES, order=2,
                     text="เพื่อลดผลกระทบต่อบุคลากรและประชาชน"),
            ListItem(plan=plan, section=ListSection.ASSUMPTIONS, order=1,
                     text="ข้อมูลสำคัญได้รับการสำรองไว้นอกสถานที่ทุกวัน"),
            ListItem(plan=plan, section=ListSection.ASSUMPTIONS, order=2,
                     text="บุคลากรไม่สามารถมาปฏิบัติงานได้พร้อมกันไม่เกินร้อยละ 30"),
        ]
    )  # fmt: skip
    PlanText.objects.create(
        plan=plan, key=TextSection.INTRODUCTION, text="แผนนี้จัดทำตามมติคณะรัฐมนตรี 31 มีนาคม 2563"
    )

    scenario_rows = Scenario.objects.bulk_create(
        [
            Scenario(
                plan=plan,
                kind=kind,
                name=name,
                order=i + 1,
                impacts={t: {"hit": t in hit, "note": ""} for t in ResourceType.values},
            )  # fmt: skip
            for i, (kind, name, hit) in enumerate(scenarios)
        ]
    )
    epidemic = next(s for s in scenario_rows if s.kind == ScenarioKind.EPIDEMIC)

    # People: internal staff with mobiles (0800000000 + i), then external contacts.
    internal = Contact.objects.bulk_create(
        [
            Contact(
                plan=plan,
                kind=ContactKind.INTERNAL,
                order=i + 1,
                name=f"{FIRST_NAMES[i % len(FIRST_NAMES)]} ทดสอบ{i + 1}",
                position="ปลัด อบต." if i == 0 else "เจ้าหน้าที่",
                unit=UNITS[(i // 2) % len(UNITS)],
                phone=f"08{i:08d}",
                email=f"person{i}@example.test",
            )  # fmt: skip
            for i in range(people)
        ]
    )
    Contact.objects.bulk_create(
        [
            Contact(plan=plan, kind=ContactKind.EXTERNAL, order=1, name="สถานีตำรวจภูธรเมืองแพร่", phone="191"),
            Contact(plan=plan, kind=ContactKind.EXTERNAL, order=2, name="หน่วยแพทย์ฉุกเฉิน", phone="1669"),
            Contact(plan=plan, kind=ContactKind.EXTERNAL, order=3, name="การไฟฟ้าส่วนภูมิภาคจังหวัดแพร่",
                    phone="054 511 411"),
        ]
    )  # fmt: skip

    roles = TeamRole.objects.bulk_create(
        [
            TeamRole(
                plan=plan,
                order=i + 1,
                title=ROLE_TITLES[i] if i < len(ROLE_TITLES) else f"ทีมงาน {UNITS[i % len(UNITS)]} ชุดที่ {i}",
                primary=internal[2 * i],
                backup=internal[2 * i + 1],
                duties="สั่งการและตัดสินใจ" if i == 0 else "ประสานงานและดำเนินการตามแผนในหน่วยงาน",
            )  # fmt: skip
            for i in range(people // 2)
        ]
    )

    # Call tree: person i is called by person (i - 1) // 3; created level by level (parents first).
    nodes: dict[int, CallTreeNode] = {}
    level = [0]
    while level:
        created = CallTreeNode.objects.bulk_create(
            [
                CallTreeNode(
                    plan=plan,
                    contact=internal[i],
                    order=i + 1,
                    parent=nodes[(i - 1) // 3] if i else None,
                    backup=internal[(i - 1) // 3] if i else None,
                )  # fmt: skip
                for i in level
            ]
        )
        nodes.update(zip(level, created, strict=True))
        level = [c for i in level for c in range(3 * i + 1, 3 * i + 4) if c < people]

    process_rows = Process.objects.bulk_create([_process(plan, i, processes) for i in range(processes)])
    # Each process depends on the one with the same profile before it (the same RTO).
    through = Process.depends_on.through
    through.objects.bulk_create(
        [
            through(from_process_id=process_rows[i].pk, to_process_id=process_rows[i - len(PROCESSES)].pk)
            for i in range(len(PROCESSES), processes)
        ]
        + (
            [through(from_process_id=process_rows[1].pk, to_process_id=process_rows[2].pk)]
            if processes > 2
            else []
        )
    )

    resources = []
    per_type = max(1, processes // 6)
    for t, (name, measure, quantities) in RESOURCES.items():
        for k in range(per_type):
            q = [v * (k + 1) for v in quantities]
            resources.append(
                Resource(
                    plan=plan,
                    resource_type=t,
                    order=k + 1,
                    name=name if k == 0 else f"{name} ({k + 1})",
                    measure=measure,
                    process=process_rows[k % processes],
                    q_h4=q[0],
                    q_d1=q[1],
                    q_w1=q[2],
                    q_w2=q[3],
                    q_m1=q[4],
                )  # fmt: skip
            )
    Resource.objects.bulk_create(resources)
    Strategy.objects.bulk_create(
        [Strategy(plan=plan, resource_type=t, order=1, text=text) for t, text in STRATEGIES.items()]
    )

    step_rows = []
    for i in range(steps):
        phase = Phase.values[i % 4]
        if i < 4:
            scenario, text = None, STEPS[phase]
        elif i == 4:
            phase, scenario, text = Phase.LONG, epidemic, EPIDEMIC_LONG_STEP
        else:
            scenario = scenario_rows[i % len(scenario_rows)]
            text = f"{STEPS[phase]} ({scenario.name}) ขั้นที่ {i}"
        step_rows.append(
            ProcedureStep(
                plan=plan,
                phase=phase,
                scenario=scenario,
                order=i + 1,
                text=text,
                responsible=roles[i % len(roles)],
            )  # fmt: skip
        )
    ProcedureStep.objects.bulk_create(step_rows)

    Risk.objects.bulk_create(
        [
            Risk(plan=plan, scenario=s, order=i + 1, name=f"ความเสี่ยงจาก{s.name}", likelihood=1 + i % 5,
                 severity=5 - i % 5, response="ลดความเสี่ยงตามแผน")
            for i, s in enumerate(scenario_rows)
        ]
    )  # fmt: skip
    Annex.objects.create(plan=plan, order=1, title="รายละเอียดสถานที่ปฏิบัติงานสำรอง", text="หอประชุมหมู่บ้าน")
    RevisionEntry.objects.create(
        plan=plan, order=1, label="1", date=dt.date(2025, 10, 1), reviewer="ปลัด อบต."
    )
    return plan


def _process(plan, i: int, total: int) -> Process:
    name, mission, impact, rto, mtpd, channel_type, channel_detail = PROCESSES[i % len(PROCESSES)]
    if total > len(PROCESSES):
        name = f"{name} ({i + 1})"
    return Process(
        plan=plan, order=i + 1, name=name, unit=UNITS[i % len(UNITS)], mission=mission, impact=impact,
        rto=rto, mtpd=mtpd, channel_type=channel_type, channel_detail=channel_detail,
        mbco="ให้บริการได้อย่างน้อยร้อยละ 50", it_systems="e-LAAS" if mission == "general" else "",
    )  # fmt: skip
