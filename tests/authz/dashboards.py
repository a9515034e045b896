"""The walker's description of the oversight dashboards (see tests/authz/__init__.py).

For every target organization build() makes a directive chain of its own, with a private subject:
issued by the target itself when it is a district, province or provincial office (the dashboard's
level is then the target), or by the district of a target local government and addressed to it
(the level is that district). No walking user belongs to or oversees these, so every chain page,
export and API figure is PRIVATE (404), and the lists of chains (OWN) must not show them.
"""

from __future__ import annotations

from tests.authz import OWN, PRIVATE, Route

MARKER = "หนังสือลับแดชบอร์ด"


def _chain(t):
    return {"root_id": t.extra["dash_root"].pk}


def _area(t):
    return {"root_id": t.extra["dash_root"].pk, "org_id": t.extra["dash_area"].pk}


ROUTES: dict[str, Route] = {
    "dashboards:index": Route(OWN),
    "dashboards:chain": Route(PRIVATE, _chain),
    "dashboards:area": Route(PRIVATE, _area),
    "dashboards:export": Route(PRIVATE, lambda t: {**_area(t), "fmt": "xlsx"}),
}
API_ROUTES: dict[str, Route] = {
    "/api/v1/dashboards": Route(OWN),
    "/api/v1/dashboards/{root_id}": Route(PRIVATE, _chain),
    "/api/v1/dashboards/{root_id}/areas/{org_id}": Route(PRIVATE, _area),
    "/api/v1/dashboards/{root_id}/areas/{org_id}/organizations": Route(PRIVATE, _area),
}
ANONYMOUS_API: set[str] = set()


def build(target, cast) -> None:
    """A chain reaching target.org, with a secret subject."""
    from directives.models import Directive, DirectiveStatus, Recipient
    from orgs.models import Organization

    org = target.org
    issuer = Organization.objects.get(pk=org.district_id) if org.is_lgo else org
    subject = f"{MARKER}{org.pk}"
    root = Directive.objects.create(
        issuer=issuer, status=DirectiveStatus.ISSUED, subject=subject, date="2026-03-02",
        deadline="2026-03-31T16:59:59Z", submit_to=cast.opdc,
    )  # fmt: skip
    Directive.objects.filter(pk=root.pk).update(root=root)
    root.root_id = root.pk
    Recipient.objects.create(directive=root, org=org if org.is_lgo else issuer)
    target.extra["dash_root"] = root
    target.extra["dash_area"] = issuer
    target.secrets.append(subject)


def state(org_ids) -> list:
    """The dashboards' own test chains (the pages and API only read)."""
    from directives.models import Directive, Recipient

    return [
        list(Directive.objects.filter(subject__startswith=MARKER).order_by("pk").values()),
        list(Recipient.objects.filter(directive__subject__startswith=MARKER).order_by("pk").values()),
    ]
