import hashlib
import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Invitation
from audit.models import AuditEvent
from orgs.models import Role


def url(org):
    return reverse("accounts:invite", args=[org.pk])


def post(client, org, **data):
    return client.post(url(org), {"email": "new@example.test", "role": Role.PLANNER, "position": "", **data})


def test_it_shows_the_form_to_the_org_admin(client, cast):
    client.force_login(cast.org_admin)
    r = client.get(url(cast.lgo))
    assert r.status_code == 200
    body = r.content.decode()
    assert 'name="email"' in body
    assert "Writes and revises the organization" in body  # each role is explained


def test_it_creates_an_invitation_and_mails_the_link(client, cast, django_capture_on_commit_callbacks):
    client.force_login(cast.org_admin)
    with django_capture_on_commit_callbacks(execute=True):
        r = post(client, cast.lgo, email="New@Example.TEST", position="นักวิเคราะห์นโยบายและแผน")
    assert r.status_code == 302
    assert r["Location"] == reverse("accounts:invitations", args=[cast.lgo.pk])
    invitation = Invitation.objects.get()
    assert invitation.organization == cast.lgo
    assert invitation.role == Role.PLANNER
    assert invitation.invited_by == cast.org_admin
    assert invitation.email == "New@example.test"  # the domain is case-insensitive, the name is not
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["New@example.test"]
    raw = re.search(r"/accounts/invitation/([^/\s]+)/", mail.outbox[0].body).group(1)
    # only the hash of the link's token is stored
    assert invitation.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(list(Invitation.objects.values()))
    assert AuditEvent.objects.filter(action="invitation.create", organization=cast.lgo).exists()


def test_it_mails_nothing_if_the_transaction_fails(client, cast, django_capture_on_commit_callbacks):
    client.force_login(cast.org_admin)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post(client, cast.lgo)
    assert len(callbacks) == 1  # the mail waits for the commit
    assert mail.outbox == []


def test_it_explains_a_bad_address(client, cast):
    client.force_login(cast.org_admin)
    r = post(client, cast.lgo, email="not-an-address")
    assert r.status_code == 200
    assert 'id="id_email_error"' in r.content.decode()
    assert not Invitation.objects.exists()


def test_it_offers_no_overseer_role_for_a_local_government(client, cast):
    client.force_login(cast.org_admin)
    r = post(client, cast.lgo, role=Role.OVERSEER)
    assert r.status_code == 200
    assert not Invitation.objects.exists()


def test_it_lets_a_site_admin_invite_anywhere(client, cast):
    client.force_login(cast.site_admin)
    assert post(client, cast.lgo_other_province).status_code == 302


@pytest.mark.parametrize("who", ["viewer", "planner", "approver", "district_officer", "province_officer"])
def test_it_requires_admin_role(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(url(cast.lgo)).status_code == 403
    assert post(client, cast.lgo).status_code == 403
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("who", ["other_planner", "far_planner", "far_district_officer"])
def test_it_hides_other_orgs(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(url(cast.lgo)).status_code == 404
    assert post(client, cast.lgo).status_code == 404


def test_it_hides_other_orgs_from_an_org_admin(client, cast):
    client.force_login(cast.org_admin)
    assert client.get(url(cast.lgo_same_district)).status_code == 404


def test_it_requires_sign_in(client, cast):
    r = client.get(url(cast.lgo))
    assert r.status_code == 302
    assert r["Location"].startswith(reverse("accounts:login"))
