"""The directives API: same rules as the pages."""

from __future__ import annotations

import pytest

from directives.models import Directive, Recipient, Submission
from directives.tests.conftest import approved_plan

pytestmark = pytest.mark.django_db


def post(client, url, body=None, **headers):
    return client.post(url, body or {}, content_type="application/json", **headers)


def test_create_issue_relay_acknowledge_submit_review_through_the_api(cast, client):
    # given: the provincial office issues a directive in JSON
    client.force_login(cast.province_officer)
    resp = post(client, "/api/v1/directives", {
        "subject": "ทบทวนแผน ๒๕๗๐", "urgency": "most_urgent", "groups": ["districts"],
        "submit_to": cast.opdc.pk,
        "copy_rules": ["province", "district"], "deadline": "2026-12-31", "issue": True,
        "enclosures": [{"title": "สำเนาหนังสือ สถ.", "detail": "ที่ มท ๐๘๑๒/ว ๑"}],
    })  # fmt: skip
    assert resp.status_code == 201, resp.content
    d = resp.json()
    assert d["status"] == "issued" and d["number"] == "ว ๑" and d["recipients_count"] == 2
    # 23:59:59.999999 in Bangkok is 16:59:59.999 UTC
    assert d["deadline"].startswith("2026-12-31T16:59:59") and d["enclosures"][0]["download_url"] is None

    # the district relays it and its local government acknowledges it
    client.force_login(cast.district_officer)
    relay = post(client, f"/api/v1/directives/{d['id']}/relay", {"cover_note": "ดำเนินการด่วน"})
    assert relay.status_code == 201, relay.content
    relay_id = relay.json()["id"]
    assert [c["id"] for c in relay.json()["chain"]] == [d["id"], relay_id]
    client.force_login(cast.planner)
    assert post(client, f"/api/v1/directives/{relay_id}/acknowledge").json() == {"acknowledged": 1}
    assert post(client, f"/api/v1/directives/{relay_id}/acknowledge").json() == {"acknowledged": 0}
    inbox = client.get("/api/v1/directives?box=inbox").json()
    assert [i["id"] for i in inbox["items"]] == [relay_id]

    # submitting twice with the same key: one submission, one receipt
    plan = approved_plan(cast.lgo)
    url = f"/api/v1/directives/{relay_id}/submissions"
    first = post(client, url, {"note": "ส่งแผน"}, HTTP_IDEMPOTENCY_KEY="k-1")
    second = post(client, url, {"note": "ส่งแผน"}, HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["receipt_number"] == second.json()["receipt_number"]
    assert first.json()["plan_id"] == plan.pk and len(first.json()["copies"]) == 2
    assert post(client, url, {}).status_code == 422  # no key

    # OPDC returns it; the copy (the province) may read it but not review it
    sub_id = first.json()["id"]
    client.force_login(cast.province_officer)
    assert client.get(f"/api/v1/directives/submissions/{sub_id}").status_code == 200
    assert (
        post(client, f"/api/v1/directives/submissions/{sub_id}/review", {"decision": "accept"}).status_code
        == 403
    )
    client.force_login(cast.opdc_reviewer)
    assert (
        post(client, f"/api/v1/directives/submissions/{sub_id}/review", {"decision": "return"}).status_code
        == 409
    )
    back = post(
        client, f"/api/v1/directives/submissions/{sub_id}/review", {"decision": "return", "comment": "แก้"}
    )
    assert back.status_code == 200 and back.json()["status"] == "returned"
    received = client.get("/api/v1/directives/submissions?box=received").json()
    assert [s["id"] for s in received["items"]] == [sub_id]


def test_outsiders_get_404_and_the_body_is_not_read(cast, client, issued):
    client.force_login(cast.far_district_officer)
    for path in ("", "/relay", "/acknowledge", "/submissions", "/issue"):
        url = f"/api/v1/directives/{issued.pk}{path}"
        resp = client.get(url) if path == "" else post(client, url, {"issuer": cast.far_district.pk})
        assert resp.status_code in (404, 405), path
    assert Recipient.objects.filter(acknowledged_at__isnull=False).count() == 0


def test_a_local_government_cannot_create_directives(cast, client):
    client.force_login(cast.planner)
    resp = post(
        client, "/api/v1/directives", {"subject": "x", "groups": ["districts"], "submit_to": cast.opdc.pk}
    )
    assert resp.status_code == 403 and not Directive.objects.exists()


def test_invalid_bodies_say_which_field(cast, client):
    client.force_login(cast.province_officer)
    resp = post(
        client, "/api/v1/directives", {"subject": "x", "groups": ["provinces"], "submit_to": cast.opdc.pk}
    )
    assert resp.status_code == 422 and resp.json()["detail"][0]["loc"] == ["body", "groups"]
    resp = post(
        client, "/api/v1/directives", {"subject": "x", "to": [cast.lgo_other_province.pk], "submit_to": 1}
    )
    assert resp.status_code == 422 and resp.json()["detail"][0]["loc"] == ["body", "to"]
    resp = post(client, "/api/v1/directives", {"subject": "x", "deadline": "พรุ่งนี้", "submit_to": cast.opdc.pk})
    assert resp.status_code == 422 and resp.json()["detail"][0]["loc"] == ["body", "deadline"]
    assert not Directive.objects.exists() and not Submission.objects.exists()
