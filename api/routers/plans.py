"""The plans API: everything the plan editor does, under the same access rules as the pages.

Scope: plans and their rows are reached only through `Plan.objects.visible_to(user)`, so a plan
outside the caller's organizations is 404 whatever the method. Writes need a planner or approver
of the plan's organization (403 otherwise, e.g. a viewer or an overseer) and a draft plan (409
otherwise). A row is saved with the `version` it was read at; a stale version is 409 with the row
as it now is, so a client can merge instead of overwriting a colleague's work.

Rows are generic: ROW_TYPES maps a section key of the export format (objectives, contacts, team,
processes, …) to its model and schema, and five routes (list, add, update, delete, move) serve
them all. Request bodies of writes are read inside the view, after the access checks, so that an
outsider learns nothing (not even "422") about a plan they may not see.
"""

import json
from dataclasses import asdict, dataclass, field, is_dataclass
from typing import Any

from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import ValidationError

from api import schemas_plans as s
from api.pagination import Pagination
from audit.log import log_access
from orgs import access
from plans import actions, portability
from plans import models as pm
from plans.bundle import load_bundle

router = Router(tags=["plans"])


# -- row types ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowType:
    model: type
    schema: type[Schema]
    bundle_attr: str
    group: dict = field(default_factory=dict)  # fixed values: which rows of the model are this section's
    refs: dict = field(default_factory=dict)  # field -> model of the row it points to (same plan)
    m2m: tuple = ()

    def queryset(self, plan):
        return self.model.objects.filter(plan=plan, **self.group).order_by("order", "id")


def _list(section: pm.ListSection) -> RowType:
    return RowType(pm.ListItem, s.ListItemIn, "list_items", group={"section": section.value})


ROW_TYPES: dict[str, RowType] = {
    "objectives": _list(pm.ListSection.OBJECTIVES),
    "assumptions": _list(pm.ListSection.ASSUMPTIONS),
    "texts": RowType(pm.PlanText, s.PlanTextIn, "texts"),
    "scenarios": RowType(pm.Scenario, s.ScenarioIn, "scenarios"),
    "contacts": RowType(pm.Contact, s.ContactIn, "contacts"),
    "team": RowType(
        pm.TeamRole, s.TeamRoleIn, "team_roles", refs={"primary": pm.Contact, "backup": pm.Contact}
    ),
    "call_tree": RowType(
        pm.CallTreeNode,
        s.CallTreeNodeIn,
        "call_tree",
        refs={"contact": pm.Contact, "parent": pm.CallTreeNode, "backup": pm.Contact},
    ),  # fmt: skip
    "processes": RowType(pm.Process, s.ProcessIn, "processes", m2m=("depends_on",)),
    "resources": RowType(pm.Resource, s.ResourceIn, "resources", refs={"process": pm.Process}),
    "strategies": RowType(pm.Strategy, s.StrategyIn, "strategies", refs={"scenario": pm.Scenario}),
    "procedures": RowType(
        pm.ProcedureStep,
        s.ProcedureStepIn,
        "procedure_steps",
        refs={"scenario": pm.Scenario, "responsible": pm.TeamRole},
    ),  # fmt: skip
    "risks": RowType(pm.Risk, s.RiskIn, "risks", refs={"scenario": pm.Scenario}),
    "annexes": RowType(pm.Annex, s.AnnexIn, "annexes"),
    "revision_history": RowType(pm.RevisionEntry, s.RevisionEntryIn, "revision_history"),
    **{sec.value: _list(sec) for sec in portability.OPTIONAL_LISTS},
}
PERSONAL = {"contacts"}  # rows with phones: every read is access-logged


def _fields_doc() -> str:
    lines = ["Sections and their fields (references are row ids of the same plan):", ""]
    for key, rt in ROW_TYPES.items():
        lines.append(f"- `{key}`: " + ", ".join(f"`{n}`" for n in rt.schema.model_fields))
    return "\n".join(lines)


ROW_FIELDS_DOC = _fields_doc()


def row_out(rt: RowType, row, deps: dict | None = None) -> dict:
    data = {"id": row.pk, "version": row.version, "order": row.order}
    for name in rt.schema.model_fields:
        if name in rt.refs:
            data[name] = getattr(row, f"{name}_id")
        elif name in rt.m2m:
            if deps is None:
                deps = _dependencies([row.pk])
            data[name] = deps.get(row.pk, [])
        else:
            data[name] = getattr(row, name)
    return data


def _dependencies(process_ids) -> dict[int, list[int]]:
    through = pm.Process.depends_on.through
    deps: dict[int, list[int]] = {}
    pairs = through.objects.filter(from_process_id__in=process_ids).order_by(
        "to_process__order", "to_process_id"
    )
    for a, b in pairs.values_list("from_process_id", "to_process_id"):
        deps.setdefault(a, []).append(b)
    return deps


# -- helpers -----------------------------------------------------------------------------------


def _error(code: int, detail: str, **extra) -> JsonResponse:
    return JsonResponse({"detail": detail, **extra}, status=code, json_dumps_params={"ensure_ascii": False})


def _get_plan(request, plan_id: int, *, write: bool = False) -> pm.Plan:
    """404 outside the caller's organizations; 403 when they may not write; PlanLocked when not a draft."""
    plan = get_object_or_404(pm.Plan.objects.visible_to(request.auth).select_related("org"), pk=plan_id)
    if write:
        if not access.can_plan(request.auth, plan.org):
            raise HttpError(403, _("Only the organization's planners and approvers can change its plans."))
        if not plan.is_editable:
            raise actions.PlanLocked(plan)
    return plan


def _get_row_type(section: str) -> RowType:
    rt = ROW_TYPES.get(section)
    if rt is None:
        raise HttpError(404, _("Unknown section: %(section)s") % {"section": section})
    return rt


def _json_body(request) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError as exc:
        raise _Invalid([{"loc": ["body"], "msg": _("The body is not valid JSON."), "type": "json"}]) from exc
    if not isinstance(body, dict):
        raise _Invalid([{"loc": ["body"], "msg": _("The body must be a JSON object."), "type": "type"}])
    return body


class _Invalid(Exception):
    def __init__(self, errors: list[dict]):
        self.errors = errors


def _validate(schema: type[Schema], data: dict) -> Schema:
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        raise _Invalid(
            [
                {"loc": ["body", *e["loc"]], "msg": e["msg"], "type": e["type"]}
                for e in exc.errors(include_url=False)
            ]
        ) from exc


def _unknown_fields(body: dict, schema: type[Schema], allowed=("version",)) -> None:
    unknown = sorted(set(body) - set(schema.model_fields) - set(allowed))
    if unknown:
        raise _Invalid(
            [
                {"loc": ["body", name], "msg": _("Unknown field."), "type": "extra_forbidden"}
                for name in unknown
            ]
        )


def _version(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Invalid(
            [
                {
                    "loc": ["body", "version"],
                    "msg": _("Send the version you read the row at."),
                    "type": "missing",
                }
            ]
        )
    return value


def _resolve(rt: RowType, plan, validated: Schema, *, row=None) -> tuple[dict, dict]:
    """Model values and m2m values from a validated body; every reference must be a row of `plan`."""
    data = validated.model_dump(mode="json")
    values, m2m, errors = dict(rt.group), {}, []
    for name, value in data.items():
        if name in rt.refs:
            target = None
            if value is not None:
                target = rt.refs[name].objects.filter(plan=plan, pk=value).first()
                if target is None or (row is not None and target.pk == row.pk and rt.refs[name] is rt.model):
                    errors.append(
                        {"loc": ["body", name], "msg": _("No such row in this plan."), "type": "ref"}
                    )
            values[name] = target
        elif name in rt.m2m:
            ids = set(value)
            found = list(
                pm.Process.objects.filter(plan=plan, pk__in=ids).exclude(pk=getattr(row, "pk", None))
            )
            if len(found) != len(ids):
                errors.append({"loc": ["body", name], "msg": _("No such row in this plan."), "type": "ref"})
            m2m[name] = found
        else:
            values[name] = value
    if rt.model is pm.CallTreeNode and row is not None and values.get("parent") is not None:
        at = values["parent"]
        while at is not None:  # the call tree must stay a tree
            if at.pk == row.pk:
                errors.append(
                    {
                        "loc": ["body", "parent"],
                        "msg": _("The call tree would go round in a circle."),
                        "type": "loop",
                    }
                )
                break
            at = at.parent
    if errors:
        raise _Invalid(errors)
    return values, m2m


def _check_unique_text(rt: RowType, plan, values: dict, *, row=None) -> None:
    """A plan has one text per key (introduction, notes, …)."""
    if rt.model is not pm.PlanText or "key" not in values:
        return
    others = pm.PlanText.objects.filter(plan=plan, key=values["key"]).exclude(pk=getattr(row, "pk", None))
    if others.exists():
        raise _Invalid(
            [{"loc": ["body", "key"], "msg": _("This text exists already: change it."), "type": "unique"}]
        )


def _guarded(call):
    """Run a write; answer PlanLocked and RowConflict with 409, invalid bodies with 422."""
    try:
        return call()
    except _Invalid as exc:
        return JsonResponse({"detail": exc.errors}, status=422, json_dumps_params={"ensure_ascii": False})
    except actions.PlanLocked as exc:
        return _error(409, str(exc), status=exc.plan.status)
    except actions.RowConflict as exc:
        current = exc.current
        if isinstance(current, pm.Plan):
            body = s.PlanOut.from_orm(current).model_dump(mode="json")
        elif current is not None:
            rt = next(rt for rt in ROW_TYPES.values() if rt.model is type(current))
            body = json.loads(json.dumps(row_out(rt, current), default=str))
        else:
            body = None
        return _error(409, str(exc), current=body)


WRITE_RESPONSES = {403: s.Detail, 404: s.Detail, 409: s.ConflictOut}


def _body_doc(schema: dict, description: str = "") -> dict:
    return {
        "requestBody": {
            "required": True,
            "description": description,
            "content": {"application/json": {"schema": schema}},
        }
    }


# -- plans -------------------------------------------------------------------------------------


class PlanFilters(Schema):
    org: int | None = None
    status: pm.Status | None = None


@router.get(
    "",
    response=list[s.PlanListOut],
    summary="Plans you may read, by organization, newest version first (filters: org, status)",
)
@paginate(Pagination)
def list_plans(request, filters: Query[PlanFilters]):
    plans = pm.Plan.objects.visible_to(request.auth).select_related("org")
    if filters.org is not None:
        plans = plans.filter(org_id=filters.org)
    if filters.status is not None:
        plans = plans.filter(status=filters.status)
    return plans.order_by("org__name_th", "org_id", "-fiscal_year", "-revision")


@router.get("/schema", auth=None, summary="The JSON Schema of the plan file (export/import format)")
def plan_schema(request):
    """Public documentation, no data (in the source: plans/schema/phrom-plan-v1.schema.json)."""
    return HttpResponse(
        portability.SCHEMA_PATH.read_bytes(), content_type="application/schema+json; charset=utf-8"
    )


@router.post(
    "/org/{int:org_id}",
    response={201: s.PlanOut, 403: s.Detail, 404: s.Detail, 409: s.Detail},
    summary="Start a plan: blank, from the model plan, or a new revision of the approved plan",
)
def create_plan(request, org_id: int, payload: s.PlanCreateIn):
    org = access.get_visible_org(request.auth, org_id)
    if not access.can_plan(request.auth, org):
        raise HttpError(403, _("Only the organization's planners and approvers can start a plan."))
    if payload.source == "template":
        from plans.templates_lib import start_from_template

        plan = start_from_template(org, by=request.auth, request=request)
    elif payload.source == "previous":
        previous = pm.Plan.objects.filter(org=org, status=pm.Status.APPROVED).first()
        if previous is None:
            return _error(409, _("This organization has no approved plan to start a revision from."))
        plan = portability.start_revision(previous, by=request.auth, request=request)
    else:
        plan = actions.create_plan(
            org, by=request.auth, title=payload.title, fiscal_year_be=payload.fiscal_year, request=request
        )
    return Status(201, pm.Plan.objects.select_related("org").get(pk=plan.pk))


@router.get("/{int:plan_id}", response=s.PlanDetailOut, summary="One plan with every row (contacts: logged)")
def get_plan(request, plan_id: int):
    plan = _get_plan(request, plan_id)
    bundle = load_bundle(plan)
    rows = {}
    for key, rt in ROW_TYPES.items():
        items = getattr(bundle, rt.bundle_attr)
        if rt.group:
            items = [r for r in items if all(getattr(r, k) == v for k, v in rt.group.items())]
        rows[key] = [row_out(rt, r, bundle.dependencies) for r in items]
    log_access(request, "plan_contacts", organization=plan.org, objects=[plan])
    plan.rows = rows
    plan.can_edit = plan.is_editable and access.can_plan(request.auth, plan.org)
    return plan


@router.put(
    "/{int:plan_id}",
    response={200: s.PlanOut, **WRITE_RESPONSES},
    summary="Change the plan's own fields (send `version`)",
    openapi_extra=_body_doc(
        s.PlanFields.model_json_schema(), "Any of the plan's fields, plus the `version` you read the plan at."
    ),
)
def update_plan(request, plan_id: int):
    def call():
        plan = _get_plan(request, plan_id, write=True)
        body = _json_body(request)
        _unknown_fields(body, s.PlanFields)
        version = _version(body.pop("version", None))
        current = {name: getattr(plan, name) for name in s.PlanFields.model_fields}
        validated = _validate(s.PlanFields, {**current, **body})
        values = {k: v for k, v in validated.model_dump().items() if k in body}
        plan = actions.update_plan(
            plan, expected_version=version, values=values, by=request.auth, request=request
        )
        return pm.Plan.objects.select_related("org").get(pk=plan.pk)

    return _guarded(call)


# -- rows --------------------------------------------------------------------------------------


@router.get(
    "/{int:plan_id}/rows/{section}",
    response={200: list[dict[str, Any]], 404: s.Detail},
    summary="The rows of one section, in order",
    description=ROW_FIELDS_DOC,
)
def list_rows(request, plan_id: int, section: str):
    plan = _get_plan(request, plan_id)
    rt = _get_row_type(section)
    rows = list(rt.queryset(plan))
    deps = _dependencies([r.pk for r in rows]) if rt.m2m else None
    if section in PERSONAL:
        log_access(request, "plan_contacts", organization=plan.org, objects=rows)
    return [row_out(rt, r, deps) for r in rows]


@router.get(
    "/{int:plan_id}/rows/{section}/{int:row_id}",
    response={200: dict[str, Any], 404: s.Detail},
    summary="One row",
)
def get_row(request, plan_id: int, section: str, row_id: int):
    plan = _get_plan(request, plan_id)
    rt = _get_row_type(section)
    row = get_object_or_404(rt.queryset(plan), pk=row_id)
    if section in PERSONAL:
        log_access(request, "plan_contacts", organization=plan.org, objects=[row])
    return row_out(rt, row)


@router.post(
    "/{int:plan_id}/rows/{section}",
    response={201: dict[str, Any], 422: Any, **WRITE_RESPONSES},
    summary="Add a row at the end of its section",
    description=ROW_FIELDS_DOC,
    openapi_extra=_body_doc({"type": "object"}, "The row's fields (see the list of sections)."),
)
def add_row(request, plan_id: int, section: str):
    def call():
        plan = _get_plan(request, plan_id, write=True)
        rt = _get_row_type(section)
        body = _json_body(request)
        _unknown_fields(body, rt.schema, allowed=())
        values, m2m = _resolve(rt, plan, _validate(rt.schema, body))
        _check_unique_text(rt, plan, values)
        row = actions.add_row(plan, rt.model, values=values, m2m=m2m, by=request.auth, request=request)
        return Status(201, row_out(rt, row))

    return _guarded(call)


@router.put(
    "/{int:plan_id}/rows/{section}/{int:row_id}",
    response={200: dict[str, Any], 422: Any, **WRITE_RESPONSES},
    summary="Change a row (send `version`; only the fields you send change)",
    description=ROW_FIELDS_DOC,
    openapi_extra=_body_doc({"type": "object"}, "Fields to change, plus the `version` you read the row at."),
)
def update_row(request, plan_id: int, section: str, row_id: int):
    def call():
        plan = _get_plan(request, plan_id, write=True)
        rt = _get_row_type(section)
        row = get_object_or_404(rt.queryset(plan), pk=row_id)
        body = _json_body(request)
        _unknown_fields(body, rt.schema)
        version = _version(body.pop("version", None))
        current = {k: v for k, v in row_out(rt, row).items() if k not in ("id", "version", "order")}
        values, m2m = _resolve(rt, plan, _validate(rt.schema, {**current, **body}), row=row)
        values = {k: v for k, v in values.items() if k in body or k in rt.group}
        _check_unique_text(rt, plan, values, row=row)
        m2m = {k: v for k, v in m2m.items() if k in body}
        row = actions.update_row(
            row, expected_version=version, values=values, m2m=m2m, by=request.auth, request=request
        )
        return row_out(rt, row)

    return _guarded(call)


@router.delete(
    "/{int:plan_id}/rows/{section}/{int:row_id}",
    response={204: None, 422: Any, **WRITE_RESPONSES},
    summary="Delete a row (send `?version=`)",
)
def delete_row(request, plan_id: int, section: str, row_id: int, version: int | None = None):
    def call():
        plan = _get_plan(request, plan_id, write=True)
        rt = _get_row_type(section)
        row = get_object_or_404(rt.queryset(plan), pk=row_id)
        actions.delete_row(row, expected_version=_version(version), by=request.auth, request=request)
        return Status(204, None)

    return _guarded(call)


class MoveIn(Schema):
    direction: str


@router.post(
    "/{int:plan_id}/rows/{section}/{int:row_id}/move",
    response={200: list[dict[str, Any]], 422: Any, **WRITE_RESPONSES},
    summary="Move a row up or down within its group; answers the section's rows in their new order",
    openapi_extra=_body_doc(
        {"type": "object", "required": ["direction"], "properties": {"direction": {"enum": ["up", "down"]}}}
    ),
)
def move_row(request, plan_id: int, section: str, row_id: int):
    def call():
        plan = _get_plan(request, plan_id, write=True)
        rt = _get_row_type(section)
        row = get_object_or_404(rt.queryset(plan), pk=row_id)
        direction = _json_body(request).get("direction")
        if direction not in ("up", "down"):
            raise _Invalid([{"loc": ["body", "direction"], "msg": _("Send up or down."), "type": "enum"}])
        actions.move_row(row, up=direction == "up", by=request.auth, request=request)
        rows = list(rt.queryset(plan))
        deps = _dependencies([r.pk for r in rows]) if rt.m2m else None
        return [row_out(rt, r, deps) for r in rows]

    return _guarded(call)


# -- checks, lifecycle, export, import, diff ---------------------------------------------------


@router.get("/{int:plan_id}/checks", response=s.ChecksOut, summary="The checker: issues and readiness score")
def checks(request, plan_id: int):
    from plans.checks import run_checks

    plan = _get_plan(request, plan_id)
    result = run_checks(plan)
    return {
        "score": result.score,
        "section_scores": result.section_scores,
        "errors": len(result.errors),
        "warnings": len(result.warnings),
        "issues": [asdict(i) if is_dataclass(i) else i for i in result.issues],
    }


def _lifecycle(request, plan_id: int, step: str, *, approver: bool = False, with_comment: bool = False):
    from plans import lifecycle

    plan = _get_plan(request, plan_id)
    allowed = access.can_approve if approver else access.can_plan
    if not allowed(request.auth, plan.org):
        raise HttpError(403, _("You may not do this for this organization's plans."))
    kwargs = {}
    try:
        if with_comment:
            kwargs["comment"] = _validate(s.ReturnIn, _json_body(request)).comment
        with transaction.atomic():
            getattr(lifecycle, step)(plan, by=request.auth, request=request, **kwargs)
    except lifecycle.NotAllowed as exc:
        raise HttpError(403, str(exc)) from exc
    except lifecycle.ApprovalRefused as exc:
        return _error(409, str(exc), errors=[asdict(i) if is_dataclass(i) else str(i) for i in exc.errors])
    except (lifecycle.LifecycleError, actions.PlanLocked) as exc:
        return _error(409, str(exc), status=plan.status)
    except _Invalid as exc:
        return JsonResponse({"detail": exc.errors}, status=422, json_dumps_params={"ensure_ascii": False})
    return pm.Plan.objects.select_related("org").get(pk=plan.pk)


LIFECYCLE_RESPONSES = {200: s.PlanOut, 403: s.Detail, 404: s.Detail, 409: s.Detail}


@router.post("/{int:plan_id}/submit", response=LIFECYCLE_RESPONSES, summary="Send a draft for approval")
def submit(request, plan_id: int):
    return _lifecycle(request, plan_id, "submit_for_review")


@router.post(
    "/{int:plan_id}/approve", response=LIFECYCLE_RESPONSES, summary="Approve (approvers; refused with errors)"
)
def approve(request, plan_id: int):
    return _lifecycle(request, plan_id, "approve", approver=True)


@router.post(
    "/{int:plan_id}/return",
    response=LIFECYCLE_RESPONSES,
    summary="Return a plan in review to draft, with a comment",
    openapi_extra=_body_doc(s.ReturnIn.model_json_schema()),
)
def return_to_draft(request, plan_id: int):
    return _lifecycle(request, plan_id, "return_to_draft", with_comment=True)


@router.get(
    "/{int:plan_id}/export",
    response={200: dict[str, Any], 404: s.Detail},
    summary="The whole plan as a file in the plan format (see /plans/schema; contacts: logged)",
)
def export(request, plan_id: int):
    plan = _get_plan(request, plan_id)
    log_access(request, "plan_contacts", organization=plan.org, objects=[plan])
    response = HttpResponse(portability.export_json(plan), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, portability.export_filename(plan))
    return response


@router.post(
    "/org/{int:org_id}/import",
    response={201: s.PlanOut, 403: s.Detail, 404: s.Detail, 413: s.ImportErrorOut, 422: s.ImportErrorOut},
    summary="Import a plan file as a new draft of the organization (all or nothing)",
    openapi_extra=_body_doc({"type": "object"}, "A plan file (GET /plans/schema)."),
)
def import_plan(request, org_id: int):
    org = access.get_visible_org(request.auth, org_id)
    if not access.can_plan(request.auth, org):
        raise HttpError(403, _("Only the organization's planners and approvers can import a plan."))
    if int(request.META.get("CONTENT_LENGTH") or 0) > portability.MAX_BYTES:
        return _error(
            413, _("The file is too large."), problems=[{"path": "$", "message": _("The limit is 5 MB.")}]
        )
    try:
        plan = portability.import_plan(_read_body(request), org=org, by=request.auth, request=request)
    except portability.PlanImportError as exc:
        return _error(
            422,
            _("The file cannot be imported."),
            problems=[{"path": p.path, "message": p.message} for p in exc.problems],
        )
    return Status(201, pm.Plan.objects.select_related("org").get(pk=plan.pk))


def _read_body(request) -> bytes:
    """The raw body, up to the import limit (Django's own limit for request.body is lower)."""
    if hasattr(request, "_body"):
        return request._body
    return request.read(portability.MAX_BYTES + 1)


@router.get(
    "/{int:plan_id}/diff/{int:other_id}",
    response={200: dict[str, Any], 404: s.Detail},
    summary="What changed from one plan version to another",
)
def diff(request, plan_id: int, other_id: int):
    from plans.diff import diff_plans

    a, b = _get_plan(request, plan_id), _get_plan(request, other_id)
    result = diff_plans(a, b)
    log_access(request, "plan_contacts", organization=a.org, objects=[a, b])
    return {
        "old": a.pk,
        "new": b.pk,
        "identical": result.identical,
        "sections": [
            {
                "key": sec.key, "title": str(sec.title), "editor_section": sec.editor_section,
                "fields": [asdict(f) for f in sec.fields],
                "rows": [
                    {"change": r.change, "label": str(r.label), "old": r.old, "new": r.new,
                     "fields": [asdict(f) for f in r.fields]}
                    for r in sec.rows
                ],
            }
            for sec in result.changed_sections
        ],
    }  # fmt: skip
