"""The outbox sweeper: send what is due, and write reminders whose scheduled task never ran.

Run it from cron every few minutes in production (`*/5 * * * * manage.py send_due_messages`).
It is the safety net under the task queue: messages whose enqueue failed, retries whose task was
lost, claims of workers that died mid-send, reminder points missed while no worker ran. Claiming
makes it safe beside any number of `db_worker` processes.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from directives import tasks


class Command(BaseCommand):
    help = "Send directive messages that are due and catch up on missed reminders and digests."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=1000, help="At most this many messages per run.")

    def handle(self, *args, limit: int, verbosity: int, **options):
        outcome = tasks.sweep(limit=limit)
        if verbosity:
            parts = ", ".join(f"{k} {v}" for k, v in sorted(outcome.items()))
            self.stdout.write(f"send_due_messages: {parts}")
