"""Who may call the API: personal tokens and signed-in sessions."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import ApiToken
from api.actions import create_token, revoke_token


def test_it_answers_without_credentials_with_401_json_not_a_login_redirect(db, client):
    resp = client.get("/api/v1/me")

    assert resp.status_code == 401
    assert resp["Content-Type"].startswith("application/json")
    assert "Location" not in resp


def test_it_accepts_a_personal_token(cast, client, make_token):
    raw = make_token(cast.planner)

    resp = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})

    assert resp.status_code == 200
    assert resp.json()["username"] == "planner"


def test_it_stores_only_the_hash_of_a_token(cast, make_token):
    raw = make_token(cast.planner)

    token = ApiToken.objects.get(user=cast.planner)
    assert raw.startswith("phrom_")
    assert token.key_hash != raw and len(token.key_hash) == 64
    assert raw not in {str(v) for v in ApiToken.objects.values_list(named=False).get(pk=token.pk)}
    assert raw.startswith(token.prefix) and len(token.prefix) < len(raw) // 2


def test_it_rejects_a_revoked_token(cast, client, make_token):
    raw = make_token(cast.planner)
    revoke_token(ApiToken.objects.get(user=cast.planner), by=cast.planner)

    resp = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})

    assert resp.status_code == 401


def test_it_rejects_an_expired_token(cast, client, make_token, yesterday):
    raw = make_token(cast.planner, expires_at=yesterday)

    resp = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})

    assert resp.status_code == 401


def test_it_rejects_the_token_of_a_deactivated_user(cast, client, make_token):
    raw = make_token(cast.planner)
    cast.planner.is_active = False
    cast.planner.save(update_fields=["is_active"])

    resp = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})

    assert resp.status_code == 401


@pytest.mark.parametrize(
    "header", ["Bearer phrom_not-a-real-key", "Bearer", "Token phrom_x", "Basic cGxhbm5lcjp4"]
)
def test_it_rejects_unknown_or_malformed_credentials(db, client, header):
    resp = client.get("/api/v1/me", headers={"Authorization": header})

    assert resp.status_code == 401


def test_it_records_token_use_at_most_once_a_minute(cast, client, make_token):
    raw = make_token(cast.planner)
    headers = {"Authorization": f"Bearer {raw}"}
    token = ApiToken.objects.get(user=cast.planner)
    assert token.last_used_at is None

    client.get("/api/v1/me", headers=headers)
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None

    client.get("/api/v1/me", headers=headers)
    token.refresh_from_db()
    assert token.last_used_at == first

    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - timedelta(minutes=2))
    client.get("/api/v1/me", headers=headers)
    token.refresh_from_db()
    assert token.last_used_at > first


def test_a_repeat_call_within_the_minute_writes_nothing(cast, client, make_token, django_assert_num_queries):
    raw = make_token(cast.planner)
    headers = {"Authorization": f"Bearer {raw}"}
    client.get("/api/v1/me", headers=headers)

    with django_assert_num_queries(2):
        # 1. the token with its user; 2. the user's memberships (no UPDATE of last_used_at)
        client.get("/api/v1/me", headers=headers)


def test_it_accepts_the_session_of_a_signed_in_user(cast, client):
    client.force_login(cast.viewer)

    resp = client.get("/api/v1/me")

    assert resp.status_code == 200
    assert resp.json()["username"] == "viewer"


def test_a_session_needs_the_csrf_token_for_unsafe_methods(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.planner)
    token, _raw = create_token(cast.planner, name="old")
    url = f"/api/v1/tokens/{token.pk}"

    without = client.delete(url)
    assert without.status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None

    client.get("/api/v1/docs")  # sets the CSRF cookie
    with_token = client.delete(url, headers={"X-CSRFToken": client.cookies["csrftoken"].value})
    assert with_token.status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_token_needs_no_csrf_token_for_unsafe_methods(cast, make_token):
    client = Client(enforce_csrf_checks=True)
    raw = make_token(cast.planner)
    token = ApiToken.objects.get(user=cast.planner)

    resp = client.delete(f"/api/v1/tokens/{token.pk}", headers={"Authorization": f"Bearer {raw}"})

    assert resp.status_code == 204


def test_an_anonymous_unsafe_call_is_401_not_a_csrf_error(db):
    client = Client(enforce_csrf_checks=True)

    resp = client.delete("/api/v1/tokens/1")

    assert resp.status_code == 401
