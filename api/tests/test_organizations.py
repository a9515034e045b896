"""The organization directory: GET /api/v1/organizations, /{id} and /{id}/children."""

import pytest
from django.utils import translation

from orgs.actions import create_organization
from orgs.models import Kind, Organization


def names(resp):
    return [o["name_th"] for o in resp.json()["items"]]


@pytest.fixture
def signed_in(cast, client):
    client.force_login(cast.planner)
    return client


def test_it_lists_every_active_organization_by_name(cast, signed_in):
    create_organization(
        kind=Kind.SAO, name_th="องค์การบริหารส่วนตำบลยุบแล้ว", parent=cast.district, is_active=False
    )

    resp = signed_in.get("/api/v1/organizations")

    assert resp.status_code == 200
    body = resp.json()
    assert body["count"] == Organization.objects.filter(is_active=True).count() == 12
    assert names(resp) == sorted(names(resp))
    assert "องค์การบริหารส่วนตำบลยุบแล้ว" not in names(resp)


def test_it_gives_the_public_facts_of_an_organization(cast, signed_in):
    resp = signed_in.get("/api/v1/organizations", {"q": "6540112"}, headers={"Accept-Language": "en"})

    [lgo] = resp.json()["items"]
    assert lgo == {
        "id": cast.lgo.pk,
        "kind": "subdistrict_admin_org",
        "kind_label": "Subdistrict Administrative Organization",
        "name_th": "องค์การบริหารส่วนตำบลป่าแดง",
        "name_en": "",
        "short_name_th": "",
        "parent_id": cast.district.pk,
        "province_id": cast.province.pk,
        "district_id": cast.district.pk,
        "geocode": "",
        "dla_code": "6540112",
        "letter_prefix": "",
        "address": "",
        "postal_code": "",
        "phone": "054 000 001",
        "email": "",
        "website": "",
        "latitude": None,
        "longitude": None,
    }


def test_it_keeps_a_fixed_number_of_queries_whatever_the_page_size(
    cast, signed_in, django_assert_num_queries
):
    for i in range(30):
        create_organization(kind=Kind.SAO, name_th=f"อบต.ทดสอบ {i:02d}", parent=cast.district)

    for limit in (1, 40):
        with django_assert_num_queries(4):
            # 1. the session; 2. the signed-in user; 3. COUNT of the matches; 4. the page itself
            resp = signed_in.get("/api/v1/organizations", {"limit": limit})
        assert len(resp.json()["items"]) == limit


def test_it_filters_by_one_or_several_kinds(cast, signed_in):
    resp = signed_in.get("/api/v1/organizations", {"kind": ["district", "subdistrict_municipality"]})

    assert set(names(resp)) == {"อำเภอเมืองแพร่", "อำเภอลอง", "อำเภอเมืองน่าน", "เทศบาลตำบลช่อแฮ"}


def test_it_rejects_an_unknown_kind(cast, signed_in):
    resp = signed_in.get("/api/v1/organizations", {"kind": "castle"})

    assert resp.status_code == 422


def test_it_filters_local_governments_of_a_province(cast, signed_in):
    resp = signed_in.get("/api/v1/organizations", {"province": cast.province.pk, "lgo_only": "true"})

    assert set(names(resp)) == {"องค์การบริหารส่วนตำบลป่าแดง", "เทศบาลตำบลช่อแฮ", "องค์การบริหารส่วนตำบลห้วยอ้อ"}


def test_it_filters_by_district_and_by_parent(cast, signed_in):
    by_district = signed_in.get("/api/v1/organizations", {"district": cast.other_district.pk})
    by_parent = signed_in.get("/api/v1/organizations", {"parent": cast.dla.pk})

    assert names(by_district) == ["องค์การบริหารส่วนตำบลห้วยอ้อ", "อำเภอลอง"]
    assert set(names(by_parent)) == {"จังหวัดแพร่", "จังหวัดน่าน"}


def test_it_searches_thai_names(cast, signed_in):
    resp = signed_in.get("/api/v1/organizations", {"q": "ช่อแฮ"})

    assert names(resp) == ["เทศบาลตำบลช่อแฮ"]


def test_it_searches_english_names_and_geocodes(cast, signed_in):
    assert names(signed_in.get("/api/v1/organizations", {"q": "phrae"})) == ["จังหวัดแพร่"]
    assert names(signed_in.get("/api/v1/organizations", {"q": "5403"})) == ["อำเภอลอง"]


def test_it_narrows_to_organizations_whose_private_data_the_caller_may_read(cast, client):
    client.force_login(cast.district_officer)

    resp = client.get("/api/v1/organizations", {"scope": "mine"})

    assert set(names(resp)) == {"อำเภอเมืองแพร่", "องค์การบริหารส่วนตำบลป่าแดง", "เทศบาลตำบลช่อแฮ"}


def test_it_pages_with_limit_and_offset(cast, signed_in):
    everything = names(signed_in.get("/api/v1/organizations", {"limit": 500}))

    page = signed_in.get("/api/v1/organizations", {"limit": 3, "offset": 3})

    assert names(page) == everything[3:6]
    assert page.json()["count"] == len(everything)


def test_it_refuses_pages_over_500_rows(cast, signed_in):
    resp = signed_in.get("/api/v1/organizations", {"limit": 501})

    assert resp.status_code == 422


def test_it_labels_kinds_in_the_requested_language(cast, signed_in):
    url = f"/api/v1/organizations/{cast.lgo.pk}"

    english = signed_in.get(url, headers={"Accept-Language": "en"})
    thai = signed_in.get(url, headers={"Accept-Language": "th"})

    assert english.json()["kind_label"] == "Subdistrict Administrative Organization"
    with translation.override("th"):
        assert thai.json()["kind_label"] == str(Kind.SAO.label)


def test_it_shows_one_organization_with_its_number_of_children(cast, signed_in):
    resp = signed_in.get(f"/api/v1/organizations/{cast.district.pk}")

    assert resp.status_code == 200
    assert resp.json()["name_th"] == "อำเภอเมืองแพร่"
    assert resp.json()["children_count"] == 2


def test_it_answers_404_for_an_unknown_organization(cast, signed_in):
    assert signed_in.get("/api/v1/organizations/999999").status_code == 404
    assert signed_in.get("/api/v1/organizations/999999/children").status_code == 404


def test_it_lists_the_direct_children_of_an_organization(cast, signed_in):
    resp = signed_in.get(f"/api/v1/organizations/{cast.province.pk}/children")

    assert resp.status_code == 200
    assert set(names(resp)) == {
        "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดแพร่",
        "อำเภอเมืองแพร่",
        "อำเภอลอง",
    }


def test_the_directory_never_shows_members(cast, signed_in):
    # Other local governments' directory entries are public; their people are not.
    resp = signed_in.get(f"/api/v1/organizations/{cast.lgo_other_province.pk}")

    assert resp.status_code == 200
    assert cast.far_planner.full_name not in resp.content.decode()
    assert cast.far_planner.phone not in resp.content.decode()
