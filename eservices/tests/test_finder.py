"""The office finder: loading subdistricts from the shared data, searching, and who serves a place."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from eservices import geo
from eservices.geo_models import Coverage, CoverageSource, Subdistrict
from orgs.actions import create_organization
from orgs.models import Kind

pytestmark = pytest.mark.django_db

SUBDISTRICTS_HEADER = "subdistrict_code,district_code,province_code,name_th,name_en,postal_code,lat,lon\n"
LGO_HEADER = "dla_code,lgo_type,name_th,district_code,namesake_subdistrict_code\n"


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def mueang(cast):
    """The cast's district of Mueang Phrae with a town municipality and an SAO named after a subdistrict."""
    town = create_organization(
        kind=Kind.TOWN_MUNICIPALITY, name_th="เทศบาลเมืองแพร่", parent=cast.district, dla_code="4540102",
        phone="054511411",
    )  # fmt: skip
    pao = create_organization(
        kind=Kind.PAO, name_th="องค์การบริหารส่วนจังหวัดแพร่", parent=cast.district, dla_code="2540101"
    )
    return {"town": town, "pao": pao}


def write_data(tmp_path: Path, cast, subdistricts: str, lgos: str, *, national=False) -> Path:
    folder = tmp_path / ("thailand" if national else "phrae")
    folder.mkdir(parents=True)
    (folder / ("subdistricts.csv" if national else "phrae_subdistricts.csv")).write_text(
        SUBDISTRICTS_HEADER + subdistricts, encoding="utf-8"
    )
    (folder / ("lgo_dla.csv" if national else "phrae_lgo.csv")).write_text(
        LGO_HEADER + lgos, encoding="utf-8"
    )
    return tmp_path


def small_phrae(tmp_path, cast):
    subdistricts = (
        "540101,5401,54,ในเวียง,Nai Wiang,54000,18.14,100.142\n"
        "540104,5401,54,ป่าแดง,Pa Daeng,54000,18.063,100.316\n"
        "540118,5401,54,ช่อแฮ,Cho Hae,54000,,\n"
        "540301,5403,54,ห้วยอ้อ,Huai O,54150,,\n"
        "550101,5501,55,ในเวียง,Nai Wiang,55000,,\n"
        "990101,9901,99,ไม่มีอำเภอ,Nowhere,99000,,\n"
    )
    lgos = (
        "4540102,town_municipality,แพร่,5401,\n"
        f"{cast.lgo.dla_code},subdistrict_admin_org,ป่าแดง,5401,540104\n"
        f"{cast.lgo_same_district.dla_code},subdistrict_municipality,ช่อแฮ,5401,540118\n"
        f"{cast.lgo_other_district.dla_code},subdistrict_admin_org,ห้วยอ้อ,5403,540301\n"
    )
    return write_data(tmp_path, cast, subdistricts, lgos)


def test_the_loader_links_namesakes_and_the_town_municipality(cast, mueang, tmp_path):
    data = small_phrae(tmp_path, cast)

    result = geo.load_subdistricts(data, scope="phrae")

    assert result.subdistricts_created == 5  # 990101's district is not in the database
    assert result.skipped_no_district == 1
    pa_daeng = Subdistrict.objects.get(code="540104")
    assert pa_daeng.district == cast.district and pa_daeng.postal_code == "54000"
    assert str(pa_daeng.latitude) == "18.063000"
    pairs = set(Coverage.objects.values_list("org__name_th", "subdistrict__code", "source"))
    assert pairs == {
        ("องค์การบริหารส่วนตำบลป่าแดง", "540104", CoverageSource.NAMESAKE),
        ("เทศบาลตำบลช่อแฮ", "540118", CoverageSource.NAMESAKE),
        ("องค์การบริหารส่วนตำบลห้วยอ้อ", "540301", CoverageSource.NAMESAKE),
        ("เทศบาลเมืองแพร่", "540101", CoverageSource.MUNICIPALITY),
    }


def test_a_second_load_changes_nothing_and_keeps_confirmed_coverage(cast, mueang, tmp_path):
    data = small_phrae(tmp_path, cast)
    geo.load_subdistricts(data, scope="phrae")
    confirmed = Coverage.objects.create(
        org=mueang["town"],
        subdistrict=Subdistrict.objects.get(code="540104"),
        source=CoverageSource.CONFIRMED,
    )

    again = geo.load_subdistricts(data, scope="phrae")

    assert (again.subdistricts_created, again.subdistricts_updated, again.subdistricts_unchanged) == (0, 0, 5)
    assert (again.coverage_created, again.coverage_removed) == (0, 0)
    assert Coverage.objects.filter(pk=confirmed.pk).exists()


def test_national_files_are_matched_by_name_within_the_district(cast, mueang, tmp_path):
    data = write_data(
        tmp_path, cast,
        "540104,5401,54,ป่าแดง,Pa Daeng,54000,,\n540105,5401,54,ทุ่งโฮ้ง,Thung Hong,54000,,\n",
        f"{cast.lgo.dla_code},subdistrict_admin_org,ป่าแดง,5401,\n",
        national=True,
    )  # fmt: skip

    geo.load_subdistricts(data)

    assert set(Coverage.objects.values_list("subdistrict__code", "source")) == {
        ("540104", CoverageSource.NAMESAKE),
        ("540105", CoverageSource.MUNICIPALITY),  # no namesake: the town municipality of the district
    }


def test_the_real_phrae_files_load_78_subdistricts(cast):
    data = Path(settings.PHROM_DATA_DIR)
    if geo.available_scope(data) is None:
        pytest.skip(f"no shared data under {data}")
    for code, name in [("5402", "อำเภอร้องกวาง"), ("5404", "อำเภอสูงเม่น"), ("5405", "อำเภอเด่นชัย"),
                       ("5406", "อำเภอสอง"), ("5407", "อำเภอวังชิ้น"), ("5408", "อำเภอหนองม่วงไข่")]:  # fmt: skip
        create_organization(kind=Kind.DISTRICT, name_th=name, parent=cast.province, geocode=code)

    result = geo.load_subdistricts(data, scope="phrae")

    assert result.subdistricts_created == 78
    assert Subdistrict.objects.get(code="540104").name_en == "Pa Daeng"


def test_a_missing_data_directory_is_a_clear_error(tmp_path):
    with pytest.raises(geo.GeoLoadError, match="PHROM_DATA_DIR"):
        geo.load_subdistricts(tmp_path / "nowhere")


def test_the_demo_step_skips_politely_without_data(settings, tmp_path):
    settings.PHROM_DATA_DIR = str(tmp_path)

    assert "skipped" in geo.demo_step(None)


def test_the_command_loads_and_reports(cast, mueang, tmp_path, capsys):
    data = small_phrae(tmp_path, cast)

    call_command("load_subdistricts", "--phrae", "--data-dir", str(data))

    out = capsys.readouterr().out
    assert "5 new" in out and "1 subdistricts skipped" in out


@pytest.mark.parametrize(
    ("typed", "tokens"),
    [
        ("ต.ป่าแดง", ["ป่าแดง"]),
        ("ตำบล ป่าแดง อำเภอเมืองแพร่", ["ป่าแดง", "เมืองแพร่"]),
        ("ต. ป่าแดง  อ.เมืองแพร่ จ.แพร่", ["ป่าแดง", "เมืองแพร่", "แพร่"]),
        ("  ป่าแดง ", ["ป่าแดง"]),
        ("อบต.ป่าแดง", ["ป่าแดง"]),
    ],
)
def test_place_names_lose_their_prefixes_and_spaces(typed, tokens):
    assert geo.place_tokens(typed) == tokens


def test_search_is_tolerant_of_spaces_prefixes_and_english(cast, mueang, tmp_path):
    geo.load_subdistricts(small_phrae(tmp_path, cast), scope="phrae")

    assert [s.code for s in geo.search_places("ป่า แดง").subdistricts] == ["540104"]
    assert [s.code for s in geo.search_places("ต.ป่าแดง อ.เมืองแพร่").subdistricts] == ["540104"]
    assert [s.code for s in geo.search_places("pa daeng").subdistricts] == ["540104"]
    assert [o.pk for o in geo.search_places("ป่าแดง").lgos] == [cast.lgo.pk]
    # Two ในเวียง: the district narrows it down.
    assert {s.code for s in geo.search_places("ในเวียง").subdistricts} == {"540101", "550101"}
    assert [s.code for s in geo.search_places("ในเวียง เมืองแพร่").subdistricts] == ["540101"]
    assert [s.code for s in geo.search_places("ในเวียง อ.เมืองน่าน").subdistricts] == ["550101"]


def test_who_serves_explains_each_situation(cast, mueang, tmp_path):
    geo.load_subdistricts(small_phrae(tmp_path, cast), scope="phrae")

    pa_daeng = geo.who_serves(Subdistrict.objects.get(code="540104"))
    assert pa_daeng.situation == "one"
    assert [c.org for c in pa_daeng.candidates] == [cast.lgo]
    assert pa_daeng.pao == mueang["pao"]
    assert set(pa_daeng.municipalities) == {mueang["town"], cast.lgo_same_district}

    nai_wiang = geo.who_serves(Subdistrict.objects.get(code="540101"))
    assert nai_wiang.situation == "municipality"
    assert [c.org for c in nai_wiang.candidates] == [mueang["town"]]

    Coverage.objects.create(
        org=mueang["town"], subdistrict=Subdistrict.objects.get(code="540104"), source=CoverageSource.NAMESAKE
    )
    assert geo.who_serves(Subdistrict.objects.get(code="540104")).situation == "several"


# -- the page --------------------------------------------------------------------------------------


def test_a_citizen_picks_province_district_subdistrict_without_javascript(client, cast, mueang, tmp_path):
    geo.load_subdistricts(small_phrae(tmp_path, cast), scope="phrae")

    page = client.get("/services/").content.decode()
    assert f'<option value="{cast.province.pk}">จังหวัดแพร่</option>' in page
    page = client.get("/services/", {"province": cast.province.pk}).content.decode()
    assert 'id="pick-district"' in page and "อำเภอเมืองแพร่" in page and 'id="pick-subdistrict"' not in page
    page = client.get(
        "/services/", {"province": cast.province.pk, "district": cast.district.pk}
    ).content.decode()
    assert 'id="pick-subdistrict"' in page and "ป่าแดง" in page
    page = client.get(
        "/services/", {"province": cast.province.pk, "district": cast.district.pk, "subdistrict": "540104"}
    ).content.decode()

    assert "Who serves subdistrict ป่าแดง" in page
    assert f'href="/services/{cast.lgo.pk}/"' in page
    assert "Named after the subdistrict" in page
    assert "For the whole province:" in page and f'href="/services/{mueang["pao"].pk}/"' in page


def test_a_search_result_links_to_the_answer(client, cast, mueang, tmp_path):
    geo.load_subdistricts(small_phrae(tmp_path, cast), scope="phrae")

    page = client.get("/services/", {"q": "ต.ป่าแดง"}).content.decode()
    assert 'href="/services/?subdistrict=540104"' in page
    answer = client.get("/services/", {"subdistrict": "540104"}).content.decode()

    assert "Who serves subdistrict ป่าแดง" in answer
    assert f'<option value="{cast.district.pk}" selected>' in answer  # the selects follow the answer


def test_several_candidates_are_shown_with_the_honest_explanation(client, cast, mueang, tmp_path):
    geo.load_subdistricts(small_phrae(tmp_path, cast), scope="phrae")
    Coverage.objects.create(
        org=mueang["town"], subdistrict=Subdistrict.objects.get(code="540104"), source=CoverageSource.NAMESAKE
    )

    page = client.get("/services/", {"subdistrict": "540104"}).content.decode()

    assert "The municipality (เทศบาล) covers part of it" in page
    assert page.count('class="org-choice"') >= 2


def test_without_subdistricts_the_district_lists_its_local_governments(client, cast, mueang):
    page = client.get(
        "/services/", {"province": cast.province.pk, "district": cast.district.pk}
    ).content.decode()

    assert "Subdistricts are not loaded on this server" in page
    for org in (cast.lgo, cast.lgo_same_district, mueang["town"]):
        assert f'href="/services/{org.pk}/"' in page


def test_nothing_found_says_what_to_try(client, cast):
    page = client.get("/services/", {"q": "ไม่มีที่นี่แน่นอน"}).content.decode()

    assert "Nothing matches" in page


def test_the_htmx_request_gets_the_same_page_for_hx_select(client, cast, mueang):
    resp = client.get("/services/", {"province": cast.province.pk}, HTTP_HX_REQUEST="true")

    assert resp.status_code == 200
    assert 'id="finder-dependent"' in resp.content.decode()
