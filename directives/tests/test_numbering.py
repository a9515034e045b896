"""The ว series: per issuer, per calendar year, next free number, typed numbers, collisions."""

from __future__ import annotations

import datetime as dt

import pytest

from directives import actions, numbering
from directives.models import Directive
from directives.tests.conftest import make_directive

pytestmark = pytest.mark.django_db


def test_format_prints_thai_digits_with_the_circular_mark():
    assert numbering.format_number("พร ๐๐๒๓.๑", 3026) == "พร ๐๐๒๓.๑/ว ๓๐๒๖"
    assert numbering.format_number("พร 0023.1", 7, circular=False) == "พร ๐๐๒๓.๑/๗"


def test_typed_numbers_accept_thai_and_arabic_digits():
    assert numbering.parse_typed("3026") == ("", 3026)
    assert numbering.parse_typed("๓๐๒๖") == ("", 3026)
    assert numbering.parse_typed("พร ๐๐๒๓.๑/ว ๓๐๒๖") == ("พร 0023.1", 3026)
    assert numbering.parse_typed("ว 12") == ("", 12)
    assert numbering.parse_typed("สามพัน")[1] is None


def _issue(cast, issuer, date, number=""):
    d = make_directive(cast, issuer=issuer, date=date)
    return actions.issue_directive(d, by=cast.site_admin, number=number)


def test_each_issuer_has_its_own_series_that_restarts_every_calendar_year(cast):
    a = _issue(cast, cast.provincial_office, dt.date(2026, 3, 1))
    b = _issue(cast, cast.provincial_office, dt.date(2026, 12, 31))
    other = _issue(cast, cast.district, dt.date(2026, 6, 1))
    next_year = _issue(cast, cast.provincial_office, dt.date(2027, 1, 1))

    assert (a.register_number, b.register_number) == (1, 2)
    assert other.register_number == 1  # the district's own series
    assert (next_year.register_year, next_year.register_number) == (2027, 1)
    assert b.number == "ว ๒"  # the cast gives the provincial office no letter prefix


def test_a_typed_number_takes_its_place_and_the_next_one_follows(cast):
    cast.provincial_office.letter_prefix = "พร ๐๐๒๓.๑"
    cast.provincial_office.save(update_fields=["letter_prefix"])
    typed = _issue(cast, cast.provincial_office, dt.date(2020, 6, 23), number="๓๐๒๖")
    after = _issue(cast, cast.provincial_office, dt.date(2020, 6, 24))

    assert typed.number == "พร ๐๐๒๓.๑/ว ๓๐๒๖"
    assert after.number == "พร ๐๐๒๓.๑/ว ๓๐๒๗"


def test_a_typed_number_already_used_is_refused_and_nothing_is_issued(cast):
    _issue(cast, cast.district, dt.date(2026, 6, 1), number="15")
    d = make_directive(cast, issuer=cast.district, date=dt.date(2026, 7, 1))

    with pytest.raises(actions.DirectiveError, match="15"):
        actions.issue_directive(d, by=cast.site_admin, number="15")

    d.refresh_from_db()
    assert d.status == "draft" and d.register_number is None and not d.recipients.exclude(group="").exists()


def test_a_collision_with_a_concurrent_issue_takes_the_next_number(cast, monkeypatch):
    first = _issue(cast, cast.district, dt.date(2026, 6, 1))
    real = numbering.next_number
    calls = []

    def stale(issuer_id, year, *, circular=True):
        # The first attempt sees the series as it was before `first` was issued (a concurrent
        # transaction's view); the unique constraint refuses it and the retry reads again.
        calls.append(1)
        return 1 if len(calls) == 1 else real(issuer_id, year, circular=circular)

    monkeypatch.setattr(numbering, "next_number", stale)
    second = _issue(cast, cast.district, dt.date(2026, 6, 2))

    assert len(calls) == 2
    assert (first.register_number, second.register_number) == (1, 2)
    assert Directive.objects.filter(issuer=cast.district, register_year=2026).count() == 2
