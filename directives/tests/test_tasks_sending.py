"""Sending the outbox: retries with backoff, giving up, claiming, the sweeper."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail as django_mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from directives import tasks
from directives.models import Message, MessageKind, MessageState
from directives.tests import test_notify_support as support
from directives.tests.test_notify_support import bangkok

T0 = bangkok(2026, 7, 10, 9)

flaky = support.flaky  # fixture


def outbox_message(org, key="test:1", to=("a@lgo.test",)):
    return Message.objects.create(
        kind=MessageKind.REMINDER, dedupe_key=key, org=org, to=list(to), subject="หัวเรื่อง", body="ข้อความ"
    )


def run_worker():
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_a_failed_send_is_retried_with_backoff_until_it_goes_through(cast, flaky, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    flaky.failures = 2
    with time_machine.travel(T0, tick=False) as clock:
        m = outbox_message(cast.lgo)
        tasks.send_soon([m.pk])
        run_worker()
        m.refresh_from_db()
        assert (m.state, m.attempts) == (MessageState.FAILED, 1)
        assert "Connection refused" in m.last_error
        assert m.next_attempt_at == T0 + dt.timedelta(minutes=1)
        retry = DBTaskResult.objects.get(task_path="directives.tasks.send_message", status="READY")
        assert retry.run_after == m.next_attempt_at

        run_worker()  # not yet due
        m.refresh_from_db()
        assert m.attempts == 1

        clock.move_to(T0 + dt.timedelta(minutes=1, seconds=1))
        run_worker()
        m.refresh_from_db()
        assert (m.state, m.attempts) == (MessageState.FAILED, 2)
        assert m.next_attempt_at == T0 + dt.timedelta(minutes=1, seconds=1) + dt.timedelta(minutes=5)

        clock.move_to(T0 + dt.timedelta(minutes=7))
        run_worker()
    m.refresh_from_db()
    assert (m.state, m.attempts, m.next_attempt_at, m.last_error) == (MessageState.SENT, 3, None, "")
    assert m.sent_at == T0 + dt.timedelta(minutes=7)
    assert [e.to for e in django_mail.outbox] == [["a@lgo.test"]]
    # the task itself never failed: the failures are the message's, recorded on its row
    assert not DBTaskResult.objects.filter(status="FAILED").exists()


@pytest.mark.django_db
def test_it_gives_up_after_the_last_attempt(cast, flaky, settings):
    settings.PHROM_MESSAGE_RETRY_MINUTES = "1,5"
    flaky.failures = 99
    m = outbox_message(cast.lgo)
    with time_machine.travel(T0, tick=False) as clock:
        for minutes in (0, 1, 6):
            clock.move_to(T0 + dt.timedelta(minutes=minutes))
            assert tasks.deliver(m.pk) in (MessageState.FAILED, MessageState.GAVE_UP)
    m.refresh_from_db()
    assert (m.state, m.attempts, m.next_attempt_at) == (MessageState.GAVE_UP, 3, None)
    assert tasks.deliver(m.pk) == "skipped"  # nothing claims a message that was given up
    assert django_mail.outbox == []


@pytest.mark.django_db
def test_two_workers_never_send_the_same_message(cast):
    m = outbox_message(cast.lgo)
    # worker A claims the row; worker B, a moment later, finds it taken
    assert tasks.claim(m.pk) is True
    assert tasks.claim(m.pk) is False
    assert tasks.deliver(m.pk) == "skipped"
    assert django_mail.outbox == []

    other = outbox_message(cast.lgo, key="test:2")
    # the same message in two batches (two tasks enqueued for it) is sent once
    tasks.send_messages.call([other.pk, other.pk])
    tasks.send_message.call(other.pk)
    assert len(django_mail.outbox) == 1
    other.refresh_from_db()
    assert (other.state, other.attempts) == (MessageState.SENT, 1)


@pytest.mark.django_db
def test_a_lapsed_claim_is_picked_up_by_the_sweeper(cast):
    with time_machine.travel(T0, tick=False) as clock:
        m = outbox_message(cast.lgo)
        assert tasks.claim(m.pk)  # a worker died after claiming
        assert call_command("send_due_messages", verbosity=0) is None
        assert django_mail.outbox == []
        clock.move_to(T0 + dt.timedelta(seconds=tasks.CLAIM_SECONDS + 1))
        call_command("send_due_messages", verbosity=0)
    m.refresh_from_db()
    assert (m.state, m.attempts) == (MessageState.SENT, 2)
    assert len(django_mail.outbox) == 1


@pytest.mark.django_db
def test_a_message_that_could_not_be_queued_is_sent_by_the_sweeper(cast, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("queue database unavailable")

    monkeypatch.setattr(type(tasks.send_message), "enqueue", broken)
    context = {"directive": None, "days": 3, "deadline": "-", "url": "/"}
    message = tasks.build_message(MessageKind.REMINDER, "test:q", cast.lgo, ["a@lgo.test"], context)
    ids = tasks.store_and_send([message])
    assert "Could not enqueue" in caplog.text
    assert Message.objects.get(pk=ids[0]).state == MessageState.PENDING
    monkeypatch.undo()
    call_command("send_due_messages", verbosity=0)
    assert Message.objects.get(pk=ids[0]).state == MessageState.SENT
    assert len(django_mail.outbox) == 1
