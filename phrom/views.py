"""Site-wide pages: the home page per role and the health check."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views import i18n as i18n_views
from django.views.decorators.http import require_POST, require_safe

from accounts.actions import update_profile
from orgs import access
from orgs.models import (
    LGO_KINDS,
    NATIONAL_KINDS,
    PROVINCIAL_KINDS,
    ROLE_HELP,
    Kind,
    Membership,
    Organization,
    Role,
)
from orgs.views import (
    KIND_ORDER,
    active_lgos,
    browse_url_for,
    count_table,
    kind_columns,
    kind_counts,
    lgo_counts_by,
    org_sort_key,
)


@login_not_required
@require_POST
def set_language(request):
    """Django's language switch, which also saves the choice in a signed-in user's profile."""
    response = i18n_views.set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        update_profile(request.user, language=language, request=request)
    return response


@login_not_required
def healthz(request):
    """Load balancers poll this: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def _lgo_summary(counts: dict[str, int]) -> dict:
    """Local governments by type, in DLA order, with their total."""
    columns = kind_columns({k for k, n in counts.items() if k in LGO_KINDS and n})
    return {
        "kinds": [(c, counts[c.kind]) for c in columns],
        "total": sum(n for k, n in counts.items() if k in LGO_KINDS),
    }


def _oversight(org: Organization, ancestors: list[Organization]) -> dict:
    """What an overseer of `org` sees below it: local governments by type, by district."""
    lgos = active_lgos().filter(org.subtree_q())
    # A provincial office oversees its province: name the province, not the office.
    area = next((a for a in ancestors if a.kind == Kind.PROVINCE), org)
    ctx = {"scope": _lgo_summary(kind_counts(lgos)), "scope_name": area.name_th}
    if org.kind in PROVINCIAL_KINDS:
        districts = Organization.objects.filter(
            province_id=org.province_id, kind=Kind.DISTRICT, is_active=True
        )
        table = count_table(districts, lgo_counts_by("district_id", lgos), lambda d: browse_url_for(d))
        ctx["district_table"] = table
        # the อบจ. (and any other province-wide local government) lies in no district
        ctx["outside_districts"] = ctx["scope"]["total"] - table.total
    elif org.kind == Kind.DISTRICT:
        ctx["district_lgos"] = sorted(lgos, key=org_sort_key)
    return ctx


def _national_counts() -> dict:
    """Every organization in Phrom by type (one aggregate query), for the site admin."""
    counts = kind_counts(Organization.objects.filter(is_active=True))
    return {
        "provinces": counts.get(Kind.PROVINCE, 0),
        "districts": counts.get(Kind.DISTRICT, 0),
        **_lgo_summary(counts),
    }


def _unread_directives(org: Organization) -> int:
    """Issued directives addressed to the organization that nobody there has opened yet."""
    from directives.models import DirectiveStatus, Recipient

    return Recipient.objects.filter(
        org=org, acknowledged_at__isnull=True, directive__status=DirectiveStatus.ISSUED
    ).count()


@require_safe
def home(request):
    """The signed-in user's starting page, built around their most powerful membership."""
    user = request.user
    memberships = access.memberships(user)
    membership = access.primary_membership(user)
    ctx = {"membership": membership, "memberships": memberships, "kind_order": KIND_ORDER}
    if user.is_superuser:
        ctx["national"] = _national_counts()
    if membership is not None:
        org = membership.organization
        roles = sorted(access.roles_in(user, org), key=[r.value for r in Role].index)
        ctx.update(
            org=org,
            ancestors=org.ancestors(),
            roles=[(Role(r).label, ROLE_HELP[r]) for r in roles],
            member_count=Membership.objects.filter(organization=org, user__is_active=True)
            .values("user")
            .distinct()
            .count(),
            can_manage=access.can_manage_members(user, org),
            browse_url=browse_url_for(org),
            other_memberships=[m for m in memberships if m.organization_id != org.pk],
            is_national=org.kind in NATIONAL_KINDS,
        )
        ctx["is_overseer"] = membership.role == Role.OVERSEER
        ctx["unread_directives"] = _unread_directives(org)
        if membership.role == Role.OVERSEER:
            ctx.update(_oversight(org, ctx["ancestors"]))
    return render(request, "home.html", ctx)
