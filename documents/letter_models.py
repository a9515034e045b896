"""Per-organization settings for letters and documents (emblem, signer, owning unit, digits).

`document_settings_for(org)` is what renderers and builders read: a plain dict, with sensible
defaults taken from the organization when nothing was saved, so a letter can always be drafted.
The emblem is stored in the database (a PNG re-encoded from the upload, at most ~600 px high):
web processes are stateless and the image is small.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["DocumentSettings", "Digits", "document_settings", "document_settings_for", "executive_title_for"]


class Digits(models.TextChoices):
    THAI = "thai", _("Thai digits (๐๑๒๓)")
    ARABIC = "arabic", _("Arabic digits (0123)")


class DocumentSettingsQuerySet(models.QuerySet):
    def visible_to(self, user):
        from orgs import access

        return access.restrict(self, user, org_field="organization")


class DocumentSettings(models.Model):
    """How an organization's letters and plan documents are printed."""

    organization = models.OneToOneField(
        "orgs.Organization", on_delete=models.CASCADE, related_name="document_settings"
    )
    digits = models.CharField(
        _("digits in documents"), max_length=8, choices=Digits.choices, default=Digits.THAI
    )
    office_lines = models.TextField(
        _("office name and address"), blank=True,
        help_text=_("Printed at the top right of a letter, one line each, for example "
                    "องค์การบริหารส่วนตำบลป่าแดง / อำเภอเมืองแพร่ จังหวัดแพร่ ๕๔๐๐๐."),
    )  # fmt: skip
    owning_unit = models.TextField(
        _("unit that owns the letters"), blank=True,
        help_text=_("Printed at the bottom left, one line each, for example สำนักปลัด / งานธุรการ."),
    )  # fmt: skip
    phone = models.CharField(_("office phone"), max_length=60, blank=True)
    fax = models.CharField(_("office fax"), max_length=60, blank=True)
    email = models.EmailField(_("office e-mail"), blank=True)
    executive_title = models.CharField(
        _("title of the executive"), max_length=200, blank=True,
        help_text=_("For example นายกองค์การบริหารส่วนตำบลป่าแดง. Used in orders, announcements and "
                    "as the signer's position."),
    )  # fmt: skip
    signer_name = models.CharField(
        _("name of the person who signs"), max_length=200, blank=True,
        help_text=_("Full name with title, without brackets, for example นายสมชาย ใจดี."),
    )  # fmt: skip
    signer_positions = models.TextField(
        _("signer's position lines"), blank=True,
        help_text=_("One line each, for example ปลัดองค์การบริหารส่วนตำบล ปฏิบัติราชการแทน / "
                    "นายกองค์การบริหารส่วนตำบลป่าแดง. Empty: the executive's title."),
    )  # fmt: skip
    emblem_png = models.BinaryField(_("emblem"), blank=True, null=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = DocumentSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("document settings")
        verbose_name_plural = _("document settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(digits__in=["thai", "arabic"]), name="docsettings_digits_valid"
            ),
        ]

    def __str__(self) -> str:
        return str(self.organization)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# A local government's executive: the organization's name after the right title.
_EXECUTIVE_PREFIXES = [
    ("เทศบาลนคร", "นายกเทศมนตรีนคร"),
    ("เทศบาลเมือง", "นายกเทศมนตรีเมือง"),
    ("เทศบาลตำบล", "นายกเทศมนตรีตำบล"),
    ("องค์การบริหารส่วน", "นายกองค์การบริหารส่วน"),
    ("เมืองพัทยา", "นายกเมืองพัทยา"),
    ("จังหวัด", "ผู้ว่าราชการจังหวัด"),
    ("อำเภอ", "นายอำเภอ"),
]


def executive_title_for(org) -> str:
    """นายกองค์การบริหารส่วนตำบลป่าแดง, นายกเทศมนตรีตำบลช่อแฮ, ผู้ว่าราชการจังหวัดแพร่, …"""
    name = org.name_th.strip()
    for prefix, title in _EXECUTIVE_PREFIXES:
        if name.startswith(prefix):
            return title + name[len(prefix) :]
    if org.kind == "opdc":
        return "เลขาธิการ ก.พ.ร."
    if org.kind == "dla":
        return "อธิบดีกรมส่งเสริมการปกครองท้องถิ่น"
    return f"หัวหน้า{name}"


def default_office_lines(org) -> list[str]:
    lines = [org.name_th]
    address = _lines(org.address)
    if address and org.postal_code and org.postal_code not in address[-1]:
        address[-1] = f"{address[-1]} {org.postal_code}"
    elif not address and org.postal_code:
        address = [org.postal_code]
    return lines + address


@cache
def _file_bytes(path: str) -> bytes | None:
    try:
        return Path(path).read_bytes()
    except OSError:
        return None


def placeholder_emblem() -> bytes:
    """The neutral seal used until an organization uploads its emblem (no national symbol)."""
    from documents.inputs import PLACEHOLDER_EMBLEM

    return _file_bytes(str(PLACEHOLDER_EMBLEM))


def site_emblem() -> bytes | None:
    """settings.PHROM_EMBLEM_PATH (a PNG, JPEG or SVG file), if set and readable."""
    path = getattr(settings, "PHROM_EMBLEM_PATH", "")
    return _file_bytes(str(path)) if path else None


def document_settings_for(org) -> dict:
    """The organization's document settings as a plain dict (defaults when none were saved).

    Keys: digits, issuer, letter_prefix, office_lines, owning_unit, phone, fax, email,
    executive_title, signer_name, signer_positions, emblem (bytes), emblem_source
    ("organization" | "site" | "placeholder"), saved (bool).
    """
    saved = DocumentSettings.objects.filter(organization=org).first()
    executive = (saved.executive_title if saved else "") or executive_title_for(org)
    emblem, source = None, "placeholder"
    if saved and saved.emblem_png:
        emblem, source = bytes(saved.emblem_png), "organization"
    elif site_emblem():
        emblem, source = site_emblem(), "site"
    if emblem is None:
        emblem = placeholder_emblem()
    return {
        "digits": saved.digits if saved else Digits.THAI.value,
        "issuer": org.name_th,
        "letter_prefix": " ".join((org.letter_prefix or "").split()),
        "office_lines": (_lines(saved.office_lines) if saved else []) or default_office_lines(org),
        "owning_unit": _lines(saved.owning_unit) if saved else [],
        "phone": (saved.phone if saved else "") or org.phone,
        "fax": saved.fax if saved else "",
        "email": (saved.email if saved else "") or org.email,
        "executive_title": executive,
        "signer_name": saved.signer_name if saved else "",
        "signer_positions": (_lines(saved.signer_positions) if saved else []) or [executive],
        "emblem": emblem,
        "emblem_source": source,
        "saved": saved is not None,
    }


def document_settings(org) -> dict:
    """For documents.inputs (the plan documents): digits, and the emblem unless it is the placeholder
    (the plan renderer then uses its own copy of the same placeholder)."""
    found = document_settings_for(org)
    emblem = None if found["emblem_source"] == "placeholder" else found["emblem"]
    return {"digits": found["digits"], "emblem": emblem, "emblem_bytes": emblem}
