"""The API's URLs, mounted at /api/v1/ by phrom.urls.

LoginRequiredMiddleware would answer an API call without a session with a redirect to the login
page; an API client needs 401 JSON instead. So every API URL opts out of the middleware and ninja
enforces authentication itself: every operation carries auth=[TokenAuth, SessionAuth] (see
api.main; api/tests/test_schema.py checks that each route in the schema requires it).
The schema and the docs page stay open: they describe routes, hold no data, and Phrom's source
is public anyway; tools that generate clients fetch the schema without a session.
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import URLResolver, path

from api.main import api


def _opt_out_of_login_redirect(patterns):
    for p in patterns:
        if isinstance(p, URLResolver):
            _opt_out_of_login_redirect(p.url_patterns)
        else:
            login_not_required(p.callback)


# Not unpacked into module-level names: include("api.urls") would take `app_name` for its own.
_api_urls = api.urls
_opt_out_of_login_redirect(_api_urls[0])

urlpatterns = [path("", _api_urls)]
