"""The organization's own list of units (ส่วนราชการ), which the plan editor offers for processes.

Planners and approvers add, rename, reorder and remove units here; everyone who may read the
organization's plans sees the list. A plan keeps the unit's name as text, so renaming or removing a
unit never changes an approved plan.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from audit.log import record
from orgs import access
from plans.models import Unit


class UnitForm(forms.Form):
    name_th = forms.CharField(
        label=gettext_lazy("Unit name (Thai)"), max_length=200,
        help_text=gettext_lazy("As it is written in the organization's structure, e.g. กองสวัสดิการสังคม."),
    )  # fmt: skip
    name_en = forms.CharField(label=gettext_lazy("Unit name (English)"), max_length=200, required=False)

    def clean_name_th(self):
        return " ".join(self.cleaned_data["name_th"].split())


def _org_for(request, org_pk, *, write: bool):
    org = access.get_visible_org(request.user, org_pk)
    if write and not access.can_plan(request.user, org):
        raise PermissionDenied
    return org


@require_http_methods(["GET", "POST"])
def units(request, org_pk):
    """List the units; POST adds one."""
    org = _org_for(request, org_pk, write=request.method == "POST")
    form = UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                last = Unit.objects.filter(org=org).aggregate(m=Max("order"))["m"] or 0
                unit = Unit.objects.create(org=org, order=last + 1, **form.cleaned_data)
                record("org.unit.add", actor=request.user, organization=org, obj=unit, request=request,
                       summary=unit.name_th)  # fmt: skip
        except IntegrityError:
            form.add_error("name_th", _("This organization already has a unit with this name."))
        else:
            messages.success(request, _("Unit “%(name)s” added.") % {"name": unit.name_th})
            return redirect("plans:units", org_pk=org.pk)
    return render(
        request,
        "plans/units.html",
        {
            "org": org,
            "units": Unit.objects.filter(org=org).order_by("order", "id"),
            "form": form,
            "can_edit": access.can_plan(request.user, org),
        },
        status=400 if form.errors else 200,
    )


@require_POST
def unit_rename(request, org_pk, unit_pk):
    org = _org_for(request, org_pk, write=True)
    unit = get_object_or_404(Unit.objects.filter(org=org), pk=unit_pk)
    form = UnitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the unit's Thai name."))
        return redirect("plans:units", org_pk=org.pk)
    old = unit.name_th
    try:
        with transaction.atomic():
            Unit.objects.filter(pk=unit.pk).update(**form.cleaned_data)
            record("org.unit.rename", actor=request.user, organization=org, obj=unit, request=request,
                   summary=f"{old} → {form.cleaned_data['name_th']}")  # fmt: skip
    except IntegrityError:
        messages.error(request, _("This organization already has a unit with this name."))
    else:
        messages.success(request, _("Unit renamed."))
    return redirect("plans:units", org_pk=org.pk)


@require_POST
def unit_delete(request, org_pk, unit_pk):
    org = _org_for(request, org_pk, write=True)
    unit = get_object_or_404(Unit.objects.filter(org=org), pk=unit_pk)
    with transaction.atomic():
        record("org.unit.delete", actor=request.user, organization=org, obj=unit, request=request,
               summary=unit.name_th)  # fmt: skip
        unit.delete()
    messages.success(
        request,
        _("Unit “%(name)s” removed. Plans that name it keep its name.") % {"name": unit.name_th},
    )
    return redirect("plans:units", org_pk=org.pk)


urlpatterns = [
    path("org/<int:org_pk>/units/", units, name="units"),
    path("org/<int:org_pk>/units/<int:unit_pk>/rename/", unit_rename, name="unit_rename"),
    path("org/<int:org_pk>/units/<int:unit_pk>/delete/", unit_delete, name="unit_delete"),
]
