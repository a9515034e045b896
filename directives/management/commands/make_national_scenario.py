"""manage.py make_national_scenario — one directive relayed to every local government in Thailand.

For the national dashboard and its benchmark: loads the country (orgs.loaders.load_country,
idempotent), then the DLA issues one circular asking for an approved BCP by a deadline, to every
provincial office; each office relays it to its districts (and directly to the PAO and the city and
town municipalities, as the founding letter of 2020 did); each district relays it to its other local
governments. Local governments then stand in every state of the dashboard: not reached (a few
districts have not relayed), not opened, opened, plan in draft or review, approved, submitted on
time, late, returned, and accepted (some after a first version was returned). Plans carry readiness
scores. Everything is written with bulk inserts in one transaction, deterministically for a --seed.

The scenario is refused when it is already there (the DLA's scenario circular exists): build it in a
fresh database. `build_scenario()` works on whatever organizations are in the database, so tests
build small scenarios the same way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from directives.models import (
    Ask,
    CopyRule,
    Directive,
    DirectiveStatus,
    Group,
    Recipient,
    Submission,
    SubmissionCopy,
    SubmissionStatus,
    Urgency,
    receipt_number,
)
from orgs.models import LGO_KINDS, Kind, Organization
from phrom.lib.thai import to_thai_digits
from plans.models import Plan, Status

SCENARIO_SUBJECT = (
    "ขอให้องค์กรปกครองส่วนท้องถิ่นจัดส่งแผนดำเนินธุรกิจอย่างต่อเนื่อง (BCP) ฉบับทบทวน (สถานการณ์จำลองระดับประเทศ)"
)
SCENARIO_BODY = (
    "ด้วยคณะรัฐมนตรีได้มีมติให้หน่วยงานของรัฐทบทวนแผนดำเนินธุรกิจอย่างต่อเนื่องให้รองรับสภาวะวิกฤต"
    "ที่อาจเกิดขึ้นเป็นระยะเวลานาน กรมส่งเสริมการปกครองท้องถิ่นจึงขอให้จังหวัดแจ้งองค์กรปกครองส่วนท้องถิ่น"
    "ทุกแห่งจัดทำหรือทบทวนแผน และจัดส่งแผนที่ผู้บริหารท้องถิ่นอนุมัติแล้วให้สำนักงาน ก.พ.ร. ภายในกำหนด"
)
# Kinds the provincial office addresses directly (the rest come through their district).
DIRECT_KINDS = frozenset({Kind.PAO, Kind.CITY_MUNICIPALITY, Kind.TOWN_MUNICIPALITY, Kind.PATTAYA})

# Share of local governments (that received the circular) in each outcome.
OUTCOMES = [
    ("not_opened", 8),
    ("opened", 10),
    ("draft", 11),
    ("in_review", 5),
    ("approved", 10),
    ("on_time", 24),
    ("late", 10),
    ("returned", 6),
    ("accepted", 11),
    ("accepted_after_return", 5),
]
DISTRICT_SILENT = 0.03  # districts that have not relayed yet
OFFICE_SILENT = 0.0  # every provincial office relays (a silent one would hide a whole province)


class ScenarioExists(Exception):
    pass


@dataclass
class Summary:
    root: Directive | None = None
    directives: int = 0
    recipients: int = 0
    plans: int = 0
    submissions: int = 0
    copies: int = 0
    lgos: int = 0
    outcomes: dict = field(default_factory=lambda: defaultdict(int))
    seconds: float = 0.0


def bangkok_end_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=ZoneInfo(settings.TIME_ZONE))


def existing_root() -> Directive | None:
    return Directive.objects.filter(subject=SCENARIO_SUBJECT, parent__isnull=True).order_by("pk").first()


def build_scenario(*, seed: int = 1, now: dt.datetime | None = None) -> Summary:
    """The chain and the outcomes over every organization in the database (see the module docstring)."""
    if (found := existing_root()) is not None:
        raise ScenarioExists(found)
    rng = random.Random(seed)
    now = now or timezone.now()
    summary = Summary()
    tz = ZoneInfo(settings.TIME_ZONE)
    today = timezone.localtime(now, tz).date()
    issued_day = today - dt.timedelta(days=45)
    deadline = bangkok_end_of_day(issued_day + dt.timedelta(days=30))  # 15 days ago

    dla = Organization.objects.filter(kind=Kind.DLA).order_by("pk").first()
    opdc = Organization.objects.filter(kind=Kind.OPDC).order_by("pk").first()
    if dla is None or opdc is None:
        raise CommandError(
            "The database has no DLA or OPDC: load the country first (manage.py load_country)."
        )

    orgs = list(
        Organization.objects.filter(is_active=True)
        .exclude(kind__in=[Kind.OPDC, Kind.DLA])
        .values_list("pk", "kind", "province_id", "district_id", "letter_prefix")
        .order_by("pk")
    )
    offices = {}  # province id -> the organization that relays for the province
    provinces = {}
    districts_of = defaultdict(list)
    lgos_of_district = defaultdict(list)
    direct_of_province = defaultdict(list)
    prefix = {}
    kind_of = {}
    province_of, district_of = {}, {}
    for pk, kind, province_id, district_id, letter_prefix in orgs:
        prefix[pk], kind_of[pk] = letter_prefix, kind
        province_of[pk], district_of[pk] = province_id, district_id
        if kind == Kind.PROVINCIAL_OFFICE:
            offices[province_id] = pk
        elif kind == Kind.PROVINCE:
            provinces[pk] = pk
        elif kind == Kind.DISTRICT:
            districts_of[province_id].append(pk)
        elif kind in LGO_KINDS:
            if kind in DIRECT_KINDS or district_id is None:
                direct_of_province[province_id].append(pk)
            else:
                lgos_of_district[district_id].append(pk)
    for province_id in provinces:
        offices.setdefault(province_id, province_id)  # no office (Bangkok, tests): the province itself

    year = issued_day.year
    next_number = {
        issuer: (n or 0) + 1
        for issuer, n in Directive.objects.filter(register_year=year, is_circular=True)
        .values_list("issuer")
        .annotate(Max("register_number"))
    }

    def numbered(issuer_id: int, letter_prefix: str) -> dict:
        n = next_number.get(issuer_id, 1)
        next_number[issuer_id] = n + 1
        text = f"{letter_prefix}/ว {n}" if letter_prefix else f"ว {n}"
        return {"register_year": year, "register_number": n, "number": to_thai_digits(text)}

    common = {
        "status": DirectiveStatus.ISSUED, "urgency": Urgency.MOST_URGENT, "subject": SCENARIO_SUBJECT,
        "ask": Ask.SUBMIT_PLAN, "deadline": deadline, "submit_to": opdc,
        "copy_rules": [CopyRule.PROVINCE, CopyRule.DISTRICT], "is_circular": True,
    }  # fmt: skip

    def at(day: dt.date, hour: int) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, rng.randrange(60)), tzinfo=tz)

    # The DLA's circular, to every provincial office.
    root = Directive.objects.create(
        issuer=dla, date=issued_day, issued_at=at(issued_day, 10), salutation="ผู้ว่าราชการจังหวัด ทุกจังหวัด",
        body=SCENARIO_BODY, **numbered(dla.pk, dla.letter_prefix or "มท ๐๘๑๖.๒"), **common,
    )  # fmt: skip
    Directive.objects.filter(pk=root.pk).update(root=root)
    root.root = root
    summary.root = root
    recipients: list[Recipient] = []
    last_received: dict[int, Recipient] = {}
    acknowledged: dict[int, dt.datetime] = {}

    def receive(directive_id: int, org_id: int, group: str, day: dt.date, *, p_open: float) -> bool:
        opened = rng.random() < p_open
        when = at(day + dt.timedelta(days=rng.randrange(0, 4)), 9 + rng.randrange(8)) if opened else None
        r = Recipient(directive_id=directive_id, org_id=org_id, group=group, acknowledged_at=when)
        recipients.append(r)
        last_received[org_id] = r
        if when:
            acknowledged[org_id] = when
        return opened

    relays: list[tuple[Directive, list[tuple[int, str]]]] = []
    for province_id in sorted(provinces):
        office = offices[province_id]
        receive(root.pk, office, Group.PROVINCIAL_OFFICES, issued_day, p_open=1.0)
        day = issued_day + dt.timedelta(days=1 + rng.randrange(3))
        to = [(d, Group.DISTRICTS) for d in districts_of[province_id]]
        to += [(o, Group.LGOS) for o in direct_of_province[province_id]]
        relay = Directive(
            issuer_id=office, parent=root, root=root, date=day, issued_at=at(day, 11),
            salutation="นายอำเภอ ทุกอำเภอ", cover_note="เพื่อโปรดทราบและแจ้งองค์กรปกครองส่วนท้องถิ่นในพื้นที่",
            **numbered(office, prefix.get(office, "")), **common,
        )  # fmt: skip
        relays.append((relay, to))
    _create_relays(relays, summary)

    district_relays = []
    for relay, to in relays:
        for org_id, group in to:
            if kind_of[org_id] == Kind.DISTRICT:
                opened = receive(relay.pk, org_id, group, relay.date, p_open=0.99)
                if not lgos_of_district[org_id] or not opened or rng.random() < DISTRICT_SILENT:
                    continue
                day = relay.date + dt.timedelta(days=1 + rng.randrange(4))
                d_to = [(o, Group.DISTRICT_LGOS) for o in lgos_of_district[org_id]]
                district_relays.append(
                    (
                        Directive(
                            issuer_id=org_id,
                            parent=relay,
                            root=root,
                            date=day,
                            issued_at=at(day, 14),
                            salutation="นายกองค์กรปกครองส่วนท้องถิ่น ทุกแห่ง",
                            cover_note="โปรดดำเนินการตามหนังสือที่อ้างถึงภายในกำหนด",
                            **numbered(org_id, prefix.get(org_id, "")),
                            **common,
                        ),  # fmt: skip
                        d_to,
                    )
                )
            else:
                district_relays.append((None, [(org_id, group, relay)]))
    _create_relays([(d, to) for d, to in district_relays if d is not None], summary)

    # Who received what, when.
    received: dict[int, dt.date] = {}
    for d, to in district_relays:
        if d is None:
            for org_id, group, relay in to:
                received[org_id] = relay.date
                receive(relay.pk, org_id, group, relay.date, p_open=1.0)
        else:
            for org_id, group in to:
                received[org_id] = d.date
                receive(d.pk, org_id, group, d.date, p_open=1.0)

    # Outcomes: decided per local government, then receipts undone where the outcome needs it.
    has_plan = set(Plan.objects.filter(org__kind__in=LGO_KINDS).values_list("org_id", flat=True).distinct())
    all_lgos = sorted(pk for pk, kind, *_rest in orgs if kind in LGO_KINDS)
    summary.lgos = len(all_lgos)
    names, weights = zip(*OUTCOMES, strict=True)
    plans: list[Plan] = []
    subs: list[dict] = []
    for org_id in all_lgos:
        if org_id not in received:
            outcome = "draft" if rng.random() < 0.15 else "not_reached"
        else:
            outcome = rng.choices(names, weights)[0]
        if org_id in has_plan:
            outcome = "existing_plan"  # the organization's own plans are left alone
        summary.outcomes[outcome] += 1
        if outcome == "not_opened":
            last_received[org_id].acknowledged_at = None
            acknowledged.pop(org_id, None)
            continue
        if outcome in ("not_reached", "opened", "existing_plan"):
            continue
        status = {"draft": Status.DRAFT, "in_review": Status.IN_REVIEW}.get(outcome, Status.APPROVED)
        score = rng.randint(15, 69) if status == Status.DRAFT else rng.randint(60, 100)
        if status == Status.APPROVED:
            score = rng.randint(72, 100)
        created = at(issued_day + dt.timedelta(days=rng.randrange(0, 10)), 9)
        plan = Plan(
            org_id=org_id, title="แผนดำเนินธุรกิจอย่างต่อเนื่อง (Business Continuity Plan)",
            fiscal_year=_fiscal_year(today), revision=1, status=status, score=score, score_at=created,
            submitted_at=created if status != Status.DRAFT else None,
            approved_at=created if status == Status.APPROVED else None,
            digest=_digest(seed, org_id) if status == Status.APPROVED else "",
        )  # fmt: skip
        plans.append(plan)
        if outcome in ("on_time", "late", "returned", "accepted", "accepted_after_return"):
            subs.append({"org_id": org_id, "outcome": outcome, "plan": plan, "received": received[org_id]})
    Plan.objects.bulk_create(plans, batch_size=2000)
    summary.plans = len(plans)
    Recipient.objects.bulk_create(recipients, batch_size=2000)
    summary.recipients = len(recipients)

    # Submissions: on time before the deadline, late after it; an accepted-after-return pair is a
    # returned (superseded) first version and the accepted one that replaced it.
    relay_of = {}
    for d, to in district_relays:
        if d is None:
            for org_id, _group, relay in to:
                relay_of[org_id] = relay.pk
        else:
            for org_id, _group in to:
                relay_of[org_id] = d.pk
    firsts, seconds = [], []
    deadline_day = timezone.localtime(deadline, tz).date()
    last_day = max(deadline_day + dt.timedelta(days=1), today - dt.timedelta(days=1))
    for s in subs:
        org_id, outcome, start = s["org_id"], s["outcome"], s["received"]
        if outcome == "late":
            day = deadline_day + dt.timedelta(days=1 + rng.randrange(max(1, (last_day - deadline_day).days)))
        else:
            span = max(1, (deadline_day - start).days)
            day = start + dt.timedelta(days=int(span * rng.betavariate(2.2, 1.6)))
        when = min(at(day, 8 + rng.randrange(9)), now)
        if outcome != "late" and when > deadline:
            when = deadline - dt.timedelta(hours=1 + rng.randrange(20))
        status = {
            "on_time": SubmissionStatus.SUBMITTED,
            "late": SubmissionStatus.SUBMITTED,
            "returned": SubmissionStatus.RETURNED,
            "accepted": SubmissionStatus.ACCEPTED,
            "accepted_after_return": SubmissionStatus.SUPERSEDED,
        }[outcome]
        sub = _submission(root, relay_of[org_id], org_id, s["plan"], opdc, when, deadline, status, seed, 1)
        if status in (SubmissionStatus.RETURNED, SubmissionStatus.ACCEPTED, SubmissionStatus.SUPERSEDED):
            sub.reviewed_at = min(when + dt.timedelta(days=1 + rng.randrange(5)), now)
            sub.review_comment = (
                "" if status == SubmissionStatus.ACCEPTED else "โปรดระบุผู้รับผิดชอบสำรองให้ครบทุกกระบวนงาน"
            )
        if status == SubmissionStatus.SUPERSEDED:
            again = min(sub.reviewed_at + dt.timedelta(days=2 + rng.randrange(6)), now)
            second = _submission(
                root,
                relay_of[org_id],
                org_id,
                s["plan"],
                opdc,
                again,
                deadline,
                SubmissionStatus.ACCEPTED,
                seed,
                2,
            )
            second.reviewed_at = min(again + dt.timedelta(days=1), now)
            seconds.append((sub, second))
        firsts.append(sub)
    Submission.objects.bulk_create(firsts, batch_size=2000)
    for first, second in seconds:
        second.replaces_id = first.pk
    Submission.objects.bulk_create([s for _f, s in seconds], batch_size=2000)
    all_subs = firsts + [s for _f, s in seconds]
    summary.submissions = len(all_subs)
    copies = []
    for sub in all_subs:
        for org_id in {province_of.get(sub.org_id), district_of.get(sub.org_id)} - {None}:
            copies.append(SubmissionCopy(submission_id=sub.pk, org_id=org_id))
    SubmissionCopy.objects.bulk_create(copies, batch_size=2000)
    summary.copies = len(copies)
    return summary


def _digest(seed: int, org_id: int) -> str:
    return hashlib.sha256(f"scenario:{seed}:{org_id}".encode()).hexdigest()


def _fiscal_year(day: dt.date) -> int:
    return (day.year + 1 if day.month >= 10 else day.year) + 543


def _submission(root, directive_id, org_id, plan, to, when, deadline, status, seed, n) -> Submission:
    key = f"scenario:{seed}:{root.pk}:{org_id}:{n}"
    return Submission(
        directive_id=directive_id, root=root, org_id=org_id, plan=plan, plan_digest=plan.digest,
        submitted_to=to, receipt_number=receipt_number(root.pk, org_id, key), idempotency_key=key,
        submitted_at=when, on_time=when <= deadline, status=status,
    )  # fmt: skip


def _create_relays(relays, summary: Summary) -> None:
    Directive.objects.bulk_create([d for d, _to in relays], batch_size=1000)
    summary.directives += len(relays)


class Command(BaseCommand):
    help = (
        "Load the country and build one directive relayed to all 7,849 local governments, with plans "
        "and submissions in every state (for the national dashboard and its benchmark)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", default=None, help="Open-data directory (default: PHROM_DATA_DIR).")
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed: the same seed gives the same scenario."
        )
        parser.add_argument(
            "--skip-country", action="store_true", help="Use the organizations already loaded."
        )

    def handle(self, *args, data_dir=None, seed=1, skip_country=False, **options):
        from orgs.loaders import LoadError, default_data_dir, load_country

        started = time.perf_counter()
        if (found := existing_root()) is not None:
            raise CommandError(
                f"มีสถานการณ์จำลองอยู่แล้ว / the national scenario is already in this database (directive "
                f"{found.pk}, {found.number}). Nothing was changed. Build it in a fresh database."
            )
        try:
            with transaction.atomic():
                if not skip_country:
                    result = load_country(data_dir or default_data_dir())
                    self.stdout.write(
                        f"หน่วยงาน / organizations: {result.created:,} new, {result.updated:,} updated, "
                        f"{result.unchanged:,} unchanged ({result.seconds:.1f} s)"
                    )
                summary = build_scenario(seed=seed)
        except LoadError as exc:
            raise CommandError(f"โหลดไม่สำเร็จ / load failed — nothing was written.\n{exc}") from exc
        except ScenarioExists as exc:
            raise CommandError(f"the national scenario is already in this database ({exc}).") from exc
        seconds = time.perf_counter() - started
        out = self.stdout
        out.write(
            f"หนังสือสั่งการ / directive: {summary.root.number} (id {summary.root.pk}), "
            f"relays: {summary.directives:,}"
        )
        out.write(
            f"ผู้รับ / recipients: {summary.recipients:,}; แผน / plans: {summary.plans:,}; "
            f"การส่งแผน / submissions: {summary.submissions:,}; สำเนา / copies: {summary.copies:,}"
        )
        outcomes = ", ".join(f"{k} {v:,}" for k, v in sorted(summary.outcomes.items()))
        out.write(f"อปท. / local governments: {summary.lgos:,} ({outcomes})")
        out.write(self.style.SUCCESS(f"บันทึกแล้ว / saved — {seconds:.1f} s"))
