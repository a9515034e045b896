"""A Business Continuity Plan (BCP) in the OPDC form, as data.

The plan (``Plan``) holds its metadata and structured assumptions; every table of the form is a
model of rows that belong to one plan. Rows are edited one at a time and carry a ``version``
counter: a save names the version it started from, and a save from a stale version is refused
(optimistic locking), so two people never silently overwrite each other.

Section numbers follow the OPDC form (see ../shared/spec/opdc-bcp.md):
§1 objectives, §2 assumptions, §3 scope (scenarios, processes), §4 ตารางที่ 1 (impact matrix),
§5 ตารางที่ 2 (team, call tree), §6 ตารางที่ 3 (BIA), §7 ตารางที่ 4–8 (resources),
§8 ตารางที่ 9 (strategies), §9 procedures; then optional sections and annexes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OrgOwnedQuerySet(models.QuerySet):
    """Querysets of rows that belong to an organization through ``org``."""

    org_field = "org"

    def visible_to(self, user):
        from orgs import access

        return access.restrict(self, user, org_field=self.org_field)


class PlanRowQuerySet(OrgOwnedQuerySet):
    org_field = "plan__org"


# -- enumerations (Thai labels come from the translation catalogue) ------------------------


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    SUPERSEDED = "superseded", _("Superseded")


class ResourceType(models.TextChoices):
    BUILDING = "building", _("Buildings and main workplace")
    EQUIPMENT = "equipment", _("Key equipment and supplies")
    IT_DATA = "it_data", _("Information technology and key data")
    PERSONNEL = "personnel", _("Key personnel")
    PARTNERS = "partners", _("Partners, service providers and key stakeholders")


RESOURCE_TABLE_NUMBER = {  # ตารางที่ 4–8 in the OPDC form
    ResourceType.BUILDING: 4,
    ResourceType.EQUIPMENT: 5,
    ResourceType.IT_DATA: 6,
    ResourceType.PERSONNEL: 7,
    ResourceType.PARTNERS: 8,
}


class ScenarioKind(models.TextChoices):
    FLOOD = "flood", _("Flood")
    FIRE = "fire", _("Fire")
    EPIDEMIC = "epidemic", _("Epidemic or emerging infectious disease")
    PROTEST = "protest", _("Protest or riot")
    EARTHQUAKE = "earthquake", _("Earthquake or building collapse")
    CYBER = "cyber", _("Cyber threat or IT system failure")
    STORM = "storm", _("Storm")
    POWER = "power", _("Power outage")
    DROUGHT = "drought", _("Drought")
    HAZE = "haze", _("Haze and PM2.5")
    CUSTOM = "custom", _("Other (custom)")


CORE_SCENARIOS = (ScenarioKind.FLOOD, ScenarioKind.FIRE, ScenarioKind.EPIDEMIC, ScenarioKind.PROTEST)


class Mission(models.TextChoices):
    GENERAL = "general", _("General mission")
    PUBLIC_SERVICE = "public_service", _("Public-service mission")


class Impact(models.TextChoices):
    VERY_HIGH = "very_high", _("Very high")
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Window(models.TextChoices):
    """The five recovery windows of the OPDC form (RTO and resource columns)."""

    H4 = "h4", _("4 hours")
    D1 = "d1", _("1 day")
    W1 = "w1", _("1 week")
    W2 = "w2", _("2 weeks")
    M1 = "m1", _("1 month")


WINDOW_ORDER = [Window.H4, Window.D1, Window.W1, Window.W2, Window.M1]
WINDOW_HOURS = {Window.H4: 4, Window.D1: 24, Window.W1: 168, Window.W2: 336, Window.M1: 720}


class Phase(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediate response (within 24 hours)")
    SHORT = "short", _("Short term (days 1–7)")
    MEDIUM = "medium", _("Medium term (days 7–30)")
    LONG = "long", _("Long term (beyond 30 days)")


class ChannelType(models.TextChoices):
    ESERVICE = "eservice", _("Online form in Phrom")
    WEB = "web", _("Website or web form")
    EMAIL = "email", _("E-mail")
    LINE = "line", _("LINE official account")
    FACEBOOK = "facebook", _("Facebook page")
    PHONE = "phone", _("Phone")
    DROPBOX = "dropbox", _("Drop box at the office")
    POST = "post", _("Post")
    EDOC = "edoc", _("Electronic correspondence system")
    OTHER = "other", _("Other")


class ContactKind(models.TextChoices):
    INTERNAL = "internal", _("Internal")
    EXTERNAL = "external", _("External")


class ListSection(models.TextChoices):
    """Ordered lists of text in the plan."""

    OBJECTIVES = "objectives", _("Objectives")
    ASSUMPTIONS = "assumptions", _("Assumptions")
    PREVENTION = "prevention", _("Prevention and mitigation")
    BUDGET = "budget", _("Financial preparedness and budget")
    ALERT_LEVELS = "alert_levels", _("Measures by alert level")
    LEGAL = "legal", _("Relevant laws and announcements")
    SUPPORTING = "supporting", _("Supporting systems")


class TextSection(models.TextChoices):
    """Free-text parts of the plan."""

    INTRODUCTION = "introduction", _("Introduction")
    FOREWORD = "foreword", _("Foreword")
    SCOPE_NOTE = "scope_note", _("Scope: notes")
    IMPACT_NOTE = "impact_note", _("Impact analysis: notes")
    TEAM_NOTE = "team_note", _("Team: notes")
    BIA_NOTE = "bia_note", _("Business impact analysis: notes")
    RESOURCES_NOTE = "resources_note", _("Resources: notes")
    STRATEGY_NOTE = "strategy_note", _("Strategies: notes")
    PROCEDURES_NOTE = "procedures_note", _("Procedures: notes")


# -- the plan --------------------------------------------------------------------------------


class PlanQuerySet(OrgOwnedQuerySet):
    def current(self):
        return self.exclude(status=Status.SUPERSEDED)


class Plan(models.Model):
    """One version of an organization's BCP (a revision is a new Plan based on the previous one)."""

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="plans")
    title = models.CharField(_("title"), max_length=300)
    fiscal_year = models.PositiveIntegerField(_("fiscal year (B.E.)"), help_text=_("For example 2569"))
    revision = models.PositiveIntegerField(_("revision"), default=1)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="revisions"
    )
    # §2 structured assumptions
    absence_percent = models.PositiveSmallIntegerField(
        _("staff absence assumed (%)"), null=True, blank=True,
        help_text=_("The share of staff who may be unable to work at the same time, e.g. 30."),
    )  # fmt: skip
    longest_outage_days = models.PositiveSmallIntegerField(
        _("longest disruption assumed (days)"), null=True, blank=True,
        help_text=_("How long the plan must hold, e.g. 60 for a prolonged epidemic."),
    )  # fmt: skip
    alternate_site = models.CharField(
        _("alternate site"), max_length=300, blank=True,
        help_text=_("Where work continues if the office cannot be used, e.g. the community hall."),
    )  # fmt: skip
    # §4 (the 2020 instruction): answers of the prolonged-epidemic review, key -> text/bool
    epidemic_review = models.JSONField(_("prolonged-epidemic review"), default=dict, blank=True)
    epidemic_reviewed_at = models.DateTimeField(null=True, blank=True)
    next_review_date = models.DateField(_("next review"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # The frozen snapshot of an approved version (the export format) and its SHA-256.
    snapshot = models.JSONField(null=True, blank=True, editable=False)
    digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    # The checker's readiness score (0-100) as of `score_at`, kept for dashboards and league tables.
    score = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    score_at = models.DateTimeField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)  # optimistic lock of the fields above

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-fiscal_year", "-revision"]
        indexes = [models.Index(fields=["org", "status"], name="plan_org_status_idx")]
        constraints = [
            models.UniqueConstraint(fields=["org", "revision"], name="plan_unique_revision"),
            # At most one approved version per organization at a time.
            models.UniqueConstraint(
                fields=["org"], condition=Q(status="approved"), name="plan_one_approved_per_org"
            ),
            models.CheckConstraint(
                condition=Q(absence_percent__isnull=True) | Q(absence_percent__lte=100),
                name="plan_absence_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()}, {self.revision})"

    @property
    def is_editable(self) -> bool:
        return self.status == Status.DRAFT


class PlanRow(models.Model):
    """Common shape of every row of a plan: ordered, versioned, with free-text notes."""

    order = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PlanRowQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["order", "id"]


class ListItem(PlanRow):
    """One entry of an ordered list (objectives, assumptions, optional sections)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="list_items")
    section = models.CharField(max_length=24, choices=ListSection.choices)
    text = models.TextField(_("text"))

    class Meta(PlanRow.Meta):
        indexes = [models.Index(fields=["plan", "section", "order"], name="listitem_plan_section_idx")]

    def __str__(self) -> str:
        return self.text[:80]


class PlanText(PlanRow):
    """A free-text part of the plan (introduction, notes under a table)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="texts")
    key = models.CharField(max_length=24, choices=TextSection.choices)
    text = models.TextField(_("text"), blank=True)

    class Meta(PlanRow.Meta):
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="plantext_unique_key")]

    def __str__(self) -> str:
        return self.get_key_display()


class Unit(models.Model):
    """A unit (ส่วนราชการ) of an organization, e.g. สำนักปลัด, กองคลัง."""

    org = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="units")
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    order = models.PositiveIntegerField(default=0)

    objects = OrgOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["org", "name_th"], name="unit_unique_name")]

    def __str__(self) -> str:
        return self.name_th


class Scenario(PlanRow):
    """A crisis scenario in scope (§3), with its row of ตารางที่ 1 (impact per resource type)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="scenarios")
    kind = models.CharField(_("scenario"), max_length=16, choices=ScenarioKind.choices)
    name = models.CharField(_("name"), max_length=200, help_text=_("As it should read in the plan."))
    in_scope = models.BooleanField(_("in scope"), default=True)
    description = models.TextField(_("description"), blank=True)
    # ตารางที่ 1: resource type -> {"hit": bool, "note": str}
    impacts = models.JSONField(_("impact on resources"), default=dict, blank=True)

    class Meta(PlanRow.Meta):
        pass

    def __str__(self) -> str:
        return self.name

    def hits(self, resource_type: str) -> bool:
        return bool((self.impacts or {}).get(resource_type, {}).get("hit"))


class Contact(PlanRow):
    """A person or body in the plan's contact list (internal staff or external contacts)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(
        _("kind"), max_length=16, choices=ContactKind.choices, default=ContactKind.INTERNAL
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    unit = models.CharField(_("unit or organization"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    phone2 = models.CharField(_("second phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    line_id = models.CharField(_("LINE ID"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta(PlanRow.Meta):
        pass

    def __str__(self) -> str:
        return self.name


class TeamRole(PlanRow):
    """A role of the BCP team (ตารางที่ 2) with its primary and backup person and duties."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="team_roles")
    title = models.CharField(_("role"), max_length=200)
    primary = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("primary")
    )
    backup = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("backup")
    )
    duties = models.TextField(_("duties"), blank=True)

    class Meta(PlanRow.Meta):
        pass

    def __str__(self) -> str:
        return self.title


class CallTreeNode(PlanRow):
    """One person in the call tree: who calls them (parent) and, if they cannot be reached, whom."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="call_tree")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+", verbose_name=_("person"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children",
        verbose_name=_("called by"),
    )  # fmt: skip
    backup = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("if unreachable, call"),
    )  # fmt: skip

    class Meta(PlanRow.Meta):
        pass

    def __str__(self) -> str:
        return str(self.contact)


class Process(PlanRow):
    """A critical process in the business impact analysis (ตารางที่ 3)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="processes")
    name = models.CharField(_("process"), max_length=300)
    unit = models.CharField(_("unit"), max_length=200, blank=True)
    mission = models.CharField(_("mission"), max_length=16, choices=Mission.choices, default=Mission.GENERAL)
    impact = models.CharField(_("impact level"), max_length=16, choices=Impact.choices, blank=True)
    rto = models.CharField(_("recovery time objective"), max_length=4, choices=Window.choices, blank=True)
    mbco = models.CharField(
        _("minimum service level"), max_length=300, blank=True,
        help_text=_("What must still work during the disruption (MBCO)."),
    )  # fmt: skip
    mtpd = models.CharField(
        _("maximum tolerable disruption"), max_length=4, choices=Window.choices, blank=True
    )
    it_systems = models.CharField(_("IT systems it needs"), max_length=300, blank=True)
    partners = models.CharField(_("partners it needs"), max_length=300, blank=True)
    depends_on = models.ManyToManyField("self", symmetrical=False, blank=True, verbose_name=_("depends on"))
    channel_type = models.CharField(
        _("alternative channel"), max_length=16, choices=ChannelType.choices, blank=True,
        help_text=_("How citizens reach this service without coming to the office."),
    )  # fmt: skip
    channel_detail = models.CharField(_("channel address or details"), max_length=300, blank=True)
    # The e-service catalogue entry that keeps this public service running (the alternative channel).
    service = models.ForeignKey(
        "eservices.Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="plan_processes",
        verbose_name=_("e-service"),
        help_text=_("The entry of your public e-service catalogue that citizens use instead of the counter."),
    )  # fmt: skip
    peak_periods = models.CharField(_("peak periods"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta(PlanRow.Meta):
        verbose_name_plural = "processes"

    def __str__(self) -> str:
        return self.name


class Resource(PlanRow):
    """A row of ตารางที่ 4–8: a resource and the quantity needed by each recovery window."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="resources")
    resource_type = models.CharField(_("resource type"), max_length=16, choices=ResourceType.choices)
    name = models.CharField(_("resource"), max_length=300)
    measure = models.CharField(
        _("unit of measure"), max_length=50, blank=True, help_text=_("e.g. persons, sets")
    )
    process = models.ForeignKey(
        Process, null=True, blank=True, on_delete=models.SET_NULL, related_name="resources",
        verbose_name=_("for process"),
    )  # fmt: skip
    q_h4 = models.PositiveIntegerField(_("4 hours"), null=True, blank=True)
    q_d1 = models.PositiveIntegerField(_("1 day"), null=True, blank=True)
    q_w1 = models.PositiveIntegerField(_("1 week"), null=True, blank=True)
    q_w2 = models.PositiveIntegerField(_("2 weeks"), null=True, blank=True)
    q_m1 = models.PositiveIntegerField(_("1 month"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta(PlanRow.Meta):
        indexes = [models.Index(fields=["plan", "resource_type", "order"], name="resource_plan_type_idx")]

    def __str__(self) -> str:
        return self.name

    def quantities(self) -> list[int | None]:
        return [self.q_h4, self.q_d1, self.q_w1, self.q_w2, self.q_m1]


class Strategy(PlanRow):
    """A continuity strategy for one resource type (ตารางที่ 9), optionally for one scenario."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="strategies")
    resource_type = models.CharField(_("resource type"), max_length=16, choices=ResourceType.choices)
    scenario = models.ForeignKey(
        Scenario, null=True, blank=True, on_delete=models.SET_NULL, related_name="strategies",
        verbose_name=_("scenario (all if empty)"),
    )  # fmt: skip
    text = models.TextField(_("strategy"))

    class Meta(PlanRow.Meta):
        verbose_name_plural = "strategies"

    def __str__(self) -> str:
        return self.text[:80]


class ProcedureStep(PlanRow):
    """An activity of §9 in one phase, optionally for one scenario, with its responsible role."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="procedure_steps")
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices)
    scenario = models.ForeignKey(
        Scenario, null=True, blank=True, on_delete=models.SET_NULL, related_name="procedure_steps",
        verbose_name=_("scenario (all if empty)"),
    )  # fmt: skip
    text = models.TextField(_("activity"))
    responsible = models.ForeignKey(
        TeamRole, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("responsible role"),
    )  # fmt: skip

    class Meta(PlanRow.Meta):
        indexes = [models.Index(fields=["plan", "phase", "order"], name="procstep_plan_phase_idx")]

    def __str__(self) -> str:
        return self.text[:80]


class Risk(PlanRow):
    """Optional risk assessment (5×5 likelihood × impact)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="risks")
    scenario = models.ForeignKey(Scenario, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(_("risk"), max_length=300)
    likelihood = models.PositiveSmallIntegerField(_("likelihood (1–5)"))
    severity = models.PositiveSmallIntegerField(_("impact (1–5)"))
    response = models.TextField(_("response"), blank=True)

    class Meta(PlanRow.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=5, severity__gte=1, severity__lte=5),
                name="risk_scores_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Annex(PlanRow):
    """An annex (ภาคผนวก) with free text: alternate-site details, strategy map, checklist, …"""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="annexes")
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True)

    class Meta(PlanRow.Meta):
        verbose_name_plural = "annexes"

    def __str__(self) -> str:
        return self.title


class RevisionEntry(PlanRow):
    """Revision history: version, date, reviewer, what changed."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="revision_history")
    label = models.CharField(_("version"), max_length=50)
    date = models.DateField(_("date"))
    reviewer = models.CharField(_("reviewed by"), max_length=200, blank=True)
    changes = models.TextField(_("changes"), blank=True)

    class Meta(PlanRow.Meta):
        verbose_name_plural = "revision history"

    def __str__(self) -> str:
        return self.label
