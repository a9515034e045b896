"""Messages about directives and submissions (e-mail through the outbox `directives.models.Message`).

Call sites in directives/actions.py call these hooks after their transaction commits; the
reminders helper implements them (enqueue tasks; never block or fail the request).
"""

from __future__ import annotations


def on_issued(directive) -> None:
    """A directive (or relay) was issued: schedule its reminders before the deadline."""


def on_submitted(submission) -> None:
    """A submission was made: confirm to the submitter, notify the addressee and the copy-to orgs."""


def on_reviewed(submission) -> None:
    """A submission was accepted or returned: tell the submitter."""
