"""Citizen e-services: each local government's public catalogue and the online requests its staff
work from — the alternative channel that keeps public services running when the counter closes.

A Service follows the citizen's manual (คู่มือสำหรับประชาชน) of the Licensing Facilitation Act
2558. Its request form is data (FormField rows). A citizen's Request is tracked without an
account by its tracking code plus the last four digits of the phone given; every status change is
a RequestEvent (the history the citizen sees), staff notes and messages are RequestEvents too.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from orgs import access


class OrgOwnedQuerySet(models.QuerySet):
    org_field = "org"

    def visible_to(self, user):
        return access.restrict(self, user, org_field=self.org_field)


class Channel(models.TextChoices):
    ONLINE_FORM = "online_form", _("Online form in Phrom")
    EMAIL = "email", _("E-mail")
    LINE = "line", _("LINE official account")
    PHONE = "phone", _("Phone")
    DROP_BOX = "drop_box", _("Drop box at the office")
    POST = "post", _("Post")
    COUNTER = "counter", _("Office counter")


class ServiceQuerySet(OrgOwnedQuerySet):
    def published(self):
        return self.filter(is_published=True)


class Service(models.Model):
    """One catalogue entry of an organization, in the structure of the citizen's manual."""

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="services")
    slug = models.SlugField(max_length=80, allow_unicode=False)
    starter_key = models.CharField(max_length=80, blank=True)  # the starter-library entry it came from
    name = models.CharField(_("name of the service"), max_length=300)
    summary = models.TextField(_("short description"), blank=True)
    unit = models.CharField(_("responsible unit"), max_length=200, blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    eligibility = models.TextField(_("who may apply"), blank=True)
    hours = models.TextField(_("channels and office hours"), blank=True)
    steps = models.JSONField(_("steps"), default=list, blank=True)  # [{"text", "minutes", "unit"}]
    processing_days = models.PositiveSmallIntegerField(
        _("total processing time (working days)"), null=True, blank=True
    )
    processing_minutes = models.PositiveIntegerField(
        _("total processing time (minutes)"), null=True, blank=True
    )
    documents = models.JSONField(
        _("documents required"), default=list, blank=True
    )  # [{"name","original","copies","note"}]
    fees = models.TextField(_("fees"), blank=True)
    complaints = models.TextField(_("where to complain"), blank=True)
    channels = models.JSONField(_("channels"), default=list, blank=True)  # [Channel]
    channel_details = models.JSONField(default=dict, blank=True)  # Channel -> text (e-mail, LINE id, …)
    available_online = models.BooleanField(_("available online"), default=False)
    accepts_requests = models.BooleanField(_("accepts requests through Phrom"), default=False)
    is_published = models.BooleanField(_("published"), default=False)
    order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["org", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["org", "slug"], name="service_unique_slug")]

    def __str__(self) -> str:
        return self.name


def form_file_path(instance, filename):
    return f"eservices/{instance.service.org_id}/forms/{uuid.uuid4().hex}"


class ServiceForm(models.Model):
    """A downloadable form (แบบฟอร์ม) of a service; public."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="forms")
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(upload_to=form_file_path, max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class FieldType(models.TextChoices):
    TEXT = "text", _("Short text")
    TEXTAREA = "textarea", _("Long text")
    CHOICE = "choice", _("Choice")
    DATE = "date", _("Date")
    NATIONAL_ID = "national_id", _("Thai national ID")
    PHONE = "phone", _("Phone number")
    ADDRESS = "address", _("Address")
    NUMBER = "number", _("Number")


class FormField(models.Model):
    """One field of a service's request form, defined by its organization."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="fields")
    key = models.SlugField(max_length=60)
    label = models.CharField(_("label"), max_length=200)
    help_text = models.CharField(_("help text"), max_length=500, blank=True)
    field_type = models.CharField(_("type"), max_length=16, choices=FieldType.choices, default=FieldType.TEXT)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["service", "key"], name="formfield_unique_key")]

    def __str__(self) -> str:
        return self.label


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting for the citizen")
    DONE = "done", _("Done")
    REJECTED = "rejected", _("Rejected")


OPEN_STATUSES = (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS, RequestStatus.WAITING)


class RequestQuerySet(OrgOwnedQuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class Request(models.Model):
    """A citizen's request for a service (personal data: every staff view is access-logged)."""

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="citizen_requests")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="requests")
    tracking_code = models.CharField(max_length=20, unique=True)
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.ONLINE_FORM)
    applicant_name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=20)
    phone_last4 = models.CharField(max_length=4, editable=False)
    email = models.EmailField(_("e-mail"), blank=True)
    answers = models.JSONField(default=dict)  # FormField.key -> value (as validated)
    status = models.CharField(max_length=12, choices=RequestStatus.choices, default=RequestStatus.RECEIVED)
    status_reason = models.TextField(blank=True)  # e.g. why rejected, what is awaited
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    privacy_accepted_at = models.DateTimeField()
    submitted_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True)  # from the service's published time
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = RequestQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["org", "status", "submitted_at"], name="request_org_status_idx"),
            models.Index(fields=["service", "status"], name="request_service_idx"),
        ]

    def __str__(self) -> str:
        return self.tracking_code


def attachment_path(instance, filename):
    # Never the uploaded name: it is kept in original_name and only shown, never used as a path.
    return f"eservices/{instance.request.org_id}/requests/{uuid.uuid4().hex}"


class Attachment(models.Model):
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by_citizen = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class EventKind(models.TextChoices):
    STATUS = "status", _("Status change")
    MESSAGE = "message", _("Message to the citizen")
    CITIZEN = "citizen", _("Message or document from the citizen")
    NOTE = "note", _("Internal note")
    ASSIGN = "assign", _("Assignment")


class RequestEvent(models.Model):
    """The request's history: what the citizen sees (status, messages) and what only staff see (notes)."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=8, choices=EventKind.choices)
    status = models.CharField(max_length=12, choices=RequestStatus.choices, blank=True)
    text = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["request", "kind"], name="requestevent_kind_idx")]

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind}"

    @property
    def is_public(self) -> bool:
        return self.kind not in (EventKind.NOTE, EventKind.ASSIGN)


class CrisisNotice(models.Model):
    """A notice on the organization's public pages ("the counter is closed; apply online")."""

    org = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="crisis_notices")
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"))
    channels = models.JSONField(_("channels that apply"), default=list, blank=True)
    services = models.ManyToManyField(Service, blank=True, related_name="crisis_notices")
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"), null=True, blank=True)
    is_active = models.BooleanField(_("published"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrgOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                                   name="crisisnotice_ends_after_start"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.title


from eservices.geo_models import *  # noqa: E402, F403
