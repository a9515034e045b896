"""The demo e-services load on top of the Phrae demo, idempotently, with requests in every state."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from eservices.models import CrisisNotice, Request, RequestStatus, Service
from orgs.management.commands import load_demo
from orgs.models import Organization
from phrom.lib.thai import is_valid_national_id, is_valid_thai_phone
from plans.checks import run_checks
from plans.models import Mission, Plan, Process, Status

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """load_demo with this step at the end, run twice (the second run must change nothing)."""
    steps = list(load_demo.STEPS)
    if "eservices.demo.load_demo_eservices" not in steps:
        load_demo.STEPS.append("eservices.demo.load_demo_eservices")
    with django_db_blocker.unblock():
        call_command("load_demo", verbosity=0)
        counts = (Service.objects.count(), Request.objects.count(), CrisisNotice.objects.count())
        call_command("load_demo", verbosity=0)
        again = (Service.objects.count(), Request.objects.count(), CrisisNotice.objects.count())
        yield counts, again
        from django.core.management import call_command as cc

        cc("flush", "--no-input", verbosity=0)
    load_demo.STEPS[:] = steps


def test_it_is_idempotent(loaded):
    counts, again = loaded
    assert counts == again and counts[1] > 20


def test_phrae_has_requests_in_every_state_and_a_notice(loaded):
    phrae = Organization.objects.get(dla_code="4540102")
    statuses = set(Request.objects.filter(org=phrae).values_list("status", flat=True))
    assert statuses == set(RequestStatus.values)
    assert Request.objects.filter(org=phrae, attachments__content_type="image/jpeg").exists()
    from eservices.actions import active_notices

    (notice,) = active_notices(phrae)
    assert notice.public_services
    for r in Request.objects.all():
        assert is_valid_thai_phone(r.phone)
        nid = r.answers.get("national_id")
        assert nid is None or is_valid_national_id(nid)


def test_the_draft_plans_public_services_point_to_the_catalogue(loaded):
    huathung = Organization.objects.get(dla_code="6540307")
    plan = Plan.objects.get(org=huathung, status=Status.DRAFT)
    linked = Process.objects.filter(plan=plan, mission=Mission.PUBLIC_SERVICE, service__isnull=False)
    assert linked.count() >= 3
    assert all(p.service.org_id == huathung.pk and p.service.is_published for p in linked)
    assert not [i for i in run_checks(plan).issues if i.rule == "bia.channel"]
    # the approved plan stays frozen: its digest still matches
    phrae_plan = Plan.objects.get(org__dla_code="4540102", status=Status.APPROVED)
    import hashlib

    from plans.portability import canonical, dumps

    assert hashlib.sha256(dumps(canonical(phrae_plan.snapshot))).hexdigest() == phrae_plan.digest


def test_demo_requests_arrive_through_a_mix_of_channels(loaded):
    from eservices import figures
    from eservices.demo import mix_channels

    phrae = Organization.objects.get(dla_code="4540102")
    channels = {c.value: n for c, n in figures.org_figures(phrae, "all").by_channel}
    assert {"online_form", "counter", "phone", "line"} <= set(channels)
    assert channels["online_form"] < sum(channels.values())

    class Ctx:
        users = {}

    assert mix_channels(phrae, Ctx()) == 0  # once only: a second load changes nothing
    counter = Request.objects.filter(org=phrae, channel="counter").first()
    received = counter.events.get(kind="status", status="received")
    assert received.by is not None and received.by.username == "phrae.service"
