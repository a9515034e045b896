"""GET /api/v1/tokens and DELETE /api/v1/tokens/{id}: the caller's own tokens."""

from accounts.models import ApiToken
from api.actions import create_token
from audit.models import AuditEvent


def test_it_lists_only_the_callers_tokens_without_keys(cast, client):
    mine, raw = create_token(cast.planner, name="mine")
    create_token(cast.viewer, name="theirs")
    client.force_login(cast.planner)

    resp = client.get("/api/v1/tokens")

    assert resp.status_code == 200
    assert [t["name"] for t in resp.json()] == ["mine"]
    assert resp.json()[0]["prefix"] == mine.prefix
    assert resp.json()[0]["is_active"] is True
    assert raw not in resp.content.decode()
    assert mine.key_hash not in resp.content.decode()


def test_it_revokes_ones_own_token_and_records_it(cast, client):
    token, _raw = create_token(cast.planner, name="old script")
    client.force_login(cast.planner)

    resp = client.delete(f"/api/v1/tokens/{token.pk}")

    assert resp.status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None
    event = AuditEvent.objects.get(action="api_token.revoke")
    assert event.actor == cast.planner
    assert event.object_id == str(token.pk)


def test_it_hides_other_users_tokens(cast, client):
    token, _raw = create_token(cast.viewer, name="theirs")
    client.force_login(cast.planner)

    resp = client.delete(f"/api/v1/tokens/{token.pk}")

    assert resp.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_token_can_revoke_itself(cast, client):
    token, raw = create_token(cast.planner, name="leaked")
    headers = {"Authorization": f"Bearer {raw}"}

    assert client.delete(f"/api/v1/tokens/{token.pk}", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_it_cannot_create_tokens(cast, client):
    # Creation is on the web page only, so that a stolen token cannot mint successors.
    client.force_login(cast.planner)

    resp = client.post("/api/v1/tokens", data={"name": "x"}, content_type="application/json")

    assert resp.status_code == 405
    assert not ApiToken.objects.exists()
