"""The organization directory at /orgs/: provinces → districts → local governments, and search."""

from __future__ import annotations

import pytest

from accounts.models import User
from orgs.actions import create_organization
from orgs.models import Kind, Organization
from orgs.views import SEARCH_LIMIT

URL = "/orgs/"


def make_tree(provinces: int, districts: int, lgos: int):
    """provinces × districts × lgos local governments (half อบต., half ทต.), each province with its office."""
    dla = create_organization(kind=Kind.DLA, name_th="กรมส่งเสริมการปกครองท้องถิ่น")
    code = 6000000
    first_province = first_district = None
    for p in range(provinces):
        province = create_organization(kind=Kind.PROVINCE, name_th=f"จังหวัดทดสอบ{p}", parent=dla)
        create_organization(kind=Kind.PROVINCIAL_OFFICE, name_th=f"สถจ.ทดสอบ{p}", parent=province)
        create_organization(kind=Kind.PAO, name_th=f"อบจ.ทดสอบ{p}", parent=province)
        first_province = first_province or province
        for d in range(districts):
            district = create_organization(kind=Kind.DISTRICT, name_th=f"อำเภอทดสอบ{p}-{d}", parent=province)
            first_district = first_district or district
            rows = []
            for i in range(lgos):
                code += 1
                kind = Kind.SAO if i % 2 else Kind.SUBDISTRICT_MUNICIPALITY
                rows.append(
                    Organization(
                        kind=kind,
                        name_th=f"หน่วยทดสอบ{p}-{d}-{i}",
                        parent=district,
                        dla_code=str(code),
                        province_id=province.pk,
                        district_id=district.pk,
                    )  # fmt: skip
                )
            Organization.objects.bulk_create(rows)
    return first_province, first_district


@pytest.fixture(params=[1, 3], ids=["3x3x5", "9x9x15"])
def tree(request, db):
    """A small tree and one three times larger in every direction: query counts must not change."""
    n = request.param
    return make_tree(3 * n, 3 * n, 5 * n)


@pytest.fixture
def reader(db, client):
    """Any signed-in user: the directory is public-sector information."""
    user = User.objects.create_user(username="reader", password="x-pass-12345")
    client.force_login(user)
    return user


def test_it_requires_sign_in(client, db):
    resp = client.get(URL)
    assert resp.status_code == 302
    assert "/accounts/login/" in resp["Location"]


def test_it_lists_provinces_with_their_local_government_counts(cast, client):
    client.force_login(cast.planner)
    resp = client.get(URL)
    assert resp.status_code == 200
    table = resp.context["table"]
    counts = {row.org.name_th: row.total for row in table.rows}
    assert counts == {"จังหวัดแพร่": 3, "จังหวัดน่าน": 1}
    assert table.total == 4
    assert f"?province={cast.province.pk}" in resp.content.decode()


@pytest.mark.parametrize("language", ["th", "en"])  # English shows English names too
def test_it_answers_the_whole_country_with_a_fixed_number_of_queries(
    tree, reader, client, django_assert_num_queries, language
):
    client.cookies["django_language"] = language
    # 1 session, 2 user, 3 the provinces, 4 local governments per province and type (one GROUP BY)
    with django_assert_num_queries(4):
        resp = client.get(URL)
    assert resp.status_code == 200


def test_it_lists_a_provinces_districts_with_counts_by_type(cast, client):
    client.force_login(cast.planner)
    resp = client.get(URL, {"province": cast.province.pk})
    assert resp.status_code == 200
    rows = {row.org.name_th: row for row in resp.context["table"].rows}
    assert set(rows) == {"อำเภอเมืองแพร่", "อำเภอลอง"}
    columns = [c.kind for c in resp.context["table"].columns]
    mueang = dict(zip(columns, rows["อำเภอเมืองแพร่"].counts, strict=True))
    assert mueang == {Kind.SUBDISTRICT_MUNICIPALITY: 1, Kind.SAO: 1}


def test_it_shows_the_provincial_office_on_the_province_page(cast, client):
    client.force_login(cast.planner)
    resp = client.get(URL, {"province": cast.province.pk})
    assert cast.provincial_office in resp.context["provincial"]
    assert cast.provincial_office.name_th in resp.content.decode()


@pytest.mark.parametrize("language", ["th", "en"])  # English shows English names too
def test_it_answers_a_province_with_a_fixed_number_of_queries(
    tree, reader, client, django_assert_num_queries, language
):
    client.cookies["django_language"] = language
    province, _district = tree
    # 1 session, 2 user, 3 the province, 4 its districts, 5 local governments per district and type,
    # 6 the province-wide bodies (provincial office, อบจ.)
    with django_assert_num_queries(6):
        resp = client.get(URL, {"province": province.pk})
    assert resp.status_code == 200


def test_it_lists_the_local_governments_of_a_district(cast, client):
    client.force_login(cast.planner)
    resp = client.get(URL, {"district": cast.district.pk})
    assert resp.status_code == 200
    assert resp.context["orgs"] == [cast.lgo_same_district, cast.lgo]  # ทต. before อบต.
    body = resp.content.decode()
    assert "องค์การบริหารส่วนตำบลป่าแดง" in body
    assert "องค์การบริหารส่วนตำบลห้วยอ้อ" not in body  # another district


@pytest.mark.parametrize("language", ["th", "en"])  # English shows English names too
def test_it_answers_a_district_with_a_fixed_number_of_queries(
    tree, reader, client, django_assert_num_queries, language
):
    client.cookies["django_language"] = language
    _province, district = tree
    # 1 session, 2 user, 3 the district with its province, 4 its local governments
    with django_assert_num_queries(4):
        resp = client.get(URL, {"district": district.pk})
    assert resp.status_code == 200


@pytest.mark.parametrize("language", ["th", "en"])  # English shows English names too
def test_it_answers_a_search_with_a_fixed_number_of_queries(
    tree, reader, client, django_assert_num_queries, language
):
    client.cookies["django_language"] = language
    # 1 session, 2 user, 3 the matches with their province and district (at most 101 rows)
    with django_assert_num_queries(3):
        resp = client.get(URL, {"q": "หน่วยทดสอบ"})
    assert resp.status_code == 200


def test_it_finds_a_local_government_by_its_thai_name(cast, client):
    client.force_login(cast.planner)
    resp = client.get(URL, {"q": "ป่าแดง"})
    assert resp.context["level"] == "search"
    assert resp.context["orgs"] == [cast.lgo]


def test_it_finds_a_local_government_by_its_english_name(cast, client):
    cast.lgo_other_province.name_en = "Chai Sathan SAO"
    cast.lgo_other_province.save(update_fields=["name_en"])
    client.force_login(cast.planner)
    resp = client.get(URL, {"q": "chai sathan"})
    assert resp.context["orgs"] == [cast.lgo_other_province]


def test_it_finds_a_local_government_by_its_dla_code_in_thai_digits(cast, client):
    client.force_login(cast.planner)
    resp = client.get(URL, {"q": "๖๕๔๐๑๑๒"})
    assert resp.context["orgs"] == [cast.lgo]


def test_it_searches_the_whole_country(cast, client):
    client.force_login(cast.far_planner)
    resp = client.get(URL, {"q": "องค์การบริหารส่วนตำบล"})
    assert set(resp.context["orgs"]) == {cast.lgo, cast.lgo_other_district, cast.lgo_other_province}


def test_it_filters_by_type(cast, client):
    client.force_login(cast.planner)
    resp = client.get(URL, {"district": cast.district.pk, "kind": [Kind.SUBDISTRICT_MUNICIPALITY]})
    assert resp.context["orgs"] == [cast.lgo_same_district]
    resp = client.get(URL, {"q": "แพร่", "kind": [Kind.SAO, Kind.SUBDISTRICT_MUNICIPALITY]})
    assert resp.context["orgs"] == []  # neither name contains แพร่
    resp = client.get(URL, {"kind": [Kind.SUBDISTRICT_MUNICIPALITY]})
    assert [c.kind for c in resp.context["table"].columns] == [Kind.SUBDISTRICT_MUNICIPALITY]
    assert resp.context["table"].total == 1


def test_it_keeps_the_type_filter_in_its_links(cast, client):
    client.force_login(cast.planner)
    resp = client.get(URL, {"kind": [Kind.SAO]})
    assert f"?province={cast.province.pk}&amp;kind=subdistrict_admin_org" in resp.content.decode()


def test_it_limits_a_search_and_asks_to_refine_it(cast, client, settings):
    settings.LANGUAGE_CODE = "en"
    Organization.objects.bulk_create(
        Organization(kind=Kind.SAO, name_th=f"องค์การบริหารส่วนตำบลซ้ำ{i}", province_id=cast.province.pk)
        for i in range(SEARCH_LIMIT + 5)
    )
    client.force_login(cast.planner)
    resp = client.get(URL, {"q": "ซ้ำ"})
    assert len(resp.context["orgs"]) == SEARCH_LIMIT
    assert resp.context["more"] is True
    body = resp.content.decode()
    assert f"More than {SEARCH_LIMIT} organizations match" in body
    assert "Refine your search" in body


def test_it_answers_htmx_with_the_results_only(cast, client):
    client.force_login(cast.planner)
    resp = client.get(URL, {"q": "ป่าแดง"}, headers={"HX-Request": "true"})
    body = resp.content.decode()
    assert "<html" not in body
    assert "องค์การบริหารส่วนตำบลป่าแดง" in body
    assert 'id="results-status"' in body and 'hx-swap-oob="true"' in body
    assert "HX-Request" in resp["Vary"]


def test_it_answers_an_htmx_history_restore_with_the_whole_page(cast, client):
    client.force_login(cast.planner)
    resp = client.get(
        URL, {"q": "ป่าแดง"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in resp.content.decode()


def test_it_works_without_javascript_as_a_plain_form(cast, client):
    client.force_login(cast.planner)
    body = client.get(URL).content.decode()
    assert '<form class="search-panel" method="get" action="/orgs/"' in body
    assert 'hx-trigger="input changed delay:300ms, search"' in body
    assert 'type="checkbox" name="kind" value="subdistrict_admin_org"' in body


def test_it_answers_a_missing_province_with_404(cast, client):
    client.force_login(cast.planner)
    assert client.get(URL, {"province": 999999}).status_code == 404
    assert client.get(URL, {"province": cast.district.pk}).status_code == 404  # not a province
    assert client.get(URL, {"district": cast.province.pk}).status_code == 404  # not a district


def test_it_ignores_parameters_it_cannot_read(cast, client):
    client.force_login(cast.planner)
    resp = client.get(URL, {"province": "abc", "kind": "nonsense"})
    assert resp.status_code == 200
    assert resp.context["level"] == "country"


def test_it_shows_the_directory_to_a_user_without_membership(cast, client):
    client.force_login(cast.site_admin)
    assert client.get(URL, {"district": cast.far_district.pk}).status_code == 200
    newcomer = User.objects.create_user(username="newcomer", password="x-pass-12345")
    client.force_login(newcomer)
    resp = client.get(URL, {"district": cast.far_district.pk})
    assert resp.context["orgs"] == [cast.lgo_other_province]


def test_it_rejects_post(cast, client):
    client.force_login(cast.planner)
    assert client.post(URL).status_code == 405


def test_it_finds_a_local_government_by_a_code_it_had_before_an_upgrade(cast, client):
    from orgs.models import DlaCode

    DlaCode.objects.create(organization=cast.lgo_same_district, code="6540103", kind=Kind.SAO)
    client.force_login(cast.planner)
    resp = client.get(URL, {"q": "6540103"})
    assert resp.context["orgs"] == [cast.lgo_same_district]


def test_it_leaves_out_organizations_that_are_no_longer_active(cast, client):
    cast.lgo.is_active = False
    cast.lgo.save(update_fields=["is_active"])
    client.force_login(cast.planner)
    assert client.get(URL, {"district": cast.district.pk}).context["orgs"] == [cast.lgo_same_district]
    assert client.get(URL, {"q": "ป่าแดง"}).context["orgs"] == []
    assert client.get(URL).context["table"].total == 3
