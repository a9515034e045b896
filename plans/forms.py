"""Forms of the plan editor: validation only (the writes go through plans.actions).

Every row form carries the row's ``version`` (optimistic locking: a save from a stale version is
refused and both texts are shown). Numbers accept Thai digits (๐–๙) as well as Arabic ones: they
are normalised with phrom.lib.thai.to_arabic_digits, and number fields are plain text inputs with a
numeric keyboard because browsers' number inputs reject Thai digits. People (team, call tree) are
picked from the plan's contact list; units from the organization's units.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from phrom.lib.thai import is_valid_thai_phone, to_arabic_digits
from plans.models import (
    Annex,
    CallTreeNode,
    Contact,
    ListItem,
    Mission,
    Plan,
    PlanText,
    ProcedureStep,
    Process,
    Resource,
    ResourceType,
    RevisionEntry,
    Risk,
    Scenario,
    Strategy,
    TeamRole,
)

DIGITS_HELP = _("Thai or Arabic digits.")


class ThaiIntegerField(forms.IntegerField):
    """An integer typed in Thai (๑๒) or Arabic (12) digits, with spaces and commas ignored."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        # no min/max attributes on a text input: the browser would not enforce them anyway
        return {}

    def to_python(self, value):
        if isinstance(value, str):
            value = to_arabic_digits(value).replace(",", "").replace(" ", "").strip()
        return super().to_python(value)


def _formfield(db_field, **kwargs):
    if isinstance(db_field, models.IntegerField) and not db_field.choices:
        kwargs["form_class"] = ThaiIntegerField
    if isinstance(db_field, models.DateField):
        kwargs["widget"] = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    return db_field.formfield(**kwargs)


def _text(placeholder, rows=None, **attrs):
    if rows:
        return forms.Textarea(attrs={"rows": rows, "placeholder": placeholder, **attrs})
    return forms.TextInput(attrs={"placeholder": placeholder, **attrs})


class ContactChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} — {obj.position}" if obj.position else obj.name


class RowForm(forms.ModelForm):
    """A row of one of the plan's tables. `plan` limits every choice to the plan's own rows."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    m2m_fields: tuple[str, ...] = ()

    def __init__(self, *args, plan: Plan, units: list[str] | None = None, **kwargs):
        self.plan = plan
        self.units = units or []
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["version"].initial = self.instance.version

    def values(self) -> dict:
        """The saved fields (without many-to-many ones), for plans.actions."""
        return {
            name: self.cleaned_data[name]
            for name in self._meta.fields
            if name in self.cleaned_data and name not in self.m2m_fields
        }

    def m2m(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.m2m_fields if name in self.cleaned_data}

    def _contacts(self, *names, empty=None):
        empty = empty or _("— nobody chosen —")
        qs = Contact.objects.filter(plan=self.plan).order_by("kind", "order", "id")
        for name in names:
            field = self.fields[name]
            self.fields[name] = ContactChoiceField(
                queryset=qs, required=field.required, label=field.label, help_text=field.help_text,
                empty_label=empty,
            )  # fmt: skip


class ListItemForm(RowForm):
    class Meta:
        model = ListItem
        fields = ["text"]
        widgets = {"text": _text(_("Write one point per item."), rows=2)}


class PlanTextForm(RowForm):
    class Meta:
        model = PlanText
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}


class ScenarioForm(RowForm):
    class Meta:
        model = Scenario
        fields = ["kind", "name", "in_scope", "description"]
        widgets = {
            "name": _text(_("e.g. Flood")),
            "description": _text(_("e.g. The Yom river floods the office for up to 2 weeks."), rows=2),
        }
        help_texts = {"kind": _("Choose Other for a scenario that is not in the list.")}


class ContactForm(RowForm):
    class Meta:
        model = Contact
        fields = ["name", "position", "unit", "phone", "phone2", "email", "line_id", "notes"]
        widgets = {
            "name": _text(_("e.g. Mr Somchai Jaidee")),
            "position": _text(_("e.g. Deputy permanent secretary")),
            "unit": _text(_("e.g. Office of the permanent secretary")),
            "phone": _text(_("e.g. 081 234 5678"), inputmode="tel", autocomplete="off"),
            "phone2": _text(_("e.g. 054 511 411"), inputmode="tel", autocomplete="off"),
            "email": forms.EmailInput(attrs={"placeholder": "name@example.go.th"}),
            "notes": _text("", rows=2),
        }
        help_texts = {
            "phone": _("A mobile (10 digits) or landline (9 digits) number, or a short code such as 1669. "
                       "Thai or Arabic digits; spaces and dashes are fine."),
        }  # fmt: skip

    def _phone(self, name):
        value = to_arabic_digits(self.cleaned_data.get(name, "")).strip()
        if value and not is_valid_thai_phone(value):
            raise ValidationError(_("This does not look like a Thai phone number, e.g. 081 234 5678."))
        return value

    def clean_phone(self):
        return self._phone("phone")

    def clean_phone2(self):
        return self._phone("phone2")


class TeamRoleForm(RowForm):
    class Meta:
        model = TeamRole
        fields = ["title", "primary", "backup", "duties"]
        widgets = {
            "title": _text(_("e.g. Leader of the continuity team")),
            "duties": _text(_("e.g. Declares the activation of the plan; reports to the district."), rows=3),
        }
        help_texts = {
            "primary": _("The person who does this first. Not in the list? Add them to the contact list."),
            "backup": _("Who takes over when the primary person is unavailable: someone else."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._contacts("primary", "backup")

    def clean(self):
        data = super().clean()
        if data.get("primary") and data.get("primary") == data.get("backup"):
            self.add_error("backup", _("The backup must be someone other than the primary person."))
        return data


class CallTreeNodeForm(RowForm):
    class Meta:
        model = CallTreeNode
        fields = ["contact", "parent", "backup", "order"]
        formfield_callback = _formfield
        labels = {"order": _("calling order")}
        help_texts = {
            "parent": _("Leave empty for the person at the top of the tree."),
            "order": _(
                "Among the people called by the same person: 1 is called first. Thai or Arabic digits."
            ),
        }  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._contacts("contact", "backup")
        self.fields["contact"].empty_label = None
        nodes = CallTreeNode.objects.filter(plan=self.plan).select_related("contact").order_by("order", "id")
        if self.instance.pk:
            nodes = nodes.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = nodes
        self.fields["parent"].empty_label = _("— nobody (top of the tree) —")
        self.fields["parent"].label_from_instance = lambda n: str(n.contact)
        self.fields["order"].required = False

    def clean_order(self):
        return self.cleaned_data.get("order") or 0

    def clean(self):
        data = super().clean()
        parent = data.get("parent")
        if parent and self.instance.pk:
            parents = dict(CallTreeNode.objects.filter(plan=self.plan).values_list("pk", "parent_id"))
            seen, at = set(), parent.pk
            while at and at not in seen:
                if at == self.instance.pk:
                    self.add_error("parent", _("This would make a loop: the person would call themselves."))
                    break
                seen.add(at)
                at = parents.get(at)
        contact = data.get("contact")
        if contact and contact == data.get("backup"):
            self.add_error("backup", _("The backup must be someone other than the person."))
        return data


class ProcessForm(RowForm):
    m2m_fields = ("depends_on",)

    class Meta:
        model = Process
        fields = [
            "name", "unit", "mission", "impact", "rto", "mbco", "mtpd", "it_systems", "partners",
            "depends_on", "channel_type", "channel_detail", "service", "peak_periods", "notes",
        ]  # fmt: skip
        widgets = {
            "name": _text(_("e.g. Elderly allowance payments")),
            "mbco": _text(_("e.g. Payments on time; applications by e-mail only")),
            "it_systems": _text(_("e.g. e-LAAS, internet")),
            "partners": _text(_("e.g. Krungthai Bank")),
            "channel_detail": _text(_("e.g. LINE @padaeng or the web form address")),
            "peak_periods": _text(_("e.g. the 10th of every month")),
            "notes": _text("", rows=2),
            "depends_on": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "impact": _("Your judgement of how badly the organization and the public are hurt if it stops."),
            "rto": _("How soon it must work again. Very high impact usually means 1 day or less."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        others = Process.objects.filter(plan=self.plan).order_by("order", "id")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["depends_on"].queryset = others
        self._service_field()
        if self.units:
            current = self.instance.unit if self.instance.pk else ""
            names = list(self.units) + ([current] if current and current not in self.units else [])
            self.fields["unit"].widget = forms.Select(choices=[("", "—"), *[(n, n) for n in names]])
            self.fields["unit"].help_text = _("The unit that owns the process.")

    def _service_field(self):
        """The e-service (a catalogue entry of the plan's own organization) that keeps the process running."""
        from django.urls import reverse
        from django.utils.html import format_html

        from eservices.models import Service

        field = self.fields["service"]
        field.queryset = Service.objects.filter(org_id=self.plan.org_id).order_by("order", "pk")
        field.empty_label = _("— no e-service —")
        field.label_from_instance = lambda s: (
            s.name if s.is_published else _("%(name)s (draft)") % {"name": s.name}
        )
        field.help_text = _(
            "For a public-service process: the entry of your e-service catalogue citizens use instead of the "
            "counter. A published entry available online counts as the alternative channel."
        )
        current = self.instance.service if self.instance.pk and self.instance.service_id else None
        if current is not None:
            link = reverse("eservices:service_edit", args=[current.org_id, current.pk])
            open_link = _("Open the e-service")
            field.help_text = format_html('{} <a href="{}">{}</a>', field.help_text, link, open_link)

    def clean(self):
        data = super().clean()
        if data.get("service") and data.get("mission") != Mission.PUBLIC_SERVICE:
            self.add_error("service", _("Only a public-service process has an e-service as its channel."))
        return data


class ResourceForm(RowForm):
    class Meta:
        model = Resource
        fields = ["name", "measure", "q_h4", "q_d1", "q_w1", "q_w2", "q_m1", "process", "notes"]
        formfield_callback = _formfield
        widgets = {"name": _text(_("e.g. Notebook computers")), "notes": _text("", rows=2)}
        help_texts = {"q_h4": DIGITS_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["process"].queryset = Process.objects.filter(plan=self.plan).order_by("order", "id")
        self.fields["process"].empty_label = _("— the whole organization —")
        for name in ("q_h4", "q_d1", "q_w1", "q_w2", "q_m1"):
            self.fields[name].widget.attrs["placeholder"] = "0"

    def clean(self):
        data = super().clean()
        last, last_name = None, None
        for name in ("q_h4", "q_d1", "q_w1", "q_w2", "q_m1"):
            q = data.get(name)
            if q is None:
                continue
            if last is not None and q < last:
                self.add_error(
                    name,
                    _("The numbers add up over time: this should be at least %(n)s (the %(window)s column).")
                    % {"n": last, "window": self.fields[last_name].label},
                )
            last, last_name = q, name
        return data


class StrategyForm(RowForm):
    class Meta:
        model = Strategy
        fields = ["text", "scenario"]
        widgets = {"text": _text(_("e.g. Move to the community hall of village 3"), rows=2)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenario"].queryset = Scenario.objects.filter(plan=self.plan).order_by("order", "id")
        self.fields["scenario"].empty_label = _("— every scenario —")


class ProcedureStepForm(RowForm):
    class Meta:
        model = ProcedureStep
        fields = ["text", "responsible", "scenario"]
        widgets = {"text": _text(_("e.g. Call the team through the call tree"), rows=2)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenario"].queryset = Scenario.objects.filter(plan=self.plan).order_by("order", "id")
        self.fields["scenario"].empty_label = _("— every scenario —")
        self.fields["responsible"].queryset = TeamRole.objects.filter(plan=self.plan).order_by("order", "id")


SCORE_CHOICES = [
    (5, _("5 – very high")),
    (4, _("4 – high")),
    (3, _("3 – medium")),
    (2, _("2 – low")),
    (1, _("1 – very low")),
]


class RiskForm(RowForm):
    likelihood = forms.TypedChoiceField(label=_("likelihood (1–5)"), choices=SCORE_CHOICES, coerce=int)
    severity = forms.TypedChoiceField(label=_("impact (1–5)"), choices=SCORE_CHOICES, coerce=int)

    class Meta:
        model = Risk
        fields = ["name", "scenario", "likelihood", "severity", "response"]
        widgets = {"name": _text(_("e.g. The office floods")), "response": _text("", rows=2)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenario"].queryset = Scenario.objects.filter(plan=self.plan).order_by("order", "id")


class AnnexForm(RowForm):
    class Meta:
        model = Annex
        fields = ["title", "text"]
        widgets = {"title": _text(_("e.g. Annex A: the team appointment order")), "text": _text("", rows=5)}


class RevisionEntryForm(RowForm):
    class Meta:
        model = RevisionEntry
        fields = ["label", "date", "reviewer", "changes"]
        formfield_callback = _formfield
        widgets = {"label": _text(_("e.g. 2")), "changes": _text("", rows=2)}


class ImpactForm(forms.Form):
    """ตารางที่ 1: one scenario's row — a tick and a note per resource type, saved in `impacts`."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, data=None, *, instance: Scenario, plan: Plan, units=None, auto_id="id_%s", **kwargs):
        self.instance = instance
        self.plan = plan
        initial = {"version": instance.version}
        for rt in ResourceType:
            cell = (instance.impacts or {}).get(rt.value, {})
            initial[f"{rt.value}"] = bool(cell.get("hit"))
            initial[f"{rt.value}_note"] = cell.get("note", "")
        super().__init__(data, initial=initial, auto_id=auto_id, **kwargs)
        for rt in ResourceType:
            self.fields[rt.value] = forms.BooleanField(label=rt.label, required=False)
            self.fields[f"{rt.value}_note"] = forms.CharField(
                label=_("How it is hit"), required=False,
                widget=_text(_("e.g. the office is flooded"), rows=3),
            )  # fmt: skip

    def cells(self):
        """(resource type, tick field, note field) per column."""
        return [(rt, self[rt.value], self[f"{rt.value}_note"]) for rt in ResourceType]

    def values(self) -> dict:
        return {
            "impacts": {
                rt.value: {"hit": self.cleaned_data[rt.value], "note": self.cleaned_data[f"{rt.value}_note"]}
                for rt in ResourceType
            }
        }

    def m2m(self) -> dict:
        return {}


class PlanForm(forms.ModelForm):
    """The plan's own fields: title, fiscal year and the structured assumptions (§2)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Plan
        fields = ["title", "fiscal_year", "absence_percent", "longest_outage_days", "alternate_site",
                  "next_review_date"]  # fmt: skip
        formfield_callback = _formfield
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "alternate_site": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "fiscal_year": _("The Buddhist-era year in which the fiscal year ends, e.g. 2569. "
                             "Thai or Arabic digits."),
        }  # fmt: skip

    def __init__(self, *args, plan: Plan | None = None, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["version"].initial = self.instance.version
        self.fields["absence_percent"].widget.attrs["placeholder"] = "30"
        self.fields["longest_outage_days"].widget.attrs["placeholder"] = "60"

    def clean_fiscal_year(self):
        year = self.cleaned_data["fiscal_year"]
        if not 2500 <= year <= 2700:
            raise ValidationError(_("Write the Buddhist-era year, e.g. 2569."))
        return year

    def clean_absence_percent(self):
        value = self.cleaned_data.get("absence_percent")
        if value is not None and value > 100:
            raise ValidationError(_("A share of staff: from 0 to 100."))
        return value

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}

    def m2m(self) -> dict:
        return {}
