"""The plan template library: typical BCP content of a Thai local government, as editable data.

Layout:
    common.py        what every plan shares: introduction, objectives, assumptions, scenarios with
                     their ตารางที่ 1 impacts, strategies (ตารางที่ 9), procedures (§9), team roles,
                     annexes, legal basis, prevention
    external.py      external contacts: national short codes and local offices (Phrae numbers)
    sao.py           อบต. (subdistrict administrative organization): units, processes, resources
    municipality.py  เทศบาล (subdistrict, town and city municipality)
    pao.py           อบจ. (provincial administrative organization)

A family module holds UNITS, LEADER_POSITION, COORDINATOR_POSITION, IT_POSITION, (IT_UNIT),
ALTERNATE_SITE, PROCESSES and RESOURCES; see sao.py for the shape of each. To change what a new plan
starts from, edit the data; plans.templates_lib turns it into rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import ModuleType

from orgs.models import Kind
from plans.library import common, external, municipality, pao, sao

FAMILY_BY_KIND: dict[str, ModuleType] = {
    Kind.SAO: sao,
    Kind.SUBDISTRICT_MUNICIPALITY: municipality,
    Kind.TOWN_MUNICIPALITY: municipality,
    Kind.CITY_MUNICIPALITY: municipality,
    Kind.PATTAYA: municipality,
    Kind.PAO: pao,
}
# Organizations of another kind (a district, a province) start from the smallest template.
DEFAULT_FAMILY = sao
SMALL_KINDS = {Kind.SUBDISTRICT_MUNICIPALITY}


@dataclass
class Library:
    """The template content for one kind of organization (processes filtered to that kind)."""

    kind: str
    units: list[dict]
    processes: list[dict]
    resources: dict[str, list[tuple]]
    leader_position: tuple[str, str]
    coordinator_position: tuple[str, str]
    it_position: tuple[str, str]
    it_unit: str
    alternate_site: str
    common: ModuleType = field(default=common)
    external: ModuleType = field(default=external)


def family_for(kind: str) -> ModuleType:
    return FAMILY_BY_KIND.get(kind, DEFAULT_FAMILY)


def library_for(kind: str) -> Library:
    family = family_for(kind)
    small = kind in SMALL_KINDS
    units = []
    for unit in family.UNITS:
        unit = dict(unit)
        if small and "need_small" in unit:
            unit["need"], unit["staff"] = unit["need_small"], unit.get("staff_small", unit["staff"])
        units.append(unit)
    return Library(
        kind=kind,
        units=units,
        processes=[p for p in family.PROCESSES if "kinds" not in p or kind in p["kinds"]],
        resources=family.RESOURCES,
        leader_position=family.LEADER_POSITION,
        coordinator_position=family.COORDINATOR_POSITION,
        it_position=family.IT_POSITION,
        it_unit=getattr(family, "IT_UNIT", "admin"),
        alternate_site=family.ALTERNATE_SITE,
    )
