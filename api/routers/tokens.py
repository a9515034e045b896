"""The caller's own personal API tokens: list and revoke.

Tokens are created only on the web page (/api/tokens/), by a user signed in with their
password: a stolen token must not be able to mint new tokens that outlive its revocation.
"""

from django.shortcuts import get_object_or_404
from ninja import Router

from accounts.models import ApiToken
from api import actions
from api.schemas import TokenOut

router = Router(tags=["tokens"])


@router.get("", response=list[TokenOut], summary="Your personal API tokens")
def list_tokens(request):
    return ApiToken.objects.filter(user=request.auth)


@router.delete("/{int:id}", response={204: None}, summary="Revoke one of your tokens")
def revoke_token(request, id: int):
    # Someone else's token is 404, like anything outside the caller's reach.
    token = get_object_or_404(ApiToken.objects.filter(user=request.auth), pk=id)
    actions.revoke_token(token, by=request.auth, request=request)
    return 204, None
