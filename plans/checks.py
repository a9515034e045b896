"""The plan checker: completeness and consistency rules over a whole plan, and a readiness score.

    result = run_checks(plan)            # or run_checks(load_bundle(plan)): no further queries
    result.errors                        # errors block approval (plans.lifecycle.approve)
    result.warnings
    result.score, result.section_scores  # 0–100
    result.explain()                     # which rules cost points, and how many

Each rule is a small function over the loaded plan, registered in RULES with its id, severity,
section (the editor's section keys), title, points and documentation (why it matters and what to
do). A rule yields findings; each finding becomes an Issue with a translated message that says
what to do, and an anchor into the editor: ``<section>-<model>-<row id>[-<field>]`` for a row or
a field (the plan's own fields use the model name ``plan``), or, when the finding is about
something missing, the editor's table it belongs in: ``tbl-<section>-<table key>`` (e.g.
``tbl-resources-personnel``, ``tbl-procedures-long``, ``tbl-team-roles``; see plans/sections.py).

The score: every rule is worth its points; a rule that fires (once or many times) loses all of
them. The overall score and each section's score are the share of points kept, 0–100. While any
error remains the overall score is capped at ERROR_CAP: a plan that cannot be approved is never
shown as nearly ready.
docs/checks.md is generated from RULES by rules_markdown() (a test keeps it in step).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phrom.lib.thai import is_valid_thai_phone, normalize_phone
from plans.bundle import PlanBundle, load_bundle
from plans.models import (
    CORE_SCENARIOS,
    WINDOW_HOURS,
    Impact,
    ListSection,
    Mission,
    Phase,
    Plan,
    Process,
    ResourceType,
    ScenarioKind,
    Window,
)

ERROR, WARNING = "error", "warning"

# The editor's section keys, in the editor's order.
SECTIONS = (
    "general", "objectives", "assumptions", "scope", "impact", "contacts", "team", "calltree", "bia",
    "resources", "strategies", "procedures", "optional", "annexes", "history",
)  # fmt: skip

PLACEHOLDER_PREFIX = "ระบุ"  # "specify …": what templates leave for the planner to replace
# A role title containing one of these is the team leader (หัวหน้าทีมบริหารความต่อเนื่อง).
LEADER_WORDS = ("หัวหน้าทีมบริหาร", "ประธาน", "ผู้อำนวยการ", "leader", "head of the bcp team")
QUANTITY_FIELDS = ("q_h4", "q_d1", "q_w1", "q_w2", "q_m1")
WINDOWS = (Window.H4, Window.D1, Window.W1, Window.W2, Window.M1)
MOBILE_PREFIXES = ("06", "08", "09")


# -- the registry ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    section: str
    points: int
    title: str  # lazy translation: what the rule checks, as a short sentence
    why: str  # documentation (English): why it matters
    fix: str  # documentation (English): what to do
    check: Callable[[Facts], Iterable[Finding]]


RULES: dict[str, Rule] = {}


def rule(id: str, severity: str, section: str, points: int, *, title, why: str, fix: str):
    """Register a check function as a rule."""
    assert severity in (ERROR, WARNING) and section in SECTIONS and id not in RULES, id

    def register(check):
        RULES[id] = Rule(id, severity, section, points, title, why, fix, check)
        return check

    return register


# -- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """What a check yields: a message and where to fix it (row and field, or a group anchor)."""

    message: str
    row: object | None = None
    field: str | None = None
    section: str | None = None  # when the fix is in another section than the rule's
    anchor: str | None = None  # a table anchor (table_anchor()) when there is no row


@dataclass(frozen=True)
class Issue:
    rule: str
    severity: str
    message: str
    section: str
    row_id: int | None
    field: str | None
    anchor: str  # an HTML id in the section's editor page (without "#")
    url: str = ""  # the editor page of the section with the anchor

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


@dataclass(frozen=True)
class Cost:
    """One rule that fired: the points it cost and how many issues it raised."""

    rule: str
    title: str
    severity: str
    section: str
    points: int
    issues: int

    def __str__(self) -> str:
        return f"−{self.points} {self.rule} ({self.severity}, {self.issues}×): {self.title}"


@dataclass
class CheckResult:
    issues: list[Issue] = field(default_factory=list)

    @cached_property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == ERROR]

    @cached_property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == WARNING]

    @property
    def ok(self) -> bool:
        """No errors: the plan may be approved."""
        return not self.errors

    def for_section(self, section: str) -> list[Issue]:
        return [i for i in self.issues if i.section == section]

    def for_anchor_prefix(self, prefix: str) -> list[Issue]:
        """Issues of a row (pass its anchor) or of any of its fields."""
        return [i for i in self.issues if i.anchor == prefix or i.anchor.startswith(prefix + "-")]

    @cached_property
    def _fired(self) -> Counter:
        return Counter(i.rule for i in self.issues)

    def explain(self) -> list[Cost]:
        """The rules that cost points, most expensive first."""
        costs = [
            Cost(r.id, str(r.title), r.severity, r.section, r.points, self._fired[r.id])
            for r in RULES.values()
            if self._fired[r.id]
        ]
        return sorted(costs, key=lambda c: (-c.points, SECTIONS.index(c.section), c.rule))

    def explain_text(self) -> str:
        lines = [_("Readiness %(score)s/100.") % {"score": self.score}]
        if self.errors:
            lines.append(
                _("The score stays at most %(cap)s until every error is fixed.") % {"cap": ERROR_CAP}
            )
        lines += [str(c) for c in self.explain()]
        return "\n".join(lines)

    @cached_property
    def section_scores(self) -> dict[str, int]:
        """Share of each section's points kept, for the sections that have rules."""
        total, lost = defaultdict(int), defaultdict(int)
        for r in RULES.values():
            total[r.section] += r.points
            if self._fired[r.id]:
                lost[r.section] += r.points
        return {s: _percent(total[s] - lost[s], total[s]) for s in SECTIONS if total[s]}

    @cached_property
    def score(self) -> int:
        total = sum(r.points for r in RULES.values())
        lost = sum(r.points for r in RULES.values() if self._fired[r.id])
        score = _percent(total - lost, total)
        return min(score, ERROR_CAP) if self.errors else score


ERROR_CAP = 70


def _percent(kept: int, total: int) -> int:
    return round(100 * kept / total) if total else 100


# -- running ---------------------------------------------------------------------------------


def run_checks(bundle_or_plan: PlanBundle | Plan) -> CheckResult:
    """Every rule over the plan. A PlanBundle is read as is (no queries); a Plan is loaded first."""
    bundle = bundle_or_plan if isinstance(bundle_or_plan, PlanBundle) else load_bundle(bundle_or_plan)
    facts = Facts(bundle)
    urls: dict[str, str] = {}
    issues = []
    for r in RULES.values():
        for f in r.check(facts):
            section = f.section or r.section
            if f.row is not None:
                anchor = f"{section}-{f.row._meta.model_name}-{f.row.pk}"
                if f.field:
                    anchor += f"-{f.field}"
            else:
                anchor = f.anchor or table_anchor(section)
            if section not in urls:
                urls[section] = section_url(bundle.plan.pk, section)
            issues.append(
                Issue(
                    rule=r.id,
                    severity=r.severity,
                    message=f.message,
                    section=section,
                    row_id=getattr(f.row, "pk", None),
                    field=f.field,
                    anchor=anchor,
                    url=f"{urls[section]}#{anchor}",
                )  # fmt: skip
            )
    return CheckResult(issues)


# The main table of a section, where a missing row would be added (plans/sections.py table keys).
MAIN_TABLE = {
    "objectives": "objectives", "assumptions": "assumptions", "scope": "scenarios", "impact": "matrix",
    "contacts": "internal", "team": "roles", "calltree": "nodes", "bia": "processes",
}  # fmt: skip


def table_anchor(section: str, table: str | None = None) -> str:
    """The editor's id of a table (``tbl-<section>-<table key>``); the section key if it has none."""
    table = table or MAIN_TABLE.get(section)
    return f"tbl-{section}-{table}" if table else section


def section_url(plan_pk: int, section: str) -> str:
    try:
        return reverse("plans:section", kwargs={"pk": plan_pk, "section": section})
    except NoReverseMatch:  # the editor is not mounted (yet): the documented path
        return f"/plans/{plan_pk}/edit/{section}/"


class Facts:
    """The loaded plan and what several rules derive from it, each worked out once."""

    def __init__(self, bundle: PlanBundle):
        self.b = bundle
        self.plan = bundle.plan

    @cached_property
    def in_scope(self):
        return [s for s in self.b.scenarios if s.in_scope]

    @cached_property
    def hit_by(self) -> dict[str, list]:
        """Resource type -> the in-scope scenarios that tick it in ตารางที่ 1."""
        hits = {t: [] for t in ResourceType.values}
        for s in self.in_scope:
            for t in hits:
                if s.hits(t):
                    hits[t].append(s)
        return hits

    @cached_property
    def contacts(self) -> dict:
        return {c.pk: c for c in self.b.contacts}

    @cached_property
    def team_contact_ids(self) -> set[int]:
        ids = set()
        for role in self.b.team_roles:
            ids.update(i for i in (role.primary_id, role.backup_id) if i)
        return ids

    @cached_property
    def processes(self) -> dict:
        return {p.pk: p for p in self.b.processes}

    @cached_property
    def nodes(self) -> dict:
        return {n.pk: n for n in self.b.call_tree}

    @cached_property
    def node_roots(self) -> dict[int, int | None]:
        """Call-tree node id -> the id of the root it hangs from (None: it is on or under a cycle)."""
        roots: dict[int, int | None] = {}
        for start in self.nodes:
            path, seen, node_id = [], set(), start
            while True:
                if node_id in roots:
                    root = roots[node_id]
                    break
                if node_id in seen or node_id not in self.nodes:
                    root = None
                    break
                seen.add(node_id)
                path.append(node_id)
                parent = self.nodes[node_id].parent_id
                if parent is None:
                    root = node_id
                    break
                node_id = parent
            for n in path:
                roots[n] = root
        return roots


# -- helpers ---------------------------------------------------------------------------------


def is_placeholder(text: str | None) -> bool:
    return bool(text) and text.strip().startswith(PLACEHOLDER_PREFIX)


def is_thai_mobile(value: str | None) -> bool:
    if not is_valid_thai_phone(value or ""):
        return False
    digits = normalize_phone(value)
    return len(digits) == 10 and digits.startswith(MOBILE_PREFIXES)


def has_alternative_channel(process: Process) -> bool:
    """How citizens reach a public service without coming to the office: a channel type and details,
    or an entry of the organization's e-service catalogue that is published and available online.

    The one place that decides it. The linked service comes with the process (load_bundle).
    """
    if process.channel_type and (process.channel_detail or "").strip():
        return True
    return linked_service_is_online(process)


def linked_service_is_online(process: Process) -> bool:
    if not process.service_id:
        return False
    service = process.service
    return bool(service.is_published and service.available_online)


def hours(window: str) -> int:
    return WINDOW_HOURS[Window(window)]


def window_label(window: str) -> str:
    return str(Window(window).label)


def _role_label(role) -> str:
    return role.title or _("(untitled role)")


# -- general ---------------------------------------------------------------------------------


@rule(
    "general.title", ERROR, "general", 3,
    title=gettext_lazy("The plan has a title"),
    why="The title names the plan in documents, submissions and the approval order.",
    fix="Enter the plan's title, e.g. แผนดำเนินธุรกิจอย่างต่อเนื่อง … ประจำปีงบประมาณ พ.ศ. ….",
)  # fmt: skip
def check_title(f: Facts) -> Iterator[Finding]:
    if not (f.plan.title or "").strip():
        yield Finding(
            _("The plan has no title. Enter its title, for example “แผนดำเนินธุรกิจอย่างต่อเนื่อง … "
              "ประจำปีงบประมาณ พ.ศ. …”."),
            f.plan, "title",
        )  # fmt: skip


@rule(
    "general.fiscal_year", ERROR, "general", 3,
    title=gettext_lazy("The fiscal year is a Buddhist-era year"),
    why="Plans are made, submitted and reviewed per fiscal year (ปีงบประมาณ), named in the Buddhist era.",
    fix="Enter the fiscal year in the Buddhist era (e.g. 2569, not 2026).",
)  # fmt: skip
def check_fiscal_year(f: Facts) -> Iterator[Finding]:
    year = f.plan.fiscal_year
    if not year:
        yield Finding(
            _("The plan has no fiscal year. Enter it in the Buddhist era, e.g. 2569."), f.plan, "fiscal_year"
        )
    elif 1900 <= year < 2200:
        yield Finding(
            _("Fiscal year %(year)s looks like a Christian-era year. Enter the Buddhist-era year, %(be)s.")
            % {"year": year, "be": year + 543},
            f.plan, "fiscal_year",
        )  # fmt: skip
    elif not 2500 <= year <= 2700:
        yield Finding(
            _("Fiscal year %(year)s is not plausible. Enter the Buddhist-era year, e.g. 2569.")
            % {"year": year},
            f.plan, "fiscal_year",
        )  # fmt: skip


@rule(
    "general.absence", ERROR, "general", 4,
    title=gettext_lazy("The plan assumes how many staff may be absent"),
    why="The 2020 instruction asks plans to assume staff absence (e.g. 30–50 % in an epidemic); "
    "the staffing in ตารางที่ 7 is checked against it.",
    fix="Enter the share of staff who may be absent at the same time (e.g. 30) in the assumptions.",
)  # fmt: skip
def check_absence(f: Facts) -> Iterator[Finding]:
    if f.plan.absence_percent is None:
        yield Finding(
            _("The plan does not say how many staff may be absent at once. Enter a share, e.g. 30 %."),
            f.plan, "absence_percent",
        )  # fmt: skip


@rule(
    "general.next_review", WARNING, "general", 1,
    title=gettext_lazy("The next review date is set"),
    why="Plans are reviewed at least once a year; a date makes the review happen.",
    fix="Set the next review date (usually a year after approval).",
)  # fmt: skip
def check_next_review(f: Facts) -> Iterator[Finding]:
    if not f.plan.next_review_date:
        yield Finding(
            _("No next review date. Set when the plan will next be reviewed (usually within a year)."),
            f.plan, "next_review_date",
        )  # fmt: skip


@rule(
    "general.alternate_site", WARNING, "general", 2,
    title=gettext_lazy("An alternate site is named when a scenario hits the building"),
    why="If a scenario makes the office unusable, staff must know where to go.",
    fix="Name the alternate site (e.g. the community hall, a neighbouring local government's office).",
)  # fmt: skip
def check_alternate_site(f: Facts) -> Iterator[Finding]:
    hit = f.hit_by[ResourceType.BUILDING]
    if hit and not (f.plan.alternate_site or "").strip():
        yield Finding(
            _("“%(scenario)s” makes the office unusable, but no alternate site is named. Enter where work "
              "continues, e.g. the community hall.") % {"scenario": hit[0].name},
            f.plan, "alternate_site",
        )  # fmt: skip


@rule(
    "general.epidemic_review", WARNING, "general", 2,
    title=gettext_lazy("The prolonged-epidemic review is done"),
    why="The cabinet resolution of 31 Mar 2563 asks agencies to review their plans for a prolonged "
    "epidemic.",
    fix="Answer the prolonged-epidemic review questions and record the review.",
)  # fmt: skip
def check_epidemic_review(f: Facts) -> Iterator[Finding]:
    if not f.plan.epidemic_reviewed_at:
        yield Finding(
            _("The plan has not been reviewed for a prolonged epidemic. Answer the review questions "
              "(the 2020 instruction)."),
            f.plan, "epidemic_review",
        )  # fmt: skip


# -- objectives and assumptions (§1, §2) -------------------------------------------------------


@rule(
    "objectives.count", ERROR, "objectives", 3,
    title=gettext_lazy("The plan has at least two objectives"),
    why="§1 of the OPDC form states what the plan is for; one line rarely covers staff, services and "
    "recovery.",
    fix="Write at least two objectives, e.g. keep critical services running; protect staff.",
)  # fmt: skip
def check_objectives(f: Facts) -> Iterator[Finding]:
    count = sum(1 for i in f.b.items(ListSection.OBJECTIVES) if i.text.strip())
    if count < 2:
        yield Finding(
            _("The plan has %(count)s objective(s). Write at least two, e.g. “keep critical services "
              "running” and “protect staff and the public”.") % {"count": count},
        )  # fmt: skip


@rule(
    "assumptions.present", ERROR, "assumptions", 3,
    title=gettext_lazy("The plan states its assumptions"),
    why="§2 of the OPDC form: what the plan takes for granted (e.g. the alternate site is usable, IT "
    "data is backed up off-site).",
    fix="Write at least one assumption.",
)  # fmt: skip
def check_assumptions(f: Facts) -> Iterator[Finding]:
    if not any(i.text.strip() for i in f.b.items(ListSection.ASSUMPTIONS)):
        yield Finding(
            _("The plan states no assumptions. Write what it takes for granted, e.g. “data is backed up "
              "off-site every day”."),
        )  # fmt: skip


# -- scope and impact (§3, §4 ตารางที่ 1) ---------------------------------------------------------


@rule(
    "scope.epidemic", ERROR, "scope", 5,
    title=gettext_lazy("The epidemic scenario is in scope"),
    why="The 2020 instruction makes a prolonged epidemic a mandatory scenario.",
    fix="Add the epidemic scenario (โรคระบาด/โรคติดต่ออุบัติใหม่) and keep it in scope.",
)  # fmt: skip
def check_epidemic_scenario(f: Facts) -> Iterator[Finding]:
    epidemics = [s for s in f.b.scenarios if s.kind == ScenarioKind.EPIDEMIC]
    if not epidemics:
        yield Finding(_("The plan has no epidemic scenario. Add “โรคระบาด/โรคติดต่ออุบัติใหม่” to the scope."))
    elif not any(s.in_scope for s in epidemics):
        yield Finding(
            _("“%(scenario)s” is out of scope. An epidemic must be in scope: tick “in scope”.")
            % {"scenario": epidemics[0].name},
            epidemics[0], "in_scope",
        )  # fmt: skip


@rule(
    "scope.core", WARNING, "scope", 2,
    title=gettext_lazy("The core scenarios are considered"),
    why="Flood, fire, epidemic and protest are the OPDC form's core set; leaving one out should be a "
    "decision, not an oversight.",
    fix="Add each missing core scenario; mark it out of scope if it cannot happen here.",
)  # fmt: skip
def check_core_scenarios(f: Facts) -> Iterator[Finding]:
    kinds = {s.kind for s in f.b.scenarios}
    for kind in CORE_SCENARIOS:
        if kind != ScenarioKind.EPIDEMIC and kind not in kinds:
            yield Finding(
                _("“%(scenario)s” is not in the plan. Add it, and mark it out of scope if it cannot happen "
                  "here.") % {"scenario": ScenarioKind(kind).label},
            )  # fmt: skip


@rule(
    "impact.hits", WARNING, "impact", 2,
    title=gettext_lazy("Each scenario in scope hits at least one resource type"),
    why="ตารางที่ 1 says which resources a scenario takes away; the resources, strategies and "
    "procedures follow from it.",
    fix="Tick the resource types each scenario affects in ตารางที่ 1.",
)  # fmt: skip
def check_impact_hits(f: Facts) -> Iterator[Finding]:
    for s in f.in_scope:
        if not any(s.hits(t) for t in ResourceType.values):
            yield Finding(
                _("“%(scenario)s” affects no resource in ตารางที่ 1. Tick what it takes away (building, "
                  "equipment, IT, staff, partners).") % {"scenario": s.name},
                s,
            )  # fmt: skip


# -- contacts and team (§5 ตารางที่ 2) ------------------------------------------------------------


@rule(
    "contacts.phone", ERROR, "contacts", 4,
    title=gettext_lazy("Contacts have a valid Thai phone number"),
    why="In a crisis people are reached by phone. Staff need a mobile; external contacts any valid "
    "number, including short codes (191, 199, 1669, 1784). Team members are checked by team.phone.",
    fix="Enter a mobile number (e.g. 081 234 5678) for staff, or the number of the external body.",
)  # fmt: skip
def check_contact_phones(f: Facts) -> Iterator[Finding]:
    for c in f.b.contacts:
        if c.pk in f.team_contact_ids:
            continue
        if c.kind == "internal":
            if not (is_thai_mobile(c.phone) or is_thai_mobile(c.phone2)):
                yield Finding(
                    _("“%(name)s” has no valid mobile number. Enter one, e.g. 081 234 5678.")
                    % {"name": c.name},
                    c, "phone",
                )  # fmt: skip
        elif not (is_valid_thai_phone(c.phone) or is_valid_thai_phone(c.phone2)):
            yield Finding(
                _("“%(name)s” has no valid Thai phone number. Enter it, e.g. 054 511 411 or 1669.")
                % {"name": c.name},
                c, "phone",
            )  # fmt: skip


@rule(
    "team.leader", ERROR, "team", 4,
    title=gettext_lazy("The team has a leader"),
    why="Someone must declare the activation and lead the response (หัวหน้าทีมบริหารความต่อเนื่อง, "
    "usually the นายก or ปลัด). A role whose title contains หัวหน้าทีมบริหาร, ประธาน, ผู้อำนวยการ or "
    "“leader” counts.",
    fix="Add the role หัวหน้าทีมบริหารความต่อเนื่อง (team leader) with a primary and a backup person.",
)  # fmt: skip
def check_team_leader(f: Facts) -> Iterator[Finding]:
    if not any(any(w in (r.title or "").casefold() for w in LEADER_WORDS) for r in f.b.team_roles):
        yield Finding(
            _("The team has no leader. Add the role “หัวหน้าทีมบริหารความต่อเนื่อง” with a primary and a "
              "backup person."),
        )  # fmt: skip


@rule(
    "team.primary", ERROR, "team", 5,
    title=gettext_lazy("Every role has a primary person"),
    why="ตารางที่ 2: every role is held by a named primary person (ผู้ปฏิบัติงานหลัก).",
    fix="Pick the primary person of the role from the contacts.",
)  # fmt: skip
def check_team_primary(f: Facts) -> Iterator[Finding]:
    for role in f.b.team_roles:
        if not role.primary_id or role.primary_id not in f.contacts:
            yield Finding(
                _("Role “%(role)s” has no primary person. Pick who holds it.") % {"role": _role_label(role)},
                role, "primary",
            )  # fmt: skip


@rule(
    "team.backup", ERROR, "team", 5,
    title=gettext_lazy("Every role has a backup person"),
    why="ตารางที่ 2: every role needs a backup (ผู้ปฏิบัติงานสำรอง), another person, for when the "
    "primary is unreachable, ill or quarantined.",
    fix="Pick a backup person, other than the primary, with a phone number.",
)  # fmt: skip
def check_team_backup(f: Facts) -> Iterator[Finding]:
    for role in f.b.team_roles:
        if not role.backup_id or role.backup_id not in f.contacts:
            yield Finding(
                _("Role “%(role)s” has no backup. Pick a backup person with a phone number.")
                % {"role": _role_label(role)},
                role, "backup",
            )  # fmt: skip
        elif role.backup_id == role.primary_id:
            yield Finding(
                _("Role “%(role)s” has the same person as primary and backup. Pick another backup person.")
                % {"role": _role_label(role)},
                role, "backup",
            )  # fmt: skip


@rule(
    "team.phone", ERROR, "team", 4,
    title=gettext_lazy("Team members have a valid Thai phone number"),
    why="The call tree runs on the phone numbers of the team.",
    fix="Enter a valid Thai phone number (preferably a mobile) for the person in the contacts.",
)  # fmt: skip
def check_team_phones(f: Facts) -> Iterator[Finding]:
    seen = set()
    for role in f.b.team_roles:
        for person_id, is_primary in ((role.primary_id, True), (role.backup_id, False)):
            person = f.contacts.get(person_id)
            if person is None or person.pk in seen:
                continue
            seen.add(person.pk)
            if is_valid_thai_phone(person.phone) or is_valid_thai_phone(person.phone2):
                continue
            params = {"role": _role_label(role), "name": person.name}
            if is_primary:
                message = _("%(name)s, primary of “%(role)s”, has no valid phone number. Enter a mobile "
                            "number, e.g. 081 234 5678.") % params  # fmt: skip
            else:
                message = _("%(name)s, backup of “%(role)s”, has no valid phone number. Enter a mobile "
                            "number, e.g. 081 234 5678.") % params  # fmt: skip
            yield Finding(message, person, "phone", section="contacts")


@rule(
    "team.duties", WARNING, "team", 1,
    title=gettext_lazy("Every role has its duties written"),
    why="The duties table tells each person what to do when the plan is activated.",
    fix="Write the role's duties.",
)  # fmt: skip
def check_team_duties(f: Facts) -> Iterator[Finding]:
    for role in f.b.team_roles:
        if not (role.duties or "").strip():
            yield Finding(
                _("Role “%(role)s” has no duties. Write what this role does when the plan is activated.")
                % {"role": _role_label(role)},
                role, "duties",
            )  # fmt: skip


# -- call tree ---------------------------------------------------------------------------------


@rule(
    "calltree.root", ERROR, "calltree", 3,
    title=gettext_lazy("The call tree starts from one person"),
    why="A call tree starts with one person (the executive or team leader); everyone else is called "
    "by someone.",
    fix="Start the tree with the team leader and choose who calls each other person.",
)  # fmt: skip
def check_calltree_root(f: Facts) -> Iterator[Finding]:
    roots = [n for n in f.b.call_tree if n.parent_id is None]
    if not f.b.call_tree:
        yield Finding(
            _("The call tree is empty. Start it with the team leader, then add whom each person calls.")
        )
    elif not roots:
        yield Finding(_("Everyone in the call tree is called by someone: nobody starts it. Make the team "
                        "leader the first person."))  # fmt: skip
    for node in roots[1:]:
        name = f.contacts[node.contact_id].name if node.contact_id in f.contacts else "?"
        yield Finding(
            _("Nobody calls “%(name)s”. Only the first person of the call tree is called by nobody: choose "
              "who calls them.") % {"name": name},
            node, "parent",
        )  # fmt: skip


@rule(
    "calltree.cycle", ERROR, "calltree", 4,
    title=gettext_lazy("The call tree has no loops"),
    why="In a loop (A calls B, B calls A) the calls never reach the leader and nobody starts them.",
    fix="Change who calls the people in the loop so that every chain leads up to the first person.",
)  # fmt: skip
def check_calltree_cycle(f: Facts) -> Iterator[Finding]:
    reported = set()
    for node in f.b.call_tree:
        if f.node_roots.get(node.pk) is not None or node.pk in reported:
            continue
        # Walk up to the loop itself and report it once, on its first member met.
        seen, node_id = [], node.pk
        while node_id in f.nodes and node_id not in seen:
            seen.append(node_id)
            node_id = f.nodes[node_id].parent_id
        if node_id not in f.nodes:
            continue  # a parent in another plan: cannot happen through the actions
        loop = seen[seen.index(node_id) :]
        if reported.intersection(loop):
            reported.update(seen)
            continue
        reported.update(seen)
        names = [f.contacts[f.nodes[n].contact_id].name for n in loop if f.nodes[n].contact_id in f.contacts]
        yield Finding(
            _("The call tree loops: %(names)s call each other. Change who calls one of them so the chain "
              "leads to the first person.") % {"names": " → ".join(names)},
            f.nodes[loop[0]], "parent",
        )  # fmt: skip


@rule(
    "calltree.once", ERROR, "calltree", 3,
    title=gettext_lazy("Each person is in the call tree once"),
    why="A person called twice wastes calls and hides who is responsible for calling them.",
    fix="Remove the extra entry of the person.",
)  # fmt: skip
def check_calltree_once(f: Facts) -> Iterator[Finding]:
    seen = set()
    for node in f.b.call_tree:
        if node.contact_id in seen:
            name = f.contacts[node.contact_id].name if node.contact_id in f.contacts else "?"
            yield Finding(
                _("“%(name)s” is in the call tree more than once. Remove this entry.") % {"name": name},
                node, "contact",
            )  # fmt: skip
        seen.add(node.contact_id)


@rule(
    "calltree.reaches_team", ERROR, "calltree", 5,
    title=gettext_lazy("The call tree reaches every team member"),
    why="Every primary and backup person of ตารางที่ 2 must be reached from the first person of the "
    "call tree.",
    fix="Add the missing people to the call tree under the person who calls them.",
)  # fmt: skip
def check_calltree_reaches_team(f: Facts) -> Iterator[Finding]:
    reached = {n.contact_id for n in f.b.call_tree if f.node_roots.get(n.pk) is not None}
    roots = {f.node_roots.get(n.pk) for n in f.b.call_tree} - {None}
    if len(roots) > 1:  # several trees: only the first one counts (the others are the root rule's)
        first = next(n.pk for n in f.b.call_tree if n.parent_id is None)
        reached = {n.contact_id for n in f.b.call_tree if f.node_roots.get(n.pk) == first}
    for role in f.b.team_roles:
        for person_id in (role.primary_id, role.backup_id):
            person = f.contacts.get(person_id)
            if person is not None and person.pk not in reached:
                reached.add(person.pk)  # report each person once
                yield Finding(
                    _("%(name)s (%(role)s) is not reached by the call tree. Add them under the person who "
                      "calls them.") % {"name": person.name, "role": _role_label(role)},
                )  # fmt: skip


# -- business impact analysis (§6 ตารางที่ 3) -----------------------------------------------------


@rule(
    "bia.impact_rto", ERROR, "bia", 5,
    title=gettext_lazy("Every process has an impact level and an RTO"),
    why="ตารางที่ 3 ranks processes by impact and recovery time objective (RTO); resources and "
    "procedures are planned from the RTO.",
    fix="Choose the impact level and the RTO (4 hours, 1 day, 1 week, 2 weeks, 1 month).",
)  # fmt: skip
def check_impact_rto(f: Facts) -> Iterator[Finding]:
    for p in f.b.processes:
        if not p.impact:
            yield Finding(
                _("“%(process)s” has no impact level. Choose how serious stopping it would be.")
                % {"process": p.name},
                p, "impact",
            )  # fmt: skip
        if not p.rto:
            yield Finding(
                _("“%(process)s” has no recovery time objective (RTO). Choose by when it must run again.")
                % {"process": p.name},
                p, "rto",
            )  # fmt: skip


@rule(
    "bia.coherence", WARNING, "bia", 2,
    title=gettext_lazy("Impact levels and RTOs agree"),
    why="A very-high-impact process should be back within a day; a low-impact one can usually wait "
    "a week (no official rule: the owner's judgement, hence a warning).",
    fix="Shorten the RTO of very-high-impact processes to 1 day or less, or lower their impact; give "
    "low-impact processes an RTO of a week or more, or raise their impact.",
)  # fmt: skip
def check_coherence(f: Facts) -> Iterator[Finding]:
    for p in f.b.processes:
        if not (p.impact and p.rto):
            continue
        if p.impact == Impact.VERY_HIGH and hours(p.rto) > hours(Window.D1):
            yield Finding(
                _("“%(process)s” has a very high impact but may wait %(rto)s. Shorten its RTO to 1 day or "
                  "less, or lower its impact level.") % {"process": p.name, "rto": window_label(p.rto)},
                p, "rto",
            )  # fmt: skip
        elif p.impact == Impact.LOW and hours(p.rto) < hours(Window.W1):
            yield Finding(
                _("“%(process)s” has a low impact but must be back within %(rto)s. Give it an RTO of a week "
                  "or more, or raise its impact level.") % {"process": p.name, "rto": window_label(p.rto)},
                p, "rto",
            )  # fmt: skip


@rule(
    "bia.unit", WARNING, "bia", 1,
    title=gettext_lazy("Every process has an owning unit"),
    why="The owning unit (ส่วนราชการ) recovers the process and supplies its staff.",
    fix="Enter the unit that owns the process (e.g. กองคลัง).",
)  # fmt: skip
def check_process_unit(f: Facts) -> Iterator[Finding]:
    for p in f.b.processes:
        if not (p.unit or "").strip():
            yield Finding(
                _("“%(process)s” has no owning unit. Enter the unit, e.g. กองคลัง.") % {"process": p.name},
                p, "unit",
            )  # fmt: skip


@rule(
    "bia.mtpd", ERROR, "bia", 2,
    title=gettext_lazy("The maximum tolerable disruption is not shorter than the RTO"),
    why="The RTO is the target; the maximum tolerable period of disruption (MTPD) is the limit. A "
    "target beyond the limit is a contradiction.",
    fix="Make the MTPD at least as long as the RTO.",
)  # fmt: skip
def check_mtpd(f: Facts) -> Iterator[Finding]:
    for p in f.b.processes:
        if p.rto and p.mtpd and hours(p.mtpd) < hours(p.rto):
            yield Finding(
                _("“%(process)s” can tolerate %(mtpd)s at most but its RTO is %(rto)s. Make the maximum "
                  "tolerable disruption at least the RTO.")
                % {"process": p.name, "mtpd": window_label(p.mtpd), "rto": window_label(p.rto)},
                p, "mtpd",
            )  # fmt: skip


@rule(
    "bia.missions", ERROR, "bia", 4,
    title=gettext_lazy("Both general and public-service missions are analysed"),
    why="The 2020 instruction asks for both general missions (ภารกิจทั่วไป) and public-service "
    "missions (ภารกิจด้านการบริการประชาชน) in ตารางที่ 3.",
    fix="Add at least one critical process of each mission type.",
)  # fmt: skip
def check_missions(f: Facts) -> Iterator[Finding]:
    missions = {p.mission for p in f.b.processes}
    if Mission.GENERAL not in missions:
        yield Finding(_("No general-mission process. Add one, e.g. “งานสารบรรณ” or “เบิกจ่ายผ่านระบบ e-LAAS”."))
    if Mission.PUBLIC_SERVICE not in missions:
        yield Finding(_("No public-service process. Add one, e.g. “จ่ายเบี้ยยังชีพผู้สูงอายุ” or "
                        "“จัดเก็บภาษีที่ดินและสิ่งปลูกสร้าง”."))  # fmt: skip


@rule(
    "bia.channel", ERROR, "bia", 4,
    title=gettext_lazy("Every public service has an alternative channel"),
    why="The 2020 instruction: citizens must be able to use public services without coming to the "
    "office (online form, e-mail, LINE, phone, drop box, post).",
    fix="Choose the alternative channel and enter its address (web address, LINE ID, phone …), or link "
    "the process to an entry of the organization's e-service catalogue that is published and available "
    "online.",
)  # fmt: skip
def check_channel(f: Facts) -> Iterator[Finding]:
    for p in f.b.processes:
        if p.mission != Mission.PUBLIC_SERVICE or has_alternative_channel(p):
            continue
        if p.service_id and not p.channel_type:
            yield Finding(
                _("“%(process)s” points to the e-service “%(service)s”, which is not yet published and "
                  "available online. Publish it in the e-service catalogue, or choose another channel.")
                % {"process": p.name, "service": p.service.name},
                p, "service",
            )  # fmt: skip
        else:
            yield Finding(
                _("“%(process)s” has no alternative channel. Choose how citizens reach it without coming to "
                  "the office, and enter the address.") % {"process": p.name},
                p, "channel_detail" if p.channel_type else "channel_type",
            )  # fmt: skip


@rule(
    "bia.dependencies", ERROR, "bia", 3,
    title=gettext_lazy("No process depends on a process that recovers later"),
    why="A process cannot run again before what it depends on; a 4-hour process that needs a "
    "1-week one will not make its 4 hours.",
    fix="Shorten the RTO of the dependency, or remove the dependency.",
)  # fmt: skip
def check_dependencies(f: Facts) -> Iterator[Finding]:
    for p in f.b.processes:
        if not p.rto:
            continue
        for dep_id in f.b.dependencies.get(p.pk, ()):
            dep = f.processes.get(dep_id)
            if dep is not None and dep.rto and hours(dep.rto) > hours(p.rto):
                yield Finding(
                    _("“%(process)s” must be back within %(rto)s but depends on “%(dep)s”, which may take "
                      "%(dep_rto)s. Shorten the RTO of “%(dep)s” or remove the dependency.")
                    % {"process": p.name, "rto": window_label(p.rto), "dep": dep.name,
                       "dep_rto": window_label(dep.rto)},
                    p, "depends_on",
                )  # fmt: skip


@rule(
    "bia.duplicates", WARNING, "bia", 1,
    title=gettext_lazy("Process names are not repeated"),
    why="Two processes with the same name are usually one entered twice; the documents become "
    "ambiguous.",
    fix="Rename or remove the repeated process.",
)  # fmt: skip
def check_duplicate_processes(f: Facts) -> Iterator[Finding]:
    seen = set()
    for p in f.b.processes:
        key = " ".join((p.name or "").split()).casefold()
        if key in seen:
            yield Finding(
                _("“%(process)s” appears more than once. Rename or remove this one.") % {"process": p.name},
                p, "name",
            )  # fmt: skip
        seen.add(key)


# -- resources (§7 ตารางที่ 4–8) ------------------------------------------------------------------


@rule(
    "resources.non_decreasing", ERROR, "resources", 3,
    title=gettext_lazy("Resource quantities never decrease over time"),
    why="The columns are cumulative: what is needed by 1 day includes what was needed by 4 hours.",
    fix="Make each figure at least the one in the column before it.",
)  # fmt: skip
def check_non_decreasing(f: Facts) -> Iterator[Finding]:
    for r in f.b.resources:
        previous = None  # (window, quantity) of the last filled column
        for window, name in zip(WINDOWS, QUANTITY_FIELDS, strict=True):
            q = getattr(r, name)
            if q is None:
                continue
            if previous and q < previous[1]:
                yield Finding(
                    _("“%(resource)s”: %(q)s by %(window)s is less than %(prev_q)s by %(prev_window)s. The "
                      "figures add up over time: make each at least the one before it.")
                    % {"resource": r.name, "q": q, "window": window_label(window), "prev_q": previous[1],
                       "prev_window": window_label(previous[0])},
                    r, name,
                )  # fmt: skip
                break
            previous = (window, q)


@rule(
    "resources.quantities", WARNING, "resources", 1,
    title=gettext_lazy("Every resource states the quantities needed"),
    why="A resource with no quantity does not tell anyone what to prepare.",
    fix="Enter how many are needed by each recovery window.",
)  # fmt: skip
def check_quantities(f: Facts) -> Iterator[Finding]:
    for r in f.b.resources:
        if all(getattr(r, name) is None for name in QUANTITY_FIELDS):
            yield Finding(
                _("“%(resource)s” has no quantities. Enter how many are needed by each window.")
                % {"resource": r.name},
                r, "q_h4",
            )  # fmt: skip


@rule(
    "resources.per_hit_type", ERROR, "resources", 4,
    title=gettext_lazy("Resources are listed for every resource type a scenario hits"),
    why="If ตารางที่ 1 says a scenario takes away a type of resource, ตารางที่ 4–8 must say what "
    "is needed to replace it.",
    fix="Add the resources needed of that type (with quantities per window).",
)  # fmt: skip
def check_resources_per_type(f: Facts) -> Iterator[Finding]:
    listed = {r.resource_type for r in f.b.resources}
    for t, scenarios in f.hit_by.items():
        if scenarios and t not in listed:
            yield Finding(
                _("“%(scenario)s” hits “%(type)s”, but no such resources are listed. Add what is needed, "
                  "with quantities.") % {"scenario": scenarios[0].name, "type": ResourceType(t).label},
                anchor=table_anchor("resources", t),
            )  # fmt: skip


@rule(
    "resources.staffing", ERROR, "resources", 4,
    title=gettext_lazy("The staffing in ตารางที่ 7 holds under the absence assumption"),
    why="Take the largest figure of each row of ตารางที่ 7 (normally the 1-month column, when the unit "
    "is back to normal) as the staff it has. With the assumed share absent, the staff needed in the "
    "first windows (the larger of the 4-hour and 1-day figures of each row, added up) must not exceed "
    "the staff present: needed × 100 ≤ available × (100 − absence %).",
    fix="Lower the first-day figures, plan backups or cross-trained staff from other units, or "
    "revisit the absence assumption.",
)  # fmt: skip
def check_staffing(f: Facts) -> Iterator[Finding]:
    absence = f.plan.absence_percent
    if absence is None:
        return  # general.absence reports it
    available = needed = 0
    for r in f.b.resources:
        if r.resource_type != ResourceType.PERSONNEL:
            continue
        stated = [q for q in r.quantities() if q is not None]
        available += max(stated, default=0)
        needed += max((q for q in (r.q_h4, r.q_d1) if q is not None), default=0)
    if needed and needed * 100 > available * (100 - absence):
        yield Finding(
            _("With %(absence)s%% of staff absent, about %(present)s of the %(available)s staff in ตารางที่ 7 "
              "can work, but the first day needs %(needed)s. Lower the first-day figures, plan backups from "
              "other units, or revisit the absence assumption.")
            % {"absence": absence, "present": available * (100 - absence) // 100, "available": available,
               "needed": needed},
            anchor=table_anchor("resources", ResourceType.PERSONNEL),
        )  # fmt: skip


# -- strategies (§8 ตารางที่ 9) -------------------------------------------------------------------


@rule(
    "strategies.per_hit_type", ERROR, "strategies", 5,
    title=gettext_lazy("Every resource type a scenario hits has a strategy"),
    why="ตารางที่ 9: each resource type ticked in ตารางที่ 1 needs at least one continuity strategy. "
    "A strategy for all scenarios covers every scenario; one for a given scenario covers only it.",
    fix="Add a strategy for the resource type (for all scenarios, or for the scenario named).",
)  # fmt: skip
def check_strategies(f: Facts) -> Iterator[Finding]:
    covered = defaultdict(set)  # resource type -> scenario ids covered (None: all)
    for s in f.b.strategies:
        covered[s.resource_type].add(s.scenario_id)
    for t, scenarios in f.hit_by.items():
        if None in covered[t]:
            continue
        missing = [s.name for s in scenarios if s.pk not in covered[t]]
        if missing:
            yield Finding(
                _("No strategy for “%(type)s” covers %(scenarios)s. Add one, e.g. for all scenarios.")
                % {"type": ResourceType(t).label, "scenarios": ", ".join(f"“{m}”" for m in missing)},
                anchor=table_anchor("strategies", t),
            )  # fmt: skip


# -- procedures (§9) ---------------------------------------------------------------------------


@rule(
    "procedures.phases", ERROR, "procedures", 5,
    title=gettext_lazy("Every scenario in scope has steps in every phase"),
    why="§9: what to do within 24 hours, in days 1–7, days 7–30 and beyond 30 days. Steps for all "
    "scenarios count for each scenario.",
    fix="Add at least one step to the phase, for all scenarios or for the scenario named.",
)  # fmt: skip
def check_phases(f: Facts) -> Iterator[Finding]:
    present = defaultdict(set)  # phase -> scenario ids with steps (None: all)
    for step in f.b.procedure_steps:
        present[step.phase].add(step.scenario_id)
    for phase in Phase.values:
        if None in present[phase]:
            continue
        missing = [s.name for s in f.in_scope if s.pk not in present[phase]]
        if missing:
            yield Finding(
                _("“%(phase)s” has no steps for %(scenarios)s. Add steps for all scenarios or for each one.")
                % {"phase": Phase(phase).label, "scenarios": ", ".join(f"“{m}”" for m in missing)},
                anchor=table_anchor("procedures", phase),
            )  # fmt: skip


@rule(
    "procedures.epidemic_long", ERROR, "procedures", 4,
    title=gettext_lazy("The epidemic has its own long-term steps"),
    why="A prolonged epidemic (the 2020 instruction) needs steps beyond 30 days written for it: "
    "rotation of staff, sustained e-services, periodic re-assessment. Steps for all scenarios do not "
    "count here.",
    fix="Add long-term (beyond 30 days) steps for the epidemic scenario.",
)  # fmt: skip
def check_epidemic_long(f: Facts) -> Iterator[Finding]:
    epidemics = [s for s in f.in_scope if s.kind == ScenarioKind.EPIDEMIC]
    long_for = {st.scenario_id for st in f.b.procedure_steps if st.phase == Phase.LONG}
    for s in epidemics:
        if s.pk not in long_for:
            yield Finding(
                _("“%(scenario)s” has no long-term steps (beyond 30 days). Add some, e.g. staff rotation in "
                  "split teams, keeping e-services running, a monthly re-assessment.") % {"scenario": s.name},
                anchor=table_anchor("procedures", Phase.LONG),
            )  # fmt: skip


@rule(
    "procedures.responsible", WARNING, "procedures", 1,
    title=gettext_lazy("Every step has a responsible role"),
    why="During an activation each step must have an owner who ticks it done.",
    fix="Choose the team role responsible for the step.",
)  # fmt: skip
def check_responsible(f: Facts) -> Iterator[Finding]:
    for step in f.b.procedure_steps:
        if not step.responsible_id:
            yield Finding(
                _("Step “%(step)s” has no responsible role. Choose which team role does it.")
                % {"step": _short(step.text)},
                step, "responsible",
            )  # fmt: skip


def _short(text: str, limit: int = 60) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- optional sections -------------------------------------------------------------------------


@rule(
    "optional.risk_scores", ERROR, "optional", 1,
    title=gettext_lazy("Risk scores are between 1 and 5"),
    why="The optional risk assessment uses a 5×5 matrix: likelihood and impact 1 (very low) to 5 "
    "(very high).",
    fix="Enter a likelihood and an impact from 1 to 5.",
)  # fmt: skip
def check_risk_scores(f: Facts) -> Iterator[Finding]:
    for risk in f.b.risks:
        for name in ("likelihood", "severity"):
            value = getattr(risk, name)
            if value is None or not 1 <= value <= 5:
                yield Finding(
                    _("Risk “%(risk)s”: the score %(value)s is outside 1–5. Enter a score from 1 to 5.")
                    % {"risk": risk.name, "value": value},
                    risk, name,
                )  # fmt: skip


# -- placeholders left by templates (one rule per section, so each section's score shows them) --


def _placeholder_rule(section: str, rows: Callable[[Facts], Iterable[tuple[object, tuple[str, ...]]]]):
    @rule(
        f"{section}.placeholder", ERROR, section, 2,
        title=gettext_lazy("No “ระบุ …” placeholder is left"),
        why="Templates leave text starting with “ระบุ” (“specify”) for the planner to replace; a plan "
        "approved with it names nobody.",
        fix="Replace the placeholder with the real name, number or text.",
    )  # fmt: skip
    def check(f: Facts) -> Iterator[Finding]:
        for row, fields in rows(f):
            for name in fields:
                value = getattr(row, name)
                if is_placeholder(value):
                    yield Finding(
                        _("“%(text)s” is a placeholder. Replace it with the real text.")
                        % {"text": _short(value)},
                        row, name,
                    )  # fmt: skip

    return check


_placeholder_rule("general", lambda f: [(f.plan, ("title", "alternate_site"))])
_placeholder_rule("objectives", lambda f: [(i, ("text",)) for i in f.b.items(ListSection.OBJECTIVES)])
_placeholder_rule("assumptions", lambda f: [(i, ("text",)) for i in f.b.items(ListSection.ASSUMPTIONS)])
_placeholder_rule("scope", lambda f: [(s, ("name", "description")) for s in f.b.scenarios])
_placeholder_rule("contacts", lambda f: [(c, ("name", "position", "unit", "phone")) for c in f.b.contacts])
_placeholder_rule("team", lambda f: [(r, ("title", "duties")) for r in f.b.team_roles])
_placeholder_rule("bia", lambda f: [(p, ("name", "unit", "mbco", "channel_detail")) for p in f.b.processes])
_placeholder_rule("resources", lambda f: [(r, ("name",)) for r in f.b.resources])
_placeholder_rule("strategies", lambda f: [(s, ("text",)) for s in f.b.strategies])
_placeholder_rule("procedures", lambda f: [(s, ("text",)) for s in f.b.procedure_steps])

# Rules in the editor's section order (registration order within a section).
_ordered = sorted(RULES.items(), key=lambda item: SECTIONS.index(item[1].section))
RULES.clear()
RULES.update(_ordered)


# -- documentation ---------------------------------------------------------------------------


def rules_markdown() -> str:
    """docs/checks.md: the rule reference, generated from RULES (English)."""

    def cell(text) -> str:
        return " ".join(str(text).split()).replace("|", "\\|")

    with translation.override("en"):
        errors = sum(1 for r in RULES.values() if r.severity == ERROR)
        lines = [
            "# Plan checks: the rule reference",
            "",
            "<!-- Generated from plans/checks.py by rules_markdown(); do not edit by hand. Regenerate with:",
            '     .venv/bin/python manage.py shell -c "from plans.checks import rules_markdown; '
            "open('docs/checks.md', 'w').write(rules_markdown())\" -->",
            "",
            f"{len(RULES)} rules: {errors} errors (they block approval) and {len(RULES) - errors} warnings.",
            "Each rule is worth its points; a rule that fires, once or many times, loses them all. The",
            "readiness score (overall, and per section) is the share of points kept, 0–100.",
            "Messages shown to planners are in Thai (English on request) and say what to do; each links to",
            "the field in the editor (`/plans/<pk>/edit/<section>/#<section>-<model>-<row id>-<field>`).",
            "",
            "| id | severity | section | points | what it checks | why | what to do |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in RULES.values():
            lines.append(
                f"| `{r.id}` | {r.severity} | {r.section} | {r.points} | {cell(r.title)} | {cell(r.why)} "
                f"| {cell(r.fix)} |"
            )
    return "\n".join(lines) + "\n"
