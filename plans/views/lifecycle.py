"""Plan lifecycle pages: send for approval, return to draft, approve; compare versions; the epidemic review.

Access, as everywhere: a plan outside the user's organizations is 404 (looked up through
visible_to before anything else); a member without the needed role gets 403; the state-changing
endpoints accept POST only (405 otherwise).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from audit.log import log_access
from orgs import access
from plans import epidemic, lifecycle
from plans.actions import PlanLocked, RowConflict
from plans.diff import diff_plans
from plans.models import ChannelType, Plan, Status


def _visible_plan(request, pk) -> Plan:
    """The plan if the user may read it, else 404."""
    return get_object_or_404(Plan.objects.visible_to(request.user).select_related("org"), pk=pk)


def detail_url(plan: Plan) -> str:
    """The plan overview (plans:detail, the editor's page)."""
    return reverse("plans:detail", kwargs={"pk": plan.pk})


def _issue_links(issues) -> list[dict]:
    """The checker's issues with the editor link where each is fixed."""
    return [{"issue": i, "message": i.message, "url": i.url} for i in issues]


# -- submit, return, approve ----------------------------------------------------------------


@require_POST
def submit(request, pk):
    plan = _visible_plan(request, pk)
    if not access.can_plan(request.user, plan.org):
        raise PermissionDenied
    try:
        lifecycle.submit_for_review(plan, by=request.user, request=request)
    except lifecycle.LifecycleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The plan was sent for approval. It cannot be edited while it waits."))
    return redirect(detail_url(plan))


@require_POST
def return_to_draft(request, pk):
    plan = _visible_plan(request, pk)
    if not access.can_plan(request.user, plan.org):
        raise PermissionDenied
    comment = (request.POST.get("comment") or "").strip()[:2000]
    try:
        lifecycle.return_to_draft(plan, by=request.user, comment=comment, request=request)
    except lifecycle.LifecycleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The plan is a draft again and can be edited."))
    return redirect(detail_url(plan))


@require_http_methods(["GET", "HEAD", "POST"])
def approve(request, pk):
    """GET: what approving means, and the checker's blocking errors if any. POST: approve."""
    plan = _visible_plan(request, pk)
    if not access.can_approve(request.user, plan.org):
        raise PermissionDenied
    errors = []
    if request.method == "POST":
        try:
            lifecycle.approve(plan, by=request.user, request=request)
        except lifecycle.ApprovalRefused as exc:
            errors = exc.errors
            messages.error(request, str(exc))
        except lifecycle.LifecycleError as exc:
            messages.error(request, str(exc))
            return redirect(detail_url(plan))
        else:
            messages.success(
                request,
                _("The plan is approved. Its content is frozen with the fingerprint %(digest)s.")
                % {"digest": plan.digest[:16]},
            )
            return redirect(detail_url(plan))
    result = None
    if plan.status in (Status.DRAFT, Status.IN_REVIEW):
        from plans.bundle import load_bundle

        result = lifecycle.run_checks(load_bundle(plan))
        errors = errors or result.errors
    previous = Plan.objects.filter(org=plan.org, status=Status.APPROVED).exclude(pk=plan.pk).first()
    return render(
        request,
        "plans/lifecycle/approve.html",
        {
            "plan": plan,
            "result": result,
            "errors": _issue_links(errors),
            "warnings": _issue_links(result.warnings) if result else [],
            "previous": previous,
            "detail_url": detail_url(plan),
            "can_approve_now": plan.status in (Status.DRAFT, Status.IN_REVIEW) and not errors,
        },
    )


# -- comparing versions ---------------------------------------------------------------------


class PickForm(forms.Form):
    other = forms.TypedChoiceField(label=gettext_lazy("Compare with"), coerce=int)

    def __init__(self, *args, plans=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].choices = [(p.pk, _version_label(p)) for p in plans]


def _version_label(plan: Plan) -> str:
    return _("Revision %(n)s — %(status)s, fiscal year %(year)s") % {
        "n": plan.revision,
        "status": plan.get_status_display(),
        "year": plan.fiscal_year,
    }


@require_safe
def diff_pick(request, pk):
    """Pick another version of the same organization's plan to compare with."""
    plan = _visible_plan(request, pk)
    others = list(
        Plan.objects.visible_to(request.user).filter(org=plan.org).exclude(pk=plan.pk).order_by("-revision")
    )
    form = PickForm(request.GET or None, plans=others)
    if form.is_bound and form.is_valid():
        return redirect("plans:diff", pk=plan.pk, other_pk=form.cleaned_data["other"])
    return render(request, "plans/lifecycle/diff_pick.html", {"plan": plan, "form": form, "others": others})


@require_safe
def diff(request, pk, other_pk):
    plan = _visible_plan(request, pk)
    other = _visible_plan(request, other_pk)
    if other.org_id != plan.org_id:
        raise Http404
    old, new = sorted([plan, other], key=lambda p: (p.revision, p.pk))
    result = diff_plans(old, new)
    if any(s.key == "contacts" and s.changed for s in result.sections):
        log_access(request, "plan.diff.contacts", organization=plan.org, objects=[old, new])
    return render(
        request,
        "plans/lifecycle/diff.html",
        {"plan": plan, "old": old, "new": new, "diff": result, "detail_url": detail_url(plan)},
    )


# -- the prolonged-epidemic review ----------------------------------------------------------

YES_NO = [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]


class EpidemicStepForm(forms.Form):
    """One screen of the review, built from its Topic."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, plan: Plan, topic: epidemic.Topic, processes=(), offered=(), **kwargs):
        review = plan.epidemic_review or {}
        initial = {"version": plan.version}
        super().__init__(*args, initial=initial, **kwargs)
        self.topic = topic
        self.processes = list(processes)
        for name in topic.plan_fields:
            model_field = Plan._meta.get_field(name)
            limit = 100 if name == "absence_percent" else 3650
            self.fields[name] = forms.IntegerField(
                label=model_field.verbose_name, help_text=model_field.help_text, required=False,
                min_value=0, max_value=limit, initial=getattr(plan, name),
            )  # fmt: skip
        for q in topic.questions:
            value = review.get(q.key)
            if q.kind == epidemic.BOOL:
                self.fields[q.key] = forms.ChoiceField(
                    label=q.label, choices=YES_NO, required=False, widget=forms.RadioSelect,
                    initial={True: "yes", False: "no"}.get(value, ""),
                )  # fmt: skip
            elif q.kind == epidemic.MULTI:
                self.fields[q.key] = forms.MultipleChoiceField(
                    label=q.label, required=False, widget=forms.CheckboxSelectMultiple,
                    choices=[(c.value, c.label) for c in q.choices], initial=value or [],
                )  # fmt: skip
            else:
                self.fields[q.key] = forms.CharField(
                    label=q.label, required=False, max_length=2000, initial=value or "",
                    widget=forms.Textarea(attrs={"rows": 3}),
                )  # fmt: skip
        for p in self.processes:
            self.fields[f"channel_type_{p.pk}"] = forms.ChoiceField(
                label=_("Alternative channel"), required=False, initial=p.channel_type,
                choices=[("", "—"), *ChannelType.choices],
            )  # fmt: skip
            self.fields[f"channel_detail_{p.pk}"] = forms.CharField(
                label=_("Channel address or details"),
                required=False,
                max_length=300,
                initial=p.channel_detail,
            )
            self.fields[f"process_version_{p.pk}"] = forms.IntegerField(
                widget=forms.HiddenInput, initial=p.version
            )
        if offered:
            self.fields["add"] = forms.TypedMultipleChoiceField(
                label=_("Add these to the plan"), required=False, coerce=int,
                widget=forms.CheckboxSelectMultiple, choices=[(i, s.values["text"]) for i, s in offered],
            )  # fmt: skip

    def answer_fields(self):
        return [self[q.key] for q in self.topic.questions]

    def plan_field_rows(self):
        return [self[name] for name in self.topic.plan_fields]

    def process_rows(self):
        return [
            (p, self[f"channel_type_{p.pk}"], self[f"channel_detail_{p.pk}"], self[f"process_version_{p.pk}"])
            for p in self.processes
        ]

    def answers(self) -> dict:
        out = {}
        for q in self.topic.questions:
            value = self.cleaned_data.get(q.key)
            if q.kind == epidemic.BOOL:
                value = {"yes": True, "no": False}.get(value)
            elif q.kind == epidemic.TEXT:
                value = (value or "").strip()
            out[q.key] = value
        return out

    def plan_values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.topic.plan_fields}

    def channel_changes(self) -> list[epidemic.ChannelChange]:
        return [
            epidemic.ChannelChange(
                process=p,
                expected_version=self.cleaned_data[f"process_version_{p.pk}"],
                channel_type=self.cleaned_data.get(f"channel_type_{p.pk}") or "",
                channel_detail=(self.cleaned_data.get(f"channel_detail_{p.pk}") or "").strip(),
            )
            for p in self.processes
        ]


def _step_url(plan: Plan, step: int) -> str:
    return f"{reverse('plans:epidemic', kwargs={'pk': plan.pk})}?step={step}"


def _step_of(value) -> int:
    try:
        return min(max(int(value), 1), len(epidemic.EPIDEMIC_TOPICS))
    except (TypeError, ValueError):
        return 1


@require_http_methods(["GET", "HEAD", "POST"])
def epidemic_review(request, pk):
    """The guided review, one topic a screen (?step=n). Readers see it read-only."""
    plan = _visible_plan(request, pk)
    may_edit = access.can_plan(request.user, plan.org)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied
    step = _step_of(request.POST.get("step") if request.method == "POST" else request.GET.get("step"))
    topic = epidemic.topic_at(step)
    editable = may_edit and plan.is_editable

    def build(data=None):
        return EpidemicStepForm(
            data, plan=plan, topic=topic,
            processes=epidemic.public_service_processes(plan) if topic.channels else (),
            offered=epidemic.open_suggestions(plan, topic) if topic.suggestions else (),
        )  # fmt: skip

    form = build(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not plan.is_editable:
            messages.error(request, str(PlanLocked(plan)))
            return redirect(_step_url(plan, step))
        go = request.POST.get("go", "next")
        if form.is_valid():
            try:
                with transaction.atomic():
                    result = epidemic.save_step(
                        plan, topic, by=request.user, request=request,
                        expected_version=form.cleaned_data["version"], answers=form.answers(),
                        plan_values=form.plan_values(), channels=form.channel_changes(),
                        add=form.cleaned_data.get("add") or [],
                    )  # fmt: skip
                    if topic.summary and go == "finish":
                        epidemic.finish_review(
                            result.plan,
                            by=request.user,
                            expected_version=result.plan.version,
                            request=request,
                        )
            except RowConflict:
                # Keep what the user typed; take the versions now saved, so saving again is a decision.
                plan.refresh_from_db()
                data = request.POST.copy()
                data["version"] = plan.version
                for p in epidemic.public_service_processes(plan) if topic.channels else ():
                    data[f"process_version_{p.pk}"] = p.version
                form = build(data)
                form.is_valid()
                messages.error(
                    request,
                    _(
                        "Someone else saved this plan while you were answering, and nothing was saved. "
                        "Your answers are still on the screen: check them and save again."
                    ),
                )
                return _render_step(request, plan, topic, step, form, editable, may_edit, status=409)
            except PlanLocked as exc:
                messages.error(request, str(exc))
                return redirect(_step_url(plan, step))
            if result.added:
                messages.success(request, _("%(n)d row(s) added to the plan.") % {"n": len(result.added)})
            if topic.summary and go == "finish":
                messages.success(request, _("The prolonged-epidemic review is done."))
                return redirect(detail_url(plan))
            target = step - 1 if go == "back" else step if go == "save" else step + 1
            return redirect(_step_url(plan, _step_of(target)))
    else:
        for field in form.fields.values():
            field.disabled = not editable
    return _render_step(request, plan, topic, step, form, editable, may_edit,
                        status=400 if request.method == "POST" else 200)  # fmt: skip


def _render_step(request, plan, topic, step, form, editable, may_edit, *, status):
    total = len(epidemic.EPIDEMIC_TOPICS)
    context = {
        "plan": plan,
        "topic": topic,
        "step": step,
        "total": total,
        "topics": [(i, t) for i, t in enumerate(epidemic.EPIDEMIC_TOPICS, start=1)],
        "form": form,
        "editable": editable,
        "may_edit": may_edit,
        "detail_url": detail_url(plan),
        "long_term_steps": epidemic.long_term_steps(plan) if topic.key == "horizon" else None,
        "answered": epidemic.answered(plan) if topic.summary else None,
        "prev_url": _step_url(plan, step - 1) if step > 1 else "",
        "next_url": _step_url(plan, step + 1) if step < total else "",
    }
    return render(request, "plans/lifecycle/epidemic.html", context, status=status)


urlpatterns = [
    path("<int:pk>/submit/", submit, name="submit"),
    path("<int:pk>/return/", return_to_draft, name="return"),
    path("<int:pk>/approve/", approve, name="approve"),
    path("<int:pk>/diff/", diff_pick, name="diff_pick"),
    path("<int:pk>/diff/<int:other_pk>/", diff, name="diff"),
    path("<int:pk>/epidemic/", epidemic_review, name="epidemic"),
]
