"""The national loader: structure, idempotence, upgrades, errors, and the full-country load."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import F

from orgs.actions import create_organization
from orgs.loaders import LoadError, bare_lgo_name, is_upgrade, load_country
from orgs.models import DlaCode, Kind, Organization

pytestmark = pytest.mark.django_db

PROVINCE_COLUMNS = ["province_code", "name_th", "name_en", "iso3166_2", "name_en_source"]
DISTRICT_COLUMNS = ["district_code", "province_code", "name_th", "name_en", "postal_code", "name_en_source"]
LGO_COLUMNS = [
    "dla_code", "lgo_type", "lgo_type_th", "abbrev_th", "name_th", "full_name_th", "province_code",
    "province_name_th", "district_code", "district_name_th", "dla_first_row_district_th", "center_lat",
    "center_lon", "area_km2_dla", "area_suspect",
]  # fmt: skip
LGO_TYPE_TH = {
    "provincial_admin_org": ("องค์การบริหารส่วนจังหวัด", "อบจ."),
    "town_municipality": ("เทศบาลเมือง", "ทม."),
    "subdistrict_municipality": ("เทศบาลตำบล", "ทต."),
    "subdistrict_admin_org": ("องค์การบริหารส่วนตำบล", "อบต."),
}
# (code, type, name, district, lat, lon) — real Phrae rows, including the ทต./อบต. บ้านปิน namesakes.
SMALL_LGOS = [
    ("2540101", "provincial_admin_org", "แพร่", "5401", "18.15082444", "100.1576301"),
    ("4540102", "town_municipality", "แพร่", "5401", "18.14554591", "100.141781"),
    ("6540112", "subdistrict_admin_org", "เหมืองหม้อ", "5401", "", ""),
    ("6540115", "subdistrict_admin_org", "ป่าแดง", "5401", "18.1", "100.2"),
    ("5540301", "subdistrict_municipality", "บ้านปิน", "5403", "", ""),
    ("6540306", "subdistrict_admin_org", "บ้านปิน", "5403", "", ""),
]
DISTRICT_NAMES = {"5401": "เมืองแพร่", "5403": "ลอง"}


def lgo_row(code, lgo_type, name, district, lat="", lon=""):
    type_th, abbrev = LGO_TYPE_TH[lgo_type]
    return [
        code, lgo_type, type_th, abbrev, name, type_th + name, "54", "แพร่", district,
        DISTRICT_NAMES[district], DISTRICT_NAMES[district], lat, lon, "", "",
    ]  # fmt: skip


def write_csv(path: Path, header, rows, encoding="utf-8"):
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_small_dir(root: Path, lgos=SMALL_LGOS) -> Path:
    """Two provinces (Phrae and Bangkok), three districts and a handful of Phrae LGOs."""
    write_csv(
        root / "thailand/provinces.csv",
        PROVINCE_COLUMNS,
        [["10", "กรุงเทพมหานคร", "Bangkok", "TH-10", "tgj"], ["54", "แพร่", "Phrae", "TH-54", "tgj"]],
    )
    write_csv(
        root / "thailand/districts.csv",
        DISTRICT_COLUMNS,
        [
            ["1001", "10", "พระนคร", "Phra Nakhon", "10200", "tgj"],
            ["5401", "54", "เมืองแพร่", "Mueang Phrae", "54000", "tgj"],
            ["5403", "54", "ลอง", "Long", "54150", "tgj"],
        ],
    )
    write_csv(root / "thailand/lgo_dla.csv", LGO_COLUMNS, [lgo_row(*row) for row in lgos])
    return root


@pytest.fixture
def small_dir(tmp_path):
    return write_small_dir(tmp_path / "data")


def snapshot():
    return dict(Organization.objects.values_list("pk", "updated_at"))


# -- structure -----------------------------------------------------------------------------------


def test_small_load_builds_the_tree_with_denormalised_links(small_dir):
    result = load_country(small_dir)

    assert result.created == 2 + 2 + 1 + 3 + 6  # OPDC, DLA, 2 provinces, 1 office, 3 districts, 6 LGOs
    opdc = Organization.objects.get(kind=Kind.OPDC)
    dla = Organization.objects.get(kind=Kind.DLA)
    assert opdc.name_th == "สำนักงานคณะกรรมการพัฒนาระบบราชการ" and opdc.parent is None
    assert (opdc.province_id, opdc.district_id, dla.province_id, dla.district_id) == (None, None, None, None)

    phrae = Organization.objects.get(kind=Kind.PROVINCE, geocode="54")
    assert (phrae.name_th, phrae.name_en, phrae.parent_id) == ("จังหวัดแพร่", "Phrae", dla.pk)
    assert phrae.province_id == phrae.pk and phrae.district_id is None

    office = Organization.objects.get(kind=Kind.PROVINCIAL_OFFICE)
    assert office.name_th == "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดแพร่"
    assert (office.parent_id, office.province_id, office.district_id, office.geocode) == (
        phrae.pk, phrae.pk, None, "54",
    )  # fmt: skip

    mueang = Organization.objects.get(kind=Kind.DISTRICT, geocode="5401")
    assert (mueang.name_th, mueang.postal_code, mueang.parent_id) == ("อำเภอเมืองแพร่", "54000", phrae.pk)
    assert (mueang.province_id, mueang.district_id) == (phrae.pk, mueang.pk)

    town = Organization.objects.get(dla_code="4540102")
    assert town.kind == Kind.TOWN_MUNICIPALITY
    assert (town.name_th, town.short_name_th) == ("เทศบาลเมืองแพร่", "ทม.แพร่")
    assert (town.parent_id, town.province_id, town.district_id) == (mueang.pk, phrae.pk, mueang.pk)
    assert str(town.latitude) == "18.145546" and str(town.longitude) == "100.141781"
    assert Organization.objects.get(dla_code="6540112").latitude is None
    assert set(DlaCode.objects.values_list("code", flat=True)) == {row[0] for row in SMALL_LGOS}

    # Everything below Phrae, as the access rules see it.
    assert Organization.objects.within(phrae).lgos().count() == 6
    assert Organization.objects.within(mueang).lgos().count() == 4


def test_bangkok_is_a_province_with_districts_but_no_provincial_office(small_dir):
    load_country(small_dir)
    bangkok = Organization.objects.get(kind=Kind.PROVINCE, geocode="10")
    assert bangkok.name_th == "กรุงเทพมหานคร"  # not "จังหวัดกรุงเทพมหานคร"
    assert not Organization.objects.filter(kind=Kind.PROVINCIAL_OFFICE, province=bangkok).exists()
    khet = Organization.objects.get(kind=Kind.DISTRICT, geocode="1001")
    assert (khet.name_th, khet.province_id, khet.parent_id) == ("เขตพระนคร", bangkok.pk, bangkok.pk)


def test_namesakes_stay_two_organizations(small_dir):
    load_country(small_dir)
    ban_pin = Organization.objects.filter(name_th__endswith="บ้านปิน")
    assert sorted(ban_pin.values_list("dla_code", "kind")) == [
        ("5540301", Kind.SUBDISTRICT_MUNICIPALITY),
        ("6540306", Kind.SAO),
    ]


# -- idempotence ---------------------------------------------------------------------------------


def test_second_run_changes_nothing(small_dir):
    load_country(small_dir)
    before = snapshot()
    codes = DlaCode.objects.count()

    result = load_country(small_dir)

    assert (result.created, result.updated, result.codes_added) == (0, 0, 0)
    assert result.unchanged == len(before)
    assert snapshot() == before
    assert DlaCode.objects.count() == codes


def test_changed_field_updates_only_that_row(small_dir, tmp_path):
    load_country(small_dir)
    before = snapshot()
    rows = [r if r[0] != "6540115" else (*r[:4], "18.2", "100.3") for r in SMALL_LGOS]
    renamed = [r if r[0] != "6540112" else (r[0], r[1], "เหมืองหม้อใหม่", r[3], "", "") for r in rows]
    result = load_country(write_small_dir(tmp_path / "v2", renamed))

    # The rename is an update; the moved point of ป่าแดง is not (national points only fill gaps).
    assert (result.created, result.updated) == (0, 1)
    changed = {pk for pk, at in snapshot().items() if before[pk] != at}
    assert changed == {Organization.objects.get(dla_code="6540112").pk}
    assert str(Organization.objects.get(dla_code="6540115").latitude) == "18.100000"


# -- upgrades ------------------------------------------------------------------------------------


def upgraded(rows, old_code, new_code, new_type):
    return [(new_code, new_type, *r[2:]) if r[0] == old_code else r for r in rows]


def test_upgrade_sao_to_subdistrict_municipality_keeps_the_organization(small_dir, tmp_path):
    load_country(small_dir)
    sao = Organization.objects.get(dla_code="6540112")
    count = Organization.objects.count()

    v2 = write_small_dir(
        tmp_path / "v2", upgraded(SMALL_LGOS, "6540112", "5540112", "subdistrict_municipality")
    )
    result = load_country(v2)

    org = Organization.objects.get(pk=sao.pk)
    assert org.kind == Kind.SUBDISTRICT_MUNICIPALITY
    assert org.dla_code == "5540112"
    assert (org.name_th, org.short_name_th) == ("เทศบาลตำบลเหมืองหม้อ", "ทต.เหมืองหม้อ")
    assert (org.parent_id, org.province_id, org.district_id) == (
        sao.parent_id,
        sao.province_id,
        sao.district_id,
    )
    assert Organization.objects.count() == count
    assert sorted(org.dla_codes.values_list("code", "kind")) == [
        ("5540112", Kind.SUBDISTRICT_MUNICIPALITY),
        ("6540112", Kind.SAO),
    ]
    assert result.upgrades == [("6540112", "5540112", "เทศบาลตำบลเหมืองหม้อ")]
    assert (result.created, result.updated) == (0, 1)

    # Loading the new file again is a no-op; the old code still finds the organization.
    assert load_country(v2).changed is False
    assert DlaCode.objects.get(code="6540112").organization_id == sao.pk


def test_upgrade_is_not_a_merge_of_namesakes(small_dir, tmp_path):
    """ทต.บ้านปิน (5540301) and อบต.บ้านปิน (6540306): different running digits, never one body."""
    load_country(small_dir)
    # อบต.บ้านปิน becomes a ทต.: its new code keeps ITS running digits (06), not the ทต.'s (01).
    v2 = write_small_dir(
        tmp_path / "v2", upgraded(SMALL_LGOS, "6540306", "5540306", "subdistrict_municipality")
    )
    sao = Organization.objects.get(dla_code="6540306")
    tt = Organization.objects.get(dla_code="5540301")

    load_country(v2)

    assert Organization.objects.get(pk=sao.pk).dla_code == "5540306"
    assert Organization.objects.get(pk=tt.pk).dla_code == "5540301"
    assert Organization.objects.filter(name_th="เทศบาลตำบลบ้านปิน").count() == 2


def test_no_upgrade_when_the_old_code_is_still_listed_or_the_name_differs(small_dir, tmp_path):
    load_country(small_dir)
    count = Organization.objects.count()
    rows = [
        *SMALL_LGOS,
        # same digits as อบต.เหมืองหม้อ, which is still in the file: a new body, not an upgrade
        ("5540112", "subdistrict_municipality", "เหมืองหม้อ", "5401", "", ""),
        # same digits as อบต.ป่าแดง (gone from this file) but another name: not the same body
        ("5540115", "subdistrict_municipality", "ป่าแดงใหม่", "5401", "", ""),
    ]
    rows = [r for r in rows if r[0] != "6540115"]

    result = load_country(write_small_dir(tmp_path / "v2", rows))

    assert result.upgrades == []
    assert result.counts[Kind.SUBDISTRICT_MUNICIPALITY].created == 2
    assert Organization.objects.count() == count + 2
    assert Organization.objects.get(dla_code="6540112").kind == Kind.SAO
    # ป่าแดง is no longer in the file: reported, not deleted
    assert [o.dla_code for o in result.not_in_source] == ["6540115"]
    assert Organization.objects.filter(dla_code="6540115").exists()


def test_upgrade_of_an_organization_made_by_hand_records_its_old_code(small_dir, tmp_path):
    load_country(small_dir)
    district = Organization.objects.get(kind=Kind.DISTRICT, geocode="5403")
    hand_made = create_organization(
        kind=Kind.SAO, name_th="องค์การบริหารส่วนตำบลห้วยอ้อ", parent=district, dla_code="6540399"
    )
    assert not DlaCode.objects.filter(organization=hand_made).exists()

    load_country(
        write_small_dir(
            tmp_path / "v2", [*SMALL_LGOS, ("5540399", "subdistrict_municipality", "ห้วยอ้อ", "5403", "", "")]
        )
    )

    hand_made.refresh_from_db()
    assert (hand_made.kind, hand_made.dla_code) == (Kind.SUBDISTRICT_MUNICIPALITY, "5540399")
    assert set(hand_made.dla_codes.values_list("code", flat=True)) == {"6540399", "5540399"}


def test_upgrade_helpers():
    assert is_upgrade("6540112", "5540112")
    assert is_upgrade("5540112", "4540112")
    assert is_upgrade("4540112", "3540112")
    assert is_upgrade("6540112", "4540112")
    assert not is_upgrade("5540112", "6540112")  # a downgrade
    assert not is_upgrade("6540306", "5540301")  # other running digits
    assert not is_upgrade("3200408", "2200408")  # Pattaya / อบจ. are not on the ladder
    assert bare_lgo_name(Kind.SAO, "องค์การบริหารส่วนตำบลป่าแดง") == "ป่าแดง"
    assert bare_lgo_name(Kind.SUBDISTRICT_MUNICIPALITY, "เทศบาลตำบล ป่าแดง") == "ป่าแดง"
    assert bare_lgo_name(Kind.PATTAYA, "เมืองพัทยา") == "เมืองพัทยา"


# -- errors --------------------------------------------------------------------------------------


def test_missing_directory_is_a_plain_error(tmp_path):
    with pytest.raises(CommandError, match="does not exist.*PHROM_DATA_DIR"):
        call_command("load_country", data_dir=str(tmp_path / "nowhere"))


def test_missing_file_names_the_file(small_dir):
    (small_dir / "thailand/lgo_dla.csv").unlink()
    with pytest.raises(CommandError, match=r"thailand/lgo_dla\.csv.*PHROM_DATA_DIR"):
        call_command("load_country", data_dir=str(small_dir))


def test_wrong_header_names_the_missing_columns(small_dir):
    write_csv(
        small_dir / "thailand/districts.csv", ["code", "province_code", "name_th"], [["5401", "54", "x"]]
    )
    with pytest.raises(LoadError, match=r"districts\.csv: wrong header.*district_code"):
        load_country(small_dir)
    assert not Organization.objects.exists()


def test_wrong_encoding_names_file_and_line_and_writes_nothing(small_dir):
    path = small_dir / "thailand/lgo_dla.csv"
    write_csv(path, LGO_COLUMNS, [lgo_row(*row) for row in SMALL_LGOS], encoding="cp874")
    with pytest.raises(LoadError, match=r"lgo_dla\.csv line 2: the file is not UTF-8"):
        load_country(small_dir)
    assert not Organization.objects.exists()


def test_malformed_rows_name_file_and_line_and_write_nothing(small_dir):
    path = small_dir / "thailand/lgo_dla.csv"
    rows = [lgo_row(*row) for row in SMALL_LGOS]
    rows[2] = rows[2][:-3]  # too few fields on line 4
    rows[4][1] = "village"  # unknown type on line 6
    write_csv(path, LGO_COLUMNS, rows)
    with pytest.raises(LoadError) as exc:
        load_country(small_dir)
    assert "lgo_dla.csv line 4: 12 fields, expected 15" in str(exc.value)
    assert not Organization.objects.exists()

    rows = [lgo_row(*row) for row in SMALL_LGOS]
    rows[4][1] = "village"
    rows[5][8] = "5499"  # a district that does not exist, line 7
    write_csv(path, LGO_COLUMNS, rows)
    with pytest.raises(CommandError) as exc:
        call_command("load_country", data_dir=str(small_dir))
    assert "nothing was written" in str(exc.value)
    assert "lgo_dla.csv line 6: lgo_type 'village'" in str(exc.value)
    assert "lgo_dla.csv line 7: district_code '5499'" in str(exc.value)
    assert not Organization.objects.exists()


def test_error_in_a_later_level_rolls_everything_back(small_dir, monkeypatch):
    """A failure while writing (not just while reading) leaves the database as it was."""
    from orgs import loaders

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(loaders.DlaCode.objects, "bulk_create", boom)
    with pytest.raises(RuntimeError):
        load_country(small_dir)
    assert not Organization.objects.exists()


def test_command_prints_counts_and_time(small_dir, capsys):
    call_command("load_country", data_dir=str(small_dir))
    out = capsys.readouterr().out
    assert "รวม / total" in out and "14" in out
    assert " s" in out
    call_command("load_country", data_dir=str(small_dir))
    assert "nothing changed" in capsys.readouterr().out


def test_dry_run_writes_nothing(small_dir, capsys):
    call_command("load_country", data_dir=str(small_dir), dry_run=True)
    assert "dry run" in capsys.readouterr().out
    assert not Organization.objects.exists()


# -- the whole country ---------------------------------------------------------------------------

DATA_DIR = Path(settings.PHROM_DATA_DIR)
needs_data = pytest.mark.skipif(
    not (DATA_DIR / "thailand" / "lgo_dla.csv").is_file(),
    reason=f"open data not found in {DATA_DIR}: set PHROM_DATA_DIR to the shared/data directory",
)
PHRAE_DISTRICTS = {
    "อำเภอเมืองแพร่": 20, "อำเภอสูงเม่น": 13, "อำเภอลอง": 11, "อำเภอร้องกวาง": 10, "อำเภอสอง": 9,
    "อำเภอวังชิ้น": 8, "อำเภอเด่นชัย": 7, "อำเภอหนองม่วงไข่": 6,
}  # fmt: skip
NATIONAL_TYPES = {
    Kind.PAO: 76, Kind.CITY_MUNICIPALITY: 30, Kind.TOWN_MUNICIPALITY: 195,
    Kind.SUBDISTRICT_MUNICIPALITY: 2247, Kind.SAO: 5300, Kind.PATTAYA: 1,
}  # fmt: skip


@needs_data
def test_full_country(django_assert_max_num_queries):
    result = load_country()

    assert result.created == 1 + 1 + 77 + 76 + 928 + 7849
    kinds = Counter(Organization.objects.values_list("kind", flat=True))
    assert (kinds[Kind.OPDC], kinds[Kind.DLA]) == (1, 1)
    assert kinds[Kind.PROVINCE] == 77
    assert kinds[Kind.PROVINCIAL_OFFICE] == 76
    assert kinds[Kind.DISTRICT] == 928
    assert Organization.objects.lgos().count() == 7849
    assert {k: kinds[k] for k in NATIONAL_TYPES} == NATIONAL_TYPES
    assert DlaCode.objects.count() == 7849
    bangkok = Organization.objects.get(kind=Kind.PROVINCE, geocode="10")
    assert Organization.objects.filter(kind=Kind.DISTRICT, province=bangkok).count() == 50
    assert not Organization.objects.lgos().filter(province=bangkok).exists()

    phrae = Organization.objects.get(kind=Kind.PROVINCE, geocode="54")
    phrae_lgos = Organization.objects.lgos().filter(province=phrae)
    assert phrae_lgos.count() == 84
    assert Counter(phrae_lgos.values_list("district__name_th", flat=True)) == PHRAE_DISTRICTS
    # every LGO's denormalised links agree with its parent district
    assert not Organization.objects.lgos().exclude(district_id=F("parent_id")).exists()
    pattaya = Organization.objects.get(kind=Kind.PATTAYA)
    assert (pattaya.dla_code, pattaya.district.name_th) == ("3200408", "อำเภอบางละมุง")

    before = snapshot()
    with django_assert_max_num_queries(6):
        again = load_country()
    assert (again.created, again.updated, again.codes_added) == (0, 0, 0)
    assert again.unchanged == len(before)
    assert snapshot() == before
