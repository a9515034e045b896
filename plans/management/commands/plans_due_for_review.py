"""manage.py plans_due_for_review [--days N] — approved plans whose yearly review is near or overdue.

Plans are reviewed every year (Plan.next_review_date, set on approval). Reminder e-mails come
with the directives feature; until then this lists what is due, one plan a line.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from plans.lifecycle import due_for_review


class Command(BaseCommand):
    help = "List approved plans whose next review date falls within N days (or has passed)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="Look this many days ahead (default 30).")

    def handle(self, *args, days, **options):
        today = timezone.localdate()
        plans = list(due_for_review(days, today=today))
        for plan in plans:
            late = (today - plan.next_review_date).days
            when = f"overdue by {late} days" if late > 0 else f"due in {-late} days"
            where = f"{plan.org.name_th}\tplan {plan.pk} (rev. {plan.revision})"
            self.stdout.write(f"{plan.next_review_date.isoformat()}\t{when}\t{where}")
        self.stdout.write(f"{len(plans)} plan(s) due for review within {days} days.")
