"""Writes on organizations and memberships. Each is atomic and records an audit event."""

from __future__ import annotations

from django.db import transaction

from audit.log import record
from orgs.models import LGO_KINDS, Kind, Membership, Organization


def ancestors_for(kind: str, parent: Organization | None) -> tuple[int | None, int | None]:
    """(province_id, district_id) an organization of `kind` under `parent` inherits."""
    if parent is None:
        return None, None
    province_id = parent.province_id
    district_id = parent.district_id if (kind in LGO_KINDS or kind == Kind.DISTRICT) else None
    return province_id, district_id


@transaction.atomic
def create_organization(*, kind: str, name_th: str, parent: Organization | None = None, by=None, **fields):
    """Create an organization with its denormalised province/district links set."""
    province_id, district_id = ancestors_for(kind, parent)
    org = Organization.objects.create(
        kind=kind, name_th=name_th, parent=parent, province_id=province_id, district_id=district_id, **fields
    )
    # A province points to itself; a district to itself (see orgs.models).
    if kind == Kind.PROVINCE:
        org.province_id = org.pk
        org.save(update_fields=["province"])
    elif kind == Kind.DISTRICT:
        org.district_id = org.pk
        org.save(update_fields=["district"])
    if by is not None:
        record("org.create", actor=by, organization=org, obj=org, summary=name_th)
    return org


@transaction.atomic
def add_member(
    org: Organization, user, role: str, *, by=None, position: str = "", request=None
) -> Membership:
    membership, created = Membership.objects.get_or_create(
        user=user, organization=org, role=role, defaults={"position": position}
    )
    if created:
        record(
            "membership.add", actor=by, organization=org, obj=membership, request=request,
            summary=f"{user} · {role}", data={"user": user.pk, "role": role},
        )  # fmt: skip
    return membership


@transaction.atomic
def remove_member(membership: Membership, *, by, request=None) -> None:
    record(
        "membership.remove", actor=by, organization=membership.organization, obj=membership, request=request,
        summary=f"{membership.user} · {membership.role}",
        data={"user": membership.user_id, "role": membership.role},
    )  # fmt: skip
    membership.delete()


@transaction.atomic
def change_role(membership: Membership, role: str, *, by, request=None) -> Membership:
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    record(
        "membership.role", actor=by, organization=membership.organization, obj=membership, request=request,
        summary=f"{membership.user}: {old} → {role}", data={"from": old, "to": role},
    )  # fmt: skip
    return membership
