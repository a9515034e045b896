"""The board: every local government's state on a chain, roll-ups, the chart, the map and the league.

Fixtures are built with the ORM on directives.models (a DLA circular relayed by Phrae's provincial
office and its districts), so each state is set up exactly; test_dashboard_views.py also drives the
real actions (acknowledge, submit, review) through directives.actions.
"""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from directives.dashboard import (
    READY_STATES,
    STATES,
    State,
    build_board,
    name_key,
    scope_for,
    state_of,
)
from directives.models import (
    Directive,
    DirectiveStatus,
    Recipient,
    Submission,
    SubmissionStatus,
    receipt_number,
)
from orgs.actions import create_organization
from orgs.models import Kind
from plans.models import Plan, Status

BKK = ZoneInfo("Asia/Bangkok")
ISSUED = dt.date(2026, 3, 2)
DEADLINE = dt.datetime(2026, 3, 31, 23, 59, 59, tzinfo=BKK)
NOW = dt.datetime(2026, 4, 10, 12, 0, tzinfo=BKK)


# -- building chains -----------------------------------------------------------------------------


def issue(issuer, *, parent=None, root=None, subject="ขอให้จัดส่งแผนดำเนินธุรกิจอย่างต่อเนื่อง", day=ISSUED, to=()):
    d = Directive.objects.create(
        issuer=issuer, parent=parent, status=DirectiveStatus.ISSUED, subject=subject, date=day,
        issued_at=dt.datetime.combine(day, dt.time(10), tzinfo=BKK), deadline=DEADLINE,
        copy_rules=["province", "district"],
    )  # fmt: skip
    Directive.objects.filter(pk=d.pk).update(root=root or d)
    d.root_id = (root or d).pk
    for org in to:
        Recipient.objects.create(directive=d, org=org)
    return d


def make_lgo(district, name, kind=Kind.SAO):
    return create_organization(kind=kind, name_th=name, parent=district)


def open_(directive, org, at=None):
    Recipient.objects.filter(directive=directive, org=org).update(
        acknowledged_at=at or dt.datetime.combine(ISSUED + dt.timedelta(days=3), dt.time(9), tzinfo=BKK)
    )


def plan(org, status=Status.APPROVED, score=80, revision=1):
    return Plan.objects.create(
        org=org, title="แผนดำเนินธุรกิจอย่างต่อเนื่อง", fiscal_year=2569, revision=revision, status=status,
        score=score, digest="d" * 64 if status == Status.APPROVED else "",
    )  # fmt: skip


def submit(directive, org, p, *, at, status=SubmissionStatus.SUBMITTED, to=None, n=1, replaces=None):
    key = f"test:{directive.root_id}:{org.pk}:{n}"
    return Submission.objects.create(
        directive=directive, root_id=directive.root_id, org=org, plan=p, plan_digest=p.digest,
        submitted_to=to, receipt_number=receipt_number(directive.root_id, org.pk, key), idempotency_key=key,
        submitted_at=at, on_time=at <= DEADLINE, status=status, replaces=replaces,
    )  # fmt: skip


def make_chain(cast):
    """DLA → Phrae's office (and Nan) → districts → local governments, one per state.

    Mueang Phrae: ป่าแดง accepted, ช่อแฮ returned, +late, +on time.
    Long: ห้วยอ้อ approved (not sent), +in review (draft state), +opened, +not opened, +not received.
    Nan: ไชยสถาน in draft.
    """
    c = SimpleNamespace(cast=cast)
    c.root = issue(cast.dla, to=[cast.provincial_office, cast.other_province])
    c.phrae = issue(
        cast.provincial_office, parent=c.root, root=c.root, to=[cast.district, cast.other_district]
    )
    c.nan = issue(cast.other_province, parent=c.root, root=c.root, to=[cast.far_district])
    c.late = make_lgo(cast.district, "เทศบาลตำบลกาญจนา", Kind.SUBDISTRICT_MUNICIPALITY)
    c.on_time = make_lgo(cast.district, "องค์การบริหารส่วนตำบลเหมืองหม้อ")
    c.in_review = make_lgo(cast.other_district, "องค์การบริหารส่วนตำบลบ่อเหล็กลอง")
    c.opened = make_lgo(cast.other_district, "องค์การบริหารส่วนตำบลแม่ปาน")
    c.not_opened = make_lgo(cast.other_district, "องค์การบริหารส่วนตำบลต้าผามอก")
    c.not_received = make_lgo(cast.other_district, "เทศบาลตำบลห้วยอ้อ", Kind.SUBDISTRICT_MUNICIPALITY)
    mueang = [cast.lgo, cast.lgo_same_district, c.late, c.on_time]
    long_ = [cast.lgo_other_district, c.in_review, c.opened, c.not_opened]  # not_received: not relayed to
    c.mueang = issue(cast.district, parent=c.phrae, root=c.root, day=ISSUED + dt.timedelta(days=2), to=mueang)
    c.long = issue(
        cast.other_district, parent=c.phrae, root=c.root, day=ISSUED + dt.timedelta(days=3), to=long_
    )
    c.far = issue(cast.far_district, parent=c.nan, root=c.root, to=[cast.lgo_other_province])
    for org in mueang + [cast.lgo_other_district, c.in_review, c.opened]:
        open_(c.mueang if org in mueang else c.long, org)
    open_(c.far, cast.lgo_other_province)
    for d, org in (
        (c.root, cast.provincial_office),
        (c.phrae, cast.district),
        (c.phrae, cast.other_district),
    ):
        open_(d, org)

    def at(day):
        return dt.datetime(2026, 3, day, 10, 0, tzinfo=BKK)

    p = plan(cast.lgo, score=92)
    first = submit(c.mueang, cast.lgo, p, at=at(10), status=SubmissionStatus.SUPERSEDED, to=cast.opdc, n=1)
    submit(
        c.mueang, cast.lgo, p, at=at(20), status=SubmissionStatus.ACCEPTED, to=cast.opdc, n=2, replaces=first
    )
    submit(c.mueang, cast.lgo_same_district, plan(cast.lgo_same_district, score=75), at=at(15),
           status=SubmissionStatus.RETURNED, to=cast.opdc)  # fmt: skip
    submit(
        c.mueang, c.late, plan(c.late, score=71), at=dt.datetime(2026, 4, 1, 0, 0, tzinfo=BKK), to=cast.opdc
    )
    submit(c.mueang, c.on_time, plan(c.on_time, score=88), at=at(31).replace(hour=23, minute=59, second=59),
           to=cast.opdc)  # fmt: skip
    plan(cast.lgo_other_district, score=88)
    plan(c.in_review, status=Status.IN_REVIEW, score=64)
    plan(cast.lgo_other_province, status=Status.DRAFT, score=30)
    c.expected = {
        cast.lgo.pk: State.ACCEPTED,
        cast.lgo_same_district.pk: State.RETURNED,
        c.late.pk: State.LATE,
        c.on_time.pk: State.ON_TIME,
        cast.lgo_other_district.pk: State.APPROVED,
        c.in_review.pk: State.DRAFT,
        c.opened.pk: State.OPENED,
        c.not_opened.pk: State.NOT_OPENED,
        c.not_received.pk: State.NOT_OPENED,
        cast.lgo_other_province.pk: State.DRAFT,
    }
    return c


@pytest.fixture
def chain(cast):
    return make_chain(cast)


def board_for(chain, org):
    root = Directive.objects.select_related("issuer").get(pk=chain.root.pk)
    return build_board(root, scope_for(org), now=NOW)


# -- states --------------------------------------------------------------------------------------


def test_the_first_state_that_applies_wins():
    s = SubmissionStatus
    assert (
        state_of(submission=s.ACCEPTED, on_time=False, approved=True, draft=True, opened=True)
        == State.ACCEPTED
    )
    assert (
        state_of(submission=s.RETURNED, on_time=True, approved=True, draft=True, opened=True)
        == State.RETURNED
    )
    assert (
        state_of(submission=s.SUBMITTED, on_time=False, approved=True, draft=False, opened=True) == State.LATE
    )
    assert (
        state_of(submission=s.SUBMITTED, on_time=True, approved=True, draft=False, opened=True)
        == State.ON_TIME
    )
    assert state_of(submission=None, on_time=True, approved=True, draft=True, opened=False) == State.APPROVED
    assert state_of(submission=None, on_time=True, approved=False, draft=True, opened=False) == State.DRAFT
    assert state_of(submission=None, on_time=True, approved=False, draft=False, opened=True) == State.OPENED
    assert (
        state_of(submission=None, on_time=True, approved=False, draft=False, opened=False) == State.NOT_OPENED
    )
    assert [s.value for s in STATES][:4] == ["accepted", "returned", "late", "on_time"]


def test_every_local_government_gets_its_state_on_the_national_board(chain, cast):
    board = board_for(chain, cast.dla)
    got = {r.org_id: r.state for r in board.rows}
    assert got == {pk: s.value for pk, s in chain.expected.items()}
    assert board.tally.total == 10
    assert board.tally.counts == {
        "accepted": 1, "returned": 1, "late": 1, "on_time": 1, "approved": 1, "draft": 2, "opened": 1,
        "not_opened": 2,
    }  # fmt: skip
    assert board.tally.ready == 3 and round(board.tally.ready_percent) == 30
    assert board.tally.received == 9  # the district of Long has not relayed to เทศบาลตำบลห้วยอ้อ


def test_scores_come_from_the_approved_plan_else_the_latest_draft(chain, cast):
    plan(cast.lgo, status=Status.DRAFT, score=40, revision=2)  # a new revision in progress
    plan(chain.opened, status=Status.DRAFT, score=20, revision=1)
    plan(chain.opened, status=Status.DRAFT, score=55, revision=2)
    rows = {r.org_id: r for r in board_for(chain, cast.dla).rows}
    assert rows[cast.lgo.pk].score == 92
    assert rows[chain.opened.pk].score == 55 and rows[chain.opened.pk].state == State.DRAFT
    assert rows[chain.not_opened.pk].score is None


def test_the_deadline_is_inclusive_to_the_last_second_in_bangkok(chain, cast):
    rows = {r.org_id: r for r in board_for(chain, cast.dla).rows}
    assert rows[chain.on_time.pk].state == State.ON_TIME  # 23:59:59 on the deadline day
    assert rows[chain.late.pk].state == State.LATE  # 00:00:00 the next day


def test_a_province_sees_its_districts_and_a_district_its_own(chain, cast):
    province = board_for(chain, cast.provincial_office)
    assert {r.org_id for r in province.rows} == set(chain.expected) - {cast.lgo_other_province.pk}
    assert [g.name for g in province.groups] == ["อำเภอเมืองแพร่", "อำเภอลอง"]
    mueang, long_ = province.groups
    assert (mueang.tally.total, mueang.tally.ready, long_.tally.total, long_.tally.ready) == (4, 3, 5, 0)
    district = board_for(chain, cast.district)
    assert {r.org_id for r in district.rows} == {
        cast.lgo.pk,
        cast.lgo_same_district.pk,
        chain.late.pk,
        chain.on_time.pk,
    }
    assert district.groups == []
    national = board_for(chain, cast.opdc)
    assert [(g.name, g.tally.total) for g in national.groups] == [("จังหวัดแพร่", 9), ("จังหวัดน่าน", 1)]


def test_a_chain_issued_by_a_province_reaches_only_that_province(chain, cast):
    own = issue(cast.provincial_office, subject="หนังสือของจังหวัด", to=[cast.district])
    root = Directive.objects.select_related("issuer").get(pk=own.pk)
    board = build_board(root, scope_for(cast.dla), now=NOW)
    assert cast.lgo_other_province.pk not in {r.org_id for r in board.rows}
    # plans count whatever the chain; nobody has opened this one
    assert (
        len(board.rows) == 9 and board.tally.counts["opened"] == 0 and board.tally.counts["not_opened"] == 3
    )
    assert [g.name for g in board.groups] == ["จังหวัดแพร่"]


def test_the_list_filters_and_sorts_on_the_server(chain, cast):
    board = board_for(chain, cast.dla)
    assert {r.org_id for r in board.filtered(states=["draft"])} == {
        chain.in_review.pk,
        cast.lgo_other_province.pk,
    }
    assert {r.org_id for r in board.filtered(district=cast.other_district.pk)} == {
        cast.lgo_other_district.pk, chain.in_review.pk, chain.opened.pk, chain.not_opened.pk,
        chain.not_received.pk,
    }  # fmt: skip
    assert {r.org_id for r in board.filtered(district=cast.other_province.pk)} == {cast.lgo_other_province.pk}
    assert [r.org_id for r in board.filtered(kinds=[Kind.SUBDISTRICT_MUNICIPALITY], q="ห้วย")] == [
        chain.not_received.pk
    ]
    assert [r.org_id for r in board.filtered(q="6540112")] == [cast.lgo.pk]
    by_score = board.sort(board.rows, "score", descending=True)
    assert [r.score for r in by_score[:3]] == [92, 88, 88]
    # ties by name in Thai dictionary order (ห้วย… before เห…: a leading vowel sorts after its consonant)
    assert by_score[1].name == "องค์การบริหารส่วนตำบลห้วยอ้อ" and by_score[2].name == "องค์การบริหารส่วนตำบลเหมืองหม้อ"
    assert by_score[-1].score is None
    by_state = board.sort(board.rows, "state")
    assert [r.state for r in by_state[:4]] == ["accepted", "returned", "late", "on_time"]
    by_sent = board.sort(board.rows, "submitted")
    assert [r.org_id for r in by_sent[:3]] == [cast.lgo_same_district.pk, cast.lgo.pk, chain.on_time.pk]


def test_thai_names_sort_by_their_first_consonant():
    names = [
        "องค์การบริหารส่วนตำบลห้วยอ้อ", "เทศบาลตำบลเหมืองหม้อ", "องค์การบริหารส่วนตำบลกาญจนา",
        "องค์การบริหารส่วนตำบลแม่ปาน", "เทศบาลตำบลบ้านถิ่น", "องค์การบริหารส่วนตำบลโป่ง",
    ]  # fmt: skip
    assert sorted(names, key=name_key) == [
        "องค์การบริหารส่วนตำบลกาญจนา", "เทศบาลตำบลบ้านถิ่น", "องค์การบริหารส่วนตำบลโป่ง",
        "องค์การบริหารส่วนตำบลแม่ปาน", "องค์การบริหารส่วนตำบลห้วยอ้อ", "เทศบาลตำบลเหมืองหม้อ",
    ]  # fmt: skip


def test_the_league_table_ranks_scores_with_ties_by_name(chain, cast):
    top, bottom = board_for(chain, cast.dla).league(size=3)
    assert [(r.score, r.name) for r in top] == [
        (92, "องค์การบริหารส่วนตำบลป่าแดง"),
        (88, "องค์การบริหารส่วนตำบลห้วยอ้อ"),
        (88, "องค์การบริหารส่วนตำบลเหมืองหม้อ"),
    ]
    assert [r.score for r in bottom] == [30, 64, 71]


def test_the_timeline_counts_each_organization_once_by_bangkok_day(chain, cast):
    tl = board_for(chain, cast.dla).timeline()
    assert tl["deadline"] == "2026-03-31"
    assert tl["labels"][0] == "2026-03-02" and tl["labels"][-1] == "2026-04-10"
    by_day = dict(zip(tl["labels"], tl["submitted"], strict=True))
    assert by_day["2026-03-09"] == 0
    assert by_day["2026-03-10"] == 1  # ป่าแดง's first (later superseded) submission
    assert by_day["2026-03-20"] == 2  # its accepted resubmission is not counted again
    assert by_day["2026-03-31"] == 3
    assert by_day["2026-04-01"] == 4 and tl["late"][-1] == 1
    assert tl["total"] == 10 and tl["step_days"] == 1


def test_a_long_span_is_bucketed_into_at_most_ninety_points(chain, cast):
    board = board_for(chain, cast.dla)
    board.now = NOW + dt.timedelta(days=400)
    tl = board.timeline()
    assert len(tl["labels"]) <= 90 and tl["step_days"] == 5
    assert tl["submitted"][-1] == 4


def test_the_map_uses_district_outlines_from_the_data_directory(chain, cast, settings, tmp_path):
    (tmp_path / "phrae").mkdir()
    square = [[[99.9, 18.0], [100.0, 18.0], [100.0, 18.1], [99.9, 18.0]]]
    features = [
        {"type": "Feature", "properties": {"district_code": code, "province_code": "54"},
         "geometry": {"type": "Polygon", "coordinates": square}}
        for code in ("5401", "5403", "5404")
    ]  # fmt: skip
    (tmp_path / "phrae" / "phrae_districts.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
    )
    settings.PHROM_DATA_DIR = str(tmp_path)
    data = board_for(chain, cast.province).map_data()
    assert data["level"] == "district"
    shapes = json.loads(data["outlines"])
    assert sorted(f["properties"]["code"] for f in shapes["features"]) == [
        "5401",
        "5403",
    ]  # 5404: not in scope
    mueang = next(a for a in data["areas"] if a["code"] == "5401")
    assert (mueang["ready"], mueang["total"], mueang["ready_percent"]) == (3, 4, 75)
    assert mueang["fill"] == "#2b8cbe"


def test_without_outlines_the_map_falls_back_to_points(chain, cast, settings, tmp_path):
    settings.PHROM_DATA_DIR = str(tmp_path)  # empty
    from orgs.models import Organization

    Organization.objects.filter(pk=cast.lgo.pk).update(latitude="18.1", longitude="100.1")
    Organization.objects.filter(pk=chain.late.pk).update(latitude="18.3", longitude="100.3")
    data = board_for(chain, cast.province).map_data()
    assert data["outlines"] is None
    mueang = next(a for a in data["areas"] if a["code"] == "5401")
    assert (round(mueang["lat"], 3), round(mueang["lon"], 3)) == (18.2, 100.2)
    district = board_for(chain, cast.district).map_data()
    assert {(p["name"], p["state"]) for p in district["points"]} == {
        ("องค์การบริหารส่วนตำบลป่าแดง", "accepted"), ("เทศบาลตำบลกาญจนา", "late"),
    }  # fmt: skip


def test_ready_states_are_the_sent_ones():
    assert {State.ACCEPTED, State.ON_TIME, State.LATE} == READY_STATES


def test_the_board_needs_four_queries(chain, cast, django_assert_num_queries):
    root = Directive.objects.select_related("issuer").get(pk=chain.root.pk)
    for org in (cast.dla, cast.province, cast.district):
        scope = scope_for(org)
        with django_assert_num_queries(4):
            build_board(root, scope, now=timezone.now())
