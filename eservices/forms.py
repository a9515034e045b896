"""Staff forms of the e-services: validation only (writes go through eservices.actions).

Numbers accept Thai digits (๐–๙) as well as Arabic ones. Steps and documents of a catalogue entry
are editable rows: their inputs repeat (step_text, step_minutes, … once per row), and the form
turns them into the lists stored on the Service, dropping rows left empty.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eservices.forms_public import (
    FIELD_PREFIX,
    MultipleFileField,
    PhoneField,
    field_for,
    name_required_fields,
)
from eservices.models import Channel, CrisisNotice, FieldType, FormField, RequestStatus, Service
from eservices.uploads import MB, limit
from phrom.lib.thai import to_arabic_digits


def _int(value: str, *, label, lo=0, hi=10**7):
    value = to_arabic_digits(value or "").replace(",", "").replace(" ", "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise ValidationError(
            _("%(label)s: write a whole number, e.g. 15 (Thai or Arabic digits).") % {"label": label}
        )
    n = int(value)
    if not lo <= n <= hi:
        raise ValidationError(
            _("%(label)s: a number from %(lo)s to %(hi)s.") % {"label": label, "lo": lo, "hi": hi}
        )
    return n


class ThaiIntegerField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {}

    def to_python(self, value):
        if isinstance(value, str):
            value = to_arabic_digits(value).replace(",", "").replace(" ", "").strip()
        return super().to_python(value)


class ServiceEditForm(forms.ModelForm):
    """A catalogue entry, every part of the citizen's manual explained."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    processing_days = ThaiIntegerField(
        label=_("total processing time (working days)"),
        required=False,
        min_value=0,
        max_value=365,
        help_text=_(
            "Counted in working days from the day the request arrives complete. Requests become "
            "overdue after this. Thai or Arabic digits."
        ),
    )
    processing_minutes = ThaiIntegerField(
        label=_("total processing time (minutes)"),
        required=False,
        min_value=0,
        max_value=100000,
        help_text=_("For services done at once at the counter, e.g. 30. Leave empty if it takes days."),
    )
    channels = forms.MultipleChoiceField(
        label=_("channels"),
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every way citizens can apply. Say where under each (e-mail address, LINE ID, phone …)."),
    )

    class Meta:
        model = Service
        fields = [
            "name",
            "summary",
            "unit",
            "legal_basis",
            "eligibility",
            "hours",
            "processing_days",
            "processing_minutes",
            "fees",
            "complaints",
            "channels",
            "available_online",
            "accepts_requests",
        ]
        widgets = {
            "name": forms.TextInput(attrs={"placeholder": "เช่น การลงทะเบียนรับเงินเบี้ยยังชีพผู้สูงอายุ"}),
            "summary": forms.Textarea(attrs={"rows": 2}),
            "legal_basis": forms.Textarea(attrs={"rows": 3}),
            "eligibility": forms.Textarea(attrs={"rows": 3}),
            "hours": forms.Textarea(attrs={"rows": 2}),
            "fees": forms.Textarea(attrs={"rows": 2}),
            "complaints": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "name": _("As citizens would say it. Shown in the public catalogue."),
            "summary": _("One or two sentences: what the citizen gets."),
            "unit": _("The unit that does the work, e.g. กองสวัสดิการสังคม."),
            "legal_basis": _(
                "The Acts, regulations and local ordinances the service rests on, one per line."
            ),
            "eligibility": _("Who may apply, and whether someone else may apply on their behalf."),
            "hours": _("When and where: office hours, application periods, 24-hour lines."),
            "fees": _("What it costs, or “ไม่เสียค่าธรรมเนียม”."),
            "complaints": _("Where a citizen complains if the service is late or refused."),
            "available_online": _("Citizens can use this service without coming to the office."),
            "accepts_requests": _(
                "Citizens can send requests with the form below; staff work them in the queue."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["version"].initial = self.instance.version
        self.steps = list(self.instance.steps or [])
        self.documents = list(self.instance.documents or [])
        self.channel_details = dict(self.instance.channel_details or {})
        self.row_errors: list[str] = []
        if self.is_bound:
            self._read_rows()

    def _read_rows(self):
        d = self.data
        steps = []
        for i, (text, minutes, unit) in enumerate(
            zip(d.getlist("step_text"), d.getlist("step_minutes"), d.getlist("step_unit"), strict=False), 1
        ):
            text, unit = text.strip(), unit.strip()
            if not text and not minutes.strip():
                continue
            try:
                m = _int(minutes, label=_("Step %(n)s, minutes") % {"n": i}, hi=100000)
            except ValidationError as e:
                self.row_errors.extend(e.messages)
                m = None
            if not text:
                self.row_errors.append(_("Step %(n)s: say what happens in this step.") % {"n": i})
            steps.append({"text": text[:500], "minutes": m, "unit": unit[:200]})
        docs = []
        for i, (name, original, copies, note) in enumerate(
            zip(
                d.getlist("doc_name"),
                d.getlist("doc_original"),
                d.getlist("doc_copies"),
                d.getlist("doc_note"),
                strict=False,
            ),
            1,
        ):
            name, note = name.strip(), note.strip()
            if not name and not note:
                continue
            try:
                o = _int(original, label=_("Document %(n)s, originals") % {"n": i}, hi=100) or 0
                c = _int(copies, label=_("Document %(n)s, copies") % {"n": i}, hi=100) or 0
            except ValidationError as e:
                self.row_errors.extend(e.messages)
                o = c = 0
            if not name:
                self.row_errors.append(_("Document %(n)s: give its name.") % {"n": i})
            docs.append({"name": name[:300], "original": o, "copies": c, "note": note[:500]})
        self.steps, self.documents = steps, docs
        self.channel_details = {
            ch: d.get(f"detail_{ch}", "").strip()[:300]
            for ch in Channel.values
            if d.get(f"detail_{ch}", "").strip()
        }

    def clean(self):
        data = super().clean()
        for e in self.row_errors:
            self.add_error(None, e)
        if data.get("accepts_requests") and Channel.ONLINE_FORM not in (data.get("channels") or []):
            data["channels"] = [*(data.get("channels") or []), Channel.ONLINE_FORM.value]
        return data

    def values(self) -> dict:
        v = {k: self.cleaned_data[k] for k in self._meta.fields if k in self.cleaned_data}
        order = {c: i for i, c in enumerate(Channel.values)}
        v["channels"] = sorted(set(v.get("channels") or []), key=order.__getitem__)
        v["steps"] = self.steps
        v["documents"] = self.documents
        v["channel_details"] = {k: t for k, t in self.channel_details.items() if k in v["channels"]}
        return v

    def step_rows(self):
        return self.steps or [{"text": "", "minutes": None, "unit": ""}]

    def document_rows(self):
        return self.documents or [{"name": "", "original": 1, "copies": 0, "note": ""}]

    def channel_rows(self):
        chosen = set(self["channels"].value() or [])
        return [(c, c.value in chosen, self.channel_details.get(c.value, "")) for c in Channel]

    @property
    def steps_total_minutes(self) -> int:
        return sum(s.get("minutes") or 0 for s in self.steps)


class NewServiceForm(forms.Form):
    name = forms.CharField(
        label=_("name of the service"), max_length=300, help_text=_("You fill in the rest on the next page.")
    )


class FormFieldForm(forms.ModelForm):
    choices_text = forms.CharField(
        label=_("choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a choice field: one choice per line."),
    )

    class Meta:
        model = FormField
        fields = ["label", "field_type", "help_text", "required"]
        help_texts = {
            "label": _("The question as the citizen reads it."),
            "field_type": _("Thai national ID and phone are checked (check digit, number format)."),
            "help_text": _("A hint under the question, e.g. an example answer."),
            "required": _("The citizen cannot send the request without answering."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["choices_text"].initial = "\n".join(self.instance.choices or [])

    def clean(self):
        data = super().clean()
        choices = [c.strip()[:200] for c in (data.get("choices_text") or "").splitlines() if c.strip()]
        choices = list(dict.fromkeys(choices))
        if data.get("field_type") == FieldType.CHOICE and len(choices) < 2:
            self.add_error("choices_text", _("A choice field needs at least two choices, one per line."))
        data["choices"] = choices if data.get("field_type") == FieldType.CHOICE else []
        return data

    def values(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("label", "field_type", "help_text", "required", "choices")}


class UploadForm(forms.Form):
    title = forms.CharField(
        label=_("title"),
        max_length=300,
        required=False,
        help_text=_("e.g. แบบคำขอ ข.1. Leave empty to use the file's name."),
    )
    file = forms.FileField(
        label=_("file"),
        help_text=_("PDF, Word (.docx) or Excel (.xlsx), at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx"}),
    )


STAFF_STATUSES = [
    (RequestStatus.IN_PROGRESS, _("In progress")),
    (RequestStatus.WAITING, _("Waiting for the citizen")),
    (RequestStatus.DONE, _("Done")),
    (RequestStatus.REJECTED, _("Rejected")),
]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=STAFF_STATUSES)
    reason = forms.CharField(
        label=_("What the citizen must send, or why it is rejected"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for “waiting for the citizen” and “rejected”. The citizen reads it."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class TextForm(forms.Form):
    text = forms.CharField(label=_("text"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class NoticeForm(forms.ModelForm):
    channels = forms.MultipleChoiceField(
        label=_("channels that apply"),
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("How citizens reach you while the notice is up."),
    )
    services = forms.ModelMultipleChoiceField(
        label=_("services it applies to"),
        queryset=Service.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only published services are shown to the public."),
    )

    class Meta:
        model = CrisisNotice
        fields = ["title", "text", "channels", "services", "starts_at", "ends_at", "is_active"]
        widgets = {
            "title": forms.TextInput(attrs={"placeholder": "เช่น งดให้บริการที่สำนักงานชั่วคราว โปรดยื่นคำขอออนไลน์"}),
            "text": forms.Textarea(attrs={"rows": 4}),
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }
        help_texts = {
            "text": _("What citizens should do: which services to use online, what is closed, until when."),
            "ends_at": _("Leave empty to keep it up until you end it."),
            "is_active": _("Shown on your public pages between the two dates."),
        }

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = Service.objects.filter(org=org).order_by("order", "pk")
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("starts_at", timezone.localtime().replace(second=0, microsecond=0))

    def clean(self):
        data = super().clean()
        s, e = data.get("starts_at"), data.get("ends_at")
        if s and e and e <= s:
            self.add_error("ends_at", _("The end must be after the start."))
        return data

    def values(self) -> dict:
        return {
            k: self.cleaned_data[k]
            for k in ("title", "text", "channels", "starts_at", "ends_at", "is_active")
        }


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Tracking code or name"), required=False)
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=Service.objects.none(), required=False, empty_label=_("every service")
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("open requests")), ("all", _("every status")), *RequestStatus.choices],
    )
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, org, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.filter(org=org).order_by("order", "pk")
        self.fields["assignee"].choices = [
            ("", _("anyone")),
            ("none", _("nobody yet")),
            ("me", _("me")),
            *[(str(u.pk), u.display_name) for u in staff],
        ]


# Channels staff record a request from: every channel except the online form (citizens use that).
RECORDED_CHANNELS = [(c.value, c.label) for c in Channel if c != Channel.ONLINE_FORM]


class RecordRequestForm(forms.Form):
    """A request that reached the office another way (counter, phone, LINE, e-mail, drop box, post),
    typed in by staff: the same service fields and upload checks as the citizen's online form."""

    channel = forms.ChoiceField(
        label=_("How the request arrived"),
        choices=RECORDED_CHANNELS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the request arrived.")},
    )
    applicant_name = forms.CharField(
        label=_("Applicant's full name"),
        max_length=200,
        help_text=_("With the title, as on the ID card, for example นางสาวสมใจ ใจดี."),
    )
    phone = PhoneField(
        label=_("Applicant's phone"),
        max_length=30,
        required=False,
        help_text=_(
            "The citizen follows the request online with the tracking code and the last 4 digits of this "
            "number. Leave it empty if there is none: the citizen then asks the office with the code."
        ),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("Applicant's e-mail"),
        required=False,
        max_length=254,
        help_text=_("If given, the receipt and every status change are e-mailed to the citizen in Thai."),
    )
    attachments = MultipleFileField(label=_("Documents and photos"), required=False)
    note = forms.CharField(
        label=_("Note for colleagues"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Staff only, never shown to the citizen: e.g. which originals you saw at the counter."),
    )
    privacy_told = forms.BooleanField(
        label=_(
            "The applicant has been given the privacy notice (shown, read out, or on the paper form) and "
            "agrees that the office uses the data to handle this request."
        ),
        error_messages={"required": _("Tick this box once the applicant has been given the privacy notice.")},
    )

    def __init__(self, *args, service, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = service
        self.service_fields = list(service.fields.all())
        for ff in self.service_fields:
            self.fields[FIELD_PREFIX + ff.key] = field_for(ff)
        name_required_fields(self, skip={"privacy_told", "channel"})
        self.fields["attachments"].help_text = _(
            "Scans or photos of the documents received: PDF, JPEG, PNG or HEIC. Up to %(files)s files, "
            "%(size)s MB each. Optional."
        ) % {
            "files": limit("ESERVICES_UPLOAD_MAX_FILES"),
            "size": limit("ESERVICES_UPLOAD_MAX_FILE_SIZE") // MB,
        }

    def answer_fields(self):
        return [self[FIELD_PREFIX + ff.key] for ff in self.service_fields]

    def answers(self) -> dict:
        out = {}
        for ff in self.service_fields:
            value = self.cleaned_data.get(FIELD_PREFIX + ff.key)
            if isinstance(value, dt.date):
                value = value.isoformat()
            if value not in (None, ""):
                out[ff.key] = value
        return out
