"""The personal-token pages at /api/tokens/: list, create (key shown once), revoke."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import ApiToken
from api.actions import create_token
from audit.models import AuditEvent


def test_it_lists_ones_own_tokens_only(cast, client):
    create_token(cast.planner, name="dashboard script")
    create_token(cast.viewer, name="someone else's")
    client.force_login(cast.planner)

    resp = client.get("/api/tokens/")

    assert resp.status_code == 200
    html = resp.content.decode()
    assert "dashboard script" in html
    assert "someone else" not in html
    assert 'for="id_name"' in html  # the form fields are labelled


def test_it_sends_an_anonymous_visitor_to_the_login_page(db, client):
    resp = client.get("/api/tokens/")

    assert resp.status_code == 302
    assert resp["Location"].startswith("/accounts/login/")


def test_it_creates_a_token_and_shows_its_key_once(cast, client):
    client.force_login(cast.planner)

    resp = client.post("/api/tokens/new", {"name": "district dashboard", "expires_on": ""})

    assert resp.status_code == 200
    token = ApiToken.objects.get(user=cast.planner)
    raw = resp.context["raw_key"]
    assert raw in resp.content.decode()
    assert ApiToken.objects.authenticate(raw) == token
    assert token.expires_at is None
    assert "no-store" in resp["Cache-Control"]
    assert raw not in client.get("/api/tokens/").content.decode()


def test_it_records_the_creation_without_the_key(cast, client):
    client.force_login(cast.planner)

    resp = client.post("/api/tokens/new", {"name": "district dashboard"})

    event = AuditEvent.objects.get(action="api_token.create")
    assert event.actor == cast.planner
    assert event.object_id == str(ApiToken.objects.get().pk)
    assert resp.context["raw_key"] not in f"{event.summary} {event.data}"


def test_it_sets_the_expiry_to_the_end_of_the_chosen_day(cast, client):
    client.force_login(cast.planner)
    day = timezone.localdate() + dt.timedelta(days=30)

    client.post("/api/tokens/new", {"name": "short-lived", "expires_on": day.isoformat()})

    expires = timezone.localtime(ApiToken.objects.get().expires_at)
    assert (expires.date(), expires.time()) == (day + dt.timedelta(days=1), dt.time.min)


def test_it_refuses_an_expiry_in_the_past(cast, client):
    client.force_login(cast.planner)
    yesterday = timezone.localdate() - dt.timedelta(days=1)

    resp = client.post("/api/tokens/new", {"name": "too late", "expires_on": yesterday.isoformat()})

    assert resp.status_code == 200
    assert resp.context["form"].errors["expires_on"]
    assert not ApiToken.objects.exists()


def test_it_requires_a_name(cast, client):
    client.force_login(cast.planner)

    resp = client.post("/api/tokens/new", {"name": ""})

    assert resp.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_it_revokes_a_token(cast, client):
    token, raw = create_token(cast.planner, name="old")
    client.force_login(cast.planner)

    resp = client.post(f"/api/tokens/{token.pk}/revoke")

    assert resp.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiToken.objects.authenticate(raw) is None
    assert AuditEvent.objects.filter(action="api_token.revoke", object_id=str(token.pk)).count() == 1


def test_it_hides_other_users_tokens(cast, client):
    token, _raw = create_token(cast.viewer, name="theirs")
    client.force_login(cast.planner)

    resp = client.post(f"/api/tokens/{token.pk}/revoke")

    assert resp.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_it_rejects_get_on_create_and_revoke(cast, client):
    token, _raw = create_token(cast.planner, name="old")
    client.force_login(cast.planner)

    assert client.get("/api/tokens/new").status_code == 405
    assert client.get(f"/api/tokens/{token.pk}/revoke").status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_it_shows_each_tokens_status(cast, client):
    create_token(cast.planner, name="current")
    create_token(cast.planner, name="lapsed", expires_at=timezone.now() - dt.timedelta(days=1))
    revoked, _raw = create_token(cast.planner, name="withdrawn")
    revoked.revoked_at = timezone.now()
    revoked.save(update_fields=["revoked_at"])
    client.force_login(cast.planner)

    resp = client.get("/api/tokens/", headers={"Accept-Language": "en"})

    statuses = {t.name: t.status for t in resp.context["tokens"]}
    assert statuses == {"current": "Active", "lapsed": "Expired", "withdrawn": "Revoked"}


@pytest.fixture(autouse=True)
def _english_pages(client, settings):
    # The assertions read the English source wording; Thai has its own catalogue tests.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
