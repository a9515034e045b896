"""The walker's description of the documents app (see tests/authz/__init__.py).

Plan documents (download buttons, jobs, files) are private to the plan's organization; the
verification page and its API are public and show no personal data. The letters part of the app
may describe its own routes in tests/authz/documents_letters.py (same names: ROUTES, API_ROUTES,
ANONYMOUS_API, build, state); they are merged here when that module exists.
"""

from __future__ import annotations

import importlib

from tests.authz import OWN, PRIVATE, PUBLIC, Route  # noqa: F401

try:
    _letters = importlib.import_module("tests.authz.documents_letters")
except ModuleNotFoundError:
    _letters = None


def _doc(t):
    return t.extra["document"]


ROUTES: dict[str, Route] = {
    "documents:request": Route(PRIVATE, lambda t: {"plan_pk": t.plan.pk, "kind": "bcp_pdf"}),
    "documents:job": Route(PRIVATE, lambda t: {"pk": _doc(t).pk}),
    "documents:retry": Route(PRIVATE, lambda t: {"pk": _doc(t).pk}),
    "documents:download": Route(PRIVATE, lambda t: {"pk": _doc(t).pk}),
    "documents:verify_form": Route(PUBLIC),
    "documents:verify": Route(PUBLIC, lambda t: {"code": _doc(t).code}),
}
API_ROUTES: dict[str, Route] = {
    "/api/v1/documents/kinds": Route(PUBLIC),
    "/api/v1/documents/plans/{plan_id}/{kind}": Route(
        PRIVATE, lambda t: {"plan_id": t.plan.pk, "kind": "bcp_pdf"}
    ),
    "/api/v1/documents/verify/{code}": Route(PUBLIC, lambda t: {"code": _doc(t).code}),
}
ANONYMOUS_API: set[str] = {"/api/v1/documents/verify/{code}"}

if _letters is not None:
    ROUTES.update(getattr(_letters, "ROUTES", {}))
    API_ROUTES.update(getattr(_letters, "API_ROUTES", {}))
    ANONYMOUS_API |= set(getattr(_letters, "ANONYMOUS_API", set()))


def build(target, cast) -> None:
    """A generated document of the target's plan (a ready job whose file name is private)."""
    from documents.models import GeneratedDocument

    doc = GeneratedDocument.objects.create(
        plan=target.plan, kind="bcp_pdf", cache_key=f"walker-{target.org.pk}", cached=False,
        digest="0" * 64, plan_status=target.plan.status, plan_revision=target.plan.revision,
        state=GeneratedDocument.State.READY, file=f"documents/{target.org.pk}/secret-{target.org.pk}.pdf",
        filename=f"แผนลับ{target.org.pk}.pdf", content_type="application/pdf",
    )  # fmt: skip
    target.extra["document"] = doc
    target.secrets.append(f"แผนลับ{target.org.pk}")
    if _letters is not None and hasattr(_letters, "build"):
        _letters.build(target, cast)


def state(org_ids) -> list:
    """Everything the organizations own in this app, comparable before and after the walk."""
    from documents.models import GeneratedDocument

    out = [list(GeneratedDocument.objects.filter(plan__org__in=org_ids).order_by("pk").values())]
    if _letters is not None and hasattr(_letters, "state"):
        out.append(_letters.state(org_ids))
    return out
