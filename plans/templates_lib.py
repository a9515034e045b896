"""Start a plan from the template library (plans/library/): a complete, coherent draft in one go.

Everything the library knows comes out filled in: objectives, assumptions, scenarios and
ตารางที่ 1, processes (ตารางที่ 3), resources (ตารางที่ 4–8), strategies (ตารางที่ 9), procedures (§9),
external contacts and annexes. The people are placeholders ("ระบุชื่อ — …", no phone): the team
(ตารางที่ 2) and the call tree have their shape — a leader, a coordinator, one head per unit, IT,
each with a backup — but the planner must name the people, so the checker rightly still asks for
their names and phones.

Rows are written with one bulk insert per table inside one transaction: a plan takes a few dozen
queries, whatever its size.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from audit.log import record
from plans.actions import create_plan, next_review_default
from plans.library import Library, library_for
from plans.models import (
    Annex,
    CallTreeNode,
    Contact,
    ContactKind,
    ListItem,
    ListSection,
    Plan,
    PlanText,
    ProcedureStep,
    Process,
    Resource,
    Scenario,
    Strategy,
    TeamRole,
    TextSection,
    Unit,
)

# A unit the library does not know (the organization named it itself) gets this staffing need.
GENERIC_NEED = [0, 1, 2, 2, 2]


class _Context(dict):
    """str.format_map fields; an unknown field stays as written instead of failing."""

    def __missing__(self, key):
        return "{" + key + "}"


def fill(text: str, ctx: dict) -> str:
    return text.format_map(_Context(ctx)) if text else text


# -- units -----------------------------------------------------------------------------------


@transaction.atomic
def ensure_units(org, *, by=None, request=None) -> list[Unit]:
    """The organization's units; when it has none, its type's default units are created first."""
    units = list(Unit.objects.filter(org=org).order_by("order", "id"))
    if units:
        return units
    lib = library_for(org.kind)
    Unit.objects.bulk_create(
        [Unit(org=org, name_th=u["name"], order=i) for i, u in enumerate(lib.units, start=1)],
        ignore_conflicts=True,  # someone else created them at the same moment: keep theirs
    )
    units = list(Unit.objects.filter(org=org).order_by("order", "id"))
    record(
        "org.units.default", actor=by, organization=org, obj=org, request=request,
        summary=", ".join(u.name_th for u in units),
    )  # fmt: skip
    return units


def match_units(lib: Library, units: list[Unit]) -> tuple[dict[str, Unit], dict[int, dict]]:
    """Library unit key -> the organization's unit, and org unit pk -> its library entry (if any)."""
    by_key: dict[str, Unit] = {}
    by_unit: dict[int, dict] = {}
    for unit in units:
        for entry in lib.units:
            prefixes = [entry["name"], *entry.get("match", [])]
            if entry["key"] not in by_key and any(unit.name_th.startswith(p) for p in prefixes):
                by_key[entry["key"]] = unit
                by_unit[unit.pk] = entry
                break
    return by_key, by_unit


# -- the plan --------------------------------------------------------------------------------


def context_for(org, lib: Library) -> dict:
    district = org.district.name_th if org.district_id and org.district else ""
    province = org.province.name_th if org.province_id and org.province else ""
    ctx = {
        "org": org.name_th,
        "org_short": org.short_name_th or org.name_th,
        "district": district or "อำเภอ",
        "province": province.removeprefix("จังหวัด"),
        "absence": lib.common.DEFAULTS["absence_percent"],
        "days": lib.common.DEFAULTS["longest_outage_days"],
    }
    ctx["alternate_site"] = fill(lib.alternate_site, ctx)
    return ctx


@transaction.atomic
def start_from_template(org, *, by, request=None) -> Plan:
    """A new draft plan for `org`, filled from the library for its type of organization."""
    lib = library_for(org.kind)
    units = ensure_units(org, by=by, request=request)
    plan = create_plan(org, by=by, request=request)
    ctx = context_for(org, lib)
    Plan.objects.filter(pk=plan.pk).update(
        absence_percent=lib.common.DEFAULTS["absence_percent"],
        longest_outage_days=lib.common.DEFAULTS["longest_outage_days"],
        alternate_site=ctx["alternate_site"][:300],
        next_review_date=next_review_default(timezone.localdate()),  # plans are reviewed yearly
        updated_at=timezone.now(),
    )
    plan.refresh_from_db()

    _texts_and_lists(plan, lib, ctx)
    scenarios = _scenarios(plan, lib, ctx)
    roles, units_by_key = _team(plan, lib, units)
    _external_contacts(plan, lib, org)
    _processes(plan, lib, units, units_by_key)
    _resources(plan, lib, units, ctx)
    _strategies(plan, lib, ctx, scenarios)
    _procedures(plan, lib, ctx, roles, scenarios)

    record(
        "plan.start_from_template", actor=by, organization=org, obj=plan, request=request,
        summary=plan.title, data={"kind": org.kind, "units": [u.name_th for u in units]},
    )  # fmt: skip
    return plan


def _texts_and_lists(plan, lib, ctx) -> None:
    c = lib.common
    PlanText.objects.bulk_create(
        [
            PlanText(plan=plan, key=TextSection.INTRODUCTION, text=fill(c.INTRODUCTION, ctx), order=1),
            PlanText(plan=plan, key=TextSection.SCOPE_NOTE, text=fill(c.SCOPE_NOTE, ctx), order=2),
        ]
    )
    items = []
    for section, texts in (
        (ListSection.OBJECTIVES, c.OBJECTIVES),
        (ListSection.ASSUMPTIONS, c.ASSUMPTIONS),
        (ListSection.PREVENTION, c.PREVENTION),
        (ListSection.LEGAL, c.LEGAL),
    ):
        items += [
            ListItem(plan=plan, section=section, text=fill(t, ctx), order=i) for i, t in enumerate(texts, 1)
        ]
    ListItem.objects.bulk_create(items)
    Annex.objects.bulk_create(
        [Annex(plan=plan, title=t, text=fill(x, ctx), order=i) for i, (t, x) in enumerate(c.ANNEXES, 1)]
    )


def _scenarios(plan, lib, ctx) -> dict[str, Scenario]:
    rows = [
        Scenario(
            plan=plan,
            kind=s["kind"],
            name=s["name"],
            description=fill(s["description"], ctx),
            order=i,
            impacts={rt: {"hit": hit, "note": note} for rt, (hit, note) in s["impacts"].items()},
        )  # fmt: skip
        for i, s in enumerate(lib.common.SCENARIOS, 1)
    ]
    Scenario.objects.bulk_create(rows)
    return {s.kind: s for s in rows}


def _team(plan, lib, units) -> tuple[dict[str, TeamRole], dict[str, Unit]]:
    """Placeholder people, the roles of ตารางที่ 2 and the shape of the call tree."""
    c = lib.common
    units_by_key, entry_by_unit = match_units(lib, units)
    it_unit = units_by_key.get(lib.it_unit) or (units[0] if units else None)
    # (key, title, duties, unit name, (primary position, backup position))
    specs = [
        (c.LEADER["key"], c.LEADER["title"], c.LEADER["duties"], "", lib.leader_position),
        (c.COORDINATOR["key"], c.COORDINATOR["title"], c.COORDINATOR["duties"], "", lib.coordinator_position),
    ]
    for unit in units:
        entry = entry_by_unit.get(unit.pk, {})
        title = fill(c.UNIT_HEAD_TITLE, {"unit": unit.name_th})
        duties = entry.get("duties") or fill(c.UNIT_HEAD_DUTIES, {"unit": unit.name_th})
        positions = (entry.get("position", f"หัวหน้า{unit.name_th}"), entry.get("backup_position", ""))
        specs.append((f"unit:{unit.pk}", title, duties, unit.name_th, positions))
    specs.append(
        (c.IT_ROLE["key"], c.IT_ROLE["title"], c.IT_ROLE["duties"], it_unit.name_th if it_unit else "",
         lib.it_position)
    )  # fmt: skip

    contacts = []
    for i, (_key, title, _duties, unit_name, (pos, backup_pos)) in enumerate(specs):
        for j, (name, position) in enumerate(
            ((c.PLACEHOLDER_NAME, pos), (c.PLACEHOLDER_BACKUP_NAME, backup_pos))
        ):
            contacts.append(
                Contact(
                    plan=plan,
                    kind=ContactKind.INTERNAL,
                    name=fill(name, {"role": title})[:200],
                    position=position,
                    unit=unit_name,
                    notes=c.PLACEHOLDER_NOTE,
                    order=2 * i + j + 1,
                )  # fmt: skip
            )
    Contact.objects.bulk_create(contacts)
    roles = [
        TeamRole(plan=plan, title=title, duties=duties, primary=contacts[2 * i], backup=contacts[2 * i + 1],
                 order=i + 1)
        for i, (_key, title, duties, _unit, _pos) in enumerate(specs)
    ]  # fmt: skip
    TeamRole.objects.bulk_create(roles)
    by_key = {spec[0]: role for spec, role in zip(specs, roles, strict=True)}
    for key, unit in units_by_key.items():
        by_key[f"unit:{key}"] = by_key[f"unit:{unit.pk}"]

    _call_tree(plan, roles)
    return by_key, units_by_key


def _call_tree(plan, roles: list[TeamRole]) -> None:
    """Leader -> coordinator -> every other role's primary; each primary then calls their backup.

    A primary's node also names the role's backup as "if unreachable, call". One insert per level.
    """
    leader, coordinator, others = roles[0], roles[1], roles[2:]
    root = CallTreeNode(plan=plan, contact=leader.primary, backup=leader.backup, order=1)
    root.save()
    middle = CallTreeNode(
        plan=plan, contact=coordinator.primary, backup=coordinator.backup, parent=root, order=1
    )
    middle.save()
    heads = [
        CallTreeNode(plan=plan, contact=r.primary, backup=r.backup, parent=middle, order=i)
        for i, r in enumerate(others, 1)
    ]
    CallTreeNode.objects.bulk_create(heads)
    backups = [
        CallTreeNode(plan=plan, contact=leader.backup, parent=root, order=2),
        CallTreeNode(plan=plan, contact=coordinator.backup, parent=middle, order=len(others) + 1),
    ]
    backups += [
        CallTreeNode(plan=plan, contact=r.backup, parent=node, order=1)
        for r, node in zip(others, heads, strict=True)
    ]
    CallTreeNode.objects.bulk_create(backups)


def _external_contacts(plan, lib, org) -> None:
    ext = lib.external
    province = ext.PROVINCES.get(org.province.geocode if org.province_id and org.province else "")
    district_geocode = org.district.geocode if org.district_id and org.district else ""
    local = (province or {}).get("districts", {}).get(district_geocode)
    if local:
        district_name, hospital, hospital_phone, district_phone, police_phone = local
    else:
        district_name = (org.district.name_th if org.district_id else "").removeprefix("อำเภอ")
        hospital, hospital_phone, district_phone, police_phone = "ใกล้สำนักงาน (ระบุชื่อ)", "", "", ""
    province_name = (
        province["province"] if province else (org.province.name_th if org.province_id else "")
    ).removeprefix("จังหวัด")
    phones = dict((province or {}).get("phones", {}))
    phones.update(hospital=hospital_phone, district_office=district_phone, police=police_phone)
    ctx = {"district": district_name, "province": province_name, "hospital": hospital}

    rows = [
        Contact(plan=plan, kind=ContactKind.EXTERNAL, name=name, unit=unit, phone=phone)
        for name, unit, phone in ext.NATIONAL
    ]
    for key, name, unit in ext.LOCAL:
        phone = phones.get(key, "")
        rows.append(
            Contact(
                plan=plan,
                kind=ContactKind.EXTERNAL,
                name=fill(name, ctx),
                unit=unit,
                phone=phone,
                notes=ext.CHECK_NOTE if phone else ext.FILL_NOTE,
            )  # fmt: skip
        )
    for i, row in enumerate(rows, 1):
        row.order = i
    Contact.objects.bulk_create(rows)


def _processes(plan, lib, units, units_by_key) -> None:
    fallback = units[0].name_th if units else ""
    rows = []
    for i, p in enumerate(lib.processes, 1):
        unit = units_by_key.get(p["unit"])
        channel_type, channel_detail = p.get("channel", ("", ""))
        rows.append(
            Process(
                plan=plan,
                name=p["name"],
                unit=unit.name_th if unit else fallback,
                mission=p["mission"],
                impact=p["impact"],
                rto=p["rto"],
                mtpd=p.get("mtpd", ""),
                mbco=p.get("mbco", ""),
                it_systems=p.get("it_systems", ""),
                partners=p.get("partners", ""),
                channel_type=channel_type,
                channel_detail=channel_detail,
                peak_periods=p.get("peak", ""),
                order=i,
            )  # fmt: skip
        )
    Process.objects.bulk_create(rows)


def _resources(plan, lib, units, ctx) -> None:
    rows = []

    def add(resource_type, name, measure, quantities, notes, order):
        h4, d1, w1, w2, m1 = quantities
        rows.append(
            Resource(
                plan=plan,
                resource_type=resource_type,
                name=name,
                measure=measure,
                q_h4=h4,
                q_d1=d1,
                q_w1=w1,
                q_w2=w2,
                q_m1=m1,
                notes=notes,
                order=order,
            )  # fmt: skip
        )

    for resource_type in ("building", "equipment", "it_data"):
        for i, (name, measure, q, notes) in enumerate(lib.resources.get(resource_type, []), 1):
            add(resource_type, fill(name, ctx), measure, q, fill(notes, ctx), i)
    _, entry_by_unit = match_units(lib, units)
    absence = ctx["absence"]
    for i, unit in enumerate(units, 1):
        entry = entry_by_unit.get(unit.pk)
        if entry:
            note = (
                f"อัตรากำลังประมาณ {entry['staff']} คน จำนวนที่ต้องการไม่เกินร้อยละ {100 - absence} "
                f"ตามสมมติฐานบุคลากรไม่สามารถปฏิบัติงานได้ร้อยละ {absence}"
            )
            add("personnel", f"บุคลากร{unit.name_th}", "คน", entry["need"], note, i)
        else:
            add("personnel", f"บุคลากร{unit.name_th}", "คน", GENERIC_NEED, "โปรดทบทวนตามอัตรากำลังจริง", i)
    for i, (name, measure, q, notes) in enumerate(lib.resources.get("partners", []), 1):
        add("partners", fill(name, ctx), measure, q, fill(notes, ctx), i)
    Resource.objects.bulk_create(rows)


def _strategies(plan, lib, ctx, scenarios) -> None:
    rows = []
    for resource_type, entries in lib.common.STRATEGIES.items():
        for i, entry in enumerate(entries, 1):
            text, scenario_kind = (entry, None) if isinstance(entry, str) else entry
            rows.append(
                Strategy(
                    plan=plan,
                    resource_type=resource_type,
                    text=fill(text, ctx),
                    order=i,
                    scenario=scenarios.get(scenario_kind) if scenario_kind else None,
                )  # fmt: skip
            )
    Strategy.objects.bulk_create(rows)


def _procedures(plan, lib, ctx, roles, scenarios) -> None:
    rows = []
    for phase, steps in lib.common.PROCEDURES.items():
        for i, (text, role_key, *scenario_kind) in enumerate(steps, 1):
            rows.append(
                ProcedureStep(
                    plan=plan,
                    phase=phase,
                    text=fill(text, ctx),
                    order=i,
                    responsible=roles.get(role_key) or roles.get("coordinator"),
                    scenario=scenarios.get(scenario_kind[0]) if scenario_kind else None,
                )  # fmt: skip
            )
    ProcedureStep.objects.bulk_create(rows)
