"""The home page: what each kind of user sees first, and the language switch."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from accounts.models import User
from orgs.models import ROLE_HELP, Kind, Role


@pytest.fixture(autouse=True)
def english(settings):
    """Assert on the English source strings, whatever the Thai catalogue says."""
    settings.LANGUAGE_CODE = "en"


def home(client, user):
    client.force_login(user)
    resp = client.get("/")
    assert resp.status_code == 200
    return resp, resp.content.decode()


def test_it_requires_sign_in(client, db):
    assert client.get("/").status_code == 302


def test_it_shows_a_planner_their_organization_and_role(cast, client):
    resp, body = home(client, cast.planner)
    assert resp.context["org"] == cast.lgo
    assert "องค์การบริหารส่วนตำบลป่าแดง" in body
    assert "อำเภอเมืองแพร่" in body and "จังหวัดแพร่" in body
    assert "Subdistrict Administrative Organization" in body
    assert escape(str(ROLE_HELP[Role.PLANNER])) in body
    assert resp.context["member_count"] == 4
    assert f'href="/orgs/{cast.lgo.pk}/"' in body
    assert f'href="/orgs/{cast.lgo.pk}/members/"' in body


def test_it_shows_an_approver_what_approving_means(cast, client):
    _resp, body = home(client, cast.approver)
    assert escape(str(ROLE_HELP[Role.APPROVER])) in body


def test_it_offers_the_organization_admin_an_invitation_link(cast, client):
    invite = reverse("accounts:invite", args=[cast.lgo.pk])
    _resp, body = home(client, cast.org_admin)
    assert invite in body
    assert escape(str(ROLE_HELP[Role.ADMIN])) in body
    _resp, body = home(client, cast.viewer)
    assert invite not in body


def test_it_shows_a_district_officer_the_local_governments_of_the_district(cast, client):
    resp, body = home(client, cast.district_officer)
    assert resp.context["scope"]["total"] == 2
    assert dict((c.kind, n) for c, n in resp.context["scope"]["kinds"]) == {
        Kind.SUBDISTRICT_MUNICIPALITY: 1,
        Kind.SAO: 1,
    }
    assert resp.context["district_lgos"] == [cast.lgo_same_district, cast.lgo]
    assert "องค์การบริหารส่วนตำบลห้วยอ้อ" not in body  # another district
    assert f"/orgs/?district={cast.district.pk}" in body


def test_it_shows_a_province_officer_the_local_governments_by_district(cast, client):
    resp, body = home(client, cast.province_officer)
    table = resp.context["district_table"]
    assert {r.org: r.total for r in table.rows} == {cast.district: 2, cast.other_district: 1}
    assert resp.context["scope"]["total"] == 3
    assert f"/orgs/?district={cast.other_district.pk}" in body
    assert "อำเภอเมืองน่าน" not in body  # another province


def test_it_shows_the_opdc_reviewer_the_whole_country(cast, client):
    resp, body = home(client, cast.opdc_reviewer)
    assert resp.context["scope"]["total"] == 4
    assert "every local government in the country" in body


def test_it_answers_an_overseer_with_a_fixed_number_of_queries(cast, client, django_assert_num_queries):
    client.force_login(cast.province_officer)
    # 1 session, 2 user, 3 memberships, 4 province, district and parent of the office, 5 members count,
    # 6 unread directives, 7 local governments by type, 8 the districts, 9 local governments by district
    # and type
    with django_assert_num_queries(9):
        client.get("/")


def test_it_shows_the_site_admin_the_admin_link_and_national_counts(cast, client):
    resp, body = home(client, cast.site_admin)
    assert 'href="/admin/"' in body
    national = resp.context["national"]
    assert (national["provinces"], national["districts"], national["total"]) == (2, 3, 4)
    assert "You are not a member" not in body


def test_it_tells_a_user_without_membership_to_ask_for_an_invitation(db, client):
    newcomer = User.objects.create_user(
        username="newcomer", password="x-pass-12345", full_name="นางสาวใหม่ เพิ่งมา"
    )
    _resp, body = home(client, newcomer)
    assert "You are not a member of an organization yet" in body
    assert "invitation" in body
    assert 'href="/orgs/"' in body


def test_it_has_a_skip_link_landmarks_and_the_data_attribution(cast, client):
    _resp, body = home(client, cast.planner)
    assert '<a class="skip-link" href="#main">' in body
    assert '<main id="main"' in body
    assert "<header" in body and "<footer" in body and "<nav" in body
    assert "DLA Open Data" in body


def test_it_signs_out_with_a_post_form(cast, client):
    _resp, body = home(client, cast.planner)
    assert f'<form method="post" action="{reverse("accounts:logout")}">' in body


def test_it_speaks_thai_by_default(cast, client, settings):
    settings.LANGUAGE_CODE = "th"
    _resp, body = home(client, cast.planner)
    assert '<html lang="th">' in body


def test_it_switches_to_english(cast, client, settings):
    settings.LANGUAGE_CODE = "th"
    client.force_login(cast.planner)
    resp = client.post("/i18n/setlang/", {"language": "en", "next": "/orgs/"})
    assert resp.status_code == 302
    assert resp["Location"] == "/orgs/"
    body = client.get("/").content.decode()
    assert '<html lang="en">' in body
    assert "Welcome," in body
    assert 'value="en" lang="en" aria-current="true"' in body


def test_a_local_government_member_finds_the_plans_from_home(cast, client):
    from django.urls import reverse

    client.force_login(cast.planner)
    assert reverse("plans:org_plans", args=[cast.lgo.pk]) in client.get("/").content.decode()


def test_the_home_page_counts_directives_nobody_has_opened_yet(cast, client):
    from directives.models import Directive, DirectiveStatus, Recipient

    d = Directive.objects.create(issuer=cast.district, subject="ทบทวนแผน", status=DirectiveStatus.ISSUED)
    d.root = d
    d.save(update_fields=["root"])
    Recipient.objects.create(directive=d, org=cast.lgo)
    client.force_login(cast.planner)
    body = client.get("/").content.decode()
    assert 'class="badge badge-danger">1</span>' in body

    Recipient.objects.filter(directive=d).update(acknowledged_at="2026-01-01T00:00:00Z")
    body = client.get("/").content.decode()
    assert 'class="badge badge-danger">' not in body
