"""The prolonged-epidemic review: what OPDC asked every agency to check in its BCP in 2020.

After the cabinet resolution of 31 March 2563 OPDC asked agencies to review their plans for an
epidemic that lasts for months (see ../shared/spec/opdc-bcp.md §4): how many staff may be absent,
work from home and split teams that never meet, e-services and temporary document channels for
every public service, online meetings and e-approval, hygiene at service points, and a horizon
beyond 30 days. The review walks through these one topic a screen.

The answers are the plan's own data: structured assumptions go to Plan.absence_percent and
Plan.longest_outage_days, the channel of each public-service process is edited on the process
itself (ตารางที่ 3), suggestions become rows of ตารางที่ 9 or §9, and the remaining answers go to
Plan.epidemic_review under the keys defined in EPIDEMIC_TOPICS. Every write goes through
plans.actions, so drafts only, optimistic locking and the audit trail apply as in the editor.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plans import actions
from plans.models import (
    ChannelType,
    Mission,
    Phase,
    Plan,
    ProcedureStep,
    Process,
    ResourceType,
    Scenario,
    ScenarioKind,
    Strategy,
)

BOOL, TEXT, MULTI = "bool", "text", "multi"


@dataclass(frozen=True)
class Question:
    """One answer kept in Plan.epidemic_review[key]."""

    key: str
    label: str
    kind: str = BOOL  # BOOL: yes / no / not answered; TEXT: free text; MULTI: list of choice values
    help: str = ""
    choices: tuple = ()


@dataclass(frozen=True)
class Suggestion:
    """A row the review offers to add to the plan (its text is plan content, hence Thai)."""

    model: type
    values: dict


@dataclass(frozen=True)
class Topic:
    key: str
    title: str
    guidance: str  # what the 2020 guideline asked, in one or two sentences
    questions: tuple[Question, ...] = ()
    plan_fields: tuple[str, ...] = ()  # Plan fields edited on this screen
    suggestions: tuple[Suggestion, ...] = ()
    channels: bool = False  # the screen edits the channel of each public-service process
    summary: bool = False  # the last screen: answers so far, and "finish the review"


DOCUMENT_CHANNELS = (
    ChannelType.EDOC,
    ChannelType.EMAIL,
    ChannelType.DROPBOX,
    ChannelType.POST,
    ChannelType.LINE,
)

PERSONNEL_SUGGESTIONS = tuple(
    Suggestion(Strategy, {"resource_type": ResourceType.PERSONNEL, "text": text})
    for text in (
        "แบ่งบุคลากรเป็น 2 ทีม (ทีม A และทีม B) สลับกันปฏิบัติงานที่สำนักงานและที่บ้าน โดยทั้งสองทีมไม่พบกัน",
        "ให้บุคลากรปฏิบัติงานจากที่บ้าน (Work from Home) สำหรับงานที่ทำผ่านระบบออนไลน์ได้",
        "กำหนดผู้ปฏิบัติงานสำรองและฝึกปฏิบัติงานทดแทนกันในทุกกระบวนการที่สำคัญ",
        "คัดกรองอาการบุคลากรทุกวัน และกำหนดแนวทางกักตัว 14 วันเมื่อสัมผัสผู้ติดเชื้อ",
    )
)
LONG_TERM_SUGGESTIONS = tuple(
    Suggestion(ProcedureStep, {"phase": Phase.LONG, "text": text})
    for text in (
        "จัดตารางหมุนเวียนการปฏิบัติงานของทีม A และทีม B ต่อเนื่องเกินกว่า 30 วัน",
        "ให้บริการประชาชนผ่านช่องทางอิเล็กทรอนิกส์อย่างต่อเนื่อง และประชาสัมพันธ์ช่องทางให้ประชาชนทราบเป็นระยะ",
        "ทบทวนสถานการณ์ ทรัพยากร และความพร้อมของบุคลากรทุก 2 สัปดาห์ และปรับแผนตามสถานการณ์",
        "จัดหาหน้ากากอนามัย เจลแอลกอฮอล์ และวัสดุป้องกันการติดเชื้อสำรองให้เพียงพอในระยะยาว",
    )
)

# The review, screen by screen. The answer keys below are the only keys of Plan.epidemic_review.
EPIDEMIC_TOPICS: tuple[Topic, ...] = (
    Topic(
        "absence",
        _("Staff absence"),
        _(
            "Plan for many staff being unable to work at once, for weeks: an infected colleague can "
            "send a whole unit into 14 days of quarantine."
        ),
        questions=(
            Question(
                "key_person_cover", _("If a key person and their unit must quarantine, who takes over?"), TEXT
            ),
        ),
        plan_fields=("absence_percent", "longest_outage_days"),
    ),
    Topic(
        "remote_work",
        _("Work from home and split teams"),
        _(
            "Work that can be done from home should be, and the staff who must come in should work "
            "in two teams (A and B) that never meet, so that one infection cannot stop the service."
        ),
        questions=(
            Question("work_from_home", _("Can staff work from home for the work that allows it?")),
            Question("split_teams", _("Are staff split into teams (A/B) that never meet?")),
            Question("remote_work_notes", _("How it works (equipment, rota, who decides)"), TEXT),
        ),
        suggestions=PERSONNEL_SUGGESTIONS,
    ),
    Topic(
        "channels",
        _("E-services and document channels"),
        _(
            "Every public service needs a way for citizens to use it without coming to the office, "
            "announced to the public, and documents need temporary channels instead of visits."
        ),
        questions=(
            Question(
                "document_channels",
                _("Temporary channels for sending and receiving documents"),
                MULTI,
                choices=DOCUMENT_CHANNELS,
            ),
            Question("channels_announced", _("Are the alternative channels announced to the public?")),
        ),
        channels=True,
    ),
    Topic(
        "meetings",
        _("Online meetings and e-approval"),
        _("Meetings and approvals should not need people in one room or papers carried from desk to desk."),
        questions=(
            Question("online_meetings", _("Can meetings (including the council's) be held online?")),
            Question("e_approval", _("Can documents be signed and approved electronically?")),
            Question("meetings_notes", _("Systems used and their limits"), TEXT),
        ),
    ),
    Topic(
        "hygiene",
        _("Hygiene at service points"),
        _("Where citizens still come in, the service point must protect them and the staff."),
        questions=(
            Question("hygiene_measures", _("Are there screening, masks and hand gel at the service points?")),
            Question("distancing", _("Are queues and counters arranged for distancing?")),
            Question("hygiene_notes", _("Measures at the service points"), TEXT),
        ),
    ),
    Topic(
        "horizon",
        _("Beyond 30 days"),
        _(
            "An epidemic lasts for months, not days: the plan needs long-term steps (beyond 30 days) "
            "such as rotation schedules, sustained e-services and periodic re-assessment."
        ),
        questions=(Question("horizon_notes", _("How the organization keeps going for months"), TEXT),),
        suggestions=LONG_TERM_SUGGESTIONS,
    ),
    Topic(
        "summary",
        _("Summary"),
        _("Check the answers, then mark the review as done. You can come back and change them later."),
        summary=True,
    ),
)

QUESTIONS: dict[str, Question] = {q.key: q for t in EPIDEMIC_TOPICS for q in t.questions}


def topic_at(step: int) -> Topic:
    """The topic of screen `step` (1-based), clamped to the first and last screens."""
    return EPIDEMIC_TOPICS[min(max(step, 1), len(EPIDEMIC_TOPICS)) - 1]


def public_service_processes(plan: Plan) -> list[Process]:
    """The processes of ตารางที่ 3 whose channel the review asks about (public-service missions)."""
    return list(Process.objects.filter(plan=plan, mission=Mission.PUBLIC_SERVICE).order_by("order", "id"))


def epidemic_scenario(plan: Plan) -> Scenario | None:
    return Scenario.objects.filter(plan=plan, kind=ScenarioKind.EPIDEMIC).order_by("order", "id").first()


def open_suggestions(plan: Plan, topic: Topic) -> list[tuple[int, Suggestion]]:
    """(index, suggestion) for the topic's suggestions whose text is not in the plan yet."""
    out = []
    for i, s in enumerate(topic.suggestions):
        group = {k: v for k, v in s.values.items() if k != "text"}
        if not s.model.objects.filter(plan=plan, text=s.values["text"], **group).exists():
            out.append((i, s))
    return out


def long_term_steps(plan: Plan) -> int:
    return ProcedureStep.objects.filter(plan=plan, phase=Phase.LONG).count()


@dataclass
class ChannelChange:
    process: Process
    expected_version: int
    channel_type: str
    channel_detail: str


@dataclass
class StepResult:
    plan: Plan
    added: list = field(default_factory=list)
    processes_changed: int = 0


@transaction.atomic
def save_step(
    plan: Plan,
    topic: Topic,
    *,
    by,
    expected_version: int,
    answers: dict | None = None,
    plan_values: dict | None = None,
    channels: list[ChannelChange] = (),
    add: list[int] = (),
    request=None,
) -> StepResult:
    """Save one screen: its answers and plan fields, the processes' channels, the chosen suggestions.

    All or nothing: a RowConflict on any process (someone edited it meanwhile) or on the plan
    undoes the whole screen. Unchanged values are not written (going back and forth leaves no trace).
    """
    answers = {k: v for k, v in (answers or {}).items() if k in {q.key for q in topic.questions}}
    plan_values = {k: v for k, v in (plan_values or {}).items() if k in topic.plan_fields}
    review = dict(plan.epidemic_review or {})
    empty = (None, "", [])
    changed_answers = {
        k: v for k, v in answers.items() if review.get(k) != v and not (v in empty and review.get(k) in empty)
    }
    changed_fields = {k: v for k, v in plan_values.items() if getattr(plan, k) != v}
    if changed_answers or changed_fields:
        values = dict(changed_fields)
        if changed_answers:
            values["epidemic_review"] = {**review, **changed_answers}
        plan = actions.update_plan(
            plan, expected_version=expected_version, values=values, by=by, request=request
        )
    result = StepResult(plan)
    for change in channels:
        p = change.process
        if (p.channel_type, p.channel_detail) == (change.channel_type, change.channel_detail):
            continue
        actions.update_row(
            p,
            expected_version=change.expected_version,
            values={"channel_type": change.channel_type, "channel_detail": change.channel_detail},
            by=by,
            request=request,
        )
        result.processes_changed += 1
    if add:
        offered = dict(open_suggestions(plan, topic))
        scenario = epidemic_scenario(plan)
        for i in add:
            s = offered.get(i)
            if s is None:  # already in the plan (a second click) or not offered
                continue
            result.added.append(
                actions.add_row(
                    plan, s.model, values={**s.values, "scenario": scenario}, by=by, request=request
                )
            )
    return result


def finish_review(plan: Plan, *, by, expected_version: int, request=None) -> Plan:
    """Mark the review as done (Plan.epidemic_reviewed_at)."""
    return actions.update_plan(
        plan, expected_version=expected_version, values={"epidemic_reviewed_at": timezone.now()}, by=by,
        request=request,
    )  # fmt: skip


def answered(plan: Plan) -> list[tuple[Topic, list[tuple[Question, object]]]]:
    """Every topic with its questions and the plan's answers (None when not answered), for the summary."""
    review = plan.epidemic_review or {}

    def shown(q: Question, value):
        if q.kind == MULTI and isinstance(value, list):
            labels = {c.value: str(c.label) for c in q.choices}
            return [labels.get(v, v) for v in value]
        return value

    return [
        (t, [(q, shown(q, review.get(q.key))) for q in t.questions]) for t in EPIDEMIC_TOPICS if not t.summary
    ]
