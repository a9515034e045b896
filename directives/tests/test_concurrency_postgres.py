"""Five concurrent submissions of the same plan: one submission, five identical receipts.

Real concurrency needs a real database: this runs on PostgreSQL (DATABASE_URL=postgres://…) and
skips on SQLite, whose writes are serialised anyway.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from directives import actions
from directives.models import Submission
from directives.tests.conftest import approved_plan

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("same_key", [True, False])
def test_five_concurrent_submissions_make_one_submission_and_five_identical_receipts(cast, relayed, same_key):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL=postgres://…)")
    plan = approved_plan(cast.lgo)
    barrier = threading.Barrier(5)
    receipts, errors = [], []

    def one(i):
        try:
            barrier.wait()
            sub, _created = actions.submit_plan(
                relayed, plan, by=cast.planner, key="same-key" if same_key else f"key-{i}"
            )
            receipts.append(sub.receipt_number)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert len(receipts) == 5 and len(set(receipts)) == 1
    assert Submission.objects.count() == 1
