"""The form for a new personal API token (validation only)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_(
            "What the token is for, so that you recognise it later, e.g. “district dashboard script”."
        ),
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The token stops working at the end of this day. Leave empty for no expiry."),
    )

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later day."))
        return day

    def expires_at(self) -> dt.datetime | None:
        """The moment the token stops working: midnight after the chosen day, local time."""
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)
        return timezone.make_aware(midnight)
