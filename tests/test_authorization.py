"""The authorization walker: every URL pattern and every API route, as every role, against the
objects of another local government, another district and another province.

Nothing may be read or written across organizations. A new URL or API route that is not
described in ROUTES / API_ROUTES below fails `test_every_route_is_described`, so nobody can add
a page without saying how it is scoped.
"""

from __future__ import annotations

import itertools
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import ApiToken, Invitation
from audit.models import AuditEvent
from orgs.models import Membership, Organization, Role
from tests.authz import OWN, PRIVATE, PUBLIC, SKIP, Route, Target, anonymous_api, extensions, merged


def _org(t):
    return {"pk": t.org.pk}


def _editor_row(t):
    return {"pk": t.plan.pk, "section": "contacts", "table": "internal", "row_id": t.rows["contact"].pk}


def _plan(t):
    return {"plan_id": t.plan.pk}


def _api_row(t):
    return {"plan_id": t.plan.pk, "section": "contacts", "row_id": t.rows["contact"].pk}


# URL name -> how it is scoped. Keep in step with the urls.py files.
ROUTES: dict[str, Route] = {
    "home": Route(OWN),
    "healthz": Route(PUBLIC),
    "set_language": Route(OWN),
    "orgs:browser": Route(PUBLIC),
    "orgs:detail": Route(PUBLIC, _org),
    "orgs:members": Route(PRIVATE, _org),
    "accounts:login": Route(PUBLIC),
    "accounts:logout": Route(OWN),
    "accounts:password_change": Route(OWN),
    "accounts:password_change_done": Route(OWN),
    "accounts:password_reset": Route(PUBLIC),
    "accounts:password_reset_done": Route(PUBLIC),
    "accounts:password_reset_complete": Route(PUBLIC),
    # A reset link for a member of the target, with a token nobody has been given.
    "accounts:password_reset_confirm": Route(
        PUBLIC, lambda t: {"uidb64": urlsafe_base64_encode(force_bytes(t.membership.user_id)), "token": "x-y"}
    ),
    "accounts:profile": Route(OWN),
    "accounts:invite": Route(PRIVATE, lambda t: {"org_pk": t.org.pk}),
    "accounts:invitations": Route(PRIVATE, lambda t: {"org_pk": t.org.pk}),
    "accounts:revoke_invitation": Route(PRIVATE, lambda t: {"pk": t.invitation.pk}),
    # Holding an invitation's secret token is what grants its membership; outsiders don't have it.
    "accounts:accept_invitation": Route(PUBLIC, lambda t: {"token": "not-the-invitation-token"}),
    "plans:org_plans": Route(PRIVATE, lambda t: {"org_pk": t.org.pk}),
    "plans:new": Route(PRIVATE, lambda t: {"org_pk": t.org.pk}),
    "plans:detail": Route(PRIVATE, lambda t: {"pk": t.plan.pk}),
    "plans:section": Route(PRIVATE, lambda t: {"pk": t.plan.pk, "section": "contacts"}),
    "plans:plan_fields": Route(PRIVATE, lambda t: {"pk": t.plan.pk}),
    "plans:text": Route(PRIVATE, lambda t: {"pk": t.plan.pk, "section": "general", "key": "introduction"}),
    "plans:row_new": Route(PRIVATE, lambda t: {"pk": t.plan.pk, "section": "bia", "table": "processes"}),
    "plans:row": Route(PRIVATE, _editor_row),
    "plans:row_edit": Route(PRIVATE, _editor_row),
    "plans:row_delete": Route(PRIVATE, _editor_row),
    "plans:row_move": Route(PRIVATE, _editor_row),
    "plans:units": Route(PRIVATE, lambda t: {"org_pk": t.org.pk}),
    "plans:unit_rename": Route(PRIVATE, lambda t: {"org_pk": t.org.pk, "unit_pk": t.unit.pk}),
    "plans:unit_delete": Route(PRIVATE, lambda t: {"org_pk": t.org.pk, "unit_pk": t.unit.pk}),
    "plans:submit": Route(PRIVATE, lambda t: {"pk": t.plan.pk}),
    "plans:return": Route(PRIVATE, lambda t: {"pk": t.plan.pk}),
    "plans:approve": Route(PRIVATE, lambda t: {"pk": t.plan.pk}),
    "plans:diff_pick": Route(PRIVATE, lambda t: {"pk": t.plan.pk}),
    "plans:diff": Route(PRIVATE, lambda t: {"pk": t.plan.pk, "other_pk": t.other_plan.pk}),
    "plans:epidemic": Route(PRIVATE, lambda t: {"pk": t.plan.pk}),
    "plans:export": Route(PRIVATE, lambda t: {"pk": t.plan.pk}),
    "plans:import": Route(PRIVATE, lambda t: {"org_pk": t.org.pk}),
    "api_tokens:list": Route(OWN),
    "api_tokens:create": Route(OWN),
    "api_tokens:revoke": Route(PRIVATE, lambda t: {"pk": t.token.pk}),
}

# API path (as in the OpenAPI schema) -> how it is scoped.
API_ROUTES: dict[str, Route] = {
    "/api/v1/me": Route(OWN),
    "/api/v1/organizations": Route(PUBLIC),
    "/api/v1/organizations/{id}": Route(PUBLIC, lambda t: {"id": t.org.pk}),
    "/api/v1/organizations/{id}/children": Route(PUBLIC, lambda t: {"id": t.org.pk}),
    "/api/v1/organizations/{id}/members": Route(PRIVATE, lambda t: {"id": t.org.pk}),
    "/api/v1/tokens": Route(OWN),
    "/api/v1/tokens/{id}": Route(PRIVATE, lambda t: {"id": t.token.pk}),
    "/api/v1/plans": Route(OWN),  # lists only visible plans
    "/api/v1/plans/schema": Route(PUBLIC),
    "/api/v1/plans/org/{org_id}": Route(PRIVATE, lambda t: {"org_id": t.org.pk}),
    "/api/v1/plans/org/{org_id}/import": Route(PRIVATE, lambda t: {"org_id": t.org.pk}),
    "/api/v1/plans/{plan_id}": Route(PRIVATE, _plan),
    "/api/v1/plans/{plan_id}/rows/{section}": Route(
        PRIVATE, lambda t: {"plan_id": t.plan.pk, "section": "contacts"}
    ),
    "/api/v1/plans/{plan_id}/rows/{section}/{row_id}": Route(PRIVATE, _api_row),
    "/api/v1/plans/{plan_id}/rows/{section}/{row_id}/move": Route(PRIVATE, _api_row),
    "/api/v1/plans/{plan_id}/checks": Route(PRIVATE, _plan),
    "/api/v1/plans/{plan_id}/submit": Route(PRIVATE, _plan),
    "/api/v1/plans/{plan_id}/approve": Route(PRIVATE, _plan),
    "/api/v1/plans/{plan_id}/return": Route(PRIVATE, _plan),
    "/api/v1/plans/{plan_id}/export": Route(PRIVATE, _plan),
    "/api/v1/plans/{plan_id}/diff/{other_id}": Route(
        PRIVATE, lambda t: {"plan_id": t.plan.pk, "other_id": t.other_plan.pk}
    ),
}

ROUTES.update(merged("ROUTES"))
API_ROUTES.update(merged("API_ROUTES"))
ANONYMOUS_API = anonymous_api()

ALLOWED_DENIALS = {404, 405}


def iter_patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}{p.namespace}:"
            yield from iter_patterns(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), (f"{namespace}{p.name}" if p.name else None), p


def app_routes():
    """(route string, name) for every URL pattern of Phrom's own apps (not admin or API)."""
    for route, name, _p in iter_patterns():
        if route.startswith(("admin/", "api/v1/")) or route.startswith("static/"):
            continue
        yield route, name


def make_target(org: Organization, inviter, cast=None) -> Target:
    from accounts.models import User
    from api.actions import create_token
    from orgs.actions import add_member
    from plans.models import Unit

    secret_user = User.objects.create_user(
        username=f"secret{org.pk}", password="x-secret-pass-1", full_name=f"นายลับ เฉพาะ{org.pk}",
        phone=f"09{org.pk:08d}", email=f"secret{org.pk}@private.test",
    )  # fmt: skip
    membership = add_member(org, secret_user, Role.PLANNER, position="ตำแหน่งลับ")
    invitation = Invitation.objects.create(
        organization=org, email=f"invitee{org.pk}@private.test", role=Role.VIEWER,
        token_hash=Invitation.hash_token(f"tok{org.pk}"), invited_by=inviter,
        expires_at="2099-01-01T00:00:00Z",
    )  # fmt: skip
    token, _raw = create_token(secret_user, name="secret token")
    plan, rows = make_target_plan(org, secret_user)
    other_plan, _ = make_target_plan(org, secret_user)
    contact = rows["contact"]
    target = Target(
        org=org,
        invitation=invitation,
        membership=membership,
        token=token,
        plan=plan,
        other_plan=other_plan,
        rows=rows,
        unit=Unit.objects.create(org=org, name_th=f"กองลับเฉพาะ{org.pk}"),
        secrets=[
            secret_user.full_name, secret_user.phone, secret_user.email, invitation.email,
            contact.name, contact.phone, rows["process"].name, f"กองลับเฉพาะ{org.pk}",
        ],
    )  # fmt: skip
    for ext in extensions():
        ext.build(target, cast)
    return target


def make_target_plan(org: Organization, by):
    """A draft plan with one row in every table, holding private strings."""
    from plans import actions
    from plans import models as pm

    plan = actions.create_plan(org, by=by)

    def add(model, **values):
        return actions.add_row(plan, model, values=values, by=by)

    contact = add(pm.Contact, name=f"นางลับ ติดต่อ{org.pk}", phone=f"08{org.pk:08d}", kind="internal")
    scenario = add(pm.Scenario, kind="flood", name="อุทกภัย", impacts={"building": {"hit": True, "note": ""}})
    role = add(pm.TeamRole, title="หัวหน้าทีม", primary=contact, backup=contact)
    process = add(pm.Process, name=f"งานลับเฉพาะ{org.pk}", impact="high", rto="d1")
    rows = {
        "contact": contact,
        "scenario": scenario,
        "teamrole": role,
        "process": process,
        "calltreenode": add(pm.CallTreeNode, contact=contact),
        "resource": add(pm.Resource, resource_type="building", name="อาคารสำรอง", q_h4=1, q_d1=1),
        "strategy": add(pm.Strategy, resource_type="building", text="ย้ายไปศาลาประชาคม"),
        "procedurestep": add(pm.ProcedureStep, phase="immediate", text="แจ้งหัวหน้าทีม", responsible=role),
        "risk": add(pm.Risk, name="น้ำท่วมสำนักงาน", likelihood=3, severity=4),
        "annex": add(pm.Annex, title="ภาคผนวก ก", text="รายละเอียด"),
        "revisionentry": add(pm.RevisionEntry, label="1", date="2026-01-01", changes="จัดทำครั้งแรก"),
        "listitem": add(pm.ListItem, section="objectives", text="เพื่อให้บริการต่อเนื่อง"),
        "plantext": add(pm.PlanText, key="introduction", text="บทนำ"),
    }
    return plan, rows


def outsider_pairs(cast):
    """(user label, user, target organizations outside that user's reach)."""
    lgo_users = ["planner", "viewer", "approver", "org_admin"]
    pairs = [
        (u, getattr(cast, u), ["lgo_same_district", "lgo_other_district", "lgo_other_province"])
        for u in lgo_users
    ]
    pairs += [
        (
            "district_officer",
            cast.district_officer,
            ["lgo_other_district", "lgo_other_province", "other_district"],
        ),
        ("province_officer", cast.province_officer, ["lgo_other_province", "far_district", "other_province"]),
        ("other_planner", cast.other_planner, ["lgo", "lgo_same_district", "district"]),
        ("far_planner", cast.far_planner, ["lgo", "province", "provincial_office"]),
        ("far_district_officer", cast.far_district_officer, ["lgo", "district", "provincial_office"]),
    ]
    return pairs


def snapshot(targets: list[Target]):
    """Everything a write across organizations could change, as comparable values."""
    orgs = [t.org.pk for t in targets]
    return (
        list(Organization.objects.filter(pk__in=orgs).order_by("pk").values()),
        list(Membership.objects.filter(organization__in=orgs).order_by("pk").values()),
        list(Invitation.objects.filter(organization__in=orgs).order_by("pk").values()),
        AuditEvent.objects.filter(organization__in=orgs).count(),
        list(ApiToken.objects.filter(user__memberships__organization__in=orgs).order_by("pk").values()),
        plan_state(orgs),
        [ext.state(orgs) for ext in extensions()],
    )


def plan_state(org_ids):
    """Every plan of the organizations and every row of those plans (with their version counters)."""
    from plans import models as pm
    from plans.bundle import ROW_MODELS

    plans = list(pm.Plan.objects.filter(org__in=org_ids).order_by("pk").values())
    plans += list(pm.Unit.objects.filter(org__in=org_ids).order_by("pk").values())
    rows = [
        list(model.objects.filter(plan__org__in=org_ids).order_by("pk").values())
        for model in ROW_MODELS.values()
    ]
    return plans, rows


def fill(route: str, kwargs: dict) -> str:
    def sub(m):
        name = m.group(2)
        return str(kwargs[name])

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", sub, route)


def test_every_route_is_described():
    names = {name for _r, name in app_routes()}
    missing = sorted(n or "<unnamed>" for n in names if n not in ROUTES)
    assert not missing, f"Describe these URL names in ROUTES (how are they scoped?): {missing}"


def test_every_api_route_is_described():
    from api.main import api

    paths = set(api.get_openapi_schema()["paths"])
    missing = sorted(p for p in paths if p not in API_ROUTES)
    assert not missing, f"Describe these API paths in API_ROUTES (how are they scoped?): {missing}"


@pytest.fixture
def targets(cast):
    names = {n for _l, _u, ts in outsider_pairs(cast) for n in ts}
    return {n: make_target(getattr(cast, n), cast.site_admin, cast) for n in names}


def _check_response(resp, target, where):
    body = resp.content.decode("utf-8", "replace") if hasattr(resp, "content") else ""
    for s in target.secrets:
        assert s not in body, f"{where}: leaked {s!r}"


def test_no_page_reads_or_writes_across_organizations(cast, targets, client):
    before = snapshot(list(targets.values()))
    checked = 0
    for label, user, target_names in outsider_pairs(cast):
        client.force_login(user)
        for (route, name), tname in itertools.product(list(app_routes()), target_names):
            spec = ROUTES.get(name)
            if spec is None or spec.scope == SKIP:
                continue
            target = targets[tname]
            kwargs = spec.kwargs(target) if spec.kwargs else {}
            url = fill(route, kwargs)
            for method in ("get", "post"):
                client.force_login(user)  # again: the walk may have passed through logout
                resp = getattr(client, method)(url, follow=False)
                where = f"{label} {method.upper()} {url} ({name}, target {tname})"
                if spec.scope == PRIVATE:
                    assert resp.status_code in ALLOWED_DENIALS, f"{where}: {resp.status_code}"
                else:
                    assert resp.status_code < 500, f"{where}: {resp.status_code}"
                    _check_response(resp, target, where)
                checked += 1
        client.logout()
    assert checked > 0
    assert snapshot(list(targets.values())) == before, "a request changed another organization's data"


def test_no_api_route_reads_or_writes_across_organizations(cast, targets, client):
    from api.main import api

    schema = api.get_openapi_schema()
    before = snapshot(list(targets.values()))
    checked = 0
    for label, user, target_names in outsider_pairs(cast):
        client.force_login(user)
        for (path, ops), tname in itertools.product(schema["paths"].items(), target_names):
            spec = API_ROUTES.get(path)
            if spec is None or spec.scope == SKIP:
                continue
            target = targets[tname]
            kwargs = spec.kwargs(target) if spec.kwargs else {}
            url = "/api/v1" + re.sub(
                r"\{(\w+)\}", lambda m, kw=kwargs: str(kw[m.group(1)]), path.removeprefix("/api/v1")
            )
            for method in ops:
                resp = client.generic(method.upper(), url, data="{}", content_type="application/json")
                where = f"{label} {method.upper()} {url} (target {tname})"
                if spec.scope == PRIVATE:
                    assert resp.status_code in ALLOWED_DENIALS, f"{where}: {resp.status_code}"
                else:
                    assert resp.status_code < 500, f"{where}: {resp.status_code}"
                    _check_response(resp, target, where)
                checked += 1
        client.logout()
    assert checked > 0
    assert snapshot(list(targets.values())) == before, "an API call changed another organization's data"
