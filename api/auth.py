"""How API callers prove who they are: a personal token (Authorization: Bearer phrom_…) or the
browser session of a signed-in user.

Token auth comes first: a script that sends a token never needs a session or a CSRF token.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from accounts.models import ApiToken

# Recording every use would turn each read into a write; to within a minute is enough to tell a
# living token from a forgotten one.
LAST_USED_PRECISION = timedelta(minutes=1)


def touch(token: ApiToken, now=None) -> None:
    """Record that the token was used, at most once per LAST_USED_PRECISION."""
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_PRECISION:
        return
    # Conditional, so that parallel requests with the same token write the row once.
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_PRECISION)
    ).update(last_used_at=now)
    token.last_used_at = now


class TokenAuth(HttpBearer):
    """A personal API token, sent as `Authorization: Bearer phrom_…`."""

    def authenticate(self, request, token: str):
        api_token = ApiToken.objects.authenticate(token)
        if api_token is None:
            return None
        touch(api_token)
        # The access rules and the access log read request.user: make it the token's owner.
        request.user = api_token.user
        request.api_token = api_token
        return api_token.user


class SessionAuth(APIKeyCookie):
    """The session of a user signed in to the web site; unsafe methods need the CSRF token.

    Unlike ninja's own SessionAuth, CSRF is checked only once a signed-in user is found, so that
    an anonymous caller gets 401 (sign in) rather than 403 (CSRF).
    """

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        return request.user if request.user.is_authenticated else None
