"""The public e-service catalogue and office finder (no token needed: auth=None on every route).

Only what the public pages show: active local governments, their published services (the citizen's
manual), forms' download links, active crisis notices, and the finder. Never requests, unpublished
services or anything about staff.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from eservices import geo
from eservices.actions import active_notices
from eservices.geo_models import Subdistrict
from eservices.models import Channel, Service
from orgs.models import LGO_KINDS, Organization

router = Router(tags=["catalogue"], auth=None)


class OfficeOut(Schema):
    id: int
    kind: str
    kind_label: str
    name_th: str
    name_en: str
    short_name_th: str
    address: str
    postal_code: str
    phone: str
    email: str
    website: str
    page_url: str = Field(description="The organization's public page.")

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_page_url(obj) -> str:
        return reverse("citizen:org", args=[obj.pk])


class ChannelOut(Schema):
    key: str
    label: str
    detail: str


class StepOut(Schema):
    text: str
    minutes: int | None = None
    unit: str = ""


class DocumentOut(Schema):
    name: str
    original: bool | None = None
    copies: int | None = None
    note: str = ""


class FormOut(Schema):
    title: str
    size: int
    download_url: str


class ServiceSummaryOut(Schema):
    slug: str
    name: str
    summary: str
    processing_days: int | None
    processing_minutes: int | None
    available_online: bool
    accepts_requests: bool
    page_url: str
    apply_url: str | None


class ServiceOut(ServiceSummaryOut):
    unit: str
    legal_basis: str
    eligibility: str
    hours: str
    steps: list[StepOut]
    documents: list[DocumentOut]
    fees: str
    complaints: str
    channels: list[ChannelOut]
    forms: list[FormOut]


class NoticeOut(Schema):
    title: str
    text: str
    channels: list[str]
    starts_at: str
    ends_at: str | None


class CatalogueOut(Schema):
    organization: OfficeOut
    notices: list[NoticeOut]
    services: list[ServiceSummaryOut]


class CandidateOut(Schema):
    organization: OfficeOut
    source: str = Field(description="namesake, municipality or confirmed: how the link is known.")


class SubdistrictOut(Schema):
    code: str
    name_th: str
    name_en: str
    postal_code: str
    district: str
    province: str
    situation: str = Field(description="one, several, municipality or unknown (see the finder page).")
    candidates: list[CandidateOut]
    municipalities: list[OfficeOut] = Field(description="Other municipalities of the district.")
    provincial: OfficeOut | None = Field(description="The provincial administrative organization.")


class FinderOut(Schema):
    query: str
    subdistricts: list[SubdistrictOut]
    organizations: list[OfficeOut]


def _org(org_id: int) -> Organization:
    return get_object_or_404(Organization, pk=org_id, kind__in=LGO_KINDS, is_active=True)


def _summary(s: Service) -> dict:
    return {
        "slug": s.slug,
        "name": s.name,
        "summary": s.summary,
        "processing_days": s.processing_days,
        "processing_minutes": s.processing_minutes,
        "available_online": s.available_online,
        "accepts_requests": s.accepts_requests,
        "page_url": reverse("citizen:service", args=[s.org_id, s.slug]),
        "apply_url": reverse("citizen:apply", args=[s.org_id, s.slug]) if s.accepts_requests else None,
    }


def _int_or_none(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _original(value):
    if isinstance(value, bool):
        return value
    return {"original": True, "copy": False}.get(str(value))


@router.get(
    "/organizations/{int:org_id}", response=CatalogueOut, summary="A local government's public catalogue"
)
def catalogue(request, org_id: int):
    org = _org(org_id)
    services = Service.objects.published().filter(org=org).order_by("order", "name", "pk")
    return {
        "organization": org,
        "notices": [
            {
                "title": n.title,
                "text": n.text,
                "channels": [str(c) for c in (n.channels or [])],
                "starts_at": n.starts_at.isoformat(),
                "ends_at": n.ends_at.isoformat() if n.ends_at else None,
            }
            for n in active_notices(org)
        ],
        "services": [_summary(s) for s in services],
    }


@router.get(
    "/organizations/{int:org_id}/services/{slug}",
    response=ServiceOut,
    summary="One published service in full",
)
def service(request, org_id: int, slug: str):
    org = _org(org_id)
    s = get_object_or_404(Service.objects.published().prefetch_related("forms"), org=org, slug=slug)
    details = s.channel_details or {}
    channels = []
    for key in s.channels or []:
        try:
            channels.append(
                {"key": key, "label": str(Channel(key).label), "detail": str(details.get(key, ""))}
            )
        except ValueError:
            continue
    return {
        **_summary(s),
        "unit": s.unit,
        "legal_basis": s.legal_basis,
        "eligibility": s.eligibility,
        "hours": s.hours,
        "steps": [
            {
                "text": str(x.get("text", "")),
                "minutes": _int_or_none(x.get("minutes")),
                "unit": str(x.get("unit", "")),
            }
            for x in (s.steps or [])
            if isinstance(x, dict)
        ],
        "documents": [
            {
                "name": str(d.get("name", "")),
                "original": _original(d.get("original")),
                "copies": _int_or_none(d.get("copies")),
                "note": str(d.get("note", "")),
            }
            for d in (s.documents or [])
            if isinstance(d, dict)
        ],
        "fees": s.fees,
        "complaints": s.complaints,
        "channels": channels,
        "forms": [
            {
                "title": f.title,
                "size": f.size,
                "download_url": reverse("citizen:form_download", args=[org.pk, s.slug, f.pk]),
            }
            for f in s.forms.all()
        ],
    }


class FinderQuery(Schema):
    q: str = Field("", max_length=100, description="A place name: subdistrict, district or local government.")
    subdistrict: str = Field("", max_length=6, description="A 6-digit subdistrict geocode.")


def _subdistrict_out(s: Subdistrict) -> dict:
    answer = geo.who_serves(s)
    return {
        "code": s.code,
        "name_th": s.name_th,
        "name_en": s.name_en,
        "postal_code": s.postal_code,
        "district": s.district.name_th,
        "province": s.district.province.name_th if s.district.province_id else "",
        "situation": answer.situation,
        "candidates": [{"organization": c.org, "source": c.source} for c in answer.candidates],
        "municipalities": answer.municipalities,
        "provincial": answer.pao,
    }


@router.get("/finder", response=FinderOut, summary="Which local government serves a place")
def finder(request, filters: Query[FinderQuery]):
    subs: list[Subdistrict] = []
    orgs: list[Organization] = []
    query = ""
    if filters.subdistrict:
        if not filters.subdistrict.isascii() or not filters.subdistrict.isdigit():
            return {"query": "", "subdistricts": [], "organizations": []}  # not a geocode (nor a NUL for SQL)
        found = Subdistrict.objects.select_related("district", "district__province").filter(
            code=filters.subdistrict
        )
        subs = list(found[:1])
    elif filters.q.strip():
        result = geo.search_places(filters.q, limit=10)
        query, subs, orgs = result.query, result.subdistricts, result.lgos
    return {"query": query, "subdistricts": [_subdistrict_out(s) for s in subs], "organizations": orgs}
