"""GET /api/v1/me: the caller, their memberships and what they may do in each organization."""

from django.utils import translation

from orgs.models import Kind, Role


def by_org(resp):
    return {m["organization_id"]: m for m in resp.json()["memberships"]}


def test_it_lists_a_planners_membership_and_capabilities(cast, client):
    client.force_login(cast.planner)

    resp = client.get("/api/v1/me", headers={"Accept-Language": "en"})

    assert resp.status_code == 200
    body = resp.json()
    assert body["full_name"] == "นางสาวพิมพ์ใจ วางแผน"
    assert body["is_site_admin"] is False
    assert by_org(resp) == {
        cast.lgo.pk: {
            "organization_id": cast.lgo.pk,
            "organization_name": "องค์การบริหารส่วนตำบลป่าแดง",
            "kind": "subdistrict_admin_org",
            "kind_label": "Subdistrict Administrative Organization",
            "role": "planner",
            "role_label": "Planner",
            "position": "",
            "capabilities": ["can_plan"],
        }
    }


def test_it_tells_an_approver_they_may_plan_and_approve(cast, client):
    client.force_login(cast.approver)

    resp = client.get("/api/v1/me")

    assert by_org(resp)[cast.lgo.pk]["capabilities"] == ["can_plan", "can_approve"]


def test_it_tells_an_organization_admin_they_may_manage_members(cast, client):
    client.force_login(cast.org_admin)

    resp = client.get("/api/v1/me")

    assert by_org(resp)[cast.lgo.pk]["capabilities"] == ["can_manage_members"]


def test_it_tells_a_district_officer_they_oversee_the_district(cast, client):
    client.force_login(cast.district_officer)

    resp = client.get("/api/v1/me")

    membership = by_org(resp)[cast.district.pk]
    assert membership["role"] == "overseer"
    assert membership["capabilities"] == ["oversees"]


def test_it_gives_a_viewer_no_capabilities(cast, client):
    client.force_login(cast.viewer)

    resp = client.get("/api/v1/me")

    assert by_org(resp)[cast.lgo.pk]["capabilities"] == []


def test_it_flags_a_site_admin(cast, client):
    client.force_login(cast.site_admin)

    resp = client.get("/api/v1/me")

    assert resp.json()["is_site_admin"] is True
    assert resp.json()["memberships"] == []


def test_it_labels_kinds_and_roles_in_the_requested_language(cast, client):
    client.force_login(cast.planner)

    resp = client.get("/api/v1/me", headers={"Accept-Language": "th"})

    with translation.override("th"):
        assert by_org(resp)[cast.lgo.pk]["role_label"] == str(Role.PLANNER.label)
        assert by_org(resp)[cast.lgo.pk]["kind_label"] == str(Kind.SAO.label)
