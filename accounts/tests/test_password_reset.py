from django.core import mail
from django.urls import reverse

from accounts.tests.conftest import NEW_PASSWORD, PASSWORD, link_path
from audit.models import AuditEvent

URL = reverse("accounts:password_reset")


def ask(client, email):
    mail.outbox.clear()
    return client.post(URL, {"email": email})


def test_it_is_reachable_signed_out(client, db):
    assert client.get(URL).status_code == 200


def test_it_sends_mail_with_a_link(client, cast):
    r = ask(client, "planner@example.test")
    assert r.status_code == 302
    assert r["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["planner@example.test"]
    assert "Phrom" in message.subject
    assert "\n" not in message.subject
    assert "planner" in message.body  # the username, which people forget too
    assert "/accounts/password/reset/" in message.body


def test_its_link_sets_a_new_password(client, cast):
    ask(client, "planner@example.test")
    path = link_path(mail.outbox[0].body, "/accounts/password/reset/")
    # Django swaps the token for a session-held one and redirects to the form
    r = client.get(path, follow=True)
    assert r.status_code == 200
    assert r.context["validlink"]
    form_path = r.redirect_chain[-1][0]
    r = client.post(form_path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert r.status_code == 302
    assert r["Location"] == reverse("accounts:password_reset_complete")
    cast.planner.refresh_from_db()
    assert cast.planner.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="account.password_reset", actor=cast.planner).exists()


def test_its_link_works_once(client, cast):
    ask(client, "planner@example.test")
    path = link_path(mail.outbox[0].body, "/accounts/password/reset/")
    form_path = client.get(path, follow=True).redirect_chain[-1][0]
    client.post(form_path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    r = client.get(path, follow=True)
    assert not r.context["validlink"]
    assert "This link no longer works" in r.content.decode()


def test_it_does_not_tell_whether_an_address_has_an_account(client, cast):
    r = ask(client, "nobody@example.test")
    assert r.status_code == 302
    assert r["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_it_leaves_the_password_alone_until_the_link_is_used(client, cast):
    ask(client, "planner@example.test")
    cast.planner.refresh_from_db()
    assert cast.planner.check_password(PASSWORD)
