"""Writes on accounts and invitations. Each is atomic and records an audit event; mail goes on commit."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from functools import partial

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.forms import PROFILE_FIELDS
from accounts.models import Invitation, User
from audit.log import record
from orgs.actions import add_member
from orgs.models import Membership, Organization

log = logging.getLogger(__name__)


class InvitationUnusable(Exception):
    """The invitation was used, revoked or has expired in the meantime."""


# -- invitations -------------------------------------------------------------------------------


@transaction.atomic
def invite(org: Organization, *, email: str, role: str, position: str = "", by, request=None) -> Invitation:
    """Invite `email` to `org` with `role`, and mail them a link that works once.

    A new invitation to the same address replaces any pending one, so "send again" is simply
    inviting again and only the newest link works.
    """
    email = BaseUserManager.normalize_email(email.strip())
    now = timezone.now()
    replaced = list(
        Invitation.objects.filter(organization=org, email__iexact=email)
        .pending()
        .values_list("pk", flat=True)
    )
    if replaced:
        Invitation.objects.filter(pk__in=replaced).update(revoked_at=now)
    raw_token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organization=org,
        email=email,
        role=role,
        position=position.strip(),
        token_hash=Invitation.hash_token(raw_token),
        invited_by=by,
        expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    record(
        "invitation.create", actor=by, organization=org, obj=invitation, request=request,
        summary=f"{email} · {role}", data={"email": email, "role": role, "replaced": replaced},
    )  # fmt: skip
    # Only the hash is stored, so the raw token lives in this closure until the mail is out; it
    # is not put on the task queue (which would store it). robust: a mail-server hiccup must not
    # turn a saved invitation into an error page — the admin can invite again from the list.
    transaction.on_commit(partial(_send_invitation_mail, invitation, raw_token), robust=True)
    return invitation


def invitation_url(raw_token: str) -> str:
    return settings.SITE_URL + reverse("accounts:accept_invitation", args=[raw_token])


def _send_invitation_mail(invitation: Invitation, raw_token: str) -> None:
    context = {
        "invitation": invitation,
        "organization": invitation.organization,
        "inviter": invitation.invited_by,
        "url": invitation_url(raw_token),
        "site_url": settings.SITE_URL,
    }
    subject = " ".join(render_to_string("accounts/email/invitation_subject.txt", context).split())
    body = render_to_string("accounts/email/invitation_body.txt", context)
    # Replies go to the colleague who invited, who can answer "what is this?" better than we can.
    reply_to = [invitation.invited_by.email] if invitation.invited_by.email else None
    EmailMessage(subject, body, to=[invitation.email], reply_to=reply_to).send()


@transaction.atomic
def accept_invitation(invitation: Invitation, *, user: User, request=None) -> Membership:
    """Give `user` the invitation's role; raises InvitationUnusable if it was used meanwhile."""
    now = timezone.now()
    # A conditional UPDATE claims the invitation, so two clicks (or two people) racing on one
    # link cannot both get the role.
    claimed = Invitation.objects.pending().filter(pk=invitation.pk).update(accepted_at=now, accepted_by=user)
    if not claimed:
        raise InvitationUnusable
    invitation.accepted_at, invitation.accepted_by = now, user
    membership = add_member(
        invitation.organization, user, invitation.role, by=user, position=invitation.position, request=request
    )
    record(
        "invitation.accept", actor=user, organization=invitation.organization, obj=invitation,
        request=request, summary=f"{user.username} · {invitation.role}",
        data={"user": user.pk, "role": invitation.role, "invited_by": invitation.invited_by_id},
    )  # fmt: skip
    return membership


@transaction.atomic
def sign_up_with_invitation(
    invitation: Invitation,
    *,
    username: str,
    full_name: str,
    phone: str,
    password: str,
    language: str = "th",
    request=None,
) -> User:
    """Create an account for the invitee and accept the invitation with it, all or nothing."""
    user = User(
        username=username,
        email=invitation.email,
        full_name=full_name.strip(),
        phone=phone,
        language=language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
    )
    user.set_password(password)
    user.save()
    record(
        "account.create", actor=user, organization=invitation.organization, obj=user, request=request,
        summary=username, data={"invitation": invitation.pk},
    )  # fmt: skip
    # If the invitation was used meanwhile this raises, and the account above is rolled back.
    accept_invitation(invitation, user=user, request=request)
    return user


@transaction.atomic
def revoke_invitation(invitation: Invitation, *, by, request=None) -> bool:
    """Make an unused invitation's link stop working. False if it was already used or revoked."""
    now = timezone.now()
    revoked = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    if revoked:
        invitation.revoked_at = now
        record(
            "invitation.revoke", actor=by, organization=invitation.organization, obj=invitation,
            request=request, summary=invitation.email, data={"email": invitation.email},
        )  # fmt: skip
    return bool(revoked)


# -- the user's own account --------------------------------------------------------------------


@transaction.atomic
def update_profile(user: User, *, request=None, **values) -> list[str]:
    """Save the user's own details; returns the names of the fields that changed."""
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"not profile fields: {sorted(unknown)}")
    if "email" in values:
        values["email"] = BaseUserManager.normalize_email(values["email"])
    changed = [name for name, value in values.items() if getattr(user, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(user, name, values[name])
    user.save(update_fields=changed)
    # Field names only: the values are personal data and the audit log is read by admins.
    record(
        "account.update", actor=user, obj=user, request=request,
        summary=", ".join(changed), data={"fields": changed},
    )  # fmt: skip
    return changed


@transaction.atomic
def set_password(user: User, password: str, *, reason: str, request=None) -> User:
    """Set a new password, from the password-change page (reason="change") or a reset link ("reset")."""
    user.set_password(password)
    user.save(update_fields=["password"])
    if reason == "reset":
        # Proving control of the e-mail address lifts a lock-out, so a locked-out person who
        # reset their password can sign in straight away.
        axes_reset(username=user.get_username())
    record(f"account.password_{reason}", actor=user, obj=user, request=request, summary=user.username)
    return user
