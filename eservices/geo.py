"""The office finder: loading subdistricts, and answering "which local government serves me?".

Data (see shared/data/SOURCES.md), read at run time from settings.PHROM_DATA_DIR:

* national: ``thailand/subdistricts.csv`` (7,436 ตำบล/แขวง) and ``thailand/lgo_dla.csv`` (for name
  matching);
* the Phrae demo: ``phrae/phrae_subdistricts.csv`` and ``phrae/phrae_lgo.csv``, whose
  ``namesake_subdistrict_code`` column names the subdistrict an LGO is named after.

Only subdistricts whose district is already in the database are loaded (load_country or the demo
first). DLA's coverage rows are not in the open data, so coverage is inferred and labelled:

* ``namesake`` — an อบต. or เทศบาล named after the subdistrict, in the same district;
* ``municipality`` — a subdistrict no local government is named after is linked to the district's
  municipalities that are not named after any subdistrict themselves (เทศบาลเมืองแพร่ and ในเวียง);
* ``confirmed`` — set by the organization; never touched by the loader.

The finder never pretends to know more: a subdistrict with two candidates (a เทศบาลตำบล over the
market area and an อบต. for the rest) shows both with a sentence saying why.
"""

from __future__ import annotations

import csv
import re
import time
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from eservices.geo_models import Coverage, CoverageSource, Subdistrict
from orgs.models import Kind, Organization

NATIONAL_SUBDISTRICTS = "thailand/subdistricts.csv"
NATIONAL_LGOS = "thailand/lgo_dla.csv"
PHRAE_SUBDISTRICTS = "phrae/phrae_subdistricts.csv"
PHRAE_LGOS = "phrae/phrae_lgo.csv"

MUNICIPALITY_KINDS = (Kind.CITY_MUNICIPALITY, Kind.TOWN_MUNICIPALITY, Kind.SUBDISTRICT_MUNICIPALITY)
# Who serves a subdistrict at the local level (the อบจ. serves the whole province on top).
LOCAL_KINDS = (*MUNICIPALITY_KINDS, Kind.SAO, Kind.PATTAYA)
BATCH_SIZE = 1000


class GeoLoadError(Exception):
    """Missing or malformed data files; the message is meant for people."""


@dataclass
class GeoLoadResult:
    source: str = ""
    subdistricts_created: int = 0
    subdistricts_updated: int = 0
    subdistricts_unchanged: int = 0
    skipped_no_district: int = 0  # rows whose district is not loaded (e.g. the demo has only Phrae)
    coverage_created: int = 0
    coverage_removed: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"ตำบล / subdistricts: {self.subdistricts_created} new, {self.subdistricts_updated} updated, "
            f"{self.subdistricts_unchanged} unchanged; coverage: {self.coverage_created} added, "
            f"{self.coverage_removed} removed ({self.source}, {self.seconds:.1f} s)"
        )


def data_dir_or_default(data_dir: str | Path | None) -> Path:
    return Path(data_dir) if data_dir else Path(settings.PHROM_DATA_DIR)


def available_scope(data_dir: Path) -> str | None:
    """'country' or 'phrae' — whichever set of files is present — or None."""
    if (data_dir / NATIONAL_SUBDISTRICTS).is_file() and (data_dir / NATIONAL_LGOS).is_file():
        return "country"
    if (data_dir / PHRAE_SUBDISTRICTS).is_file() and (data_dir / PHRAE_LGOS).is_file():
        return "phrae"
    return None


def _read(path: Path, required: tuple[str, ...]) -> list[dict[str, str]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise GeoLoadError(f"Cannot read {path}: {exc.strerror}.") from exc
    except UnicodeDecodeError as exc:
        raise GeoLoadError(f"{path.name} is not UTF-8 (offset {exc.start}); save it as UTF-8.") from exc
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise GeoLoadError(f"{path.name}: missing column(s) {', '.join(missing)}.")
    rows = []
    for row in reader:
        if None in row:
            raise GeoLoadError(f"{path.name} line {reader.line_num}: too many fields.")
        rows.append({k: (v or "").strip() for k, v in row.items()})
    return rows


def _decimal(value: str) -> Decimal | None:
    try:
        return Decimal(value).quantize(Decimal("0.000001")) if value else None
    except InvalidOperation:
        return None


def load_subdistricts(data_dir: str | Path | None = None, *, scope: str = "auto") -> GeoLoadResult:
    """Load subdistricts and inferred coverage, idempotently, in one transaction.

    scope: "country" (thailand/ files), "phrae" (the demo files), or "auto" (country if present).
    """
    started = time.perf_counter()
    data_dir = data_dir_or_default(data_dir)
    if scope == "auto":
        scope = available_scope(data_dir) or "country"
    sub_file, lgo_file = (
        (NATIONAL_SUBDISTRICTS, NATIONAL_LGOS) if scope == "country" else (PHRAE_SUBDISTRICTS, PHRAE_LGOS)
    )
    for name in (sub_file, lgo_file):
        if not (data_dir / name).is_file():
            raise GeoLoadError(
                f"Missing {data_dir / name}. Point PHROM_DATA_DIR (or --data-dir) at the shared data "
                "directory (see shared/data/SOURCES.md)."
            )
    sub_rows = _read(data_dir / sub_file, ("subdistrict_code", "district_code", "name_th", "name_en"))
    lgo_rows = _read(data_dir / lgo_file, ("dla_code", "lgo_type", "name_th", "district_code"))
    result = GeoLoadResult(source=str(data_dir / sub_file))
    with transaction.atomic():
        subdistricts = _sync_subdistricts(sub_rows, result)
        _sync_coverage(subdistricts, lgo_rows, result)
    result.seconds = time.perf_counter() - started
    return result


def _sync_subdistricts(rows: list[dict[str, str]], result: GeoLoadResult) -> dict[str, Subdistrict]:
    districts = {
        o.geocode: o.pk
        for o in Organization.objects.filter(kind=Kind.DISTRICT).exclude(geocode="").only("pk", "geocode")
    }
    existing = {s.code: s for s in Subdistrict.objects.all()}
    fields = ("name_th", "name_en", "district_id", "postal_code", "latitude", "longitude")
    new, changed = [], []
    for row in rows:
        district_id = districts.get(row["district_code"])
        if district_id is None:
            result.skipped_no_district += 1
            continue
        values = {
            "name_th": unicodedata.normalize("NFC", row["name_th"]),
            "name_en": row["name_en"],
            "district_id": district_id,
            "postal_code": row.get("postal_code", "")[:5],
            "latitude": _decimal(row.get("lat", "")),
            "longitude": _decimal(row.get("lon", "")),
        }
        sub = existing.get(row["subdistrict_code"])
        if sub is None:
            sub = Subdistrict(code=row["subdistrict_code"], **values)
            new.append(sub)
            existing[sub.code] = sub
        elif any(getattr(sub, f) != v for f, v in values.items()):
            for f, v in values.items():
                setattr(sub, f, v)
            changed.append(sub)
        else:
            result.subdistricts_unchanged += 1
    Subdistrict.objects.bulk_create(new, batch_size=BATCH_SIZE)
    Subdistrict.objects.bulk_update(changed, fields, batch_size=BATCH_SIZE)
    result.subdistricts_created, result.subdistricts_updated = len(new), len(changed)
    loaded = {r["subdistrict_code"] for r in rows}
    return {code: s for code, s in existing.items() if code in loaded and s.district_id}


def _sync_coverage(subdistricts: dict[str, Subdistrict], lgo_rows, result: GeoLoadResult) -> None:
    if not subdistricts:
        return
    # Saved rows have primary keys now (bulk_create sets them on every backend Django supports
    # except old MySQL); fetch them to be sure.
    subs = {s.code: s for s in Subdistrict.objects.filter(code__in=list(subdistricts))}
    lgos = {
        o.dla_code: o
        for o in Organization.objects.filter(kind__in=LOCAL_KINDS, dla_code__isnull=False).only(
            "pk", "dla_code", "kind", "district_id"
        )
    }
    by_district_name: dict[tuple[int, str], list[Subdistrict]] = {}
    for s in subs.values():
        by_district_name.setdefault((s.district_id, s.name_th), []).append(s)

    desired: set[tuple[int, int, str]] = set()
    named_after: set[int] = set()  # LGOs named after a subdistrict
    has_namesake: set[int] = set()  # subdistricts some LGO is named after
    for row in lgo_rows:
        org = lgos.get(row["dla_code"])
        if org is None:
            continue
        code = row.get("namesake_subdistrict_code", "")
        if code:
            targets = [subs[code]] if code in subs else []
        else:
            bare = unicodedata.normalize("NFC", row["name_th"])
            targets = by_district_name.get((org.district_id, bare), [])
        for s in targets:
            desired.add((org.pk, s.pk, CoverageSource.NAMESAKE))
            named_after.add(org.pk)
            has_namesake.add(s.pk)
    # Subdistricts nobody is named after: the district's municipalities that are not named after a
    # subdistrict (a town municipality named after its province or district) are the likeliest.
    district_ids = {s.district_id for s in subs.values()}
    free_municipalities: dict[int, list[int]] = {}
    for org in lgos.values():
        if org.kind in MUNICIPALITY_KINDS and org.district_id in district_ids and org.pk not in named_after:
            free_municipalities.setdefault(org.district_id, []).append(org.pk)
    for s in subs.values():
        if s.pk not in has_namesake:
            for org_id in free_municipalities.get(s.district_id, []):
                desired.add((org_id, s.pk, CoverageSource.MUNICIPALITY))

    inferred = (CoverageSource.NAMESAKE, CoverageSource.MUNICIPALITY)
    current = {
        (c.org_id, c.subdistrict_id, c.source): c.pk
        for c in Coverage.objects.filter(subdistrict__in=list(subs.values()))
    }
    confirmed_pairs = {(o, s) for (o, s, src) in current if src == CoverageSource.CONFIRMED}
    stale = [pk for key, pk in current.items() if key[2] in inferred and key not in desired]
    Coverage.objects.filter(pk__in=stale).delete()
    have_pairs = {(o, s) for (o, s, src), pk in current.items() if pk not in stale}
    new = [
        Coverage(org_id=o, subdistrict_id=s, source=src)
        for (o, s, src) in sorted(desired)
        if (o, s) not in have_pairs and (o, s) not in confirmed_pairs
    ]
    Coverage.objects.bulk_create(new, batch_size=BATCH_SIZE)
    result.coverage_created, result.coverage_removed = len(new), len(stale)


def demo_step(ctx) -> str:
    """load_demo step: Phrae's 78 subdistricts and who serves them (skipped without the data dir)."""
    data_dir = data_dir_or_default(None)
    scope = "phrae" if available_scope(data_dir) else None
    if scope is None:
        return (
            f"ตำบล / subdistricts: skipped — no data files under {data_dir} (PHROM_DATA_DIR); "
            "the office finder works by district only"
        )
    return load_subdistricts(data_dir, scope="phrae").summary()


# -- the finder -----------------------------------------------------------------------------------

# Words people type in front of a place name. Longest first so that ตำบล wins over ต.
_PREFIXES = sorted(
    [
        "องค์การบริหารส่วนตำบล", "องค์การบริหารส่วนจังหวัด", "เทศบาลนคร", "เทศบาลเมือง", "เทศบาลตำบล",
        "ตำบล", "อำเภอ", "จังหวัด", "แขวง", "เขต", "อบต.", "อบจ.", "ทต.", "ทม.", "ทน.",
        "ต.", "อ.", "จ.",
    ],
    key=len,
    reverse=True,
)  # fmt: skip
_PREFIX_RE = re.compile(r"(?:^|(?<=\s))(?:" + "|".join(re.escape(p) for p in _PREFIXES) + r")\s*")
_SEPARATORS = re.compile(r"[\s,/]+")


def place_tokens(text: str) -> list[str]:
    """'ต. ป่าแดง อ.เมืองแพร่' -> ['ป่าแดง', 'เมืองแพร่']: prefixes and spacing removed."""
    text = unicodedata.normalize("NFC", text or "")
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in "\t\n ")
    text = _PREFIX_RE.sub(" ", " " + text.strip())
    return [t for t in _SEPARATORS.split(text) if t]


@dataclass
class SearchResult:
    query: str
    subdistricts: list[Subdistrict] = field(default_factory=list)
    lgos: list[Organization] = field(default_factory=list)
    districts: list[Organization] = field(default_factory=list)
    more: bool = False


def search_places(text: str, *, limit: int = 20) -> SearchResult:
    """Subdistricts, districts and local governments whose names match what was typed (Thai or English)."""
    tokens = place_tokens(text)
    result = SearchResult(query=" ".join(tokens))
    if not tokens:
        return result
    joined = "".join(tokens)  # "ป่า แดง" was meant as ป่าแดง: Thai names have no spaces
    spaced = " ".join(tokens)  # English names do
    subs = Subdistrict.objects.select_related("district", "district__province")
    found = list(
        subs.filter(Q(name_th__contains=joined) | Q(name_en__icontains=spaced)).order_by("name_th", "code")[
            : limit + 1
        ]
    )
    if not found and len(tokens) > 1:
        # "ป่าแดง เมืองแพร่": the first word is the subdistrict, the others narrow it down.
        rest = Q()
        for t in tokens[1:]:
            rest &= Q(district__name_th__contains=t) | Q(district__province__name_th__contains=t)
        found = list(
            subs.filter(Q(name_th__contains=tokens[0]) & rest).order_by("name_th", "code")[: limit + 1]
        )
    result.more = len(found) > limit
    result.subdistricts = found[:limit]
    orgs = Organization.objects.filter(is_active=True).select_related("district", "province")
    result.lgos = list(
        orgs.filter(kind__in=(*LOCAL_KINDS, Kind.PAO))
        .filter(Q(name_th__contains=joined) | Q(name_en__icontains=spaced))
        .order_by("name_th", "pk")[:limit]
    )
    result.districts = list(
        orgs.filter(kind=Kind.DISTRICT, name_th__contains=joined).order_by("name_th", "pk")[:limit]
    )
    return result


@dataclass
class Candidate:
    org: Organization
    source: str  # CoverageSource value


@dataclass
class Answer:
    """Who serves a subdistrict, with the reason to show."""

    subdistrict: Subdistrict
    candidates: list[Candidate]
    municipalities: list[Organization]  # other municipalities of the district (may cover part of it)
    pao: Organization | None
    situation: str  # "one", "several", "municipality", "unknown"


_SOURCE_ORDER = {CoverageSource.CONFIRMED: 0, CoverageSource.NAMESAKE: 1, CoverageSource.MUNICIPALITY: 2}


def provincial_org(province_id: int | None) -> Organization | None:
    """The อบจ. (provincial administrative organization): it serves the whole province."""
    if not province_id:
        return None
    return Organization.objects.filter(kind=Kind.PAO, province_id=province_id, is_active=True).first()


def who_serves(subdistrict: Subdistrict) -> Answer:
    rows = list(
        Coverage.objects.filter(subdistrict=subdistrict, org__is_active=True)
        .select_related("org")
        .order_by("org__name_th")
    )
    rows.sort(key=lambda c: _SOURCE_ORDER.get(c.source, 9))
    seen, candidates = set(), []
    for c in rows:
        if c.org_id not in seen:
            seen.add(c.org_id)
            candidates.append(Candidate(c.org, c.source))
    municipalities = [
        o
        for o in Organization.objects.filter(
            district_id=subdistrict.district_id, kind__in=MUNICIPALITY_KINDS, is_active=True
        ).order_by("name_th")
        if o.pk not in seen
    ]
    if not candidates:
        situation = "unknown"
    elif all(c.source == CoverageSource.MUNICIPALITY for c in candidates):
        situation = "municipality"
    elif len(candidates) == 1 or candidates[0].source == CoverageSource.CONFIRMED:
        situation = "one"
    else:
        situation = "several"
    return Answer(
        subdistrict=subdistrict,
        candidates=candidates,
        municipalities=municipalities,
        pao=provincial_org(subdistrict.district.province_id),
        situation=situation,
    )


def district_lgos(district: Organization) -> list[Organization]:
    """The local governments of a district (municipalities first), without the อบจ."""
    order = {k: i for i, k in enumerate((*MUNICIPALITY_KINDS, Kind.SAO, Kind.PATTAYA))}
    orgs = list(
        Organization.objects.filter(district=district, kind__in=LOCAL_KINDS, is_active=True).order_by(
            "name_th"
        )
    )
    orgs.sort(key=lambda o: (order.get(o.kind, 9), o.name_th))
    return orgs


def has_subdistricts() -> bool:
    return Subdistrict.objects.exists()
