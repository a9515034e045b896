"""Reminders and the overdue digest through the real queue: the database task backend, the
`db_worker` command in batch mode, and a frozen clock that moves through the weeks before and
after a deadline (31 July 2026, 23:59:59 Bangkok; reminders go out at 08:00 local time)."""

from __future__ import annotations

import pytest
import time_machine
from django.core import mail as django_mail
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from directives import notify, tasks
from directives.models import Message, MessageKind, MessageState
from directives.tests import test_notify_support as support
from directives.tests.test_notify_support import bangkok, make_submission

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

chain = support.chain  # fixture


@pytest.fixture
def queue(settings):
    settings.TASKS = DB_TASKS
    settings.PHROM_REMINDER_DAYS = "7,3,1"
    django_mail.outbox = []


def run_worker():
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)


def reminders_to(org):
    return Message.objects.filter(kind=MessageKind.REMINDER, org=org)


def mails_for(address):
    return [m for m in django_mail.outbox if address in m.to]


@pytest.mark.django_db(transaction=True)
def test_reminders_go_out_at_7_3_1_days_only_to_local_governments_that_have_not_submitted(cast, chain, queue):
    with time_machine.travel(chain.issued, tick=False) as clock:
        # given: the whole chain is issued on 1 July; ทต.ช่อแฮ submits right away
        for d in (chain.root, chain.province, chain.district, chain.other):
            notify.on_issued(d)
        make_submission(chain.district, cast.lgo_same_district, by=None, copies=[cast.province])
        # one task per directive with local governments and point (3 points + a digest), none per org
        scheduled = DBTaskResult.objects.filter(task_path="directives.tasks.send_reminders")
        assert scheduled.count() == 2 * 3
        assert DBTaskResult.objects.filter(task_path="directives.tasks.send_overdue_digest").count() == 2

        # when: the worker runs before any point is due, nothing is sent (run_after is respected)
        run_worker()
        assert Message.objects.count() == 0
        assert scheduled.filter(status="READY").count() == 6

        # 24 July 07:59 is still before the 7-day point (08:00)
        clock.move_to(bangkok(2026, 7, 24, 7, 59))
        run_worker()
        assert Message.objects.count() == 0

        clock.move_to(bangkok(2026, 7, 24, 8, 0, 1))
        run_worker()
        # then: the two late local governments got their 7-day reminder; the one that submitted did not
        assert reminders_to(cast.lgo).get().dedupe_key == f"reminder:{chain.root.pk}:{cast.lgo.pk}:7"
        assert reminders_to(cast.lgo_other_district).count() == 1
        assert not reminders_to(cast.lgo_same_district).exists()
        sent = mails_for("padaeng@lgo.test")
        assert len(sent) == 1
        # the organization's address and its planners' and approver's, not the viewer's
        assert set(sent[0].to) == {"padaeng@lgo.test", "planner@example.test", "approver@example.test"}
        assert "อีก 7 วัน" in sent[0].subject
        assert "31 กรกฎาคม 2569 เวลา 23.59 น." in sent[0].body
        assert reminders_to(cast.lgo).get().state == MessageState.SENT

        # อบต.ป่าแดง submits before the 3-day point; only ห้วยอ้อ is reminded again
        make_submission(chain.district, cast.lgo, by=cast.planner)
        clock.move_to(bangkok(2026, 7, 28, 8, 0, 1))
        run_worker()
        assert reminders_to(cast.lgo).count() == 1
        assert list(
            reminders_to(cast.lgo_other_district).values_list("dedupe_key", flat=True).order_by("pk")
        ) == [
            f"reminder:{chain.root.pk}:{cast.lgo_other_district.pk}:7",
            f"reminder:{chain.root.pk}:{cast.lgo_other_district.pk}:3",
        ]

        clock.move_to(bangkok(2026, 7, 30, 8, 0, 1))
        run_worker()
        assert reminders_to(cast.lgo_other_district).count() == 3
        assert reminders_to(cast.lgo).count() == 1
        assert not DBTaskResult.objects.filter(status="FAILED").exists()
        assert Message.objects.exclude(state=MessageState.SENT).count() == 0


@pytest.mark.django_db(transaction=True)
def test_points_already_past_at_issue_are_skipped(cast, chain, queue):
    # issued on 29 July: the 7- and 3-day points are past, only the 1-day reminder is scheduled
    with time_machine.travel(bangkok(2026, 7, 29, 9), tick=False) as clock:
        planned = tasks.schedule(chain.district)
        assert [name for name, _at in planned] == ["reminder:1", "overdue"]
        run_worker()
        assert Message.objects.count() == 0
        clock.move_to(bangkok(2026, 7, 30, 8, 1))
        run_worker()
        assert sorted(Message.objects.values_list("dedupe_key", flat=True)) == sorted(
            f"reminder:{chain.root.pk}:{o.pk}:1" for o in (cast.lgo, cast.lgo_same_district)
        )


@pytest.mark.django_db(transaction=True)
def test_scheduling_twice_or_changing_the_deadline_never_sends_a_point_twice(cast, chain, queue):
    with time_machine.travel(chain.issued, tick=False) as clock:
        notify.on_issued(chain.district)
        notify.on_issued(chain.district)  # a double call: two tasks per point
        # the deadline moves one day later and the directive is issued again
        chain.district.deadline = bangkok(2026, 8, 1, 23, 59, 59)
        chain.district.save(update_fields=["deadline"])
        notify.on_issued(chain.district)

        clock.move_to(bangkok(2026, 7, 24, 8, 1))  # old 7-day point: its tasks see the old deadline
        run_worker()
        assert Message.objects.count() == 0
        clock.move_to(bangkok(2026, 7, 25, 8, 1))  # new 7-day point
        run_worker()
        assert Message.objects.filter(kind=MessageKind.REMINDER).count() == 2
        assert len(mails_for("padaeng@lgo.test")) == 1
        # a task for the same point running again (a retry, a second worker) writes nothing new
        assert tasks.remind(chain.district, 7) == 0
        run_worker()
        assert len(mails_for("padaeng@lgo.test")) == 1


@pytest.mark.django_db(transaction=True)
def test_the_overdue_digest_lists_late_local_governments_to_their_district_and_province_office(
    cast, chain, queue
):
    cast.district_officer.email = "nai.amphoe@district.test"
    cast.district_officer.save(update_fields=["email"])
    with time_machine.travel(chain.issued, tick=False) as clock:
        for d in (chain.root, chain.province, chain.district, chain.other):
            notify.on_issued(d)
        make_submission(chain.district, cast.lgo_same_district, by=None)
        # a submission that was returned does not count as an answer
        make_submission(chain.other, cast.lgo_other_district, by=None, status="returned")

        clock.move_to(bangkok(2026, 8, 1, 8, 0, 1))
        django_mail.outbox = []
        run_worker()

    digests = {m.org_id: m for m in Message.objects.filter(kind=MessageKind.OVERDUE)}
    assert set(digests) == {cast.district.pk, cast.other_district.pk, cast.provincial_office.pk}
    mueang = digests[cast.district.pk]
    assert mueang.dedupe_key == f"overdue:{chain.root.pk}:{cast.district.pk}:2026-08-01"
    assert set(mueang.to) == {"mueang@district.test", "nai.amphoe@district.test"}
    assert "1 อปท." in mueang.subject
    assert "1. องค์การบริหารส่วนตำบลป่าแดง" in mueang.body
    assert "เทศบาลตำบลช่อแฮ" not in mueang.body
    assert reverse("dashboards:area", args=[chain.root.pk, cast.district.pk]) in mueang.body
    office = digests[cast.provincial_office.pk]
    assert office.to == ["province@example.test"]
    assert "2 แห่ง" in office.body
    assert "อำเภอเมืองแพร่ (1 แห่ง)" in office.body and "อำเภอลอง (1 แห่ง)" in office.body
    assert "องค์การบริหารส่วนตำบลห้วยอ้อ" in office.body
    assert "<li>องค์การบริหารส่วนตำบลป่าแดง</li>" in office.html
    assert len(mails_for("province@example.test")) == 1
    assert mueang.state == office.state == MessageState.SENT
    # อำเภอลอง has no address on record: the digest is kept, marked as given up, for the page to show
    long_ = digests[cast.other_district.pk]
    assert (long_.to, long_.state, long_.attempts) == ([], MessageState.GAVE_UP, 0)
    # the digest repeats in a week while some are late; its next task is queued already
    nxt = DBTaskResult.objects.filter(task_path="directives.tasks.send_overdue_digest", status="READY")
    assert nxt.exists()
