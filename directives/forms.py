"""Forms of the directives pages: validation only (the writes are in directives.actions).

Dates and times accept what Thai officers type: ISO dates from the browser's date picker, or
``๓๐/๖/๒๕๖๓`` / ``30/06/2563`` (a year above 2400 is Buddhist era) with Thai or Arabic digits.
Deadlines are Asia/Bangkok (settings.TIME_ZONE); a deadline without a time ends the day
(23:59:59.999999), so a plan sent at 23:59:59 on the deadline day is on time.
"""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directives import numbering
from directives.models import Ask, CopyRule, Group, Urgency
from directives.uploads import ALLOWED_TEXT, UploadRefused, check_upload
from phrom.lib.thai import BE_OFFSET, to_arabic_digits

_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_HM = re.compile(r"^(\d{1,2})\s*[:.]\s*(\d{2})(?:\s*น\.?)?$")
END_OF_DAY = dt.time(23, 59, 59, 999999)


def parse_date(text: str) -> dt.date:
    """'2020-06-30', '30/6/2563', '๓๐/๐๖/๒๕๖๓' -> date(2020, 6, 30). Raises ValueError."""
    value = to_arabic_digits((text or "").strip())
    m = _YMD.match(value)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = _DMY.match(value)
        if not m:
            raise ValueError(text)
        d, mo, y = (int(g) for g in m.groups())
    if y > 2400:
        y -= BE_OFFSET
    return dt.date(y, mo, d)


def parse_time(text: str) -> dt.time:
    """'16:30', '16.30', '๑๖.๓๐ น.' -> time(16, 30). Raises ValueError."""
    m = _HM.match(to_arabic_digits((text or "").strip()))
    if not m:
        raise ValueError(text)
    return dt.time(int(m.group(1)), int(m.group(2)))


def deadline_at(day: dt.date, at: dt.time | None) -> dt.datetime:
    """The deadline instant in the site's time zone (Asia/Bangkok): end of day unless a time is given."""
    return timezone.make_aware(dt.datetime.combine(day, at or END_OF_DAY), timezone.get_default_timezone())


class ThaiDateInput(forms.DateInput):
    """A date picker; a typed Thai date coming back with an error is shown as the ISO date it means
    (a date input shows nothing for any other form, and the typed value would be lost)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")

    def format_value(self, value):
        if isinstance(value, str) and value:
            try:
                return parse_date(value).isoformat()
            except ValueError:
                return value
        return super().format_value(value)


class ThaiDateField(forms.DateField):
    widget = ThaiDateInput
    default_error_messages = {
        "invalid": gettext_lazy(
            "Type the date as day/month/year, e.g. 30/06/2563 (Buddhist era) or 30/06/2020, "
            "or pick it from the calendar."
        )
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return parse_date(str(value))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class ThaiTimeField(forms.TimeField):
    widget = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    default_error_messages = {
        "invalid": gettext_lazy("Type the time as hours:minutes, e.g. 16:30 (Thai digits are fine too).")
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.time):
            return value
        try:
            return parse_time(str(value))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class OrgChoices(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.name_th


# -- compose --------------------------------------------------------------------------------


class DirectiveForm(forms.Form):
    """The directive itself. Addressee fields get their choices from the issuer (see __init__)."""

    urgency = forms.ChoiceField(
        label=gettext_lazy("Urgency"),
        choices=Urgency.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=gettext_lazy("Printed in red above the number. Most urgent = act at once."),
    )
    number = forms.CharField(
        label=gettext_lazy("Number"),
        required=False,
        max_length=80,
        help_text=gettext_lazy(
            "Leave empty: Phrom gives the next ว number of your office for this year when you issue. "
            "Or type the number from your register, e.g. 3026 or พร ๐๐๒๓.๑/ว ๓๐๒๖."
        ),
    )
    date = ThaiDateField(
        label=gettext_lazy("Date"),
        required=False,
        help_text=gettext_lazy("Leave empty to date the letter on the day it is issued."),
    )
    subject = forms.CharField(
        label=gettext_lazy("Subject (เรื่อง)"),
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": "การทบทวนและปรับปรุงแผนดำเนินธุรกิจอย่างต่อเนื่อง"}),
    )
    salutation = forms.CharField(
        label=gettext_lazy("Addressed to (เรียน)"),
        max_length=500,
        required=False,
        help_text=gettext_lazy("The positions as printed after เรียน, e.g. นายอำเภอ ทุกอำเภอ."),
    )
    body = forms.CharField(
        label=gettext_lazy("Body"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=gettext_lazy("Background, facts and what is asked. A blank line starts a new paragraph."),
    )
    closing = forms.CharField(
        label=gettext_lazy("Closing sentence"),
        max_length=500,
        required=False,
        initial="จึงเรียนมาเพื่อโปรดทราบและดำเนินการ",
    )
    ask = forms.ChoiceField(
        label=gettext_lazy("What is asked"),
        choices=Ask.choices,
        initial=Ask.SUBMIT_PLAN,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "“Submit an approved BCP” lets every local government that receives it send "
            "its plan through Phrom."
        ),
    )
    deadline_date = ThaiDateField(
        label=gettext_lazy("Deadline: date"),
        required=False,
        help_text=gettext_lazy("Bangkok time. Plans sent after it are marked late."),
    )
    deadline_time = ThaiTimeField(
        label=gettext_lazy("Deadline: time"),
        required=False,
        help_text=gettext_lazy("Leave empty for the end of the day (23:59)."),
    )
    submit_to = forms.ModelChoiceField(
        label=gettext_lazy("Submissions go to"),
        queryset=None,
        required=False,
        help_text=gettext_lazy("The organization that receives and reviews the plans, e.g. OPDC."),
    )
    copy_rules = forms.MultipleChoiceField(
        label=gettext_lazy("Copies of each submission to"),
        choices=CopyRule.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        initial=[CopyRule.PROVINCE, CopyRule.DISTRICT],
        help_text=gettext_lazy("The province copy goes to its provincial local-administration office."),
    )
    groups = forms.MultipleChoiceField(
        label=gettext_lazy("Addressees: groups"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Every organization of the group receives it when you issue."),
    )
    to = OrgChoices(
        label=gettext_lazy("Addressees: named organizations"),
        queryset=None,
        required=False,
        help_text=gettext_lazy("Organizations outside the groups, e.g. the PAO and the town municipality."),
    )
    copies = OrgChoices(
        label=gettext_lazy("Copies of the directive (สำเนาส่ง)"),
        queryset=None,
        required=False,
        help_text=gettext_lazy("They see it in their inbox for information."),
    )
    signer_name = forms.CharField(
        label=gettext_lazy("Signed by"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Full name as printed in brackets, e.g. นายต่อพงษ์ ทับทิมโต."),
    )
    signer_position = forms.CharField(
        label=gettext_lazy("Position"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("One line each, e.g. ท้องถิ่นจังหวัดแพร่ ปฏิบัติราชการแทน / ผู้ว่าราชการจังหวัดแพร่."),
    )
    owning_unit = forms.CharField(
        label=gettext_lazy("Owning unit"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Printed bottom left, e.g. สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด / ฝ่ายบริหารทั่วไป."),
    )
    contact = forms.CharField(
        label=gettext_lazy("Contact"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Phone and e-mail lines, e.g. โทร. ๐ ๕๔๕๓ ๔๑๑๙ ต่อ ๑๐๒."),
    )

    def __init__(self, *args, issuer, submit_to_choices, addressable, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.issuer = issuer
        self.fields["submit_to"].queryset = submit_to_choices
        self.fields["to"].queryset = addressable
        self.fields["copies"].queryset = addressable
        self.fields["groups"].choices = [(g.value, g.label) for g in groups]

    def clean_number(self):
        text = (self.cleaned_data.get("number") or "").strip()
        if text and numbering.parse_typed(text)[1] is None:
            raise ValidationError(
                _(
                    "Type only the register number (e.g. 3026 or ๓๐๒๖) or the whole number "
                    "(e.g. พร ๐๐๒๓.๑/ว ๓๐๒๖), or leave it empty."
                )
            )
        return text

    def clean(self):
        data = super().clean()
        if data.get("deadline_time") and not data.get("deadline_date"):
            self.add_error("deadline_date", _("Give the day of the deadline too."))
        if data.get("ask") == Ask.SUBMIT_PLAN and not data.get("submit_to"):
            self.add_error("submit_to", _("Say where the plans go (for example OPDC)."))
        return data

    def model_values(self) -> dict:
        d = self.cleaned_data
        deadline = deadline_at(d["deadline_date"], d.get("deadline_time")) if d.get("deadline_date") else None
        return {
            "urgency": d.get("urgency") or "",
            "date": d.get("date"),
            "subject": d["subject"].strip(),
            "salutation": d.get("salutation", "").strip(),
            "body": d.get("body", "").strip(),
            "closing": d.get("closing", "").strip(),
            "ask": d["ask"],
            "deadline": deadline,
            "submit_to": d.get("submit_to"),
            "copy_rules": list(d.get("copy_rules") or []),
            "groups": list(d.get("groups") or []),
            "signer_name": d.get("signer_name", "").strip(),
            "signer_position": d.get("signer_position", "").strip(),
            "owning_unit": d.get("owning_unit", "").strip(),
            "contact": d.get("contact", "").strip(),
            # A draft keeps the typed number; issuing checks and assigns it.
            "number": d.get("number", ""),
        }


class ReferenceForm(forms.Form):
    description = forms.CharField(
        label=gettext_lazy("Earlier letter"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "หนังสือกรมส่งเสริมการปกครองท้องถิ่น"}),
    )
    number = forms.CharField(label=gettext_lazy("Its number"), max_length=80, required=False)
    date = ThaiDateField(label=gettext_lazy("Its date"), required=False)

    def clean(self):
        data = super().clean()
        if (data.get("number") or data.get("date")) and not data.get("description"):
            self.add_error("description", _("Say which letter this is, e.g. หนังสือกรมส่งเสริมการปกครองท้องถิ่น."))
        return data


class EnclosureForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Enclosure"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "สำเนาหนังสือกรมส่งเสริมการปกครองท้องถิ่น"}),
    )
    detail = forms.CharField(label=gettext_lazy("Number and date"), max_length=300, required=False)
    quantity = forms.CharField(label=gettext_lazy("Quantity"), max_length=40, required=False, initial="๑ ชุด")
    file = forms.FileField(
        label=gettext_lazy("File"),
        required=False,
        help_text=gettext_lazy("%(types)s, at most 20 MB.") % {"types": ALLOWED_TEXT},
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        try:
            return check_upload(upload)
        except UploadRefused as exc:
            raise ValidationError(str(exc)) from None

    def clean(self):
        data = super().clean()
        if (data.get("detail") or data.get("file")) and not data.get("title"):
            self.add_error("title", _("Give the enclosure a title."))
        return data


ReferenceFormSet = forms.formset_factory(ReferenceForm, extra=2, max_num=20)
EnclosureFormSet = forms.formset_factory(EnclosureForm, extra=2, max_num=20)


def references_of(formset) -> list[dict]:
    out = []
    for f in formset.forms:
        d = getattr(f, "cleaned_data", None) or {}
        if d.get("description"):
            out.append(
                {
                    "description": d["description"].strip(),
                    "number": (d.get("number") or "").strip(),
                    "date": d["date"].isoformat() if d.get("date") else "",
                }
            )
    return out


def enclosures_of(formset) -> list[dict]:
    out = []
    for f in formset.forms:
        d = getattr(f, "cleaned_data", None) or {}
        if d.get("title"):
            out.append(
                {
                    "title": d["title"].strip(),
                    "detail": (d.get("detail") or "").strip(),
                    "quantity": (d.get("quantity") or "").strip() or "๑ ชุด",
                    "upload": d.get("file"),
                }
            )
    return out


# -- relay, submit, review --------------------------------------------------------------------


class RelayForm(forms.Form):
    issuer = forms.ModelChoiceField(label=gettext_lazy("Relay as"), queryset=None, empty_label=None)
    number = forms.CharField(
        label=gettext_lazy("Number"),
        required=False,
        max_length=80,
        help_text=gettext_lazy(
            "Leave empty for the next ว number of your office, or type it from your register."
        ),
    )
    date = ThaiDateField(
        label=gettext_lazy("Date"), required=False, help_text=gettext_lazy("Leave empty for today.")
    )
    cover_note = forms.CharField(
        label=gettext_lazy("Covering note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Optional: what your office adds, e.g. ให้ส่งแผนภายในกำหนดและสำเนาให้อำเภอทราบ."),
    )
    to = OrgChoices(
        label=gettext_lazy("Relay to"),
        queryset=None,
        help_text=gettext_lazy("All organizations below yours that have not received it yet are ticked."),
        error_messages={"required": gettext_lazy("Tick at least one organization to relay to.")},
    )

    def __init__(self, *args, issuers, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = issuers
        self.fields["to"].queryset = candidates

    def clean_number(self):
        text = (self.cleaned_data.get("number") or "").strip()
        if text and numbering.parse_typed(text)[1] is None:
            raise ValidationError(
                _("Type only the register number (e.g. 1534) or the whole number, or leave it empty.")
            )
        return text


class SubmitForm(forms.Form):
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    org = forms.ModelChoiceField(label=gettext_lazy("For"), queryset=None, empty_label=None)
    note = forms.CharField(
        label=gettext_lazy("Note to the reviewer"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        widget=forms.RadioSelect,
        choices=[
            ("accept", gettext_lazy("Accept the plan")),
            ("return", gettext_lazy("Return it for revision")),
        ],
    )
    comment = forms.CharField(
        label=gettext_lazy("Comments"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Required when you return the plan: say what should be revised."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say what should be revised: returning a plan needs comments."))
        return data


__all__ = [
    "DirectiveForm",
    "EnclosureFormSet",
    "Group",
    "ReferenceFormSet",
    "RelayForm",
    "ReviewForm",
    "SubmitForm",
    "deadline_at",
    "enclosures_of",
    "parse_date",
    "parse_time",
    "references_of",
]
