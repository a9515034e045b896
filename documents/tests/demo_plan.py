"""The demo's approved plan of เทศบาลเมืองแพร่, built without loading the whole demo.

`make_phrae_plan()` creates what plans.demo.load_demo_plans creates for that organization (its
template plan, the named team, the foreword, risks and prolonged-epidemic review, approval by the
mayor) on top of just its chain of organizations and its two demo users — the same plan content
in a fraction of the time `manage.py load_demo` takes.
"""

from __future__ import annotations

from types import SimpleNamespace


def make_phrae_plan():
    from accounts.models import User
    from orgs.actions import add_member, create_organization
    from orgs.demo import DEMO_USERS
    from orgs.models import Kind, Organization
    from plans import lifecycle
    from plans.demo import PHRAE_TEAM, finish, name_team
    from plans.templates_lib import start_from_template

    dla = Organization.objects.filter(kind=Kind.DLA).first() or create_organization(
        kind=Kind.DLA, name_th="กรมส่งเสริมการปกครองท้องถิ่น"
    )
    province = create_organization(kind=Kind.PROVINCE, name_th="จังหวัดแพร่", parent=dla, geocode="54")
    district = create_organization(
        kind=Kind.DISTRICT, name_th="อำเภอเมืองแพร่", parent=province, geocode="5401"
    )
    phrae = create_organization(
        kind=Kind.TOWN_MUNICIPALITY, name_th="เทศบาลเมืองแพร่", short_name_th="ทม.แพร่", parent=district,
        dla_code="4540102",
    )  # fmt: skip
    users = {}
    for username, full_name, position, org_key, role, _what in DEMO_USERS:
        if org_key != "lgo:4540102" or username not in ("phrae.planner", "phrae.approver", "phrae.viewer"):
            continue
        user = User.objects.create_user(
            username=username, password="phrom-demo", full_name=full_name, email=f"{username}@demo.test"
        )
        add_member(phrae, user, role, position=position)
        users[username] = user
    plan = start_from_template(phrae, by=users["phrae.planner"])
    name_team(plan, PHRAE_TEAM)
    finish(plan)
    lifecycle.approve(plan, by=users["phrae.approver"])
    plan.refresh_from_db()
    return SimpleNamespace(org=phrae, plan=plan, users=users, district=district, province=province)
