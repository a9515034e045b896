"""Directives down the chain, submissions up it, and the messages that chase both.

A directive (หนังสือสั่งการ/หนังสือเวียน) is issued by one organization to addressees; a relay is a
new Directive with `parent` set, issued by an organization that received the parent, with its own
number and date and an optional covering note. `root` points at the original directive of the
chain (the original points at itself), so a dashboard of "everything this circular reached" is one
filter on an indexed column.

A local government answers a directive that asks for a plan with a Submission of an approved plan
version to the directive's `submit_to` organization (OPDC), with SubmissionCopy rows for the
organizations the directive names (its province, its district).
"""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from orgs import access


class Urgency(models.TextChoices):
    NORMAL = "", _("Normal")
    URGENT = "urgent", _("Urgent (ด่วน)")
    VERY_URGENT = "very_urgent", _("Very urgent (ด่วนมาก)")
    MOST_URGENT = "most_urgent", _("Most urgent (ด่วนที่สุด)")


URGENCY_THAI = {
    Urgency.URGENT: "ด่วน",
    Urgency.VERY_URGENT: "ด่วนมาก",
    Urgency.MOST_URGENT: "ด่วนที่สุด",
}


class Ask(models.TextChoices):
    SUBMIT_PLAN = "submit_plan", _("Submit an approved BCP")
    INFORM = "inform", _("For information")


class DirectiveStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")


class CopyRule(models.TextChoices):
    """Organizations, relative to the submitter, that get a copy of each submission."""

    PROVINCE = "province", _("The submitter's province")
    DISTRICT = "district", _("The submitter's district")


class Group(models.TextChoices):
    """Addressee groups, relative to the issuing organization, expanded to organizations on issue."""

    DISTRICTS = "districts", _("All districts of this province")
    LGOS = "lgos", _("All local governments below this organization")
    DISTRICT_LGOS = "district_lgos", _("All local governments of this district")
    PROVINCES = "provinces", _("All provinces")
    PROVINCIAL_OFFICES = "provincial_offices", _("All provincial local-administration offices")


class DirectiveQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Directives the user's organizations issued (any state) or received (issued ones)."""
        issued = access.restrict(self, user, org_field="issuer")
        received = access.restrict(
            self.filter(status=DirectiveStatus.ISSUED), user, org_field="recipients__org"
        )
        return self.filter(Q(pk__in=issued.values("pk")) | Q(pk__in=received.values("pk")))

    def inbox_of(self, org):
        """Issued directives addressed (to or copy) to `org`."""
        return self.filter(status=DirectiveStatus.ISSUED, recipients__org=org)


class Directive(models.Model):
    """One circular as issued by one organization (an original or a relay)."""

    issuer = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="directives_issued",
        verbose_name=_("issuer"),
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="relays",
        verbose_name=_("relays"),
    )  # fmt: skip
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="chain", editable=False
    )
    status = models.CharField(
        _("status"), max_length=8, choices=DirectiveStatus.choices, default=DirectiveStatus.DRAFT
    )
    # ที่ พร ๐๐๒๓.๑/ว ๓๐๒๖: prefix from the issuer's letter_prefix, ว for circulars, register number.
    is_circular = models.BooleanField(_("circular (ว series)"), default=True)
    register_year = models.PositiveIntegerField(_("register year (C.E.)"), null=True, blank=True)
    register_number = models.PositiveIntegerField(_("register number"), null=True, blank=True)
    number = models.CharField(
        _("number"), max_length=80, blank=True,
        help_text=_("As printed, e.g. พร ๐๐๒๓.๑/ว ๓๐๒๖. Filled in by Phrom when left empty."),
    )  # fmt: skip
    date = models.DateField(_("date"), null=True, blank=True)
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices, blank=True, default="")
    subject = models.CharField(_("subject"), max_length=500)
    salutation = models.CharField(_("addressed to (เรียน)"), max_length=500, blank=True)
    references = models.JSONField(
        _("references (อ้างถึง)"), default=list, blank=True,
        help_text=_("List of {issuer, number, date} of earlier letters."),
    )  # fmt: skip
    body = models.TextField(_("body"), blank=True)
    closing = models.CharField(
        _("closing sentence"), max_length=500, blank=True, default="จึงเรียนมาเพื่อโปรดทราบและดำเนินการ"
    )
    cover_note = models.TextField(_("covering note"), blank=True)  # for relays
    ask = models.CharField(_("what is asked"), max_length=16, choices=Ask.choices, default=Ask.SUBMIT_PLAN)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submit_to = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("submissions go to"),
    )  # fmt: skip
    copy_rules = models.JSONField(_("copies of submissions to"), default=list, blank=True)  # [CopyRule]
    # Addressee groups chosen on a draft ([Group]); expanded to Recipient rows when it is issued.
    groups = models.JSONField(_("addressee groups"), default=list, blank=True)
    signer_name = models.CharField(_("signed by"), max_length=200, blank=True)
    signer_position = models.TextField(_("position"), blank=True)
    owning_unit = models.TextField(_("owning unit"), blank=True)
    contact = models.TextField(_("contact (phone, e-mail)"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = DirectiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("directive")
        verbose_name_plural = _("directives")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["root", "status"], name="directive_root_idx"),
            models.Index(fields=["issuer", "status"], name="directive_issuer_idx"),
        ]
        constraints = [
            # The ว series restarts every calendar year; a number is used once per issuer and year.
            models.UniqueConstraint(
                fields=["issuer", "is_circular", "register_year", "register_number"],
                condition=Q(register_number__isnull=False),
                name="directive_unique_register_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"


class Recipient(models.Model):
    """An organization a directive is addressed to (or copied to); opening it acknowledges it."""

    class Role(models.TextChoices):
        TO = "to", _("Addressee")
        COPY = "copy", _("Copy")

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="recipients")
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="directives_received")
    role = models.CharField(max_length=4, choices=Role.choices, default=Role.TO)
    group = models.CharField(max_length=24, choices=Group.choices, blank=True)  # how it was chosen
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["directive", "org"], name="recipient_unique")]
        indexes = [models.Index(fields=["org", "directive"], name="recipient_org_idx")]

    def __str__(self) -> str:
        return f"{self.directive_id} → {self.org_id} ({self.role})"


def enclosure_path(instance, filename):
    # Never the uploaded name: a generated path under the issuing organization.
    return f"directives/{instance.directive.issuer_id}/{uuid.uuid4().hex}"


class Enclosure(models.Model):
    """สิ่งที่ส่งมาด้วย: an enclosure line, with an uploaded file when there is one."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="enclosures")
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(_("title"), max_length=500)
    detail = models.CharField(_("number and date"), max_length=300, blank=True)
    quantity = models.CharField(_("quantity"), max_length=40, blank=True, default="๑ ชุด")
    file = models.FileField(upload_to=enclosure_path, blank=True, max_length=200)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned for revision")
    SUPERSEDED = "superseded", _("Replaced by a newer submission")


class SubmissionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The submitter's own, those sent to or copied to organizations the user may read."""
        mine = access.restrict(self, user, org_field="org")
        to = access.restrict(self, user, org_field="submitted_to")
        copies = access.restrict(self, user, org_field="copies__org")
        return self.filter(
            Q(pk__in=mine.values("pk")) | Q(pk__in=to.values("pk")) | Q(pk__in=copies.values("pk"))
        )


class Submission(models.Model):
    """A plan version sent up the chain in answer to a directive."""

    directive = models.ForeignKey(
        Directive, on_delete=models.PROTECT, related_name="submissions"
    )  # as received
    root = models.ForeignKey(Directive, on_delete=models.PROTECT, related_name="+", editable=False)
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="submissions")
    plan = models.ForeignKey("plans.Plan", on_delete=models.PROTECT, related_name="submissions")
    plan_digest = models.CharField(max_length=64)
    submitted_to = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    receipt_number = models.CharField(max_length=32, unique=True)
    idempotency_key = models.CharField(max_length=80, unique=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField()
    on_time = models.BooleanField(default=True)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        max_length=12, choices=SubmissionStatus.choices, default=SubmissionStatus.SUBMITTED
    )
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(_("comments"), blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["root", "org", "status"], name="submission_root_org_idx"),
            models.Index(fields=["submitted_to", "status"], name="submission_to_idx"),
        ]
        constraints = [
            # One live (not superseded) submission per organization and directive chain.
            models.UniqueConstraint(
                fields=["root", "org"], condition=~Q(status="superseded"), name="submission_one_live"
            ),
        ]

    def __str__(self) -> str:
        return self.receipt_number


class SubmissionCopy(models.Model):
    """สำเนาส่ง: an organization that receives a copy of a submission (province, district)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="copies")
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["submission", "org"], name="submission_copy_unique")]

    def __str__(self) -> str:
        return f"{self.submission_id} → {self.org_id}"


class MessageState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed (will retry)")
    GAVE_UP = "gave_up", _("Failed (gave up)")


class MessageKind(models.TextChoices):
    REMINDER = "reminder", _("Reminder before the deadline")
    OVERDUE = "overdue", _("Overdue digest")
    CONFIRMATION = "confirmation", _("Submission confirmation")
    RECEIVED = "received", _("Submission received (addressee)")
    COPY = "copy", _("Copy of a submission")
    REVIEW = "review", _("Review result")


class MessageQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Messages to an organization the user may read, or about a directive such an org issued."""
        to_org = access.restrict(self, user, org_field="org")
        by_issuer = access.restrict(self.filter(directive__isnull=False), user, org_field="directive__issuer")
        return self.filter(Q(pk__in=to_org.values("pk")) | Q(pk__in=by_issuer.values("pk")))

    def due(self, now):
        """Messages a sender may claim now: waiting or failed and due, or stuck in a lapsed claim."""
        waiting = Q(state__in=[MessageState.PENDING, MessageState.FAILED]) & (
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
        )
        lapsed = Q(state=MessageState.SENDING, next_attempt_at__lte=now)
        return self.filter(waiting | lapsed)


class Message(models.Model):
    """Every e-mail Phrom sends about directives, with its delivery state (an outbox).

    `dedupe_key` makes each message unique (e.g. ``reminder:<root>:<org>:7``), so a task that runs
    twice, or two workers, never send the same reminder twice. A sender claims a row with a
    conditional UPDATE (pending/failed → sending, `next_attempt_at` = end of the claim), so two
    workers never send the same row; a claim that lapses (a worker died mid-send) is picked up again.
    """

    kind = models.CharField(max_length=16, choices=MessageKind.choices)
    dedupe_key = models.CharField(max_length=160, unique=True)
    directive = models.ForeignKey(
        Directive, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    org = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")  # recipient org
    to = models.JSONField(default=list)  # e-mail addresses
    subject = models.CharField(max_length=300)
    body = models.TextField()
    html = models.TextField(blank=True)  # optional HTML alternative of `body`
    state = models.CharField(max_length=8, choices=MessageState.choices, default=MessageState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # When the next attempt is due (failed), or when the current claim lapses (sending).
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The sweeper: MessageQuerySet.due().
            models.Index(fields=["state", "next_attempt_at"], name="message_state_idx"),
            # The outbox page of an organization, newest first.
            models.Index(fields=["org", "-created_at"], name="message_org_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.dedupe_key} ({self.state})"

    @property
    def can_resend(self) -> bool:
        return self.state in (MessageState.FAILED, MessageState.GAVE_UP)


def receipt_number(root_id: int, org_id: int, key: str) -> str:
    """A stable, short receipt number for a submission (same inputs → same receipt)."""
    h = hashlib.sha256(f"{root_id}:{org_id}:{key}".encode()).hexdigest()[:8].upper()
    return f"R{root_id}-{org_id}-{h}"


from directives.dashboard_models import *  # noqa: E402, F403
