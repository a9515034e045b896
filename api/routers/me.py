"""The signed-in caller: who they are, where they belong and what they may do there."""

from ninja import Router

from api.schemas import MeOut
from orgs import access

router = Router(tags=["me"])

CAPABILITIES = {
    "can_plan": access.can_plan,
    "can_approve": access.can_approve,
    "can_manage_members": access.can_manage_members,
    "oversees": access.oversees,
}


@router.get("", response=MeOut, summary="The signed-in user, their memberships and capabilities")
def me(request):
    user = request.auth
    memberships = []
    for m in access.memberships(user):
        org = m.organization
        memberships.append(
            {
                "organization_id": org.pk,
                "organization_name": org.name_th,
                "kind": org.kind,
                "kind_label": str(org.get_kind_display()),
                "role": m.role,
                "role_label": str(m.get_role_display()),
                "position": m.position,
                "capabilities": [name for name, check in CAPABILITIES.items() if check(user, org)],
            }
        )
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.display_name,
        "email": user.email,
        "phone": user.phone,
        "language": user.language,
        "is_site_admin": user.is_superuser,
        "memberships": memberships,
    }
