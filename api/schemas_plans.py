"""Shapes of the plans API: the plan, one schema per kind of row, errors (validation only, no logic).

A row schema lists the fields a client may write. References to other rows of the same plan
(a team role's primary person, a resource's process, …) are row ids; the router checks that
they belong to the same plan.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from ninja import Field, Schema
from pydantic import field_validator

from plans.models import (
    ChannelType,
    ContactKind,
    Impact,
    Mission,
    Phase,
    ResourceType,
    ScenarioKind,
    Status,
    TextSection,
    Window,
)

LONG = 50_000  # free text
Blank = Literal[""]
Quantity = int | None


# -- plans -----------------------------------------------------------------------------------


class PlanListOut(Schema):
    id: int
    org_id: int
    org_name: str = Field(description="The organization's Thai name.")
    title: str
    fiscal_year: int = Field(description="Buddhist-era fiscal year.")
    revision: int
    status: Status
    status_label: str
    based_on_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime
    submitted_at: dt.datetime | None
    approved_at: dt.datetime | None
    version: int = Field(description="Send it back with PUT /plans/{plan_id} (optimistic locking).")

    @staticmethod
    def resolve_org_name(obj) -> str:
        return obj.org.name_th

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())


class PlanOut(PlanListOut):
    absence_percent: int | None
    longest_outage_days: int | None
    alternate_site: str
    next_review_date: dt.date | None
    epidemic_review: dict[str, Any]
    epidemic_reviewed_at: dt.datetime | None
    digest: str = Field(description="SHA-256 of the approved export (approved plans only).")
    editable: bool = Field(description="A draft: rows may change.")

    @staticmethod
    def resolve_editable(obj) -> bool:
        return obj.is_editable


class PlanDetailOut(PlanOut):
    rows: dict[str, list[dict[str, Any]]] = Field(
        description="Every row of the plan by section (see GET /plans/{plan_id}/rows/{section})."
    )
    can_edit: bool = Field(description="You may change this plan now (a planner or approver, and a draft).")


class PlanFields(Schema):
    """The plan's own fields (the editor's "general" section)."""

    title: str = Field(min_length=1, max_length=300)
    fiscal_year: int = Field(ge=2400, le=2800, description="Buddhist-era fiscal year, e.g. 2569.")
    absence_percent: int | None = Field(None, ge=0, le=100)
    longest_outage_days: int | None = Field(None, ge=0, le=3650)
    alternate_site: str = Field("", max_length=300)
    next_review_date: dt.date | None = None
    epidemic_review: dict[str, str | bool | int | float | list[str] | None] = Field(default_factory=dict)


class PlanCreateIn(Schema):
    source: Literal["blank", "template", "previous"] = Field(
        "blank",
        description="blank: an empty draft; template: a draft filled from the model plan for this type "
        "of organization; previous: a new revision of the organization's approved plan.",
    )
    title: str = Field("", max_length=300, description="Blank plans only (default: the OPDC title).")
    fiscal_year: int | None = Field(None, ge=2400, le=2800, description="Blank plans only.")


class ReturnIn(Schema):
    comment: str = Field("", max_length=5000)


class Detail(Schema):
    detail: str


class ConflictOut(Schema):
    detail: str
    current: dict[str, Any] | None = Field(
        description="The row (or plan) as it now is; null when it was deleted. Merge, then send again "
        "with its version."
    )


class ProblemOut(Schema):
    path: str = Field(description="JSON path of the place in the file, e.g. $.team[2].primary")
    message: str


class ImportErrorOut(Schema):
    detail: str
    problems: list[ProblemOut]


# -- rows --------------------------------------------------------------------------------------


def _email(value: str) -> str:
    if value:
        try:
            validate_email(value)
        except ValidationError as exc:
            raise ValueError("not an e-mail address") from exc
    return value


class ListItemIn(Schema):
    text: str = Field(min_length=1, max_length=LONG)


class PlanTextIn(Schema):
    key: TextSection
    text: str = Field("", max_length=LONG)


class ImpactCell(Schema):
    hit: bool = False
    note: str = Field("", max_length=LONG)


class ScenarioIn(Schema):
    kind: ScenarioKind
    name: str = Field(min_length=1, max_length=200)
    in_scope: bool = True
    description: str = Field("", max_length=LONG)
    impacts: dict[ResourceType, ImpactCell] = Field(
        default_factory=dict, description="ตารางที่ 1: resource type -> {hit, note}."
    )


class ContactIn(Schema):
    kind: ContactKind = ContactKind.INTERNAL
    name: str = Field(min_length=1, max_length=200)
    position: str = Field("", max_length=200)
    unit: str = Field("", max_length=200)
    phone: str = Field("", max_length=40)
    phone2: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    line_id: str = Field("", max_length=100)
    notes: str = Field("", max_length=LONG)

    _check_email = field_validator("email")(_email)


class TeamRoleIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    primary: int | None = Field(None, description="Contact id (this plan).")
    backup: int | None = Field(None, description="Contact id (this plan).")
    duties: str = Field("", max_length=LONG)


class CallTreeNodeIn(Schema):
    contact: int = Field(description="Contact id (this plan).")
    parent: int | None = Field(None, description="Call-tree node id of the caller (null at the top).")
    backup: int | None = Field(None, description="Contact id to call if this person cannot be reached.")


class ProcessIn(Schema):
    name: str = Field(min_length=1, max_length=300)
    unit: str = Field("", max_length=200)
    mission: Mission = Mission.GENERAL
    impact: Impact | Blank = ""
    rto: Window | Blank = ""
    mbco: str = Field("", max_length=300)
    mtpd: Window | Blank = ""
    it_systems: str = Field("", max_length=300)
    partners: str = Field("", max_length=300)
    depends_on: list[int] = Field(
        default_factory=list, max_length=5000, description="Process ids (this plan)."
    )
    channel_type: ChannelType | Blank = ""
    channel_detail: str = Field("", max_length=300)
    peak_periods: str = Field("", max_length=200)
    notes: str = Field("", max_length=LONG)


class ResourceIn(Schema):
    resource_type: ResourceType
    name: str = Field(min_length=1, max_length=300)
    measure: str = Field("", max_length=50)
    process: int | None = Field(None, description="Process id (this plan).")
    q_h4: Quantity = Field(None, ge=0, le=10_000_000)
    q_d1: Quantity = Field(None, ge=0, le=10_000_000)
    q_w1: Quantity = Field(None, ge=0, le=10_000_000)
    q_w2: Quantity = Field(None, ge=0, le=10_000_000)
    q_m1: Quantity = Field(None, ge=0, le=10_000_000)
    notes: str = Field("", max_length=LONG)


class StrategyIn(Schema):
    resource_type: ResourceType
    scenario: int | None = Field(None, description="Scenario id (this plan); null: every scenario.")
    text: str = Field(min_length=1, max_length=LONG)


class ProcedureStepIn(Schema):
    phase: Phase
    scenario: int | None = Field(None, description="Scenario id (this plan); null: every scenario.")
    text: str = Field(min_length=1, max_length=LONG)
    responsible: int | None = Field(None, description="Team role id (this plan).")


class RiskIn(Schema):
    scenario: int | None = Field(None, description="Scenario id (this plan).")
    name: str = Field(min_length=1, max_length=300)
    likelihood: int = Field(ge=1, le=5)
    severity: int = Field(ge=1, le=5)
    response: str = Field("", max_length=LONG)


class AnnexIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    text: str = Field("", max_length=LONG)


class RevisionEntryIn(Schema):
    label: str = Field(min_length=1, max_length=50)
    date: dt.date
    reviewer: str = Field("", max_length=200)
    changes: str = Field("", max_length=LONG)


class IssueOut(Schema):
    rule: str
    severity: Literal["error", "warning"]
    message: str
    section: str
    row_id: int | None
    field: str | None
    anchor: str
    url: str = ""


class ChecksOut(Schema):
    score: int = Field(description="Readiness 0–100.")
    section_scores: dict[str, int]
    errors: int = Field(description="Issues that block approval.")
    warnings: int
    issues: list[IssueOut]
