"""Every write on a plan. Atomic, audited, and refused when the plan is not an editable draft.

Rows are saved with optimistic locking: the caller names the version it started from; a save
from a stale version raises RowConflict carrying the row as it now is, so the editor can show
both texts and lose neither.
"""

from __future__ import annotations

import datetime as dt

from django.db import models, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.log import record
from phrom.lib.thai import fiscal_year
from plans.models import (
    Contact,
    ListItem,
    Plan,
    PlanRow,
    ProcedureStep,
    Resource,
    Strategy,
)


class PlanLocked(Exception):
    """The plan is not a draft (in review, approved or superseded): nothing in it may change."""

    def __init__(self, plan: Plan):
        self.plan = plan
        super().__init__(
            _("This plan is %(status)s and can no longer be changed.") % {"status": plan.get_status_display()}
        )


class RowConflict(Exception):
    """Someone saved this row after you opened it. `current` is the row as it now is (None if deleted)."""

    def __init__(self, current):
        self.current = current
        super().__init__(_("Someone else saved this part while you were editing it."))


# Rows are ordered within a group: objectives apart from assumptions, building resources apart
# from IT resources, and so on.
GROUP_FIELD = {
    ListItem: "section",
    Resource: "resource_type",
    Strategy: "resource_type",
    ProcedureStep: "phase",
    Contact: "kind",
}


def _check_editable(plan: Plan) -> None:
    if not plan.is_editable:
        raise PlanLocked(plan)


def _group_filter(model, values_or_row) -> dict:
    field = GROUP_FIELD.get(model)
    if not field:
        return {}
    value = values_or_row.get(field) if isinstance(values_or_row, dict) else getattr(values_or_row, field)
    return {field: value}


@transaction.atomic
def create_plan(org, *, by, title: str = "", fiscal_year_be: int | None = None, request=None) -> Plan:
    """A new, empty draft plan for `org` (the next revision number)."""
    last = Plan.objects.filter(org=org).aggregate(m=Max("revision"))["m"] or 0
    year = fiscal_year_be or fiscal_year(timezone.localdate())
    plan = Plan.objects.create(
        org=org,
        title=title or default_title(org, year),
        fiscal_year=year,
        revision=last + 1,
        created_by=by,
    )
    record("plan.create", actor=by, organization=org, obj=plan, request=request, summary=plan.title)
    return plan


def default_title(org, year: int) -> str:
    return (
        "แผนดำเนินธุรกิจอย่างต่อเนื่อง สำหรับการบริหารความพร้อมต่อสภาวะวิกฤต "
        f"(Business Continuity Plan : BCP) {org.name_th} ประจำปีงบประมาณ พ.ศ. {year}"
    )


@transaction.atomic
def update_plan(plan: Plan, *, expected_version: int, values: dict, by, request=None) -> Plan:
    """Save the plan's own fields (title, assumptions, …) with optimistic locking."""
    _check_editable(plan)
    updated = Plan.objects.filter(pk=plan.pk, version=expected_version).update(
        **values, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise RowConflict(Plan.objects.filter(pk=plan.pk).first())
    plan.refresh_from_db()
    record(
        "plan.update", actor=by, organization=plan.org, obj=plan, request=request,
        summary=", ".join(sorted(values)), data={"fields": sorted(values)},
    )  # fmt: skip
    return plan


@transaction.atomic
def add_row(plan: Plan, model: type[PlanRow], *, values: dict, by, request=None, m2m: dict | None = None):
    """Append a row to one of the plan's tables (at the end of its group)."""
    _check_editable(plan)
    last = model.objects.filter(plan=plan, **_group_filter(model, values)).aggregate(m=Max("order"))["m"]
    row = model.objects.create(plan=plan, order=(last or 0) + 1, **values)
    for name, items in (m2m or {}).items():
        getattr(row, name).set(items)
    _touch(plan)
    record(
        f"plan.{model._meta.model_name}.add", actor=by, organization=plan.org, obj=row, request=request,
        data={"plan": plan.pk},
    )  # fmt: skip
    return row


@transaction.atomic
def update_row(
    row: PlanRow, *, expected_version: int, values: dict, by, request=None, m2m: dict | None = None
):
    """Save one row if nobody saved it since `expected_version`; else raise RowConflict."""
    plan = Plan.objects.select_for_update().get(pk=row.plan_id)
    _check_editable(plan)
    model = type(row)
    updated = model.objects.filter(pk=row.pk, version=expected_version).update(
        **values, version=F("version") + 1
    )
    if not updated:
        raise RowConflict(model.objects.filter(pk=row.pk).first())
    row.refresh_from_db()
    for name, items in (m2m or {}).items():
        getattr(row, name).set(items)
    _touch(plan)
    record(
        f"plan.{model._meta.model_name}.update", actor=by, organization=plan.org, obj=row, request=request,
        data={"plan": plan.pk, "fields": sorted(values)},
    )  # fmt: skip
    return row


@transaction.atomic
def delete_row(row: PlanRow, *, expected_version: int, by, request=None) -> None:
    plan = Plan.objects.select_for_update().get(pk=row.plan_id)
    _check_editable(plan)
    model = type(row)
    current = model.objects.filter(pk=row.pk).first()
    if current is None:
        return  # already gone: deleting twice is not an error
    if current.version != expected_version:
        raise RowConflict(current)
    record(
        f"plan.{model._meta.model_name}.delete", actor=by, organization=plan.org, obj=row, request=request,
        data={"plan": plan.pk},
    )  # fmt: skip
    current.delete()
    _touch(plan)


@transaction.atomic
def move_row(row: PlanRow, *, up: bool, by, request=None) -> None:
    """Swap a row with its neighbour above or below within its group."""
    plan = Plan.objects.select_for_update().get(pk=row.plan_id)
    _check_editable(plan)
    model = type(row)
    row = model.objects.get(pk=row.pk)
    siblings = model.objects.filter(plan=plan, **_group_filter(model, row))
    if up:
        neighbour = siblings.filter(models.Q(order__lt=row.order) | models.Q(order=row.order, id__lt=row.id))
        neighbour = neighbour.order_by("-order", "-id").first()
    else:
        neighbour = siblings.filter(models.Q(order__gt=row.order) | models.Q(order=row.order, id__gt=row.id))
        neighbour = neighbour.order_by("order", "id").first()
    if neighbour is None:
        return
    a, b = row.order, neighbour.order
    if a == b:  # equal orders (e.g. after an import): make them distinct first
        b = a + 1 if not up else max(a - 1, 0)
    model.objects.filter(pk=row.pk).update(order=b, version=F("version") + 1)
    model.objects.filter(pk=neighbour.pk).update(order=a, version=F("version") + 1)
    _touch(plan)
    record(f"plan.{model._meta.model_name}.move", actor=by, organization=plan.org, obj=row, request=request)


def _touch(plan: Plan) -> None:
    Plan.objects.filter(pk=plan.pk).update(updated_at=timezone.now())


def next_review_default(approved_on: dt.date) -> dt.date:
    """Plans are reviewed every year."""
    try:
        return approved_on.replace(year=approved_on.year + 1)
    except ValueError:  # 29 February
        return approved_on.replace(year=approved_on.year + 1, day=28)
