"""Sign-in, passwords, invitations and the "my account" page.

Views parse, check access, call an action from accounts.actions and render or redirect.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import actions
from accounts.forms import (
    PROFILE_FIELDS,
    InvitationForm,
    InvitationSignUpForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    ProfileForm,
    SetPasswordForm,
)
from accounts.models import Invitation, User
from audit.log import log_access
from orgs import access
from orgs.demo import demo_logins

# New accounts are created by the view itself, not by authenticate(), so login() must be told
# which backend vouches for them (there are two: axes' and Django's).
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def set_language_cookie(response, language: str):
    """Remember the page language in the browser, as django.views.i18n.set_language does."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


# -- signing in and out ------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    """Django's sign-in (which passes the request to authenticate(), as axes needs)."""

    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The demo passwords are public; still, a production page never lists usernames.
        context["demo_logins"] = demo_logins() if settings.DEBUG else []
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        # The language chosen on "my account" follows the person to a new device; a language
        # picked on this device (the header's switch sets the cookie) is left alone.
        language = form.get_user().language
        if settings.LANGUAGE_COOKIE_NAME not in self.request.COOKIES and language in dict(settings.LANGUAGES):
            set_language_cookie(response, language)
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have signed out. On a shared computer, also close the browser window."))
        return response


# -- passwords ---------------------------------------------------------------------------------


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        actions.set_password(
            form.user, form.cleaned_data["new_password1"], reason="change", request=self.request
        )
        # Keep this session signed in; every other session of the user ends.
        update_session_auth_hash(self.request, form.user)
        return HttpResponseRedirect(self.get_success_url())


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    extra_email_context = {"valid_days": settings.PASSWORD_RESET_TIMEOUT // (60 * 60 * 24)}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        actions.set_password(
            form.user, form.cleaned_data["new_password1"], reason="reset", request=self.request
        )
        # As Django's own form_valid: the reset token kept in the session is spent.
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


# -- invitations -------------------------------------------------------------------------------


def _get_managed_org(request, org_pk):
    """The organization if the user may manage its members; 404 outside their scope, 403 inside."""
    org = access.get_visible_org(request.user, org_pk)
    if not access.can_manage_members(request.user, org):
        raise PermissionDenied
    return org


def invite(request, org_pk):
    """An organization admin invites a colleague by e-mail."""
    org = _get_managed_org(request, org_pk)
    if request.method == "POST":
        form = InvitationForm(request.POST, org=org)
        if form.is_valid():
            invitation = actions.invite(
                org,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                position=form.cleaned_data["position"],
                by=request.user,
                request=request,
            )
            messages.success(
                request,
                _(
                    "Invitation sent to %(email)s. The link works once and for %(days)s days. "
                    "If it does not arrive, ask them to look in their spam folder, or invite them again."
                )
                % {"email": invitation.email, "days": settings.INVITATION_VALID_DAYS},
            )
            return redirect("accounts:invitations", org_pk=org.pk)
    else:
        form = InvitationForm(org=org)
    return render(
        request,
        "accounts/invite.html",
        {"org": org, "form": form, "valid_days": settings.INVITATION_VALID_DAYS},
    )


def invitations(request, org_pk):
    """The organization's invitations that are still waiting for an answer."""
    org = _get_managed_org(request, org_pk)
    pending = list(
        Invitation.objects.visible_to(request.user)
        .filter(organization=org)
        .pending()
        .select_related("invited_by")
    )
    if pending:
        # E-mail addresses are personal data: record who looked at them.
        log_access(request, "invitations", organization=org, objects=pending)
    return render(request, "accounts/invitations.html", {"org": org, "invitations": pending})


@require_POST
def revoke_invitation(request, pk):
    invitation = get_object_or_404(
        Invitation.objects.visible_to(request.user).select_related("organization"), pk=pk
    )
    if not access.can_manage_members(request.user, invitation.organization):
        raise PermissionDenied
    if actions.revoke_invitation(invitation, by=request.user, request=request):
        messages.success(
            request, _("The invitation to %(email)s is cancelled; its link no longer works.")
            % {"email": invitation.email},
        )  # fmt: skip
    else:
        messages.info(request, _("That invitation had already been used or cancelled."))
    return redirect("accounts:invitations", org_pk=invitation.organization_id)


def _unusable(request, invitation, status=410):
    """A page that says why an invitation link does not work and what to do about it."""
    if invitation is None:
        reason = "unknown"
    elif invitation.accepted_at:
        reason = "used"
    elif invitation.revoked_at:
        reason = "revoked"
    else:
        reason = "expired"
    return render(
        request,
        "accounts/invitation_unusable.html",
        {"invitation": invitation, "reason": reason},
        status=404 if invitation is None else status,
    )


@login_not_required
def accept_invitation(request, token):
    """The link in an invitation e-mail: create an account, or add the role to the signed-in one."""
    invitation = (
        Invitation.objects.select_related("organization", "invited_by")
        .filter(token_hash=Invitation.hash_token(token))
        .first()
    )
    if invitation is None or not invitation.is_usable:
        if invitation and invitation.accepted_by_id and invitation.accepted_by_id == request.user.pk:
            messages.info(request, _("You have already accepted this invitation."))
            return redirect("home")
        return _unusable(request, invitation)

    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                actions.accept_invitation(invitation, user=request.user, request=request)
            except actions.InvitationUnusable:
                return _unusable(request, Invitation.objects.get(pk=invitation.pk))
            messages.success(request, _welcome(invitation))
            return redirect("home")
        return render(request, "accounts/invitation_accept.html", {"invitation": invitation})

    form = InvitationSignUpForm(request.POST or None, instance=_invitee(invitation))
    if request.method == "POST" and form.is_valid():
        try:
            user = actions.sign_up_with_invitation(
                invitation,
                username=form.cleaned_data["username"],
                full_name=form.cleaned_data["full_name"],
                phone=form.cleaned_data["phone"],
                password=form.cleaned_data["password1"],
                language=translation.get_language(),
                request=request,
            )
        except actions.InvitationUnusable:
            return _unusable(request, Invitation.objects.get(pk=invitation.pk))
        except IntegrityError:
            # Someone took the username between the check and the save.
            form.add_error("username", _("Someone just took this username. Choose another one."))
        else:
            login(request, user, backend=MODEL_BACKEND)
            messages.success(request, _welcome(invitation))
            return redirect("home")
    login_url = f"{reverse('accounts:login')}?{urlencode({'next': request.path})}"
    return render(
        request,
        "accounts/invitation_signup.html",
        {"invitation": invitation, "form": form, "login_url": login_url},
    )


def _invitee(invitation) -> User:
    """An unsaved user carrying the invited address, so the password check can compare against it."""
    return User(email=invitation.email)


def _welcome(invitation) -> str:
    return _("Welcome! You are now %(role)s of %(org)s.") % {
        "role": invitation.get_role_display(),
        "org": invitation.organization,
    }


# -- my account --------------------------------------------------------------------------------


def profile(request):
    """The signed-in user's own details and memberships."""
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST, user=user)
        if form.is_valid():
            values = {k: form.cleaned_data[k] for k in PROFILE_FIELDS}
            changed = actions.update_profile(user, request=request, **values)
            translation.activate(user.language)
            messages.success(request, _("Your details are saved.") if changed else _("Nothing was changed."))
            return set_language_cookie(redirect("accounts:profile"), user.language)
    else:
        form = ProfileForm(user=user)
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "memberships": access.memberships(user)},
    )
