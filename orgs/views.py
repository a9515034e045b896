"""The organization directory (browser), organization pages and member lists.

The directory itself (names, types, office addresses and phones) is public-sector information open
to every signed-in user. Members and their contact details are not: they go through orgs.access,
and every page that shows them writes one access-log row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Case, Count, IntegerField, Value, When
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from audit.log import log_access
from orgs import access
from orgs.forms import LGO_KIND_ORDER, BrowserForm
from orgs.models import KIND_ABBREV, LGO_KINDS, DlaCode, Kind, Membership, Organization, Role
from phrom.lib.thai import to_arabic_digits

# Every kind, top of the chain first: the order of mixed lists (search results, children).
KIND_ORDER = [Kind.OPDC, Kind.DLA, Kind.PROVINCE, Kind.PROVINCIAL_OFFICE, Kind.DISTRICT, *LGO_KIND_ORDER]
# Search answers at most this many organizations, and asks the user to refine beyond it.
SEARCH_LIMIT = 100
# Column headings of the count tables in English; Thai uses orgs.models.KIND_ABBREV.
ENGLISH_ABBREV = {
    Kind.PAO: "PAO",
    Kind.CITY_MUNICIPALITY: "City mun.",
    Kind.TOWN_MUNICIPALITY: "Town mun.",
    Kind.SUBDISTRICT_MUNICIPALITY: "Subdistrict mun.",
    Kind.SAO: "SAO",
    Kind.PATTAYA: "Pattaya",
}
# Members are listed with the people who act for the organization first.
ROLE_ORDER = [Role.APPROVER, Role.OVERSEER, Role.PLANNER, Role.ADMIN, Role.SERVICE, Role.VIEWER]

_LEADING_VOWEL = re.compile(r"([\u0e40-\u0e44])([\u0e01-\u0e2e])")


def thai_sort_key(text: str) -> str:
    """Dictionary order for Thai names: a leading vowel (เ แ โ ใ ไ) sorts after its consonant.

    Code-point order would file เชียงใหม่ under เ; a Thai dictionary files it under ช.
    """
    return _LEADING_VOWEL.sub(r"\2\1", text or "")


def kind_rank():
    """An SQL expression ranking organizations by KIND_ORDER."""
    return Case(
        *[When(kind=k, then=Value(i)) for i, k in enumerate(KIND_ORDER)],
        default=Value(len(KIND_ORDER)),
        output_field=IntegerField(),
    )


def _rank(kind: str) -> int:
    return KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)


def org_sort_key(org: Organization):
    return (_rank(org.kind), thai_sort_key(org.name_th))


# -- counts of local governments by area and type --------------------------------------------


@dataclass
class Column:
    kind: str
    short: str
    label: str


@dataclass
class CountRow:
    org: Organization
    url: str
    counts: list[int]
    total: int


@dataclass
class CountTable:
    columns: list[Column]
    rows: list[CountRow]
    totals: list[int] = field(default_factory=list)
    total: int = 0


def kind_columns(kinds) -> list[Column]:
    """Table columns for the given LGO kinds, in DLA order, with short headings in the UI language."""
    thai = (get_language() or "th").startswith("th")
    return [
        Column(k.value, KIND_ABBREV[k] if thai else ENGLISH_ABBREV[k], k.label)
        for k in LGO_KIND_ORDER
        if k in kinds
    ]


def kind_counts(qs) -> dict[str, int]:
    """{kind: number} over a queryset, in one aggregate query."""
    return {r["kind"]: r["n"] for r in qs.values("kind").annotate(n=Count("pk")).order_by()}


def active_lgos():
    """Local governments that exist today (the loader deactivates those DLA no longer lists)."""
    return Organization.objects.lgos().filter(is_active=True)


def lgo_counts_by(area_field: str, qs=None) -> dict[tuple[int, str], int]:
    """{(area id, kind): number of local governments}, in one aggregate query.

    `area_field` is "province_id" or "district_id" (the denormalised links of every organization).
    """
    qs = active_lgos() if qs is None else qs
    rows = qs.values(area_field, "kind").annotate(n=Count("pk")).order_by()
    return {(r[area_field], r["kind"]): r["n"] for r in rows}


def count_table(areas, counts: dict[tuple[int, str], int], url_for, kinds=None) -> CountTable:
    """One row per area with its number of local governments per type, and a totals row.

    Only the types that occur (or that the user filtered on) get a column.
    """
    areas = sorted(areas, key=lambda o: thai_sort_key(o.name_th))
    ids = {a.pk for a in areas}
    present = {k for (area, k), n in counts.items() if n and area in ids}
    columns = kind_columns(set(kinds) if kinds else present)
    rows = []
    for area in areas:
        row = [counts.get((area.pk, c.kind), 0) for c in columns]
        rows.append(CountRow(area, url_for(area), row, sum(row)))
    totals = [sum(r.counts[i] for r in rows) for i in range(len(columns))]
    return CountTable(columns, rows, totals, sum(totals))


# -- the browser ------------------------------------------------------------------------------


def _browse_url(kinds, **params) -> str:
    """A link inside the directory that keeps the type filter."""
    query = [(k, v) for k, v in params.items() if v] + [("kind", k) for k in kinds]
    url = reverse("orgs:browser")
    return f"{url}?{urlencode(query)}" if query else url


def _country(kinds) -> dict:
    # query: the provinces
    provinces = list(
        Organization.objects.filter(kind=Kind.PROVINCE, is_active=True).only("pk", "name_th", "name_en")
    )
    # query: local governments per province and type, one GROUP BY
    lgos = active_lgos()
    if kinds:
        lgos = lgos.filter(kind__in=kinds)
    counts = lgo_counts_by("province_id", lgos)
    table = count_table(provinces, counts, lambda p: _browse_url(kinds, province=p.pk), kinds)
    return {"level": "country", "table": table}


def _province(pk: int, kinds) -> dict:
    # query: the province
    province = get_object_or_404(Organization, pk=pk, kind=Kind.PROVINCE)
    # query: its districts
    districts = list(
        Organization.objects.filter(province_id=province.pk, kind=Kind.DISTRICT, is_active=True).only(
            "pk", "name_th", "name_en"
        )
    )
    # query: local governments per district and type, one GROUP BY
    lgos = active_lgos().filter(province_id=province.pk)
    if kinds:
        lgos = lgos.filter(kind__in=kinds)
    counts = lgo_counts_by("district_id", lgos)
    table = count_table(districts, counts, lambda d: _browse_url(kinds, district=d.pk), kinds)
    # query: the bodies that stand for the whole province (the provincial office, the อบจ.)
    provincial = [
        o
        for o in Organization.objects.filter(
            province_id=province.pk, district__isnull=True, is_active=True
        ).exclude(pk=province.pk)
        if not (kinds and o.kind in LGO_KINDS and o.kind not in kinds)
    ]
    return {
        "level": "province",
        "province": province,
        "table": table,
        "provincial": sorted(provincial, key=org_sort_key),
        "provincial_lgos": any(o.is_lgo for o in provincial),
    }


def _district(pk: int, kinds) -> dict:
    # query: the district with its province (for the breadcrumb)
    district = get_object_or_404(Organization.objects.select_related("province"), pk=pk, kind=Kind.DISTRICT)
    # query: its local governments
    lgos = active_lgos().filter(district_id=district.pk)
    if kinds:
        lgos = lgos.filter(kind__in=kinds)
    orgs = sorted(lgos, key=org_sort_key)
    return {
        "level": "district",
        "district": district,
        "province": district.province,
        "orgs": orgs,
        "province_url": _browse_url(kinds, province=district.province_id),
    }


def _search(q: str, kinds) -> dict:
    # People type DLA codes in Thai digits as often as in Arabic ones.
    text = to_arabic_digits(q) if to_arabic_digits(q).isdigit() else q
    qs = Organization.objects.search(text)
    if text.isdigit():
        # a code the organization had before an upgrade (อบต. → เทศบาลตำบล) still finds it
        qs = qs | Organization.objects.filter(
            pk__in=DlaCode.objects.filter(code=text).values("organization_id")
        )
    qs = qs.filter(is_active=True)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    # query: the matches with their province and district, best-ranked first, one more than shown
    found = list(
        qs.select_related("province", "district").order_by(kind_rank(), "name_th")[: SEARCH_LIMIT + 1]
    )
    more = len(found) > SEARCH_LIMIT
    return {
        "level": "search",
        "orgs": sorted(found[:SEARCH_LIMIT], key=org_sort_key),
        "more": more,
        "limit": SEARCH_LIMIT,
    }


@require_safe
def browser(request):
    """The directory: provinces → districts → local governments, with a search across the country.

    A fixed number of queries at every level, however many organizations there are. An htmx
    request (the search box as the user types) gets only the results.
    """
    form = BrowserForm(request.GET)
    v = form.values()
    kinds = v["kinds"]
    if v["q"]:
        ctx = _search(v["q"], kinds)
    elif v["district"]:
        ctx = _district(v["district"], kinds)
    elif v["province"]:
        ctx = _province(v["province"], kinds)
    else:
        ctx = _country(kinds)
    ctx.update(
        form=form,
        q=v["q"],
        kinds=kinds,
        kind_choices=[(k.value, k.label) for k in LGO_KIND_ORDER],
        # where the search box and the type filter return to when the search is cleared
        here_province=v["province"] if not v["district"] else None,
        here_district=v["district"],
        country_url=_browse_url(kinds),
        filtered=bool(kinds),
    )
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    ctx["partial"] = partial
    response = render(request, "orgs/_results.html" if partial else "orgs/browser.html", ctx)
    patch_vary_headers(response, ["HX-Request"])
    return response


# -- organization pages -----------------------------------------------------------------------


@dataclass
class MemberRow:
    user: object
    roles: list[Role]
    position: str


def member_rows(org: Organization) -> tuple[list[MemberRow], list[Membership]]:
    """The organization's active members, one row per person (a person may hold several roles)."""
    memberships = list(
        Membership.objects.filter(organization=org, user__is_active=True).select_related("user")
    )
    by_user: dict[int, MemberRow] = {}
    best: dict[int, int] = {}
    for m in sorted(memberships, key=lambda m: ROLE_ORDER.index(m.role)):
        row = by_user.setdefault(m.user_id, MemberRow(m.user, [], ""))
        row.roles.append(Role(m.role))
        row.position = row.position or m.position
        best.setdefault(m.user_id, ROLE_ORDER.index(m.role))
    rows = sorted(by_user.values(), key=lambda r: (best[r.user.pk], thai_sort_key(str(r.user))))
    return rows, memberships


def _children(org: Organization) -> list[Organization]:
    if org.is_lgo or org.kind == Kind.OPDC:
        return []
    return sorted(Organization.objects.filter(parent=org).only("pk", "kind", "name_th"), key=org_sort_key)


def browse_url_for(org: Organization) -> str | None:
    """Where the directory shows what lies below `org`."""
    if org.kind == Kind.DISTRICT:
        return _browse_url([], district=org.pk)
    if org.kind in (Kind.PROVINCE, Kind.PROVINCIAL_OFFICE) and org.province_id:
        return _browse_url([], province=org.province_id)
    if org.kind == Kind.DLA:
        return _browse_url([])
    return None


@require_safe
def detail(request, pk):
    """An organization's public facts; its members too, for the users who may see them."""
    # query: the organization
    org = get_object_or_404(Organization, pk=pk)
    # query: its province, district and parent
    ancestors = org.ancestors()
    # query: the organizations directly below it (provinces, districts and DLA only)
    children = _children(org)
    # query: earlier DLA codes (after an อบต. became a เทศบาลตำบล)
    old_codes = (
        list(org.dla_codes.exclude(code=org.dla_code or "").values_list("code", flat=True))
        if org.is_lgo
        else []
    )
    members, memberships = [], []
    # query: may the user see the members? (plus their memberships, once per request)
    show_members = Organization.objects.visible_to(request.user).filter(pk=org.pk).exists()
    if show_members:
        members, memberships = member_rows(org)
        if memberships:
            log_access(request, "member_contacts", organization=org, objects=memberships)
    return render(
        request,
        "orgs/detail.html",
        {
            "org": org,
            "ancestors": ancestors,
            "children": children,
            "old_codes": old_codes,
            "browse_url": browse_url_for(org),
            "show_members": show_members,
            "members": members,
            "can_manage": show_members and access.can_manage_members(request.user, org),
            "osm_url": _osm_url(org),
        },
    )


@require_safe
def members(request, pk):
    """The members of an organization with their contact details: 404 to users outside it."""
    org = access.get_visible_org(request.user, pk)
    rows, memberships = member_rows(org)
    if memberships:
        log_access(request, "member_contacts", organization=org, objects=memberships)
    return render(
        request,
        "orgs/members.html",
        {
            "org": org,
            "ancestors": org.ancestors(),
            "members": rows,
            "can_manage": access.can_manage_members(request.user, org),
        },
    )


def _osm_url(org: Organization) -> str | None:
    if org.latitude is None or org.longitude is None:
        return None
    lat, lon = org.latitude, org.longitude
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=15/{lat}/{lon}"
