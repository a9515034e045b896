"""Directive pages: inbox, compose, issue, relay, the directive with its chain, submissions, reviews.

Access, as everywhere in Phrom: a directive or submission outside the user's reach is 404 (looked
up through visible_to before anything else); a user who may see it but not act gets 403; the
state-changing endpoints accept POST only.
"""

from __future__ import annotations

import datetime as dt
import math

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from directives import actions
from directives.forms import (
    DirectiveForm,
    EnclosureFormSet,
    ReferenceFormSet,
    RelayForm,
    ReviewForm,
    SubmitForm,
    enclosures_of,
    references_of,
)
from directives.models import (
    Ask,
    Directive,
    DirectiveStatus,
    Enclosure,
    Recipient,
    Submission,
    SubmissionStatus,
)
from orgs import access
from orgs.models import NATIONAL_KINDS, Kind, Organization, Role

# -- lookups ---------------------------------------------------------------------------------


def visible_directive(request, pk) -> Directive:
    return get_object_or_404(
        Directive.objects.visible_to(request.user).select_related("issuer", "submit_to", "parent", "root"),
        pk=pk,
    )


def visible_submission(request, pk) -> Submission:
    return get_object_or_404(
        Submission.objects.visible_to(request.user).select_related(
            "org",
            "plan",
            "submitted_to",
            "directive",
            "directive__issuer",
            "root",
            "submitted_by",
            "reviewed_by",
        ),
        pk=pk,
    )


def issuer_side(user, directive: Directive) -> bool:
    """Members of the issuer and overseers above it: they follow who has opened the directive."""
    return access.restrict(Directive.objects.filter(pk=directive.pk), user, org_field="issuer").exists()


def my_org_ids(user) -> list[int]:
    return [m.organization_id for m in access.memberships(user)]


# -- display helpers -------------------------------------------------------------------------


def deadline_info(deadline: dt.datetime | None, now: dt.datetime | None = None) -> dict | None:
    """A countdown for lists: {'state': 'ok'|'soon'|'today'|'overdue', 'days': n}."""
    if deadline is None:
        return None
    now = now or timezone.now()
    today = timezone.localdate(now)
    day = timezone.localtime(deadline).date()
    days = (day - today).days
    if now > deadline:
        overdue = max(1, math.ceil((now - deadline).total_seconds() / 86400))
        return {"state": "overdue", "days": overdue}
    if days == 0:
        return {"state": "today", "days": 0}
    return {"state": "soon" if days <= 3 else "ok", "days": days}


def _refs(d: Directive) -> list[dict]:
    out = []
    for r in d.references or []:
        try:
            when = dt.date.fromisoformat(r.get("date") or "")
        except ValueError:
            when = None
        out.append({"description": r.get("description", ""), "number": r.get("number", ""), "date": when})
    return out


def _paragraphs(text: str) -> list[str]:
    import re

    return [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]


# -- inbox and issued --------------------------------------------------------------------------


@require_safe
def inbox(request):
    """Directives addressed to the user's own organizations: unread first, then newest."""
    org_ids = my_org_ids(request.user)
    rows = list(
        Recipient.objects.filter(org_id__in=org_ids, directive__status=DirectiveStatus.ISSUED)
        .select_related("directive", "directive__issuer", "org", "acknowledged_by")
        .order_by("-directive__date", "-directive__pk")
    )
    rows.sort(key=lambda r: r.acknowledged_at is not None)  # unread first (a stable sort keeps the dates)
    submitted = set(
        Submission.objects.filter(org_id__in=org_ids)
        .exclude(status=SubmissionStatus.SUPERSEDED)
        .values_list("root_id", "org_id")
    )
    now = timezone.now()
    items = [
        {
            "r": r,
            "d": r.directive,
            "deadline": deadline_info(r.directive.deadline, now),
            "submitted": (r.directive.root_id, r.org_id) in submitted,
        }
        for r in rows
    ]
    return render(
        request,
        "directives/inbox.html",
        {
            "items": items,
            "unread": sum(1 for r in rows if r.acknowledged_at is None),
            "tab": "inbox",
            "can_compose": bool(actions.issuer_choices(request.user)),
        },
    )


@require_safe
def issued(request):
    """Directives the user's organizations issued (drafts too), with how many have opened them."""
    org_ids = my_org_ids(request.user)
    directives = (
        Directive.objects.filter(issuer_id__in=org_ids)
        .select_related("issuer", "parent", "parent__issuer")
        .annotate(
            n_recipients=Count("recipients"),
            n_opened=Count("recipients", filter=Q(recipients__acknowledged_at__isnull=False)),
        )
        .order_by("status", "-date", "-pk")
    )
    now = timezone.now()
    items = [{"d": d, "deadline": deadline_info(d.deadline, now)} for d in directives]
    return render(
        request,
        "directives/issued.html",
        {"items": items, "tab": "issued", "can_compose": bool(actions.issuer_choices(request.user))},
    )


# -- compose, edit, issue ----------------------------------------------------------------------


def _submit_to_choices(issuer: Organization):
    ids = {issuer.pk}
    for i in (issuer.parent_id, issuer.province_id, issuer.district_id):
        if i:
            ids.add(i)
    return Organization.objects.filter(Q(kind__in=NATIONAL_KINDS) | Q(pk__in=ids)).order_by("kind", "name_th")


def _addressable(issuer: Organization):
    qs = actions.addressable(issuer)
    if issuer.kind in NATIONAL_KINDS:
        qs = qs.filter(kind__in=[Kind.OPDC, Kind.DLA, Kind.PROVINCE, Kind.PROVINCIAL_OFFICE])
    return qs.order_by("kind", "name_th")


def _directive_form(issuer, data=None, initial=None):
    return DirectiveForm(
        data,
        initial=initial,
        issuer=issuer,
        submit_to_choices=_submit_to_choices(issuer),
        addressable=_addressable(issuer),
        groups=actions.groups_for(issuer),
    )


def _initial_for(issuer: Organization) -> dict:
    from documents.letter_models import document_settings_for

    s = document_settings_for(issuer)
    opdc = Organization.objects.filter(kind=Kind.OPDC).first()
    return {
        "closing": "จึงเรียนมาเพื่อโปรดทราบและดำเนินการ",
        "ask": Ask.SUBMIT_PLAN,
        "submit_to": opdc,
        "copy_rules": ["province", "district"],
        "groups": [g.value for g in actions.groups_for(issuer)[:1]],
        "signer_name": s["signer_name"],
        "signer_position": "\n".join(s["signer_positions"]),
        "owning_unit": "\n".join(s["owning_unit"]),
        "contact": f"โทร. {s['phone']}" if s["phone"] else "",
    }


def _initial_from(d: Directive) -> dict:
    local = timezone.localtime(d.deadline) if d.deadline else None
    return {
        "urgency": d.urgency,
        "number": d.number,
        "date": d.date,
        "subject": d.subject,
        "salutation": d.salutation,
        "body": d.body,
        "closing": d.closing,
        "ask": d.ask,
        "deadline_date": local.date() if local else None,
        "deadline_time": local.time().replace(second=0, microsecond=0)
        if local and local.time() < dt.time(23, 59)
        else None,
        "submit_to": d.submit_to,
        "copy_rules": d.copy_rules,
        "groups": d.groups,
        "to": list(d.recipients.filter(role=Recipient.Role.TO, group="").values_list("org_id", flat=True)),
        "copies": list(d.recipients.filter(role=Recipient.Role.COPY).values_list("org_id", flat=True)),
        "signer_name": d.signer_name,
        "signer_position": d.signer_position,
        "owning_unit": d.owning_unit,
        "contact": d.contact,
    }


def _files_lost(enc_formset) -> bool:
    """True when the officer had chosen files: browsers drop them when a form comes back with errors."""
    return any(f.files for f in enc_formset.forms) or bool(enc_formset.files)


@require_http_methods(["GET", "HEAD", "POST"])
def new(request):
    """Compose a directive as one of the organizations the user may issue for."""
    choices = actions.issuer_choices(request.user)
    if not choices:
        raise PermissionDenied(_("Only overseers (district, province, DLA, OPDC) issue directives."))
    wanted = request.POST.get("issuer") or request.GET.get("issuer")
    issuer = next((o for o in choices if str(o.pk) == str(wanted)), None)
    if issuer is None and len(choices) == 1:
        issuer = choices[0]
    if issuer is None:
        return render(request, "directives/pick_issuer.html", {"choices": choices})
    if request.method == "POST":
        form = _directive_form(issuer, request.POST)
        refs = ReferenceFormSet(request.POST, prefix="ref")
        encs = EnclosureFormSet(request.POST, request.FILES, prefix="enc")
        if form.is_valid() and refs.is_valid() and encs.is_valid():
            values = form.model_values()
            values["references"] = references_of(refs)
            d = actions.create_directive(
                issuer=issuer,
                by=request.user,
                values=values,
                to=[o.pk for o in form.cleaned_data["to"]],
                copies=[o.pk for o in form.cleaned_data["copies"]],
                enclosures=enclosures_of(encs),
                request=request,
            )
            messages.success(request, _("The draft is saved. Check it, then issue it."))
            return redirect("directives:issue", pk=d.pk)
        return render(
            request,
            "directives/compose.html",
            {"form": form, "refs": refs, "encs": encs, "issuer": issuer, "files_lost": _files_lost(encs)},
            status=422 if request.method == "POST" else 200,
        )
    form = _directive_form(issuer, initial=_initial_for(issuer))
    return render(
        request,
        "directives/compose.html",
        {
            "form": form,
            "refs": ReferenceFormSet(prefix="ref"),
            "encs": EnclosureFormSet(prefix="enc"),
            "issuer": issuer,
        },
    )


def _draft_for_writer(request, pk) -> Directive:
    d = visible_directive(request, pk)
    if not actions.can_issue(request.user, d.issuer):
        raise PermissionDenied
    return d


@require_http_methods(["GET", "HEAD", "POST"])
def edit(request, pk):
    d = _draft_for_writer(request, pk)
    if d.status != DirectiveStatus.DRAFT:
        messages.info(request, _("This directive has been issued and can no longer be changed."))
        return redirect("directives:detail", pk=d.pk)
    existing = list(d.enclosures.all())
    if request.method == "POST":
        form = _directive_form(d.issuer, request.POST)
        refs = ReferenceFormSet(request.POST, prefix="ref")
        encs = EnclosureFormSet(request.POST, request.FILES, prefix="enc")
        if form.is_valid() and refs.is_valid() and encs.is_valid():
            values = form.model_values()
            values["references"] = references_of(refs)
            remove = [int(x) for x in request.POST.getlist("remove_enclosure") if x.isdigit()]
            try:
                actions.update_directive(
                    d,
                    by=request.user,
                    values=values,
                    to=[o.pk for o in form.cleaned_data["to"]],
                    copies=[o.pk for o in form.cleaned_data["copies"]],
                    enclosures=enclosures_of(encs),
                    remove=remove,
                    request=request,
                )
            except actions.DirectiveError as exc:
                messages.error(request, str(exc))
                return redirect("directives:detail", pk=d.pk)
            messages.success(request, _("The draft is saved."))
            return redirect("directives:issue", pk=d.pk)
        status = 422
    else:
        form = _directive_form(d.issuer, initial=_initial_from(d))
        refs = ReferenceFormSet(
            prefix="ref",
            initial=[
                {
                    "description": r.get("description", ""),
                    "number": r.get("number", ""),
                    "date": r.get("date") or None,
                }
                for r in d.references or []
            ],
        )
        encs = EnclosureFormSet(prefix="enc")
        status = 200
    return render(
        request,
        "directives/compose.html",
        {
            "form": form,
            "refs": refs,
            "encs": encs,
            "issuer": d.issuer,
            "directive": d,
            "existing": existing,
            "files_lost": request.method == "POST" and _files_lost(encs),
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def issue(request, pk):
    """GET: a summary of what issuing does (how many organizations receive it). POST: issue."""
    d = _draft_for_writer(request, pk)
    if d.status != DirectiveStatus.DRAFT:
        return redirect("directives:detail", pk=d.pk)
    planned = actions.planned_recipients(d)
    if request.method == "POST":
        try:
            actions.issue_directive(d, by=request.user, number=d.number, request=request)
        except actions.DirectiveError as exc:
            messages.error(request, str(exc))
        else:
            d.refresh_from_db()
            messages.success(
                request,
                _("Issued as %(number)s to %(n)s organizations.") % {"number": d.number, "n": len(planned)},
            )
            return redirect("directives:detail", pk=d.pk)
    kinds = {}
    roles = {"to": 0, "copy": 0}
    org_kinds = dict(Organization.objects.filter(pk__in=list(planned)).values_list("pk", "kind"))
    for org_id, (role, _g) in planned.items():
        roles[role] += 1
        label = Kind(org_kinds[org_id]).label if org_id in org_kinds else "?"
        kinds[label] = kinds.get(label, 0) + 1
    return render(
        request,
        "directives/issue.html",
        {
            "d": d,
            "total": len(planned),
            "roles": roles,
            "kinds": sorted(kinds.items()),
            "enclosures": list(d.enclosures.all()),
            "paragraphs": _paragraphs(d.body),
            "refs": _refs(d),
        },
    )


@require_POST
def delete(request, pk):
    d = _draft_for_writer(request, pk)
    try:
        actions.delete_draft(d, by=request.user, request=request)
    except actions.DirectiveError as exc:
        messages.error(request, str(exc))
        return redirect("directives:detail", pk=d.pk)
    messages.success(request, _("The draft was deleted."))
    return redirect("directives:issued")


# -- the directive -----------------------------------------------------------------------------


def _enclosures_in_chain(chain: list[Directive]) -> list[tuple[Directive, list[Enclosure]]]:
    found: dict[int, list[Enclosure]] = {}
    for e in Enclosure.objects.filter(directive__in=[c.pk for c in chain]):
        found.setdefault(e.directive_id, []).append(e)
    return [(c, found[c.pk]) for c in chain if c.pk in found]


@require_safe
def detail(request, pk):
    """The directive, the chain it belongs to, its enclosures; opening it acknowledges it."""
    d = visible_directive(request, pk)
    opened = actions.acknowledge(d, user=request.user)
    chain = actions.chain_of(d)
    visible_ids = set(
        Directive.objects.visible_to(request.user)
        .filter(pk__in=[c.pk for c in chain])
        .values_list("pk", flat=True)
    )
    mine = my_org_ids(request.user)
    my_rows = list(d.recipients.filter(org_id__in=mine).select_related("org", "acknowledged_by"))
    relays = []
    stats = None
    side = issuer_side(request.user, d)
    if side and d.status == DirectiveStatus.ISSUED:
        stats = d.recipients.aggregate(
            total=Count("pk"), opened=Count("pk", filter=Q(acknowledged_at__isnull=False))
        )
        relays = list(
            d.relays.filter(status=DirectiveStatus.ISSUED)
            .select_related("issuer")
            .annotate(n=Count("recipients"))
            .order_by("issuer__name_th")
        )
    relayed_by_me = (
        list(d.relays.filter(issuer_id__in=mine).select_related("issuer").order_by("pk"))
        if d.status == DirectiveStatus.ISSUED
        else []
    )
    submitters = actions.submitters(request.user, d)
    my_submissions = (
        list(
            Submission.objects.filter(root_id=d.root_id, org__in=submitters)
            .exclude(status=SubmissionStatus.SUPERSEDED)
            .select_related("org")
        )
        if submitters and d.root_id
        else []
    )
    return render(
        request,
        "directives/detail.html",
        {
            "d": d,
            "chain": chain,
            "visible_ids": visible_ids,
            "paragraphs": _paragraphs(d.body),
            "refs": _refs(d),
            "enclosures": list(d.enclosures.all()),
            "cover": _paragraphs(d.cover_note),
            "enclosure_groups": _enclosures_in_chain(chain),
            "my_rows": my_rows,
            "just_opened": opened,
            "stats": stats,
            "relays": relays,
            "relayed_by_me": relayed_by_me,
            "relay_issuers": [
                o
                for o in actions.relay_issuers(request.user, d)
                if o.pk not in {r.issuer_id for r in relayed_by_me}
            ],
            "submitters": submitters,
            "my_submissions": my_submissions,
            "can_write": d.status == DirectiveStatus.DRAFT and actions.can_issue(request.user, d.issuer),
            "issuer_side": side,
            "deadline": deadline_info(d.deadline),
            "letter_formats": letter_formats(),
        },
    )


def letter_formats() -> list[str]:
    formats = []
    try:
        from documents.letters import render_letter_pdf  # noqa: F401

        formats.append("pdf")
        import documents.docx.letter  # noqa: F401

        formats.append("docx")
    except ImportError:
        pass
    return formats


@require_safe
def recipients(request, pk):
    """Who has opened the directive (for its issuer and the overseers above it)."""
    d = visible_directive(request, pk)
    if not issuer_side(request.user, d):
        raise PermissionDenied
    rows = list(
        d.recipients.select_related("org", "org__district", "acknowledged_by").order_by(
            "acknowledged_at", "org__district__name_th", "org__name_th"
        )
    )
    show = request.GET.get("show")
    if show == "opened":
        rows = [r for r in rows if r.acknowledged_at]
    elif show == "unopened":
        rows = [r for r in rows if not r.acknowledged_at]
    total = d.recipients.count()
    opened = d.recipients.filter(acknowledged_at__isnull=False).count()
    return render(
        request,
        "directives/recipients.html",
        {"d": d, "rows": rows, "total": total, "opened": opened, "show": show or "all"},
    )


def _may_read_enclosure(user, enc: Enclosure) -> bool:
    """Who can see its directive, or a relay further down the chain, may read its enclosures."""
    d = enc.directive
    visible = Directive.objects.visible_to(user)
    if visible.filter(pk=d.pk).exists():
        return True
    if d.root_id is None:
        return False
    parents = dict(Directive.objects.filter(root_id=d.root_id).values_list("pk", "parent_id"))
    for pk in visible.filter(root_id=d.root_id).values_list("pk", flat=True):
        at = pk
        for _i in range(10):
            at = parents.get(at)
            if at is None:
                break
            if at == d.pk:
                return True
    return False


@require_safe
def enclosure(request, pk):
    enc = get_object_or_404(Enclosure.objects.select_related("directive"), pk=pk)
    if not _may_read_enclosure(request.user, enc) or not enc.file:
        raise Http404
    try:
        handle = enc.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=enc.content_type or "application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=request.GET.get("inline") != "1", filename=enc.original_name or "enclosure"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def letter(request, pk, fmt):
    """The directive as a printable หนังสือเวียน (PDF or DOCX)."""
    d = visible_directive(request, pk)
    if fmt not in letter_formats():
        raise Http404
    from directives.letter import render as render_letter

    data, content_type = render_letter(d, fmt)
    response = HttpResponse(data, content_type=content_type)
    name = f"หนังสือเวียน {d.number or _('draft')} {d.subject}"[:150].replace("/", "-") + f".{fmt}"
    response["Content-Disposition"] = content_disposition_header(as_attachment=fmt == "docx", filename=name)
    return response


# -- relay -------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def relay(request, pk):
    """Relay a received directive to the organizations below, prefilled: two clicks."""
    d = visible_directive(request, pk)
    issuers = actions.relay_issuers(request.user, d)
    if not issuers:
        raise PermissionDenied
    issuer_qs = Organization.objects.filter(pk__in=[o.pk for o in issuers]).order_by("name_th")
    wanted = request.POST.get("issuer") or request.GET.get("issuer")
    issuer = next((o for o in issuers if str(o.pk) == str(wanted)), issuers[0])
    candidates = actions.relay_candidates(d, issuer).order_by("kind", "name_th")
    all_below = (
        Organization.objects.within(issuer)
        .exclude(pk=issuer.pk)
        .filter(is_active=True)
        .order_by("kind", "name_th")
    )
    done = d.relays.filter(issuer=issuer, status=DirectiveStatus.ISSUED).first()
    if request.method == "POST":
        form = RelayForm(request.POST, issuers=issuer_qs, candidates=all_below)
        if done is not None:
            messages.info(request, _("%(org)s has relayed this directive already.") % {"org": issuer})
            return redirect("directives:detail", pk=done.pk)
        if form.is_valid():
            try:
                r = actions.relay_directive(
                    d,
                    issuer=form.cleaned_data["issuer"],
                    by=request.user,
                    date=form.cleaned_data["date"],
                    number=form.cleaned_data["number"],
                    cover_note=form.cleaned_data["cover_note"].strip(),
                    to=[o.pk for o in form.cleaned_data["to"]],
                    request=request,
                )
            except actions.AlreadyRelayed as exc:
                messages.info(request, str(exc))
                return redirect("directives:detail", pk=exc.relay.pk)
            except actions.DirectiveError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("Relayed as %(number)s to %(n)s organizations.")
                    % {"number": r.number, "n": r.recipients.count()},
                )
                return redirect("directives:detail", pk=r.pk)
        status = 422
    else:
        form = RelayForm(
            initial={"issuer": issuer, "to": list(candidates.values_list("pk", flat=True))},
            issuers=issuer_qs,
            candidates=all_below,
        )
        status = 200
    return render(
        request,
        "directives/relay.html",
        {"d": d, "form": form, "issuer": issuer, "n_candidates": candidates.count(), "done": done},
        status=status,
    )


# -- submissions -------------------------------------------------------------------------------


def plan_documents(plan) -> list[dict]:
    """The plan's documents (documents.registry): a download link for those generated, else a
    button that generates them."""
    try:
        from documents import registry
        from documents.models import GeneratedDocument
    except ImportError:
        return []
    ready = {}
    for doc in GeneratedDocument.objects.filter(plan=plan, state="ready").order_by("-finished_at"):
        ready.setdefault(doc.kind, doc)
    out = []
    for kind in registry.kinds():
        doc = ready.get(kind.key)
        out.append(
            {
                "label": kind.label,
                "key": kind.key,
                "download": reverse("documents:download", kwargs={"pk": doc.pk}) if doc else "",
                "request": reverse("documents:request", kwargs={"plan_pk": plan.pk, "kind": kind.key}),
            }
        )
    return out


@require_http_methods(["GET", "HEAD", "POST"])
def submit(request, pk):
    """Send the organization's approved plan in answer to the directive (idempotent)."""
    from plans.models import Plan
    from plans.models import Status as PlanStatus

    d = visible_directive(request, pk)
    orgs = actions.submitters(request.user, d)
    if not orgs:
        raise PermissionDenied
    org_qs = Organization.objects.filter(pk__in=[o.pk for o in orgs]).order_by("name_th")
    wanted = request.POST.get("org") or request.GET.get("org")
    org = next((o for o in orgs if str(o.pk) == str(wanted)), orgs[0])
    plan = Plan.objects.filter(org=org, status=PlanStatus.APPROVED).first()
    live = (
        Submission.objects.filter(root_id=d.root_id, org=org)
        .exclude(status=SubmissionStatus.SUPERSEDED)
        .first()
    )
    if request.method == "POST":
        form = SubmitForm(request.POST, orgs=org_qs)
        if form.is_valid():
            if plan is None:
                form.add_error(
                    None, _("%(org)s has no approved plan yet. Approve a plan first.") % {"org": org}
                )
            else:
                try:
                    sub, created = actions.submit_plan(
                        d,
                        plan,
                        by=request.user,
                        key=str(form.cleaned_data["idempotency_key"]),
                        note=form.cleaned_data["note"].strip(),
                        request=request,
                    )
                except actions.AlreadySubmitted as exc:
                    messages.error(request, str(exc))
                    return redirect("directives:submission", pk=exc.submission.pk)
                except actions.NotAllowed:
                    raise PermissionDenied from None
                except actions.DirectiveError as exc:
                    form.add_error(None, str(exc))
                else:
                    if created:
                        messages.success(request, _("The plan was sent. Keep the receipt number."))
                    return redirect("directives:submission", pk=sub.pk)
        status = 422
    else:
        form = SubmitForm(initial={"idempotency_key": actions.new_key(), "org": org}, orgs=org_qs)
        status = 200
    copies = Organization.objects.filter(
        pk__in=actions.copy_orgs(org, d.copy_rules, exclude=[d.submit_to_id, org.pk])
    ).order_by("kind")
    now = timezone.now()
    return render(
        request,
        "directives/submit.html",
        {
            "d": d,
            "form": form,
            "org": org,
            "plan": plan,
            "live": live,
            "copies": copies,
            "documents": plan_documents(plan) if plan else [],
            "would_be_late": not actions.is_on_time(now, d.deadline),
            "deadline": deadline_info(d.deadline, now),
            "draft": Plan.objects.filter(org=org)
            .exclude(status=PlanStatus.SUPERSEDED)
            .exclude(status=PlanStatus.APPROVED)
            .first(),
        },
        status=status,
    )


BOXES = ("sent", "received", "copies")


def submissions_in(user, box: str):
    """The user's own organizations' submissions: sent by, sent to, or copied to them."""
    org_ids = my_org_ids(user)
    qs = Submission.objects.select_related("org", "submitted_to", "directive", "plan", "root")
    if box == "received":
        return qs.filter(submitted_to_id__in=org_ids)
    if box == "copies":
        return qs.filter(copies__org_id__in=org_ids).distinct()
    return qs.filter(org_id__in=org_ids)


@require_safe
def submissions(request):
    box = request.GET.get("box")
    org_ids = my_org_ids(request.user)
    counts = {
        "sent": Submission.objects.filter(org_id__in=org_ids).count(),
        "received": Submission.objects.filter(submitted_to_id__in=org_ids).count(),
        "copies": Submission.objects.filter(copies__org_id__in=org_ids).distinct().count(),
    }
    if box not in BOXES:
        box = max(BOXES, key=lambda b: (counts[b] > 0, b == "sent"))
    status = request.GET.get("status")
    rows = submissions_in(request.user, box)
    if status in SubmissionStatus.values:
        rows = rows.filter(status=status)
    return render(
        request,
        "directives/submissions.html",
        {
            "rows": rows[:500],
            "box": box,
            "counts": counts,
            "status": status,
            "statuses": SubmissionStatus.choices,
        },
    )


@require_safe
def submission(request, pk):
    """A submission with its receipt, copies, history and, for the reviewer, the review form."""
    sub = visible_submission(request, pk)
    SubmissionCopyModel = sub.copies.model
    SubmissionCopyModel.objects.filter(
        submission=sub, org_id__in=my_org_ids(request.user), seen_at__isnull=True
    ).update(seen_at=timezone.now())
    can_review = actions.can_review(request.user, sub) and sub.status == SubmissionStatus.SUBMITTED
    can_resubmit = sub.status == SubmissionStatus.RETURNED and access.can_plan(request.user, sub.org)
    return render(
        request,
        "directives/submission.html",
        {
            "s": sub,
            "copies": list(sub.copies.select_related("org")),
            "history": actions.history(sub),
            "review_form": ReviewForm() if can_review else None,
            "can_resubmit": can_resubmit,
            "documents": plan_documents(sub.plan),
            "Role": Role,
        },
    )


@require_POST
def review(request, pk):
    sub = visible_submission(request, pk)
    if not actions.can_review(request.user, sub):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            actions.review_submission(
                sub,
                by=request.user,
                accept=form.cleaned_data["decision"] == "accept",
                comment=form.cleaned_data["comment"],
                request=request,
            )
        except actions.DirectiveError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("The plan was accepted.")
                if form.cleaned_data["decision"] == "accept"
                else _("The plan was returned with your comments."),
            )
        return redirect("directives:submission", pk=sub.pk)
    return render(
        request,
        "directives/submission.html",
        {
            "s": sub,
            "copies": list(sub.copies.select_related("org")),
            "history": actions.history(sub),
            "review_form": form,
            "documents": plan_documents(sub.plan),
        },
        status=422,
    )
