"""Fixtures of the directives tests: an approved plan without the cost of the checker, and a
directive of the provincial office down to the cast's districts, relayed by อำเภอเมืองแพร่."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from directives import actions
from directives.models import Group


def approved_plan(org, *, revision: int = 1, digest: str = ""):
    """An approved plan row (its content does not matter to directives; the digest does)."""
    from plans.models import Plan, Status

    Plan.objects.filter(org=org, status=Status.APPROVED).update(status=Status.SUPERSEDED)
    return Plan.objects.create(
        org=org, title=f"แผน {org.name_th} ฉบับที่ {revision}", fiscal_year=2570, revision=revision,
        status=Status.APPROVED, digest=digest or f"{revision:064d}", approved_at=timezone.now(),
    )  # fmt: skip


def bangkok(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args), timezone.get_default_timezone())


def make_directive(cast, *, issuer=None, by=None, deadline=None, **values):
    issuer = issuer or cast.provincial_office
    base = {
        "subject": "การทบทวนแผนดำเนินธุรกิจอย่างต่อเนื่อง",
        "body": "ขอให้ทบทวนแผน",
        "submit_to": cast.opdc,
        "copy_rules": ["province", "district"],
        "groups": [Group.DISTRICTS],
        "deadline": deadline or bangkok(2026, 12, 31, 23, 59, 59, 999999),
        "date": dt.date(2026, 11, 20),
    }
    base.update(values)
    return actions.create_directive(issuer=issuer, by=by or cast.province_officer, values=base)


@pytest.fixture
def issued(cast):
    d = make_directive(cast)
    return actions.issue_directive(d, by=cast.province_officer)


@pytest.fixture
def relayed(cast, issued):
    """The district's relay of `issued` to its local governments (ป่าแดง, ช่อแฮ)."""
    return actions.relay_directive(issued, issuer=cast.district, by=cast.district_officer)
