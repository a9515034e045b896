"""The dashboard figures as JSON, scoped like the pages (directives/dashboard_views.py).

- ``GET /api/v1/dashboards`` — the chains the caller may follow;
- ``GET /api/v1/dashboards/{root_id}`` — one chain from the caller's own level;
- ``GET /api/v1/dashboards/{root_id}/areas/{org_id}`` — from a level the caller oversees (the
  country through a national body, a province or provincial office, a district);
- ``GET /api/v1/dashboards/{root_id}/areas/{org_id}/organizations`` — every local government
  with its state and score, filtered, sorted and paginated (limit/offset).

A chain or a level outside the caller's scope is 404.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from ninja import Field, Query, Router, Schema

from directives import dashboard_views as pages
from directives.dashboard import PAGE_SIZE, SORTS, STATES, Board, build_board

router = Router(tags=["dashboards"])


class ChainOut(Schema):
    id: int
    subject: str
    number: str
    issuer_id: int
    issuer: str
    date: dt.date | None
    deadline: dt.datetime | None


class TallyOut(Schema):
    total: int
    received: int
    ready: int
    ready_percent: float | None
    mean_score: float | None
    counts: dict[str, int]
    percents: dict[str, float]


class GroupOut(Schema):
    org_id: int | None
    name: str
    geocode: str
    tally: TallyOut


class TimelineOut(Schema):
    labels: list[str]
    submitted: list[int]
    on_time: list[int]
    late: list[int]
    total: int
    deadline: str | None
    step_days: int


class LeagueRowOut(Schema):
    org_id: int
    name: str
    score: int
    state: str


class SummaryOut(Schema):
    chain: ChainOut
    level: str = Field(description="national, province or district")
    area_org_id: int
    area: str
    states: list[str] = Field(description="The states, in order of precedence")
    tally: TallyOut
    groups: list[GroupOut] = Field(description="By province (national level) or by district (province level)")
    timeline: TimelineOut
    top: list[LeagueRowOut]
    bottom: list[LeagueRowOut]


class OrgRowOut(Schema):
    org_id: int
    name: str
    kind: str
    dla_code: str
    province: str
    district: str
    state: str
    score: int | None
    received: bool
    opened_at: dt.datetime | None
    submitted_at: dt.datetime | None
    receipt: str


class OrgPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[OrgRowOut]


class OrgFilters(Schema):
    state: list[str] = Field([], description="Only these states")
    district: int | None = Field(None, description="A district (or, at the national level, a province)")
    kind: list[str] = Field([], description="Only these types of local government")
    q: str = Field("", max_length=100, description="Part of the name, or the DLA code")
    sort: str = Field("name", description=f"One of {', '.join(SORTS)}; prefix with - for descending")
    limit: int = Field(PAGE_SIZE, ge=1, le=500)
    offset: int = Field(0, ge=0)


def _chain(d) -> dict:
    return {
        "id": d.pk, "subject": d.subject, "number": d.number, "issuer_id": d.issuer_id,
        "issuer": d.issuer.name_th, "date": d.date, "deadline": d.deadline,
    }  # fmt: skip


def _league(rows) -> list[dict]:
    return [{"org_id": r.org_id, "name": r.name, "score": r.score, "state": r.state} for r in rows]


def _summary(board: Board) -> dict:
    top, bottom = board.league()
    scope = board.scope
    return {
        "chain": _chain(board.root),
        "level": scope.level,
        "area_org_id": scope.org.pk,
        "area": scope.title,
        "states": [s.value for s in STATES],
        "tally": board.tally.as_dict(),
        "groups": [
            {"org_id": g.org_id, "name": g.name, "geocode": g.geocode, "tally": g.tally.as_dict()}
            for g in board.groups
        ],
        "timeline": board.timeline(),
        "top": _league(top),
        "bottom": _league(bottom),
    }


class _Req:
    """The page helpers take a request; the API's caller is request.auth."""

    def __init__(self, user, params=None):
        self.user = user
        self.GET = params


@router.get("", response=list[ChainOut], summary="Chains you may follow")
def list_chains(request):
    roots = pages.visible_roots(request.auth).order_by("-date", "-pk")[:200]
    return [_chain(d) for d in roots]


@router.get("/{root_id}", response=SummaryOut, summary="A chain from your own level")
def chain_summary(request, root_id: int):
    req = _Req(request.auth)
    root = pages.get_root(req, root_id)
    scope = pages.default_scope(request.auth)
    if scope is None:
        raise Http404
    return _summary(build_board(root, scope))


@router.get("/{root_id}/areas/{org_id}", response=SummaryOut, summary="A chain from a level you oversee")
def area_summary(request, root_id: int, org_id: int):
    req = _Req(request.auth)
    root = pages.get_root(req, root_id)
    return _summary(build_board(root, pages.get_scope(req, org_id)))


@router.get(
    "/{root_id}/areas/{org_id}/organizations",
    response=OrgPageOut,
    summary="Every local government, with its state",
)
def area_organizations(request, root_id: int, org_id: int, filters: Query[OrgFilters]):
    req = _Req(request.auth)
    root = pages.get_root(req, root_id)
    board = build_board(root, pages.get_scope(req, org_id))
    valid = {s.value for s in STATES}
    sort = filters.sort.lstrip("-")
    rows = board.filtered(
        states=[s for s in filters.state if s in valid],
        district=filters.district,
        kinds=filters.kind,
        q=filters.q,
    )
    rows = board.sort(rows, sort if sort in SORTS else "name", filters.sort.startswith("-"))
    page = board.add_details(rows[filters.offset : filters.offset + filters.limit])
    return {
        "count": len(rows),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [
            {
                "org_id": r.org_id,
                "name": r.name,
                "kind": r.kind,
                "dla_code": r.dla_code,
                "province": r.province_name,
                "district": r.district_name,
                "state": r.state,
                "score": r.score,
                "received": r.received,
                "opened_at": r.opened_at,
                "submitted_at": r.submitted_at,
                "receipt": r.receipt,
            }  # fmt: skip
            for r in page
        ],
    }
