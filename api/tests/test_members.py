"""GET /api/v1/organizations/{id}/members: contacts, only within the caller's scope, always logged."""

import pytest

from audit.models import AccessLog


def members_url(org):
    return f"/api/v1/organizations/{org.pk}/members"


def test_it_lists_the_members_of_ones_own_organization_with_contacts(cast, client):
    client.force_login(cast.planner)

    resp = client.get(members_url(cast.lgo), headers={"Accept-Language": "en"})

    assert resp.status_code == 200
    members = {m["user_id"]: m for m in resp.json()}
    assert set(members) == {cast.planner.pk, cast.viewer.pk, cast.approver.pk, cast.org_admin.pk}
    assert members[cast.approver.pk] == {
        "user_id": cast.approver.pk,
        "full_name": "นายอนุมัติ ผู้บริหาร",
        "position": "",
        "role": "approver",
        "role_label": "Approver",
        "phone": "0811111113",
        "email": "approver@example.test",
    }


@pytest.mark.parametrize(
    "other", ["lgo_same_district", "lgo_other_district", "lgo_other_province", "district"]
)
def test_it_hides_the_members_of_other_organizations_from_a_planner(cast, client, other):
    client.force_login(cast.planner)

    resp = client.get(members_url(getattr(cast, other)))

    assert resp.status_code == 404


def test_it_answers_an_unknown_organization_like_a_hidden_one(cast, client):
    client.force_login(cast.planner)

    hidden = client.get(members_url(cast.lgo_other_district))
    unknown = client.get("/api/v1/organizations/999999/members")

    assert hidden.status_code == unknown.status_code == 404
    assert hidden.json() == unknown.json()


def test_a_district_officer_sees_members_in_their_district_only(cast, client):
    client.force_login(cast.district_officer)

    assert client.get(members_url(cast.lgo)).status_code == 200
    assert client.get(members_url(cast.lgo_same_district)).status_code == 200
    assert client.get(members_url(cast.district)).status_code == 200
    assert client.get(members_url(cast.lgo_other_district)).status_code == 404
    assert client.get(members_url(cast.other_district)).status_code == 404
    assert client.get(members_url(cast.lgo_other_province)).status_code == 404


def test_a_province_officer_sees_members_across_the_province_only(cast, client):
    client.force_login(cast.province_officer)

    assert client.get(members_url(cast.lgo_other_district)).status_code == 200
    assert client.get(members_url(cast.lgo_other_province)).status_code == 404


def test_an_opdc_reviewer_sees_members_everywhere(cast, client):
    client.force_login(cast.opdc_reviewer)

    for org in (cast.lgo, cast.lgo_other_district, cast.lgo_other_province, cast.far_district, cast.dla):
        assert client.get(members_url(org)).status_code == 200


def test_a_token_is_scoped_like_its_owner(cast, client, bearer):
    headers = bearer(cast.planner)

    assert client.get(members_url(cast.lgo), headers=headers).status_code == 200
    assert client.get(members_url(cast.lgo_other_district), headers=headers).status_code == 404


def test_it_logs_every_read_of_contacts(cast, client):
    client.force_login(cast.district_officer)

    client.get(members_url(cast.lgo))
    client.get(members_url(cast.lgo))

    rows = list(AccessLog.objects.filter(what="member_contacts"))
    assert len(rows) == 2
    row = rows[0]
    assert row.actor == cast.district_officer
    assert row.organization == cast.lgo
    assert row.object_type == "orgs.membership"
    assert len(row.object_ids) == 4
    assert row.path == members_url(cast.lgo)


def test_it_logs_the_owner_of_a_token_as_the_reader(cast, client, bearer):
    client.get(members_url(cast.lgo), headers=bearer(cast.planner))

    assert AccessLog.objects.get(what="member_contacts").actor == cast.planner


def test_it_logs_nothing_when_it_refuses(cast, client):
    client.force_login(cast.planner)

    client.get(members_url(cast.lgo_other_district))

    assert not AccessLog.objects.exists()


def test_it_leaves_out_deactivated_users(cast, client):
    cast.viewer.is_active = False
    cast.viewer.save(update_fields=["is_active"])
    client.force_login(cast.planner)

    resp = client.get(members_url(cast.lgo))

    assert cast.viewer.pk not in {m["user_id"] for m in resp.json()}
