"""How long a large plan takes to load, check and edit (60 processes, 80 people, 200 steps).

    make bench                                              # SQLite (in-memory test database)
    DATABASE_URL=postgres://… make bench                    # PostgreSQL
    .venv/bin/python -m pytest bench/bench_plans.py --benchmark-only -s    # with the query counts

Measured: plans.bundle.load_bundle (one query per table), plans.checks.run_checks on the loaded
plan (no query; the target is under 50 ms), both together, and through the Django test client as
the planner: the GET of every editor section and the save (POST) of one process row. Each
benchmark prints and records (extra_info) the number of queries of one call. No assertions on
time: the figures are for reading and comparing (--benchmark-compare).
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.bundle import load_bundle
from plans.checks import run_checks
from plans.forms import ProcessForm
from plans.models import Process
from plans.sections import SECTIONS
from plans.tests.factories import make_large_plan

pytestmark = pytest.mark.django_db

SECTION_KEYS = [s.key for s in SECTIONS]


@pytest.fixture
def large(cast):
    return make_large_plan(cast.lgo, by=cast.planner, processes=60, people=80, steps=200)


def queries_of(fn, *args, **kwargs) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        result = fn(*args, **kwargs)
    return len(ctx.captured_queries), result


def record(benchmark, queries: int, **extra) -> None:
    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    benchmark.extra_info.update({"database": database, "queries": queries, **extra})
    print(f"\n{benchmark.name} [{database}]: {queries} queries")


def test_load_bundle_of_a_large_plan(benchmark, large):
    queries, _ = queries_of(load_bundle, large)
    bundle = benchmark(load_bundle, large)
    record(benchmark, queries)
    assert len(bundle.processes) == 60 and len(bundle.procedure_steps) == 200


def test_run_checks_on_a_loaded_large_plan(benchmark, large):
    bundle = load_bundle(large)
    queries, _ = queries_of(run_checks, bundle)
    result = benchmark(run_checks, bundle)
    record(benchmark, queries)
    assert queries == 0 and result.issues == []


def test_run_checks_on_a_broken_large_plan(benchmark, large):
    """Every process without an RTO and every step without a role: hundreds of issues to build."""
    bundle = load_bundle(large)
    for p in bundle.processes:
        p.rto = ""
    for s in bundle.procedure_steps:
        s.responsible_id = None
    result = benchmark(run_checks, bundle)
    record(benchmark, 0, issues=len(result.issues))
    assert len(result.issues) == 260


def test_load_and_check_a_large_plan(benchmark, large):
    queries, _ = queries_of(lambda: run_checks(load_bundle(large)))
    benchmark(lambda: run_checks(load_bundle(large)))
    record(benchmark, queries)


@pytest.mark.parametrize("section", SECTION_KEYS)
def test_editor_section_get(benchmark, large, client, cast, section):
    client.force_login(cast.planner)
    url = reverse("plans:section", kwargs={"pk": large.pk, "section": section})
    client.get(url)  # warm up templates and the session
    queries, response = queries_of(client.get, url)
    assert response.status_code == 200
    benchmark(client.get, url)
    record(benchmark, queries, bytes=len(response.content))


@pytest.mark.parametrize("autosave", [False, True], ids=["save", "autosave"])
def test_editor_row_save(benchmark, large, client, cast, autosave):
    """POST of one process row (ตารางที่ 3) as HTMX does: the explicit save, or the autosave."""
    client.force_login(cast.planner)
    process = Process.objects.filter(plan=large).order_by("order", "id").first()
    url = reverse(
        "plans:row_edit",
        kwargs={"pk": large.pk, "section": "bia", "table": "processes", "row_id": process.pk},
    )

    def post_args():
        row = Process.objects.get(pk=process.pk)
        data = {k: _post_value(v) for k, v in model_to_dict(row, fields=ProcessForm._meta.fields).items()}
        data["notes"] = f"saved at version {row.version}"
        data["version"] = row.version
        if autosave:
            data["autosave"] = "1"
        return (url, data), {"HTTP_HX_REQUEST": "true"}

    args, kwargs = post_args()
    queries, response = queries_of(client.post, *args, **kwargs)
    assert response.status_code == 200, response.content[:500]
    benchmark.pedantic(client.post, setup=post_args, rounds=20, iterations=1)
    record(benchmark, queries)
    assert Process.objects.get(pk=process.pk).version == 22  # every save was accepted


def _post_value(value):
    if value is None:
        return ""
    if isinstance(value, list):  # many-to-many: the chosen rows' ids
        return [getattr(v, "pk", v) for v in value]
    return value
