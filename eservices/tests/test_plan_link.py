"""A plan's public-service process points to a catalogue entry: the editor's form, export/import and
the checker."""

from __future__ import annotations

import json

import pytest

from eservices.tests.factories import make_service
from plans import portability
from plans.bundle import load_bundle
from plans.checks import run_checks
from plans.forms import ProcessForm
from plans.models import Mission, Process
from plans.tests.factories import make_complete_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(cast):
    return make_complete_plan(cast.lgo, by=cast.planner)


def _public(plan):
    return Process.objects.filter(plan=plan, mission=Mission.PUBLIC_SERVICE).order_by("order", "pk").first()


def channel_issues(plan):
    return [i for i in run_checks(load_bundle(plan)).issues if i.rule == "bia.channel"]


def test_a_published_online_e_service_is_the_alternative_channel(cast, plan):
    process = _public(plan)
    assert channel_issues(plan) == []
    # break: no channel at all
    Process.objects.filter(pk=process.pk).update(channel_type="", channel_detail="")
    assert [i.row_id for i in channel_issues(plan)] == [process.pk]
    # a draft e-service is not enough, and the message says why, on the service field
    service = make_service(cast.lgo, published=False)
    Process.objects.filter(pk=process.pk).update(service=service)
    (issue,) = channel_issues(plan)
    assert issue.field == "service" and service.name in issue.message
    # fix: published and available online
    service.is_published = True
    service.save()
    assert channel_issues(plan) == []
    # published but not online: not an alternative channel
    service.available_online = False
    service.accepts_requests = False
    service.save()
    assert len(channel_issues(plan)) == 1


def test_the_checker_still_makes_no_query_on_a_loaded_plan_with_links(cast, plan, django_assert_num_queries):
    service = make_service(cast.lgo)
    Process.objects.filter(plan=plan, mission=Mission.PUBLIC_SERVICE).update(service=service, channel_type="")
    bundle = load_bundle(plan)
    with django_assert_num_queries(0):
        result = run_checks(bundle)
    assert not [i for i in result.issues if i.rule == "bia.channel"]


def test_the_form_offers_only_the_plans_own_organizations_services(cast, plan):
    mine = make_service(cast.lgo, name="ของเรา")
    make_service(cast.lgo_same_district, name="ของคนอื่น")
    process = _public(plan)
    form = ProcessForm(instance=process, plan=plan)
    assert list(form.fields["service"].queryset) == [mine]
    data = {
        k: getattr(process, k)
        for k in (
            "name",
            "unit",
            "mission",
            "impact",
            "rto",
            "mbco",
            "mtpd",
            "it_systems",
            "partners",
            "channel_type",
            "channel_detail",
            "peak_periods",
            "notes",
        )
    }
    other = make_service(cast.lgo_same_district, name="อีกอัน", slug="other-x")
    bound = ProcessForm(
        {**data, "service": other.pk, "version": process.version}, instance=process, plan=plan
    )
    assert not bound.is_valid() and "service" in bound.errors
    bound = ProcessForm({**data, "service": mine.pk, "version": process.version}, instance=process, plan=plan)
    assert bound.is_valid(), bound.errors
    Process.objects.filter(pk=process.pk).update(service=mine)
    process.refresh_from_db()
    assert "Open the e-service" in str(
        ProcessForm(instance=process, plan=plan).fields["service"].help_text
    ) or "/manage/services/" in str(ProcessForm(instance=process, plan=plan).fields["service"].help_text)
    general = Process.objects.filter(plan=plan, mission=Mission.GENERAL).first()
    gdata = {**data, "mission": Mission.GENERAL, "service": mine.pk, "version": general.version}
    assert "service" in ProcessForm(gdata, instance=general, plan=plan).errors


def test_export_carries_the_slug_only_when_linked_and_import_resolves_it(cast, plan):
    before = portability.export_json(plan)
    assert b'"service"' not in before  # files without links keep their bytes
    plan2 = portability.import_plan(before, org=cast.lgo, by=cast.planner)
    assert portability.export_json(plan2) == before
    service = make_service(cast.lgo, slug="elderly-allowance")
    process = _public(plan)
    Process.objects.filter(pk=process.pk).update(service=service)
    data = json.loads(portability.export_json(plan))
    linked = [p for p in data["processes"] if "service" in p]
    assert [p["service"] for p in linked] == ["elderly-allowance"]
    keys = list(linked[0])
    assert keys.index("service") == keys.index("channel_detail") + 1
    again = portability.import_plan(portability.export_json(plan), org=cast.lgo, by=cast.planner)
    assert again.import_warnings == []
    assert Process.objects.get(plan=again, name=process.name).service == service
    # the round trip is byte-identical with the link
    assert portability.export_json(again) == portability.export_json(plan)


def test_an_unknown_slug_imports_without_the_link_and_says_so(cast, plan):
    service = make_service(cast.lgo, slug="only-here")
    Process.objects.filter(pk=_public(plan).pk).update(service=service)
    raw = portability.export_json(plan)
    elsewhere = portability.import_plan(raw, org=cast.lgo_same_district, by=cast.site_admin)
    assert not Process.objects.filter(plan=elsewhere, service__isnull=False).exists()
    assert len(elsewhere.import_warnings) == 1 and "only-here" in elsewhere.import_warnings[0]


def test_the_schema_refuses_a_malformed_slug(cast, plan):
    data = json.loads(portability.export_json(plan))
    data["processes"][0]["service"] = "../../etc"
    with pytest.raises(portability.PlanImportError):
        portability.validate(data)
