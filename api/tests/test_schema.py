"""The OpenAPI schema, the docs page, and that every route demands a caller."""

import re
from types import SimpleNamespace

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from api import checks as api_checks
from api.main import api
from api.urls import urlpatterns
from tests.authz import anonymous_api, merged

EVERY_ROUTE = {
    "/api/v1/me": {"get"},
    "/api/v1/organizations": {"get"},
    "/api/v1/organizations/{id}": {"get"},
    "/api/v1/organizations/{id}/children": {"get"},
    "/api/v1/organizations/{id}/members": {"get"},
    "/api/v1/tokens": {"get"},
    "/api/v1/tokens/{id}": {"delete"},
    "/api/v1/plans": {"get"},
    "/api/v1/plans/schema": {"get"},
    "/api/v1/plans/org/{org_id}": {"post"},
    "/api/v1/plans/org/{org_id}/import": {"post"},
    "/api/v1/plans/{plan_id}": {"get", "put"},
    "/api/v1/plans/{plan_id}/rows/{section}": {"get", "post"},
    "/api/v1/plans/{plan_id}/rows/{section}/{row_id}": {"get", "put", "delete"},
    "/api/v1/plans/{plan_id}/rows/{section}/{row_id}/move": {"post"},
    "/api/v1/plans/{plan_id}/checks": {"get"},
    "/api/v1/plans/{plan_id}/submit": {"post"},
    "/api/v1/plans/{plan_id}/approve": {"post"},
    "/api/v1/plans/{plan_id}/return": {"post"},
    "/api/v1/plans/{plan_id}/export": {"get"},
    "/api/v1/plans/{plan_id}/diff/{other_id}": {"get"},
}
# Documentation, not data: readable without signing in, like openapi.json itself; plus the public
# reads that the extension apps declare (tests/authz/*.py ANONYMOUS_API).
PUBLIC_ROUTES = {"/api/v1/plans/schema"} | anonymous_api()


def test_the_schema_is_served_as_json_with_every_route(client):
    resp = client.get("/api/v1/openapi.json")

    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("application/json")
    schema = resp.json()
    assert schema["info"]["title"] == "Phrom API"
    assert schema["info"]["version"] == "1"
    described = set(EVERY_ROUTE) | set(merged("API_ROUTES"))
    assert set(schema["paths"]) == described
    for path, methods in EVERY_ROUTE.items():
        assert set(schema["paths"][path]) == methods, path


def test_every_route_requires_a_token_or_a_session():
    for path, ops in api.get_openapi_schema()["paths"].items():
        if path in PUBLIC_ROUTES:
            continue
        for method, op in ops.items():
            assert op.get("security") == [{"TokenAuth": []}, {"SessionAuth": []}], f"{method} {path}"


@pytest.mark.django_db
def test_every_route_answers_an_anonymous_caller_with_401_json(client):
    for path, ops in api.get_openapi_schema()["paths"].items():
        if path in PUBLIC_ROUTES:
            continue
        url = re.sub(r"\{\w+\}", "1", path).replace("/rows/1", "/rows/contacts")
        for method in ops:
            resp = client.generic(method.upper(), url)
            assert resp.status_code == 401, f"{method} {url}"
            assert resp["Content-Type"].startswith("application/json")
            assert resp["WWW-Authenticate"] == 'Bearer realm="Phrom"'
            assert "detail" in resp.json()


def test_every_api_url_opts_out_of_the_login_redirect():
    # LoginRequiredMiddleware would send API clients to the HTML login page instead of a 401.
    resolver = urlpatterns[0]
    assert all(p.callback.login_required is False for p in resolver.url_patterns)


def test_the_docs_page_loads_swagger_from_phrom_itself(client):
    resp = client.get("/api/v1/docs")

    assert resp.status_code == 200
    html = resp.content.decode()
    assert "swagger-ui-bundle.js" in html
    assert reverse("api:openapi-json") in html
    assert "cdn" not in html.lower()
    for url in re.findall(r'(?:src|href)="([^"]*)"', html):
        assert url.startswith("/"), f"the docs page loads {url} from another host"
    # Swagger UI would otherwise post the schema to validator.swagger.io.
    assert '"validatorUrl": null' in html


def test_the_docs_page_carries_the_csrf_token_for_try_it_out(client):
    resp = client.get("/api/v1/docs")

    assert 'data-api-csrf="true"' in resp.content.decode()


def test_swagger_ui_files_are_found_by_staticfiles():
    assert finders.find("ninja/swagger-ui-bundle.js")
    assert finders.find("ninja/swagger-ui.css")


def test_the_system_check_warns_when_ninja_is_not_an_app(monkeypatch):
    monkeypatch.setattr(api_checks, "settings", SimpleNamespace(INSTALLED_APPS=["api"]))
    assert [w.id for w in api_checks.swagger_assets_installed(None)] == ["api.W001"]

    monkeypatch.setattr(api_checks, "settings", SimpleNamespace(INSTALLED_APPS=["ninja", "api"]))
    assert api_checks.swagger_assets_installed(None) == []
