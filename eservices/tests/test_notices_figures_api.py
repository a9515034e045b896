"""Crisis notices, figures (with the roll-up's query count pinned) and the staff API."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLog, AuditEvent
from eservices import actions, figures
from eservices.models import CrisisNotice, Request
from eservices.tests.factories import make_service
from eservices.tests.staff_factories import make_request
from orgs.actions import add_member, create_organization
from orgs.models import Kind, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(cast):
    from accounts.models import User

    u = User.objects.create_user(username="svc", password="x-pass-123", full_name="นางบริการ ดีใจ")
    add_member(cast.lgo, u, Role.SERVICE)
    return u


# -- crisis notices --------------------------------------------------------------------------


def test_active_notices_are_those_in_their_period(cast, staff):
    now = timezone.now()
    service = make_service(cast.lgo)
    draft = make_service(cast.lgo, name="ร่างที่ยังไม่เผยแพร่", published=False)
    on = actions.save_notice(
        cast.lgo,
        values={
            "title": "งดให้บริการที่สำนักงาน",
            "text": "โปรดยื่นออนไลน์",
            "channels": ["online_form", "line"],
            "starts_at": now - dt.timedelta(days=1),
            "ends_at": None,
            "is_active": True,
        },
        services=[service, draft],
        by=staff,
    )
    actions.save_notice(
        cast.lgo,
        values={
            "title": "อนาคต",
            "text": "x",
            "channels": [],
            "starts_at": now + dt.timedelta(days=1),
            "is_active": True,
        },
        services=[],
        by=staff,
    )
    actions.save_notice(
        cast.lgo,
        values={
            "title": "หมดแล้ว",
            "text": "x",
            "channels": [],
            "starts_at": now - dt.timedelta(days=9),
            "ends_at": now - dt.timedelta(days=2),
            "is_active": True,
        },
        services=[],
        by=staff,
    )
    assert [n.pk for n in actions.active_notices(cast.lgo)] == [on.pk]
    assert actions.active_notices(cast.lgo_same_district) == []
    html = render_to_string("eservices/_crisis_notice.html", {"notices": actions.active_notices(cast.lgo)})
    assert "งดให้บริการที่สำนักงาน" in html and service.name in html and "LINE" in html
    assert draft.name not in html  # unpublished services never reach the public
    assert render_to_string("eservices/_crisis_notice.html", {"notices": []}).strip() == ""
    actions.end_notice(on, by=staff)
    assert actions.active_notices(cast.lgo) == []
    assert AuditEvent.objects.filter(action="eservices.notice_end").exists()


def test_staff_publish_a_notice_from_the_page(cast, staff, client):
    service = make_service(cast.lgo)
    client.force_login(staff)
    resp = client.post(
        reverse("eservices:notices", args=[cast.lgo.pk]),
        {
            "title": "ช่วงโรคระบาด งดบริการที่เคาน์เตอร์",
            "text": "ยื่นคำขอออนไลน์ได้ตลอด 24 ชั่วโมง",
            "channels": ["online_form", "phone"],
            "services": [service.pk],
            "starts_at": "2026-01-01T08:30",
            "ends_at": "",
            "is_active": "on",
        },
    )
    assert resp.status_code == 302
    notice = CrisisNotice.objects.get(org=cast.lgo)
    assert list(notice.services.all()) == [service]
    resp = client.post(
        reverse("eservices:notices", args=[cast.lgo.pk]),
        {
            "title": "x",
            "text": "y",
            "starts_at": "2026-01-02T08:30",
            "ends_at": "2026-01-01T08:30",
            "is_active": "on",
        },
    )
    assert resp.status_code == 422 and CrisisNotice.objects.count() == 1
    client.force_login(cast.viewer)
    assert client.post(reverse("eservices:notice_end", args=[cast.lgo.pk, notice.pk])).status_code == 403


# -- figures ---------------------------------------------------------------------------------


def test_figures_count_requests_and_times_against_the_published_time(cast, staff, client):
    service = make_service(cast.lgo, processing_days=3)
    # done in about 1 and 10 working days (submitted 14 days ago, closed 0 days ago = ~10 working days)
    make_request(service, status="done", days_ago=1, closed_days_ago=0)
    make_request(service, status="done", days_ago=14, closed_days_ago=0)
    make_request(service, status="rejected", days_ago=2, closed_days_ago=1)
    make_request(service, days_ago=20)  # overdue
    make_request(service, days_ago=0, channel="email")
    f = figures.org_figures(cast.lgo, "all")
    assert f.total == 5 and f.open == 2 and f.overdue == 1 and f.closed == 3
    assert f.by_status == {"done": 2, "rejected": 1, "received": 2}
    assert dict((c.value, n) for c, n in f.by_channel) == {"online_form": 4, "email": 1}
    (sf,) = f.services
    assert sf.total == 5 and sf.published == 3 and len(sf.days) == 2
    assert sf.median > 3 and sf.over_published
    assert f.late >= 1
    client.force_login(staff)
    resp = client.get(reverse("eservices:figures", args=[cast.lgo.pk]), {"period": "all"})
    assert resp.status_code == 200 and "<svg" in resp.content.decode()


def test_the_rollup_has_one_row_per_local_government_in_fixed_queries(cast):
    def measure():
        with CaptureQueriesContext(connection) as ctx:
            rows = figures.rollup(cast.district, "all")
        return rows, len(ctx)

    service = make_service(cast.lgo)
    make_request(service, days_ago=20)
    rows, few = measure()
    assert {r.org.pk for r in rows} == {cast.lgo.pk, cast.lgo_same_district.pk}
    for i in range(5):
        org = create_organization(
            kind=Kind.SAO, name_th=f"อบต.ทดสอบ{i}", parent=cast.district, dla_code=f"65401{i:02d}"
        )
        svc = make_service(org)
        make_request(svc, status="done", days_ago=3)
        make_request(svc, channel=("counter", "phone", "line")[i % 3])  # the per-channel breakdown
    rows, many = measure()
    assert len(rows) == 7 and many == few == 4  # organizations, services, grouped requests, closing times
    row = next(r for r in rows if r.org == cast.lgo)
    assert row.total == 1 and row.overdue == 1 and row.services == 1
    assert row.by_channel == {"online_form": 1} and row.top_services == [(service.name, 1)]
    other = next(r for r in rows if r.org.name_th == "อบต.ทดสอบ1")
    assert other.online_requests == 1
    assert [(c.value, n) for c, n in other.other_channel_rows] == [("phone", 1)]


def test_the_rollup_page_is_for_overseers_and_shows_no_citizen(cast, client):
    service = make_service(cast.lgo)
    req = make_request(service, name="นางสาวไม่ควรเห็น ชื่อ")
    client.force_login(cast.district_officer)
    resp = client.get(reverse("eservices:figures", args=[cast.district.pk]))
    body = resp.content.decode()
    assert resp.status_code == 200 and cast.lgo.name_th in body and req.applicant_name not in body
    client.force_login(cast.planner)
    assert client.get(reverse("eservices:figures", args=[cast.district.pk])).status_code == 404


# -- API -------------------------------------------------------------------------------------


def api(client, method, path, body=None):
    resp = client.generic(
        method, f"/api/v1/services{path}", data=json.dumps(body or {}), content_type="application/json"
    )
    return resp, (
        resp.json() if resp.headers.get("Content-Type", "").startswith("application/json") else None
    )


def test_the_api_works_a_request_like_the_pages(cast, staff, client):
    service = make_service(cast.lgo)
    req = make_request(service, name="นายเอพีไอ ทดสอบ")
    client.force_login(staff)
    resp, data = api(client, "GET", f"/org/{cast.lgo.pk}/services")
    assert resp.status_code == 200 and data[0]["name"] == service.name
    resp, data = api(client, "GET", f"/org/{cast.lgo.pk}/requests")
    assert (
        resp.status_code == 200
        and data["count"] == 1
        and data["items"][0]["applicant_name"] == "นายเอพีไอ ทดสอบ"
    )
    assert AccessLog.objects.filter(what="citizen_requests", object_ids=[str(req.pk)]).exists()
    # a search by name; a NUL byte is not a 500 (PostgreSQL refuses NUL in SQL strings)
    resp, data = api(client, "GET", f"/org/{cast.lgo.pk}/requests?q=%E0%B9%80%E0%B8%AD%E0%B8%9E%E0%B8%B5")
    assert resp.status_code == 200 and data["count"] == 1
    resp, data = api(client, "GET", f"/org/{cast.lgo.pk}/requests?q=%00")
    assert resp.status_code == 200 and data["count"] == 1
    resp, data = api(
        client, "POST", f"/org/{cast.lgo.pk}/requests/{req.pk}/status", {"status": "waiting", "version": 1}
    )
    assert resp.status_code == 422
    resp, data = api(
        client,
        "POST",
        f"/org/{cast.lgo.pk}/requests/{req.pk}/status",
        {"status": "waiting", "reason": "ขอรูปบัตร", "version": 1},
    )
    assert resp.status_code == 200 and data["status"] == "waiting" and data["version"] == 2
    resp, data = api(
        client, "POST", f"/org/{cast.lgo.pk}/requests/{req.pk}/status", {"status": "done", "version": 1}
    )
    assert resp.status_code == 409 and data["current"]["status"] == "waiting"
    resp, data = api(client, "POST", f"/org/{cast.lgo.pk}/requests/{req.pk}/notes", {"text": "ภายใน"})
    assert resp.status_code == 200 and any(e["kind"] == "note" and not e["public"] for e in data["events"])
    resp, data = api(client, "POST", f"/org/{cast.lgo.pk}/requests/{req.pk}/assign", {"assignee": staff.pk})
    assert data["assignee_id"] == staff.pk
    resp, data = api(
        client, "POST", f"/org/{cast.lgo.pk}/requests/{req.pk}/assign", {"assignee": cast.planner.pk}
    )
    assert resp.status_code == 422
    resp, data = api(client, "GET", f"/org/{cast.lgo.pk}/figures")
    assert resp.status_code == 200 and data["total"] == 1


def test_the_api_refuses_overseers_and_read_only_members(cast, staff, client):
    req = make_request(make_service(cast.lgo))
    client.force_login(cast.district_officer)
    assert api(client, "GET", f"/org/{cast.lgo.pk}/requests")[0].status_code == 403
    assert api(client, "GET", f"/org/{cast.district.pk}/figures/rollup")[0].status_code == 200
    client.force_login(cast.viewer)
    assert api(client, "GET", f"/org/{cast.lgo.pk}/requests/{req.pk}")[0].status_code == 200
    resp, _ = api(client, "POST", f"/org/{cast.lgo.pk}/requests/{req.pk}/notes", {"text": "x"})
    assert resp.status_code == 403
    client.force_login(cast.other_planner)
    assert api(client, "GET", f"/org/{cast.lgo.pk}/requests/{req.pk}")[0].status_code == 404
    assert Request.objects.get(pk=req.pk).version == 1
