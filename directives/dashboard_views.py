"""Oversight dashboard pages: the chains a user may follow, and one chain seen from one level.

Access: a chain is reachable when one of its directives is visible to the user
(Directive.objects.visible_to: issued by or addressed to an organization the user may read); a
level (the country, a province, a district) is reachable when the user oversees it
(orgs.access.oversees). Anything else is 404.

Query count (pinned in directives/tests/test_dashboard_views.py): the session, the user and their
memberships, the chain's root with its visibility check (one query), the level's organization
(pages named by id), the board's four queries (directives.dashboard.build_board) and one for the
opening dates of the rows shown — whatever the number of organizations. The rows that repeat
(list, league, roll-up) are rendered in Python (list_rows_html …): through the template engine
they cost more than the whole board on the national page.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from directives import exports
from directives.dashboard import (
    LEAGUE_SIZE,
    OVERSEER_KINDS,
    PAGE_SIZE,
    READY_BUCKETS,
    SORTS,
    STATE_COLOURS,
    STATES,
    Board,
    Scope,
    State,
    build_board,
    scope_for,
)
from directives.models import Directive, DirectiveStatus, Recipient
from orgs import access
from orgs.models import LGO_KINDS, NATIONAL_KINDS, Kind, Organization, Role
from phrom.templatetags.thai import thai_date as thai_date_filter

LEVEL_ORDER = {"national": 0, "province": 1, "district": 2}


# -- access --------------------------------------------------------------------------------------


def visible_roots(user):
    """Original directives (roots) of every chain with a directive the user may see."""
    visible = Directive.objects.visible_to(user).filter(status=DirectiveStatus.ISSUED)
    return Directive.objects.filter(
        pk__in=visible.values("root_id"), parent__isnull=True, status=DirectiveStatus.ISSUED
    ).select_related("issuer")


def get_root(request, root_id: int) -> Directive:
    """The chain's root if the user may see the chain (any of its directives), else 404.

    The same rule as Directive.objects.visible_to, asked of this one chain: one of its issued
    directives was issued by, or addressed to, an organization the user may read.
    """
    user = request.user
    in_chain = {"root_id": OuterRef("pk"), "status": DirectiveStatus.ISSUED}
    issued = access.restrict(Directive.objects.filter(**in_chain), user, org_field="issuer")
    received = access.restrict(
        Recipient.objects.filter(directive__root_id=OuterRef("pk"), directive__status=DirectiveStatus.ISSUED),
        user,
        org_field="org",
    )
    root = (
        Directive.objects.select_related("issuer", "submit_to")
        .filter(
            Exists(issued) | Exists(received), pk=root_id, parent__isnull=True, status=DirectiveStatus.ISSUED
        )
        .first()
    )
    if root is None:
        raise Http404
    return root


def default_scope(user) -> Scope | None:
    """The broadest level the user oversees (a site admin without one sees the whole country)."""
    cached = getattr(user, "_phrom_dashboard_scope", False)
    if cached is not False:
        return cached
    best = None
    for m in access.memberships(user):
        if m.role != Role.OVERSEER or m.organization.kind not in OVERSEER_KINDS:
            continue
        scope = scope_for(m.organization)
        if best is None or LEVEL_ORDER[scope.level] < LEVEL_ORDER[best.level]:
            best = scope
    if best is None and getattr(user, "is_superuser", False):
        national = Organization.objects.filter(kind__in=NATIONAL_KINDS).order_by("kind", "pk").first()
        if national is not None:
            best = scope_for(national)
    if getattr(user, "is_authenticated", False):
        user._phrom_dashboard_scope = best  # once per request (like access.memberships)
    return best


def get_scope(request, org_id: int) -> Scope:
    """The level named by `org_id` (a national body, province, provincial office or district), if overseen."""
    org = Organization.objects.filter(pk=org_id, kind__in=OVERSEER_KINDS).first()
    if org is None or not access.oversees(request.user, org):
        raise Http404
    return scope_for(org)


# -- pages ---------------------------------------------------------------------------------------


@require_safe
def index(request):
    """The directive chains the user may follow, newest first."""
    roots = list(visible_roots(request.user).order_by("-date", "-pk")[:200])
    scope = default_scope(request.user)
    return render(request, "directives/dashboard/index.html", {"roots": roots, "scope": scope})


@require_safe
def chain(request, root_id: int):
    """A chain from the user's own level (their broadest overseer membership)."""
    root = get_root(request, root_id)
    scope = default_scope(request.user)
    if scope is None:
        raise Http404
    return _board_page(request, root, scope)


@require_safe
def area(request, root_id: int, org_id: int):
    """A chain from a level the user oversees (drill-down: country → province → district)."""
    root = get_root(request, root_id)
    return _board_page(request, root, get_scope(request, org_id))


@require_safe
def export(request, root_id: int, org_id: int, fmt: str):
    """The (filtered) list as XLSX or CSV with Thai headers."""
    if fmt not in ("xlsx", "csv"):
        raise Http404
    root = get_root(request, root_id)
    scope = get_scope(request, org_id)
    board = build_board(root, scope)
    params = ListParams.from_request(request, board)
    rows = board.add_details(board.sort(params.filter(board), params.sort, params.descending))
    filename = exports.filename(root, scope, fmt)
    if fmt == "xlsx":
        body = exports.to_xlsx(board, rows)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = exports.to_csv(rows)
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = exports.content_disposition(filename)
    return response


# -- the list's parameters -----------------------------------------------------------------------


class ListParams:
    """Filters, sorting and page of the list, from GET parameters (unknown values are ignored)."""

    def __init__(self, *, states, district, kinds, q, sort, descending, page):
        self.states, self.district, self.kinds, self.q = states, district, kinds, q
        self.sort, self.descending, self.page = sort, descending, page

    @classmethod
    def from_request(cls, request, board: Board) -> ListParams:
        g = request.GET
        valid_states = {s.value for s in STATES}
        states = [s for s in g.getlist("state") if s in valid_states]
        kinds = [k for k in g.getlist("kind") if k in LGO_KINDS]
        try:
            district = int(g.get("district") or 0) or None
        except ValueError:
            district = None
        if district is not None and district not in board.areas:
            district = None
        sort = g.get("sort", "name")
        descending = sort.startswith("-")
        sort = sort.lstrip("-")
        if sort not in SORTS:
            sort, descending = "name", False
        try:
            page = max(1, int(g.get("page") or 1))
        except ValueError:
            page = 1
        return cls(
            states=states, district=district, kinds=kinds, q=(g.get("q") or "").strip()[:100],
            sort=sort, descending=descending, page=page,
        )  # fmt: skip

    def filter(self, board: Board):
        return board.filtered(states=self.states, district=self.district, kinds=self.kinds, q=self.q)

    def query(self, **changes) -> str:
        """The query string of these parameters with some changed (for sort and page links)."""
        values = {
            "state": self.states, "district": self.district or "", "kind": self.kinds, "q": self.q,
            "sort": ("-" if self.descending else "") + self.sort, "page": self.page,
        }  # fmt: skip
        values.update(changes)
        pairs = []
        for key, value in values.items():
            for v in value if isinstance(value, list) else [value]:
                if (
                    v not in ("", None)
                    and not (key == "page" and v == 1)
                    and not (key == "sort" and v == "name")
                ):
                    pairs.append((key, v))
        return urlencode(pairs)

    @property
    def filtered(self) -> bool:
        return bool(self.states or self.district or self.kinds or self.q)


def _sort_links(params: ListParams) -> dict:
    """For each column: the link that sorts by it (toggling the direction) and its aria-sort."""
    links = {}
    for key in SORTS:
        current = params.sort == key
        descending = not params.descending if current else key in ("score", "submitted")
        links[key] = {
            "query": params.query(sort=("-" if descending else "") + key, page=1),
            "aria": ("descending" if params.descending else "ascending") if current else "none",
            "current": current,
            "descending": params.descending if current else None,
        }
    return links


# -- the page ------------------------------------------------------------------------------------


def _board_page(request, root: Directive, scope: Scope):
    board = build_board(root, scope)
    params = ListParams.from_request(request, board)
    rows = board.sort(params.filter(board), params.sort, params.descending)
    paginator = Paginator(rows, PAGE_SIZE)
    page = paginator.get_page(params.page)
    board.add_details(list(page.object_list))
    here = reverse("dashboards:area", kwargs={"root_id": root.pk, "org_id": scope.org.pk})
    list_ctx = {
        "board": board, "params": params, "page": page, "here": here, "sort_links": _sort_links(params),
        "count": len(rows), "root": root, "scope": scope,
        "export_query": params.query(page=1),
        "rows_html": list_rows_html(page.object_list, scope),
        "prev_query": params.query(page=page.previous_page_number()) if page.has_previous() else None,
        "next_query": params.query(page=page.next_page_number()) if page.has_next() else None,
    }  # fmt: skip
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "dash-list":
        return render(request, "directives/dashboard/_list.html", list_ctx)

    top, bottom = board.league(LEAGUE_SIZE)
    groups = []
    for g in board.groups:
        drill = None
        if g.org_id is not None and scope.level in ("national", "province"):
            drill = reverse("dashboards:area", kwargs={"root_id": root.pk, "org_id": g.org_id})
        groups.append({"group": g, "items": g.tally.items(), "url": drill})
    deadline = root.deadline
    now = timezone.now()
    days_left = None
    if deadline:
        days_left = (timezone.localtime(deadline).date() - timezone.localdate(now)).days
    map_data = board.map_data()
    for a in map_data["areas"]:
        if a.get("org_id") and scope.level in ("national", "province"):
            a["url"] = reverse("dashboards:area", kwargs={"root_id": root.pk, "org_id": a["org_id"]})
    outlines = map_data.pop("outlines")
    map_data["buckets"] = _bucket_legend()
    map_data["states"] = [
        {"state": s.value, "label": str(s.label), "fill": STATE_COLOURS[s][0]} for s in STATES
    ]
    districts = []
    if scope.level in ("province", "national"):
        districts = sorted(
            (o for o in board.areas.values() if o.kind == Kind.DISTRICT and o.province_id == scope.area_id),
            key=lambda o: o.name_th,
        )
    return render(
        request,
        "directives/dashboard/board.html",
        {
            **list_ctx,
            "tally": board.tally,
            "items": board.tally.items(),
            "groups": groups,
            "group_level": scope.group_level,
            "top": top,
            "bottom": bottom,
            "top_html": league_rows_html(top, scope),
            "bottom_html": league_rows_html(bottom, scope),
            "rollup_html": rollup_rows_html(groups),
            "league_size": LEAGUE_SIZE,
            "days_left": days_left,
            "overdue": deadline is not None and now > deadline,
            "timeline": board.timeline(),
            "map_data": map_data,
            "outlines": outlines,
            "buckets": _bucket_legend(),
            "state_legend": [
                {"state": s.value, "label": s.label, "fill": STATE_COLOURS[s][0]} for s in STATES
            ],
            "states": STATES,
            "kind_choices": [(k.value, k.label) for k in Kind if k in LGO_KINDS],
            "districts": districts,
            "crumbs": _crumbs(request, root, scope),
            "strings": _js_strings(),
        },
    )


def _bucket_legend() -> list[dict]:
    out = []
    upper = 100
    for low, fill, ink in READY_BUCKETS:
        out.append({"low": low, "high": upper, "fill": fill, "ink": ink})
        upper = low - 1
    return out


def _crumbs(request, root: Directive, scope: Scope) -> list[dict]:
    """Country → province → district, as far as the user oversees each level."""
    crumbs = []
    national = default_scope(request.user)
    if scope.level != "national" and national is not None and national.level == "national":
        crumbs.append({"label": _("Whole country"), "url": _area_url(root, national.org)})
    if scope.level == "district" and scope.area is not None and scope.area.province_id:
        # Whether the user oversees the province needs only its id; its name, one query, only then.
        stub = Organization(pk=scope.area.province_id, kind=Kind.PROVINCE, province_id=scope.area.province_id)
        if access.oversees(request.user, stub):
            province = Organization.objects.only("pk", "name_th").get(pk=scope.area.province_id)
            crumbs.append({"label": province.name_th, "url": _area_url(root, province)})
    return crumbs


def _area_url(root, org) -> str:
    return reverse("dashboards:area", kwargs={"root_id": root.pk, "org_id": org.pk})


def _js_strings() -> dict:
    return {
        "submitted": _("Plans sent (cumulative)"),
        "onTime": _("On time"),
        "late": _("Late"),
        "total": _("All local governments"),
        "deadline": _("Deadline"),
        "ready": _("sent"),
        "score": _("mean score"),
        "lgos": _("local governments"),
        "noData": _("No local government here"),
        "mapLabel": _("Map: share of local governments that have sent their plan"),
        "legendTitle": _("Plans sent"),
        "attribution": _("Boundaries: OCHA / Royal Thai Survey Department (HDX), mapthai (MIT)"),
    }


def state_label(value: str) -> str:
    return State(value).label


# -- repetitive rows, rendered in Python ---------------------------------------------------------
# The list (50 rows), the league (2 × 10) and the national roll-up (77 × 14 cells) are most of the
# page; through the template engine they cost several times the whole board. Same markup as the
# templates would write, every value escaped by format_html.


def _labels() -> dict:
    return {s.value: str(s.label) for s in STATES}


def _day(value) -> str:
    return thai_date_filter(value, "short") if value else ""


def list_rows_html(rows, scope: Scope) -> str:
    labels = _labels()
    not_received = _("directive not received yet")
    no_plan = _("No plan")
    national = scope.level == "national"
    out = []
    for r in rows:
        meta = r.kind_abbrev + (f" · {r.dla_code}" if r.dla_code else "")
        area = f"{r.province_name} · {r.district_name}" if national else r.district_name
        note = format_html('<span class="meta dash-note">{}</span>', not_received) if not r.received else ""
        score = (
            str(r.score)
            if r.score is not None
            else format_html('<span class="zero" title="{}">—</span>', no_plan)
        )
        if r.submitted is not None:
            at = timezone.localtime(r.submitted_at)
            receipt = (
                format_html('<span class="meta dash-note mono">{}</span>', r.receipt) if r.receipt else ""
            )
            sent = format_html("{} {}{}", _day(at), at.strftime("%H:%M"), receipt)
        else:
            sent = mark_safe('<span class="zero">—</span>')
        opened = _day(r.opened_at) if r.opened_at else mark_safe('<span class="zero">—</span>')
        out.append(
            format_html(
                '<tr><th scope="row"><span lang="th">{}</span> <span class="meta">{}</span></th>'
                '<td><span lang="th">{}</span></td>'
                '<td><span class="dash-state" style="--fill: {}">'
                '<span class="dash-swatch" aria-hidden="true"></span>{}</span>{}</td>'
                '<td class="num">{}</td><td class="nowrap">{}</td><td class="nowrap">{}</td></tr>',
                r.name,
                meta,
                area,
                r.fill,
                labels[r.state],
                note,
                score,
                sent,
                opened,
            )  # fmt: skip
        )
    return mark_safe("\n".join(out))  # noqa: S308 (every part went through format_html)


def league_rows_html(rows, scope: Scope) -> str:
    national = scope.level == "national"
    return mark_safe(  # noqa: S308
        "\n".join(
            format_html(
                '<tr><td class="num">{}</td><th scope="row"><span lang="th">{}</span> '
                '<span class="meta">{}</span></th><td class="num"><strong>{}</strong></td></tr>',
                i,
                r.name,
                r.province_name if national else r.district_name,
                r.score,
            )  # fmt: skip
            for i, r in enumerate(rows, 1)
        )
    )


def rollup_rows_html(groups: list[dict]) -> str:
    out = []
    for row in groups:
        g, t = row["group"], row["group"].tally
        name = format_html('<span lang="th">{}</span>', g.name)
        if row["url"]:
            name = format_html('<a href="{}">{}</a>', row["url"], name)
        cells = "".join(
            format_html(
                '<td class="num">{} <span class="meta dash-pct">{}</span></td>',
                i["count_text"],
                i["percent_text"],
            )
            if i["count"]
            else '<td class="num"><span class="zero">0</span></td>'
            for i in row["items"]
        )
        out.append(
            format_html(
                '<tr><th scope="row">{}</th><td class="num">{}</td><td class="dash-inline">'
                '<span class="dash-inline-bar" aria-hidden="true"><span style="width: {}%"></span></span> '
                '<span class="nowrap">{} · {}</span></td><td class="num">{}</td>{}</tr>',
                name,
                t.total,
                t.ready_width,
                t.ready,
                t.ready_text,
                t.mean_text,
                mark_safe(cells),  # noqa: S308
            )  # fmt: skip
        )
    return mark_safe("\n".join(out))  # noqa: S308
