"""Site-wide pages: the home page per role and the health check."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render

from orgs import access


@login_not_required
def healthz(request):
    """Load balancers poll this: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def home(request):
    """The signed-in user's starting page, built around their most powerful membership."""
    membership = access.primary_membership(request.user)
    return render(
        request,
        "home.html",
        {"membership": membership, "memberships": access.memberships(request.user)},
    )
