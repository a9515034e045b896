"""The organization's document settings page: how its letters and plan documents are printed.

Members may read the page; planners, approvers and organization admins may change it. Outsiders
get 404. The emblem upload is checked by its content (Pillow), limited to 2 MB, and stored
re-encoded as PNG (at most 600 px high), so nothing but pixels is kept.
"""

from __future__ import annotations

import io

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from audit import log
from documents.letter_models import DocumentSettings, document_settings_for, executive_title_for
from orgs import access
from orgs.models import Role

MAX_EMBLEM_BYTES = 2 * 1024 * 1024
EMBLEM_MAX_HEIGHT = 600
EMBLEM_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}


def can_edit(user, org) -> bool:
    return access.can_plan(user, org) or Role.ADMIN in access.roles_in(user, org) or user.is_superuser


class DocumentSettingsForm(forms.ModelForm):
    emblem = forms.FileField(
        label=_lazy("Emblem"),
        required=False,
        help_text=_lazy(
            "A PNG or JPEG image of the organization's emblem, at most 2 MB. It is printed 3 cm high at the "
            "top of letters and on the plan's cover. Leave empty to keep the current one."
        ),
    )
    remove_emblem = forms.BooleanField(label=_lazy("Remove the uploaded emblem"), required=False)

    class Meta:
        model = DocumentSettings
        fields = [
            "digits",
            "office_lines",
            "owning_unit",
            "phone",
            "fax",
            "email",
            "executive_title",
            "signer_name",
            "signer_positions",
        ]
        widgets = {
            "office_lines": forms.Textarea(attrs={"rows": 3}),
            "owning_unit": forms.Textarea(attrs={"rows": 2}),
            "signer_positions": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "digits": _lazy(
                "How Phrom writes the numbers it generates (letter numbers, dates, page numbers). "
                "What you type is printed as you typed it."
            ),
            "phone": _lazy("Printed after โทร. at the bottom left of letters."),
        }

    def clean_emblem(self):
        upload = self.cleaned_data.get("emblem")
        if not upload:
            return None
        if upload.size > MAX_EMBLEM_BYTES:
            raise forms.ValidationError(
                _(
                    "The image is %(size)s MB; the limit is 2 MB. Save it "
                    "smaller (for example 600 pixels high) and try again."
                )
                % {"size": f"{upload.size / 1024 / 1024:.1f}"}
            )
        from PIL import Image, UnidentifiedImageError

        data = upload.read()
        try:
            with Image.open(io.BytesIO(data)) as probe:
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in EMBLEM_FORMATS:
                    raise forms.ValidationError(
                        _("This is a %(format)s image. Upload a PNG or JPEG file.") % {"format": image.format}
                    )
                if image.width * image.height > 40_000_000:
                    raise forms.ValidationError(
                        _("The image is too large in pixels. Save it smaller and try again.")
                    )
                image.load()
                image = image.convert("RGBA")
                if image.height > EMBLEM_MAX_HEIGHT:
                    width = max(1, round(image.width * EMBLEM_MAX_HEIGHT / image.height))
                    image = image.resize((width, EMBLEM_MAX_HEIGHT), Image.LANCZOS)
                out = io.BytesIO()
                image.save(out, format="PNG", optimize=True)
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
            raise forms.ValidationError(
                _("This file is not an image Phrom can read. Upload a PNG or JPEG file of the emblem.")
            ) from None
        return out.getvalue()


def _settings_object(org) -> DocumentSettings:
    return DocumentSettings.objects.filter(organization=org).first() or DocumentSettings(organization=org)


@require_http_methods(["GET", "POST"])
def document_settings(request, org_pk):
    org = access.get_visible_org(request.user, org_pk)
    editable = can_edit(request.user, org)
    instance = _settings_object(org)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        form = DocumentSettingsForm(request.POST, request.FILES, instance=instance)
        if form.is_valid():
            with transaction.atomic():
                obj = form.save(commit=False)
                if form.cleaned_data.get("emblem"):
                    obj.emblem_png = form.cleaned_data["emblem"]
                elif form.cleaned_data.get("remove_emblem"):
                    obj.emblem_png = None
                obj.updated_by = request.user
                obj.save()
                log.record(
                    "documents.settings.update",
                    actor=request.user,
                    organization=org,
                    obj=obj,
                    request=request,
                    summary=_("Document settings saved"),
                    data={"fields": sorted(form.changed_data)},
                )
            messages.success(request, _("Document settings saved. New letters and plan documents use them."))
            return redirect("documents:settings", org_pk=org.pk)
    else:
        form = DocumentSettingsForm(instance=instance)
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    current = document_settings_for(org)
    return render(
        request,
        "documents/letters/settings.html",
        {
            "org": org,
            "form": form,
            "editable": editable,
            "current": current,
            "default_executive": executive_title_for(org),
            "has_uploaded_emblem": bool(instance.pk and instance.emblem_png),
        },
    )


def emblem_image(request, org_pk):
    """The emblem as used in documents (uploaded, site-wide or placeholder), for the settings page."""
    org = access.get_visible_org(request.user, org_pk)
    found = document_settings_for(org)
    data = found["emblem"]
    content_type = "image/svg+xml" if data.lstrip()[:1] == b"<" else "image/png"
    if data[:3] == b"\xff\xd8\xff":
        content_type = "image/jpeg"
    response = HttpResponse(data, content_type=content_type)
    response["Cache-Control"] = "private, max-age=60"
    response["X-Content-Type-Options"] = "nosniff"
    # An SVG served from the site must not run anything.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response
