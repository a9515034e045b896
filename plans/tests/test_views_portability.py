"""The plan-file pages: download (plans:export) and upload (plans:import)."""

import json
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AccessLog
from plans import models as pm
from plans import portability
from plans.tests.test_portability import make_rich_plan, row_counts


@pytest.fixture
def plan(cast):
    return make_rich_plan(cast.lgo, cast.planner)


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def upload(content: bytes, name="plan.json"):
    return {"file": SimpleUploadedFile(name, content, content_type="application/json")}


# -- export ----------------------------------------------------------------------------------


def test_it_downloads_the_plan_with_a_thai_file_name(cast, plan, client):
    client.force_login(cast.viewer)

    resp = client.get(reverse("plans:export", args=[plan.pk]))

    assert resp.status_code == 200
    assert resp.content == portability.export_json(plan)
    assert resp["Content-Type"] == "application/json; charset=utf-8"
    disposition = resp["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert unquote(disposition.split("''", 1)[1]) == "BCP-องค์การบริหารส่วนตำบลป่าแดง-2569-r1.json"


def test_it_logs_the_download_because_it_holds_phones(cast, plan, client):
    client.force_login(cast.district_officer)

    client.get(reverse("plans:export", args=[plan.pk]))

    log = AccessLog.objects.get(what="plan_contacts")
    assert log.actor == cast.district_officer and log.organization == cast.lgo
    assert log.object_ids == [str(plan.pk)]


def test_it_hides_other_organizations_plans(cast, plan, client):
    client.force_login(cast.other_planner)

    assert client.get(reverse("plans:export", args=[plan.pk])).status_code == 404
    assert not AccessLog.objects.exists()


def test_the_download_rejects_post(cast, plan, client):
    client.force_login(cast.planner)

    assert client.post(reverse("plans:export", args=[plan.pk])).status_code == 405


# -- import ----------------------------------------------------------------------------------


def test_it_shows_the_upload_form(cast, client):
    client.force_login(cast.planner)

    resp = client.get(reverse("plans:import", args=[cast.lgo.pk]))

    assert resp.status_code == 200
    assert 'type="file"' in resp.content.decode() and 'enctype="multipart/form-data"' in resp.content.decode()


def test_it_loads_a_file_as_a_new_draft_and_opens_it(cast, plan, client):
    client.force_login(cast.planner)

    resp = client.post(reverse("plans:import", args=[cast.lgo.pk]), upload(portability.export_json(plan)))

    new = pm.Plan.objects.get(org=cast.lgo, revision=2)
    assert resp.status_code == 302 and resp["Location"] == reverse("plans:detail", args=[new.pk])
    assert new.status == "draft" and pm.Contact.objects.filter(plan=new).count() == 3


def test_it_lists_every_problem_and_saves_nothing(cast, plan, english):
    client = english
    client.force_login(cast.planner)
    data = portability.export_plan(plan)
    data["team"][0]["primary"] = "c9"
    data["processes"][0]["rto"] = "soon"
    before = row_counts()

    resp = client.post(reverse("plans:import", args=[cast.lgo.pk]), upload(json.dumps(data).encode()))

    assert resp.status_code == 200
    html = resp.content.decode()
    assert "$.processes[0].rto" in html and "2 problems" not in html  # the schema's problem comes first
    assert "The file cannot be loaded" in html
    assert row_counts() == before


def test_it_says_when_the_file_is_not_utf8(cast, plan, english):
    client = english
    client.force_login(cast.planner)
    raw = json.dumps(portability.export_plan(plan), ensure_ascii=False).encode("tis-620")

    resp = client.post(reverse("plans:import", args=[cast.lgo.pk]), upload(raw))

    assert "TIS-620" in resp.content.decode()
    assert pm.Plan.objects.filter(org=cast.lgo).count() == 1


def test_it_refuses_a_file_over_the_limit(cast, english):
    client = english
    client.force_login(cast.planner)

    resp = client.post(
        reverse("plans:import", args=[cast.lgo.pk]), upload(b" " * (portability.MAX_BYTES + 1))
    )

    assert resp.status_code == 200 and "too large" in resp.content.decode()
    assert not pm.Plan.objects.exists()


def test_it_asks_for_a_file(cast, client):
    client.force_login(cast.planner)

    resp = client.post(reverse("plans:import", args=[cast.lgo.pk]), {})

    assert resp.status_code == 200 and 'class="errorlist"' in resp.content.decode()


def test_import_requires_the_planner_role(cast, plan, client):
    client.force_login(cast.viewer)

    resp = client.post(reverse("plans:import", args=[cast.lgo.pk]), upload(portability.export_json(plan)))

    assert resp.status_code == 403
    assert pm.Plan.objects.filter(org=cast.lgo).count() == 1


def test_import_hides_other_organizations(cast, plan, client):
    client.force_login(cast.other_planner)

    assert client.get(reverse("plans:import", args=[cast.lgo.pk])).status_code == 404
    resp = client.post(reverse("plans:import", args=[cast.lgo.pk]), upload(portability.export_json(plan)))
    assert resp.status_code == 404
    assert pm.Plan.objects.filter(org=cast.lgo).count() == 1
