from django.conf import settings
from django.urls import reverse

from accounts.tests.conftest import PASSWORD
from audit.models import AuditEvent

URL = reverse("accounts:profile")


def form(user, **changes):
    data = {"full_name": user.full_name, "phone": user.phone, "email": user.email, "language": user.language}
    return {**data, **changes}


def test_it_shows_details_and_memberships(client, cast):
    client.force_login(cast.org_admin)
    r = client.get(URL)
    assert r.status_code == 200
    body = r.content.decode()
    assert "นางดูแล ระบบ" in body
    assert "องค์การบริหารส่วนตำบลป่าแดง" in body
    assert reverse("accounts:invitations", args=[cast.lgo.pk]) in body  # an admin's shortcut
    assert reverse("accounts:password_change") in body
    assert 'value="081 111 1114"' in body  # the phone, grouped the way people read it


def test_it_saves_changes(client, cast):
    client.force_login(cast.planner)
    r = client.post(URL, form(cast.planner, full_name="นางพิมพ์ใจ วางแผนดี", phone="๐๙๑-๒๓๔-๕๖๗๘"))
    assert r.status_code == 302
    cast.planner.refresh_from_db()
    assert cast.planner.full_name == "นางพิมพ์ใจ วางแผนดี"
    assert cast.planner.phone == "0912345678"
    event = AuditEvent.objects.get(action="account.update")
    assert event.actor == cast.planner
    assert event.data == {"fields": ["full_name", "phone"]}


def test_it_explains_a_bad_phone_number(client, cast):
    client.force_login(cast.planner)
    r = client.post(URL, form(cast.planner, phone="0812"))
    assert r.status_code == 200
    body = r.content.decode()
    assert 'id="id_phone_error"' in body
    assert "081 234 5678" in body
    cast.planner.refresh_from_db()
    assert cast.planner.phone == "0811111111"


def test_it_switches_the_language(client, cast):
    client.force_login(cast.planner)
    r = client.post(URL, form(cast.planner, language="en"))
    assert r.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    cast.planner.refresh_from_db()
    assert cast.planner.language == "en"


def test_it_asks_for_the_password_to_change_the_email(client, cast):
    client.force_login(cast.planner)
    r = client.post(URL, form(cast.planner, email="mine@example.test"))
    assert r.status_code == 200
    assert 'id="id_current_password_error"' in r.content.decode()
    r = client.post(URL, form(cast.planner, email="mine@example.test", current_password="wrong"))
    assert r.status_code == 200
    cast.planner.refresh_from_db()
    assert cast.planner.email == "planner@example.test"

    r = client.post(URL, form(cast.planner, email="mine@example.test", current_password=PASSWORD))
    assert r.status_code == 302
    cast.planner.refresh_from_db()
    assert cast.planner.email == "mine@example.test"


def test_it_records_nothing_when_nothing_changed(client, cast):
    client.force_login(cast.planner)
    client.post(URL, form(cast.planner))
    assert not AuditEvent.objects.filter(action="account.update").exists()


def test_it_requires_sign_in(client, db):
    r = client.get(URL)
    assert r.status_code == 302
    assert r["Location"].startswith(reverse("accounts:login"))
