"""Where citizens live: subdistricts and which local governments serve them (the office finder).

DOPA's subdistricts (ตำบล, 6-digit geocode) hang under the district organizations of orgs. Which
local government serves which subdistrict is not in the open data (DLA's coverage rows were lost),
so every Coverage row says where the link comes from: a name match (the อบต. or เทศบาลตำบล named
after the subdistrict), a municipality that covers the subdistricts no other body is named after,
or the organization itself confirming it. The finder shows the source in plain words.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Coverage", "CoverageSource", "Subdistrict"]


class Subdistrict(models.Model):
    """A ตำบล (แขวง in Bangkok), as in DOPA's geocode list."""

    code = models.CharField(_("DOPA geocode"), max_length=6, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    district = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="subdistricts",
        limit_choices_to={"kind": "district"},
    )  # fmt: skip
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        verbose_name = _("subdistrict")
        verbose_name_plural = _("subdistricts")
        ordering = ["name_th", "code"]
        indexes = [
            # The finder's third select: subdistricts of one district, by name.
            models.Index(fields=["district", "name_th"], name="subdistrict_district_idx"),
        ]

    def __str__(self) -> str:
        return self.name_th


class CoverageSource(models.TextChoices):
    NAMESAKE = "namesake", _("Named after the subdistrict")
    MUNICIPALITY = "municipality", _("Municipality of the district")
    CONFIRMED = "confirmed", _("Confirmed by the organization")


class Coverage(models.Model):
    """A local government that serves (all or part of) a subdistrict, and how we know."""

    org = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="coverage")
    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.CASCADE, related_name="coverage")
    source = models.CharField(max_length=16, choices=CoverageSource.choices)

    class Meta:
        verbose_name = _("coverage")
        verbose_name_plural = _("coverage")
        constraints = [
            models.UniqueConstraint(fields=["org", "subdistrict"], name="coverage_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.org_id} → {self.subdistrict_id} ({self.source})"
