"""Background work about directives: reminders, overdue digests and the e-mail outbox.

Everything runs through Django's Tasks API (django-tasks; the database backend in production, so
`manage.py db_worker` processes may run on any machine). Hooks and tasks only *create* Message
rows and enqueue `send_message`; sending is separate, recorded per row and retried with backoff.

- One reminder task per directive and reminder point (not per organization): when it runs it finds
  the local governments that have not answered yet in one query and writes their messages in bulk.
- A message is sent by whoever claims it first with a conditional UPDATE (pending/failed →
  sending): two workers, or a task and the sweeper, never send the same row twice.
- Enqueueing never raises into a request: a failure is logged, and `send_due_messages` (the
  sweeper, run from cron) picks up messages and reminders whose task never ran.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django_tasks import task

from directives import mail
from directives.models import (
    Ask,
    Directive,
    DirectiveStatus,
    Message,
    MessageKind,
    MessageState,
    Recipient,
    Submission,
    SubmissionStatus,
)
from orgs.models import LGO_KINDS, Kind, Organization

logger = logging.getLogger(__name__)

# A claim lapses after this long (a worker that died mid-send); the sweeper then retries the row.
CLAIM_SECONDS = 600
# Messages per `send_messages` task when thousands of reminders go out at once.
SEND_BATCH = 100
# Submissions that answer a directive; a returned one must be revised and sent again.
ANSWERED = (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)
NO_ADDRESS = "No e-mail address: the organization and its members have none on record."


# -- settings ---------------------------------------------------------------------------------


def _int_list(value, default: str) -> list[int]:
    if value is None:
        value = default
    if isinstance(value, str):
        value = [v for v in value.split(",") if v.strip()]
    return [int(v) for v in value]


def reminder_days() -> list[int]:
    """Days before the deadline at which organizations that have not answered are reminded."""
    days = _int_list(getattr(settings, "PHROM_REMINDER_DAYS", None), "7,3,1")
    return sorted({d for d in days if d > 0}, reverse=True)


def retry_minutes() -> list[int]:
    """Waits between attempts to send one message; the attempt after the last wait is the final one."""
    return _int_list(getattr(settings, "PHROM_MESSAGE_RETRY_MINUTES", None), "1,5,30,120")


def max_attempts() -> int:
    return len(retry_minutes()) + 1


def send_hour() -> int:
    """Local hour (Asia/Bangkok) at which reminders and digests go out: office hours, not midnight."""
    return int(getattr(settings, "PHROM_REMINDER_HOUR", 8))


def overdue_repeat_days() -> int:
    """Repeat the overdue digest every this many days while someone is late (0 = once)."""
    return int(getattr(settings, "PHROM_OVERDUE_REPEAT_DAYS", 7))


OVERDUE_MAX_ROUNDS = 4  # the first digest and at most this many repeats


# -- times ------------------------------------------------------------------------------------


def at_local(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)), timezone.get_current_timezone())


def reminder_time(deadline: dt.datetime, days: int) -> dt.datetime:
    """Office hour of the day `days` before the deadline's day (local time)."""
    return at_local(timezone.localtime(deadline).date() - dt.timedelta(days=days), send_hour())


def digest_time(deadline: dt.datetime) -> dt.datetime:
    """Office hour of the day after the deadline's day."""
    return at_local(timezone.localtime(deadline).date() + dt.timedelta(days=1), send_hour())


def deadline_stamp(directive: Directive) -> int:
    return int(directive.deadline.timestamp())


def _still_scheduled(directive: Directive | None, stamp: int) -> bool:
    """The directive is still issued, asks for plans and has the deadline the task was made for.

    A changed deadline schedules new tasks; the old ones find a different stamp and do nothing.
    """
    return (
        directive is not None
        and directive.status == DirectiveStatus.ISSUED
        and directive.ask == Ask.SUBMIT_PLAN
        and directive.deadline is not None
        and deadline_stamp(directive) == stamp
    )


# -- enqueueing -------------------------------------------------------------------------------


def enqueue(task_obj, *args, run_after: dt.datetime | None = None) -> bool:
    """Enqueue a task; never raises. False when it was not queued (logged; the sweeper catches up)."""
    try:
        t = task_obj
        if run_after is not None:
            if not t.get_backend().supports_defer:
                logger.info("Task backend cannot defer; %s waits for the sweeper", task_obj.name)
                return False
            t = t.using(run_after=run_after)
        t.enqueue(*args)
        return True
    except Exception:
        logger.exception("Could not enqueue %s%r", getattr(task_obj, "name", task_obj), args)
        return False


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def send_soon(ids: list[int]) -> None:
    """Enqueue sending of these messages (one task each, or batches when there are many)."""
    if len(ids) <= 3:
        for pk in ids:
            enqueue(send_message, pk)
        return
    for chunk in _chunks(ids, SEND_BATCH):
        enqueue(send_messages, chunk)


def store_and_send(messages: list[Message]) -> list[int]:
    """Insert messages (those whose dedupe_key exists are skipped) and enqueue the new ones.

    Returns the ids of messages waiting for their first attempt among those keys (a message that a
    previous run created but never sent is enqueued again; claiming makes that harmless).
    """
    if not messages:
        return []
    Message.objects.bulk_create(messages, ignore_conflicts=True, batch_size=500)
    ids: list[int] = []
    for chunk in _chunks([m.dedupe_key for m in messages], 500):
        ids += Message.objects.filter(
            dedupe_key__in=chunk, state=MessageState.PENDING, attempts=0
        ).values_list("pk", flat=True)
    send_soon(sorted(ids))
    return ids


def build_message(kind, key, org, to, context, **links) -> Message:
    subject, body, html = mail.render(kind, {"org": org, **context})
    m = Message(kind=kind, dedupe_key=key, org=org, to=to, subject=subject, body=body, html=html, **links)
    if not to:
        m.state, m.last_error = MessageState.GAVE_UP, NO_ADDRESS
    return m


# -- sending ----------------------------------------------------------------------------------


def claim(message_id: int, now: dt.datetime | None = None) -> bool:
    """Take a message for sending: one conditional UPDATE, so only one sender ever wins."""
    now = now or timezone.now()
    return (
        Message.objects.due(now)
        .filter(pk=message_id)
        .update(
            state=MessageState.SENDING,
            attempts=F("attempts") + 1,
            next_attempt_at=now + dt.timedelta(seconds=CLAIM_SECONDS),
        )
        == 1
    )


def deliver(message_id: int) -> str:
    """Send one message if it can be claimed; record the outcome. Never raises for a send failure."""
    if not claim(message_id):
        return "skipped"
    m = Message.objects.get(pk=message_id)
    try:
        if not m.to:
            raise ValueError(NO_ADDRESS)
        email = EmailMultiAlternatives(m.subject, m.body, settings.DEFAULT_FROM_EMAIL, to=list(m.to))
        if m.html:
            email.attach_alternative(m.html, "text/html")
        email.send(fail_silently=False)
    except Exception as exc:
        return _record_failure(m, exc)
    Message.objects.filter(pk=m.pk, state=MessageState.SENDING).update(
        state=MessageState.SENT, sent_at=timezone.now(), next_attempt_at=None, last_error=""
    )
    return "sent"


def _record_failure(m: Message, exc: Exception) -> str:
    now = timezone.now()
    error = f"{type(exc).__name__}: {exc}"[:2000]
    delays = retry_minutes()
    if not m.to or m.attempts >= max_attempts():
        state, next_at = MessageState.GAVE_UP, None
    else:
        state, next_at = MessageState.FAILED, now + dt.timedelta(minutes=delays[m.attempts - 1])
    Message.objects.filter(pk=m.pk, state=MessageState.SENDING).update(
        state=state, next_attempt_at=next_at, last_error=error
    )
    logger.warning("Message %s attempt %s failed (%s): %s", m.pk, m.attempts, state, error)
    if next_at is not None:
        enqueue(send_message, m.pk, run_after=next_at)
    return state


@task()
def send_message(message_id: int) -> str:
    """Send one outbox message (a retry enqueues this again with run_after)."""
    return deliver(message_id)


@task()
def send_messages(message_ids: list[int]) -> dict:
    """Send a batch of outbox messages, each claimed and recorded on its own."""
    outcome: dict[str, int] = defaultdict(int)
    for pk in message_ids:
        outcome[deliver(pk)] += 1
    return dict(outcome)


def resend(message: Message) -> Message:
    """Put a failed message back in the queue with fresh attempts and today's addresses."""
    roles = mail.OVERSEERS if message.kind in OVERSEER_KINDS else mail.PLANNERS
    current = mail.addresses([message.org_id], roles).get(message.org_id, [])
    to = list(dict.fromkeys([*message.to, *current]))
    Message.objects.filter(pk=message.pk, state__in=[MessageState.FAILED, MessageState.GAVE_UP]).update(
        state=MessageState.PENDING, attempts=0, next_attempt_at=None, to=to
    )
    message.refresh_from_db()
    if message.state == MessageState.PENDING:
        enqueue(send_message, message.pk)
        message.refresh_from_db()
    return message


OVERSEER_KINDS = (MessageKind.OVERDUE, MessageKind.RECEIVED, MessageKind.COPY)


# -- reminders --------------------------------------------------------------------------------


def root_id(directive: Directive) -> int:
    return directive.root_id or directive.pk


def _answered(root: int):
    return Submission.objects.filter(root_id=root, org_id=OuterRef("pk"), status__in=ANSWERED)


def pending_orgs(directive: Directive):
    """Local governments this directive is addressed to that have not answered (one query)."""
    return (
        Organization.objects.filter(
            kind__in=LGO_KINDS,
            is_active=True,
            pk__in=Recipient.objects.filter(directive=directive, role=Recipient.Role.TO).values("org_id"),
        )
        .exclude(Exists(_answered(root_id(directive))))
        .order_by("name_th")
    )


def remind(directive: Directive, days: int) -> int:
    """Create (once) and send the `days`-before reminders of a directive. Returns messages created."""
    root = root_id(directive)
    orgs = list(pending_orgs(directive).only("pk", "name_th", "email", "kind"))
    if not orgs:
        return 0
    done = set(
        Message.objects.filter(
            dedupe_key__startswith=f"reminder:{root}:", dedupe_key__endswith=f":{days}"
        ).values_list("dedupe_key", flat=True)
    )
    todo = [o for o in orgs if f"reminder:{root}:{o.pk}:{days}" not in done]
    if not todo:
        return 0
    to = mail.addresses([o.pk for o in todo], mail.PLANNERS, orgs=todo)
    context = {
        "directive": directive,
        "days": days,
        "deadline": mail.when(directive.deadline),
        "url": mail.link("directives:detail", directive.pk),
    }
    messages = [
        build_message(
            MessageKind.REMINDER,
            f"reminder:{root}:{o.pk}:{days}",
            o,
            to.get(o.pk, []),
            context,
            directive=directive,
        )  # fmt: skip
        for o in todo
    ]
    store_and_send(messages)
    return len(messages)


@task()
def send_reminders(directive_id: int, days: int, deadline: int) -> int:
    """The `days`-before reminder point of one directive (scheduled with run_after on issue)."""
    d = Directive.objects.filter(pk=directive_id).first()
    if not _still_scheduled(d, deadline) or timezone.now() >= d.deadline:
        return 0
    return remind(d, days)


# -- overdue digest ---------------------------------------------------------------------------


def late_orgs(directive: Directive, now: dt.datetime):
    """Local governments of the whole chain whose deadline has passed without an answer."""
    root = root_id(directive)
    passed = Directive.objects.filter(
        root_id=root, status=DirectiveStatus.ISSUED, ask=Ask.SUBMIT_PLAN, deadline__lte=now
    )
    addressed = Recipient.objects.filter(directive__in=passed, role=Recipient.Role.TO).values("org_id")
    return (
        Organization.objects.filter(kind__in=LGO_KINDS, is_active=True, pk__in=addressed)
        .exclude(Exists(_answered(root)))
        .select_related("district")
        .order_by("district__name_th", "name_th")
    )


def digest(directive: Directive, now: dt.datetime | None = None) -> int:
    """One message per district and per provincial office listing their late local governments."""
    now = now or timezone.now()
    root = root_id(directive)
    late = list(late_orgs(directive, now))
    if not late:
        return 0
    by_district: dict[int, list] = defaultdict(list)
    by_province: dict[int, list] = defaultdict(list)
    for o in late:
        if o.district_id:
            by_district[o.district_id].append(o)
        if o.province_id:
            by_province[o.province_id].append(o)
    offices = {
        o.province_id: o
        for o in Organization.objects.filter(
            kind__in=[Kind.PROVINCE, Kind.PROVINCIAL_OFFICE], province_id__in=list(by_province)
        ).order_by("kind")  # "province" < "provincial_office": the office wins when there is one
    }
    districts = Organization.objects.in_bulk(list(by_district))
    targets = [(districts[k], v) for k, v in by_district.items() if k in districts]
    targets += [(offices[k], v) for k, v in by_province.items() if k in offices]
    to = mail.addresses([t.pk for t, _ in targets], mail.OVERSEERS, orgs=[t for t, _ in targets])
    today = timezone.localdate(now).isoformat()
    messages = []
    for org, orgs in targets:
        groups = defaultdict(list)
        for o in orgs:
            groups[o.district.name_th if o.district_id else ""].append(o)
        context = {
            "directive": directive,
            "deadline": mail.when(directive.deadline),
            "late": orgs,
            "count": len(orgs),
            "groups": sorted(groups.items()),
            "per_district": org.kind != Kind.DISTRICT,
            "url": mail.link("dashboards:area", root, org.pk),
        }
        key = f"overdue:{root}:{org.pk}:{today}"
        messages.append(
            build_message(MessageKind.OVERDUE, key, org, to.get(org.pk, []), context, directive=directive)
        )
    store_and_send(messages)
    return len(messages)


@task()
def send_overdue_digest(directive_id: int, deadline: int, round: int = 0) -> int:
    """The digest after a directive's deadline, repeated while organizations are still late."""
    d = Directive.objects.filter(pk=directive_id).first()
    if not _still_scheduled(d, deadline):
        return 0
    now = timezone.now()
    n = digest(d, now)
    repeat = overdue_repeat_days()
    if n and repeat > 0 and round < OVERDUE_MAX_ROUNDS:
        later = at_local(timezone.localdate(now) + dt.timedelta(days=repeat), send_hour())
        enqueue(send_overdue_digest, d.pk, deadline, round + 1, run_after=later)
    return n


# -- scheduling and the sweeper ---------------------------------------------------------------


def has_lgo_addressees(directive: Directive) -> bool:
    return Recipient.objects.filter(
        directive=directive, role=Recipient.Role.TO, org__kind__in=LGO_KINDS
    ).exists()


def schedule(directive: Directive, now: dt.datetime | None = None) -> list[tuple[str, dt.datetime]]:
    """Enqueue the reminder points still ahead and the overdue digest of an issued directive."""
    now = now or timezone.now()
    if directive.status != DirectiveStatus.ISSUED or directive.ask != Ask.SUBMIT_PLAN:
        return []
    if directive.deadline is None or directive.deadline <= now or not has_lgo_addressees(directive):
        return []
    stamp = deadline_stamp(directive)
    planned = []
    for days in reminder_days():
        at = reminder_time(directive.deadline, days)
        if now < at < directive.deadline:  # a point already past is skipped, never sent late
            enqueue(send_reminders, directive.pk, days, stamp, run_after=at)
            planned.append((f"reminder:{days}", at))
    at = digest_time(directive.deadline)
    enqueue(send_overdue_digest, directive.pk, stamp, 0, run_after=at)
    planned.append(("overdue", at))
    return planned


def catch_up(now: dt.datetime | None = None) -> int:
    """Reminders and first digests that are due but whose task never ran (the sweeper's job).

    Only the latest reminder point that passed after the directive was issued is sent (never a
    burst of stale ones); the dedupe keys make a second run, or a task running late, harmless.
    """
    now = now or timezone.now()
    days = reminder_days()
    created = 0
    ahead = Directive.objects.filter(
        status=DirectiveStatus.ISSUED,
        ask=Ask.SUBMIT_PLAN,
        deadline__gt=now,
        deadline__lte=now + dt.timedelta(days=(max(days) if days else 0) + 1),
    )
    for d in ahead:
        since = d.issued_at or d.created_at
        due = [n for n in days if since < reminder_time(d.deadline, n) <= now]
        if due and has_lgo_addressees(d):
            created += remind(d, min(due))
    recent = Directive.objects.filter(
        status=DirectiveStatus.ISSUED,
        ask=Ask.SUBMIT_PLAN,
        deadline__lte=now,
        deadline__gt=now - dt.timedelta(days=7),
    )
    for d in recent:
        if digest_time(d.deadline) > now:
            continue
        if Message.objects.filter(dedupe_key__startswith=f"overdue:{root_id(d)}:").exists():
            continue
        if has_lgo_addressees(d):
            created += digest(d, now)
    return created


def sweep(now: dt.datetime | None = None, limit: int = 1000) -> dict:
    """Send what is due: messages whose next attempt passed, lapsed claims, missed reminders."""
    now = now or timezone.now()
    created = catch_up(now)
    ids = list(
        Message.objects.due(now).order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]
    )
    outcome: dict[str, int] = defaultdict(int)
    for pk in ids:
        outcome[deliver(pk)] += 1
    return {"created": created, **outcome}
