"""Dashboard pages, exports and API: access, figures, filters, and query counts that do not grow."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from directives.dashboard import STATE_THAI, STATES, build_board, scope_for
from directives.models import Directive, Recipient, SubmissionStatus
from directives.tests.test_dashboard import BKK, issue, make_chain, make_lgo, plan, submit
from orgs.models import Kind
from plans.models import Status


@pytest.fixture
def chain(cast):
    return make_chain(cast)


def area_url(chain, org, **kw):
    return reverse("dashboards:area", kwargs={"root_id": chain.root.pk, "org_id": org.pk})


def chain_url(chain):
    return reverse("dashboards:chain", kwargs={"root_id": chain.root.pk})


def populate(chain, n: int):
    """n more local governments in Mueang Phrae, cycling through every state."""
    cast = chain.cast
    for i in range(n):
        org = make_lgo(cast.district, f"องค์การบริหารส่วนตำบลทดสอบ{i:03d}")
        Recipient.objects.create(
            directive=chain.mueang,
            org=org,
            acknowledged_at=None if i % 8 == 0 else dt.datetime(2026, 3, 5, tzinfo=BKK),
        )
        kind = i % 8
        if kind in (1,):
            continue  # opened, no plan
        if kind == 2:
            plan(org, status=Status.DRAFT, score=30 + i % 40)
            continue
        p = plan(org, score=70 + i % 30)
        if kind in (3, 4, 5, 6, 7):
            status = {5: SubmissionStatus.RETURNED, 6: SubmissionStatus.ACCEPTED}.get(
                kind, SubmissionStatus.SUBMITTED
            )
            day = 10 + i % 25 if kind != 7 else 31 + 1
            at = dt.datetime(2026, 3, 1, 9, tzinfo=BKK) + dt.timedelta(days=day - 1)
            submit(chain.mueang, org, p, at=at, status=status, to=cast.opdc)


# -- access --------------------------------------------------------------------------------------


def test_the_index_lists_the_chains_a_user_may_follow(chain, cast, client):
    hidden = issue(cast.far_district, subject="หนังสือของอำเภอเมืองน่าน", to=[cast.lgo_other_province])
    client.force_login(cast.province_officer)
    body = client.get(reverse("dashboards:index")).content.decode()
    assert chain.root.subject in body and hidden.subject not in body
    client.force_login(cast.district_officer)  # the district received a relay, not the root: still listed
    assert chain.root.subject in client.get(reverse("dashboards:index")).content.decode()
    client.force_login(cast.planner)
    body = client.get(reverse("dashboards:index")).content.decode()
    assert "not an overseer" in body or "ไม่ได้" in body


def test_a_province_officer_sees_the_province_and_its_districts(chain, cast, client):
    client.force_login(cast.province_officer)
    resp = client.get(chain_url(chain))
    assert resp.status_code == 200
    board = resp.context["board"]
    assert board.scope.level == "province" and board.tally.total == 9
    body = resp.content.decode()
    assert "อำเภอเมืองแพร่" in body and "อำเภอลอง" in body and "ไชยสถาน" not in body
    assert area_url(chain, cast.district) in body  # drill-down
    assert client.get(area_url(chain, cast.district)).status_code == 200
    assert client.get(area_url(chain, cast.far_district)).status_code == 404
    assert client.get(area_url(chain, cast.dla)).status_code == 404  # not a national overseer


def test_a_district_officer_sees_only_its_district(chain, cast, client):
    client.force_login(cast.district_officer)
    resp = client.get(chain_url(chain))
    assert resp.status_code == 200 and resp.context["board"].tally.total == 4
    assert "ห้วยอ้อ" not in resp.content.decode()
    for org in (cast.province, cast.provincial_office, cast.other_district, cast.lgo):
        assert client.get(area_url(chain, org)).status_code == 404


def test_outsiders_and_local_governments_get_404(chain, cast, client):
    client.force_login(cast.far_district_officer)  # Nan's district: has the chain, not Phrae
    assert client.get(chain_url(chain)).status_code == 200
    assert client.get(area_url(chain, cast.district)).status_code == 404
    own = issue(cast.district, subject="หนังสือของอำเภอเมืองแพร่", to=[cast.lgo])
    url = reverse("dashboards:chain", kwargs={"root_id": own.pk})
    assert client.get(url).status_code == 404
    client.force_login(cast.planner)  # received the chain, but dashboards are for overseers
    assert client.get(chain_url(chain)).status_code == 404
    assert client.post(chain_url(chain)).status_code == 405
    relay_url = reverse("dashboards:chain", kwargs={"root_id": chain.mueang.pk})  # not a root
    client.force_login(cast.opdc_reviewer)
    assert client.get(relay_url).status_code == 404


def test_the_national_view_rolls_up_by_province(chain, cast, client):
    client.force_login(cast.opdc_reviewer)
    resp = client.get(chain_url(chain))
    assert resp.status_code == 200
    groups = [row["group"] for row in resp.context["groups"]]
    assert [(g.name, g.tally.total) for g in groups] == [("จังหวัดแพร่", 9), ("จังหวัดน่าน", 1)]
    assert [row["url"] for row in resp.context["groups"]] == [
        area_url(chain, cast.province), area_url(chain, cast.other_province),
    ]  # fmt: skip
    assert resp.context["timeline"]["deadline"] == "2026-03-31"
    client.force_login(cast.site_admin)  # a site admin without membership looks from the country
    assert client.get(chain_url(chain)).context["board"].scope.level == "national"


# -- the list ------------------------------------------------------------------------------------


def test_the_list_filters_sorts_and_pages_in_place(chain, cast, client):
    populate(chain, 60)
    client.force_login(cast.province_officer)
    url = area_url(chain, cast.province)
    resp = client.get(url, {"state": "late"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="dash-list")
    assert resp.templates[0].name == "directives/dashboard/_list.html"
    assert {r.state for r in resp.context["page"].object_list} == {"late"}
    full = client.get(url, {"sort": "-score"})
    rows = full.context["page"].object_list
    assert len(rows) == 50 and full.context["count"] == 69
    scores = [r.score for r in rows if r.score is not None]
    assert scores == sorted(scores, reverse=True)
    second = client.get(url, {"sort": "-score", "page": 2}).context["page"]
    assert len(second.object_list) == 19 and not {r.org_id for r in second.object_list} & {
        r.org_id for r in rows
    }
    assert client.get(url, {"q": "ป่าแดง"}).context["count"] == 1
    assert client.get(url, {"district": cast.other_district.pk}).context["count"] == 5
    assert client.get(url, {"kind": Kind.SUBDISTRICT_MUNICIPALITY}).context["count"] == 3
    bad = client.get(url, {"state": "nonsense", "sort": "drop table", "page": "x", "district": "abc"})
    assert bad.status_code == 200 and bad.context["count"] == 69


# -- exports -------------------------------------------------------------------------------------


def test_the_xlsx_export_has_thai_headers_and_the_figures_of_the_page(chain, cast, client):
    client.force_login(cast.province_officer)
    page = client.get(area_url(chain, cast.province)).context["board"]
    url = reverse(
        "dashboards:export", kwargs={"root_id": chain.root.pk, "org_id": cast.province.pk, "fmt": "xlsx"}
    )
    resp = client.get(url)
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in resp["Content-Disposition"]
    wb = load_workbook(io.BytesIO(resp.content))
    summary, sheet = wb["สรุป"], wb["รายชื่อ"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:8] == (
        "ลำดับ",
        "จังหวัด",
        "อำเภอ",
        "องค์กรปกครองส่วนท้องถิ่น",
        "ประเภท",
        "รหัส อปท.",
        "สถานะ",
        "คะแนนความพร้อม",
    )
    assert len(rows) - 1 == page.tally.total == 9
    states = [r[6] for r in rows[1:]]
    for s in STATES:
        assert states.count(STATE_THAI[s]) == page.tally.counts[s.value]
    counts = {r[0]: r[1] for r in summary.iter_rows(values_only=True) if r and r[0] in STATE_THAI.values()}
    assert counts == {STATE_THAI[s]: page.tally.counts[s.value] for s in STATES}
    padaeng = next(r for r in rows if r[3] == "องค์การบริหารส่วนตำบลป่าแดง")
    assert padaeng[6] == "รับแผนแล้ว" and padaeng[7] == 92 and padaeng[10] == dt.datetime(2026, 3, 20, 10, 0)
    by_district = {
        r[0]: r[1:] for r in summary.iter_rows(values_only=True) if r and r[0] in ("อำเภอเมืองแพร่", "อำเภอลอง")
    }
    assert by_district["อำเภอเมืองแพร่"][0] == 4 and by_district["อำเภอลอง"][0] == 5


def test_the_csv_export_opens_in_excel_with_thai_and_keeps_the_filters(chain, cast, client):
    client.force_login(cast.province_officer)
    url = reverse(
        "dashboards:export", kwargs={"root_id": chain.root.pk, "org_id": cast.province.pk, "fmt": "csv"}
    )
    resp = client.get(url, {"state": ["accepted", "late"]})
    assert resp.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(resp.content.decode("utf-8-sig"))))
    assert rows[0][3] == "องค์กรปกครองส่วนท้องถิ่น"
    assert sorted(r[6] for r in rows[1:]) == sorted([STATE_THAI["accepted"], STATE_THAI["late"]])
    other = reverse(
        "dashboards:export", kwargs={"root_id": chain.root.pk, "org_id": cast.province.pk, "fmt": "pdf"}
    )
    assert client.get(other).status_code == 404


# -- query counts --------------------------------------------------------------------------------

# A dashboard page, whatever the number of organizations:
#   1 session, 1 user, 1 the user's memberships (orgs.access),
#   1 the chain's root with its issuer, checked visible in the same query (EXISTS),
#   1 the level's organization (pages named by org id; the chain page uses the membership),
#   4 the board (organizations in scope, recipients, plans, submissions),
#   1 the opening dates of the rows shown.
AREA_QUERIES = 10
CHAIN_QUERIES = 9  # the level comes from the memberships
EXPORT_QUERIES = 10


@pytest.mark.parametrize("extra", [0, 40])
def test_the_pages_cost_the_same_queries_whatever_the_number_of_organizations(
    chain, cast, client, django_assert_num_queries, extra
):
    populate(chain, extra)
    client.force_login(cast.opdc_reviewer)
    # national, provincial, district (+1: the province's name in the breadcrumbs)
    for org, queries in (
        (cast.opdc, AREA_QUERIES),
        (cast.province, AREA_QUERIES),
        (cast.district, AREA_QUERIES + 1),
    ):
        with django_assert_num_queries(queries):
            assert client.get(area_url(chain, org)).status_code == 200
    with django_assert_num_queries(CHAIN_QUERIES):
        assert client.get(chain_url(chain)).status_code == 200
    with django_assert_num_queries(AREA_QUERIES):
        client.get(
            area_url(chain, cast.province), {"page": 2}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="dash-list"
        )
    for fmt in ("xlsx", "csv"):
        url = reverse(
            "dashboards:export", kwargs={"root_id": chain.root.pk, "org_id": cast.opdc.pk, "fmt": fmt}
        )
        with django_assert_num_queries(EXPORT_QUERIES):
            assert client.get(url).status_code == 200
    # the index: session, user, memberships, the chains
    with django_assert_num_queries(4):
        assert client.get(reverse("dashboards:index")).status_code == 200
    # a provincial-office overseer: its province comes with the board, no query of its own
    client.force_login(cast.province_officer)
    with django_assert_num_queries(CHAIN_QUERIES):
        assert client.get(chain_url(chain)).status_code == 200


# -- the real actions ----------------------------------------------------------------------------


def test_acknowledging_submitting_and_reviewing_move_the_board(cast, client):
    from directives import actions
    from plans import lifecycle
    from plans.tests.factories import make_complete_plan

    root = issue(cast.dla, to=[cast.provincial_office])
    relay = issue(cast.district, parent=root, root=root, to=[cast.lgo])
    Directive.objects.filter(pk__in=[root.pk, relay.pk]).update(submit_to=cast.opdc)
    relay.refresh_from_db()

    def state():
        board = build_board(
            Directive.objects.select_related("issuer").get(pk=root.pk), scope_for(cast.district)
        )
        return {r.org_id: r for r in board.rows}[cast.lgo.pk]

    assert state().state == "not_opened"
    actions.acknowledge(relay, user=cast.planner)
    assert state().state == "opened"
    p = make_complete_plan(cast.lgo, by=cast.planner)
    assert state().state == "draft"
    lifecycle.approve(p, by=cast.approver)
    row = state()
    assert row.state == "approved" and row.score == p.score and p.score > 70
    submission, _created = actions.submit_plan(relay, p, by=cast.planner, key="k-1")
    assert state().state in ("on_time", "late")
    actions.review_submission(submission, by=cast.opdc_reviewer, accept=False, comment="โปรดเพิ่มผู้สำรอง")
    assert state().state == "returned"


def test_the_api_gives_the_figures_of_the_page(chain, cast, client):
    client.force_login(cast.province_officer)
    data = client.get(f"/api/v1/dashboards/{chain.root.pk}").json()
    assert data["level"] == "province" and data["tally"]["total"] == 9
    assert data["tally"]["counts"]["accepted"] == 1 and [g["name"] for g in data["groups"]] == [
        "อำเภอเมืองแพร่",
        "อำเภอลอง",
    ]
    assert [c["id"] for c in client.get("/api/v1/dashboards").json()] == [chain.root.pk]
    listing = client.get(
        f"/api/v1/dashboards/{chain.root.pk}/areas/{cast.district.pk}/organizations",
        {"state": "accepted", "sort": "-score"},
    ).json()
    assert listing["count"] == 1 and listing["items"][0]["name"] == "องค์การบริหารส่วนตำบลป่าแดง"
    assert listing["items"][0]["opened_at"] is not None
    assert client.get(f"/api/v1/dashboards/{chain.root.pk}/areas/{cast.far_district.pk}").status_code == 404
    client.force_login(cast.planner)
    assert client.get(f"/api/v1/dashboards/{chain.root.pk}").status_code == 404
