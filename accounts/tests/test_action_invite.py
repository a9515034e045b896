import datetime as dt

from django.core import mail
from django.utils import timezone

from accounts import actions
from accounts.models import Invitation
from orgs.models import Role


def test_it_expires_after_the_configured_days(cast, settings):
    settings.INVITATION_VALID_DAYS = 3
    invitation = actions.invite(cast.lgo, email="a@example.test", role=Role.VIEWER, by=cast.org_admin)
    remaining = invitation.expires_at - timezone.now()
    assert dt.timedelta(days=2, hours=23) < remaining <= dt.timedelta(days=3)


def test_it_replaces_a_pending_invitation_to_the_same_address(cast):
    old = actions.invite(cast.lgo, email="a@example.test", role=Role.VIEWER, by=cast.org_admin)
    new = actions.invite(cast.lgo, email="A@example.test", role=Role.PLANNER, by=cast.org_admin)
    old.refresh_from_db()
    assert old.revoked_at is not None
    assert list(Invitation.objects.pending()) == [new]


def test_it_keeps_other_orgs_invitations_to_that_address(cast):
    other = actions.invite(
        cast.lgo_same_district, email="a@example.test", role=Role.VIEWER, by=cast.site_admin
    )
    actions.invite(cast.lgo, email="a@example.test", role=Role.VIEWER, by=cast.org_admin)
    other.refresh_from_db()
    assert other.revoked_at is None


def test_its_mail_is_bilingual_and_replies_to_the_inviter(send_invitation):
    sent = send_invitation(role=Role.PLANNER)
    message = sent.mail
    assert message.reply_to == ["orgadmin@example.test"]
    assert "องค์การบริหารส่วนตำบลป่าแดง" in message.subject
    assert "\n" not in message.subject
    assert "นางดูแล ระบบ" in message.body
    assert sent.path in message.body


def test_it_sends_no_mail_before_commit(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        actions.invite(cast.lgo, email="a@example.test", role=Role.VIEWER, by=cast.org_admin)
    assert mail.outbox == []
