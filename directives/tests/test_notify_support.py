"""Objects for the message tests, made with the ORM (no dependency on the directive actions).

The chain of the founding letter in miniature: the provincial office relays a DLA directive to the
districts, and the district of Mueang Phrae relays it to its two local governments.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core import mail as django_mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from directives.models import Ask, Directive, DirectiveStatus, Recipient, Submission, SubmissionCopy
from plans.models import Plan

BANGKOK = dt.timezone(dt.timedelta(hours=7))
_numbers = itertools.count(1)


def bangkok(y, m, d, hh=0, mm=0, ss=0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, ss, tzinfo=BANGKOK)


def make_directive(issuer, recipients, *, deadline, parent=None, submit_to=None, by=None, issued_at=None,
                   ask=Ask.SUBMIT_PLAN, subject="ขอให้ส่งแผนการบริหารความพร้อมต่อสภาวะวิกฤต"):  # fmt: skip
    n = next(_numbers)
    d = Directive.objects.create(
        issuer=issuer, parent=parent, status=DirectiveStatus.ISSUED, number=f"พร ๐๐๒๓.๑/ว {n}",
        date=(issued_at or timezone.now()).date(), subject=subject, ask=ask, deadline=deadline,
        submit_to=submit_to, copy_rules=["province", "district"], issued_by=by,
        issued_at=issued_at or timezone.now(),
    )  # fmt: skip
    d.root = parent.root if parent else d
    d.save(update_fields=["root"])
    Recipient.objects.bulk_create([Recipient(directive=d, org=o) for o in recipients])
    return d


def make_plan(org, n=1) -> Plan:
    return Plan.objects.create(org=org, title=f"แผน BCP {org.name_th}", fiscal_year=2569, revision=n)


def make_submission(directive, org, *, by, copies=(), status="submitted", on_time=True, at=None):
    n = next(_numbers)
    s = Submission.objects.create(
        directive=directive, root=directive.root, org=org, plan=make_plan(org, n), plan_digest="0" * 64,
        submitted_to=directive.submit_to, receipt_number=f"R{directive.root_id}-{org.pk}-{n:08X}",
        idempotency_key=f"key-{n}", submitted_by=by, submitted_at=at or timezone.now(), on_time=on_time,
        status=status,
    )  # fmt: skip
    SubmissionCopy.objects.bulk_create([SubmissionCopy(submission=s, org=o) for o in copies])
    return s


class FlakyBackend(EmailBackend):
    """The locmem backend, failing the first `FlakyBackend.failures` sends (a mail server that is down)."""

    failures = 0
    calls = 0

    def send_messages(self, messages):
        type(self).calls += 1
        if type(self).calls <= type(self).failures:
            raise ConnectionRefusedError("[Errno 111] Connection refused (mail server down)")
        return super().send_messages(messages)


@pytest.fixture
def flaky(settings):
    FlakyBackend.failures = 0
    FlakyBackend.calls = 0
    settings.EMAIL_BACKEND = "directives.tests.test_notify_support.FlakyBackend"
    django_mail.outbox = []
    return FlakyBackend


@pytest.fixture
def chain(cast):
    """The miniature chain with a 31 July 2026 deadline (23:59:59 Bangkok) and e-mail addresses."""
    from types import SimpleNamespace

    cast.lgo.email = "padaeng@lgo.test"
    cast.lgo.save(update_fields=["email"])
    cast.district.email = "mueang@district.test"
    cast.district.save(update_fields=["email"])
    deadline = bangkok(2026, 7, 31, 23, 59, 59)
    issued = bangkok(2026, 7, 1, 10)
    root = make_directive(cast.dla, [cast.provincial_office], deadline=deadline, submit_to=cast.opdc,
                          issued_at=issued)  # fmt: skip
    province = make_directive(
        cast.provincial_office, [cast.district, cast.other_district], deadline=deadline, parent=root,
        submit_to=cast.opdc, issued_at=issued,
    )  # fmt: skip
    district = make_directive(
        cast.district, [cast.lgo, cast.lgo_same_district], deadline=deadline, parent=province,
        submit_to=cast.opdc, issued_at=issued,
    )  # fmt: skip
    other = make_directive(
        cast.other_district, [cast.lgo_other_district], deadline=deadline, parent=province,
        submit_to=cast.opdc, issued_at=issued,
    )  # fmt: skip
    return SimpleNamespace(
        root=root, province=province, district=district, other=other, deadline=deadline, issued=issued
    )
