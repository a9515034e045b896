"""Pieces of the authorization walker (tests/test_authorization.py) that each app extends.

Each module named in EXTENSIONS describes its own app's routes and objects:

- ``ROUTES``: URL name -> Route (how the page is scoped), as in the walker's own table.
- ``API_ROUTES``: OpenAPI path -> Route.
- ``ANONYMOUS_API``: API paths that answer without a token or session (public read).
- ``build(target, cast)``: create the app's private objects for ``target.org`` (store them in
  ``target.extra[...]``, add their private strings to ``target.secrets``).
- ``state(org_ids)``: a comparable value of everything those organizations own in the app, so
  the walker can prove no request changed it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

PRIVATE = "private"  # organization-owned: outsiders get 404 for every method
PUBLIC = "public"  # public facts (directory, public pages): readable, but no private data, no writes
OWN = "own"  # about the signed-in user only (profile, tokens): no target object to reach
SKIP = "skip"  # framework pages outside the walk (Django admin is superuser-only; static)


@dataclass
class Target:
    """An organization outside the walking user's scope, with objects of its own."""

    org: object
    invitation: object
    membership: object
    token: object
    plan: object = None  # a draft plan of the organization, with one row in every table
    other_plan: object = None  # a second version, for pages that compare two plans
    rows: dict = field(default_factory=dict)  # model name -> a row of `plan`
    unit: object = None  # a unit of the organization
    extra: dict = field(default_factory=dict)  # objects of the extension apps, by name
    secrets: list[str] = field(default_factory=list)  # strings that must never appear in a response


@dataclass
class Route:
    scope: str
    kwargs: callable = None  # Target -> dict of URL kwargs


EXTENSIONS = [
    "tests.authz.documents",
    "tests.authz.directives",
    "tests.authz.dashboards",
    "tests.authz.messages",
    "tests.authz.eservices",
    "tests.authz.citizen",
]


def extensions():
    return [importlib.import_module(name) for name in EXTENSIONS]


def merged(attr: str) -> dict:
    out: dict = {}
    for ext in extensions():
        table = getattr(ext, attr, {})
        overlap = set(out) & set(table)
        assert not overlap, f"{ext.__name__} describes {overlap} twice"
        out.update(table)
    return out


def anonymous_api() -> set[str]:
    return {p for ext in extensions() for p in getattr(ext, "ANONYMOUS_API", set())}
