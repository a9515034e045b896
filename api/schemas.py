"""Shapes of the API's requests and responses (validation only, no logic)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.utils import timezone
from ninja import Field, Schema

from orgs.models import Kind, Role


class OrganizationOut(Schema):
    """Public facts about an organization: what a directory of public bodies would print."""

    id: int
    kind: Kind
    kind_label: str = Field(description="The type in the request's language (Accept-Language).")
    name_th: str
    name_en: str
    short_name_th: str
    parent_id: int | None
    province_id: int | None = Field(description="The province it lies in (a province: itself).")
    district_id: int | None = Field(description="The district it lies in (a district: itself).")
    geocode: str = Field(description="DOPA geocode of the area: province 2 digits, district 4.")
    dla_code: str | None = Field(description="Current DLA code (local governments only).")
    letter_prefix: str
    address: str
    postal_code: str
    phone: str
    email: str
    website: str
    latitude: float | None
    longitude: float | None

    @staticmethod
    def resolve_kind_label(obj) -> str:
        # str() resolves the lazy label in the language LocaleMiddleware activated.
        return str(obj.get_kind_display())


class OrganizationDetailOut(OrganizationOut):
    children_count: int = Field(description="Active organizations directly below this one.")


class OrganizationFilters(Schema):
    kind: list[Kind] = Field(
        default_factory=list, description="Only these types; repeat the parameter for several."
    )
    province: int | None = Field(None, description="Only organizations in this province (id).")
    district: int | None = Field(None, description="Only organizations in this district (id).")
    parent: int | None = Field(None, description="Only the direct children of this organization (id).")
    q: str = Field(
        "", max_length=100, description="Part of the Thai or English name, or an exact DLA code or geocode."
    )
    lgo_only: bool = Field(False, description="Only local governments (อปท.).")
    scope: Literal["all", "mine"] = Field(
        "all",
        description="`mine`: only organizations whose private data (members, plans) you may read.",
    )


class MemberOut(Schema):
    """A member of an organization with their contact details (personal data: reads are logged)."""

    user_id: int
    full_name: str
    position: str
    role: Role
    role_label: str
    phone: str
    email: str

    @staticmethod
    def resolve_full_name(obj) -> str:
        return obj.user.display_name

    @staticmethod
    def resolve_role_label(obj) -> str:
        return str(obj.get_role_display())

    @staticmethod
    def resolve_phone(obj) -> str:
        return obj.user.phone

    @staticmethod
    def resolve_email(obj) -> str:
        return obj.user.email


class MyMembershipOut(Schema):
    organization_id: int
    organization_name: str
    kind: Kind
    kind_label: str
    role: Role
    role_label: str
    position: str
    capabilities: list[Literal["can_plan", "can_approve", "can_manage_members", "oversees"]] = Field(
        description="What you may do in this organization."
    )


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    email: str
    phone: str
    language: str
    is_site_admin: bool
    memberships: list[MyMembershipOut]


class TokenOut(Schema):
    """A personal API token as its owner sees it later: never the key itself."""

    id: int
    name: str
    prefix: str = Field(description="The first characters of the key, to tell tokens apart.")
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None = Field(description="Accurate to about a minute.")
    revoked_at: datetime | None
    is_active: bool = Field(description="Neither revoked nor expired.")

    @staticmethod
    def resolve_is_active(obj) -> bool:
        return obj.revoked_at is None and (obj.expires_at is None or obj.expires_at > timezone.now())
