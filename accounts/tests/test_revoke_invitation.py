import pytest
from django.urls import reverse

from accounts.models import Invitation
from audit.models import AuditEvent


def url(invitation):
    return reverse("accounts:revoke_invitation", args=[invitation.pk])


def test_it_revokes(client, cast, send_invitation):
    sent = send_invitation()
    client.force_login(cast.org_admin)
    r = client.post(url(sent.invitation))
    assert r.status_code == 302
    assert r["Location"] == reverse("accounts:invitations", args=[cast.lgo.pk])
    sent.invitation.refresh_from_db()
    assert sent.invitation.revoked_at is not None
    assert AuditEvent.objects.filter(action="invitation.revoke", organization=cast.lgo).exists()
    # the mailed link now explains itself
    client.logout()
    client.cookies["django_language"] = "en"  # logout cleared it; the wording checked is English
    r = client.get(sent.path)
    assert r.status_code == 410
    assert "cancelled" in r.content.decode()


def test_it_rejects_get(client, cast, send_invitation):
    sent = send_invitation()
    client.force_login(cast.org_admin)
    assert client.get(url(sent.invitation)).status_code == 405
    assert Invitation.objects.get().revoked_at is None


def test_it_requires_admin_role(client, cast, send_invitation):
    sent = send_invitation()
    client.force_login(cast.viewer)
    assert client.post(url(sent.invitation)).status_code == 403
    assert Invitation.objects.get().revoked_at is None


@pytest.mark.parametrize("who", ["other_planner", "far_district_officer"])
def test_it_hides_other_orgs_invitations(client, cast, send_invitation, who):
    sent = send_invitation()
    client.force_login(getattr(cast, who))
    assert client.post(url(sent.invitation)).status_code == 404
    assert Invitation.objects.get().revoked_at is None


def test_it_hides_another_orgs_invitation_from_an_org_admin(client, cast, send_invitation):
    sent = send_invitation(org=cast.lgo_same_district, by=cast.site_admin)
    client.force_login(cast.org_admin)
    assert client.post(url(sent.invitation)).status_code == 404


def test_it_says_when_there_was_nothing_to_revoke(client, cast, send_invitation):
    sent = send_invitation()
    client.force_login(cast.org_admin)
    client.post(url(sent.invitation))
    r = client.post(url(sent.invitation), follow=True)
    assert "already been used or cancelled" in r.content.decode()
    assert AuditEvent.objects.filter(action="invitation.revoke").count() == 1
