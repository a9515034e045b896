"""The walker's description of the citizens' pages and the public catalogue API (see tests/authz/__init__.py).

Everything here is PUBLIC: readable by anyone, never showing a request, an unpublished service or
anything staff-only, and never writing from an empty POST. build() gives each target a published
service with a citizen's request in it (whose personal data are secrets), an unpublished service
with a downloadable form, and a notice that is not in force.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from tests.authz import PUBLIC, Route


def _code(t):
    return {"code": t.extra["citizen_request"].tracking_code}


def _org(t):
    return {"org_id": t.org.pk}


ROUTES: dict[str, Route] = {
    "citizen:finder": Route(PUBLIC),
    "citizen:track": Route(PUBLIC),
    # Another person's request by its code: without the phone digits in this session, nothing shows.
    "citizen:track_result": Route(PUBLIC, _code),
    "citizen:receipt": Route(PUBLIC, _code),
    "citizen:org": Route(PUBLIC, _org),
    "citizen:service": Route(
        PUBLIC, lambda t: {"org_id": t.org.pk, "slug": t.extra["citizen_unpublished"].slug}
    ),
    "citizen:apply": Route(PUBLIC, lambda t: {"org_id": t.org.pk, "slug": t.extra["citizen_published"].slug}),
    "citizen:form_download": Route(
        PUBLIC,
        lambda t: {
            "org_id": t.org.pk,
            "slug": t.extra["citizen_unpublished"].slug,
            "form_id": t.extra["citizen_form"].pk,
        },
    ),
}

API_ROUTES: dict[str, Route] = {
    "/api/v1/catalogue/organizations/{org_id}": Route(PUBLIC, _org),
    "/api/v1/catalogue/organizations/{org_id}/services/{slug}": Route(
        PUBLIC, lambda t: {"org_id": t.org.pk, "slug": t.extra["citizen_unpublished"].slug}
    ),
    "/api/v1/catalogue/finder": Route(PUBLIC),
}
ANONYMOUS_API: set[str] = set(API_ROUTES)


def build(target, cast) -> None:
    from eservices.models import CrisisNotice, EventKind, RequestEvent, ServiceForm
    from eservices.tests.factories import make_service, pdf_bytes

    org = target.org
    published = make_service(org, name="ขออนุญาตก่อสร้างอาคาร", slug=f"citizen-open-{org.pk}")
    unpublished = make_service(
        org, name=f"บริการลับยังไม่เผยแพร่{org.pk}", slug=f"citizen-draft-{org.pk}", published=False
    )
    form = ServiceForm(
        service=unpublished, title=f"แบบฟอร์มลับ{org.pk}", original_name=f"แบบฟอร์มลับ{org.pk}.pdf",
        content_type="application/pdf", size=0,
    )  # fmt: skip
    form.file.save("form.pdf", ContentFile(pdf_bytes()), save=False)
    form.size = form.file.size
    form.save()

    from eservices import intake
    from eservices.uploads import CheckedFile

    pdf = pdf_bytes()
    req = intake.create_request(
        published,
        applicant_name=f"นางลับ ผู้ยื่น{org.pk}",
        phone=f"08{org.pk:08d}"[:10],
        email=f"citizen{org.pk}@private.test",
        answers={"national_id": "1101700230708", "address": f"บ้านลับเลขที่{org.pk}"},
        files=[CheckedFile(f"เอกสารลับ{org.pk}.pdf", "application/pdf", len(pdf), "0" * 64, pdf)],
    )
    RequestEvent.objects.create(request=req, kind=EventKind.NOTE, text=f"บันทึกภายในลับ{org.pk}")
    now = timezone.now()
    CrisisNotice.objects.create(
        org=org, title=f"ประกาศที่ยังไม่เผยแพร่{org.pk}", text="ข้อความ", is_active=False,
        starts_at=now - dt.timedelta(days=1),
    )  # fmt: skip
    target.extra.update(
        citizen_published=published, citizen_unpublished=unpublished, citizen_form=form, citizen_request=req
    )
    target.secrets += [
        unpublished.name, form.title, req.applicant_name, req.phone, req.email, req.tracking_code,
        f"บ้านลับเลขที่{org.pk}", "1101700230708", f"เอกสารลับ{org.pk}.pdf", f"บันทึกภายในลับ{org.pk}",
        f"ประกาศที่ยังไม่เผยแพร่{org.pk}",
    ]  # fmt: skip


def state(org_ids) -> list:
    from eservices.geo_models import Coverage
    from eservices.models import (
        Attachment,
        CrisisNotice,
        FormField,
        Request,
        RequestEvent,
        Service,
        ServiceForm,
    )

    def rows(qs):
        return list(qs.order_by("pk").values())

    return [
        rows(Service.objects.filter(org__in=org_ids)),
        rows(FormField.objects.filter(service__org__in=org_ids)),
        rows(ServiceForm.objects.filter(service__org__in=org_ids)),
        rows(Request.objects.filter(org__in=org_ids)),
        rows(Attachment.objects.filter(request__org__in=org_ids)),
        rows(RequestEvent.objects.filter(request__org__in=org_ids)),
        rows(CrisisNotice.objects.filter(org__in=org_ids)),
        rows(Coverage.objects.filter(org__in=org_ids)),
    ]
