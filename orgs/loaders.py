"""Loading organizations from open data and from the project's own fixtures.

Two sources, one code path:

* ``load_country(data_dir)`` reads the official open-data lists described in shared/data/SOURCES.md:
  ``thailand/provinces.csv`` (77), ``thailand/districts.csv`` (928 = 878 อำเภอ + 50 Bangkok เขต) and
  ``thailand/lgo_dla.csv`` (7,849 อปท. from DLA's dataset dlads_05_01).
* ``load_fixture(path)`` reads a JSON file in the ``phrom.organizations`` format (orgs/fixtures/phrae.json).

Both turn their input into ``OrgRecord``s named by natural keys — ``opdc``, ``dla``, ``province:<geocode>``,
``provincial_office:<province geocode>``, ``district:<geocode>``, ``lgo:<DLA code>`` — and hand them to
``sync_records()``, which matches them to existing rows, creates what is missing and updates only the
fields whose values differ. Because both sources produce the same keys and the same values for the
fields they share, ``load_country`` after ``load_demo`` updates the Phrae rows in place (it never
duplicates them), and a second run of either changes nothing.

Decisions worth knowing:

* Bangkok is a province-level body (name_th "กรุงเทพมหานคร", not "จังหวัดกรุงเทพมหานคร") whose 50 เขต load as
  districts; it gets no provincial local-administration office, because DLA does not administer the
  BMA (and lgo_dla.csv has no Bangkok LGOs). Its parent is the DLA all the same, so that the tree
  stays a tree and the DLA's overseers see every province.
* An LGO's identity is not its DLA code: the code changes when an อบต. becomes a เทศบาลตำบล (type digit
  6 → 5). See ``_match_lgos`` for how a row is matched to an existing organization.
* Coordinates from the national file only fill empty values: DLA points are coarse (some rounded to
  0.01°, some outside their district), so a better point set by a fixture or by a person is kept.
* Rows that disappear from the file are neither deleted nor deactivated (plans and memberships hang
  off them); they are counted in ``LoadResult.not_in_source`` for a person to look at.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from orgs.actions import ancestors_for
from orgs.models import KIND_ABBREV, LGO_KINDS, DlaCode, Kind, Organization

PROVINCES_FILE = "thailand/provinces.csv"
DISTRICTS_FILE = "thailand/districts.csv"
LGO_FILE = "thailand/lgo_dla.csv"
COUNTRY_FILES = (PROVINCES_FILE, DISTRICTS_FILE, LGO_FILE)
# Columns the loader reads; other columns are allowed (the files carry provenance columns).
REQUIRED_COLUMNS = {
    PROVINCES_FILE: ("province_code", "name_th", "name_en"),
    DISTRICTS_FILE: ("district_code", "province_code", "name_th", "name_en", "postal_code"),
    LGO_FILE: (
        "dla_code", "lgo_type", "abbrev_th", "name_th", "full_name_th", "province_code", "district_code",
        "center_lat", "center_lon",
    ),
}  # fmt: skip

DEFAULT_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "phrae.json"
FIXTURE_FORMAT = "phrom.organizations"
FIXTURE_VERSION = 1

BANGKOK = "10"
# The two national bodies; fixtures may add addresses and letter prefixes to them.
NATIONAL_BODIES = {
    Kind.OPDC: {
        "name_th": "สำนักงานคณะกรรมการพัฒนาระบบราชการ",
        "name_en": "Office of the Public Sector Development Commission",
        "short_name_th": "สำนักงาน ก.พ.ร.",
    },
    Kind.DLA: {
        "name_th": "กรมส่งเสริมการปกครองท้องถิ่น",
        "name_en": "Department of Local Administration",
        "short_name_th": "สถ.",
    },
}
PROVINCIAL_OFFICE_TH = "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด"

# lgo_dla.csv's lgo_type → Kind. Pattaya is "special_admin_area" (ท้องถิ่นรูปแบบพิเศษ) in the file.
LGO_TYPES = {
    "provincial_admin_org": Kind.PAO,
    "city_municipality": Kind.CITY_MUNICIPALITY,
    "town_municipality": Kind.TOWN_MUNICIPALITY,
    "subdistrict_municipality": Kind.SUBDISTRICT_MUNICIPALITY,
    "subdistrict_admin_org": Kind.SAO,
    "special_admin_area": Kind.PATTAYA,
    "pattaya": Kind.PATTAYA,
}
# The Thai type word in front of an LGO's name, stripped to compare names across an upgrade.
LGO_TYPE_TH = {
    Kind.PAO: "องค์การบริหารส่วนจังหวัด",
    Kind.CITY_MUNICIPALITY: "เทศบาลนคร",
    Kind.TOWN_MUNICIPALITY: "เทศบาลเมือง",
    Kind.SUBDISTRICT_MUNICIPALITY: "เทศบาลตำบล",
    Kind.SAO: "องค์การบริหารส่วนตำบล",
}
# Type digits (first digit of the DLA code) between which an upgrade can happen: อบต. 6 → ทต. 5 →
# ทม. 4 → ทน. 3. A jump of two steps (6 → 4) is rare but legal, so any step up the ladder counts.
UPGRADE_DIGITS = "3456"

# The level of each kind in the tree: records are written level by level so parents exist first.
LEVEL = {
    Kind.OPDC: 0,
    Kind.DLA: 0,
    Kind.PROVINCE: 1,
    Kind.PROVINCIAL_OFFICE: 2,
    Kind.DISTRICT: 2,
    **dict.fromkeys(LGO_KINDS, 3),
}
PARENT_KINDS = {
    Kind.OPDC: (),
    Kind.DLA: (),
    Kind.PROVINCE: (Kind.DLA,),
    Kind.PROVINCIAL_OFFICE: (Kind.PROVINCE,),
    Kind.DISTRICT: (Kind.PROVINCE,),
    **dict.fromkeys(LGO_KINDS, (Kind.DISTRICT,)),
}
KEY_PREFIX = {
    Kind.PROVINCE: "province",
    Kind.PROVINCIAL_OFFICE: "provincial_office",
    Kind.DISTRICT: "district",
    **dict.fromkeys(LGO_KINDS, "lgo"),
}

# Organization fields a source may set. kind/parent and the denormalised links are the loader's job.
DATA_FIELDS = (
    "name_th", "name_en", "short_name_th", "geocode", "dla_code", "letter_prefix", "address",
    "postal_code", "phone", "email", "website", "latitude", "longitude", "is_active",
)  # fmt: skip
DECIMAL_FIELDS = frozenset({"latitude", "longitude"})
SIX_PLACES = Decimal("0.000001")
# Thailand's extent with a small margin; DLA points outside it are data-entry errors.
THAILAND_LAT = (5.5, 20.6)
THAILAND_LON = (97.2, 105.8)
BATCH_SIZE = 1000  # psycopg caps a statement at 65,535 parameters; SQLite's limit is applied by Django
MAX_ERRORS = 20


class LoadError(Exception):
    """Bad input (missing file, wrong header, malformed row). The message is meant for people."""


@dataclass
class OrgRecord:
    """One organization as a source describes it."""

    key: str
    kind: str
    parent: str | None
    fields: dict[str, Any]
    # Values written only where the organization has none yet (see the module docstring).
    fill: dict[str, Any] = field(default_factory=dict)
    where: str = ""


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class LoadResult:
    counts: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    # (old code, new code, new name) for every LGO matched across a type upgrade
    upgrades: list[tuple[str, str, str]] = field(default_factory=list)
    codes_added: int = 0
    # Organizations of a kind the source lists in full that the source no longer has
    not_in_source: list[Organization] = field(default_factory=list)
    orgs: dict[str, Organization] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    source: str = ""

    @property
    def created(self) -> int:
        return sum(c.created for c in self.counts.values())

    @property
    def updated(self) -> int:
        return sum(c.updated for c in self.counts.values())

    @property
    def unchanged(self) -> int:
        return sum(c.unchanged for c in self.counts.values())

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.codes_added)


# -- names and keys ----------------------------------------------------------------------------


def normalize_space(text: str) -> str:
    return " ".join((text or "").split())


def bare_lgo_name(kind: str, name_th: str) -> str:
    """The place name of an LGO without its type word: องค์การบริหารส่วนตำบลป่าแดง → ป่าแดง."""
    name = normalize_space(name_th)
    prefixes = [LGO_TYPE_TH.get(kind, "")] + sorted(LGO_TYPE_TH.values(), key=len, reverse=True)
    for prefix in prefixes:
        if prefix and name.startswith(prefix):
            return name[len(prefix) :].strip()
    return name


def is_upgrade(old_code: str, new_code: str) -> bool:
    """Whether old_code → new_code is a type upgrade of one LGO (same area and running digits)."""
    old, new = old_code[:1], new_code[:1]
    return (
        old_code[1:] == new_code[1:]
        and old in UPGRADE_DIGITS
        and new in UPGRADE_DIGITS
        and UPGRADE_DIGITS.index(new) < UPGRADE_DIGITS.index(old)
    )


def key_for(kind: str, fields: dict[str, Any]) -> str:
    """The natural key a record of this kind with these fields must have."""
    if kind in (Kind.OPDC, Kind.DLA):
        return str(kind)
    if kind in LGO_KINDS:
        return f"lgo:{fields.get('dla_code') or ''}"
    return f"{KEY_PREFIX[kind]}:{fields.get('geocode') or ''}"


def province_fields(code: str, name_th: str, name_en: str) -> dict[str, Any]:
    if code == BANGKOK:
        # Bangkok is a special local government of province rank, not a จังหวัด.
        return {"name_th": name_th, "name_en": name_en, "short_name_th": "กทม.", "geocode": code}
    return {
        "name_th": f"จังหวัด{name_th}",
        "name_en": name_en,
        "short_name_th": f"{KIND_ABBREV[Kind.PROVINCE]}{name_th}",
        "geocode": code,
    }


def provincial_office_fields(code: str, name_th: str, name_en: str) -> dict[str, Any]:
    return {
        "name_th": f"{PROVINCIAL_OFFICE_TH}{name_th}",
        "name_en": f"{name_en} Provincial Local Administration Office" if name_en else "",
        "short_name_th": f"{KIND_ABBREV[Kind.PROVINCIAL_OFFICE]}{name_th}",
        "geocode": code,
    }


def district_fields(code: str, province_code: str, name_th: str, name_en: str, postal_code: str):
    word, short = ("เขต", "เขต") if province_code == BANGKOK else ("อำเภอ", KIND_ABBREV[Kind.DISTRICT])
    return {
        "name_th": f"{word}{name_th}",
        "name_en": name_en,
        "short_name_th": f"{short}{name_th}",
        "geocode": code,
        "postal_code": postal_code,
    }


def lgo_fields(kind: str, dla_code: str, full_name_th: str, abbrev_th: str, name_th: str) -> dict[str, Any]:
    return {
        "name_th": full_name_th,
        # Pattaya has no abbreviation: its short name is its name.
        "short_name_th": f"{abbrev_th}{name_th}",
        "dla_code": dla_code,
    }


def clean_value(name: str, value: Any) -> Any:
    """A value as the database gives it back, so that comparisons mean 'would the row change'."""
    if name in DECIMAL_FIELDS:
        if value is None or value == "":
            return None
        return Decimal(str(value)).quantize(SIX_PLACES)
    if name == "is_active":
        return bool(value)
    if name == "dla_code":
        # NULL, not "", for "no code": the column is unique.
        return (str(value).strip() or None) if value is not None else None
    if value is None:
        return ""
    # Addresses may span lines; every other text field is one line.
    return str(value).strip() if name == "address" else normalize_space(str(value))


# -- reading CSV -------------------------------------------------------------------------------


def default_data_dir() -> Path:
    return Path(settings.PHROM_DATA_DIR)


def check_data_dir(data_dir: Path) -> None:
    """Raise LoadError in plain words if the directory or one of the national files is missing."""
    if not data_dir.is_dir():
        raise LoadError(
            f"Data directory {data_dir} does not exist. Put the open-data files there, or point "
            "PHROM_DATA_DIR (or --data-dir) at the directory that holds thailand/provinces.csv."
        )
    missing = [name for name in COUNTRY_FILES if not (data_dir / name).is_file()]
    if missing:
        raise LoadError(
            f"Missing in {data_dir}: {', '.join(missing)}. Copy the open-data files there (see "
            "shared/data/SOURCES.md), or set PHROM_DATA_DIR / --data-dir to the directory that has them."
        )


def read_csv(data_dir: Path, name: str) -> list[tuple[int, dict[str, str]]]:
    """The rows of one file as (line number, row) pairs, checked for encoding, header and width."""
    path = data_dir / name
    raw = path.read_bytes()
    try:
        # Excel writes a BOM; accept it rather than fail on a cosmetic difference.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise LoadError(
            f"{name} line {line}: the file is not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}). "
            "Save it as UTF-8 (the DLA portal also offers TIS-620/Windows-874 files; convert those first)."
        ) from exc
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader, [])]
    except csv.Error as exc:
        raise LoadError(f"{name} line 1: unreadable header ({exc}).") from exc
    missing = [c for c in REQUIRED_COLUMNS[name] if c not in header]
    if missing:
        raise LoadError(
            f"{name}: wrong header — missing column(s) {', '.join(missing)}. Expected at least: "
            f"{', '.join(REQUIRED_COLUMNS[name])}; found: {', '.join(header) or '(empty file)'}."
        )
    rows, errors = [], []
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise LoadError(f"{name} line {reader.line_num}: malformed CSV ({exc}).") from exc
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if len(row) != len(header):
            errors.append(f"{name} line {reader.line_num}: {len(row)} fields, expected {len(header)}")
            if len(errors) >= MAX_ERRORS:
                break
            continue
        rows.append((reader.line_num, {h: v.strip() for h, v in zip(header, row, strict=True)}))
    if errors:
        raise_errors(errors)
    return rows


def raise_errors(errors: list[str]) -> None:
    more = " (and possibly more)" if len(errors) >= MAX_ERRORS else ""
    raise LoadError("Malformed rows, nothing was written:\n  " + "\n  ".join(errors) + more)


def _decimal(value: str, low: float, high: float) -> Decimal | None:
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    if not number.is_finite() or not (low <= number <= high):
        return None
    return number.quantize(SIX_PLACES)


def country_records(data_dir: Path) -> tuple[list[OrgRecord], list[str]]:
    """The national records and warnings; raises LoadError naming every bad line (up to 20)."""
    check_data_dir(data_dir)
    provinces = read_csv(data_dir, PROVINCES_FILE)
    districts = read_csv(data_dir, DISTRICTS_FILE)
    lgos = read_csv(data_dir, LGO_FILE)
    errors: list[str] = []

    def bad(name: str, line: int, message: str) -> None:
        errors.append(f"{name} line {line}: {message}")

    records = [
        OrgRecord(key=str(kind), kind=kind, parent=None, fields=dict(values), where="national bodies")
        for kind, values in NATIONAL_BODIES.items()
    ]
    province_names: dict[str, str] = {}
    for line, row in provinces:
        code, name_th, name_en = row["province_code"], row["name_th"], row["name_en"]
        if not re.fullmatch(r"\d{2}", code):
            bad(PROVINCES_FILE, line, f"province_code {code!r} is not 2 digits")
        elif not name_th:
            bad(PROVINCES_FILE, line, "name_th is empty")
        elif code in province_names:
            bad(PROVINCES_FILE, line, f"province {code} appears twice")
        else:
            province_names[code] = name_th
            where = f"{PROVINCES_FILE} line {line}"
            records.append(
                OrgRecord(
                    f"province:{code}",
                    Kind.PROVINCE,
                    "dla",
                    province_fields(code, name_th, name_en),
                    where=where,
                )
            )
            if code != BANGKOK:
                records.append(
                    OrgRecord(
                        f"provincial_office:{code}", Kind.PROVINCIAL_OFFICE, f"province:{code}",
                        provincial_office_fields(code, name_th, name_en), where=where,
                    )
                )  # fmt: skip
    district_province: dict[str, str] = {}
    for line, row in districts:
        code, province = row["district_code"], row["province_code"]
        if not re.fullmatch(r"\d{4}", code):
            bad(DISTRICTS_FILE, line, f"district_code {code!r} is not 4 digits")
        elif province not in province_names:
            bad(DISTRICTS_FILE, line, f"province_code {province!r} is not in {PROVINCES_FILE}")
        elif not code.startswith(province):
            bad(DISTRICTS_FILE, line, f"district {code} does not start with its province code {province}")
        elif not row["name_th"]:
            bad(DISTRICTS_FILE, line, "name_th is empty")
        elif row["postal_code"] and not re.fullmatch(r"\d{5}", row["postal_code"]):
            bad(DISTRICTS_FILE, line, f"postal_code {row['postal_code']!r} is not 5 digits")
        elif code in district_province:
            bad(DISTRICTS_FILE, line, f"district {code} appears twice")
        else:
            district_province[code] = province
            fields = district_fields(code, province, row["name_th"], row["name_en"], row["postal_code"])
            records.append(
                OrgRecord(
                    f"district:{code}", Kind.DISTRICT, f"province:{province}", fields,
                    where=f"{DISTRICTS_FILE} line {line}",
                )
            )  # fmt: skip
    seen_codes: set[str] = set()
    skipped_points: list[str] = []
    for line, row in lgos:
        code, district = row["dla_code"], row["district_code"]
        kind = LGO_TYPES.get(row["lgo_type"])
        lat, lon = row["center_lat"], row["center_lon"]
        if not re.fullmatch(r"\d{7}", code):
            bad(LGO_FILE, line, f"dla_code {code!r} is not 7 digits")
        elif kind is None:
            bad(LGO_FILE, line, f"lgo_type {row['lgo_type']!r} is not one of {', '.join(sorted(LGO_TYPES))}")
        elif district not in district_province:
            bad(LGO_FILE, line, f"district_code {district!r} is not in {DISTRICTS_FILE}")
        elif district_province[district] != row["province_code"]:
            bad(LGO_FILE, line, f"district {district} is not in province {row['province_code']!r}")
        elif not row["name_th"] or not row["full_name_th"]:
            bad(LGO_FILE, line, "name_th or full_name_th is empty")
        elif code in seen_codes:
            bad(LGO_FILE, line, f"dla_code {code} appears twice")
        elif (lat and _decimal(lat, -90, 90) is None) or (lon and _decimal(lon, -180, 180) is None):
            bad(LGO_FILE, line, f"center_lat/center_lon {lat!r}, {lon!r} are not coordinates")
        else:
            seen_codes.add(code)
            fill = {}
            if lat and lon:
                point = (_decimal(lat, *THAILAND_LAT), _decimal(lon, *THAILAND_LON))
                if None in point:
                    # DLA has a few points off the map (e.g. 5, 97): no point beats a wrong one.
                    skipped_points.append(code)
                else:
                    fill = {"latitude": point[0], "longitude": point[1]}
            elif lat or lon:
                # Half a point (44 rows in the 2023 file) is no point.
                skipped_points.append(code)
            records.append(
                OrgRecord(
                    f"lgo:{code}", kind, f"district:{district}",
                    lgo_fields(kind, code, row["full_name_th"], row["abbrev_th"], row["name_th"]),
                    fill=fill, where=f"{LGO_FILE} line {line}",
                )
            )  # fmt: skip
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        raise_errors(errors)
    warnings = []
    if skipped_points:
        warnings.append(
            f"{LGO_FILE}: {len(skipped_points)} LGO point(s) ignored (half a pair, or outside Thailand): "
            + ", ".join(skipped_points[:10])
            + (" …" if len(skipped_points) > 10 else "")
        )
    return records, warnings


# -- reading fixtures --------------------------------------------------------------------------

FIXTURE_META_KEYS = frozenset({"key", "kind", "parent", "notes", "illustrative"})


def fixture_records(path: Path) -> list[OrgRecord]:
    """The records of a phrom.organizations JSON fixture, validated."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise LoadError(f"Fixture {path} does not exist.") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LoadError(f"Fixture {path} is not UTF-8 JSON: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != FIXTURE_FORMAT:
        raise LoadError(f"Fixture {path}: 'format' must be {FIXTURE_FORMAT!r}.")
    if data.get("version") != FIXTURE_VERSION:
        raise LoadError(f"Fixture {path}: version {data.get('version')!r} is not supported (expected 1).")
    entries = data.get("organizations")
    if not isinstance(entries, list):
        raise LoadError(f"Fixture {path}: 'organizations' must be a list.")
    records, errors = [], []
    for i, entry in enumerate(entries):
        where = f"{path.name} organizations[{i}]"
        if not isinstance(entry, dict):
            errors.append(f"{where}: not an object")
            continue
        where = f"{where} ({entry.get('key', '?')})"
        kind = entry.get("kind")
        unknown = set(entry) - FIXTURE_META_KEYS - set(DATA_FIELDS)
        if kind not in LEVEL:
            errors.append(f"{where}: unknown kind {kind!r}")
            continue
        if unknown:
            errors.append(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
            continue
        fields = {k: v for k, v in entry.items() if k in DATA_FIELDS}
        illustrative = entry.get("illustrative", [])
        if not isinstance(illustrative, list) or not set(illustrative) <= set(fields):
            errors.append(f"{where}: 'illustrative' must list fields of the entry")
            continue
        if kind in LGO_KINDS and not fields.get("dla_code"):
            errors.append(f"{where}: a local government needs its dla_code")
            continue
        try:
            fields = {k: clean_value(k, v) for k, v in fields.items()}
        except (InvalidOperation, ValueError) as exc:
            errors.append(f"{where}: bad value ({exc})")
            continue
        records.append(OrgRecord(entry.get("key", ""), kind, entry.get("parent"), fields, where=where))
    if errors:
        raise_errors(errors)
    return records


# -- writing -----------------------------------------------------------------------------------


class _Existing:
    """Every organization, indexed by natural key, fetched in two queries."""

    def __init__(self) -> None:
        self.orgs = list(Organization.objects.order_by("pk"))
        by_pk = {o.pk: o for o in self.orgs}
        self.by_key: dict[str, Organization] = {}
        self.by_code: dict[str, Organization] = {}  # every DLA code ever seen → organization
        self.code_rows: set[str] = set()  # codes that have a DlaCode row
        self.by_suffix: dict[str, list[Organization]] = defaultdict(list)  # code[1:] → current holders
        for org in self.orgs:
            if org.kind in LGO_KINDS:
                if org.dla_code:
                    self.by_code.setdefault(org.dla_code, org)
                    self.by_suffix[org.dla_code[1:]].append(org)
                continue
            geocode = org.geocode
            if org.kind == Kind.PROVINCIAL_OFFICE and not geocode and org.province_id in by_pk:
                # Offices made by hand may lack a geocode; their province has it.
                geocode = by_pk[org.province_id].geocode
            key = key_for(org.kind, {"geocode": geocode})
            self.by_key.setdefault(key, org)  # lowest pk wins if a key was duplicated by hand
        for code, org_id in DlaCode.objects.values_list("code", "organization_id"):
            self.code_rows.add(code)
            if org_id in by_pk:
                # History outranks a current code: it is what an earlier load decided.
                self.by_code[code] = by_pk[org_id]

    def lookup(self, key: str) -> Organization | None:
        if key.startswith("lgo:"):
            return self.by_code.get(key[4:])
        return self.by_key.get(key)


def _validate(records: list[OrgRecord]) -> None:
    errors, keys = [], {}
    for rec in records:
        expected = key_for(rec.kind, rec.fields)
        if rec.key != expected:
            errors.append(
                f"{rec.where}: key {rec.key!r} does not fit its kind and codes (expected {expected!r})"
            )
        elif rec.key in keys:
            errors.append(f"{rec.where}: key {rec.key!r} is also used by {keys[rec.key].where}")
        keys[rec.key] = rec
    for rec in records:
        parent_kinds = PARENT_KINDS[rec.kind]
        if not parent_kinds:
            if rec.parent:
                errors.append(f"{rec.where}: a {rec.kind} has no parent (got {rec.parent!r})")
            continue
        prefix = rec.parent.partition(":")[0] if rec.parent else ""
        if not rec.parent or prefix not in {KEY_PREFIX.get(k, str(k)) for k in parent_kinds}:
            wanted = " or ".join(str(k) for k in parent_kinds)
            errors.append(f"{rec.where}: parent {rec.parent!r} must be a {wanted} key")
    if errors:
        raise_errors(errors[:MAX_ERRORS])


def _match_lgos(records: list[OrgRecord], existing: _Existing, result: LoadResult) -> dict[str, Organization]:
    """Which existing organization each LGO record is, by the rules below (in this order).

    1. The record's DLA code is one the organization has (or had): DlaCode history, or its current code.
    2. Upgrade: an organization whose current code has the same province, district and running
       digits (code[1:]), a type digit one or more steps lower on the ladder 6 → 5 → 4 → 3, and the same
       place name (name without its type word) — provided its current code is not itself in the source,
       so ทต.บ้านปิน 5540301 and อบต.บ้านปิน 6540306 (different running digits) or a pair that both
       still exist can never be merged.
    3. Otherwise the record is a new organization.
    """
    lgo_records = [r for r in records if r.kind in LGO_KINDS]
    incoming = {r.fields["dla_code"] for r in lgo_records}
    matched: dict[str, Organization] = {}
    claimed: dict[int, OrgRecord] = {}
    errors = []
    for rec in lgo_records:
        org = existing.by_code.get(rec.fields["dla_code"])
        if org is None:
            continue
        if org.pk in claimed:
            other = claimed[org.pk]
            errors.append(
                f"{rec.where}: codes {other.fields['dla_code']} and {rec.fields['dla_code']} both belong to "
                f"{org.name_th} (id {org.pk}); the source lists one organization twice"
            )
            continue
        claimed[org.pk] = rec
        matched[rec.key] = org
    for rec in lgo_records:
        if rec.key in matched:
            continue
        code = rec.fields["dla_code"]
        name = bare_lgo_name(rec.kind, rec.fields.get("name_th", ""))
        candidates = [
            org
            for org in existing.by_suffix.get(code[1:], ())
            if org.pk not in claimed
            and org.dla_code not in incoming
            and is_upgrade(org.dla_code, code)
            and bare_lgo_name(org.kind, org.name_th) == name
        ]
        if len(candidates) == 1:
            org = candidates[0]
            claimed[org.pk] = rec
            matched[rec.key] = org
            result.upgrades.append((org.dla_code, code, rec.fields.get("name_th", "")))
    if errors:
        raise_errors(errors[:MAX_ERRORS])
    return matched


def _desired(rec: OrgRecord, org: Organization | None, parent: Organization | None) -> dict[str, Any]:
    province_id, district_id = ancestors_for(rec.kind, parent)
    if org is not None and rec.kind == Kind.PROVINCE:
        province_id = org.pk
    if org is not None and rec.kind == Kind.DISTRICT:
        district_id = org.pk
    return {
        "kind": rec.kind,
        "parent_id": parent.pk if parent else None,
        "province_id": province_id,
        "district_id": district_id,
        **{k: clean_value(k, v) for k, v in rec.fields.items()},
    }


def _apply(org: Organization, desired: dict[str, Any], fill: dict[str, Any]) -> list[str]:
    changed = []
    for name, value in desired.items():
        if getattr(org, name) != value:
            setattr(org, name, value)
            changed.append(name)
    for name, value in fill.items():
        value = clean_value(name, value)
        if value not in (None, "") and getattr(org, name) in (None, ""):
            setattr(org, name, value)
            changed.append(name)
    return changed


def _field_name(attname: str) -> str:
    return attname[:-3] if attname in ("parent_id", "province_id", "district_id") else attname


def sync_records(
    records: list[OrgRecord], *, complete_kinds: frozenset[str] = frozenset(), source: str = ""
) -> LoadResult:
    """Create or update organizations so that they match `records`; one transaction, no per-row queries.

    `complete_kinds`: kinds the source lists in full; organizations of those kinds that the source
    does not have are reported in `not_in_source` (and left alone).
    """
    started = time.perf_counter()
    _validate(records)
    result = LoadResult(source=source)
    now = timezone.now()
    with transaction.atomic():
        existing = _Existing()
        matched = _match_lgos(records, existing, result)
        keyed: dict[str, Organization] = {}
        record_keys = {r.key for r in records}
        missing_parents = [
            f"{r.where}: parent {r.parent!r} is neither in this source nor in the database"
            for r in records
            if r.parent and r.parent not in record_keys and existing.lookup(r.parent) is None
        ]
        if missing_parents:
            raise_errors(missing_parents[:MAX_ERRORS])
        new_codes: list[DlaCode] = []
        for level in sorted(set(LEVEL.values())):
            created: list[Organization] = []
            updated: dict[tuple[str, ...], list[Organization]] = defaultdict(list)
            for rec in (r for r in records if LEVEL[r.kind] == level):
                parent = (keyed.get(rec.parent) or existing.lookup(rec.parent)) if rec.parent else None
                org = matched.get(rec.key) if rec.kind in LGO_KINDS else existing.lookup(rec.key)
                counts = result.counts[rec.kind]
                if org is None:
                    desired = _desired(rec, None, parent)
                    desired.update({k: clean_value(k, v) for k, v in rec.fill.items() if v not in (None, "")})
                    org = Organization(**desired)
                    created.append(org)
                    counts.created += 1
                else:
                    old_code, old_kind = org.dla_code, org.kind
                    changed = _apply(org, _desired(rec, org, parent), rec.fill)
                    if changed:
                        org.updated_at = now
                        updated[tuple(sorted(_field_name(c) for c in changed))].append(org)
                        counts.updated += 1
                    else:
                        counts.unchanged += 1
                    if old_code and old_code not in existing.code_rows and old_code != org.dla_code:
                        # An LGO made by hand (no history row yet) keeps its old code on record too.
                        new_codes.append(DlaCode(organization=org, code=old_code, kind=old_kind))
                        existing.code_rows.add(old_code)
                keyed[rec.key] = org
            Organization.objects.bulk_create(created, batch_size=BATCH_SIZE)
            # A province points to itself and a district to itself; only possible once the pk exists.
            selfref = []
            for org in created:
                if org.kind == Kind.PROVINCE:
                    org.province_id = org.pk
                    selfref.append(org)
                elif org.kind == Kind.DISTRICT:
                    org.district_id = org.pk
                    selfref.append(org)
            for kind, name in ((Kind.PROVINCE, "province"), (Kind.DISTRICT, "district")):
                rows = [o for o in selfref if o.kind == kind]
                if rows:
                    Organization.objects.bulk_update(rows, [name], batch_size=BATCH_SIZE)
            for names, rows in updated.items():
                Organization.objects.bulk_update(rows, [*names, "updated_at"], batch_size=BATCH_SIZE)
        for rec in records:
            code = rec.fields.get("dla_code") if rec.kind in LGO_KINDS else None
            if code and code not in existing.code_rows:
                new_codes.append(DlaCode(organization=keyed[rec.key], code=code, kind=rec.kind))
                existing.code_rows.add(code)
        DlaCode.objects.bulk_create(new_codes, batch_size=BATCH_SIZE)
        result.codes_added = len(new_codes)
        if complete_kinds:
            seen = {o.pk for o in keyed.values()}
            result.not_in_source = [o for o in existing.orgs if o.kind in complete_kinds and o.pk not in seen]
        result.orgs = keyed
    result.seconds = time.perf_counter() - started
    return result


# -- entry points ------------------------------------------------------------------------------


def load_country(data_dir: str | Path | None = None) -> LoadResult:
    """Load OPDC, the DLA, 77 provinces, 76 provincial offices, 928 districts and 7,849 LGOs."""
    data_dir = Path(data_dir) if data_dir else default_data_dir()
    started = time.perf_counter()
    records, warnings = country_records(data_dir)
    result = sync_records(
        records,
        complete_kinds=frozenset({Kind.PROVINCE, Kind.PROVINCIAL_OFFICE, Kind.DISTRICT, *LGO_KINDS}),
        source=str(data_dir),
    )
    result.warnings = warnings
    result.seconds = time.perf_counter() - started
    return result


def load_fixture(path: str | Path = DEFAULT_FIXTURE) -> LoadResult:
    """Load a phrom.organizations JSON fixture (for example the Phrae demo)."""
    started = time.perf_counter()
    result = sync_records(fixture_records(Path(path)), source=str(path))
    result.seconds = time.perf_counter() - started
    return result


def resolve_key(key: str) -> Organization | None:
    """The organization a natural key names (following DLA code history for ``lgo:`` keys)."""
    prefix, _, value = key.partition(":")
    if key in (Kind.OPDC, Kind.DLA):
        return Organization.objects.filter(kind=key).order_by("pk").first()
    if prefix == "lgo":
        history = DlaCode.objects.filter(code=value).select_related("organization").first()
        if history is not None:
            return history.organization
        return Organization.objects.filter(dla_code=value).first()
    if prefix == "provincial_office":
        return (
            Organization.objects.filter(kind=Kind.PROVINCIAL_OFFICE)
            .filter(Q(geocode=value) | Q(geocode="", province__geocode=value))
            .order_by("pk")
            .first()
        )
    if prefix in ("province", "district"):
        return Organization.objects.filter(kind=prefix, geocode=value).order_by("pk").first()
    return None
