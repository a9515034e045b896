"""The text of the e-mails about directives: who gets them and what they say.

Bodies are Thai (official correspondence between Thai public bodies), rendered from
templates/directives/email/<kind>.txt (and an optional <kind>.html alternative); the subject comes
from <kind>_subject.txt. Links point at PHROM_PUBLIC_URL, the address recipients use.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from orgs.models import Membership, Role
from phrom.lib import thai

SUBJECT_MAX = 300


def public_url(path: str) -> str:
    base = getattr(settings, "PHROM_PUBLIC_URL", "") or getattr(settings, "SITE_URL", "")
    return f"{base.rstrip('/')}{path}"


def link(viewname: str, *args, fallback: str = "messages:list") -> str:
    """Absolute link to a page; the fallback page when the view does not exist (yet)."""
    try:
        return public_url(reverse(viewname, args=args))
    except NoReverseMatch:
        return public_url(reverse(fallback))


def when(value: dt.datetime | None) -> str:
    """'31 กรกฎาคม 2563 เวลา 16.30 น.' in Asia/Bangkok (Arabic digits: e-mail is read on phones)."""
    if value is None:
        return "-"
    local = timezone.localtime(value)
    return f"{thai.thai_date(local, digits='arabic')} เวลา {local:%H.%M} น."


def render(kind: str, context: dict) -> tuple[str, str, str]:
    """(subject, plain text, html or "") for a message kind, always in Thai."""
    ctx = {"site_name": "พร้อม (Phrom)", "outbox_url": link("messages:list"), **context}
    with translation.override("th"):
        subject = " ".join(render_to_string(f"directives/email/{kind}_subject.txt", ctx).split())
        body = render_to_string(f"directives/email/{kind}.txt", ctx).strip() + "\n"
        try:
            html = render_to_string(f"directives/email/{kind}.html", ctx)
        except TemplateDoesNotExist:
            html = ""
    return subject[:SUBJECT_MAX], body, html


def addresses(org_ids, roles, *, with_org_email: bool = True, orgs=None) -> dict[int, list[str]]:
    """E-mail addresses per organization: its own address and those of its members in `roles`.

    One query for the members (plus one for the organizations' own addresses unless `orgs`, the
    organizations already loaded, is given). Addresses are kept in a stable order, without repeats.
    """
    org_ids = list(org_ids)
    found: dict[int, list[str]] = defaultdict(list)
    if with_org_email:
        if orgs is None:
            from orgs.models import Organization

            orgs = Organization.objects.filter(pk__in=org_ids).only("pk", "email")
        for o in orgs:
            if o.email:
                found[o.pk].append(o.email.strip())
    rows = (
        Membership.objects.filter(organization_id__in=org_ids, role__in=list(roles), user__is_active=True)
        .exclude(user__email="")
        .order_by("organization_id", "role", "user_id")
        .values_list("organization_id", "user__email")
    )
    for org_id, email in rows:
        found[org_id].append(email.strip())
    return {k: list(dict.fromkeys(a for a in v if a)) for k, v in found.items()}


PLANNERS = (Role.PLANNER, Role.APPROVER)
OVERSEERS = (Role.OVERSEER,)
