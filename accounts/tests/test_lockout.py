"""Password guessing: axes pauses a username at one address (AXES_LOCKOUT_PARAMETERS)."""

import pytest
from django.urls import reverse

from accounts import actions
from accounts.tests.conftest import NEW_PASSWORD, PASSWORD

URL = reverse("accounts:login")
OFFICE = "203.0.113.10"  # one office NAT address, shared by colleagues
HOME = "198.51.100.20"


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.AXES_FAILURE_LIMIT = 5


def sign_in(client, username, password, ip):
    return client.post(URL, {"username": username, "password": password}, REMOTE_ADDR=ip)


def guess_wrong(client, username, ip, times=5):
    for _ in range(times):
        sign_in(client, username, "wrong-guess", ip)


def test_it_allows_four_wrong_passwords(client, cast):
    guess_wrong(client, "planner", OFFICE, times=4)
    assert sign_in(client, "planner", PASSWORD, OFFICE).status_code == 302


def test_it_locks_out_username_at_one_address(client, cast):
    guess_wrong(client, "planner", OFFICE)
    r = sign_in(client, "planner", PASSWORD, OFFICE)  # even the right password
    assert r.status_code == 429
    assert "_auth_user_id" not in client.session


def test_it_lets_the_same_person_in_from_another_address(client, cast):
    guess_wrong(client, "planner", OFFICE)
    assert sign_in(client, "planner", PASSWORD, HOME).status_code == 302


def test_it_keeps_colleagues_at_the_same_address_signed_in(client, cast):
    guess_wrong(client, "planner", OFFICE)
    r = sign_in(client, "viewer", PASSWORD, OFFICE)
    assert r.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.viewer.pk)


def test_its_page_says_how_long_to_wait_and_what_else_to_do(client, cast, settings):
    settings.AXES_COOLOFF_TIME = 0.25  # hours
    guess_wrong(client, "planner", OFFICE)
    body = sign_in(client, "planner", PASSWORD, OFFICE).content.decode()
    assert "15 minutes" in body
    assert reverse("accounts:password_reset") in body
    assert "admin" in body


def test_a_password_reset_lifts_the_lock(client, cast):
    guess_wrong(client, "planner", OFFICE)
    actions.set_password(cast.planner, NEW_PASSWORD, reason="reset")
    assert sign_in(client, "planner", NEW_PASSWORD, OFFICE).status_code == 302
