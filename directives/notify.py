"""Messages about directives and submissions (e-mail through the outbox `directives.models.Message`).

directives/actions.py calls these hooks with `transaction.on_commit`, after the write is safe.
They only write Message rows and enqueue tasks (directives/tasks.py); sending happens in a task
worker. A hook never raises: whatever goes wrong is logged, the officer's request still succeeds,
and the sweeper (`manage.py send_due_messages`) catches up on anything that was not queued.
"""

from __future__ import annotations

import logging

from django.db import transaction

from directives import mail, tasks
from directives.models import Message, MessageKind, Submission, SubmissionStatus

logger = logging.getLogger(__name__)


def on_issued(directive) -> None:
    """A directive (or relay) was issued: schedule its reminders before the deadline and the digest.

    Called again after a deadline change: tasks made for the old deadline then do nothing, and the
    dedupe keys keep a reminder point from being sent twice.
    """
    try:
        tasks.schedule(directive)
    except Exception:
        logger.exception("Could not schedule the reminders of directive %s", getattr(directive, "pk", None))


def on_submitted(submission) -> None:
    """A submission was made: confirm to the submitter, notify the addressee and the copy-to orgs."""
    try:
        _guarded(_submitted_messages, submission)
    except Exception:
        logger.exception("Could not write the messages of submission %s", getattr(submission, "pk", None))


def on_reviewed(submission) -> None:
    """A submission was accepted or returned: tell the submitter."""
    try:
        _guarded(_reviewed_messages, submission)
    except Exception:
        logger.exception(
            "Could not write the review message of submission %s", getattr(submission, "pk", None)
        )


def _guarded(build, submission) -> None:
    # Rows are written atomically (all messages of the event or none), then sent.
    with transaction.atomic():
        messages = build(submission)
    tasks.store_and_send(messages)


def _load(submission) -> Submission:
    return Submission.objects.select_related(
        "directive", "directive__issuer", "root", "org", "submitted_to", "submitted_by", "reviewed_by", "plan"
    ).get(pk=submission.pk)


def _with_submitter(s: Submission, addresses: list[str]) -> list[str]:
    mine = [s.submitted_by.email] if s.submitted_by_id and s.submitted_by.email else []
    return list(dict.fromkeys([*mine, *addresses]))


def _context(s: Submission) -> dict:
    return {
        "s": s,
        "directive": s.directive,
        "submitted_at": mail.when(s.submitted_at),
        "deadline": mail.when(s.directive.deadline),
        "submission_url": mail.link("directives:submission", s.pk, fallback="messages:list"),
        "directive_url": mail.link("directives:detail", s.directive_id, fallback="messages:list"),
    }


def _submitted_messages(submission) -> list[Message]:
    s = _load(submission)
    copies = list(s.copies.select_related("org").order_by("pk"))
    copy_orgs = [c.org for c in copies if c.org_id not in (s.org_id, s.submitted_to_id)]
    planners = mail.addresses([s.org_id], mail.PLANNERS, orgs=[s.org])
    overseers = mail.addresses(
        [s.submitted_to_id, *[o.pk for o in copy_orgs]], mail.OVERSEERS, orgs=[s.submitted_to, *copy_orgs]
    )
    ctx = {**_context(s), "copy_orgs": copy_orgs}
    links = {"directive": s.directive, "submission": s}
    messages = [
        tasks.build_message(
            MessageKind.CONFIRMATION,
            f"confirmation:{s.pk}",
            s.org,
            _with_submitter(s, planners.get(s.org_id, [])),
            ctx,
            **links,
        ),  # fmt: skip
        tasks.build_message(
            MessageKind.RECEIVED,
            f"received:{s.pk}:{s.submitted_to_id}",
            s.submitted_to,
            overseers.get(s.submitted_to_id, []),
            ctx,
            **links,
        ),  # fmt: skip
    ]
    messages += [
        tasks.build_message(MessageKind.COPY, f"copy:{s.pk}:{o.pk}", o, overseers.get(o.pk, []), ctx, **links)
        for o in copy_orgs
    ]
    return messages


def _reviewed_messages(submission) -> list[Message]:
    s = _load(submission)
    if s.status not in (SubmissionStatus.ACCEPTED, SubmissionStatus.RETURNED):
        return []
    planners = mail.addresses([s.org_id], mail.PLANNERS, orgs=[s.org])
    ctx = {
        **_context(s),
        "accepted": s.status == SubmissionStatus.ACCEPTED,
        "reviewed_at": mail.when(s.reviewed_at),
        "plan_url": mail.link("plans:detail", s.plan_id, fallback="messages:list"),
    }
    return [
        tasks.build_message(
            MessageKind.REVIEW,
            f"review:{s.pk}:{s.status}",
            s.org,
            _with_submitter(s, planners.get(s.org_id, [])),
            ctx,
            directive=s.directive,
            submission=s,
        )  # fmt: skip
    ]
