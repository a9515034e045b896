"""The page where a user manages their personal API tokens (/api/tokens/).

A new token's key is shown once, in the response to the form, and never again: only its hash
is stored, and the key is kept out of the session and of caches.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import ApiToken
from api import actions
from api.forms import TokenForm


def _status(token, now) -> str:
    if token.revoked_at is not None:
        return _("Revoked")
    if token.expires_at is not None and token.expires_at <= now:
        return _("Expired")
    return _("Active")


def _page(request, form):
    now = timezone.now()
    tokens = list(ApiToken.objects.filter(user=request.user))
    for token in tokens:
        token.status = _status(token, now)
    return render(request, "api/tokens.html", {"tokens": tokens, "form": form})


@require_GET
def token_list(request):
    return _page(request, TokenForm())


@require_POST
def token_create(request):
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form)
    token, raw_key = actions.create_token(
        request.user, name=form.cleaned_data["name"], expires_at=form.expires_at(), request=request
    )
    response = render(request, "api/token_created.html", {"token": token, "raw_key": raw_key})
    add_never_cache_headers(response)
    return response


@require_POST
def token_revoke(request, pk):
    # Another user's token is 404, like anything outside one's reach.
    token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=pk)
    actions.revoke_token(token, by=request.user, request=request)
    messages.success(request, _("Token “%(name)s” revoked; it no longer works.") % {"name": token.name})
    return redirect("api_tokens:list")
