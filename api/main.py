"""The Phrom API (django-ninja), mounted at /api/v1/.

Every route needs a caller: a personal token or a signed-in session (api.auth). Only the OpenAPI
schema and the docs page are open (see api.urls). All routers hang off this one `api` object, so
that `api.get_openapi_schema()` lists every route for the authorization walker.
"""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.openapi.docs import Swagger

from api.auth import SessionAuth, TokenAuth
from api.routers import (
    catalogue,
    dashboards,
    directives,
    documents,
    eservices,
    me,
    organizations,
    plans,
    tokens,
)

DESCRIPTION = """\
Read access to Phrom: the directory of Thai public bodies in the business-continuity chain
(OPDC, the DLA, provinces, districts and local governments) and, within your scope, their members.

**Authentication.** Send a personal token as `Authorization: Bearer phrom_…` (create one at
[/api/tokens/](/api/tokens/)), or call from a browser signed in to Phrom; with a session, unsafe
methods need the `X-CSRFToken` header.

**Scope.** The directory is public information and open to every caller. Members and their contacts
are answered only for organizations you may read (your own; everything below an organization you
oversee); anything else is 404. Every read of contacts is recorded in the access log.

**Lists** take `limit` (at most 500) and `offset` and return `{"items": [...], "count": n}`.
**Language.** Labels follow `Accept-Language` (`th` or `en`).
"""


class LocalSwagger(Swagger):
    """Swagger UI from Phrom's own static files, never a CDN: Phrom may run on a closed network.

    ninja falls back to a CDN page when "ninja" is missing from INSTALLED_APPS; this page does not,
    and the system check api.W001 says when the files would be missing.
    """

    template = "api/docs.html"
    default_settings = {
        **Swagger.default_settings,
        # Swagger UI would otherwise send the schema to validator.swagger.io.
        "validatorUrl": None,
    }

    def render_page(self, request, api, **kwargs):
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {
            "swagger_settings": json.dumps(settings, indent=1),
            "api": api,
            # "Try it out" with the session needs the CSRF token on unsafe methods.
            "add_csrf": any(getattr(a, "csrf", False) for a in api.auth or ()),
        }
        return render(request, self.template, context)


api = NinjaAPI(
    title="Phrom API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    docs=LocalSwagger(),
    docs_decorator=login_not_required,
)
api.add_router("/me", me.router)
api.add_router("/organizations", organizations.router)
api.add_router("/tokens", tokens.router)
api.add_router("/plans", plans.router)
api.add_router("/documents", documents.router)
api.add_router("/directives", directives.router)
api.add_router("/dashboards", dashboards.router)
api.add_router("/services", eservices.router)
api.add_router("/catalogue", catalogue.router)


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    response = api.create_response(
        request,
        {"detail": _("Authentication required: send a personal API token or sign in.")},
        status=401,
    )
    response["WWW-Authenticate"] = 'Bearer realm="Phrom"'
    return response
