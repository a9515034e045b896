"""The Phrae demo: fixture, load_demo (idempotent, extensible), demo_logins, and load_country on top."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from accounts.models import User
from orgs.demo import DEMO_PASSWORD, DEMO_USERS
from orgs.loaders import DEFAULT_FIXTURE, LGO_TYPES, LoadError, fixture_records, load_fixture, resolve_key
from orgs.management.commands import load_demo
from orgs.models import DlaCode, Kind, Membership, Organization

DATA_DIR = Path(settings.PHROM_DATA_DIR)
PHRAE_LGO_CSV = DATA_DIR / "phrae" / "phrae_lgo.csv"
PHRAE_DISTRICTS = {
    "อำเภอเมืองแพร่": 20, "อำเภอสูงเม่น": 13, "อำเภอลอง": 11, "อำเภอร้องกวาง": 10, "อำเภอสอง": 9,
    "อำเภอวังชิ้น": 8, "อำเภอเด่นชัย": 7, "อำเภอหนองม่วงไข่": 6,
}  # fmt: skip
PHRAE_TYPES = {Kind.PAO: 1, Kind.TOWN_MUNICIPALITY: 1, Kind.SUBDISTRICT_MUNICIPALITY: 25, Kind.SAO: 57}


def run_load_demo():
    call_command("load_demo", verbosity=0)


def state():
    """Everything load_demo writes, in a comparable form."""
    return {
        "orgs": sorted(Organization.objects.values_list("pk", "updated_at")),
        "codes": sorted(DlaCode.objects.values_list("pk", "code", "organization_id")),
        "users": sorted(User.objects.values_list("pk", "username", "password", "email", "phone")),
        "memberships": sorted(Membership.objects.values_list("pk", "user_id", "organization_id", "role")),
    }


# -- the fixture file ----------------------------------------------------------------------------


def test_fixture_format_and_contents():
    data = json.loads(DEFAULT_FIXTURE.read_text(encoding="utf-8"))
    assert (data["format"], data["version"]) == ("phrom.organizations", 1)
    assert "กรมส่งเสริมการปกครองท้องถิ่น" in data["source"]
    orgs = {o["key"]: o for o in data["organizations"]}
    assert len(orgs) == len(data["organizations"]) == 2 + 1 + 1 + 8 + 84

    assert orgs["opdc"]["name_th"] == "สำนักงานคณะกรรมการพัฒนาระบบราชการ"
    assert orgs["opdc"]["letter_prefix"] == "นร ๑๒๐๐"
    assert orgs["opdc"]["address"] == "ถนนพิษณุโลก เขตดุสิต กรุงเทพมหานคร ๑๐๓๐๐"
    assert orgs["dla"]["letter_prefix"] == "มท ๐๘๑๒"
    assert orgs["dla"]["address"] == "ถนนนครราชสีมา เขตดุสิต กรุงเทพฯ ๑๐๓๐๐"
    assert orgs["province:54"]["address"] == "ศาลากลางจังหวัดแพร่ ถนนไชยบูรณ์ อำเภอเมืองแพร่ จังหวัดแพร่ 54000"
    assert orgs["province:54"]["illustrative"] == ["letter_prefix"]
    office = orgs["provincial_office:54"]
    assert (office["letter_prefix"], office["phone"], office["parent"]) == (
        "พร ๐๐๒๓.๑",
        "0 5453 4119",
        "province:54",
    )
    for code in range(5401, 5409):
        district = orgs[f"district:{code}"]
        assert district["postal_code"].startswith("54") and district["name_en"]
        assert "letter_prefix" in district["illustrative"]
    lgos = [o for o in orgs.values() if o["key"].startswith("lgo:")]
    assert all(o["name_en"] and o["dla_code"] == o["key"][4:] for o in lgos)
    assert sum(1 for o in lgos if "latitude" in o) == 83  # ทต.แม่ลานนา has no point in any source


@pytest.mark.skipif(not PHRAE_LGO_CSV.is_file(), reason=f"{PHRAE_LGO_CSV} not found: set PHROM_DATA_DIR")
def test_fixture_agrees_with_the_phrae_lgo_list():
    with PHRAE_LGO_CSV.open(encoding="utf-8", newline="") as fh:
        rows = {r["dla_code"]: r for r in csv.DictReader(fh)}
    lgos = {r.fields["dla_code"]: r for r in fixture_records(DEFAULT_FIXTURE) if r.key.startswith("lgo:")}
    assert set(lgos) == set(rows)
    for code, row in rows.items():
        rec = lgos[code]
        assert rec.kind == LGO_TYPES[row["lgo_type"]], code
        assert rec.fields["name_th"] == row["full_name_th"], code
        assert rec.fields["short_name_th"] == row["abbrev_th"] + row["name_th"], code
        assert rec.fields["name_en"] == row["full_name_en"], code
        assert rec.parent == f"district:{row['district_code']}", code


def test_bad_fixture_is_refused(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"format": "django", "organizations": []}), encoding="utf-8")
    with pytest.raises(LoadError, match="format"):
        fixture_records(path)
    entry = {"key": "province:54", "kind": "province", "parent": "dla", "name_th": "x", "geocode": "55"}
    path.write_text(
        json.dumps(
            {"format": "phrom.organizations", "version": 1, "organizations": [entry, {**entry, "colour": 1}]}
        ),
        encoding="utf-8",
    )
    with pytest.raises(LoadError, match="unknown field"):
        fixture_records(path)
    path.write_text(
        json.dumps({"format": "phrom.organizations", "version": 1, "organizations": [entry]}),
        encoding="utf-8",
    )
    with pytest.raises(LoadError, match="expected 'province:55'"):
        load_fixture(path)


# -- load_demo -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_load_demo_builds_phrae():
    run_load_demo()

    assert Organization.objects.filter(kind=Kind.OPDC).count() == 1
    assert Organization.objects.filter(kind=Kind.DLA).count() == 1
    province = Organization.objects.get(kind=Kind.PROVINCE)
    assert (province.geocode, province.name_th, province.province_id) == ("54", "จังหวัดแพร่", province.pk)
    office = Organization.objects.get(kind=Kind.PROVINCIAL_OFFICE)
    assert (office.letter_prefix, office.province_id, office.parent_id) == (
        "พร ๐๐๒๓.๑",
        province.pk,
        province.pk,
    )
    assert Organization.objects.filter(kind=Kind.DISTRICT, province=province).count() == 8
    lgos = Organization.objects.lgos()
    assert lgos.count() == 84
    assert dict(Counter(lgos.values_list("kind", flat=True))) == PHRAE_TYPES
    assert Counter(lgos.values_list("district__name_th", flat=True)) == PHRAE_DISTRICTS
    assert DlaCode.objects.count() == 84
    town = Organization.objects.get(dla_code="4540102")
    assert (town.name_th, town.name_en) == ("เทศบาลเมืองแพร่", "Phrae Town Municipality")
    assert town.latitude is not None


@pytest.mark.django_db
def test_load_demo_creates_the_demo_users():
    run_load_demo()

    assert User.objects.count() == len(DEMO_USERS)
    phones = set()
    for username, full_name, position, org_key, role, _what in DEMO_USERS:
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
        assert user.full_name == full_name
        assert user.email == f"{username}@demo.phrom.localhost"
        assert user.phone.startswith("08") and len(user.phone) == 10
        phones.add(user.phone)
        if role == "site_admin":
            assert user.is_superuser and user.is_staff
            assert not user.memberships.exists()
        else:
            assert not user.is_superuser
            membership = user.memberships.get()
            assert (membership.role, membership.position) == (role, position)
            assert membership.organization == resolve_key(org_key)
    assert len(phones) == len(DEMO_USERS)
    planner = Membership.objects.get(user__username="phrae.planner")
    assert planner.organization.dla_code == "4540102"
    assert Membership.objects.get(user__username="province").organization.kind == Kind.PROVINCIAL_OFFICE
    assert Membership.objects.get(user__username="district.long").organization.geocode == "5403"


@pytest.mark.django_db
def test_load_demo_twice_changes_nothing_and_keeps_changed_passwords():
    run_load_demo()
    user = User.objects.get(username="phrae.planner")
    user.set_password("a-new-secret-42")
    user.full_name = "นางสาวพิมพ์ใจ แก้ชื่อ"
    user.save()
    before = state()

    run_load_demo()

    assert state() == before
    user.refresh_from_db()
    assert user.check_password("a-new-secret-42")
    assert user.full_name == "นางสาวพิมพ์ใจ แก้ชื่อ"


@pytest.mark.django_db
def test_load_demo_steps_can_be_extended(monkeypatch):
    seen = {}

    def extra_step(ctx):
        seen["town"] = ctx.org("lgo:4540102").name_th
        seen["planner"] = ctx.users["phrae.planner"].username
        return "extra step done"

    monkeypatch.setattr(
        load_demo,
        "STEPS",
        [*load_demo.STEPS, extra_step, "orgs.management.commands.load_demo.create_demo_users"],
    )
    call_command("load_demo", verbosity=0)
    assert seen == {"town": "เทศบาลเมืองแพร่", "planner": "phrae.planner"}


@pytest.mark.django_db
def test_demo_logins_prints_address_and_logins(capsys):
    call_command("demo_logins", address="http://demo.example:9000/")
    out = capsys.readouterr().out
    assert "http://demo.example:9000/" in out and "load_demo" in out

    run_load_demo()
    call_command("demo_logins")
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8000/" in out
    assert DEMO_PASSWORD in out
    for username, *_ in DEMO_USERS:
        assert f"  {username} " in out


# -- load_country on top of the demo -------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.skipif(
    not (DATA_DIR / "thailand" / "lgo_dla.csv").is_file(),
    reason=f"open data not found in {DATA_DIR}: set PHROM_DATA_DIR to the shared/data directory",
)
def test_load_country_after_load_demo_updates_phrae_in_place(capsys):
    run_load_demo()
    phrae_before = dict(Organization.objects.values_list("pk", "updated_at"))
    memberships = sorted(Membership.objects.values_list("user__username", "organization_id", "role"))
    town = Organization.objects.get(dla_code="4540102")

    call_command("load_country")

    province = Organization.objects.get(kind=Kind.PROVINCE, geocode="54")
    assert Organization.objects.filter(kind=Kind.PROVINCE, geocode="54").count() == 1
    assert Organization.objects.filter(kind=Kind.PROVINCIAL_OFFICE, province=province).count() == 1
    assert Organization.objects.lgos().filter(province=province).count() == 84
    assert Organization.objects.lgos().count() == 7849
    assert Organization.objects.filter(kind=Kind.OPDC).count() == 1
    assert sorted(Membership.objects.values_list("user__username", "organization_id", "role")) == memberships
    # The demo's rows are the same rows, untouched: the national file agrees with the fixture on
    # the fields it has, and keeps the fixture's addresses, prefixes, English names and points.
    assert (
        dict(Organization.objects.filter(pk__in=phrae_before).values_list("pk", "updated_at")) == phrae_before
    )
    town_after = Organization.objects.get(pk=town.pk)
    assert (town_after.name_en, town_after.latitude) == (town.name_en, town.latitude)
    assert (
        Organization.objects.get(kind=Kind.PROVINCIAL_OFFICE, province=province).letter_prefix == "พร ๐๐๒๓.๑"
    )

    # and the demo loaded again after the country changes nothing either
    before = state()
    run_load_demo()
    assert state() == before
