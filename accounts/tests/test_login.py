from django.conf import settings
from django.urls import reverse

from accounts.tests.conftest import PASSWORD

URL = reverse("accounts:login")


def test_it_shows_the_form_signed_out(client, db):
    r = client.get(URL)
    assert r.status_code == 200
    body = r.content.decode()
    assert 'autocomplete="username"' in body
    assert 'autocomplete="current-password"' in body
    assert reverse("accounts:password_reset") in body


def test_it_signs_in_and_goes_home(client, cast):
    r = client.post(URL, {"username": "planner", "password": PASSWORD})
    assert r.status_code == 302
    assert r["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(cast.planner.pk)


def test_it_follows_next(client, cast):
    r = client.post(URL, {"username": "planner", "password": PASSWORD, "next": "/accounts/profile/"})
    assert r["Location"] == "/accounts/profile/"


def test_it_explains_a_wrong_password(client, cast):
    r = client.post(URL, {"username": "planner", "password": "nope"})
    assert r.status_code == 200
    assert "_auth_user_id" not in client.session
    body = r.content.decode()
    assert "Wrong username or password" in body
    assert "keyboard" in body
    assert 'role="alert"' in body


def test_it_points_at_the_thai_keyboard(client, cast):
    # "test-pass-123" typed with a Thai keyboard layout
    r = client.post(URL, {"username": "planner", "password": "ะำหะ-ยฟหห-ๅ/-"})
    assert "contains Thai letters" in r.content.decode()


def test_it_brings_the_users_language_to_a_new_device(client, cast):
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]  # a new device has no language cookie
    cast.planner.language = "en"
    cast.planner.save(update_fields=["language"])
    r = client.post(URL, {"username": "planner", "password": PASSWORD})
    assert r.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_it_keeps_the_language_picked_on_this_device(client, cast):
    cast.planner.language = "en"
    cast.planner.save(update_fields=["language"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"
    r = client.post(URL, {"username": "planner", "password": PASSWORD})
    assert settings.LANGUAGE_COOKIE_NAME not in r.cookies


def test_it_sends_signed_in_users_home(client, cast):
    client.force_login(cast.planner)
    r = client.get(URL)
    assert r.status_code == 302
    assert r["Location"] == reverse("home")


def test_it_shows_demo_logins_only_in_debug(client, cast, settings, django_user_model):
    django_user_model.objects.create_user(username="phrae.planner", password="phrom-demo")
    settings.DEBUG = False
    assert "phrae.planner" not in client.get(URL).content.decode()

    settings.DEBUG = True
    body = client.get(URL).content.decode()
    assert "phrae.planner" in body
    assert "phrom-demo" in body


def test_its_demo_use_button_signs_in(client, cast, settings, django_user_model):
    demo = django_user_model.objects.create_user(username="phrae.admin", password="phrom-demo")
    settings.DEBUG = True
    body = client.get(URL).content.decode()
    # the button's form posts exactly the hidden username and password shown in the table
    assert 'name="username" value="phrae.admin"' in body
    r = client.post(URL, {"username": "phrae.admin", "password": "phrom-demo"})
    assert r.status_code == 302
    assert client.session["_auth_user_id"] == str(demo.pk)
