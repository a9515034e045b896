"""The fixed cast of organizations and users that every test can use.

Tree (a slice of the real hierarchy, small enough to build in a few milliseconds):

    OPDC                      DLA
                               ├─ จังหวัดแพร่ (54) ── สถจ.แพร่
                               │    ├─ อำเภอเมืองแพร่ (5401)
                               │    │    ├─ อบต.ป่าแดง      ← "home" local government (lgo)
                               │    │    └─ ทต.ช่อแฮ        ← same district (lgo_same_district)
                               │    └─ อำเภอลอง (5403)
                               │         └─ อบต.ห้วยอ้อ    ← other district (lgo_other_district)
                               └─ จังหวัดน่าน (55)
                                    └─ อำเภอเมืองน่าน (5501)
                                         └─ อบต.ไชยสถาน  ← other province (lgo_other_province)
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    # Tests that exercise the queue itself switch back to the database backend.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _default_language():
    # A request with an English cookie leaves English active in the thread (LocaleMiddleware does not
    # reset it); code called outside requests in the next test must start from the site language.
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def build_cast():
    from accounts.models import User
    from orgs.actions import add_member, create_organization
    from orgs.models import Kind, Role

    c = SimpleNamespace()
    c.opdc = create_organization(kind=Kind.OPDC, name_th="สำนักงาน ก.พ.ร.", name_en="OPDC")
    c.dla = create_organization(kind=Kind.DLA, name_th="กรมส่งเสริมการปกครองท้องถิ่น", name_en="DLA")
    c.province = create_organization(
        kind=Kind.PROVINCE, name_th="จังหวัดแพร่", name_en="Phrae", parent=c.dla, geocode="54",
        letter_prefix="พร ๐๐๒๓.๑",
    )  # fmt: skip
    c.provincial_office = create_organization(
        kind=Kind.PROVINCIAL_OFFICE, name_th="สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดแพร่", parent=c.province
    )
    c.district = create_organization(
        kind=Kind.DISTRICT, name_th="อำเภอเมืองแพร่", parent=c.province, geocode="5401"
    )
    c.other_district = create_organization(
        kind=Kind.DISTRICT, name_th="อำเภอลอง", parent=c.province, geocode="5403"
    )
    c.other_province = create_organization(kind=Kind.PROVINCE, name_th="จังหวัดน่าน", parent=c.dla, geocode="55")
    c.far_district = create_organization(
        kind=Kind.DISTRICT, name_th="อำเภอเมืองน่าน", parent=c.other_province, geocode="5501"
    )
    c.lgo = create_organization(
        kind=Kind.SAO, name_th="องค์การบริหารส่วนตำบลป่าแดง", parent=c.district, dla_code="6540112",
        phone="054 000 001",
    )  # fmt: skip
    c.lgo_same_district = create_organization(
        kind=Kind.SUBDISTRICT_MUNICIPALITY, name_th="เทศบาลตำบลช่อแฮ", parent=c.district, dla_code="5540103"
    )
    c.lgo_other_district = create_organization(
        kind=Kind.SAO, name_th="องค์การบริหารส่วนตำบลห้วยอ้อ", parent=c.other_district, dla_code="6540301"
    )
    c.lgo_other_province = create_organization(
        kind=Kind.SAO, name_th="องค์การบริหารส่วนตำบลไชยสถาน", parent=c.far_district, dla_code="6550101"
    )

    def user(username, org, role, full_name, phone="0812345678"):
        u = User.objects.create_user(
            username=username, password="test-pass-123", email=f"{username}@example.test",
            full_name=full_name, phone=phone,
        )  # fmt: skip
        if org is not None:
            add_member(org, u, role)
        return u

    # planner and viewer of the home local government
    c.planner = user("planner", c.lgo, Role.PLANNER, "นางสาวพิมพ์ใจ วางแผน", "0811111111")
    c.viewer = user("viewer", c.lgo, Role.VIEWER, "นายดู ข้อมูล", "0811111112")
    # the executive who approves the home local government's plans
    c.approver = user("approver", c.lgo, Role.APPROVER, "นายอนุมัติ ผู้บริหาร", "0811111113")
    # the home local government's organization admin (invites colleagues)
    c.org_admin = user("orgadmin", c.lgo, Role.ADMIN, "นางดูแล ระบบ", "0811111114")
    # district officer above the home local government
    c.district_officer = user("district", c.district, Role.OVERSEER, "นายอำเภอ ตัวอย่าง", "0811111115")
    # provincial local-administration officer
    c.province_officer = user("province", c.provincial_office, Role.OVERSEER, "นายท้องถิ่น จังหวัด", "0811111116")
    # planner of a local government in another district of the same province
    c.other_planner = user("otherplanner", c.lgo_other_district, Role.PLANNER, "นายอื่น อำเภอ", "0822222222")
    # planner of a local government in another province
    c.far_planner = user("farplanner", c.lgo_other_province, Role.PLANNER, "นายไกล จังหวัด", "0833333333")
    # officer of a district in another province
    c.far_district_officer = user("fardistrict", c.far_district, Role.OVERSEER, "นายอำเภอ น่าน", "0844444444")
    # OPDC reviewer: oversees the whole country
    c.opdc_reviewer = user("opdc", c.opdc, Role.OVERSEER, "นางตรวจ แผน", "0855555555")
    # site admin
    c.site_admin = user("siteadmin", None, None, "ผู้ดูแล ระบบ")
    c.site_admin.is_superuser = c.site_admin.is_staff = True
    c.site_admin.save(update_fields=["is_superuser", "is_staff"])
    return c


@pytest.fixture
def cast(db):
    return build_cast()
