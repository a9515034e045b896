"""The organization page at /orgs/<pk>/: public facts for everyone, members only for insiders."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from audit.models import AccessLog


def url(org):
    return f"/orgs/{org.pk}/"


def test_it_shows_the_public_facts(cast, client):
    cast.lgo.name_en = "Pa Daeng SAO"
    cast.lgo.address = "หมู่ 3 ตำบลป่าแดง"
    cast.lgo.postal_code = "54000"
    cast.lgo.email = "saraban@padaeng.go.th"
    cast.lgo.latitude, cast.lgo.longitude = Decimal("18.123456"), Decimal("100.123456")
    cast.lgo.save()
    client.force_login(cast.far_planner)  # an outsider: the facts are public
    body = client.get(url(cast.lgo)).content.decode()
    for text in ["องค์การบริหารส่วนตำบลป่าแดง", "Pa Daeng SAO", "6540112", "หมู่ 3 ตำบลป่าแดง", "54000",
                 "0 5400 0001", "saraban@padaeng.go.th"]:  # fmt: skip
        assert text in body
    assert "https://www.openstreetmap.org/?mlat=18.123456&amp;mlon=100.123456" in body


def test_it_shows_the_parent_chain_as_breadcrumbs(cast, client):
    client.force_login(cast.planner)
    resp = client.get(url(cast.lgo))
    assert resp.context["ancestors"] == [cast.province, cast.district]
    body = resp.content.decode()
    assert f'href="/orgs/{cast.province.pk}/"' in body
    assert f'href="/orgs/{cast.district.pk}/"' in body


def test_it_lists_the_organizations_under_a_district(cast, client):
    client.force_login(cast.planner)
    resp = client.get(url(cast.district))
    assert resp.context["children"] == [cast.lgo_same_district, cast.lgo]
    assert f"/orgs/?district={cast.district.pk}" in resp.content.decode()


def test_it_links_a_province_to_the_directory(cast, client):
    client.force_login(cast.planner)
    resp = client.get(url(cast.province))
    assert cast.district in resp.context["children"]
    assert cast.provincial_office in resp.context["children"]
    assert f"/orgs/?province={cast.province.pk}" in resp.content.decode()


def test_it_shows_the_members_to_the_organizations_own_viewer(cast, client):
    client.force_login(cast.viewer)
    body = client.get(url(cast.lgo)).content.decode()
    assert "นางสาวพิมพ์ใจ วางแผน" in body
    assert "081 111 1111" in body
    assert "planner@example.test" in body


def test_it_hides_the_members_from_a_planner_of_another_local_government(cast, client):
    client.force_login(cast.other_planner)
    resp = client.get(url(cast.lgo))
    assert resp.status_code == 200
    body = resp.content.decode()
    for secret in ["นางสาวพิมพ์ใจ วางแผน", "0811111111", "081 111 1111", "planner@example.test", "นายดู ข้อมูล"]:
        assert secret not in body
    assert f"/orgs/{cast.lgo.pk}/members/" not in body
    assert not AccessLog.objects.exists()


def test_it_shows_the_members_to_the_district_officer_above(cast, client):
    client.force_login(cast.district_officer)
    body = client.get(url(cast.lgo)).content.decode()
    assert "นางสาวพิมพ์ใจ วางแผน" in body


def test_it_writes_one_access_log_row_when_it_shows_contacts(cast, client):
    client.force_login(cast.district_officer)
    client.get(url(cast.lgo))
    log = AccessLog.objects.get()
    assert log.actor == cast.district_officer
    assert log.organization == cast.lgo
    assert log.what == "member_contacts"
    assert log.object_type == "orgs.membership"
    assert len(log.object_ids) == 4  # planner, viewer, approver, org admin


def test_it_writes_no_access_log_row_when_there_is_nobody_to_show(cast, client):
    client.force_login(cast.province_officer)
    client.get(url(cast.lgo_same_district))
    assert not AccessLog.objects.exists()


def test_it_offers_the_invitation_links_to_the_organization_admin_only(cast, client):
    invite = reverse("accounts:invite", args=[cast.lgo.pk])
    client.force_login(cast.org_admin)
    assert invite in client.get(url(cast.lgo)).content.decode()
    client.force_login(cast.planner)
    assert invite not in client.get(url(cast.lgo)).content.decode()


def test_it_answers_a_missing_organization_with_404(cast, client):
    client.force_login(cast.planner)
    assert client.get("/orgs/999999/").status_code == 404


def test_it_answers_with_a_fixed_number_of_queries(cast, client, django_assert_num_queries):
    client.force_login(cast.viewer)
    # 1 session, 2 user, 3 the organization, 4 its province, district and parent, 5 earlier DLA codes,
    # 6 the user's memberships (for the access check), 7 may the user see the members?,
    # 8 the members with their users, 9 the access-log row
    with django_assert_num_queries(9):
        client.get(url(cast.lgo))
