from django.urls import reverse

from accounts.tests.conftest import NEW_PASSWORD, PASSWORD
from audit.models import AuditEvent

URL = reverse("accounts:password_change")


def change(client, old=PASSWORD, new=NEW_PASSWORD, again=None):
    return client.post(URL, {"old_password": old, "new_password1": new, "new_password2": again or new})


def test_it_changes_the_password(client, cast):
    client.force_login(cast.planner)
    r = change(client)
    assert r.status_code == 302
    assert r["Location"] == reverse("accounts:password_change_done")
    cast.planner.refresh_from_db()
    assert cast.planner.check_password(NEW_PASSWORD)


def test_it_keeps_this_session_signed_in(client, cast):
    client.force_login(cast.planner)
    change(client)
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_it_records_the_change(client, cast):
    client.force_login(cast.planner)
    change(client)
    assert AuditEvent.objects.filter(action="account.password_change", actor=cast.planner).exists()


def test_it_explains_a_wrong_current_password(client, cast):
    client.force_login(cast.planner)
    r = change(client, old="not-it")
    assert r.status_code == 200
    assert "Your current password is not right" in r.content.decode()
    cast.planner.refresh_from_db()
    assert cast.planner.check_password(PASSWORD)


def test_it_applies_the_password_rules(client, cast):
    client.force_login(cast.planner)
    r = change(client, new="12345")
    assert r.status_code == 200
    assert 'id="id_new_password2_error"' in r.content.decode()
    cast.planner.refresh_from_db()
    assert cast.planner.check_password(PASSWORD)


def test_it_uses_the_right_autocomplete(client, cast):
    client.force_login(cast.planner)
    body = client.get(URL).content.decode()
    assert 'autocomplete="current-password"' in body
    assert body.count('autocomplete="new-password"') == 2


def test_it_requires_sign_in(client, db):
    r = client.get(URL)
    assert r.status_code == 302
    assert r["Location"].startswith(reverse("accounts:login"))
