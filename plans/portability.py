"""A whole plan as one JSON file: export, import, and a new revision from an approved plan.

The format ("phrom.plan", version 1) is described by the JSON Schema in
plans/schema/phrom-plan-v1.schema.json (served at /api/v1/plans/schema) and in docs/plan-format.md.
Rows point at each other by stable refs (contacts c1…, team roles r1…, call-tree nodes n1…,
processes p1…, scenarios s1…), never by database ids; rows are in display order; there are no
version counters. The bytes are canonical (fixed key order, UTF-8, indent 2, a final newline), so
export → import → export gives the same bytes: an approved plan's digest can be checked at any
time, and two files can be compared with any diff tool.

An import never trusts the file: it is read as UTF-8 JSON within size and depth limits, validated
against the schema, then checked for meaning (every ref resolves, no ref twice, no call-tree
loop, real dates). Any problem raises PlanImportError with every problem found, each with the
JSON path of the place; nothing is written. Numbers must use Arabic digits: a number written
with Thai digits ("๒๕๖๙") is refused with a message saying so, rather than guessed.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.log import record
from plans.bundle import PlanBundle, load_bundle
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
    Status,
    Strategy,
    TeamRole,
    TextSection,
)

FORMAT = "phrom.plan"
VERSION = 1
SCHEMA_URL = "/api/v1/plans/schema"  # "$schema" of every file: where any Phrom server serves the schema
SCHEMA_PATH = Path(__file__).parent / "schema" / "phrom-plan-v1.schema.json"

MAX_BYTES = 5 * 1024 * 1024  # a large real plan is well under 1 MB
MAX_DEPTH = 8  # the format itself is at most 5 levels deep
MAX_PROBLEMS = 50  # reported; more are summarised in one line

OPTIONAL_LISTS = [s for s in ListSection if s not in (ListSection.OBJECTIVES, ListSection.ASSUMPTIONS)]
QUANTITIES = ("q_h4", "q_d1", "q_w1", "q_w2", "q_m1")
THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"


# -- export ----------------------------------------------------------------------------------


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _datetime(value) -> str | None:
    if not value:
        return None
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _group_sorted(rows, field: str, choices) -> list:
    """Rows grouped by their enumeration (in the form's order), then in display order."""
    index = {c.value: i for i, c in enumerate(choices)}
    return sorted(rows, key=lambda r: (index.get(getattr(r, field), len(index)), r.order, r.pk))


def _refs(rows, prefix: str) -> dict[int, str]:
    return {row.pk: f"{prefix}{i}" for i, row in enumerate(rows, start=1)}


def export_plan(plan_or_bundle: Plan | PlanBundle | int) -> dict:
    """The whole plan as a dict in the export format (keys in their fixed order)."""
    b = plan_or_bundle if isinstance(plan_or_bundle, PlanBundle) else load_bundle(plan_or_bundle)
    plan, org = b.plan, b.plan.org

    scenarios = list(b.scenarios)
    contacts = _group_sorted(b.contacts, "kind", ContactKind)
    team = list(b.team_roles)
    nodes = list(b.call_tree)
    processes = list(b.processes)
    s_ref, c_ref, r_ref = _refs(scenarios, "s"), _refs(contacts, "c"), _refs(team, "r")
    n_ref, p_ref = _refs(nodes, "n"), _refs(processes, "p")
    p_index = {p.pk: i for i, p in enumerate(processes)}

    def ref(refs, pk):
        return refs.get(pk) if pk is not None else None

    texts = {t.key: t for t in b.texts}
    service_slugs = linked_service_slugs(processes)
    return {
        "$schema": SCHEMA_URL,
        "format": FORMAT,
        "version": VERSION,
        "organization": {
            "name_th": org.name_th,
            "kind": org.kind,
            "dla_code": org.dla_code or None,
            "geocode": org.geocode,
        },
        "plan": {
            "title": plan.title,
            "fiscal_year": plan.fiscal_year,
            "absence_percent": plan.absence_percent,
            "longest_outage_days": plan.longest_outage_days,
            "alternate_site": plan.alternate_site,
            "next_review_date": _date(plan.next_review_date),
            "epidemic_review": {
                k: (plan.epidemic_review or {})[k] for k in sorted(plan.epidemic_review or {})
            },
            "epidemic_reviewed_at": _datetime(plan.epidemic_reviewed_at),
        },
        "objectives": [i.text for i in b.items(ListSection.OBJECTIVES)],
        "assumptions": [i.text for i in b.items(ListSection.ASSUMPTIONS)],
        "texts": {k.value: texts[k.value].text for k in TextSection if k.value in texts},
        "scenarios": [
            {
                "ref": s_ref[s.pk],
                "kind": s.kind,
                "name": s.name,
                "in_scope": s.in_scope,
                "description": s.description,
                "impacts": _impacts(s.impacts),
            }
            for s in scenarios
        ],
        "contacts": [
            {
                "ref": c_ref[c.pk],
                "kind": c.kind,
                "name": c.name,
                "position": c.position,
                "unit": c.unit,
                "phone": c.phone,
                "phone2": c.phone2,
                "email": c.email,
                "line_id": c.line_id,
                "notes": c.notes,
            }
            for c in contacts
        ],
        "team": [
            {
                "ref": r_ref[r.pk],
                "title": r.title,
                "primary": ref(c_ref, r.primary_id),
                "backup": ref(c_ref, r.backup_id),
                "duties": r.duties,
            }
            for r in team
        ],
        "call_tree": [
            {
                "ref": n_ref[n.pk],
                "contact": c_ref[n.contact_id],
                "parent": ref(n_ref, n.parent_id),
                "backup": ref(c_ref, n.backup_id),
            }
            for n in nodes
        ],
        "processes": [
            {
                "ref": p_ref[p.pk],
                "name": p.name,
                "unit": p.unit,
                "mission": p.mission,
                "impact": p.impact,
                "rto": p.rto,
                "mbco": p.mbco,
                "mtpd": p.mtpd,
                "it_systems": p.it_systems,
                "partners": p.partners,
                "depends_on": [
                    p_ref[d] for d in sorted(b.dependencies.get(p.pk, []), key=p_index.__getitem__)
                ],
                "channel_type": p.channel_type,
                "channel_detail": p.channel_detail,
                # optional: present only when linked, so files without links keep their bytes
                **({"service": service_slugs[p.service_id]} if p.service_id in service_slugs else {}),
                "peak_periods": p.peak_periods,
                "notes": p.notes,
            }
            for p in processes
        ],
        "resources": [
            {
                "resource_type": r.resource_type,
                "name": r.name,
                "measure": r.measure,
                "process": ref(p_ref, r.process_id),
                **{q: getattr(r, q) for q in QUANTITIES},
                "notes": r.notes,
            }
            for r in _group_sorted(b.resources, "resource_type", ResourceType)
        ],
        "strategies": [
            {"resource_type": s.resource_type, "scenario": ref(s_ref, s.scenario_id), "text": s.text}
            for s in _group_sorted(b.strategies, "resource_type", ResourceType)
        ],
        "procedures": [
            {
                "phase": s.phase,
                "scenario": ref(s_ref, s.scenario_id),
                "text": s.text,
                "responsible": ref(r_ref, s.responsible_id),
            }
            for s in _group_sorted(b.procedure_steps, "phase", Phase)
        ],
        "risks": [
            {
                "scenario": ref(s_ref, r.scenario_id),
                "name": r.name,
                "likelihood": r.likelihood,
                "severity": r.severity,
                "response": r.response,
            }
            for r in b.risks
        ],
        "annexes": [{"title": a.title, "text": a.text} for a in b.annexes],
        "optional": {s.value: [i.text for i in b.items(s)] for s in OPTIONAL_LISTS},
        "revision_history": [
            {"label": e.label, "date": _date(e.date), "reviewer": e.reviewer, "changes": e.changes}
            for e in b.revision_history
        ],
    }


def linked_service_slugs(processes) -> dict[int, str]:
    """Service id -> slug of the e-services the processes link to (loaded with them by load_bundle)."""
    return {p.service_id: p.service.slug for p in processes if p.service_id}


def _impacts(impacts) -> dict:
    """ตารางที่ 1 cells in the form's column order, each exactly {"hit", "note"}."""
    impacts = impacts if isinstance(impacts, dict) else {}
    out = {}
    for rt in ResourceType:
        cell = impacts.get(rt.value)
        if isinstance(cell, dict):
            out[rt.value] = {"hit": bool(cell.get("hit")), "note": str(cell.get("note") or "")}
    return out


def dumps(data: dict) -> bytes:
    """The canonical bytes of an export dict."""
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def export_json(plan_or_bundle: Plan | PlanBundle | int) -> bytes:
    """The plan as canonical UTF-8 JSON bytes (the same plan always gives the same bytes)."""
    return dumps(export_plan(plan_or_bundle))


def canonical(data: dict) -> dict:
    """An export with its keys back in the export's order, e.g. an approved plan's snapshot read
    from PostgreSQL (jsonb does not keep key order): dumps(canonical(plan.snapshot)) gives the
    exported bytes again, so the digest can be checked against the snapshot alone."""
    schema = json_schema()

    def resolve(node: dict) -> dict:
        while "$ref" in node:
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        return node

    def walk(value, node: dict):
        node = resolve(node)
        if isinstance(value, dict):
            props = node.get("properties", {})
            keys = [k for k in props if k in value] + sorted(k for k in value if k not in props)
            return {k: walk(value[k], props.get(k) or node.get("additionalProperties") or {}) for k in keys}
        if isinstance(value, list):
            return [walk(v, node.get("items") or {}) for v in value]
        return value

    return walk(data, schema)


def export_filename(plan: Plan) -> str:
    """E.g. 'BCP-องค์การบริหารส่วนตำบลป่าแดง-2569-r1.json' (no characters a file system refuses)."""
    name = plan.org.short_name_th or plan.org.name_th
    # Letters, marks (Thai vowels and tone marks are marks) and digits; nothing a file system refuses.
    safe = "".join(ch for ch in name if unicodedata.category(ch)[0] in "LMN" or ch in " .-_()")
    safe = safe.strip().replace(" ", "-")
    return f"BCP-{safe or plan.org.pk}-{plan.fiscal_year}-r{plan.revision}.json"


@cache
def json_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


# -- import ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    path: str  # JSON path of the place, e.g. "$.team[2].primary"
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class PlanImportError(Exception):
    """The file cannot be imported. `problems` lists every problem found, each with its place."""

    def __init__(self, problems: list[Problem]):
        if len(problems) > MAX_PROBLEMS:
            more = len(problems) - MAX_PROBLEMS
            problems = problems[:MAX_PROBLEMS] + [Problem("$", _("… and %(n)d more problems.") % {"n": more})]
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))

    @property
    def messages(self) -> list[str]:
        return [str(p) for p in self.problems]


def _fail(message: str, path: str = "$"):
    raise PlanImportError([Problem(path, message)])


def _no_duplicate_keys(pairs):
    keys = [k for k, _v in pairs]
    if len(keys) != len(set(keys)):
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        raise ValueError(_("the same key appears twice in one object: %(keys)s") % {"keys": ", ".join(dupes)})
    return dict(pairs)


def read_bytes(raw: bytes) -> dict:
    """Decode and parse an uploaded file within the limits; PlanImportError on anything else."""
    if len(raw) > MAX_BYTES:
        _fail(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": round(len(raw) / 1048576, 1), "limit": MAX_BYTES // 1048576}
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        _fail(_("The file is saved as UTF-16. Save it as UTF-8 and upload it again."))
    if raw.startswith(b"\xef\xbb\xbf"):  # Windows Notepad's UTF-8 mark: harmless, dropped
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        _fail(
            _(
                "The file is not UTF-8 text (it may be in the old Thai encoding TIS-620 / Windows-874, "
                "or not a text file at all). Export the plan from Phrom again, or save the file as UTF-8."
            )
        )
    if "\x00" in text:
        _fail(_("The file contains NUL characters: it is not a plan file."))
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except RecursionError:
        _fail(_("The file is nested too deeply to be a plan file."))
    except ValueError as exc:
        if isinstance(exc, json.JSONDecodeError):
            where = _(" (line %(line)d, column %(col)d)") % {"line": exc.lineno, "col": exc.colno}
        else:  # a duplicate key (see _no_duplicate_keys)
            where = f" ({exc})"
        if any(d in text for d in THAI_DIGITS) and isinstance(exc, json.JSONDecodeError):
            hint = _(" Numbers must be written with Arabic digits (0–9), not Thai digits.")
        else:
            hint = ""
        _fail(_("The file is not valid JSON%(where)s.%(hint)s") % {"where": where, "hint": hint})
    return data


def _depth(value) -> int:
    """Nesting depth, without recursion (a hostile file must not exhaust the stack)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, d = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, d)
            if d > MAX_DEPTH:
                return d
            stack.extend((v, d + 1) for v in (item.values() if isinstance(item, dict) else item))
    return deepest


def _json_path(parts) -> str:
    path = "$"
    for p in parts:
        path += f"[{p}]" if isinstance(p, int) else f".{p}"
    return path


def _has_thai_digits(value) -> bool:
    return isinstance(value, str) and any(d in value for d in THAI_DIGITS)


def _schema_message(error) -> str:
    """A human sentence for one JSON Schema error (jsonschema's own are English and technical)."""
    v, value, args = error.validator, error.instance, error.validator_value
    if _has_thai_digits(value) and v in ("type", "pattern", "enum", "const"):
        return _("Write numbers and dates with Arabic digits (0–9), not Thai digits: %(value)s") % {
            "value": value
        }
    if v == "required":
        missing = [k for k in args if isinstance(value, dict) and k not in value]
        return _("Missing: %(fields)s") % {"fields": ", ".join(missing)}
    if v == "additionalProperties":
        extra = sorted(k for k in value if k not in error.schema.get("properties", {}))
        return _("Unknown field(s): %(fields)s") % {"fields": ", ".join(str(k)[:40] for k in extra[:10])}
    if v == "type":
        names = {
            "string": _("text"), "integer": _("a whole number"), "boolean": _("true or false"),
            "object": _("an object"), "array": _("a list"), "null": _("null"),
        }  # fmt: skip
        wanted = args if isinstance(args, list) else [args]
        return _("Must be %(type)s.") % {"type": _(" or ").join(str(names.get(t, t)) for t in wanted)}
    if v == "enum":
        return _("%(value)s is not one of the allowed values: %(allowed)s") % {
            "value": json.dumps(value, ensure_ascii=False)[:60],
            "allowed": ", ".join(json.dumps(a, ensure_ascii=False) for a in args),
        }
    if v == "const":
        if error.path and error.path[-1] == "format":
            return _("This is not a Phrom plan file (format must be %(value)s).") % {"value": args}
        if error.path and error.path[-1] == "version":
            return _("This file uses format version %(found)s; this Phrom reads version %(value)s.") % {
                "found": json.dumps(value)[:20],
                "value": args,
            }
        return _("Must be %(value)s.") % {"value": json.dumps(args)}
    if v == "maxLength":
        return _("Too long: at most %(n)d characters.") % {"n": args}
    if v == "minLength":
        return _("Must not be empty.")
    if v == "maxItems":
        return _("Too many rows: at most %(n)d.") % {"n": args}
    if v == "maxProperties":
        return _("Too many entries: at most %(n)d.") % {"n": args}
    if v == "minimum":
        return _("Must be at least %(n)s.") % {"n": args}
    if v == "maximum":
        return _("Must be at most %(n)s.") % {"n": args}
    if v == "uniqueItems":
        return _("The same entry appears twice.")
    if v == "pattern":
        if "date" in str(error.schema.get("description", "")).lower():
            return _("Not a date in the form YYYY-MM-DD (Christian era): %(value)s") % {
                "value": str(value)[:40]
            }
        return _("Not a valid reference (lower-case letters and digits, e.g. c1): %(value)s") % {
            "value": str(value)[:40]
        }
    if v == "anyOf":
        return _("Not a valid value: %(value)s") % {"value": json.dumps(value, ensure_ascii=False)[:60]}
    return _("Not a valid value.")


def _schema_problems(data) -> list[Problem]:
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(json_schema())
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        # An anyOf of "a ref or null" has two sub-errors; the more specific one reads better.
        if error.validator == "anyOf" and error.context:
            best = next((e for e in error.context if e.validator != "type"), None)
            if best is not None:
                error = best
        problems.append(Problem(_json_path(error.absolute_path), _schema_message(error)))
    return problems


def _semantic_problems(data: dict) -> list[Problem]:
    """What the schema cannot say: refs resolve and are unique, no call-tree loop, real dates, e-mails."""
    problems: list[Problem] = []

    def defined(table: str) -> set[str]:
        seen: set[str] = set()
        for i, row in enumerate(data[table]):
            if row["ref"] in seen:
                problems.append(
                    Problem(f"$.{table}[{i}].ref", _("The ref %(ref)s is used twice.") % {"ref": row["ref"]})
                )
            seen.add(row["ref"])
        return seen

    scenarios, contacts = defined("scenarios"), defined("contacts")
    team, nodes, processes = (
        defined("team"),
        defined("call_tree"),
        defined("processes"),
    )
    targets = {
        "scenario": (scenarios, "scenarios"),
        "contact": (contacts, "contacts"),
        "role": (team, "team"),
        "node": (nodes, "call_tree"),
        "process": (processes, "processes"),
    }

    def check(table: str, i: int, field: str, kind: str, value):
        if value is None:
            return
        known, where = targets[kind]
        if value not in known:
            problems.append(
                Problem(
                    f"$.{table}[{i}].{field}",
                    _("%(ref)s does not exist in %(table)s (row %(row)d points to it).")
                    % {"ref": value, "table": where, "row": i + 1},
                )
            )

    for i, r in enumerate(data["team"]):
        check("team", i, "primary", "contact", r["primary"])
        check("team", i, "backup", "contact", r["backup"])
    for i, n in enumerate(data["call_tree"]):
        check("call_tree", i, "contact", "contact", n["contact"])
        check("call_tree", i, "parent", "node", n["parent"])
        check("call_tree", i, "backup", "contact", n["backup"])
        if n["parent"] == n["ref"]:
            problems.append(Problem(f"$.call_tree[{i}].parent", _("A person cannot call themselves.")))
    for i, p in enumerate(data["processes"]):
        for j, d in enumerate(p["depends_on"]):
            check("processes", i, f"depends_on[{j}]", "process", d)
    for i, r in enumerate(data["resources"]):
        check("resources", i, "process", "process", r["process"])
    for i, s in enumerate(data["strategies"]):
        check("strategies", i, "scenario", "scenario", s["scenario"])
    for i, s in enumerate(data["procedures"]):
        check("procedures", i, "scenario", "scenario", s["scenario"])
        check("procedures", i, "responsible", "role", s["responsible"])
    for i, r in enumerate(data["risks"]):
        check("risks", i, "scenario", "scenario", r["scenario"])

    # The call tree must be a tree: following "parent" never comes back.
    parent = {n["ref"]: n["parent"] for n in data["call_tree"]}
    for i, n in enumerate(data["call_tree"]):
        seen, at = {n["ref"]}, n["parent"]
        while at is not None and at in parent:
            if at in seen:
                problems.append(
                    Problem(f"$.call_tree[{i}].parent", _("The call tree goes round in a circle here."))
                )
                break
            seen.add(at)
            at = parent[at]

    def check_date(path: str, value):
        if value is not None:
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                problems.append(Problem(path, _("%(value)s is not a real date.") % {"value": value}))

    check_date("$.plan.next_review_date", data["plan"]["next_review_date"])
    for i, e in enumerate(data["revision_history"]):
        check_date(f"$.revision_history[{i}].date", e["date"])
    if data["plan"]["epidemic_reviewed_at"] is not None:
        try:
            dt.datetime.fromisoformat(data["plan"]["epidemic_reviewed_at"])
        except ValueError:
            problems.append(Problem("$.plan.epidemic_reviewed_at", _("Not a real date and time.")))
    for i, c in enumerate(data["contacts"]):
        if c["email"]:
            try:
                validate_email(c["email"])
            except ValidationError:
                problems.append(
                    Problem(
                        f"$.contacts[{i}].email",
                        _("Not an e-mail address: %(value)s") % {"value": c["email"]},
                    )
                )
    return problems


def validate(data_or_bytes) -> dict:
    """The parsed, validated file; PlanImportError listing every problem otherwise. Writes nothing."""
    if isinstance(data_or_bytes, bytes | bytearray | memoryview):
        data = read_bytes(bytes(data_or_bytes))
    elif isinstance(data_or_bytes, str):
        data = read_bytes(data_or_bytes.encode("utf-8"))
    else:
        data = data_or_bytes
    if not isinstance(data, dict):
        _fail(_("The file must hold one JSON object (a plan), not a list or a single value."))
    if _depth(data) > MAX_DEPTH:
        _fail(_("The file is nested too deeply to be a plan file."))
    if data.get("format") != FORMAT:
        _fail(_("This is not a Phrom plan file (format must be %(value)s).") % {"value": FORMAT}, "$.format")
    problems = _schema_problems(data)
    if problems:
        raise PlanImportError(problems)
    problems = _semantic_problems(data)
    if problems:
        raise PlanImportError(problems)
    return data


def _parse_datetime(value):
    if value is None:
        return None
    parsed = dt.datetime.fromisoformat(value)
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, dt.UTC)


@transaction.atomic
def import_plan(
    data_or_bytes, *, org, by, request=None, based_on: Plan | None = None, _audit: bool = True
) -> Plan:
    """A NEW draft plan of `org` (its next revision) holding everything in the file.

    Validates first (PlanImportError, nothing written); then one INSERT per table.
    """
    data = validate(data_or_bytes)
    p = data["plan"]
    last = Plan.objects.select_for_update().filter(org=org).aggregate(m=Max("revision"))["m"] or 0
    plan = Plan.objects.create(
        org=org,
        title=p["title"],
        fiscal_year=p["fiscal_year"],
        revision=last + 1,
        status=Status.DRAFT,
        based_on=based_on,
        absence_percent=p["absence_percent"],
        longest_outage_days=p["longest_outage_days"],
        alternate_site=p["alternate_site"],
        epidemic_review=p["epidemic_review"],
        epidemic_reviewed_at=_parse_datetime(p["epidemic_reviewed_at"]),
        next_review_date=dt.date.fromisoformat(p["next_review_date"]) if p["next_review_date"] else None,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )

    def create(model, rows: list[dict], build) -> list:
        # `order` is the position in the file: display order is (order, id), so the next export
        # lists the rows exactly as the file did, whatever their groups.
        objs = [model(plan=plan, order=i, **build(row)) for i, row in enumerate(rows, start=1)]
        created = model.objects.bulk_create(objs)
        assert all(o.pk for o in created), "the database must return primary keys from bulk_create"
        return created

    list_rows = [(ListSection.OBJECTIVES, t) for t in data["objectives"]]
    list_rows += [(ListSection.ASSUMPTIONS, t) for t in data["assumptions"]]
    for section in OPTIONAL_LISTS:
        list_rows += [(section, t) for t in data["optional"][section.value]]
    ListItem.objects.bulk_create(
        ListItem(plan=plan, section=section, text=text, order=i)
        for i, (section, text) in enumerate(list_rows, 1)
    )
    PlanText.objects.bulk_create(
        PlanText(plan=plan, key=key, text=text, order=i)
        for i, (key, text) in enumerate(data["texts"].items(), 1)
    )

    scenarios = create(
        Scenario, data["scenarios"],
        lambda s: {k: s[k] for k in ("kind", "name", "in_scope", "description", "impacts")},
    )  # fmt: skip
    s_pk = {row["ref"]: obj.pk for row, obj in zip(data["scenarios"], scenarios, strict=True)}
    contacts = create(Contact, data["contacts"], lambda c: {k: v for k, v in c.items() if k != "ref"})
    c_pk = {row["ref"]: obj.pk for row, obj in zip(data["contacts"], contacts, strict=True)}
    roles = create(
        TeamRole, data["team"],
        lambda r: {
            "title": r["title"], "duties": r["duties"],
            "primary_id": c_pk.get(r["primary"]), "backup_id": c_pk.get(r["backup"]),
        },
    )  # fmt: skip
    r_pk = {row["ref"]: obj.pk for row, obj in zip(data["team"], roles, strict=True)}
    nodes = create(
        CallTreeNode, data["call_tree"],
        lambda n: {"contact_id": c_pk[n["contact"]], "backup_id": c_pk.get(n["backup"])},
    )  # fmt: skip
    n_obj = {row["ref"]: obj for row, obj in zip(data["call_tree"], nodes, strict=True)}
    with_parent = []
    for row in data["call_tree"]:  # parents may come later in the file: link them once all exist
        if row["parent"] is not None:
            n_obj[row["ref"]].parent_id = n_obj[row["parent"]].pk
            with_parent.append(n_obj[row["ref"]])
    CallTreeNode.objects.bulk_update(with_parent, ["parent"], batch_size=500)

    services = _resolve_services(org, data["processes"])
    processes = create(
        Process, data["processes"],
        lambda p: {
            **{k: v for k, v in p.items() if k not in ("ref", "depends_on", "service")},
            "service_id": services.get(p.get("service")),
        },
    )  # fmt: skip
    named = {p["service"] for p in data["processes"] if p.get("service")}
    unresolved = sorted(named - set(services))
    plan.import_warnings = [
        _("The e-service “%(slug)s” is not in this organization's catalogue: the process was imported "
          "without its link. Link it again in the plan editor (Table 3).") % {"slug": slug}
        for slug in unresolved
    ]  # fmt: skip
    p_pk = {row["ref"]: obj.pk for row, obj in zip(data["processes"], processes, strict=True)}
    through = Process.depends_on.through
    through.objects.bulk_create(
        through(from_process_id=p_pk[row["ref"]], to_process_id=p_pk[d])
        for row in data["processes"]
        for d in row["depends_on"]
    )
    create(
        Resource, data["resources"],
        lambda r: {**{k: v for k, v in r.items() if k != "process"}, "process_id": p_pk.get(r["process"])},
    )  # fmt: skip
    create(
        Strategy, data["strategies"],
        lambda s: {
            "resource_type": s["resource_type"], "text": s["text"], "scenario_id": s_pk.get(s["scenario"]),
        },
    )  # fmt: skip
    create(
        ProcedureStep, data["procedures"],
        lambda s: {
            "phase": s["phase"], "text": s["text"],
            "scenario_id": s_pk.get(s["scenario"]), "responsible_id": r_pk.get(s["responsible"]),
        },
    )  # fmt: skip
    create(
        Risk, data["risks"],
        lambda r: {**{k: v for k, v in r.items() if k != "scenario"}, "scenario_id": s_pk.get(r["scenario"])},
    )  # fmt: skip
    create(Annex, data["annexes"], lambda a: dict(a))
    create(RevisionEntry, data["revision_history"], lambda e: {**e, "date": dt.date.fromisoformat(e["date"])})

    if _audit:
        record(
            "plan.import", actor=by, organization=org, obj=plan, request=request, summary=plan.title,
            data={
                "revision": plan.revision, "source_status": p.get("status"), "unlinked_services": unresolved,
            },
        )  # fmt: skip
    return plan


def _resolve_services(org, processes: list[dict]) -> dict[str, int]:
    """Slug -> id of the importing organization's e-services named by the file (one query, or none)."""
    slugs = {p["service"] for p in processes if p.get("service")}
    if not slugs:
        return {}
    from eservices.models import Service

    return dict(Service.objects.filter(org=org, slug__in=slugs).values_list("slug", "pk"))


@transaction.atomic
def start_revision(previous: Plan, *, by, request=None) -> Plan:
    """A new draft revision of `previous`'s organization: a copy of `previous` (import of its export)."""
    plan = import_plan(export_plan(previous), org=previous.org, by=by, based_on=previous, _audit=False)
    record(
        "plan.start_revision", actor=by, organization=previous.org, obj=plan, request=request,
        summary=plan.title, data={"based_on": previous.pk, "revision": plan.revision},
    )  # fmt: skip
    return plan
