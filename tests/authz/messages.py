"""The walker's description of the directive messages (outbox) (see tests/authz/__init__.py)."""

from __future__ import annotations

from tests.authz import OWN, PRIVATE, PUBLIC, Route  # noqa: F401

ROUTES: dict[str, Route] = {}
API_ROUTES: dict[str, Route] = {}
ANONYMOUS_API: set[str] = set()


def build(target, cast) -> None:
    """Create this app's private objects for target.org."""


def state(org_ids) -> list:
    """Everything the organizations own in this app, comparable before and after the walk."""
    return []
