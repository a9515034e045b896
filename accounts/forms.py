"""Forms for signing in, passwords, invitations and the "my account" page. Validation only."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from orgs.models import LGO_KINDS, ROLE_HELP, Role
from phrom.lib import thai

# What a user may change on "my account" (accounts.actions.update_profile takes exactly these).
PROFILE_FIELDS = ("full_name", "phone", "email", "language")
# Thai letters, vowels and tone marks (the Thai Unicode block, less the Thai digits people may type).
_THAI_LETTERS = re.compile(r"[\u0e01-\u0e4f\u0e5a-\u0e5b]")
# Same split as phrom.lib.thai.is_valid_thai_phone: the number, then an optional extension.
_EXTENSION = re.compile(r"(?:ต่อ|ext\.?|x)", re.IGNORECASE)


def has_thai_letters(text: str) -> bool:
    return bool(_THAI_LETTERS.search(text or ""))


def password_help_text() -> str:
    """The password rules in plain sentences, from the configured validators (so they never drift)."""
    return " ".join(str(t) for t in password_validation.password_validators_help_texts())


def clean_phone(value: str) -> str:
    """A Thai phone number stored as digits ('0812345678'), Thai digits converted; '' stays ''."""
    value = (value or "").strip()
    if not value:
        return ""
    if not thai.is_valid_thai_phone(value):
        raise ValidationError(
            _(
                "This does not look like a Thai phone number. Type a mobile number with 10 digits, "
                "for example 081 234 5678, or an office number with 9 digits, for example 054 511 411."
            ),
            code="invalid_phone",
        )
    number, *extension = _EXTENSION.split(value, maxsplit=1)
    digits = thai.normalize_phone(number)
    if extension and thai.normalize_phone(extension[0]):
        return f"{digits} ต่อ {thai.normalize_phone(extension[0])}"
    return digits


PHONE_HELP = _(
    "Your own mobile number, so that colleagues can call you when the plan is put into action. "
    "For example 081 234 5678; Thai digits are fine."
)
FULL_NAME_HELP = _("With your title, as on official letters, for example นายสมชาย ใจดี.")


class LoginForm(auth_forms.AuthenticationForm):
    """Django's sign-in form with errors that tell a person what to check."""

    error_messages = {
        "invalid_login": _(
            "Wrong username or password. Check that your keyboard is not set to Thai and that Caps Lock "
            "is off, then try again."
        ),
        "thai_keyboard": _(
            "Wrong username or password. What you typed contains Thai letters: your keyboard was "
            "probably set to Thai. Switch it to English and type your password again."
        ),
        "inactive": _("This account has been switched off. Ask your organization's admin to switch it on."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].help_text = _(
            "The username you chose when you joined Phrom, in English letters (not your e-mail)."
        )
        self.fields["username"].widget.attrs.update({"spellcheck": "false", "autocorrect": "off"})
        self.fields["password"].help_text = _("Passwords are case-sensitive.")

    def get_invalid_login_error(self):
        typed = f"{self.data.get('username', '')}{self.data.get('password', '')}"
        code = "thai_keyboard" if has_thai_letters(typed) else "invalid_login"
        return ValidationError(self.error_messages[code], code=code)


class PasswordResetForm(auth_forms.PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = _(
            "The e-mail address of your Phrom account. We send a link to choose a new password to it."
        )


class SetPasswordForm(auth_forms.SetPasswordForm):
    """Choosing a new password after a reset link."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = password_help_text()
        self.fields["new_password2"].help_text = _("Type the same password again, to catch typing mistakes.")


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    error_messages = {
        **auth_forms.PasswordChangeForm.error_messages,
        "password_incorrect": _(
            "Your current password is not right. Type the password you signed in with today "
            "(check that your keyboard is set to English)."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].help_text = _("The password you use now.")
        self.fields["new_password1"].help_text = password_help_text()
        self.fields["new_password2"].help_text = _("Type the same password again, to catch typing mistakes.")


class InvitationForm(forms.Form):
    """An organization admin invites a colleague by e-mail."""

    email = forms.EmailField(
        label=_("Colleague's e-mail"),
        help_text=_(
            "We send the invitation link to this address. Use the address your colleague reads, "
            "for example a Gmail address."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        help_text=_("What your colleague may do in Phrom. You can change it later."),
        widget=forms.RadioSelect,
    )
    position = forms.CharField(
        label=_("Position"),
        max_length=200,
        required=False,
        help_text=_("Their official position, for example ปลัดองค์การบริหารส่วนตำบล."),
    )

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        roles = list(Role)
        if org.kind in LGO_KINDS:
            # An overseer sees what lies below an organization; a local government has nothing below.
            roles.remove(Role.OVERSEER)
        self.fields["role"].choices = [(r.value, r.label) for r in roles]
        self.role_help = {r.value: ROLE_HELP.get(r, "") for r in roles}

    def role_options(self):
        """(radio button, help text) pairs, so the template can explain each role beside its button."""
        return [(radio, self.role_help.get(radio.data["value"], "")) for radio in self["role"]]


class InvitationSignUpForm(auth_forms.BaseUserCreationForm):
    """A new colleague creates their account from an invitation (the e-mail comes from it)."""

    class Meta:
        model = User
        fields = ("username", "full_name", "phone")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        f = self.fields
        f["username"].help_text = _(
            "You type this every time you sign in. English letters, digits and . _ - only, "
            "for example somchai.j"
        )
        f["username"].widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        )
        f["full_name"].required = True
        f["full_name"].label = _("Full name")
        f["full_name"].help_text = FULL_NAME_HELP
        f["full_name"].widget.attrs["autocomplete"] = "name"
        f["phone"].required = True
        f["phone"].label = _("Mobile phone")
        f["phone"].help_text = PHONE_HELP
        f["phone"].widget = forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"})
        f["password1"].help_text = password_help_text()
        f["password2"].help_text = _("Type the same password again, to catch typing mistakes.")

    def clean_username(self):
        username = self.cleaned_data.get("username") or ""
        # Sign-in pages are where people meet the Thai/English keyboard mix-up; a plain English
        # username keeps that to the password only.
        if not re.fullmatch(r"[A-Za-z0-9._-]+", username):
            raise ValidationError(
                _("Use English letters, digits and . _ - only (switch your keyboard to English)."),
                code="invalid_username",
            )
        # Usernames that differ only in case would make sign-in depend on Caps Lock.
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(
                _("Someone already uses this username. Add a letter or a number, for example %(example)s."),
                params={"example": f"{username}2"},
                code="unique",
            )
        return username

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone", ""))


class ProfileForm(forms.Form):
    """The signed-in user's own details (a plain form: the action, not the form, changes the user)."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        help_text=FULL_NAME_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=40,
        required=False,
        help_text=PHONE_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("Invitations and password-reset links are sent here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    language = forms.ChoiceField(
        label=_("Language of the pages"),
        choices=settings.LANGUAGES,
        help_text=_("Phrom shows its pages in this language on every device you sign in on."),
        widget=forms.RadioSelect,
    )
    current_password = forms.CharField(
        label=_("Current password"),
        required=False,
        strip=False,
        help_text=_("Needed only when you change your e-mail address, which is where password resets go."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        initial = {name: getattr(user, name) for name in PROFILE_FIELDS}
        # Stored as digits; shown grouped (081 234 5678), the way people read a number back.
        initial["phone"] = thai.format_phone(user.phone) if user.phone else ""
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.user = user
        # Each language in its own name, so that someone who cannot read the page can still find theirs.
        self.fields["language"].choices = [
            (code, translation.get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES
        ]

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone", ""))

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        if email is not None and email.lower() != (self.user.email or "").lower():
            # Whoever controls the e-mail address can reset the password, so moving it asks for
            # the password: a borrowed, still signed-in phone is not enough.
            password = cleaned.get("current_password") or ""
            if not password:
                self.add_error(
                    "current_password",
                    ValidationError(
                        _("Type your current password to change your e-mail address."), code="required"
                    ),
                )
            elif not self.user.check_password(password):
                self.add_error(
                    "current_password",
                    ValidationError(
                        _("That is not your current password. Check that your keyboard is set to English."),
                        code="password_incorrect",
                    ),
                )
        return cleaned
