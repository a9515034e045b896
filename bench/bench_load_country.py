"""How long the national organization load takes: cold (empty tables) and a second, idempotent run.

    make bench                                   # SQLite (in-memory test database)
    DATABASE_URL=postgres://… make bench          # PostgreSQL

No assertions on time: the figures are for reading (and comparing with --benchmark-compare).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from orgs.loaders import DEFAULT_FIXTURE, load_country, load_fixture
from orgs.models import DlaCode, Membership, Organization

DATA_DIR = Path(settings.PHROM_DATA_DIR)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not (DATA_DIR / "thailand" / "lgo_dla.csv").is_file(),
        reason=f"open data not found in {DATA_DIR}: set PHROM_DATA_DIR to the shared/data directory",
    ),
]


def wipe():
    """Empty the organization tables so that the next load is a cold one."""
    DlaCode.objects.all().delete()
    Membership.objects.all().delete()
    # parent/province/district are PROTECT: cut the links first, then delete in one statement.
    Organization.objects.update(parent=None, province=None, district=None)
    Organization.objects.all().delete()


def record(benchmark, result):
    benchmark.extra_info.update(
        {
            "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "codes_added": result.codes_added,
        }
    )
    print(
        f"\n{benchmark.name}: created {result.created:,}, updated {result.updated:,}, "
        f"unchanged {result.unchanged:,}, DLA codes added {result.codes_added:,}"
    )


def test_load_country_cold(benchmark):
    result = benchmark.pedantic(load_country, setup=wipe, rounds=3, iterations=1)
    record(benchmark, result)
    assert result.created == 8932


def test_load_country_second_run(benchmark):
    load_country()
    result = benchmark.pedantic(load_country, rounds=5, iterations=1)
    record(benchmark, result)
    assert not result.changed


def test_load_demo_fixture_on_the_country(benchmark):
    """The Phrae fixture on top of the national load (what `make run` does after load_country)."""
    load_country()
    load_fixture(DEFAULT_FIXTURE)
    result = benchmark.pedantic(load_fixture, args=(DEFAULT_FIXTURE,), rounds=5, iterations=1)
    record(benchmark, result)
    assert not result.changed
