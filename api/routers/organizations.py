"""The organization directory (public facts, for every signed-in user) and members (scoped).

Names, types, office addresses and phones of public bodies are public information, so the
directory is not restricted by access; members and their contacts are personal data, readable
only inside the caller's scope (orgs.access) and logged on every read.
"""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from ninja import Query, Router
from ninja.pagination import paginate

from api.pagination import Pagination
from api.schemas import MemberOut, OrganizationDetailOut, OrganizationFilters, OrganizationOut
from audit.log import log_access
from orgs import access
from orgs.models import Membership, Organization

router = Router(tags=["organizations"])

# Stable order for pagination: the pk breaks ties between namesakes (there are many ป่าแดง).
ORDER = ("name_th", "pk")


def directory():
    """Organizations listed in the directory: active ones."""
    return Organization.objects.filter(is_active=True)


@router.get("", response=list[OrganizationOut], summary="The organization directory")
@paginate(Pagination)
def list_organizations(request, filters: Query[OrganizationFilters]):
    orgs = directory()
    if filters.scope == "mine":
        orgs = orgs.visible_to(request.auth)
    if filters.kind:
        orgs = orgs.filter(kind__in=filters.kind)
    if filters.lgo_only:
        orgs = orgs.lgos()
    if filters.province is not None:
        orgs = orgs.filter(province_id=filters.province)
    if filters.district is not None:
        orgs = orgs.filter(district_id=filters.district)
    if filters.parent is not None:
        orgs = orgs.filter(parent_id=filters.parent)
    return orgs.search(filters.q).order_by(*ORDER)


@router.get("/{int:id}", response=OrganizationDetailOut, summary="One organization's public facts")
def get_organization(request, id: int):
    orgs = Organization.objects.annotate(children_count=Count("children", filter=Q(children__is_active=True)))
    return get_object_or_404(orgs, pk=id)


@router.get("/{int:id}/children", response=list[OrganizationOut], summary="The organizations directly below")
@paginate(Pagination)
def list_children(request, id: int):
    parent = get_object_or_404(Organization.objects.only("pk"), pk=id)
    return directory().filter(parent=parent).order_by(*ORDER)


@router.get(
    "/{int:id}/members",
    response=list[MemberOut],
    summary="Members and their contacts (only within your scope; every read is logged)",
)
def list_members(request, id: int):
    # 404, not 403, outside the caller's scope: the answer must not tell whether it exists.
    org = access.get_visible_org(request.auth, id)
    members = list(
        Membership.objects.visible_to(request.auth)
        .filter(organization=org, user__is_active=True)
        .select_related("user")
        .order_by("role", "user__full_name", "pk")
    )
    log_access(request, "member_contacts", organization=org, objects=members)
    return members
