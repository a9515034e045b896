"""The messages pages: list with filters, detail with the body (access-logged), send again."""

from __future__ import annotations

import pytest
from django.core import mail as django_mail
from django.urls import reverse

from audit.models import AccessLog, AuditEvent
from directives.models import Message, MessageKind, MessageState
from directives.tests import test_notify_support as support

chain = support.chain  # fixture


def msg(org, key, *, kind=MessageKind.REMINDER, state=MessageState.SENT, directive=None, to=None, **kw):
    return Message.objects.create(
        kind=kind, dedupe_key=key, org=org, directive=directive, state=state,
        to=[f"{key.replace(':', '-')}@mail.test"] if to is None else to,
        subject=f"เรื่อง {key}", body=f"ข้อความของ {key}", **kw,
    )  # fmt: skip


@pytest.fixture
def outbox(cast, chain):
    return {
        "lgo": msg(cast.lgo, "reminder:a", directive=chain.district),
        "lgo_failed": msg(
            cast.lgo,
            "reminder:b",
            directive=chain.district,
            state=MessageState.GAVE_UP,
            attempts=5,
            last_error="SMTPRecipientsRefused",
        ),  # fmt: skip
        "same_district": msg(cast.lgo_same_district, "reminder:c", directive=chain.district),
        "other_district": msg(cast.lgo_other_district, "reminder:d", directive=chain.other),
        # a notice to OPDC about a submission under the district's relay
        "opdc": msg(cast.opdc, "received:e", kind=MessageKind.RECEIVED, directive=chain.district),
    }


def listed(client):
    resp = client.get(reverse("messages:list"))
    assert resp.status_code == 200
    return resp, {m.dedupe_key for m in resp.context["items"]}


@pytest.mark.django_db
def test_a_local_government_sees_only_its_own_messages(cast, client, outbox):
    client.force_login(cast.viewer)
    resp, keys = listed(client)
    assert keys == {"reminder:a", "reminder:b"}
    assert "เรื่อง reminder:c" not in resp.content.decode()
    assert "@mail.test" not in resp.content.decode()  # addresses only on the (logged) detail page
    assert client.get(reverse("messages:detail", args=[outbox["same_district"].pk])).status_code == 404
    assert client.get(reverse("messages:detail", args=[outbox["opdc"].pk])).status_code == 404


@pytest.mark.django_db
def test_an_overseer_sees_the_messages_below_it_and_about_the_directives_it_issued(cast, client, outbox):
    client.force_login(cast.district_officer)
    _resp, keys = listed(client)
    # its local governments' messages, and the notice to OPDC about its own relay; not อำเภอลอง's
    assert keys == {"reminder:a", "reminder:b", "reminder:c", "received:e"}
    client.force_login(cast.province_officer)
    assert listed(client)[1] == {"reminder:a", "reminder:b", "reminder:c", "reminder:d", "received:e"}
    client.force_login(cast.far_district_officer)
    assert listed(client)[1] == set()


@pytest.mark.django_db
def test_the_list_filters_by_state_and_kind(cast, client, outbox):
    client.force_login(cast.province_officer)
    resp = client.get(reverse("messages:list"), {"state": "gave_up"})
    assert {m.dedupe_key for m in resp.context["items"]} == {"reminder:b"}
    assert "หยุดลองแล้ว" in resp.content.decode()  # "Failed (gave up)"
    resp = client.get(reverse("messages:list"), {"kind": "received"})
    assert {m.dedupe_key for m in resp.context["items"]} == {"received:e"}
    # counts per state follow the kind filter; nonsense values are ignored, not errors
    assert dict((v, n) for v, _l, n in resp.context["states"])["sent"] == 1
    resp = client.get(reverse("messages:list"), {"state": "<script>", "kind": "x", "page": "999"})
    assert resp.status_code == 200 and len(resp.context["items"]) == 5


@pytest.mark.django_db
def test_the_detail_shows_the_body_and_logs_the_reading_of_addresses(cast, client, outbox):
    client.force_login(cast.planner)
    m = outbox["lgo_failed"]
    resp = client.get(reverse("messages:detail", args=[m.pk]))
    body = resp.content.decode()
    assert resp.status_code == 200
    assert "ข้อความของ reminder:b" in body and "reminder-b@mail.test" in body
    assert "SMTPRecipientsRefused" in body
    log = AccessLog.objects.get()
    assert (log.actor, log.organization, log.object_ids) == (cast.planner, cast.lgo, [str(m.pk)])
    # a planner of the local government may not send it again: no button, and 403 on POST
    assert reverse("messages:resend", args=[m.pk]) not in body
    assert client.post(reverse("messages:resend", args=[m.pk])).status_code == 403


@pytest.mark.django_db
def test_an_overseer_sends_a_failed_message_again(cast, client, outbox):
    m = outbox["lgo_failed"]
    client.force_login(cast.district_officer)
    detail = client.get(reverse("messages:detail", args=[m.pk])).content.decode()
    assert reverse("messages:resend", args=[m.pk]) in detail
    assert client.get(reverse("messages:resend", args=[m.pk])).status_code == 405
    resp = client.post(reverse("messages:resend", args=[m.pk]))
    assert resp.status_code == 302 and resp["Location"] == reverse("messages:detail", args=[m.pk])
    m.refresh_from_db()
    assert (m.state, m.attempts, m.last_error) == (MessageState.SENT, 1, "")
    # the organization's current address and planners are added
    assert m.to == [
        "reminder-b@mail.test",
        "padaeng@lgo.test",
        "approver@example.test",
        "planner@example.test",
    ]
    assert django_mail.outbox[0].subject == "เรื่อง reminder:b"
    event = AuditEvent.objects.get(action="directive_message.resend")
    assert (event.actor, event.data["attempts"]) == (cast.district_officer, 5)
    # a message that was sent is not sent again
    client.post(reverse("messages:resend", args=[m.pk]))
    assert len(django_mail.outbox) == 1


@pytest.mark.django_db
def test_outsiders_cannot_send_again(cast, client, outbox):
    client.force_login(cast.far_district_officer)
    assert client.post(reverse("messages:resend", args=[outbox["lgo_failed"].pk])).status_code == 404
    outbox["lgo_failed"].refresh_from_db()
    assert outbox["lgo_failed"].state == MessageState.GAVE_UP


@pytest.mark.django_db
def test_a_message_without_an_address_says_what_to_do(cast, client, chain):
    # ทต.ช่อแฮ has no e-mail address and no members with one
    m = msg(
        cast.lgo_same_district, "reminder:none", to=[], state=MessageState.GAVE_UP, directive=chain.district
    )
    client.force_login(cast.province_officer)
    body = client.get(reverse("messages:detail", args=[m.pk])).content.decode()
    assert not AccessLog.objects.exists()  # no address was shown
    assert "อีเมล" in body or "e-mail address" in body
    client.post(reverse("messages:resend", args=[m.pk]))
    m.refresh_from_db()
    assert m.state == MessageState.GAVE_UP and django_mail.outbox == []


@pytest.mark.django_db
def test_an_empty_outbox_says_when_messages_are_written(cast, client, settings):
    settings.PHROM_REMINDER_DAYS = "5,2"
    client.force_login(cast.planner)
    body = client.get(reverse("messages:list")).content.decode()
    assert "5, 2 days before a deadline" in body or "5, 2 วัน" in body
