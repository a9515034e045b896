"""The hooks the directive actions call after commit: confirmations, notices, copies, review results.

Tests run with the immediate task backend (conftest), so a hook's messages are sent at once to
Django's locmem outbox.
"""

from __future__ import annotations

import pytest
from django.core import mail as django_mail
from django.urls import reverse

from directives import notify
from directives.models import Message, MessageKind, MessageState, Submission
from directives.tests import test_notify_support as support
from directives.tests.test_notify_support import bangkok, make_submission
from plans.models import Plan

chain = support.chain  # fixture
flaky = support.flaky  # fixture


def by_kind():
    return {(m.kind, m.org_id): m for m in Message.objects.all()}


@pytest.fixture
def addressed(cast):
    cast.opdc_reviewer.email = "reviewer@opdc.test"
    cast.opdc_reviewer.save(update_fields=["email"])
    cast.opdc.email = "saraban@opdc.test"
    cast.opdc.save(update_fields=["email"])


@pytest.mark.django_db
def test_a_submission_is_confirmed_to_the_submitter_and_announced_to_the_addressee_and_copies(
    cast, chain, addressed
):
    s = make_submission(
        chain.district, cast.lgo, by=cast.planner, copies=[cast.provincial_office, cast.district],
        at=bangkok(2026, 7, 20, 14, 5),
    )  # fmt: skip
    notify.on_submitted(s)

    msgs = by_kind()
    assert set(msgs) == {
        (MessageKind.CONFIRMATION, cast.lgo.pk),
        (MessageKind.RECEIVED, cast.opdc.pk),
        (MessageKind.COPY, cast.provincial_office.pk),
        (MessageKind.COPY, cast.district.pk),
    }
    confirmation = msgs[(MessageKind.CONFIRMATION, cast.lgo.pk)]
    assert confirmation.to == ["planner@example.test", "padaeng@lgo.test", "approver@example.test"]
    assert confirmation.dedupe_key == f"confirmation:{s.pk}"
    assert s.receipt_number in confirmation.subject
    for text in (
        f"เลขที่รับ: {s.receipt_number}",
        "วันและเวลาที่ส่ง: 20 กรกฎาคม 2569 เวลา 14.05 น.",
        "ผลการส่ง: ส่งทันตามกำหนด",
        "ส่งถึง: สำนักงาน ก.พ.ร.",
        "สำเนาถึง: สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดแพร่, อำเภอเมืองแพร่",
        "http://127.0.0.1:8000" + reverse("directives:submission", args=[s.pk]),
    ):
        assert text in confirmation.body
    received = msgs[(MessageKind.RECEIVED, cast.opdc.pk)]
    assert received.to == ["saraban@opdc.test", "reviewer@opdc.test"]
    assert "องค์การบริหารส่วนตำบลป่าแดง ส่งแผน BCP" in received.subject
    assert msgs[(MessageKind.COPY, cast.district.pk)].to == ["mueang@district.test", "district@example.test"]
    assert msgs[(MessageKind.COPY, cast.provincial_office.pk)].to == ["province@example.test"]

    assert all(m.state == MessageState.SENT and m.submission_id == s.pk for m in msgs.values())
    assert sorted(tuple(e.to) for e in django_mail.outbox) == sorted(tuple(m.to) for m in msgs.values())
    # the hook running twice (a retried commit callback) sends nothing new
    notify.on_submitted(s)
    assert Message.objects.count() == 4 and len(django_mail.outbox) == 4


@pytest.mark.django_db
def test_a_late_submission_says_so(cast, chain, addressed):
    s = make_submission(chain.district, cast.lgo, by=cast.planner, on_time=False)
    notify.on_submitted(s)
    assert "ผลการส่ง: ส่งเกินกำหนด" in Message.objects.get(kind=MessageKind.CONFIRMATION).body
    assert "(เกินกำหนด)" in Message.objects.get(kind=MessageKind.RECEIVED).subject


@pytest.mark.django_db
def test_a_returned_plan_tells_the_submitter_the_comments_and_what_to_do(cast, chain):
    s = make_submission(chain.district, cast.lgo, by=cast.planner)
    Submission.objects.filter(pk=s.pk).update(
        status="returned", reviewed_by=cast.opdc_reviewer, reviewed_at=bangkok(2026, 7, 22, 10),
        review_comment="ตารางวิเคราะห์ผลกระทบยังไม่ครบทุกกระบวนงาน",
    )  # fmt: skip
    notify.on_reviewed(s)
    m = Message.objects.get(kind=MessageKind.REVIEW)
    assert (m.org_id, m.dedupe_key) == (cast.lgo.pk, f"review:{s.pk}:returned")
    assert m.subject.startswith("[ส่งกลับให้แก้ไข]")
    assert "ความเห็นของผู้พิจารณา:\nตารางวิเคราะห์ผลกระทบยังไม่ครบทุกกระบวนงาน" in m.body
    assert "http://127.0.0.1:8000" + reverse("plans:detail", args=[s.plan_id]) in m.body
    assert django_mail.outbox[0].to == ["planner@example.test", "padaeng@lgo.test", "approver@example.test"]


@pytest.mark.django_db
def test_an_accepted_plan_is_announced(cast, chain):
    s = make_submission(chain.district, cast.lgo, by=cast.planner)
    Submission.objects.filter(pk=s.pk).update(status="accepted", reviewed_at=bangkok(2026, 7, 22, 10))
    notify.on_reviewed(s)
    m = Message.objects.get(kind=MessageKind.REVIEW)
    assert m.subject.startswith("[รับแผนแล้ว]")
    assert "ผลการพิจารณา: รับแผนไว้แล้ว" in m.body


@pytest.mark.django_db
def test_a_hook_never_raises(cast, chain, monkeypatch, caplog):
    s = make_submission(chain.district, cast.lgo, by=cast.planner)

    def broken(*args, **kwargs):
        raise RuntimeError("template missing")

    monkeypatch.setattr("directives.mail.render", broken)
    assert notify.on_submitted(s) is None
    assert notify.on_reviewed(s) is None
    assert "Could not write the messages of submission" in caplog.text
    assert not Message.objects.exists()  # all of an event's messages or none


def _submit_through_the_page(client, cast, chain):
    Plan.objects.create(
        org=cast.lgo, title="แผน BCP ป่าแดง", fiscal_year=2569, status="approved", digest="a" * 64
    )
    client.force_login(cast.planner)
    url = reverse("directives:submit", args=[chain.district.pk])
    return client.post(url, {"org": cast.lgo.pk, "idempotency_key": "8c6f0a3e-1111-4d2b-9a53-9a1f0e4d7c11"})


@pytest.mark.django_db(transaction=True)
def test_the_submission_succeeds_when_the_mail_server_is_down(cast, chain, client, flaky):
    flaky.failures = 99
    resp = _submit_through_the_page(client, cast, chain)
    s = Submission.objects.get(org=cast.lgo)
    assert resp.status_code == 302 and resp["Location"] == reverse("directives:submission", args=[s.pk])
    # the messages were written after commit, tried once, and wait for their retry
    states = set(Message.objects.filter(submission=s).values_list("state", "attempts"))
    assert states == {(MessageState.FAILED, 1)}
    assert Message.objects.filter(submission=s, kind=MessageKind.CONFIRMATION).exists()
    assert django_mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_the_submission_succeeds_when_the_queue_is_down(cast, chain, client, monkeypatch):
    from directives import tasks

    def broken(*args, **kwargs):
        raise RuntimeError("task table locked")

    monkeypatch.setattr(type(tasks.send_message), "enqueue", broken)
    resp = _submit_through_the_page(client, cast, chain)
    assert resp.status_code == 302
    s = Submission.objects.get(org=cast.lgo)
    assert set(Message.objects.filter(submission=s).values_list("state", flat=True)) == {MessageState.PENDING}
