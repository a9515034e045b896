import datetime as dt

from django.urls import reverse
from django.utils import timezone

from accounts import actions
from accounts.models import User
from accounts.tests.conftest import NEW_PASSWORD
from audit.models import AuditEvent
from orgs.models import Membership, Role


def sign_up(client, path, **data):
    return client.post(
        path,
        {
            "username": "somchai.j",
            "full_name": "นายสมชาย ใจดี",
            "phone": "๐๘๑ ๒๓๔ ๕๖๗๘",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            **data,
        },
    )


def test_it_is_reachable_signed_out(client, send_invitation):
    sent = send_invitation(position="นักวิเคราะห์นโยบายและแผน")
    r = client.get(sent.path)
    assert r.status_code == 200
    body = r.content.decode()
    assert "องค์การบริหารส่วนตำบลป่าแดง" in body
    assert "นักวิเคราะห์นโยบายและแผน" in body
    assert "new.colleague@example.test" in body
    assert 'autocomplete="new-password"' in body


def test_it_creates_an_account_and_membership(client, cast, send_invitation):
    sent = send_invitation(email="somchai@example.test", role=Role.PLANNER, position="นักวิเคราะห์")
    r = sign_up(client, sent.path)
    assert r.status_code == 302
    assert r["Location"] == reverse("home")
    user = User.objects.get(username="somchai.j")
    assert user.email == "somchai@example.test"
    assert user.full_name == "นายสมชาย ใจดี"
    assert user.phone == "0812345678"  # Thai digits and spaces normalised
    assert user.check_password(NEW_PASSWORD)
    membership = Membership.objects.get(user=user)
    assert (membership.organization, membership.role, membership.position) == (
        cast.lgo,
        "planner",
        "นักวิเคราะห์",
    )
    assert client.session["_auth_user_id"] == str(user.pk)  # signed in straight away
    sent.invitation.refresh_from_db()
    assert sent.invitation.accepted_by == user
    assert AuditEvent.objects.filter(action="account.create", actor=user).exists()
    assert AuditEvent.objects.filter(action="invitation.accept", actor=user).exists()


def test_it_accepts_once(client, cast, send_invitation):
    sent = send_invitation()
    sign_up(client, sent.path)
    client.logout()
    client.cookies["django_language"] = "en"  # logout cleared it; the wording checked is English
    r = sign_up(client, sent.path, username="someone.else")
    assert r.status_code == 410
    assert "already been accepted" in r.content.decode()
    assert not User.objects.filter(username="someone.else").exists()
    assert Membership.objects.filter(organization=cast.lgo, role=Role.PLANNER).count() == 2  # cast + 1


def test_it_applies_the_password_rules(client, send_invitation):
    sent = send_invitation()
    r = sign_up(client, sent.path, password1="somchai.j1", password2="somchai.j1")
    assert r.status_code == 200
    assert 'id="id_password2_error"' in r.content.decode()
    assert not User.objects.filter(username="somchai.j").exists()


def test_it_explains_a_bad_phone_number(client, send_invitation):
    sent = send_invitation()
    r = sign_up(client, sent.path, phone="12345")
    assert r.status_code == 200
    assert "081 234 5678" in r.content.decode()


def test_it_wants_an_english_username(client, send_invitation):
    sent = send_invitation()
    r = sign_up(client, sent.path, username="สมชาย")
    assert r.status_code == 200
    assert "English letters" in r.content.decode()


def test_it_refuses_a_taken_username_whatever_the_case(client, cast, send_invitation):
    sent = send_invitation()
    r = sign_up(client, sent.path, username="Planner")
    assert r.status_code == 200
    assert "already uses this username" in r.content.decode()
    sent.invitation.refresh_from_db()
    assert sent.invitation.is_usable


def test_it_adds_the_role_to_a_signed_in_user(client, cast, send_invitation):
    sent = send_invitation(role=Role.APPROVER)
    client.force_login(cast.viewer)
    r = client.get(sent.path)
    assert r.status_code == 200
    assert not Membership.objects.filter(user=cast.viewer, role=Role.APPROVER).exists()  # GET changes nothing
    r = client.post(sent.path)
    assert r.status_code == 302
    assert Membership.objects.filter(user=cast.viewer, organization=cast.lgo, role=Role.APPROVER).exists()
    assert not User.objects.filter(email="new.colleague@example.test").exists()


def test_it_warns_when_signed_in_as_someone_else(client, cast, send_invitation):
    sent = send_invitation(email="someone@example.test")
    client.force_login(cast.viewer)
    assert "was sent to someone@example.test" in client.get(sent.path).content.decode()


def test_it_explains_an_expired_link(client, send_invitation):
    sent = send_invitation()
    sent.invitation.expires_at = timezone.now() - dt.timedelta(minutes=1)
    sent.invitation.save(update_fields=["expires_at"])
    r = client.get(sent.path)
    assert r.status_code == 410
    body = r.content.decode()
    assert "expired" in body
    assert "นางดูแล ระบบ" in body  # who to ask for a new one
    assert sign_up(client, sent.path).status_code == 410
    assert not User.objects.filter(username="somchai.j").exists()


def test_it_explains_a_revoked_link(client, cast, send_invitation):
    sent = send_invitation()
    actions.revoke_invitation(sent.invitation, by=cast.org_admin)
    r = client.get(sent.path)
    assert r.status_code == 410
    assert "cancelled" in r.content.decode()


def test_it_explains_an_unknown_link(client, db):
    r = client.get(reverse("accounts:accept_invitation", args=["not-a-real-token"]))
    assert r.status_code == 404
    assert "whole link" in r.content.decode()


def test_a_newer_invitation_replaces_the_older_link(client, send_invitation):
    first = send_invitation(email="same@example.test")
    second = send_invitation(email="same@example.test")
    assert client.get(first.path).status_code == 410
    assert client.get(second.path).status_code == 200


def test_it_sends_the_invitee_home_when_they_open_it_again(client, cast, send_invitation):
    sent = send_invitation()
    client.force_login(cast.viewer)
    client.post(sent.path)
    r = client.get(sent.path)
    assert r.status_code == 302
    assert r["Location"] == reverse("home")
