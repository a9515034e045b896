"""The access rules of Phrom — the one place that decides who may see and do what.

Every query for organization-owned data goes through `restrict()` (exposed as
`Model.objects.visible_to(user)` on each org-owned queryset); pages and API routes both call it.
Objects outside a user's scope are answered with 404, never 403, so that their existence does not
leak. 403 is only for objects a user may see but not change.

Scope of a membership:
- overseer of OPDC or the DLA: every organization in the country;
- overseer of a province or its provincial office: everything in that province;
- overseer of a district: everything in that district;
- any other role (planner, approver, viewer, admin): the member's own organization only.
A site admin (user.is_superuser) sees everything.

The organization directory itself (names, types, office addresses and phones) is public
information and open to every signed-in user; members, contacts and plans are not.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from orgs.models import NATIONAL_KINDS, Membership, Organization, Role

_ALL = object()  # sentinel: no restriction


def memberships(user) -> list[Membership]:
    """The user's memberships with their organizations, loaded once per user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_phrom_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("organization"))
        user._phrom_memberships = cached
    return cached


def _scope(user, prefix: str):
    """Q selecting the organizations (through `prefix`) the user may read; _ALL or None."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return _ALL
    q = None
    for m in memberships(user):
        org = m.organization
        if m.role == Role.OVERSEER:
            if org.kind in NATIONAL_KINDS:
                return _ALL
            part = org.subtree_q(prefix)
        else:
            part = Q(**{f"{prefix}pk": org.pk})
        q = part if q is None else q | part
    return q


def restrict(qs: QuerySet, user, *, org_field: str = "org") -> QuerySet:
    """Limit an organization-owned queryset to what `user` may read."""
    scope = _scope(user, f"{org_field}__" if org_field else "")
    if scope is _ALL:
        return qs
    if scope is None:
        return qs.none()
    return qs.filter(scope)


def restrict_orgs(qs: QuerySet, user) -> QuerySet:
    """Organizations whose private data (members, contacts, plans) `user` may read."""
    return restrict(qs, user, org_field="")


def roles_in(user, org: Organization) -> set[str]:
    """The roles the user holds directly in `org`."""
    return {m.role for m in memberships(user) if m.organization_id == org.pk}


def can_read(user, org: Organization) -> bool:
    return restrict_orgs(Organization.objects.filter(pk=org.pk), user).exists()


def oversees(user, org: Organization) -> bool:
    """True when the user is an overseer above (or of) `org`, or a site admin."""
    if getattr(user, "is_superuser", False):
        return True
    for m in memberships(user):
        if m.role != Role.OVERSEER:
            continue
        o = m.organization
        if o.kind in NATIONAL_KINDS:
            return True
        if o.province_id and o.kind in ("province", "provincial_office") and org.province_id == o.province_id:
            return True
        if o.kind == "district" and org.district_id == o.pk:
            return True
        if o.pk == org.pk:
            return True
    return False


def can_plan(user, org: Organization) -> bool:
    """May write the organization's plans."""
    return bool(roles_in(user, org) & {Role.PLANNER, Role.APPROVER})


def can_serve(user, org: Organization) -> bool:
    """May work citizens' requests and edit the e-service catalogue of the organization."""
    return bool(roles_in(user, org) & {Role.SERVICE, Role.ADMIN, Role.APPROVER})


def can_approve(user, org: Organization) -> bool:
    return Role.APPROVER in roles_in(user, org)


def can_manage_members(user, org: Organization) -> bool:
    """May invite colleagues and change roles (organization admins and site admins)."""
    return getattr(user, "is_superuser", False) or Role.ADMIN in roles_in(user, org)


def get_visible_org(user, pk) -> Organization:
    """The organization if the user may read its private data, else 404."""
    try:
        return restrict_orgs(Organization.objects.all(), user).get(pk=pk)
    except (Organization.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def primary_membership(user) -> Membership | None:
    """The membership a home page is built around: the most powerful role first."""
    order = [Role.OVERSEER, Role.APPROVER, Role.PLANNER, Role.ADMIN, Role.SERVICE, Role.VIEWER]
    ms = memberships(user)
    return min(ms, key=lambda m: order.index(m.role), default=None)
