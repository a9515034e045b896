"""Oversight dashboards: where every local government below an overseer stands on one directive chain.

For a chain (its root directive) and a scope (the whole country, a province, a district), every
local government (อปท. = local government organization) in the chain's reach — below the root's
issuer — and in the scope gets one state, the first that applies from the top of STATES:

    accepted → returned → submitted late → submitted on time → plan approved (not submitted)
    → plan in draft or review → opened (acknowledged, no plan) → not opened

plus its plan's readiness score (Plan.score: the approved plan's, else the latest draft's).

How it is computed (measured; see bench/bench_dashboards.py and the README): four flat, indexed
queries whatever the number of organizations — the organizations of the scope (local governments,
and the provinces and districts for roll-ups), the chain's recipient rows, their current plans and
the chain's submissions — merged in Python. On PostgreSQL with all 7,849 local governments this
takes a few tens of milliseconds, well inside the page's budget, so there is no denormalised state
table to keep consistent (acknowledgements, reviews and plan transitions are conditional UPDATEs
that fire no signals): the dashboard is always the truth. Everything the page shows (counts,
roll-ups, the chart, the map, the list, the league table) comes from one `Board` built once per
request.
"""

from __future__ import annotations

import datetime as dt
import heapq
import json
import math
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import BigIntegerField, BooleanField, ExpressionWrapper, FloatField, Func, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directives.models import Directive, DirectiveStatus, Recipient, Submission, SubmissionStatus
from orgs.models import LGO_KINDS, NATIONAL_KINDS, PROVINCIAL_KINDS, Kind, Organization
from plans.models import Plan, Status


class State(models.TextChoices):
    """A local government's state on a chain, in order of precedence (the first that applies wins)."""

    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned for revision")
    LATE = "late", _("Submitted late")
    ON_TIME = "on_time", _("Submitted on time")
    APPROVED = "approved", _("Plan approved, not submitted")
    DRAFT = "draft", _("Plan in draft or review")
    OPENED = "opened", _("Opened, no plan")
    NOT_OPENED = "not_opened", _("Not opened")


STATES: list[State] = list(State)
# The directive's goal: a plan sent up the chain (a returned one must come back).
READY_STATES = frozenset({State.ACCEPTED, State.ON_TIME, State.LATE})

# Export labels: reports to Thai offices are in Thai whatever the reader's interface language.
STATE_THAI = {
    State.ACCEPTED: "รับแผนแล้ว",
    State.RETURNED: "ส่งคืนให้แก้ไข",
    State.LATE: "ส่งแล้ว (เกินกำหนด)",
    State.ON_TIME: "ส่งแล้ว (ตามกำหนด)",
    State.APPROVED: "อนุมัติแผนแล้ว ยังไม่ส่ง",
    State.DRAFT: "อยู่ระหว่างจัดทำแผน",
    State.OPENED: "เปิดอ่านแล้ว ยังไม่มีแผน",
    State.NOT_OPENED: "ยังไม่เปิดอ่าน",
}

# Colour-blind-safe (Okabe–Ito based), each paired with a text label everywhere it is used. The text
# colour on each fill is chosen for ≥ 4.5:1 contrast.
STATE_COLOURS = {
    State.ACCEPTED: ("#1a6b3c", "#ffffff"),
    State.ON_TIME: ("#009e73", "#000000"),
    State.LATE: ("#e69f00", "#000000"),
    State.RETURNED: ("#b8322a", "#ffffff"),
    State.APPROVED: ("#56b4e9", "#000000"),
    State.DRAFT: ("#f0e442", "#000000"),
    State.OPENED: ("#b9c2c9", "#000000"),
    State.NOT_OPENED: ("#5b6770", "#ffffff"),
}

# Map colours: share of local governments that have sent their plan (ready %), five steps.
READY_BUCKETS = [  # (lowest %, fill, text)
    (80, "#084081", "#ffffff"),
    (60, "#2b8cbe", "#ffffff"),
    (40, "#7bccc4", "#000000"),
    (20, "#ccebc5", "#000000"),
    (0, "#f7fcf0", "#000000"),
]

SORTS = {
    # key -> (row attribute key function, default direction)
    "name": "name",
    "state": "state",
    "score": "score",
    "submitted": "submitted",
    "area": "area",
    "kind": "kind",
}
PAGE_SIZE = 50
LEAGUE_SIZE = 10


def state_of(*, submission: str | None, on_time: bool, approved: bool, draft: bool, opened: bool) -> State:
    """The first state that applies, from the top (see the module docstring)."""
    if submission == SubmissionStatus.ACCEPTED:
        return State.ACCEPTED
    if submission == SubmissionStatus.RETURNED:
        return State.RETURNED
    if submission == SubmissionStatus.SUBMITTED:
        return State.ON_TIME if on_time else State.LATE
    if approved:
        return State.APPROVED
    if draft:
        return State.DRAFT
    if opened:
        return State.OPENED
    return State.NOT_OPENED


def ready_bucket(percent: float | None) -> tuple[str, str]:
    if percent is None:
        return ("#ffffff", "#000000")
    for low, fill, text in READY_BUCKETS:
        if percent >= low:
            return fill, text
    return READY_BUCKETS[-1][1:]


THAI_LEADING_VOWELS = "เแโใไ"


@lru_cache(maxsize=32768)
def name_key(name: str) -> tuple:
    """Thai dictionary order, near enough, for names of local governments.

    The type prefix (องค์การบริหารส่วนตำบล, เทศบาลตำบล, …) is skipped, a leading vowel (เ แ โ ใ ไ) sorts
    after its consonant, and tone and other marks only break ties — as in a Thai dictionary.
    """
    n = name or ""
    for prefix in ("องค์การบริหารส่วนตำบล", "องค์การบริหารส่วนจังหวัด", "เทศบาลตำบล", "เทศบาลเมือง", "เทศบาลนคร"):
        if n.startswith(prefix):
            n = n[len(prefix) :]
            break
    out = []
    i = 0
    while i < len(n):
        ch = n[i]
        if ch in THAI_LEADING_VOWELS and i + 1 < len(n):
            out.append(n[i + 1])
            out.append(ch)
            i += 2
            continue
        out.append(ch)
        i += 1
    primary = "".join(c for c in out if c not in THAI_MARKS)
    return (primary, "".join(out), name)


THAI_MARKS = frozenset("\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")


# -- scope ---------------------------------------------------------------------------------------


@dataclass
class Scope:
    """Where the dashboard looks from: the whole country, one province or one district."""

    level: str  # "national" | "province" | "district"
    org: Organization  # the organization named in URLs (a national body, a province, a district)
    area_id: int | None = None  # the province or district itself (None for the country)
    area: object = None  # that Organization, or the board's Area for it (names, geocode)

    def q(self, prefix: str = "") -> Q:
        if self.level == "national":
            return Q()
        if self.level == "province":
            return Q(**{f"{prefix}province_id": self.area_id})
        return Q(**{f"{prefix}district_id": self.area_id})

    @property
    def title(self) -> str:
        return self.area.name_th if self.area is not None else str(_("Whole country"))

    @property
    def group_level(self) -> str | None:
        """What the roll-up groups by: provinces on the national view, districts on a province's."""
        return {"national": "province", "province": "district"}.get(self.level)


OVERSEER_KINDS = NATIONAL_KINDS | PROVINCIAL_KINDS | {Kind.DISTRICT}


def scope_for(org: Organization) -> Scope | None:
    """The scope an overseer of `org` looks from (None for a local government).

    A provincial office looks from its province; the province's name comes with the board
    (build_board fills `area`), so no query is spent on it here.
    """
    if org.kind in NATIONAL_KINDS:
        return Scope("national", org)
    if org.kind == Kind.PROVINCE:
        return Scope("province", org, org.pk, org)
    if org.kind == Kind.PROVINCIAL_OFFICE:
        return Scope("province", org, org.province_id)
    if org.kind == Kind.DISTRICT:
        return Scope("district", org, org.pk, org)
    return None


# -- the board -----------------------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class Area:
    """A province or district of the scope (names and codes for roll-ups, maps and filters)."""

    pk: int
    name_th: str
    kind: str
    geocode: str
    province_id: int | None


@dataclass(slots=True)
class Row:
    """One local government on the board (instants are epoch seconds, see Epoch)."""

    org_id: int
    name: str
    kind: str
    dla_code: str
    district_id: int | None
    province_id: int | None
    lat: float | None
    lon: float | None
    received: bool = False
    opened: bool = False
    plan_status: str = ""
    score: int | None = None
    submission: str | None = None
    on_time: bool = True
    submitted: int | None = None  # the live submission
    first_submitted: int | None = None  # the first one (the chart counts organizations once)
    receipt: str = ""
    state: str = State.NOT_OPENED.value
    district_name: str = ""
    province_name: str = ""
    opened_at: dt.datetime | None = None  # filled for the rows shown or exported (Board.add_details)
    key: tuple = ()  # name_key(name), for sorting by name

    @property
    def submitted_at(self) -> dt.datetime | None:
        return from_epoch(self.submitted)

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label

    @property
    def kind_abbrev(self) -> str:
        from orgs.models import KIND_ABBREV

        return KIND_ABBREV.get(self.kind, "")

    @property
    def state_label(self) -> str:
        return State(self.state).label

    @property
    def state_thai(self) -> str:
        return STATE_THAI[self.state]

    @property
    def fill(self) -> str:
        return STATE_COLOURS[self.state][0]

    @property
    def ink(self) -> str:
        return STATE_COLOURS[self.state][1]


@dataclass
class Tally:
    """Counts per state over a set of rows, with percentages and the mean score."""

    counts: dict[str, int] = field(default_factory=lambda: {s.value: 0 for s in STATES})
    total: int = 0
    received: int = 0
    score_sum: int = 0
    scored: int = 0

    def add(self, row: Row) -> None:
        self.counts[row.state] += 1
        self.total += 1
        self.received += row.received
        if row.score is not None:
            self.score_sum += row.score
            self.scored += 1

    def percent(self, state: str) -> float:
        return 100.0 * self.counts[state] / self.total if self.total else 0.0

    @property
    def ready(self) -> int:
        return sum(self.counts[s] for s in READY_STATES)

    @property
    def ready_percent(self) -> float | None:
        return 100.0 * self.ready / self.total if self.total else None

    @property
    def mean_score(self) -> float | None:
        return self.score_sum / self.scored if self.scored else None

    def items(self) -> list[dict]:
        """Per state, in precedence order: value, label, count, percent and colours (for templates)."""
        out = []
        for s in STATES:
            n = self.counts[s.value]
            p = self.percent(s.value)
            out.append(
                {
                    "state": s.value,
                    "label": s.label,
                    "thai": STATE_THAI[s],
                    "count": n,
                    "percent": p,
                    # preformatted: the national roll-up has ~600 of these cells
                    "count_text": f"{n:,}",
                    "percent_text": f"{p:.0f}%",
                    "percent_text1": f"{p:.1f}%",
                    "width": f"{p:.3f}",
                    "fill": STATE_COLOURS[s][0],
                    "ink": STATE_COLOURS[s][1],
                }  # fmt: skip
            )
        return out

    @property
    def ready_text(self) -> str:
        return "–" if self.ready_percent is None else f"{self.ready_percent:.0f}%"

    @property
    def ready_width(self) -> str:
        return f"{self.ready_percent or 0:.2f}"

    @property
    def mean_text(self) -> str:
        return "—" if self.mean_score is None else f"{self.mean_score:.0f}"

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "received": self.received,
            "ready": self.ready,
            "ready_percent": None if self.ready_percent is None else round(self.ready_percent, 1),
            "mean_score": None if self.mean_score is None else round(self.mean_score, 1),
            "counts": dict(self.counts),
            "percents": {s.value: round(self.percent(s.value), 1) for s in STATES},
        }


@dataclass
class Group:
    """A roll-up line: one province (national view) or one district (province view)."""

    org_id: int | None
    name: str
    geocode: str
    tally: Tally = field(default_factory=Tally)

    @property
    def colours(self) -> tuple[str, str]:
        return ready_bucket(self.tally.ready_percent)


@dataclass
class Board:
    root: Directive
    scope: Scope
    rows: list[Row]
    tally: Tally
    groups: list[Group]
    areas: dict[int, Area]
    now: dt.datetime

    # -- the list ------------------------------------------------------------------------------
    def filtered(self, *, states=(), district: int | None = None, kinds=(), q: str = "") -> list[Row]:
        rows = self.rows
        if states:
            wanted = set(states)
            rows = [r for r in rows if r.state in wanted]
        if district:  # a district, or a province on the national view
            rows = [r for r in rows if r.district_id == district or r.province_id == district]
        if kinds:
            wanted_kinds = set(kinds)
            rows = [r for r in rows if r.kind in wanted_kinds]
        q = (q or "").strip()
        if q:
            needle = q.casefold()
            rows = [r for r in rows if needle in r.name.casefold() or q == (r.dla_code or "")]
        return rows

    @staticmethod
    def sort(rows: list[Row], key: str = "name", descending: bool = False) -> list[Row]:
        """Server-side sorting; ties always by name. Empty scores and dates sort last either way."""
        by_name = sorted(rows, key=attrgetter("key"))
        if key == "name":
            return list(reversed(by_name)) if descending else by_name
        rank = {s.value: i for i, s in enumerate(STATES)}
        if key == "state":
            k = lambda r: rank[r.state]  # noqa: E731
        elif key == "area":
            k = lambda r: (name_key(r.province_name), name_key(r.district_name))  # noqa: E731
        elif key == "kind":
            order = [Kind.PAO, Kind.CITY_MUNICIPALITY, Kind.PATTAYA, Kind.TOWN_MUNICIPALITY]
            order += [Kind.SUBDISTRICT_MUNICIPALITY, Kind.SAO]
            k = lambda r: order.index(r.kind) if r.kind in order else len(order)  # noqa: E731
        elif key == "score":
            present = [r for r in by_name if r.score is not None]
            missing = [r for r in by_name if r.score is None]
            return sorted(present, key=lambda r: r.score, reverse=descending) + missing
        elif key == "submitted":
            present = [r for r in by_name if r.submitted is not None]
            missing = [r for r in by_name if r.submitted is None]
            return sorted(present, key=lambda r: r.submitted, reverse=descending) + missing
        else:
            return by_name
        return sorted(by_name, key=k, reverse=descending)

    # -- the league table ----------------------------------------------------------------------
    def league(self, size: int = LEAGUE_SIZE) -> tuple[list[Row], list[Row]]:
        """Best and weakest readiness scores (organizations with a plan); ties by name."""
        scores = [r.score for r in self.rows if r.score is not None]
        if not scores:
            return [], []
        # Only rows at or past the size-th score can be in a table (ties included), then sort those.
        high = heapq.nlargest(size, scores)[-1]
        low = heapq.nsmallest(size, scores)[-1]
        top = sorted(
            (r for r in self.rows if r.score is not None and r.score >= high), key=lambda r: (-r.score, r.key)
        )
        bottom = sorted(
            (r for r in self.rows if r.score is not None and r.score <= low), key=lambda r: (r.score, r.key)
        )
        return top[:size], bottom[:size]

    # -- the chart -----------------------------------------------------------------------------
    def timeline(self, max_points: int = 90) -> dict:
        """Cumulative first submissions (one per organization) by day in Asia/Bangkok, and the deadline.

        From the issue date to the later of today and the deadline; a long span is bucketed (a point
        every few days) so the chart stays readable.
        """
        tz = timezone.get_current_timezone()
        root = self.root
        deadline = timezone.localtime(root.deadline, tz) if root.deadline else None
        deadline_epoch = int(root.deadline.timestamp()) if root.deadline else None
        day_of: dict[int, dt.date] = {}  # epoch day (UTC) -> local date; cheap to cache per hour below

        def local_day(seconds: int) -> dt.date:
            hour = seconds // 3600
            d = day_of.get(hour)
            if d is None:
                d = day_of[hour] = dt.datetime.fromtimestamp(hour * 3600, tz).date()
            return d

        firsts = sorted(r.first_submitted for r in self.rows if r.first_submitted is not None)
        days = [local_day(s) for s in firsts]
        late_days = [local_day(s) for s in firsts if deadline_epoch is not None and s > deadline_epoch]
        today = timezone.localtime(self.now, tz).date()
        start = root.date or (timezone.localtime(root.issued_at, tz).date() if root.issued_at else None)
        start = min(d for d in (start, days[0] if days else None, today) if d)
        end = max([today] + ([days[-1]] if days else []) + ([deadline.date()] if deadline else []))
        span = (end - start).days + 1
        step = max(1, math.ceil(span / max_points))
        labels, values, on_time, late = [], [], [], []
        i = j = 0
        day = start
        while True:
            bucket_end = min(day + dt.timedelta(days=step - 1), end)
            while i < len(days) and days[i] <= bucket_end:
                i += 1
            while j < len(late_days) and late_days[j] <= bucket_end:
                j += 1
            labels.append(bucket_end.isoformat())
            values.append(i)
            on_time.append(i - j)
            late.append(j)
            if bucket_end >= end:
                break
            day = bucket_end + dt.timedelta(days=1)
        return {
            "labels": labels,
            "submitted": values,
            "on_time": on_time,
            "late": late,
            "total": self.tally.total,
            "deadline": deadline.date().isoformat() if deadline else None,
            "step_days": step,
        }

    # -- details of the rows shown -------------------------------------------------------------
    def add_details(self, rows: list[Row]) -> list[Row]:
        """Opening dates for the rows shown or exported (one query, whatever their number)."""
        if rows:
            ids = [r.org_id for r in rows]
            first: dict[int, dt.datetime] = {}
            qs = Recipient.objects.filter(
                directive__root_id=self.root.pk, directive__status=DirectiveStatus.ISSUED,
                acknowledged_at__isnull=False,
            )  # fmt: skip
            if len(ids) < 1000:
                qs = qs.filter(org_id__in=ids)
            for org_id, at in qs.values_list("org_id", "acknowledged_at").order_by():
                if org_id not in first or at < first[org_id]:
                    first[org_id] = at
            for r in rows:
                r.opened_at = first.get(r.org_id)
        return rows

    # -- the map -------------------------------------------------------------------------------
    def map_data(self) -> dict:
        """Areas coloured by readiness (outlines from the data directory, or points), and LGO points."""
        areas = []
        if self.scope.level == "district":
            district = self.scope.area
            areas.append(_area_entry(district, _tally_of(self.rows), level="district"))
            points = [
                {
                    "lat": r.lat,
                    "lon": r.lon,
                    "name": r.name,
                    "state": r.state,
                    "label": str(State(r.state).label),
                    "fill": STATE_COLOURS[r.state][0],
                }  # fmt: skip
                for r in self.rows
                if r.lat is not None and r.lon is not None
            ]
            geo_level, codes = "district", [district.geocode]
        else:
            for g in self.groups:
                areas.append(
                    {
                        "code": g.geocode,
                        "name": g.name,
                        "org_id": g.org_id,
                        "total": g.tally.total,
                        "ready": g.tally.ready,
                        "ready_percent": None
                        if g.tally.ready_percent is None
                        else round(g.tally.ready_percent),
                        "mean_score": None if g.tally.mean_score is None else round(g.tally.mean_score),
                        "fill": g.colours[0],
                        "ink": g.colours[1],
                    }  # fmt: skip
                )
            points = []
            geo_level = self.scope.group_level
            codes = [g.geocode for g in self.groups if g.geocode]
        province_code = self.scope.area.geocode[:2] if self.scope.area is not None else None
        shapes = outlines(geo_level, province_code, tuple(sorted(codes))) if codes else None
        if shapes is None:
            # No outlines in the data directory: areas become points at their local governments' centroid.
            sums: dict[int, list[float]] = {}
            key = "district_id" if geo_level == "district" else "province_id"
            for r in self.rows:
                if r.lat is not None and r.lon is not None:
                    s = sums.setdefault(getattr(r, key), [0.0, 0.0, 0])
                    s[0] += r.lat
                    s[1] += r.lon
                    s[2] += 1
            by_org = {a.get("org_id"): a for a in areas}
            for org_id, (lat, lon, n) in sums.items():
                if org_id in by_org:
                    by_org[org_id]["lat"] = lat / n
                    by_org[org_id]["lon"] = lon / n
        return {
            "scope": self.scope.level,
            "level": geo_level,
            "areas": areas,
            "points": points,
            "outlines": shapes,
        }


def _tally_of(rows) -> Tally:
    t = Tally()
    for r in rows:
        t.add(r)
    return t


def _area_entry(org: Organization, tally: Tally, *, level: str) -> dict:
    fill, ink = ready_bucket(tally.ready_percent)
    return {
        "code": org.geocode, "name": org.name_th, "org_id": org.pk, "total": tally.total,
        "ready": tally.ready,
        "ready_percent": None if tally.ready_percent is None else round(tally.ready_percent),
        "mean_score": None if tally.mean_score is None else round(tally.mean_score),
        "fill": fill, "ink": ink,
    }  # fmt: skip


class Epoch(Func):
    """Seconds since 1970 (UTC) of a datetime column, as an integer.

    Reading a few thousand datetimes through the driver and Django's time-zone loader costs ~10 µs
    each; an integer costs next to nothing, and the board only sorts and buckets these instants.
    """

    output_field = BigIntegerField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="CAST(EXTRACT(EPOCH FROM %(expressions)s) AS bigint)"
        )

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="CAST(strftime('%%%%s', %(expressions)s) AS integer)"
        )


def from_epoch(seconds: int | None) -> dt.datetime | None:
    return None if seconds is None else dt.datetime.fromtimestamp(seconds, dt.UTC)


def reach_q(root: Directive, prefix: str = "") -> Q:
    """Organizations the chain can reach: everything below the root's issuer."""
    return root.issuer.subtree_q(prefix)


def build_board(root: Directive, scope: Scope, *, now: dt.datetime | None = None) -> Board:
    """The state of every local government of the chain within the scope, in four queries."""
    rows: dict[int, Row] = {}
    areas: dict[int, Area] = {}
    reach = reach_q(root)
    # 1. the local governments in reach, and the scope's provinces and districts (names, roll-ups)
    lgo_kinds = LGO_KINDS
    for pk, name, kind, code, district_id, province_id, lat, lon, geocode in (
        Organization.objects.filter(scope.q(), kind__in=[*LGO_KINDS, Kind.PROVINCE, Kind.DISTRICT])
        .annotate(lat=Cast("latitude", FloatField()), lon=Cast("longitude", FloatField()))
        .values_list(
            "pk", "name_th", "kind", "dla_code", "district_id", "province_id", "lat", "lon", "geocode"
        )
        .order_by()
    ):
        if kind in lgo_kinds:
            rows[pk] = Row(pk, name, kind, code or "", district_id, province_id, lat, lon, key=name_key(name))
        else:
            areas[pk] = Area(pk, name, kind, geocode, province_id)
    if reach:  # a chain issued below the national level reaches only part of the scope
        issuer = root.issuer
        if issuer.kind in PROVINCIAL_KINDS:
            rows = {pk: r for pk, r in rows.items() if r.province_id == issuer.province_id}
        elif issuer.kind == Kind.DISTRICT:
            rows = {pk: r for pk, r in rows.items() if r.district_id == issuer.pk}
        else:
            rows = {pk: r for pk, r in rows.items() if pk == issuer.pk}
    # The related rows of these organizations: by their ids when there are few (index lookups on
    # (org, …) indexes), by the scope's filter otherwise (the whole country: no filter at all).
    few = len(rows) <= 2000
    related_q = Q(org_id__in=list(rows)) if few else scope.q("org__") & reach_q(root, "org__")
    # 2. the chain's recipient rows: received, and opened (acknowledged by someone)
    for org_id, opened in (
        Recipient.objects.filter(
            related_q, directive__root_id=root.pk, directive__status=DirectiveStatus.ISSUED
        )
        .annotate(opened=ExpressionWrapper(Q(acknowledged_at__isnull=False), output_field=BooleanField()))
        .values_list("org_id", "opened")
        .order_by()
    ):
        row = rows.get(org_id)
        if row is not None:
            row.received = True
            row.opened = row.opened or opened
    # 3. current plans: the approved one's score, else the latest draft's
    latest_draft: dict[int, int] = {}
    for org_id, status, score, revision in (
        Plan.objects.filter(related_q, status__in=[Status.DRAFT, Status.IN_REVIEW, Status.APPROVED])
        .values_list("org_id", "status", "score", "revision")
        .order_by()
    ):
        row = rows.get(org_id)
        if row is None:
            continue
        if status == Status.APPROVED:
            row.plan_status, row.score = status, score
        elif row.plan_status != Status.APPROVED and revision >= latest_draft.get(org_id, 0):
            latest_draft[org_id] = revision
            row.plan_status, row.score = status, score
    # 4. submissions: the live one's status, and the first one's instant (for the chart)
    for org_id, status, on_time, at, receipt in (
        Submission.objects.filter(related_q, root_id=root.pk)
        .annotate(at=Epoch("submitted_at"))
        .values_list("org_id", "status", "on_time", "at", "receipt_number")
        .order_by()
    ):
        row = rows.get(org_id)
        if row is None:
            continue
        if row.first_submitted is None or at < row.first_submitted:
            row.first_submitted = at
        if status != SubmissionStatus.SUPERSEDED:
            row.submission, row.on_time, row.submitted, row.receipt = status, on_time, at, receipt
    if scope.area is None and scope.area_id is not None:
        scope.area = areas.get(scope.area_id)
    names = {pk: o.name_th for pk, o in areas.items()}
    group_level = scope.group_level
    groups: dict[int | None, Group] = {}
    if group_level:
        for o in sorted(areas.values(), key=lambda a: a.geocode or ""):
            if o.kind == group_level:
                groups[o.pk] = Group(o.pk, o.name_th, o.geocode)
    by_province = group_level == "province"
    accepted, returned, submitted = (
        SubmissionStatus.ACCEPTED,
        SubmissionStatus.RETURNED,
        SubmissionStatus.SUBMITTED,
    )
    per_group: Counter = Counter()  # (group key, state) -> n
    received: Counter = Counter()  # group key -> n
    score_sum: Counter = Counter()
    scored: Counter = Counter()
    for row in rows.values():
        # state_of(), inlined: this loop runs for every local government in the country
        sub = row.submission
        if sub == accepted:
            state = "accepted"
        elif sub == returned:
            state = "returned"
        elif sub == submitted:
            state = "on_time" if row.on_time else "late"
        elif row.plan_status == "approved":
            state = "approved"
        elif row.plan_status:
            state = "draft"
        elif row.opened:
            state = "opened"
        else:
            state = "not_opened"
        row.state = state
        row.district_name = names.get(row.district_id, "")
        row.province_name = names.get(row.province_id, "")
        key = (row.province_id if by_province else row.district_id) if group_level else None
        per_group[key, state] += 1
        if row.received:
            received[key] += 1
        if row.score is not None:
            score_sum[key] += row.score
            scored[key] += 1
    tally = Tally()
    for (key, state), n in per_group.items():
        group = None
        if group_level:
            group = groups.get(key)
            if group is None:
                group = groups[key] = Group(key, str(_("Not in any district")), "")
        for t in (tally, group.tally) if group is not None else (tally,):
            t.counts[state] += n
            t.total += n
    for key in set(received) | set(scored):
        for t in (tally, groups[key].tally) if group_level else (tally,):
            t.received += received[key]
            t.score_sum += score_sum[key]
            t.scored += scored[key]
    # Areas with no local government in the chain's reach are left out of the roll-up.
    group_list = [g for g in groups.values() if g.tally.total]
    return Board(
        root=root,
        scope=scope,
        rows=list(rows.values()),
        tally=tally,
        groups=group_list,
        areas=areas,
        now=now or timezone.now(),
    )


# -- boundaries from the data directory ----------------------------------------------------------

GEO_FILES = {
    # level -> candidates, relative to PHROM_DATA_DIR; the first that exists is used
    "province": ["thailand/provinces_simplified.geojson"],
    "district": ["phrae/phrae_districts.geojson", "thailand/districts_simplified.geojson"],
}


def _round_coords(coords, places: int = 4):
    if isinstance(coords, (int, float)):
        return round(coords, places)
    return [_round_coords(c, places) for c in coords]


@lru_cache(maxsize=8)
def _load_geojson(path: str, mtime: float) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    features = []
    for feat in data.get("features", []):
        props = feat.get("properties") or {}
        code = props.get("district_code") or props.get("province_code") or ""
        geom = feat.get("geometry") or {}
        features.append(
            {
                "type": "Feature",
                "properties": {"code": str(code), "province": str(props.get("province_code") or "")},
                "geometry": {
                    "type": geom.get("type"),
                    "coordinates": _round_coords(geom.get("coordinates", [])),
                },
            }
        )
    return features


def _geo_path(level: str, province_code: str | None) -> Path | None:
    base = Path(settings.PHROM_DATA_DIR)
    for rel in GEO_FILES.get(level, []):
        if rel.startswith("phrae/") and province_code != "54":
            continue
        p = base / rel
        if p.is_file():
            return p
    return None


@lru_cache(maxsize=256)
def _outlines_json(path: str, mtime: float, codes: tuple[str, ...]) -> str:
    wanted = set(codes)
    feats = [f for f in _load_geojson(path, mtime) if f["properties"]["code"] in wanted]
    if not feats:
        return ""
    text = json.dumps(
        {"type": "FeatureCollection", "features": feats}, ensure_ascii=False, separators=(",", ":")
    )
    # Safe inside <script type="application/json"> (as django's json_script escapes).
    return text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")


def outlines(level: str, province_code: str | None, codes: tuple[str, ...]) -> str | None:
    """GeoJSON (text, script-safe) of the areas' outlines, or None when the data directory has none."""
    path = _geo_path(level, province_code)
    if path is None:
        return None
    try:
        return _outlines_json(str(path), path.stat().st_mtime, codes) or None
    except (OSError, ValueError):
        return None
