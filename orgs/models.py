"""The organizations that act in the BCP chain, and who belongs to them.

One model for every body: OPDC (สำนักงาน ก.พ.ร.), the DLA (กรมส่งเสริมการปกครองท้องถิ่น), the 77
provinces (จังหวัด) with their provincial local-administration offices (สถจ.), the districts (อำเภอ)
and the local governments (อปท. = local government organizations).

Every organization carries denormalised links to the province and district it lies in (a province
points to itself, a district to itself), so "everything below this province" is one indexed
filter on province_id — never a walk of the tree.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    OPDC = "opdc", _("Office of the Public Sector Development Commission")
    DLA = "dla", _("Department of Local Administration")
    PROVINCE = "province", _("Province")
    PROVINCIAL_OFFICE = "provincial_office", _("Provincial Local Administration Office")
    DISTRICT = "district", _("District")
    # อปท. types, as in DLA's list (the type digit of the DLA code in brackets)
    PAO = "provincial_admin_org", _("Provincial Administrative Organization")  # อบจ. [2]
    CITY_MUNICIPALITY = "city_municipality", _("City Municipality")  # เทศบาลนคร [3]
    TOWN_MUNICIPALITY = "town_municipality", _("Town Municipality")  # เทศบาลเมือง [4]
    SUBDISTRICT_MUNICIPALITY = "subdistrict_municipality", _("Subdistrict Municipality")  # ทต. [5]
    SAO = "subdistrict_admin_org", _("Subdistrict Administrative Organization")  # อบต. [6]
    PATTAYA = "pattaya", _("Pattaya City")  # เมืองพัทยา [3]


LGO_KINDS = frozenset(
    {
        Kind.PAO,
        Kind.CITY_MUNICIPALITY,
        Kind.TOWN_MUNICIPALITY,
        Kind.SUBDISTRICT_MUNICIPALITY,
        Kind.SAO,
        Kind.PATTAYA,
    }
)
NATIONAL_KINDS = frozenset({Kind.OPDC, Kind.DLA})
PROVINCIAL_KINDS = frozenset({Kind.PROVINCE, Kind.PROVINCIAL_OFFICE})

# Thai abbreviations used in lists and letters.
KIND_ABBREV = {
    Kind.OPDC: "สำนักงาน ก.พ.ร.",
    Kind.DLA: "สถ.",
    Kind.PROVINCE: "จ.",
    Kind.PROVINCIAL_OFFICE: "สถจ.",
    Kind.DISTRICT: "อ.",
    Kind.PAO: "อบจ.",
    Kind.CITY_MUNICIPALITY: "ทน.",
    Kind.TOWN_MUNICIPALITY: "ทม.",
    Kind.SUBDISTRICT_MUNICIPALITY: "ทต.",
    Kind.SAO: "อบต.",
    Kind.PATTAYA: "เมืองพัทยา",
}
# The first digit of a DLA code names the type of the local government.
DLA_TYPE_DIGIT = {
    "2": Kind.PAO,
    "3": Kind.CITY_MUNICIPALITY,
    "4": Kind.TOWN_MUNICIPALITY,
    "5": Kind.SUBDISTRICT_MUNICIPALITY,
    "6": Kind.SAO,
}


class OrganizationQuerySet(models.QuerySet):
    def lgos(self):
        return self.filter(kind__in=LGO_KINDS)

    def within(self, org: Organization):
        """The organization and everything below it, as one indexed filter."""
        return self.filter(org.subtree_q())

    def search(self, text: str):
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(
            Q(name_th__icontains=text) | Q(name_en__icontains=text) | Q(dla_code=text) | Q(geocode=text)
        )

    def visible_to(self, user):
        from orgs import access

        return access.restrict_orgs(self, user)


class Organization(models.Model):
    """A public body in the BCP chain (OPDC, DLA, province, district, or a local government)."""

    kind = models.CharField(_("type"), max_length=32, choices=Kind.choices)
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    short_name_th = models.CharField(
        _("short name (Thai)"), max_length=100, blank=True, help_text=_("For example อบต.ป่าแดง.")
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )  # fmt: skip
    # Denormalised ancestors: a province points to itself, a district to itself.
    province = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    district = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    # DOPA geocode of the area the body stands for: province 2 digits, district 4, subdistrict 6.
    geocode = models.CharField(_("DOPA geocode"), max_length=8, blank=True, db_index=True)
    # The current DLA code (รหัส อปท.). It changes when an อบต. becomes a เทศบาลตำบล, so it is
    # not the identity: DlaCode keeps every code an organization has had.
    dla_code = models.CharField(_("DLA code"), max_length=8, blank=True, null=True, unique=True)
    letter_prefix = models.CharField(
        _("letter-code prefix"), max_length=40, blank=True,
        help_text=_("The official prefix of outgoing letter numbers, for example พร ๐๐๒๓.๑"),
    )  # fmt: skip
    address = models.TextField(_("address"), blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["kind", "name_th"]
        indexes = [
            # The organization browser: local governments of a province / district by type.
            models.Index(fields=["province", "kind", "name_th"], name="org_province_kind_idx"),
            models.Index(fields=["district", "kind", "name_th"], name="org_district_kind_idx"),
            models.Index(fields=["kind", "name_th"], name="org_kind_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=[k.value for k in Kind]), name="org_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name_th

    # -- kinds -------------------------------------------------------------------------------
    @property
    def is_lgo(self) -> bool:
        return self.kind in LGO_KINDS

    @property
    def is_national(self) -> bool:
        return self.kind in NATIONAL_KINDS

    @property
    def kind_abbrev(self) -> str:
        return KIND_ABBREV.get(self.kind, "")

    @property
    def display_name(self) -> str:
        return self.name_th

    def subtree_q(self, prefix: str = "") -> Q:
        """A Q selecting this organization and everything below it (prefix for related lookups)."""
        if self.kind in NATIONAL_KINDS:
            return Q()
        if self.kind in PROVINCIAL_KINDS:
            return Q(**{f"{prefix}province_id": self.province_id})
        if self.kind == Kind.DISTRICT:
            return Q(**{f"{prefix}district_id": self.pk})
        return Q(**{f"{prefix}pk": self.pk})

    def ancestors(self) -> list[Organization]:
        """From the top down, excluding self (a few rows, fetched in one query)."""
        ids = [i for i in (self.province_id, self.district_id, self.parent_id) if i and i != self.pk]
        found = {o.pk: o for o in Organization.objects.filter(pk__in=ids)}
        chain = []
        for i in (self.province_id, self.district_id, self.parent_id):
            if i in found and found[i] not in chain:
                chain.append(found[i])
        return chain


class DlaCode(models.Model):
    """Every DLA code an organization has had; the loader matches on old codes after an upgrade."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="dla_codes")
    code = models.CharField(max_length=8, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    first_seen = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("DLA code")
        verbose_name_plural = _("DLA codes")

    def __str__(self) -> str:
        return self.code


class Role(models.TextChoices):
    PLANNER = "planner", _("Planner")
    APPROVER = "approver", _("Approver")
    VIEWER = "viewer", _("Viewer")
    OVERSEER = "overseer", _("Overseer")
    ADMIN = "admin", _("Organization admin")
    SERVICE = "service", _("Service staff")


ROLE_HELP = {
    Role.PLANNER: _("Writes and revises the organization's plans."),
    Role.APPROVER: _("The executive who approves plans and signs letters."),
    Role.VIEWER: _("Reads the organization's plans and figures."),
    Role.OVERSEER: _("Sees everything below the organization, read-only; acts on directives and reviews."),
    Role.SERVICE: _("Works citizens' online requests and keeps the e-service catalogue."),
    Role.ADMIN: _("Manages the organization's members and invitations."),
}


class MembershipQuerySet(models.QuerySet):
    def visible_to(self, user):
        from orgs import access

        return access.restrict(self, user, org_field="organization")


class Membership(models.Model):
    """A user's role in one organization."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    position = models.CharField(
        _("position"), max_length=200, blank=True, help_text=_("For example ปลัดองค์การบริหารส่วนตำบล")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "role"], name="membership_unique_role"),
        ]
        ordering = ["organization_id", "role"]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organization}"
