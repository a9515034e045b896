"""Forms of the public pages: the request form built from a service's FormField rows, tracking.

Validation only. Citizens type the way they speak: Thai digits, Buddhist-era years, dashes in ID
numbers, spaces in phone numbers — all accepted and normalised; an error says what to type.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from eservices.models import FieldType, FormField
from eservices.uploads import ACCEPT_ATTR, MB, limit
from phrom.lib.thai import (
    BE_OFFSET,
    MONTHS,
    MONTHS_SHORT,
    format_phone,
    is_valid_thai_phone,
    normalize_phone,
    to_arabic_digits,
)

HONEYPOT = "homepage"
FIELD_PREFIX = "f_"

_MONTH_NAMES = sorted(
    [(m, i + 1) for i, m in enumerate(MONTHS)] + [(m, i + 1) for i, m in enumerate(MONTHS_SHORT)]
    + [(m.replace(".", ""), i + 1) for i, m in enumerate(MONTHS_SHORT)],
    key=lambda pair: len(pair[0]),
    reverse=True,
)  # fmt: skip
_NUMERIC_DATE = re.compile(r"^(\d{1,4})\s*[/\-.\s]\s*(\d{1,2})\s*[/\-.\s]\s*(\d{1,4})$")


def parse_thai_date(text: str) -> dt.date | None:
    """A date as Thai people type it; None if it cannot be read.

    '15/3/2568', '15-03-68', '๑๕/๓/๒๕๖๘', '15 มี.ค. 2568', '15 มีนาคม พ.ศ. 2568', '2025-03-15'.
    Years above 2400 are Buddhist era; two-digit years are BE (68 = 2568); other four-digit years CE.
    """
    text = " ".join(to_arabic_digits(text or "").replace("พ.ศ.", " ").replace("ค.ศ.", " ").split())
    if not text:
        return None
    day = month = year = None
    for name, number in _MONTH_NAMES:
        if name in text:
            before, _sep, after = text.partition(name)
            d, y = before.strip(" .,-/"), after.strip(" .,-/")
            if d.isdigit() and y.isdigit():
                day, month, year = int(d), number, int(y)
            break
    else:
        m = _NUMERIC_DATE.match(text)
        if m:
            a, b, c = m.groups()
            if len(a) == 4:  # ISO order: year first
                year, month, day = int(a), int(b), int(c)
            else:
                day, month, year = int(a), int(b), int(c)
    if year is None:
        return None
    if year < 100:
        year += 2500
    if year > 2400:
        year -= BE_OFFSET
    if not 1900 <= year <= 2200:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def clean_national_id(value: str) -> str:
    digits = re.sub(r"[\s\-.]", "", to_arabic_digits(value or ""))
    if not digits.isdigit() or not digits.isascii():
        raise ValidationError(
            _("Type the 13 digits of the ID card number only (dashes and spaces are fine).")
        )
    if len(digits) != 13:
        raise ValidationError(
            _("An ID card number has 13 digits; you typed %(count)s. Check the number on the card.")
            % {"count": len(digits)}
        )
    total = sum(int(d) * (13 - i) for i, d in enumerate(digits[:12]))
    if (11 - total % 11) % 10 != int(digits[12]):
        raise ValidationError(
            _("This ID card number is not valid: its last digit does not match the others. One digit "
              "was probably mistyped — compare it with the card.")
        )  # fmt: skip
    return digits


def clean_phone(value: str) -> str:
    if not is_valid_thai_phone(value):
        raise ValidationError(
            _("Type a Thai phone number: a mobile has 10 digits starting with 06, 08 or 09, for example "
              "081 234 5678; a landline 9 digits, for example 054 511 411.")
        )  # fmt: skip
    return normalize_phone(re.split(r"(?:ต่อ|ext\.?|x)", value, maxsplit=1, flags=re.IGNORECASE)[0])


def name_required_fields(form: forms.Form, skip=()) -> None:
    """'Fill in “Date of birth”' rather than a bare 'This field is required' (the summary names it too)."""
    for name, field in form.fields.items():
        if field.required and name not in skip:
            field.error_messages["required"] = _("Fill in “%(label)s”.") % {"label": field.label}


class ThaiDateField(forms.Field):
    widget = forms.TextInput

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        date = parse_thai_date(value[:60])
        if date is None:
            raise ValidationError(
                _("Type the date as day/month/year in the Buddhist era, for example 15/3/2568.")
            )
        return date


class NationalIdField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        return clean_national_id(value) if value else value


class PhoneField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        return clean_phone(value) if value else value


class ThaiNumberField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return value
        text = to_arabic_digits(value).replace(",", "").replace(" ", "")
        if not re.fullmatch(r"-?\d+(\.\d+)?", text):
            raise ValidationError(_("Type a number, for example 3 or 12.5."))
        return text


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """The attachments; their content is checked by eservices.uploads, not here."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTR}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


def field_for(ff: FormField) -> forms.Field:
    """The Django form field for one FormField row of a service."""
    common = {"label": ff.label, "help_text": ff.help_text, "required": ff.required}
    kind = ff.field_type
    if kind == FieldType.TEXTAREA:
        return forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 4}), **common)
    if kind == FieldType.ADDRESS:
        common["help_text"] = common["help_text"] or _(
            "House number, village (หมู่), road, subdistrict, district, province, postal code."
        )
        return forms.CharField(
            max_length=1000,
            widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
            **common,
        )
    if kind == FieldType.CHOICE:
        choices = [(str(c), str(c)) for c in (ff.choices or [])]
        if len(choices) <= 6:
            return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        return forms.ChoiceField(choices=[("", _("— choose —")), *choices], **common)
    if kind == FieldType.DATE:
        common["help_text"] = common["help_text"] or _("Day/month/Buddhist-era year, for example 15/3/2568.")
        return ThaiDateField(
            widget=forms.TextInput(attrs={"autocomplete": "off", "maxlength": "40"}), **common
        )
    if kind == FieldType.NATIONAL_ID:
        common["help_text"] = common["help_text"] or _("13 digits, as on the ID card.")
        return NationalIdField(
            max_length=30,
            widget=forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
            ),
            **common,
        )
    if kind == FieldType.PHONE:
        return PhoneField(
            max_length=30, widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}), **common
        )
    if kind == FieldType.NUMBER:
        return ThaiNumberField(
            max_length=30, widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common
        )
    return forms.CharField(max_length=500, **common)


class ApplicationForm(forms.Form):
    """The request form: the applicant, the service's own fields, documents, the privacy notice."""

    applicant_name = forms.CharField(
        label=_("Your full name"),
        max_length=200,
        help_text=_("With your title, as on your ID card, for example นางสาวสมใจ ใจดี."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = PhoneField(
        label=_("Mobile phone"),
        max_length=30,
        help_text=_(
            "Staff call this number if they need to. Its last 4 digits, with the tracking code, "
            "let you follow your request."
        ),  # fmt: skip
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        max_length=254,
        help_text=_("For a copy of the receipt. Leave it empty if you have none."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    attachments = MultipleFileField(label=_("Documents and photos"), required=False)
    consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice above and agree that the office uses my data to handle "
            "this request."
        ),
        error_messages={
            "required": _("Tick this box to send the request: the office needs your data to handle it.")
        },
    )
    # The honeypot: invisible to people and screen readers; bots that fill every field fill it.
    homepage = forms.CharField(
        required=False,
        label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, service, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = service
        self.service_fields = list(service.fields.all())
        for ff in self.service_fields:
            self.fields[FIELD_PREFIX + ff.key] = field_for(ff)
        name_required_fields(self, skip={"consent"})
        self.fields["attachments"].help_text = _(
            "PDF, or photos (JPEG, PNG, HEIC from a phone). Up to %(files)s files, %(size)s MB each."
        ) % {
            "files": limit("ESERVICES_UPLOAD_MAX_FILES"),
            "size": limit("ESERVICES_UPLOAD_MAX_FILE_SIZE") // MB,
        }

    @property
    def bot_filled(self) -> bool:
        return bool((self.data.get(HONEYPOT) or "").strip())

    def fixed_fields(self):
        return [self[n] for n in ("applicant_name", "phone", "email")]

    def answer_fields(self):
        return [self[FIELD_PREFIX + ff.key] for ff in self.service_fields]

    def answers(self) -> dict:
        """FormField.key -> the validated value as JSON (dates ISO, IDs and phones digits only)."""
        out = {}
        for ff in self.service_fields:
            value = self.cleaned_data.get(FIELD_PREFIX + ff.key)
            if isinstance(value, dt.date):
                value = value.isoformat()
            if value not in (None, ""):
                out[ff.key] = value
        return out


def display_answers(service_fields, answers: dict) -> list[tuple[str, str]]:
    """(label, text) pairs of a request's answers, for the receipt (national IDs masked)."""
    from phrom.lib.thai import thai_date

    out = []
    for ff in service_fields:
        value = answers.get(ff.key)
        if value in (None, ""):
            continue
        if ff.field_type == FieldType.DATE:
            with contextlib.suppress(TypeError, ValueError):
                value = thai_date(dt.date.fromisoformat(value), digits="arabic")
        elif ff.field_type == FieldType.NATIONAL_ID:
            value = "x-xxxx-xxxxx-" + str(value)[-3:-1] + "-" + str(value)[-1:]
        elif ff.field_type == FieldType.PHONE:
            value = format_phone(str(value))
        out.append((ff.label, str(value)))
    return out


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        help_text=_("On your receipt, for example PHR-7KQ2M-X9D4T."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )
    phone_last4 = forms.CharField(
        label=_("Last 4 digits of the phone number you gave"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9๐-๙]*"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_required_fields(self)

    def clean_phone_last4(self):
        digits = normalize_phone(self.cleaned_data["phone_last4"])
        if len(digits) != 4 or not digits.isascii() or not digits.isdigit():
            raise ValidationError(_("Type 4 digits, for example 5678."))
        return digits


class AddDocumentForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the office"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attachments = MultipleFileField(label=_("Documents and photos"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("message") and not self.files.getlist("attachments"):
            raise ValidationError(_("Add a document or write a message."))
        return data
