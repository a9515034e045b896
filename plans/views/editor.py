"""The plan editor: an organization's plans, starting a plan, the plan overview and the section editor.

Tables are edited in place with htmx: a row is read-only until its edit button swaps in a form;
saving swaps the row back. Every write goes through plans.actions (locking, audit). Every form
posts the version it started from; when someone else saved in between, the answer shows both
texts (theirs, saved; yours, still in the form) and saves nothing. Forms also save themselves as
the user types (autosave): the answer then only updates the form's version and its "saved at"
status out of band, so nothing the user is typing is replaced.

Access: plans are found through Plan.objects.visible_to(user) (404 for outsiders); writes need
orgs.access.can_plan (403 for read-only members); writes on a plan that is not a draft get 409.
"""

from __future__ import annotations

import functools
import json
import re
import secrets
from collections import Counter
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from audit.log import log_access
from orgs import access
from phrom.lib.thai import format_phone, thai_date
from plans import actions
from plans.bundle import load_bundle
from plans.forms import PlanForm, PlanTextForm
from plans.models import (
    CallTreeNode,
    Contact,
    Plan,
    PlanText,
    Process,
    ResourceType,
    Scenario,
    Status,
    TeamRole,
    TextSection,
    Unit,
)
from plans.sections import SECTIONS, Section, Table, get_section

# -- optional pieces of the other engineers (the editor works before they land) -----------------


def _optional(module: str, name: str):
    import importlib

    try:
        return getattr(importlib.import_module(module), name)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        return None


def run_checks(bundle):
    fn = _optional("plans.checks", "run_checks")
    result = fn(bundle) if fn else None
    _optional("directives.scoring", "note_score")(bundle.plan, result)  # Plan.score for dashboards
    return result


# -- access ------------------------------------------------------------------------------------


def get_plan(request, pk, *, write: bool = False) -> Plan:
    """404 if the plan is missing or outside the user's organizations; 403 if read-only."""
    plan = get_object_or_404(Plan.objects.visible_to(request.user).select_related("org"), pk=pk)
    if write and not access.can_plan(request.user, plan.org):
        raise PermissionDenied
    return plan


def _section_or_404(key: str) -> Section:
    section = get_section(key)
    if section is None:
        raise Http404
    return section


def _table_or_404(section: Section, key: str) -> Table:
    table = section.table(key)
    if table is None:
        raise Http404
    return table


# -- read-only cells ---------------------------------------------------------------------------


@dataclass
class Cell:
    name: str
    label: str
    html: str
    css: str = ""


@dataclass
class Lookups:
    """Rows that other rows point at, by id, so that displaying a table costs no query per row."""

    contacts: dict
    scenarios: dict
    team_roles: dict
    processes: dict
    nodes: dict

    @classmethod
    def from_bundle(cls, bundle):
        return cls(
            contacts={c.pk: c for c in bundle.contacts},
            scenarios={s.pk: s for s in bundle.scenarios},
            team_roles={r.pk: r for r in bundle.team_roles},
            processes={p.pk: p for p in bundle.processes},
            nodes={n.pk: n for n in bundle.call_tree},
        )

    @classmethod
    def for_table(cls, plan, table: Table):
        """Only what the table's columns need (one query per model it points at)."""
        model = table.model

        def load(m, when):
            return {o.pk: o for o in m.objects.filter(plan=plan)} if when else {}

        return cls(
            contacts=load(Contact, model in (TeamRole, CallTreeNode)),
            scenarios=load(Scenario, "scenario" in table.columns),
            team_roles=load(TeamRole, "responsible" in table.columns),
            processes=load(Process, "process" in table.columns),
            nodes=load(CallTreeNode, model is CallTreeNode),
        )


EMPTY = mark_safe('<span class="meta">—</span>')  # noqa: S308


def _person(contact, *, phone=True) -> str:
    if contact is None:
        return format_html('<span class="badge badge-danger">{}</span>', _("nobody yet"))
    html = format_html('<span class="person-name" lang="th">{}</span>', contact.name)
    if contact.position:
        html += format_html('<br><span class="meta">{}</span>', contact.position)
    if phone and contact.phone:
        html += format_html('<br><a href="tel:{}">{}</a>', contact.phone, format_phone(contact.phone))
    return html


def cell_html(table: Table, row, name: str, look: Lookups) -> tuple[str, str]:
    """(HTML, CSS class) of one read-only cell."""
    if name == "impacts":
        return "", ""
    field = row._meta.get_field(name)
    value = getattr(row, field.attname)
    if field.is_relation:
        target = {
            Contact: look.contacts, Scenario: look.scenarios, TeamRole: look.team_roles,
            Process: look.processes, CallTreeNode: look.nodes,
        }.get(field.related_model, {})  # fmt: skip
        obj = target.get(value) if value else None
        if field.related_model is Contact:
            return _person(obj, phone=table.model is TeamRole), ""
        if field.related_model is CallTreeNode:
            return (format_html("{}", look.contacts.get(obj.contact_id, "")) if obj else EMPTY), ""
        if name == "scenario" and obj is None:
            return format_html('<span class="meta">{}</span>', _("every scenario")), ""
        return (format_html("{}", obj) if obj else EMPTY), ""
    if field.choices:
        return (format_html("{}", getattr(row, f"get_{name}_display")()) if value else EMPTY), ""
    if isinstance(value, bool):
        text = _("yes") if value else _("no")
        return format_html('<span class="badge {}">{}</span>', "badge-ok" if value else "", text), ""
    if value is None or value == "":
        return EMPTY, "num" if name.startswith("q_") else ""
    if name in ("phone", "phone2"):
        return format_html('<a href="tel:{}">{}</a>', value, format_phone(value)), "nowrap"
    if name.startswith("q_") or name in ("order", "likelihood", "severity"):
        return format_html("{}", value), "num"
    if hasattr(value, "isoformat"):
        return format_html("{}", thai_date(value, digits="arabic")), "nowrap"
    if name in ("text", "description", "duties", "notes", "changes", "response"):
        return mark_safe(linebreaks(value, autoescape=True)), "prose"  # noqa: S308 (escaped by linebreaks)
    return format_html("{}", value), ""


def column_label(table: Table, name: str) -> str:
    return str(table.model._meta.get_field(name).verbose_name)


def cells(table: Table, section: str, row, look: Lookups) -> list[Cell]:
    if table.kind == "impact":
        out = [Cell("name", _("Scenario"), format_html("<strong>{}</strong>", row.name))]
        for rt in ResourceType:
            cell = (row.impacts or {}).get(rt.value, {})
            if cell.get("hit"):
                html = format_html(
                    '<span class="impact-hit" aria-label="{}">✓</span> {}', _("hit"), cell.get("note", "")
                )
            else:
                html = format_html('<span class="meta" aria-label="{}">—</span>', _("not hit"))
            out.append(Cell(rt.value, rt.label, html, "impact-cell"))
        return out
    return [Cell(n, column_label(table, n), *cell_html(table, row, n, look)) for n in table.columns]


# -- what the templates get ---------------------------------------------------------------------


ROW_URL_NAMES = {
    "row": "plans:row",
    "edit": "plans:row_edit",
    "delete": "plans:row_delete",
    "move": "plans:row_move",
}


@functools.lru_cache(maxsize=1024)
def _url_patterns(plan_pk: int, section_key: str, table_key: str) -> tuple[str, dict[str, tuple[str, str]]]:
    """The "new row" URL and, per action, the row URL split around its row id.

    A table of 200 rows would otherwise cost 800 calls of reverse() per page.
    """
    base = {"pk": plan_pk, "section": section_key, "table": table_key}
    marker = 987654321
    split = {}
    for key, name in ROW_URL_NAMES.items():
        head, tail = reverse(name, kwargs={**base, "row_id": marker}).split(str(marker))
        split[key] = (head, tail)
    return reverse("plans:row_new", kwargs=base), split


def _urls(plan, section, table, row=None) -> dict:
    new, split = _url_patterns(plan.pk, section.key, table.key)
    urls = {"new": new}
    if row is not None and row.pk:
        urls.update({key: f"{head}{row.pk}{tail}" for key, (head, tail) in split.items()})
    return urls


def _row_ctx(plan, section, table, row, look, *, editable, first=False, last=False) -> dict:
    return {
        "table_id": f"tbl-{section.key}-{table.key}",
        "row": row,
        "anchor": f"{section.key}-{table.model_name}-{row.pk}",
        "cells": cells(table, section.key, row, look),
        "urls": _urls(plan, section, table, row),
        "editable": editable,
        "first": first,
        "last": last,
    }


def _table_ctx(plan, section, table, rows, look, *, editable) -> dict:
    n = len(rows)
    items = [
        _row_ctx(plan, section, table, r, look, editable=editable, first=i == 0, last=i == n - 1)
        for i, r in enumerate(rows)
    ]
    if table.kind == "impact":
        headers = [_("Scenario"), *[rt.label for rt in ResourceType]]
    else:
        headers = [column_label(table, c) for c in table.columns]
    return {
        "table": table,
        "table_id": f"tbl-{section.key}-{table.key}",
        "items": items,
        "headers": headers,
        "ncols": len(headers) + (1 if editable else 0),
        "urls": _urls(plan, section, table),
        "editable": editable,
    }


@dataclass
class TreeNode:
    node: CallTreeNode
    contact: Contact | None
    backup: Contact | None
    children: list
    anchor: str
    urls: dict


def build_tree(plan, section, table, nodes, contacts) -> list[TreeNode]:
    """The call tree as nested TreeNodes, roots first, each level by calling order."""
    by_id = {
        n.pk: TreeNode(
            n,
            contacts.get(n.contact_id),
            contacts.get(n.backup_id),
            [],
            f"{section.key}-{table.model_name}-{n.pk}",
            _urls(plan, section, table, n),
        )  # fmt: skip
        for n in nodes
    }
    roots = []
    for n in nodes:  # nodes come in (order, id) order, so children do too
        parent = by_id.get(n.parent_id)
        (parent.children if parent else roots).append(by_id[n.pk])
    return roots


def _tree_ctx(plan, section, table, nodes, contacts, *, editable) -> dict:
    return {
        "table": table,
        "table_id": f"tbl-{section.key}-{table.key}",
        "roots": build_tree(plan, section, table, nodes, contacts),
        "urls": _urls(plan, section, table),
        "editable": editable,
        "count": len(nodes),
    }


def _units(plan) -> list[str]:
    return list(Unit.objects.filter(org_id=plan.org_id).values_list("name_th", flat=True))


def _draft_scope(request, plan) -> str:
    return f"plan:{plan.pk}:user:{request.user.pk}"


# -- pages --------------------------------------------------------------------------------------

STATUS_BADGE = {
    Status.DRAFT: "badge-warn",
    Status.IN_REVIEW: "badge-role",
    Status.APPROVED: "badge-ok",
    Status.SUPERSEDED: "",
}


@require_safe
def org_plans(request, org_pk):
    """An organization's plans: every version with its status and readiness score."""
    org = access.get_visible_org(request.user, org_pk)
    plans = list(Plan.objects.filter(org=org).order_by("-revision"))
    for p in plans:
        p.badge = STATUS_BADGE.get(p.status, "")
        p.result = run_checks(load_bundle(p)) if p.status in (Status.DRAFT, Status.IN_REVIEW) else None
    return render(
        request,
        "plans/org_plans.html",
        {
            "org": org,
            "plans": plans,
            "can_plan": access.can_plan(request.user, org),
            "has_draft": any(p.status == Status.DRAFT for p in plans),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def plan_new(request, org_pk):
    """GET: how to start a plan (from the template, from the last approved version, from a file).

    POST choice=template|revision: start the draft and open its overview.
    """
    org = access.get_visible_org(request.user, org_pk)
    if not access.can_plan(request.user, org):
        raise PermissionDenied
    if request.method == "POST":
        return _start(request, org)
    return render(request, "plans/new.html", _new_ctx(org))


def _new_ctx(org) -> dict:
    plans = list(Plan.objects.filter(org=org).order_by("-revision"))
    return {
        "org": org,
        "approved": next((p for p in plans if p.status == Status.APPROVED), None),
        "drafts": [p for p in plans if p.status == Status.DRAFT],
        "has_template": _optional("plans.templates_lib", "start_from_template") is not None,
        "has_revision": _optional("plans.portability", "start_revision") is not None,
    }


def _start(request, org):
    choice = request.POST.get("choice")
    if choice == "template":
        start = _optional("plans.templates_lib", "start_from_template")
        if start:
            plan = start(org, by=request.user, request=request)
        else:  # the template library has not landed: an empty plan
            plan = actions.create_plan(org, by=request.user, request=request)
    elif choice == "revision":
        start = _optional("plans.portability", "start_revision")
        previous = Plan.objects.filter(org=org, status=Status.APPROVED).first()
        if start is None or previous is None:
            messages.error(request, _("There is no approved plan to start from."))
            return redirect("plans:new", org_pk=org.pk)
        plan = start(previous, by=request.user)
    else:
        messages.error(request, _("Choose how to start the plan."))
        return redirect("plans:new", org_pk=org.pk)
    messages.success(request, _("The draft plan is ready. Work through the sections below."))
    return redirect("plans:detail", pk=plan.pk)


def _issue_summary(result) -> tuple[dict, dict]:
    if result is None:
        return {}, {}
    errors = Counter(i.section for i in result.issues if i.severity == "error")
    warnings = Counter(i.section for i in result.issues if i.severity != "error")
    return dict(errors), dict(warnings)


def _nav(plan, current, errors, warnings) -> list[dict]:
    return [
        {
            "key": s.key,
            "title": s.title,
            "url": reverse("plans:section", kwargs={"pk": plan.pk, "section": s.key}),
            "current": s.key == current,
            "errors": errors.get(s.key, 0),
            "warnings": warnings.get(s.key, 0),
        }
        for s in SECTIONS
    ]


def _explain(result) -> list:
    """The rules that cost points (plans.checks.Cost: points, title, severity, issues)."""
    if result is None or not hasattr(result, "explain"):
        return []
    return list(result.explain())


@require_safe
def plan_detail(request, pk):
    """The plan at a glance: status, readiness score, what is missing, and what to do next."""
    plan = get_plan(request, pk)
    bundle = load_bundle(plan)
    result = run_checks(bundle)
    errors, warnings = _issue_summary(result)
    issues = []
    if result is not None:
        for i in sorted(result.issues, key=lambda i: (i.severity != "error", _section_index(i.section))):
            url = (
                reverse("plans:section", kwargs={"pk": plan.pk, "section": i.section})
                if get_section(i.section)
                else reverse("plans:detail", kwargs={"pk": plan.pk})
            )
            issues.append({"issue": i, "url": f"{url}#{i.anchor}" if i.anchor else url})
    section_scores = getattr(result, "section_scores", {}) if result else {}
    sections = [{**n, "score": section_scores.get(n["key"])} for n in _nav(plan, None, errors, warnings)]
    can_plan = access.can_plan(request.user, plan.org)
    return render(
        request,
        "plans/detail.html",
        {
            "plan": plan,
            "org": plan.org,
            "badge": STATUS_BADGE.get(plan.status, ""),
            "result": result,
            "explain": _explain(result),
            "issues": issues,
            "sections": sections,
            "can_plan": can_plan,
            "can_approve": access.can_approve(request.user, plan.org),
            "editable": plan.is_editable and can_plan,
            "counts": {
                "contacts": len(bundle.contacts),
                "processes": len(bundle.processes),
                "scenarios": len([s for s in bundle.scenarios if s.in_scope]),
                "steps": len(bundle.procedure_steps),
            },
        },
    )


def _section_index(key):
    return next((i for i, s in enumerate(SECTIONS) if s.key == key), len(SECTIONS))


@require_safe
def section_edit(request, pk, section):
    """One section of the plan: its tables (edited in place), the plan's fields or notes.

    A fixed number of queries whatever the size of the plan: the plan, the user's memberships,
    the whole plan in one query per table (plans.bundle), the organization's units and, on pages
    showing phone numbers, one access-log row.
    """
    plan = get_plan(request, pk)
    sec = _section_or_404(section)
    bundle = load_bundle(plan)
    result = run_checks(bundle)
    errors, warnings = _issue_summary(result)
    can_plan = access.can_plan(request.user, plan.org)
    editable = plan.is_editable and can_plan
    look = Lookups.from_bundle(bundle)
    tables = []
    for t in sec.tables:
        rows = t.rows(bundle)
        if t.kind == "tree":
            tables.append(_tree_ctx(plan, sec, t, rows, look.contacts, editable=editable))
        else:
            tables.append(_table_ctx(plan, sec, t, rows, look, editable=editable))
    if sec.personal and bundle.contacts:
        log_access(request, "plan_contacts", organization=plan.org, objects=bundle.contacts)
    texts = {t.key: t for t in bundle.texts}
    text_forms = [_text_ctx(request, plan, sec, key, texts.get(key), editable=editable) for key in sec.texts]
    plan_form = None
    if sec.plan_form:
        form = PlanForm(instance=plan, auto_id=f"general-plan-{plan.pk}-%s")
        plan_form = _plan_form_ctx(request, plan, form, editable=editable)
    nav = _nav(plan, sec.key, errors, warnings)
    here = next(i for i, n in enumerate(nav) if n["current"])
    section_issues = []
    if result is not None:
        section_issues = [i for i in result.issues if i.section == sec.key]
    return render(
        request,
        "plans/editor/section.html",
        {
            "plan": plan,
            "org": plan.org,
            "section": sec,
            "nav": nav,
            "prev_section": nav[here - 1] if here > 0 else None,
            "next_section": nav[here + 1] if here + 1 < len(nav) else None,
            "tables": tables,
            "text_forms": text_forms,
            "plan_form": plan_form,
            "editable": editable,
            "can_plan": can_plan,
            "badge": STATUS_BADGE.get(plan.status, ""),
            "section_issues": section_issues,
            "draft_scope": _draft_scope(request, plan),
            "contacts_url": reverse("plans:section", kwargs={"pk": plan.pk, "section": "contacts"}),
            "scope_url": reverse("plans:section", kwargs={"pk": plan.pk, "section": "scope"}),
            "no_contacts": not bundle.contacts,
        },
    )


# -- row endpoints ------------------------------------------------------------------------------


def _resolve(request, pk, section, table, *, write):
    plan = get_plan(request, pk, write=write)
    sec = _section_or_404(section)
    tbl = _table_or_404(sec, table)
    return plan, sec, tbl


def _get_row(plan, table, row_id):
    row = table.queryset(plan).filter(pk=row_id).first()
    if row is None:
        raise Http404
    return row


def _render_row(request, plan, sec, tbl, row, *, status=200):
    look = Lookups.for_table(plan, tbl)
    editable = plan.is_editable and access.can_plan(request.user, plan.org)
    if tbl.kind == "tree":
        return _render_tree(request, plan, sec, tbl, status=status, editable=editable)
    siblings = list(tbl.queryset(plan).order_by("order", "id").values_list("pk", flat=True))
    ctx = _row_ctx(
        plan, sec, tbl, row, look, editable=editable,
        first=bool(siblings) and siblings[0] == row.pk, last=bool(siblings) and siblings[-1] == row.pk,
    )  # fmt: skip
    ctx.update(table=tbl, section=sec, plan=plan)
    return render(request, "plans/editor/_row.html", ctx, status=status)


def _render_tree(request, plan, sec, tbl, *, status=200, editable=True):
    nodes = list(tbl.queryset(plan).order_by("order", "id"))
    contacts = {c.pk: c for c in Contact.objects.filter(plan=plan)}
    ctx = _tree_ctx(plan, sec, tbl, nodes, contacts, editable=editable)
    ctx.update(section=sec, plan=plan)
    response = render(request, "plans/editor/_tree.html", ctx, status=status)
    if request.htmx:
        response["HX-Retarget"] = f"#{ctx['table_id']}"
        response["HX-Reswap"] = "outerHTML"
    return response


def _render_table(request, plan, sec, tbl):
    if tbl.kind == "tree":
        return _render_tree(request, plan, sec, tbl)
    rows = list(tbl.queryset(plan).order_by("order", "id"))
    look = Lookups.for_table(plan, tbl)
    ctx = _table_ctx(plan, sec, tbl, rows, look, editable=plan.is_editable)
    ctx.update(section=sec, plan=plan)
    return render(request, "plans/editor/_table.html", ctx)


def _form(tbl, plan, data=None, *, row=None, anchor):
    kwargs = {"plan": plan, "auto_id": f"{anchor}-%s"}
    if tbl.form.__name__ == "ProcessForm":
        kwargs["units"] = _units(plan)
    instance = row if row is not None else tbl.model(plan=plan, **tbl.group)
    return tbl.form(data, instance=instance, **kwargs)


def _form_ctx(request, plan, sec, tbl, form, *, row=None, anchor, problem=None, their=None, status_text=""):
    new = row is None
    urls = _urls(plan, sec, tbl, row)
    return {
        "plan": plan,
        "section": sec,
        "table": tbl,
        "form": form,
        "row": row,
        "new": new,
        "anchor": anchor,
        "urls": urls,
        "post_url": urls["new"] if new else urls["edit"],
        "cancel_url": None if new else urls["row"],
        "draft_key": f"{sec.key}:{tbl.key}:{'new' if new else row.pk}",
        "problem": problem,
        "their": their,
        "status_text": status_text,
        "ncols": len(tbl.columns) + 1 if tbl.kind != "impact" else 7,
    }


def _their_values(tbl, sec, current, form) -> list[dict]:
    """Side by side: what is saved now (someone else's) and what this user typed (not saved)."""
    if current is None:
        return []
    look = Lookups.for_table(current.plan, tbl)
    rows = []
    if tbl.kind == "impact":
        mine = form.cleaned_data if hasattr(form, "cleaned_data") else {}
        for rt in ResourceType:
            cell = (current.impacts or {}).get(rt.value, {})
            theirs = ("✓ " if cell.get("hit") else "— ") + cell.get("note", "")
            yours = ("✓ " if mine.get(rt.value) else "— ") + (mine.get(f"{rt.value}_note") or "")
            rows.append({"label": rt.label, "theirs": theirs, "yours": yours, "differs": theirs != yours})
        return rows
    for name in form.fields:
        if name == "version":
            continue
        field = current._meta.get_field(name)
        if field.many_to_many:
            continue
        theirs, _css = cell_html(tbl, current, name, look)
        bound = form[name]
        raw = key = form.data.get(bound.html_name, "")
        if hasattr(bound.field, "choices") and raw:
            raw = dict((str(k), v) for k, v in bound.field.choices).get(str(raw), raw)
        saved = getattr(current, field.attname)
        if isinstance(saved, bool):
            differs = saved != (key not in ("", None, "false", "off"))
        else:
            differs = str("" if saved is None else saved).strip() != str(key or "").strip()
        rows.append({"label": bound.label, "theirs": theirs, "yours": raw, "differs": differs})
    return sorted(rows, key=lambda r: not r["differs"])  # what differs first


def _saved_response(request, plan, anchor, version, *, key, post_url):
    now = timezone.localtime()
    # An explicit save re-arms autosave (after a conflict it was switched off). An autosave leaves the
    # live autosave element alone: replacing it would drop the saves htmx has queued on it (htmx does
    # not send requests for elements removed from the page), losing what was typed meanwhile.
    if request.POST.get("autosave") == "1":
        post_url = None
    html = render_to_string(
        "plans/editor/_saved.html",
        {"anchor": anchor, "version": version, "time": date_format(now, "H:i"), "post_url": post_url},
        request=request,
    )
    response = HttpResponse(html)
    response["HX-Trigger"] = json.dumps({"phrom:saved": {"key": key}})
    return response


@require_safe
def row_view(request, pk, section, table, row_id):
    """One row, read-only (the Cancel button of an edit form)."""
    plan, sec, tbl = _resolve(request, pk, section, table, write=False)
    row = _get_row(plan, tbl, row_id)
    return _render_row(request, plan, sec, tbl, row)


def _locked(request, plan, sec, tbl, form, *, row, anchor):
    problem = str(actions.PlanLocked(plan))
    return _problem_response(
        request, plan, sec, tbl, form, row=row, anchor=anchor, problem=problem, status=409
    )


def _problem_response(
    request, plan, sec, tbl, form, *, row, anchor, problem, their=None, status=409, kind=""
):
    """The form stays as the user left it; a panel says what happened (and shows both texts).

    To htmx the panel goes into the form's problem slot and the version and autosave are updated
    out of band, so nothing the user is typing is replaced. Without htmx: the whole form.
    """
    ctx = _form_ctx(request, plan, sec, tbl, form, row=row, anchor=anchor, problem=problem, their=their)
    ctx["problem_kind"] = kind
    ctx["version"] = form["version"].value() if kind == "conflict" else None
    if request.htmx:
        ctx["oob"] = True
        response = render(request, "plans/editor/_problem.html", ctx, status=status)
        response["HX-Retarget"] = f"#{anchor}-problem"
        response["HX-Reswap"] = "innerHTML"
        return response
    return render(request, "plans/editor/_row_form.html", ctx, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def row_edit(request, pk, section, table, row_id):
    """GET: the row's edit form. POST: save it (autosave=1: keep the form open, just say "saved")."""
    plan, sec, tbl = _resolve(request, pk, section, table, write=True)
    anchor = f"{sec.key}-{tbl.model_name}-{row_id}"
    if request.method != "POST":
        row = _get_row(plan, tbl, row_id)
        if not plan.is_editable:  # a page opened before the plan was sent for approval
            return _message_response(request, str(actions.PlanLocked(plan)), status=409)
        form = _form(tbl, plan, row=row, anchor=anchor)
        return render(
            request,
            "plans/editor/_row_form.html",
            _form_ctx(request, plan, sec, tbl, form, row=row, anchor=anchor),
        )
    autosave = request.POST.get("autosave") == "1"
    row = tbl.queryset(plan).filter(pk=row_id).first()
    if row is None:  # someone deleted it while this user was editing
        form = _form(tbl, plan, request.POST, anchor=anchor)
        form.is_valid()
        return _problem_response(
            request, plan, sec, tbl, form, row=None, anchor=anchor, kind="deleted",
            problem=_("Someone else deleted this row while you were editing it. Your text is still here: "
                      "save it as a new row, or copy it."),
        )  # fmt: skip
    form = _form(tbl, plan, request.POST, row=row, anchor=anchor)
    if not plan.is_editable:
        return _locked(request, plan, sec, tbl, form, row=row, anchor=anchor)
    if not form.is_valid():
        if autosave:  # never replace what the user is typing: just say it is not saved yet
            return _not_saved_response(request, anchor)
        ctx = _form_ctx(request, plan, sec, tbl, form, row=row, anchor=anchor)
        return render(request, "plans/editor/_row_form.html", ctx, status=422)
    expected = form.cleaned_data.get("version") or 0
    try:
        row = actions.update_row(
            row,
            expected_version=expected,
            values=form.values(),
            m2m=form.m2m(),
            by=request.user,
            request=request,
        )
    except actions.RowConflict as exc:
        return _conflict(request, plan, sec, tbl, form, row, exc.current, anchor)
    except actions.PlanLocked:
        return _locked(request, plan, sec, tbl, form, row=row, anchor=anchor)
    key = f"{sec.key}:{tbl.key}:{row.pk}"
    if autosave:
        return _saved_response(
            request, plan, anchor, row.version, key=key, post_url=_urls(plan, sec, tbl, row)["edit"]
        )
    if not request.htmx:
        return redirect(reverse("plans:section", kwargs={"pk": plan.pk, "section": sec.key}) + f"#{anchor}")
    response = _render_row(request, plan, sec, tbl, row)
    response["HX-Trigger"] = json.dumps({"phrom:saved": {"key": key}})
    return response


def _not_saved_response(request, anchor):
    html = render_to_string("plans/editor/_saved.html", {"anchor": anchor, "invalid": True}, request=request)
    return HttpResponse(html)


def _conflict(request, plan, sec, tbl, form, row, current, anchor):
    if current is None:
        problem = _("Someone else deleted this row while you were editing it. Your text is still here: "
                    "save it as a new row, or copy it.")  # fmt: skip
        return _problem_response(
            request, plan, sec, tbl, form, row=None, anchor=anchor, problem=problem, kind="deleted"
        )
    # The form keeps the user's values but now carries the current version: saving again
    # replaces the other person's values with the user's — knowingly, after seeing both.
    their = _their_values(tbl, sec, current, form)  # before a form cleans (and so changes) `current`
    data = form.data.copy()
    data["version"] = str(current.version)
    form = _form(tbl, plan, data, row=current, anchor=anchor)
    form.is_valid()
    problem = _("Someone else saved this part while you were editing it. Both versions are below: "
                "theirs is saved; yours is still in the form and is not saved. Save again to replace "
                "theirs with yours, or copy what you need and cancel.")  # fmt: skip
    return _problem_response(
        request,
        plan,
        sec,
        tbl,
        form,
        row=current,
        anchor=anchor,
        problem=problem,
        their=their,
        kind="conflict",
    )


@require_http_methods(["GET", "HEAD", "POST"])
def row_new(request, pk, section, table):
    """GET: a blank form appended to the table. POST: add the row and show it read-only."""
    plan, sec, tbl = _resolve(request, pk, section, table, write=True)
    if not tbl.can_add:
        raise Http404
    anchor = request.POST.get("anchor") or f"{sec.key}-{tbl.model_name}-new{secrets.token_hex(3)}"
    if not re.fullmatch(r"[a-z][a-z0-9_-]{0,79}", anchor):  # it becomes an HTML id and a CSS selector
        anchor = f"{sec.key}-{tbl.model_name}-new"
    if request.method != "POST":
        if not plan.is_editable:
            return _message_response(request, str(actions.PlanLocked(plan)), status=409)
        form = _form(tbl, plan, anchor=anchor)
        return render(
            request, "plans/editor/_row_form.html", _form_ctx(request, plan, sec, tbl, form, anchor=anchor)
        )
    form = _form(tbl, plan, request.POST, anchor=anchor)
    if not plan.is_editable:
        return _locked(request, plan, sec, tbl, form, row=None, anchor=anchor)
    if not form.is_valid():
        ctx = _form_ctx(request, plan, sec, tbl, form, anchor=anchor)
        return render(request, "plans/editor/_row_form.html", ctx, status=422)
    values = {**form.values(), **tbl.group}
    order = values.pop("order", None)  # the call tree's calling order: add_row appends, then it is set
    try:
        with transaction.atomic():
            row = actions.add_row(
                plan, tbl.model, values=values, m2m=form.m2m(), by=request.user, request=request
            )
            if order is not None and order != row.order:
                row = actions.update_row(
                    row,
                    expected_version=row.version,
                    values={"order": order},
                    by=request.user,
                    request=request,
                )
    except actions.PlanLocked:
        return _locked(request, plan, sec, tbl, form, row=None, anchor=anchor)
    if not request.htmx:
        return redirect(
            reverse("plans:section", kwargs={"pk": plan.pk, "section": sec.key})
            + f"#{sec.key}-{tbl.model_name}-{row.pk}"
        )
    response = _render_row(request, plan, sec, tbl, row)
    key = f"{sec.key}:{tbl.key}:new"
    response["HX-Trigger"] = json.dumps({"phrom:saved": {"key": key}})
    return response


@require_POST
def row_delete(request, pk, section, table, row_id):
    """Delete a row (the button asks first). Refused if someone changed it since it was shown."""
    plan, sec, tbl = _resolve(request, pk, section, table, write=True)
    if not tbl.can_delete:
        raise Http404
    row = _get_row(plan, tbl, row_id)
    try:
        expected = int(request.POST.get("version", row.version))
    except ValueError:
        expected = row.version
    try:
        with transaction.atomic():
            if tbl.kind == "tree":  # the people this person calls move up to their caller
                for child in CallTreeNode.objects.filter(parent=row):
                    actions.update_row(
                        child, expected_version=child.version, values={"parent_id": row.parent_id},
                        by=request.user, request=request,
                    )  # fmt: skip
            actions.delete_row(row, expected_version=expected, by=request.user, request=request)
    except actions.PlanLocked as exc:
        return _message_response(request, str(exc), status=409)
    except actions.RowConflict:
        return _message_response(
            request,
            _("Someone else changed this row since you opened the page: look at it again before deleting."),
            status=409,
        )  # fmt: skip
    if not request.htmx:
        return redirect("plans:section", pk=plan.pk, section=sec.key)
    if tbl.kind == "tree":
        return _render_tree(request, plan, sec, tbl)
    return _render_table(request, plan, sec, tbl)


@require_POST
def row_move(request, pk, section, table, row_id):
    """Move a row up or down within its table (POST direction=up|down)."""
    plan, sec, tbl = _resolve(request, pk, section, table, write=True)
    if not tbl.can_move:
        raise Http404
    row = _get_row(plan, tbl, row_id)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        return _message_response(request, _("Say which way to move the row."), status=400)
    try:
        actions.move_row(row, up=direction == "up", by=request.user, request=request)
    except actions.PlanLocked as exc:
        return _message_response(request, str(exc), status=409)
    if not request.htmx:
        return redirect("plans:section", pk=plan.pk, section=sec.key)
    return _render_table(request, plan, sec, tbl)


def _message_response(request, text, *, status):
    """A refusal that changes nothing on the page: htmx shows it in the page's alert (plans.js)."""
    response = render(request, "plans/editor/_message.html", {"text": text}, status=status)
    if request.htmx:
        response["HX-Reswap"] = "none"
        response["HX-Trigger"] = json.dumps({"phrom:alert": {"text": text}})
    return response


# -- the plan's own fields and the notes ----------------------------------------------------------


def _plan_form_ctx(request, plan, form, *, editable, problem=None, their=None) -> dict:
    anchor = f"general-plan-{plan.pk}"
    return {
        "plan": plan,
        "form": form,
        "anchor": anchor,
        "editable": editable,
        "post_url": reverse("plans:plan_fields", kwargs={"pk": plan.pk}),
        "draft_key": "general:plan",
        "problem": problem,
        "their": their,
    }


@require_POST
def plan_fields(request, pk):
    """Save the plan's title, fiscal year and structured assumptions."""
    plan = get_plan(request, pk, write=True)
    form = PlanForm(request.POST, instance=plan, auto_id=f"general-plan-{plan.pk}-%s")
    autosave = request.POST.get("autosave") == "1"
    anchor = f"general-plan-{plan.pk}"
    key = "general:plan"

    def full(form):
        return "plans/editor/_plan_form.html", _plan_form_ctx(request, plan, form, editable=True)

    if not plan.is_editable:
        return _fields_problem(request, anchor, str(actions.PlanLocked(plan)), full=full(form))
    if not form.is_valid():
        if autosave:
            return _not_saved_response(request, anchor)
        response = render(request, *full(form), status=422)
        response["HX-Retarget"] = f"#{anchor}"
        response["HX-Reswap"] = "outerHTML"
        return response
    try:
        plan = actions.update_plan(
            plan, expected_version=form.cleaned_data.get("version") or 0, values=form.values(),
            by=request.user, request=request,
        )  # fmt: skip
    except actions.RowConflict as exc:
        current = exc.current
        data = form.data.copy()
        data["version"] = str(current.version)
        their = [
            {
                "label": form[n].label,
                "theirs": "—" if getattr(current, n) in (None, "") else getattr(current, n),
                "yours": form.data.get(n, ""),
                "differs": str(getattr(current, n) or "") != str(form.data.get(n, "") or ""),
            }
            for n in form._meta.fields
        ]
        form = PlanForm(data, instance=current, auto_id=f"general-plan-{plan.pk}-%s")
        problem = _("Someone else saved this part while you were editing it. Both versions are below: "
                    "theirs is saved; yours is still in the form and is not saved. Save again to replace "
                    "theirs with yours, or copy what you need and cancel.")  # fmt: skip
        return _fields_problem(
            request, anchor, problem, their=their, version=current.version, full=full(form)
        )
    except actions.PlanLocked as exc:
        return _fields_problem(request, anchor, str(exc), full=full(form))
    post_url = reverse("plans:plan_fields", kwargs={"pk": plan.pk})
    return _saved_response(request, plan, anchor, plan.version, key=key, post_url=post_url)


def _fields_problem(request, anchor, problem, *, full, their=None, version=None):
    """Like _problem_response, for the forms that stay open (the plan's fields, the notes).

    `full`: (template, context) of the whole form, for requests without htmx.
    """
    if request.htmx:
        ctx = {"anchor": anchor, "problem": problem, "their": their, "oob": True, "version": version}
        response = render(request, "plans/editor/_problem.html", ctx, status=409)
        response["HX-Retarget"] = f"#{anchor}-problem"
        response["HX-Reswap"] = "innerHTML"
        return response
    template, ctx = full
    ctx.update(problem=problem, their=their)
    return render(request, template, ctx, status=409)


def _text_ctx(request, plan, sec, key, text, *, editable, form=None) -> dict:
    anchor = f"{sec.key}-plantext-{key}"
    if form is None:
        form = PlanTextForm(instance=text or PlanText(plan=plan, key=key), plan=plan, auto_id=f"{anchor}-%s")
        if text is None:
            form.fields["version"].initial = ""
    return {
        "form": form,
        "anchor": anchor,
        "label": TextSection(key).label,
        "editable": editable,
        "post_url": reverse("plans:text", kwargs={"pk": plan.pk, "section": sec.key, "key": key}),
        "draft_key": f"{sec.key}:text:{key}",
        "text": text,
    }


@require_POST
def text_save(request, pk, section, key):
    """Save a free-text part (introduction, the notes under a table): created on first save."""
    plan = get_plan(request, pk, write=True)
    sec = _section_or_404(section)
    if key not in sec.texts:
        raise Http404
    anchor = f"{sec.key}-plantext-{key}"
    current = PlanText.objects.filter(plan=plan, key=key).first()
    form = PlanTextForm(
        request.POST, instance=current or PlanText(plan=plan, key=key), plan=plan, auto_id=f"{anchor}-%s"
    )
    draft = f"{sec.key}:text:{key}"
    full = (
        "plans/editor/_text_form.html",
        _text_ctx(request, plan, sec, key, current, editable=True, form=form),
    )
    if not plan.is_editable:
        return _fields_problem(request, anchor, str(actions.PlanLocked(plan)), full=full)
    if not form.is_valid():
        return _not_saved_response(request, anchor)
    expected = form.cleaned_data.get("version")
    text = form.cleaned_data["text"]
    try:
        if current is None and not expected:
            try:
                row = actions.add_row(
                    plan, PlanText, values={"key": key, "text": text}, by=request.user, request=request
                )
            except IntegrityError:  # someone created it at the same moment
                raise actions.RowConflict(PlanText.objects.filter(plan=plan, key=key).first()) from None
        elif current is None:
            raise actions.RowConflict(None)
        else:
            row = actions.update_row(
                current,
                expected_version=expected or 0,
                values={"text": text},
                by=request.user,
                request=request,
            )
    except actions.RowConflict as exc:
        now = exc.current
        their = [
            {
                "label": TextSection(key).label,
                "theirs": now.text if now else "—",
                "yours": text,
                "differs": True,
            }
        ]
        problem = _("Someone else saved this part while you were editing it. Both versions are below: "
                    "theirs is saved; yours is still in the form and is not saved. Save again to replace "
                    "theirs with yours, or copy what you need and cancel.")  # fmt: skip
        version = now.version if now else ""
        return _fields_problem(request, anchor, problem, their=their, version=version, full=full)
    except actions.PlanLocked as exc:
        return _fields_problem(request, anchor, str(exc), full=full)
    post_url = reverse("plans:text", kwargs={"pk": plan.pk, "section": sec.key, "key": key})
    return _saved_response(request, plan, anchor, row.version, key=draft, post_url=post_url)


urlpatterns = [
    path("org/<int:org_pk>/", org_plans, name="org_plans"),
    path("org/<int:org_pk>/new/", plan_new, name="new"),
    path("<int:pk>/", plan_detail, name="detail"),
    path("<int:pk>/edit/general/fields/", plan_fields, name="plan_fields"),
    path("<int:pk>/edit/<slug:section>/", section_edit, name="section"),
    path("<int:pk>/edit/<slug:section>/text/<slug:key>/", text_save, name="text"),
    path("<int:pk>/edit/<slug:section>/<slug:table>/rows/new/", row_new, name="row_new"),
    path("<int:pk>/edit/<slug:section>/<slug:table>/rows/<int:row_id>/", row_view, name="row"),
    path("<int:pk>/edit/<slug:section>/<slug:table>/rows/<int:row_id>/edit/", row_edit, name="row_edit"),
    path(
        "<int:pk>/edit/<slug:section>/<slug:table>/rows/<int:row_id>/delete/", row_delete, name="row_delete"
    ),
    path("<int:pk>/edit/<slug:section>/<slug:table>/rows/<int:row_id>/move/", row_move, name="row_move"),
]
