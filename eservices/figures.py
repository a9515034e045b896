"""Figures of the e-services for oversight: per organization, and rolled up below a district or province.

No personal data: counts and durations only. Processing time is measured in working days from
submission to closing, against the service's published time (eservices.actions.published_days).

The roll-up reads every organization below in a fixed number of queries (grouped counts, and one
list of closed requests' times for the medians), whatever the number of organizations.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from eservices.actions import published_days, working_days_between
from eservices.models import OPEN_STATUSES, Channel, Request, RequestStatus, Service
from orgs.models import Organization

PERIODS = {"30": 30, "90": 90, "365": 365, "all": None}


def since(period: str) -> dt.datetime | None:
    days = PERIODS.get(period, 365)
    return timezone.now() - dt.timedelta(days=days) if days else None


def percentile(values: list[float], p: float) -> float | None:
    """The p-th percentile (0–100) by linear interpolation; None for no values."""
    if not values:
        return None
    xs = sorted(values)
    k = (len(xs) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return round(xs[lo] + (xs[hi] - xs[lo]) * (k - lo), 1)


def median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def channel_rows(counts: dict) -> list[tuple[Channel, int]]:
    """(Channel, count) in the Channel order, channels with requests only; unknown keys are skipped."""
    return [(c, counts[c.value]) for c in Channel if counts.get(c.value)]


def _add(counts: dict, key, n: int) -> None:
    counts[key] = counts.get(key, 0) + n


@dataclass
class ServiceFigures:
    service: Service
    total: int = 0
    open: int = 0
    overdue: int = 0
    done: int = 0
    rejected: int = 0
    late: int = 0  # closed after the due time
    days: list[float] = field(default_factory=list)  # working days to close, done requests
    by_channel: dict = field(default_factory=dict)  # channel -> count

    @property
    def published(self) -> int | None:
        return published_days(self.service)

    @property
    def channel_rows(self) -> list[tuple[Channel, int]]:
        return channel_rows(self.by_channel)

    @property
    def median(self):
        return median(self.days)

    @property
    def p90(self):
        return percentile(self.days, 90)

    @property
    def over_published(self) -> bool:
        return bool(self.published and self.median is not None and self.median > self.published)


@dataclass
class OrgFigures:
    org: Organization
    period: str
    total: int = 0
    by_status: dict = field(default_factory=dict)  # status -> count
    by_channel: list = field(default_factory=list)  # (Channel, count)
    services: list[ServiceFigures] = field(default_factory=list)
    overdue: int = 0
    late: int = 0
    closed: int = 0
    days: list[float] = field(default_factory=list)

    @property
    def open(self) -> int:
        return sum(self.by_status.get(s, 0) for s in OPEN_STATUSES)

    @property
    def median(self):
        return median(self.days)

    @property
    def p90(self):
        return percentile(self.days, 90)

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * (self.closed - self.late) / self.closed) if self.closed else None

    @property
    def status_rows(self):
        return [(s, self.by_status.get(s.value, 0)) for s in RequestStatus]

    @property
    def max_service_total(self) -> int:
        return max((s.total for s in self.services), default=0)

    @property
    def max_channel(self) -> int:
        return max((n for _c, n in self.by_channel), default=0)


def org_figures(org: Organization, period: str = "365") -> OrgFigures:
    """One organization's figures in 3 queries (services, grouped counts, closing times)."""
    now = timezone.now()
    start = since(period)
    reqs = Request.objects.filter(org=org)
    if start:
        reqs = reqs.filter(submitted_at__gte=start)
    out = OrgFigures(org=org, period=period)
    services = {s.pk: ServiceFigures(s) for s in Service.objects.filter(org=org).order_by("order", "pk")}
    channels: dict[str, int] = {}
    rows = reqs.values("service_id", "status", "channel").annotate(
        n=Count("pk"),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_at__lt=now)),
    )
    for r in rows:
        sf = services.get(r["service_id"])
        out.total += r["n"]
        out.by_status[r["status"]] = out.by_status.get(r["status"], 0) + r["n"]
        channels[r["channel"]] = channels.get(r["channel"], 0) + r["n"]
        out.overdue += r["overdue"]
        if sf is not None:
            sf.total += r["n"]
            sf.overdue += r["overdue"]
            _add(sf.by_channel, r["channel"], r["n"])
            if r["status"] in OPEN_STATUSES:
                sf.open += r["n"]
            elif r["status"] == RequestStatus.DONE:
                sf.done += r["n"]
            elif r["status"] == RequestStatus.REJECTED:
                sf.rejected += r["n"]
    for service_id, status, submitted, closed, due in reqs.filter(closed_at__isnull=False).values_list(
        "service_id", "status", "submitted_at", "closed_at", "due_at"
    ):
        out.closed += 1
        late = bool(due and closed > due)
        out.late += late
        sf = services.get(service_id)
        if sf is not None:
            sf.late += late
        if status == RequestStatus.DONE:
            d = working_days_between(submitted, closed)
            out.days.append(d)
            if sf is not None:
                sf.days.append(d)
    out.by_channel = channel_rows(channels)
    out.services = [s for s in services.values() if s.total or s.service.is_published]
    out.services.sort(key=lambda s: -s.total)
    return out


TOP_SERVICES = 3


@dataclass
class RollupRow:
    org: Organization
    services: int = 0
    online: int = 0  # published services available online
    total: int = 0
    open: int = 0
    overdue: int = 0
    closed: int = 0
    late: int = 0
    days: list[float] = field(default_factory=list)
    by_status: dict = field(default_factory=dict)
    by_channel: dict = field(default_factory=dict)  # channel -> requests
    by_service: dict = field(default_factory=dict)  # key -> [name, requests]

    @property
    def median(self):
        return median(self.days)

    @property
    def channel_rows(self) -> list[tuple[Channel, int]]:
        return channel_rows(self.by_channel)

    @property
    def online_requests(self) -> int:
        """Requests sent through the online form in Phrom."""
        return self.by_channel.get(Channel.ONLINE_FORM.value, 0)

    @property
    def other_requests(self) -> int:
        """Requests staff recorded from the counter, phone, LINE, e-mail, drop box or post."""
        return self.total - self.online_requests

    @property
    def other_channel_rows(self) -> list[tuple[Channel, int]]:
        return [(c, n) for c, n in self.channel_rows if c != Channel.ONLINE_FORM]

    @property
    def online_percent(self) -> int | None:
        return round(100 * self.online_requests / self.total) if self.total else None

    @property
    def top_services(self) -> list[tuple[str, int]]:
        """The most requested services: (name, requests), most first, at most TOP_SERVICES."""
        ranked = sorted(self.by_service.values(), key=lambda v: (-v[1], v[0]))
        return [(name, n) for name, n in ranked[:TOP_SERVICES]]

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * (self.closed - self.late) / self.closed) if self.closed else None


def rollup(overseer_org: Organization, period: str = "365") -> list[RollupRow]:
    """Every local government below `overseer_org`, one row each, in 4 queries whatever their number."""
    now = timezone.now()
    start = since(period)
    orgs = list(
        Organization.objects.within(overseer_org).lgos().order_by("district__name_th", "kind", "name_th")
    )
    rows = {o.pk: RollupRow(o) for o in orgs}
    ids = list(rows)
    for r in (
        Service.objects.filter(org_id__in=ids, is_published=True)
        .values("org_id")
        .annotate(n=Count("pk"), online=Count("pk", filter=Q(available_online=True)))
    ):
        rows[r["org_id"]].services = r["n"]
        rows[r["org_id"]].online = r["online"]
    reqs = Request.objects.filter(org_id__in=ids)
    if start:
        reqs = reqs.filter(submitted_at__gte=start)
    # One grouped query gives statuses, channels and services at once (no query per organization).
    for r in reqs.values("org_id", "status", "channel", "service_id", "service__name").annotate(
        n=Count("pk"), overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_at__lt=now))
    ):
        row = rows[r["org_id"]]
        row.total += r["n"]
        row.overdue += r["overdue"]
        _add(row.by_status, r["status"], r["n"])
        _add(row.by_channel, r["channel"], r["n"])
        row.by_service.setdefault(r["service_id"], [r["service__name"], 0])[1] += r["n"]
        if r["status"] in OPEN_STATUSES:
            row.open += r["n"]
    for org_id, status, submitted, closed, due in reqs.filter(closed_at__isnull=False).values_list(
        "org_id", "status", "submitted_at", "closed_at", "due_at"
    ):
        row = rows[org_id]
        row.closed += 1
        row.late += bool(due and closed > due)
        if status == RequestStatus.DONE:
            row.days.append(working_days_between(submitted, closed))
    return list(rows.values())


def rollup_totals(rows: list[RollupRow]) -> RollupRow:
    """The sum of the rows. Services of different organizations count together by name (most are
    adopted from the same starter library), so the top services are those most requested overall."""
    total = RollupRow(org=None)
    for r in rows:
        for name in ("services", "online", "total", "open", "overdue", "closed", "late"):
            setattr(total, name, getattr(total, name) + getattr(r, name))
        total.days.extend(r.days)
        for key, n in r.by_channel.items():
            _add(total.by_channel, key, n)
        for key, n in r.by_status.items():
            _add(total.by_status, key, n)
        for name, n in r.by_service.values():
            total.by_service.setdefault(name, [name, 0])[1] += n
    return total
