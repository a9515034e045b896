"""The plans API (/api/v1/plans…): scoping, optimistic locking, lifecycle, export and import."""

import json
import re

import pytest

from api.main import api
from audit.models import AccessLog
from plans import actions, portability
from plans import models as pm
from plans.tests.test_portability import make_rich_plan, row_counts


@pytest.fixture
def plan(cast):
    return make_rich_plan(cast.lgo, cast.planner)


@pytest.fixture
def as_planner(cast, client):
    client.force_login(cast.planner)
    return client


def put(client, url, data):
    return client.put(url, json.dumps(data), content_type="application/json")


def post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def plan_urls(plan):
    """Every plans route (method, URL) aimed at `plan` and its rows."""
    contact = pm.Contact.objects.filter(plan=plan).first()
    other = actions.create_plan(plan.org, by=None)
    kwargs = {
        "plan_id": plan.pk, "org_id": plan.org_id, "section": "contacts", "row_id": contact.pk,
        "other_id": other.pk,
    }  # fmt: skip
    for path, ops in api.get_openapi_schema()["paths"].items():
        if not path.startswith("/api/v1/plans/") or path == "/api/v1/plans/schema":
            continue
        url = re.sub(r"\{(\w+)\}", lambda m: str(kwargs[m.group(1)]), path)
        for method in ops:
            yield method, url


WRITES = {"post", "put", "delete"}


# -- scope -----------------------------------------------------------------------------------


def test_every_plans_route_is_404_for_a_planner_of_another_local_government(cast, plan, client):
    client.force_login(cast.other_planner)
    urls = list(plan_urls(plan))
    before = row_counts()

    for method, url in urls:
        resp = client.generic(
            method.upper(), url, json.dumps({"version": 1, "text": "x"}), "application/json"
        )
        assert resp.status_code == 404, f"{method} {url}: {resp.status_code}"
        assert "นายสมชาย" not in resp.content.decode()

    assert row_counts() == before


def test_a_viewer_reads_but_every_write_is_403(cast, plan, client):
    client.force_login(cast.viewer)
    urls = list(plan_urls(plan))
    before = row_counts()

    for method, url in urls:
        resp = client.generic(method.upper(), url, json.dumps({"version": 1}), "application/json")
        if method in WRITES:
            assert resp.status_code == 403, f"{method} {url}: {resp.status_code}"
        else:
            assert resp.status_code == 200, f"{method} {url}: {resp.status_code}"

    after = row_counts()
    assert {k: v for k, v in after.items() if k != "audit"} == {
        k: v for k, v in before.items() if k != "audit"
    }


def test_a_district_officer_reads_the_plans_below_but_cannot_write(cast, plan, client):
    client.force_login(cast.district_officer)

    assert client.get(f"/api/v1/plans/{plan.pk}").status_code == 200
    assert post(client, f"/api/v1/plans/{plan.pk}/rows/objectives", {"text": "x"}).status_code == 403


def test_the_list_shows_only_plans_the_caller_may_read(cast, plan, client):
    actions.create_plan(cast.lgo_other_province, by=None)
    client.force_login(cast.planner)

    resp = client.get("/api/v1/plans")

    assert resp.status_code == 200
    assert [p["id"] for p in resp.json()["items"]] == [plan.pk]
    assert resp.json()["items"][0]["org_name"] == "องค์การบริหารส่วนตำบลป่าแดง"


def test_the_list_filters_by_organization_and_status(cast, plan, client):
    client.force_login(cast.opdc_reviewer)
    far = actions.create_plan(cast.lgo_other_province, by=None)
    pm.Plan.objects.filter(pk=far.pk).update(status="approved")

    assert [p["id"] for p in client.get("/api/v1/plans", {"org": cast.lgo.pk}).json()["items"]] == [plan.pk]
    assert [p["id"] for p in client.get("/api/v1/plans", {"status": "approved"}).json()["items"]] == [far.pk]


def test_the_list_keeps_a_fixed_number_of_queries(cast, as_planner, django_assert_num_queries):
    for year in range(2560, 2570):
        actions.create_plan(cast.lgo, by=cast.planner, fiscal_year_be=year)

    with django_assert_num_queries(5):
        # 1. the session; 2. the user; 3. the user's memberships (scope); 4. COUNT; 5. the page with orgs
        resp = as_planner.get("/api/v1/plans", {"limit": 20})
    assert resp.json()["count"] == 10


# -- plans -----------------------------------------------------------------------------------


def test_it_starts_a_blank_plan(cast, as_planner):
    resp = post(as_planner, f"/api/v1/plans/org/{cast.lgo.pk}", {"fiscal_year": 2570})

    assert resp.status_code == 201
    assert resp.json()["fiscal_year"] == 2570 and resp.json()["status"] == "draft"
    assert pm.Plan.objects.get(pk=resp.json()["id"]).created_by == cast.planner


def test_it_starts_a_revision_only_from_an_approved_plan(cast, plan, as_planner):
    assert post(as_planner, f"/api/v1/plans/org/{cast.lgo.pk}", {"source": "previous"}).status_code == 409
    pm.Plan.objects.filter(pk=plan.pk).update(status="approved")

    resp = post(as_planner, f"/api/v1/plans/org/{cast.lgo.pk}", {"source": "previous"})

    assert resp.status_code == 201
    assert resp.json()["based_on_id"] == plan.pk and resp.json()["revision"] == 2
    assert pm.Contact.objects.filter(plan_id=resp.json()["id"]).count() == 3


def test_it_starts_a_plan_from_the_model_plan(cast, as_planner):
    resp = post(as_planner, f"/api/v1/plans/org/{cast.lgo.pk}", {"source": "template"})

    assert resp.status_code == 201
    assert pm.Process.objects.filter(plan_id=resp.json()["id"]).exists()


def test_the_detail_has_every_row_and_logs_the_read_of_contacts(cast, plan, as_planner):
    resp = as_planner.get(f"/api/v1/plans/{plan.pk}")

    body = resp.json()
    assert body["can_edit"] is True and body["editable"] is True
    assert [c["name"] for c in body["rows"]["contacts"]][0] == "นายสมชาย ใจดี"
    assert body["rows"]["objectives"][1]["text"] == "เพื่อลดผลกระทบต่อประชาชน"
    pay = next(p for p in body["rows"]["processes"] if p["name"] == "เบิกจ่าย (e-LAAS)")
    assert len(pay["depends_on"]) == 2
    assert AccessLog.objects.filter(what="plan_contacts", actor=cast.planner).count() == 1


def test_it_changes_the_plans_own_fields_with_the_version(plan, as_planner):
    resp = put(as_planner, f"/api/v1/plans/{plan.pk}", {"version": plan.version, "absence_percent": 40})

    assert resp.status_code == 200, resp.content
    assert resp.json()["absence_percent"] == 40 and resp.json()["version"] == plan.version + 1
    stale = put(as_planner, f"/api/v1/plans/{plan.pk}", {"version": plan.version, "absence_percent": 50})
    assert stale.status_code == 409 and stale.json()["current"]["absence_percent"] == 40


def test_it_refuses_invalid_plan_fields(plan, as_planner):
    resp = put(as_planner, f"/api/v1/plans/{plan.pk}", {"version": plan.version, "absence_percent": 140})

    assert resp.status_code == 422
    assert resp.json()["detail"][0]["loc"] == ["body", "absence_percent"]


# -- rows ------------------------------------------------------------------------------------


def test_it_lists_the_rows_of_a_section(plan, as_planner):
    resp = as_planner.get(f"/api/v1/plans/{plan.pk}/rows/team")

    assert resp.status_code == 200
    [leader, _coordinator] = resp.json()
    assert leader["title"] == "หัวหน้าทีม" and leader["version"] == 1
    assert pm.Contact.objects.get(pk=leader["primary"]).name == "นายสมชาย ใจดี"


def test_an_unknown_section_is_404(plan, as_planner):
    assert as_planner.get(f"/api/v1/plans/{plan.pk}/rows/passwords").status_code == 404


def test_it_adds_a_row_at_the_end(plan, as_planner):
    contact = pm.Contact.objects.get(plan=plan, name="นายสมชาย ใจดี")

    resp = post(as_planner, f"/api/v1/plans/{plan.pk}/rows/team", {"title": "ฝ่ายไอที", "primary": contact.pk})

    assert resp.status_code == 201, resp.content
    assert resp.json()["title"] == "ฝ่ายไอที" and resp.json()["primary"] == contact.pk
    assert pm.TeamRole.objects.filter(plan=plan).order_by("order").last().title == "ฝ่ายไอที"


def test_it_refuses_a_reference_to_a_row_of_another_plan(cast, plan, as_planner):
    elsewhere = make_rich_plan(cast.lgo_other_province, cast.far_planner)
    their_contact = pm.Contact.objects.filter(plan=elsewhere).first()

    resp = post(as_planner, f"/api/v1/plans/{plan.pk}/rows/team", {"title": "x", "primary": their_contact.pk})

    assert resp.status_code == 422
    assert resp.json()["detail"][0]["loc"] == ["body", "primary"]
    assert not pm.TeamRole.objects.filter(plan=plan, title="x").exists()


def test_it_refuses_bad_values_and_unknown_fields(plan, as_planner):
    url = f"/api/v1/plans/{plan.pk}/rows/processes"

    assert post(as_planner, url, {"name": "x", "rto": "3 days"}).status_code == 422
    assert post(as_planner, url, {"name": "x", "owner_password": "1"}).status_code == 422
    assert post(as_planner, url, {"name": ""}).status_code == 422


def test_a_plan_has_one_text_per_key(plan, as_planner):
    note = pm.PlanText.objects.get(plan=plan, key="bia_note")
    url = f"/api/v1/plans/{plan.pk}/rows/texts"

    assert post(as_planner, url, {"key": "introduction", "text": "อีกบทนำ"}).status_code == 422
    assert put(as_planner, f"{url}/{note.pk}", {"version": 1, "key": "introduction"}).status_code == 422
    assert put(as_planner, f"{url}/{note.pk}", {"version": 1, "text": "หมายเหตุ"}).status_code == 200


def test_it_updates_only_the_fields_sent(plan, as_planner):
    process = pm.Process.objects.get(plan=plan, name="จัดเก็บภาษี")

    resp = put(
        as_planner, f"/api/v1/plans/{plan.pk}/rows/processes/{process.pk}", {"version": 1, "rto": "d1"}
    )

    assert resp.status_code == 200, resp.content
    process.refresh_from_db()
    assert process.rto == "d1" and process.unit == "กองคลัง" and process.channel_type == "line"
    assert resp.json()["version"] == 2


def test_a_stale_version_is_409_with_the_current_row(plan, as_planner):
    process = pm.Process.objects.get(plan=plan, name="จัดเก็บภาษี")
    url = f"/api/v1/plans/{plan.pk}/rows/processes/{process.pk}"
    put(as_planner, url, {"version": 1, "mbco": "รับชำระได้ทางออนไลน์"})

    resp = put(as_planner, url, {"version": 1, "mbco": "ของฉัน"})

    assert resp.status_code == 409
    assert resp.json()["current"]["mbco"] == "รับชำระได้ทางออนไลน์" and resp.json()["current"]["version"] == 2
    process.refresh_from_db()
    assert process.mbco == "รับชำระได้ทางออนไลน์"


def test_an_update_without_a_version_is_422(plan, as_planner):
    process = pm.Process.objects.get(plan=plan, name="จัดเก็บภาษี")

    resp = put(as_planner, f"/api/v1/plans/{plan.pk}/rows/processes/{process.pk}", {"rto": "d1"})

    assert resp.status_code == 422


def test_it_sets_the_dependencies_of_a_process(plan, as_planner):
    tax, reg = (pm.Process.objects.get(plan=plan, name=n) for n in ("จัดเก็บภาษี", "ทะเบียนราษฎร"))
    url = f"/api/v1/plans/{plan.pk}/rows/processes/{tax.pk}"

    resp = put(as_planner, url, {"version": 1, "depends_on": [reg.pk]})

    assert resp.json()["depends_on"] == [reg.pk]
    assert put(as_planner, url, {"version": 2, "depends_on": [tax.pk]}).status_code == 422  # not itself


def test_the_call_tree_cannot_go_round(plan, as_planner):
    top = pm.CallTreeNode.objects.get(plan=plan, parent=None)
    child = pm.CallTreeNode.objects.get(plan=plan, parent=top)

    resp = put(
        as_planner, f"/api/v1/plans/{plan.pk}/rows/call_tree/{top.pk}", {"version": 1, "parent": child.pk}
    )

    assert resp.status_code == 422


def test_it_deletes_a_row_with_its_version(plan, as_planner):
    risk = pm.Risk.objects.get(plan=plan)
    url = f"/api/v1/plans/{plan.pk}/rows/risks/{risk.pk}"

    assert as_planner.delete(url + "?version=7").status_code == 409
    assert as_planner.delete(url).status_code == 422
    assert as_planner.delete(url + "?version=1").status_code == 204
    assert not pm.Risk.objects.filter(plan=plan).exists()


def test_it_moves_a_row_within_its_group(plan, as_planner):
    second = pm.ListItem.objects.get(plan=plan, text="เพื่อลดผลกระทบต่อประชาชน")

    resp = post(as_planner, f"/api/v1/plans/{plan.pk}/rows/objectives/{second.pk}/move", {"direction": "up"})

    assert resp.status_code == 200
    assert [r["text"] for r in resp.json()][0] == "เพื่อลดผลกระทบต่อประชาชน"
    assert (
        post(as_planner, f"/api/v1/plans/{plan.pk}/rows/objectives/{second.pk}/move", {}).status_code == 422
    )


def test_a_row_of_another_section_is_404(plan, as_planner):
    assumption = pm.ListItem.objects.get(plan=plan, section="assumptions")

    resp = put(
        as_planner, f"/api/v1/plans/{plan.pk}/rows/objectives/{assumption.pk}", {"version": 1, "text": "x"}
    )

    assert resp.status_code == 404


def test_writes_on_a_plan_that_is_not_a_draft_are_409(plan, as_planner):
    pm.Plan.objects.filter(pk=plan.pk).update(status="in_review")

    resp = post(as_planner, f"/api/v1/plans/{plan.pk}/rows/objectives", {"text": "เพิ่ม"})

    assert resp.status_code == 409 and resp.json()["status"] == "in_review"
    assert not pm.ListItem.objects.filter(plan=plan, text="เพิ่ม").exists()


def test_reading_contacts_is_logged(cast, plan, as_planner):
    as_planner.get(f"/api/v1/plans/{plan.pk}/rows/contacts")

    log = AccessLog.objects.get(what="plan_contacts")
    assert log.actor == cast.planner and log.organization == cast.lgo and len(log.object_ids) == 3


# -- checks and lifecycle ------------------------------------------------------------------------


def test_it_runs_the_checks(plan, as_planner):
    resp = as_planner.get(f"/api/v1/plans/{plan.pk}/checks")

    assert resp.status_code == 200
    body = resp.json()
    assert 0 <= body["score"] <= 100 and body["errors"] == sum(
        i["severity"] == "error" for i in body["issues"]
    )


def test_it_submits_returns_and_refuses_what_the_lifecycle_forbids(cast, plan, client):
    client.force_login(cast.planner)
    assert post(client, f"/api/v1/plans/{plan.pk}/submit").json()["status"] == "in_review"
    assert post(client, f"/api/v1/plans/{plan.pk}/approve").status_code == 403  # a planner

    resp = post(client, f"/api/v1/plans/{plan.pk}/return", {"comment": "แก้ตารางที่ 3"})

    assert resp.status_code == 200 and resp.json()["status"] == "draft"


def test_approval_is_refused_while_the_checker_finds_errors(cast, client):
    plan = actions.create_plan(cast.lgo, by=cast.planner)
    client.force_login(cast.approver)

    resp = post(client, f"/api/v1/plans/{plan.pk}/approve")

    assert resp.status_code == 409 and resp.json()["errors"]
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_an_approver_approves_a_complete_plan(cast, client):
    from plans.tests import factories

    plan = factories.make_complete_plan(cast.lgo, by=cast.planner)
    client.force_login(cast.approver)

    resp = post(client, f"/api/v1/plans/{plan.pk}/approve")

    assert resp.status_code == 200, resp.content
    assert resp.json()["status"] == "approved" and len(resp.json()["digest"]) == 64


# -- export, import, diff, schema ----------------------------------------------------------------


def test_it_exports_the_plan_as_a_file(cast, plan, as_planner):
    resp = as_planner.get(f"/api/v1/plans/{plan.pk}/export")

    assert resp.status_code == 200
    assert resp.content == portability.export_json(plan)
    assert resp["Content-Disposition"].startswith("attachment; filename*=utf-8''BCP-")
    assert AccessLog.objects.filter(what="plan_contacts", organization=cast.lgo).exists()


def test_it_imports_a_file_as_a_new_draft(cast, plan, as_planner):
    raw = portability.export_json(plan)

    resp = as_planner.post(f"/api/v1/plans/org/{cast.lgo.pk}/import", raw, content_type="application/json")

    assert resp.status_code == 201, resp.content
    assert resp.json()["revision"] == 2 and resp.json()["status"] == "draft"


def test_a_bad_file_is_422_with_every_problem_and_nothing_written(cast, plan, as_planner):
    data = portability.export_plan(plan)
    data["team"][0]["primary"] = "c77"
    before = row_counts()

    resp = as_planner.post(f"/api/v1/plans/org/{cast.lgo.pk}/import", json.dumps(data), "application/json")

    assert resp.status_code == 422
    assert resp.json()["problems"][0]["path"] == "$.team[0].primary"
    assert row_counts() == before


def test_an_import_over_5_mb_is_413(cast, as_planner):
    resp = as_planner.post(
        f"/api/v1/plans/org/{cast.lgo.pk}/import", b" " * (portability.MAX_BYTES + 1), "application/json"
    )

    assert resp.status_code == 413


def test_a_viewer_cannot_import(cast, plan, client):
    client.force_login(cast.viewer)

    resp = client.post(
        f"/api/v1/plans/org/{cast.lgo.pk}/import", portability.export_json(plan), "application/json"
    )

    assert resp.status_code == 403


def test_it_compares_two_versions(cast, plan, as_planner):
    copy = portability.import_plan(portability.export_json(plan), org=cast.lgo, by=cast.planner)
    pm.Process.objects.filter(plan=copy, name="จัดเก็บภาษี").update(rto="d1")

    resp = as_planner.get(f"/api/v1/plans/{plan.pk}/diff/{copy.pk}")

    assert resp.status_code == 200
    assert resp.json()["identical"] is False
    assert any(s["key"] == "processes" for s in resp.json()["sections"])


def test_the_schema_is_public_documentation(client):
    resp = client.get("/api/v1/plans/schema")

    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("application/schema+json")
    assert resp.json() == portability.json_schema()
