"""The sections of the plan editor, in the order of the OPDC form, and the tables in each.

One registry drives the editor's pages, its row endpoints, the side navigation and the anchors
the checker links to. A section (``Section``) has a key (used in URLs, anchors and the
checker's issues), a title with the OPDC numbering, optionally the plan's own fields, optionally a
free-text note under its tables, and tables (``Table``). A table is one model of rows, optionally
limited to one group (objectives apart from assumptions, building resources apart from IT
resources, …), with the form that edits a row and the columns shown read-only.

Anchors (the checker's links land on them):
  a row    ``<section>-<model_name>-<row id>``            e.g. ``bia-process-12``
  a field  ``<section>-<model_name>-<row id>-<field>``    e.g. ``bia-process-12-rto``
  the plan's own fields ``general-plan-<plan id>-<field>``; a note ``<section>-plantext-<key>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from plans import forms
from plans.models import (
    RESOURCE_TABLE_NUMBER,
    Annex,
    CallTreeNode,
    Contact,
    ContactKind,
    ListItem,
    ListSection,
    Phase,
    ProcedureStep,
    Process,
    Resource,
    ResourceType,
    RevisionEntry,
    Risk,
    Scenario,
    Strategy,
    TeamRole,
    TextSection,
)


@dataclass(frozen=True)
class Table:
    """One editable table of a section: a model, optionally one group of it, and its form."""

    key: str  # unique within the section; part of the row URLs
    model: type
    form: type
    columns: tuple[str, ...]  # fields shown read-only, in order
    title: str = ""
    help: str = ""
    group: dict = field(default_factory=dict)  # fixed values of the group field, set on new rows
    kind: str = "table"  # "table", "impact" (ตารางที่ 1 grid) or "tree" (the call tree)
    can_add: bool = True
    can_delete: bool = True
    can_move: bool = True
    add_label: str = _("Add a row")
    # Personal data shown (contacts' phones): the page writes an access-log row.
    personal: bool = False

    @property
    def model_name(self) -> str:
        return self.model._meta.model_name

    def rows(self, bundle) -> list:
        """This table's rows, from a loaded PlanBundle (no queries)."""
        attr = BUNDLE_ATTR[self.model]
        rows = getattr(bundle, attr)
        if self.group:
            rows = [r for r in rows if all(getattr(r, k) == v for k, v in self.group.items())]
        if self.kind == "impact":
            rows = [r for r in rows if r.in_scope]
        return rows

    def queryset(self, plan):
        return self.model.objects.filter(plan=plan, **self.group)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    tables: tuple[Table, ...] = ()
    intro: str = ""  # what the section is for, in plain words
    plan_form: type | None = None  # the plan's own fields edited here
    texts: tuple[str, ...] = ()  # PlanText keys edited under the tables
    personal: bool = False

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)


BUNDLE_ATTR = {
    ListItem: "list_items",
    Scenario: "scenarios",
    Contact: "contacts",
    TeamRole: "team_roles",
    CallTreeNode: "call_tree",
    Process: "processes",
    Resource: "resources",
    Strategy: "strategies",
    ProcedureStep: "procedure_steps",
    Risk: "risks",
    Annex: "annexes",
    RevisionEntry: "revision_history",
}

WINDOW_COLUMNS = ("q_h4", "q_d1", "q_w1", "q_w2", "q_m1")


def _list_table(section: ListSection, title="", add_label=None) -> Table:
    add_label = add_label or _("Add an item")
    return Table(
        key=section.value, model=ListItem, form=forms.ListItemForm, columns=("text",),
        title=title, group={"section": section.value}, add_label=add_label,
    )  # fmt: skip


def _resource_table(rt: ResourceType) -> Table:
    return Table(
        key=rt.value, model=Resource, form=forms.ResourceForm,
        columns=("name", "measure", *WINDOW_COLUMNS, "process", "notes"),
        title=format_lazy(_("Table {n}: {label}"), n=RESOURCE_TABLE_NUMBER[rt], label=rt.label),
        help=_("How many are needed by each point in time after the disruption. The numbers add up: "
               "by 1 week you need at least what you needed by 1 day."),
        group={"resource_type": rt.value}, add_label=_("Add a resource"),
    )  # fmt: skip


def _strategy_table(rt: ResourceType) -> Table:
    return Table(
        key=rt.value, model=Strategy, form=forms.StrategyForm, columns=("text", "scenario"),
        title=rt.label, group={"resource_type": rt.value}, add_label=_("Add a strategy"),
    )  # fmt: skip


def _procedure_table(phase: Phase) -> Table:
    return Table(
        key=phase.value, model=ProcedureStep, form=forms.ProcedureStepForm,
        columns=("text", "responsible", "scenario"), title=phase.label, group={"phase": phase.value},
        add_label=_("Add an activity"),
    )  # fmt: skip


SECTIONS: tuple[Section, ...] = (
    Section(
        key="general",
        title=_("General information"),
        intro=_("The plan's title, fiscal year and the assumptions every part of the plan relies on."),
        plan_form=forms.PlanForm,
        texts=(TextSection.INTRODUCTION, TextSection.FOREWORD),
    ),
    Section(
        key="objectives",
        title=_("1 Objectives"),
        intro=_("Why the plan exists, as a short list: e.g. to keep key services running during a crisis."),
        tables=(_list_table(ListSection.OBJECTIVES, add_label=_("Add an objective")),),
    ),
    Section(
        key="assumptions",
        title=_("2 Plan assumptions"),
        intro=_(
            "What the plan takes for granted, e.g. that the alternate site is available. "
            "The numbers (staff absence, length of the disruption) are under General information."
        ),
        tables=(_list_table(ListSection.ASSUMPTIONS, add_label=_("Add an assumption")),),
    ),  # fmt: skip
    Section(
        key="scope",
        title=_("3 Scope of the plan"),
        intro=_(
            "The crisis scenarios the plan covers. Flood, fire, epidemic and protest are expected; "
            "add others that can happen here, such as haze (PM2.5)."
        ),
        tables=(
            Table(
                key="scenarios",
                model=Scenario,
                form=forms.ScenarioForm,
                columns=("kind", "name", "in_scope", "description"),
                add_label=_("Add a scenario"),
            ),
        ),
        texts=(TextSection.SCOPE_NOTE,),
    ),  # fmt: skip
    Section(
        key="impact",
        title=_("Table 1: impact of crisis events"),
        intro=_(
            "For each scenario in scope, tick the resources it would hit and say how. "
            "Scenarios are added under Scope."
        ),
        tables=(
            Table(
                key="matrix",
                model=Scenario,
                form=forms.ImpactForm,
                columns=("name", "impacts"),
                kind="impact",
                can_add=False,
                can_delete=False,
                can_move=False,
            ),
        ),
        texts=(TextSection.IMPACT_NOTE,),
    ),  # fmt: skip
    Section(
        key="contacts",
        title=_("Contact list"),
        intro=_(
            "Everyone the plan names: staff for the team and the call tree, and outside contacts "
            "such as the hospital, police (191) and the electricity authority. Enter people here "
            "first, then pick them in the team and the call tree."
        ),
        tables=(
            Table(
                key="internal",
                model=Contact,
                form=forms.ContactForm,
                columns=("name", "position", "unit", "phone", "phone2", "email", "line_id"),
                title=_("Staff"),
                group={"kind": ContactKind.INTERNAL.value},
                add_label=_("Add a person"),
                personal=True,
            ),
            Table(
                key="external",
                model=Contact,
                form=forms.ContactForm,
                columns=("name", "unit", "phone", "phone2", "email", "notes"),
                title=_("Outside contacts"),
                group={"kind": ContactKind.EXTERNAL.value},
                add_label=_("Add a contact"),
                personal=True,
            ),
        ),
        personal=True,
    ),  # fmt: skip
    Section(
        key="team",
        title=_("Table 2: the BCP team"),
        intro=_("Every role needs a primary person and a backup. Pick people from the contact list."),
        tables=(
            Table(
                key="roles",
                model=TeamRole,
                form=forms.TeamRoleForm,
                columns=("title", "primary", "backup", "duties"),
                add_label=_("Add a role"),
                personal=True,
            ),
        ),
        texts=(TextSection.TEAM_NOTE,),
        personal=True,
    ),  # fmt: skip
    Section(
        key="calltree",
        title=_("Call tree"),
        intro=_(
            "Who calls whom when a crisis starts: from the top executive down to every team member. "
            "If a person cannot be reached, the caller calls their backup."
        ),
        tables=(
            Table(
                key="nodes",
                model=CallTreeNode,
                form=forms.CallTreeNodeForm,
                columns=("contact", "parent", "backup", "order"),
                kind="tree",
                can_move=False,
                add_label=_("Add a person to the tree"),
                personal=True,
            ),
        ),
        personal=True,
    ),  # fmt: skip
    Section(
        key="bia",
        title=_("Table 3: business impact analysis (BIA)"),
        intro=_(
            "The critical processes, how badly a disruption would hurt, and how soon each must be "
            "working again (RTO). Include both general and public-service missions."
        ),
        tables=(
            Table(
                key="processes",
                model=Process,
                form=forms.ProcessForm,
                columns=("name", "unit", "mission", "impact", "rto", "channel_type"),
                add_label=_("Add a process"),
            ),
        ),
        texts=(TextSection.BIA_NOTE,),
    ),  # fmt: skip
    Section(
        key="resources",
        title=_("Tables 4–8: key resource requirements"),
        intro=_("One table per resource type: what is needed, and how many by each point in time."),
        tables=tuple(_resource_table(rt) for rt in ResourceType),
        texts=(TextSection.RESOURCES_NOTE,),
    ),
    Section(
        key="strategies",
        title=_("Table 9: business continuity strategies"),
        intro=_(
            "How the organization keeps going for each resource type. Every resource type ticked "
            "in Table 1 needs at least one strategy."
        ),
        tables=tuple(_strategy_table(rt) for rt in ResourceType),
        texts=(TextSection.STRATEGY_NOTE,),
    ),  # fmt: skip
    Section(
        key="procedures",
        title=_("9 Continuity and recovery procedures"),
        intro=_("What to do, in order, in each phase after a disruption, and which team role does it."),
        tables=tuple(_procedure_table(p) for p in Phase),
        texts=(TextSection.PROCEDURES_NOTE,),
    ),
    Section(
        key="optional",
        title=_("Optional sections"),
        intro=_(
            "Parts many plans add: a risk assessment, prevention, budget, measures by alert level, "
            "laws and supporting systems. Leave empty what you do not use."
        ),
        tables=(
            Table(
                key="risks",
                model=Risk,
                form=forms.RiskForm,
                columns=("name", "scenario", "likelihood", "severity", "response"),
                title=_("Risk assessment"),
                add_label=_("Add a risk"),
            ),
            *(
                _list_table(s, title=s.label)
                for s in (
                    ListSection.PREVENTION,
                    ListSection.BUDGET,
                    ListSection.ALERT_LEVELS,
                    ListSection.LEGAL,
                    ListSection.SUPPORTING,
                )
            ),
        ),
    ),  # fmt: skip
    Section(
        key="annexes",
        title=_("Annexes"),
        intro=_(
            "Details that support the plan: the team appointment order, the alternate site, "
            "the strategy map, the checklist."
        ),
        tables=(
            Table(
                key="annexes",
                model=Annex,
                form=forms.AnnexForm,
                columns=("title", "text"),
                add_label=_("Add an annex"),
            ),
        ),
    ),  # fmt: skip
    Section(
        key="history",
        title=_("Revision history"),
        intro=_("Each version of the plan: when, who reviewed it, what changed."),
        tables=(
            Table(
                key="revisions",
                model=RevisionEntry,
                form=forms.RevisionEntryForm,
                columns=("label", "date", "reviewer", "changes"),
                add_label=_("Add a revision"),
            ),
        ),
    ),  # fmt: skip
)

SECTION_KEYS = tuple(s.key for s in SECTIONS)
BY_KEY = {s.key: s for s in SECTIONS}


def get_section(key: str) -> Section | None:
    return BY_KEY.get(key)


def row_anchor(section: str, row) -> str:
    return f"{section}-{row._meta.model_name}-{row.pk}"


def section_for_row(row) -> str | None:
    """The first section that shows this row (for links from elsewhere, e.g. the checker)."""
    for s in SECTIONS:
        for t in s.tables:
            if isinstance(row, t.model) and all(getattr(row, k) == v for k, v in t.group.items()):
                return s.key
    return None
