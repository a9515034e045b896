"""manage.py refresh_plan_scores — recompute Plan.score of every current plan with the checker.

For dashboards and league tables: the editor and the lifecycle keep scores current as people work;
run this after a change of the checker's rules, or after loading plans by other means.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from directives.scoring import refresh_plan_scores


class Command(BaseCommand):
    help = "Recompute the readiness score of every current plan (draft, in review, approved)."

    def add_arguments(self, parser):
        parser.add_argument("--missing", action="store_true", help="Only plans that have no score yet.")

    def handle(self, *args, missing=False, **options):
        started = time.perf_counter()
        changed = refresh_plan_scores(only_missing=missing)
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"คะแนนความพร้อม / readiness scores: {changed} plan(s) updated — {seconds:.1f} s"
            )
        )
