"""The members page at /orgs/<pk>/members/: private, 404 to everyone outside the organization's reach."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AccessLog


def url(org):
    return f"/orgs/{org.pk}/members/"


@pytest.mark.parametrize(
    ("user", "org"),
    [
        ("other_planner", "lgo"),  # planner of another local government
        ("planner", "lgo_same_district"),  # even in the same district
        ("district_officer", "lgo_other_district"),  # officer of another district
        ("far_district_officer", "lgo"),  # officer of a district in another province
        ("far_planner", "province"),
    ],
)
def test_it_is_404_for_users_outside_the_organization(cast, client, user, org):
    client.force_login(getattr(cast, user))
    resp = client.get(url(getattr(cast, org)))
    assert resp.status_code == 404
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("user", ["viewer", "planner", "org_admin", "district_officer", "province_officer",
                                  "opdc_reviewer", "site_admin"])  # fmt: skip
def test_it_shows_the_members_to_users_with_access(cast, client, user):
    client.force_login(getattr(cast, user))
    resp = client.get(url(cast.lgo))
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "นางสาวพิมพ์ใจ วางแผน" in body
    assert "081 111 1111" in body
    assert "planner@example.test" in body


def test_it_requires_sign_in(cast, client):
    resp = client.get(url(cast.lgo))
    assert resp.status_code == 302


def test_it_lists_each_person_once_with_all_their_roles(cast, client):
    from orgs.actions import add_member
    from orgs.models import Role

    add_member(cast.lgo, cast.planner, Role.ADMIN)
    client.force_login(cast.viewer)
    members = client.get(url(cast.lgo)).context["members"]
    assert len(members) == 4
    planner = next(m for m in members if m.user == cast.planner)
    assert planner.roles == [Role.PLANNER, Role.ADMIN]
    assert members[0].user == cast.approver  # the executive first


def test_it_leaves_out_deactivated_users(cast, client):
    cast.approver.is_active = False
    cast.approver.save(update_fields=["is_active"])
    client.force_login(cast.viewer)
    body = client.get(url(cast.lgo)).content.decode()
    assert "นายอนุมัติ ผู้บริหาร" not in body


def test_it_writes_one_access_log_row_naming_the_memberships(cast, client):
    client.force_login(cast.province_officer)
    client.get(url(cast.lgo))
    log = AccessLog.objects.get()
    assert (log.actor, log.organization, log.what) == (cast.province_officer, cast.lgo, "member_contacts")
    expected = {str(pk) for pk in cast.lgo.memberships.values_list("pk", flat=True)}
    assert set(log.object_ids) == expected
    assert log.path == url(cast.lgo)


def test_it_offers_the_invitation_links_to_the_organization_admin(cast, client):
    invite = reverse("accounts:invite", args=[cast.lgo.pk])
    client.force_login(cast.org_admin)
    assert invite in client.get(url(cast.lgo)).content.decode()


def test_it_offers_no_invitation_links_to_a_planner_or_an_overseer(cast, client):
    for user in (cast.planner, cast.district_officer):
        client.force_login(user)
        body = client.get(url(cast.lgo)).content.decode()
        assert "/accounts/invite/" not in body
        assert "/accounts/invitations/" not in body


def test_it_answers_with_a_fixed_number_of_queries(cast, client, django_assert_num_queries):
    client.force_login(cast.viewer)
    # 1 session, 2 user, 3 the user's memberships, 4 the organization within the user's scope,
    # 5 the members with their users, 6 the access-log row, 7 province, district and parent
    with django_assert_num_queries(7):
        client.get(url(cast.lgo))


def test_it_rejects_post(cast, client):
    client.force_login(cast.viewer)
    assert client.post(url(cast.lgo)).status_code == 405
