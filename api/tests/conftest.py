from datetime import timedelta

import pytest
from django.utils import timezone

from api.actions import create_token


@pytest.fixture
def make_token():
    """make_token(user, **fields) -> raw key of a new token of `user`."""

    def make(user, *, name="script", expires_at=None):
        _token, raw = create_token(user, name=name, expires_at=expires_at)
        return raw

    return make


@pytest.fixture
def bearer(make_token):
    """bearer(user) -> request headers carrying a fresh token of `user`."""

    def headers(user):
        return {"Authorization": f"Bearer {make_token(user)}"}

    return headers


@pytest.fixture
def yesterday():
    return timezone.now() - timedelta(days=1)
