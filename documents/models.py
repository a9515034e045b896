"""Models of the documents app.

`letter_models` holds the per-organization document settings used by letters; it lives in its
own module so the letters and the plan-document code can change independently.
"""

import secrets  # noqa: E402

from django.conf import settings  # noqa: E402
from django.db import models  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.utils.translation import gettext_lazy as _  # noqa: E402

from documents.letter_models import *  # noqa: F403

# Verification codes: 10 characters from an alphabet without look-alikes (no 0/O, 1/I/L), shown
# as ABCD-EFGH-JK. 31^10 ≈ 8·10^14 codes: guessing one that exists is hopeless.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """'ABCDEFGHJK' -> 'ABCD-EFGH-JK' (how it is printed and typed)."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalize_code(text: str) -> str:
    """What a person typed -> the stored form; '' when it cannot be a code."""
    compact = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    if len(compact) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in compact):
        return ""
    return compact


class GeneratedDocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        from orgs import access

        return access.restrict(self, user, org_field="plan__org")


class GeneratedDocument(models.Model):
    """One generated document of a plan (a PDF, a DOCX, a letter): its job, its file and the
    verification code printed on it.

    The row is also the job and its lock. Approved versions are generated once: at most one row per
    cache key (kind + snapshot digest + options) with ``cached`` set. A draft is rendered fresh on
    every request, but while one is being prepared a second click finds the same row (at most one
    pending/running row per key). A worker takes a job with a conditional UPDATE
    (pending → running), so two workers never render the same row.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    code = models.CharField(_("verification code"), max_length=CODE_LENGTH, unique=True, default=new_code)
    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=40)
    options = models.JSONField(default=dict, blank=True)
    cache_key = models.CharField(max_length=64, db_index=True, editable=False)
    cached = models.BooleanField(default=False, help_text="An approved version's document, generated once.")
    digest = models.CharField(_("SHA-256 of the plan"), max_length=64)
    plan_status = models.CharField(max_length=16)
    plan_revision = models.PositiveIntegerField(default=1)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    file = models.FileField(upload_to="documents/", blank=True, max_length=300)
    size = models.PositiveIntegerField(null=True, blank=True)
    filename = models.CharField(max_length=300, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = GeneratedDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["cache_key"], condition=Q(cached=True), name="gendoc_one_cached"),
            models.UniqueConstraint(
                fields=["cache_key"],
                condition=Q(cached=False, state__in=["pending", "running"]),
                name="gendoc_one_in_flight",
            ),
        ]
        indexes = [models.Index(fields=["plan", "kind", "-created_at"], name="gendoc_plan_kind_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.display_code}"

    @property
    def display_code(self) -> str:
        return format_code(self.code)

    @property
    def is_done(self) -> bool:
        return self.state in (self.State.READY, self.State.FAILED)
