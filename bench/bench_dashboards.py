"""How long the oversight dashboards take on the national scenario (7,849 local governments).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/phrom_bench \\
        .venv/bin/python -m pytest bench/bench_dashboards.py -p no:randomly --benchmark-only --create-db

The session fixture loads the country and builds the national scenario once
(manage.py make_national_scenario: one DLA circular relayed to every local government, plans and
submissions in every state), then ANALYZEs on PostgreSQL, as autovacuum would in production.
Each benchmark is server time: the request goes through Django's WSGI handler exactly as a server
would call it (every middleware, the session, access checks, the board, template rendering, the
response body), signed in as an OPDC overseer (national) and as Phrae's provincial-office overseer
(province). Not through Client.get: in a test run the test client copies the context of every
template it renders (for resp.context), which costs more than the rendering and is no server time.
Targets: national < 300 ms, province < 50 ms.
"""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wsgi_timing import serve

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session")
def national(django_db_setup, django_db_blocker):
    from accounts.models import User
    from directives.management.commands.make_national_scenario import existing_root
    from orgs.actions import add_member
    from orgs.models import Kind, Organization, Role

    with django_db_blocker.unblock():
        if existing_root() is None:
            out = io.StringIO()
            call_command("make_national_scenario", seed=1, stdout=out)
            print("\n" + out.getvalue())
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        opdc = Organization.objects.get(kind=Kind.OPDC)
        office = Organization.objects.get(kind=Kind.PROVINCIAL_OFFICE, province__geocode="54")
        users = {}
        for username, org in (("bench.opdc", opdc), ("bench.phrae", office)):
            user, created = User.objects.get_or_create(username=username, defaults={"full_name": username})
            if created:
                add_member(org, user, Role.OVERSEER)
            users[username] = user
        root = existing_root()
        return {
            "root": root.pk,
            "users": users,
            "phrae": Organization.objects.get(kind=Kind.PROVINCE, geocode="54").pk,
        }


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _record(benchmark, client, url, **extra):
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url)
    assert resp.status_code == 200
    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    benchmark.extra_info.update({"database": database, "queries": len(ctx.captured_queries), **extra})
    print(
        f"\n{benchmark.name} [{database}]: {len(ctx.captured_queries)} queries, {len(resp.content):,} bytes"
    )


def test_national_dashboard(benchmark, national):
    client = _client(national["users"]["bench.opdc"])
    url = reverse("dashboards:chain", kwargs={"root_id": national["root"]})
    _record(benchmark, client, url)
    assert client.get(url).context["board"].tally.total == 7849
    status, body = benchmark(serve, client, url)
    assert status == 200 and b"7,849" in body


def test_phrae_provincial_dashboard(benchmark, national):
    client = _client(national["users"]["bench.phrae"])
    url = reverse("dashboards:chain", kwargs={"root_id": national["root"]})
    _record(benchmark, client, url)
    assert client.get(url).context["board"].tally.total == 84
    status, body = benchmark(serve, client, url)
    assert status == 200 and "อำเภอเมืองแพร่".encode() in body


def test_national_list_sorted_by_score_page_20(benchmark, national):
    """The list alone, as htmx asks for it when sorting or paging."""
    client = _client(national["users"]["bench.opdc"])
    url = reverse("dashboards:chain", kwargs={"root_id": national["root"]})
    _record(benchmark, client, url + "?sort=-score&page=20")
    status, _body = benchmark(
        serve, client, url, "sort=-score&page=20", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="dash-list"
    )
    assert status == 200


def test_national_xlsx_export(benchmark, national):
    from orgs.models import Kind, Organization

    client = _client(national["users"]["bench.opdc"])
    opdc = Organization.objects.get(kind=Kind.OPDC)
    url = reverse("dashboards:export", kwargs={"root_id": national["root"], "org_id": opdc.pk, "fmt": "xlsx"})
    _record(benchmark, client, url)
    status, _body = benchmark.pedantic(serve, args=(client, url), rounds=3, iterations=1)
    assert status == 200
