"""What changed between two versions of an organization's plan, section by section.

Both versions are compared in the export format (plans.portability): an approved or superseded
plan by its frozen snapshot (what was approved, not what the rows may say later), a draft by a
fresh export. The walk over the export is generic — any list of objects is a table, any other
value a field — so the diff keeps working when the format grows.

Rows are matched by a stable key (name, title, label, text … within their group such as the
resource type or phase), then, among the rows left over, by similar keys (a renamed process is
"changed", not "removed + added"); what is still unmatched was added or removed.

Text changes are shown as inserted / deleted runs. Thai is written without spaces between words,
so a word-level diff on whitespace would mark a whole paragraph as changed: texts are split into
Thai character clusters (a consonant with its vowel and tone marks, a leading vowel with its
consonant), runs of Latin letters or digits, and spaces; the diff is computed on those, and tiny
unchanged islands between two changes are folded into the change so the result reads in phrases.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from plans import models as pm

EQUAL, INSERT, DELETE = "equal", "insert", "delete"

# Keys that identify or stamp a version rather than say anything about the plan.
IGNORED_KEYS = {
    "id", "pk", "uuid", "order", "version", "created_at", "updated_at", "exported_at", "created_by",
    "snapshot", "digest", "$schema", "schema", "schema_version", "format", "format_version", "generator",
    "ref", "status", "revision", "approved_at", "approved_by", "submitted_at", "based_on",
    "epidemic_reviewed_at",
}  # fmt: skip
# The field that names a row (first one present), and the fields that group rows.
KEY_FIELDS = ("name", "title", "label", "key", "text", "contact")
GROUP_FIELDS = ("section", "resource_type", "phase", "kind")
# Tables split into one section per value of a field: list items by list, texts by key,
# resources by type (ตารางที่ 4–8 are separate tables in the OPDC form).
SPLIT_FIELD = {"list_items": "section", "texts": "key", "resources": "resource_type"}
# Fields that point at another row by its ref (c1, r2, s1 …): compared and shown by that row's name.
REF_FIELDS = ("primary", "backup", "contact", "parent", "scenario", "responsible", "process", "depends_on")
# A changed row is paired with a removed one when their keys are at least this similar.
SIMILAR_KEY = 0.6


# -- text diff ------------------------------------------------------------------------------


_LEADING_VOWELS = "\u0e40\u0e41\u0e42\u0e43\u0e44"  # เ แ โ ใ ไ: written before their consonant
_FOLLOWING_VOWELS = "\u0e30\u0e32\u0e33\u0e45"  # ะ า ำ ๅ: spacing, but part of the syllable before
_WORDISH = re.compile(r"[A-Za-z0-9\u0e50-\u0e59._%@/:-]+|\s+")


def tokens(text: str) -> list[str]:
    """Split text into diff units: Thai clusters, Latin/digit runs, whitespace runs, other characters."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        m = _WORDISH.match(text, i)
        if m:
            out.append(m.group())
            i = m.end()
            continue
        start = i
        if text[i] in _LEADING_VOWELS and i + 1 < n:
            i += 1  # the vowel travels with the consonant after it
        i += 1
        while i < n and (unicodedata.category(text[i]) == "Mn" or text[i] in _FOLLOWING_VOWELS):
            i += 1
        out.append(text[start:i])
    return out


def text_diff(old: str, new: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Segments of each side: [(EQUAL|DELETE, text)] of the old text, [(EQUAL|INSERT, text)] of the new."""
    a, b = tokens(old or ""), tokens(new or "")
    ops = [list(op) for op in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()]
    # Fold short unchanged islands between two changes into the change ("chaff" cleanup).
    for k in range(1, len(ops) - 1):
        tag, i1, i2, _j1, _j2 = ops[k]
        between_changes = ops[k - 1][0] != "equal" and ops[k + 1][0] != "equal"
        if tag == "equal" and between_changes and len("".join(a[i1:i2]).strip()) <= 2:
            ops[k][0] = "replace"
    merged: list[list] = []
    for op in ops:
        if merged and op[0] != "equal" and merged[-1][0] != "equal":
            merged[-1] = ["replace", merged[-1][1], op[2], merged[-1][3], op[4]]
        else:
            merged.append(op)
    old_segs: list[tuple[str, str]] = []
    new_segs: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in merged:
        if tag == "equal":
            old_segs.append((EQUAL, "".join(a[i1:i2])))
            new_segs.append((EQUAL, "".join(b[j1:j2])))
            continue
        if i2 > i1:
            old_segs.append((DELETE, "".join(a[i1:i2])))
        if j2 > j1:
            new_segs.append((INSERT, "".join(b[j1:j2])))
    return old_segs, new_segs


# -- the structure of a diff ----------------------------------------------------------------


@dataclass
class FieldChange:
    name: str  # dotted path in the row, e.g. "rto" or "impacts.personnel.hit"
    label: str
    old: str  # as displayed
    new: str
    old_segments: list[tuple[str, str]] = field(default_factory=list)
    new_segments: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class RowChange:
    change: str  # "added" | "removed" | "changed"
    label: str  # what the row is called (its key), in the newer version when it has one
    old: dict | None = None
    new: dict | None = None
    fields: list[FieldChange] = field(default_factory=list)  # every field for added/removed rows


@dataclass
class SectionDiff:
    key: str  # export key, e.g. "processes" or "resources/building"
    title: str  # heading as in the OPDC form (ตารางที่ n …)
    editor_section: str  # the editor's section key, for links
    fields: list[FieldChange] = field(default_factory=list)  # a section's own fields (the plan's fields)
    rows: list[RowChange] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.fields or self.rows)

    def count(self, change: str) -> int:
        return sum(1 for r in self.rows if r.change == change)

    @property
    def added(self) -> int:
        return self.count("added")

    @property
    def removed(self) -> int:
        return self.count("removed")

    @property
    def modified(self) -> int:
        return self.count("changed") + (1 if self.fields else 0)


@dataclass
class PlanDiff:
    old: object  # the plans compared (older first when the caller passes them so)
    new: object
    sections: list[SectionDiff]

    @property
    def changed_sections(self) -> list[SectionDiff]:
        return [s for s in self.sections if s.changed]

    @property
    def identical(self) -> bool:
        return not self.changed_sections


# -- sections and labels --------------------------------------------------------------------

# Export key (or an alias a format may use) -> (editor section, model).
TABLES = {
    "list_items": ("objectives", pm.ListItem),
    "texts": ("general", pm.PlanText),
    "scenarios": ("scope", pm.Scenario),
    "contacts": ("contacts", pm.Contact),
    "team_roles": ("team", pm.TeamRole),
    "team": ("team", pm.TeamRole),
    "call_tree": ("calltree", pm.CallTreeNode),
    "calltree": ("calltree", pm.CallTreeNode),
    "processes": ("bia", pm.Process),
    "bia": ("bia", pm.Process),
    "resources": ("resources", pm.Resource),
    "strategies": ("strategies", pm.Strategy),
    "procedure_steps": ("procedures", pm.ProcedureStep),
    "procedures": ("procedures", pm.ProcedureStep),
    "risks": ("optional", pm.Risk),
    "annexes": ("annexes", pm.Annex),
    "revision_history": ("history", pm.RevisionEntry),
    "history": ("history", pm.RevisionEntry),
}
LIST_EDITOR_SECTION = {"objectives": "objectives", "assumptions": "assumptions"}  # others: "optional"


def _section_title(key: str) -> str:
    table, _sep, value = key.partition("/")
    if table in ("list_items", "objectives", "assumptions") or table in pm.ListSection.values:
        which = value or table
        if which == "objectives":
            return _("1. Objectives")
        if which == "assumptions":
            return _("2. Plan assumptions")
        return _label_of(pm.ListSection, which)
    if table == "texts":
        return _label_of(pm.TextSection, value)
    if table == "resources" and value:
        n = pm.RESOURCE_TABLE_NUMBER.get(value)
        label = _label_of(pm.ResourceType, value)
        return _("Table %(n)s: resources needed — %(type)s") % {"n": n, "type": label} if n else label
    titles = {
        "general": _("General information and structured assumptions"),
        "scenarios": _("3. Scope and table 1: impact analysis of crisis scenarios"),
        "contacts": _("Contact list"),
        "team_roles": _("Table 2: business continuity team"),
        "call_tree": _("Call tree"),
        "processes": _("Table 3: impact on work processes and services (BIA)"),
        "resources": _("Tables 4–8: resources needed"),
        "strategies": _("Table 9: business continuity strategies"),
        "procedure_steps": _("9. Continuity management and recovery procedures"),
        "risks": _("Risk assessment"),
        "annexes": _("Annexes"),
        "revision_history": _("Revision history"),
    }
    canonical = {
        "team": "team_roles", "calltree": "call_tree", "bia": "processes", "procedures": "procedure_steps",
        "history": "revision_history",
    }  # fmt: skip
    return titles.get(canonical.get(table, table), table.replace("_", " "))


def _label_of(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _editor_section(key: str) -> str:
    table, _sep, value = key.partition("/")
    if key == "general":
        return "general"
    if table == "list_items" or table in pm.ListSection.values:
        return LIST_EDITOR_SECTION.get(value or table, "optional")
    return TABLES.get(table, ("general", None))[0]


def _order_of(key: str) -> tuple:
    table, _sep, value = key.partition("/")
    order = ["general", "list_items/objectives", "objectives", "list_items/assumptions", "assumptions",
             "scenarios", "contacts", "team_roles", "team", "call_tree", "calltree", "processes", "bia",
             "resources", "strategies", "procedure_steps", "procedures", "risks", "list_items", "annexes",
             "texts", "revision_history", "history"]  # fmt: skip
    for i, k in enumerate(order):
        if key == k:
            return (i, 0, "")
    if table == "resources":
        return (order.index("resources"), pm.RESOURCE_TABLE_NUMBER.get(value, 99), value)
    if table in order:
        return (order.index(table), 50, value)
    return (len(order), 0, key)


def _model_field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except Exception:  # noqa: BLE001 — any unknown name: no model field
        return None


def _field_label(model, path: str) -> str:
    parts = path.split(".")
    if parts[0] == "texts" and len(parts) == 2:
        return _label_of(pm.TextSection, parts[1])
    if parts[0] == "impacts" and len(parts) >= 2:
        label = _label_of(pm.ResourceType, parts[1])
        if len(parts) >= 3 and parts[2] == "note":
            return _("Impact on %(type)s: note") % {"type": label}
        return _("Impact on %(type)s") % {"type": label}
    f = _model_field(model or pm.Plan, parts[-1]) or _model_field(pm.Plan, parts[-1])
    if f is not None and getattr(f, "verbose_name", None):
        text = str(f.verbose_name)
        return text[:1].upper() + text[1:]
    return parts[-1].replace("_", " ")


def _display(model, path: str, value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    f = _model_field(model or pm.Plan, path.split(".")[-1])
    if f is not None and getattr(f, "choices", None) and isinstance(value, str):
        return str(dict(f.choices).get(value, value))
    if path.startswith("impacts.") and path.endswith(".hit"):
        return _("Yes") if value else _("No")
    if isinstance(value, (list, dict)):
        if isinstance(value, list) and all(not isinstance(v, (list, dict)) for v in value):
            return ", ".join(str(v) for v in value)
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


# -- walking the export ---------------------------------------------------------------------


def _is_table(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, dict) for v in value)


def _flatten(d: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in d.items():
        if k in IGNORED_KEYS:
            continue
        path = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flatten(v, path + "."))
        else:
            out[path] = v
    return out


def _holds_tables(d: dict) -> bool:
    return any(isinstance(v, list) for v in d.values())


def _walk(data: dict, fields: dict, tables: dict) -> None:
    """Split an export into the plan's own fields and its tables (lists of rows)."""
    for k, v in data.items():
        if k in IGNORED_KEYS:
            continue
        if isinstance(v, list):
            rows = v if _is_table(v) else [{"text": x} for x in v]
            split = SPLIT_FIELD.get(k)
            if split and all(split in r for r in rows):
                for r in rows:
                    tables.setdefault(f"{k}/{r[split]}", []).append(r)
                tables.setdefault(k, [])  # so a table emptied on one side still compares
            else:
                tables[k] = rows
        elif isinstance(v, dict) and _holds_tables(v):
            _walk(v, fields, tables)
        elif isinstance(v, dict):
            fields.update(_flatten(v, f"{k}."))
        else:
            fields[k] = v


def _resolve_refs(data: dict) -> dict:
    """A copy of the export where refs to other rows (c1, r2 …) are replaced by those rows' names.

    Refs are numbered by position, so reordering the contacts would otherwise "change" every team
    role; and a reader wants to see a person's name, not "c3".
    """
    fields: dict = {}
    tables: dict = {}
    _walk(data, fields, tables)
    names: dict[str, str] = {}
    for rows in tables.values():
        for r in rows:
            if isinstance(r.get("ref"), str) and ("name" in r or "title" in r):
                names[r["ref"]] = str(r.get("name") or r.get("title") or "")
    for rows in tables.values():  # call-tree nodes are named by their person
        for r in rows:
            if isinstance(r.get("ref"), str) and r["ref"] not in names and isinstance(r.get("contact"), str):
                names[r["ref"]] = names.get(r["contact"], r["contact"])

    return _replace_refs(data, names)


def _replace_refs(value, names: dict, key: str | None = None):
    if isinstance(value, dict):
        return {k: _replace_refs(v, names, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_refs(v, names, key) for v in value]
    if key in REF_FIELDS and isinstance(value, str):
        return names.get(value, value)
    return value


def _row_key_field(rows: list[dict]) -> str | None:
    for name in KEY_FIELDS:
        if any(name in r for r in rows):
            return name
    return None


def _norm(value) -> str:
    return " ".join(str(value or "").split())


def _match(old_rows: list[dict], new_rows: list[dict]) -> list[tuple[dict | None, dict | None]]:
    """Pairs (old, new); (old, None) removed, (None, new) added. In the new version's order."""
    key_field = _row_key_field(old_rows + new_rows)
    groups = [g for g in GROUP_FIELDS if any(g in r for r in old_rows + new_rows)]

    def group(r):
        return tuple(str(r.get(g)) for g in groups)

    def key(r):
        return (group(r), _norm(r.get(key_field)) if key_field else "")

    if key_field is None:  # nothing names the rows: match by position
        pairs = list(zip(old_rows, new_rows, strict=False))
        pairs += [(o, None) for o in old_rows[len(new_rows) :]]
        pairs += [(None, n) for n in new_rows[len(old_rows) :]]
        return pairs

    unmatched_old = list(range(len(old_rows)))
    match_of_new: dict[int, int] = {}
    for j, n in enumerate(new_rows):  # exact key, first come first served (duplicates pair in order)
        for pos, i in enumerate(unmatched_old):
            if key(old_rows[i]) == key(n):
                match_of_new[j] = i
                del unmatched_old[pos]
                break
    for j, n in enumerate(new_rows):  # then the most similar key in the same group
        if j in match_of_new:
            continue
        best, best_ratio = None, SIMILAR_KEY
        for i in unmatched_old:
            o = old_rows[i]
            if group(o) != group(n):
                continue
            ratio = difflib.SequenceMatcher(None, key(o)[1], key(n)[1], autojunk=False).ratio()
            if ratio >= best_ratio:
                best, best_ratio = i, ratio
        if best is not None:
            match_of_new[j] = best
            unmatched_old.remove(best)
    pairs: list[tuple[dict | None, dict | None]] = []
    removed = sorted(unmatched_old)
    for j, n in enumerate(new_rows):
        i = match_of_new.get(j)
        # a removed row is shown just before the first row that followed it in the old version
        while removed and i is not None and removed[0] < i:
            pairs.append((old_rows[removed.pop(0)], None))
        pairs.append((old_rows[i] if i is not None else None, n))
    pairs += [(old_rows[i], None) for i in removed]
    return pairs


def _field_changes(model, old: dict, new: dict, *, all_fields: bool = False) -> list[FieldChange]:
    out = []
    for name in list(dict.fromkeys([*old, *new])):
        a, b = old.get(name), new.get(name)
        if not all_fields and (a == b or (a in (None, "", []) and b in (None, "", []))):
            continue
        if all_fields and a in (None, "", [], False) and b in (None, "", [], False):
            continue
        da, db = _display(model, name, a), _display(model, name, b)
        if isinstance(a, str) and isinstance(b, str) and a and b:
            old_segs, new_segs = text_diff(a, b)
        else:
            old_segs = [(DELETE, da)] if a not in (None, "", []) else []
            new_segs = [(INSERT, db)] if b not in (None, "", []) else []
        out.append(FieldChange(name, _field_label(model, name), da, db, old_segs, new_segs))
    return out


def _row_label(model, row: dict | None, fallback: str) -> str:
    if not row:
        return fallback
    name = _row_key_field([row])
    if name and row.get(name) not in (None, ""):
        return _display(model, name, row[name])[:120]
    return fallback


def _diff_table(key: str, old_rows: list[dict], new_rows: list[dict]) -> list[RowChange]:
    model = TABLES.get(key.partition("/")[0], (None, None))[1]
    changes = []
    for n, (o, nw) in enumerate(_match(old_rows, new_rows), start=1):
        fallback = _("Row %(n)d") % {"n": n}
        fo, fn = _flatten(o or {}), _flatten(nw or {})
        if o is None:
            changes.append(RowChange("added", _row_label(model, nw, fallback), None, nw,
                                     _field_changes(model, {}, fn, all_fields=True)))  # fmt: skip
        elif nw is None:
            changes.append(RowChange("removed", _row_label(model, o, fallback), o, None,
                                     _field_changes(model, fo, {}, all_fields=True)))  # fmt: skip
        else:
            fields = _field_changes(model, fo, fn)
            if fields:
                changes.append(RowChange("changed", _row_label(model, nw, fallback), o, nw, fields))
    return changes


def diff_exports(old: dict, new: dict) -> list[SectionDiff]:
    """Section-by-section differences between two exports of a plan (dicts in the export format)."""
    old_fields, old_tables, new_fields, new_tables = {}, {}, {}, {}
    _walk(_resolve_refs(old or {}), old_fields, old_tables)
    _walk(_resolve_refs(new or {}), new_fields, new_tables)
    sections = [
        SectionDiff("general", _section_title("general"), "general",
                    fields=_field_changes(pm.Plan, old_fields, new_fields))
    ]  # fmt: skip
    all_keys = list(dict.fromkeys([*old_tables, *new_tables]))
    # A split table (list items by list, …) is compared by its parts, not as a whole.
    keys = [k for k in all_keys if not (k in SPLIT_FIELD and any(x.startswith(f"{k}/") for x in all_keys))]
    for key in sorted(keys, key=_order_of):
        rows = _diff_table(key, old_tables.get(key, []), new_tables.get(key, []))
        sections.append(SectionDiff(key, _section_title(key), _editor_section(key), rows=rows))
    return sections


def export_of(plan) -> dict:
    """An approved or superseded plan by its frozen snapshot; a draft by a fresh export."""
    if plan.status in (pm.Status.APPROVED, pm.Status.SUPERSEDED) and plan.snapshot:
        return plan.snapshot
    from plans import portability

    return portability.export_plan(plan)


def diff_plans(a, b) -> PlanDiff:
    """What changed from plan `a` to plan `b` (two versions of one organization's plan)."""
    return PlanDiff(a, b, diff_exports(export_of(a), export_of(b)))
