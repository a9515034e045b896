"""Pages of the directive messages: what Phrom sent to whom about directives, and whether it arrived.

Scoped by `Message.objects.visible_to(user)`: a local government sees the messages to it; an
overseer sees those to the organizations below it and those about the directives it issued.
The detail page shows recipients' e-mail addresses, so each view of it is written to the access log.
"""

from __future__ import annotations

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from audit import log
from directives import tasks
from directives.models import Message, MessageKind, MessageState
from orgs import access

PER_PAGE = 50
BADGES = {
    MessageState.SENT: "badge-ok",
    MessageState.PENDING: "",
    MessageState.SENDING: "",
    MessageState.FAILED: "badge-warn",
    MessageState.GAVE_UP: "badge-danger",
}


def may_resend(user, message: Message) -> bool:
    """Overseers above the recipient organization, or of the organization that issued the directive."""
    if access.oversees(user, message.org):
        return True
    return message.directive_id is not None and access.oversees(user, message.directive.issuer)


def _visible(request):
    return Message.objects.visible_to(request.user).select_related("org", "directive", "directive__issuer")


def _choice(value: str | None, choices) -> str:
    return value if value in {c for c, _label in choices} else ""


@require_GET
def message_list(request):
    qs = _visible(request)
    state = _choice(request.GET.get("state"), MessageState.choices)
    kind = _choice(request.GET.get("kind"), MessageKind.choices)
    directive = request.GET.get("directive", "")
    directive = int(directive) if directive.isdigit() else None
    scoped = qs.filter(kind=kind) if kind else qs
    if directive:
        scoped = scoped.filter(directive_id=directive)
    counts = dict(scoped.order_by().values_list("state").annotate(n=Count("pk")))
    shown = scoped.filter(state=state) if state else scoped
    page = Paginator(shown.defer("body", "html", "to"), PER_PAGE).get_page(request.GET.get("page"))
    for m in page.object_list:
        m.badge = BADGES.get(m.state, "")
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "directives/messages/list.html",
        {
            "page": page,
            "items": page.object_list,
            "state": state,
            "kind": kind,
            "directive_id": directive,
            "states": [(v, label, counts.get(v, 0)) for v, label in MessageState.choices],
            "total": sum(counts.values()),
            "kinds": MessageKind.choices,
            "query": query.urlencode(),
            "reminder_days": ", ".join(str(d) for d in tasks.reminder_days()),
        },
    )


@require_GET
def message_detail(request, pk: int):
    m = get_object_or_404(_visible(request).select_related("submission"), pk=pk)
    if m.to:
        log.log_access(request, "directive message recipients", organization=m.org, objects=[m])
    m.badge = BADGES.get(m.state, "")
    return render(
        request,
        "directives/messages/detail.html",
        {"m": m, "can_resend": m.can_resend and may_resend(request.user, m), "no_address": not m.to},
    )


@require_POST
def message_resend(request, pk: int):
    m = get_object_or_404(_visible(request), pk=pk)
    if not may_resend(request.user, m):
        raise PermissionDenied(
            _("Only overseers of the organization or of the issuer can send a message again.")
        )
    if not m.can_resend:
        flash.info(request, _("This message is not in a failed state, so it was not sent again."))
        return redirect("messages:detail", pk=m.pk)
    before = {"state": m.state, "attempts": m.attempts, "last_error": m.last_error[:300]}
    m = tasks.resend(m)
    log.record(
        "directive_message.resend", actor=request.user, organization=m.org, obj=m,
        summary=f"{m.kind} {m.dedupe_key}", data=before, request=request,
    )  # fmt: skip
    if m.state == MessageState.SENT:
        flash.success(request, _("The message was sent again."))
    elif m.state == MessageState.GAVE_UP and not m.to:
        flash.error(
            request,
            _("There is no e-mail address yet: add one to the organization or its members, then try again."),
        )
    else:
        flash.success(request, _("The message is queued to be sent again. This page shows its state."))
    return redirect("messages:detail", pk=m.pk)
