import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import actions
from audit.models import AccessLog


def url(org):
    return reverse("accounts:invitations", args=[org.pk])


def test_it_lists_pending_invitations(client, cast, send_invitation):
    waiting = send_invitation(email="waiting@example.test").invitation
    used = send_invitation(email="used@example.test").invitation
    actions.accept_invitation(used, user=cast.viewer)
    revoked = send_invitation(email="revoked@example.test").invitation
    actions.revoke_invitation(revoked, by=cast.org_admin)
    expired = send_invitation(email="expired@example.test").invitation
    expired.expires_at = timezone.now() - dt.timedelta(minutes=1)
    expired.save(update_fields=["expires_at"])
    client.force_login(cast.org_admin)
    r = client.get(url(cast.lgo))
    assert r.status_code == 200
    assert [i.pk for i in r.context["invitations"]] == [waiting.pk]
    body = r.content.decode()
    assert "waiting@example.test" in body
    assert reverse("accounts:revoke_invitation", args=[waiting.pk]) in body


def test_it_hides_other_orgs_invitations(client, cast, send_invitation):
    send_invitation(email="elsewhere@example.test", org=cast.lgo_same_district, by=cast.site_admin)
    client.force_login(cast.org_admin)
    r = client.get(url(cast.lgo))
    assert "elsewhere@example.test" not in r.content.decode()
    assert client.get(url(cast.lgo_same_district)).status_code == 404


def test_it_records_who_saw_the_addresses(client, cast, send_invitation):
    invitation = send_invitation().invitation
    client.force_login(cast.org_admin)
    client.get(url(cast.lgo))
    log = AccessLog.objects.get(what="invitations")
    assert log.actor == cast.org_admin
    assert log.object_ids == [str(invitation.pk)]


@pytest.mark.parametrize("who", ["viewer", "district_officer"])
def test_it_requires_admin_role(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(url(cast.lgo)).status_code == 403


def test_it_hides_other_orgs(client, cast):
    client.force_login(cast.far_planner)
    assert client.get(url(cast.lgo)).status_code == 404
