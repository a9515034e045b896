"""Helpers shared by the account tests (the cast itself is in the project's conftest.py)."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.core import mail

from accounts import actions
from orgs.models import Role

PASSWORD = "test-pass-123"  # the cast's password (see conftest.build_cast)
NEW_PASSWORD = "green-river-lamp-42"  # passes every configured validator


def link_path(body: str, marker: str) -> str:
    """The path of the first link in an e-mail body that contains `marker`."""
    match = re.search(r"https?://[^/\s]+(" + re.escape(marker) + r"\S*)", body)
    assert match, f"no link with {marker!r} in:\n{body}"
    return match.group(1)


@pytest.fixture
def send_invitation(cast, django_capture_on_commit_callbacks):
    """Invite someone as the cast's org admin (mail really sent); returns the invitation and its link path."""

    def send(email="new.colleague@example.test", role=Role.PLANNER, org=None, by=None, position=""):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            invitation = actions.invite(
                org or cast.lgo, email=email, role=role, position=position, by=by or cast.org_admin
            )
        assert len(mail.outbox) == 1
        return SimpleNamespace(
            invitation=invitation,
            path=link_path(mail.outbox[0].body, "/accounts/invitation/"),
            mail=mail.outbox[0],
        )

    return send


@pytest.fixture(autouse=True)
def _english_pages(client, settings):
    """These tests read the English source wording of messages; the Thai catalogue has its own
    tests (phrom/tests/test_translations.py). The language cookie is what the switch sets."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
