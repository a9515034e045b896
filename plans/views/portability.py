"""Plan files: download a plan as JSON, and start a draft from an uploaded plan file.

The file format is plans.portability's (docs/plan-format.md). The download holds staff phones,
so every download is written to the access log. An upload is checked completely before anything
is saved; every problem is listed on the form with its place in the file.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from audit.log import log_access
from orgs import access
from plans import portability
from plans.models import Plan

MAX_MB = portability.MAX_BYTES // (1024 * 1024)


@require_safe
def export(request, pk):
    """The whole plan as a JSON file (plans.portability.export_json)."""
    plan = get_object_or_404(Plan.objects.visible_to(request.user).select_related("org"), pk=pk)
    log_access(request, "plan_contacts", organization=plan.org, objects=[plan])
    response = HttpResponse(portability.export_json(plan), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, portability.export_filename(plan))
    response["X-Content-Type-Options"] = "nosniff"
    return response


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Plan file (.json)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A plan downloaded from Phrom (“Download as a JSON file”), at most %(mb)s MB."
        ) % {"mb": MAX_MB}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > portability.MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
                % {"size": round(upload.size / 1048576, 1), "limit": MAX_MB}
            )
        return upload


@require_http_methods(["GET", "HEAD", "POST"])
def import_plan(request, org_pk):
    """GET: the upload form. POST: the file becomes a new draft, or its problems are listed."""
    org = access.get_visible_org(request.user, org_pk)
    if not access.can_plan(request.user, org):
        raise PermissionDenied
    problems = []
    if request.method == "POST":
        # Refuse an oversized upload before Django stores it.
        if int(request.META.get("CONTENT_LENGTH") or 0) > portability.MAX_BYTES + 64 * 1024:
            form = ImportForm()
            form.add_error(None, _("The file is too large; the limit is %(limit)s MB.") % {"limit": MAX_MB})
        else:
            form = ImportForm(request.POST, request.FILES)
        if form.is_bound and form.is_valid():
            raw = form.cleaned_data["file"].read(portability.MAX_BYTES + 1)
            try:
                plan = portability.import_plan(raw, org=org, by=request.user, request=request)
            except portability.PlanImportError as exc:
                problems = exc.problems
            else:
                messages.success(
                    request,
                    _("The plan was loaded as a new draft (version %(n)s). Check it, then continue editing.")
                    % {"n": plan.revision},
                )
                for warning in getattr(plan, "import_warnings", ()):
                    messages.warning(request, warning)
                return redirect("plans:detail", pk=plan.pk)
    else:
        form = ImportForm()
    return render(request, "plans/portability/import.html", {"org": org, "form": form, "problems": problems})


urlpatterns = [
    path("<int:pk>/export.json", export, name="export"),
    path("org/<int:org_pk>/import/", import_plan, name="import"),
]
