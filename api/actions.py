"""Writes on personal API tokens. Each records an audit event; the raw key is never stored or logged."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import ApiToken
from audit.log import record


@transaction.atomic
def create_token(
    user, *, name: str, expires_at: datetime | None = None, request=None
) -> tuple[ApiToken, str]:
    """A new token for `user` and its raw key, which the caller shows once and forgets."""
    raw = ApiToken.new_key()
    token = ApiToken(user=user, name=name, expires_at=expires_at)
    token.set_key(raw)
    token.save()
    record(
        "api_token.create", actor=user, obj=token, request=request, summary=f"{name} ({token.prefix}…)",
        data={"prefix": token.prefix, "expires_at": expires_at.isoformat() if expires_at else None},
    )  # fmt: skip
    return token, raw


@transaction.atomic
def revoke_token(token: ApiToken, *, by, request=None) -> ApiToken:
    """Stop the token working at once. Revoking a revoked token changes nothing and records nothing."""
    now = timezone.now()
    # Conditional, so that two revocations racing each other record one event.
    if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now):
        token.revoked_at = now
        record(
            "api_token.revoke", actor=by, obj=token, request=request,
            summary=f"{token.name} ({token.prefix}…)", data={"prefix": token.prefix, "owner": token.user_id},
        )  # fmt: skip
    return token
