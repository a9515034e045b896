"""The walker's description of the staff e-services (see tests/authz/__init__.py).

Every staff page and API path hangs off an organization: outsiders get 404 for every method.
build() gives each target a catalogue entry with a request-form field and a downloadable form, a
citizen's request (name, phone, national ID and e-mail in target.secrets) with a file, an
internal note and a message, and a crisis notice.
"""

from __future__ import annotations

from tests.authz import OWN, PRIVATE, PUBLIC, Route  # noqa: F401


def _org(t):
    return {"org_id": t.org.pk}


def _svc(t):
    return {"org_id": t.org.pk, "pk": t.extra["es_service"].pk}


def _field(t):
    return {**_svc(t), "field_id": t.extra["es_field"].pk}


def _form(t):
    return {**_svc(t), "form_id": t.extra["es_form"].pk}


def _req(t):
    return {"org_id": t.org.pk, "pk": t.extra["es_request"].pk}


def _notice(t):
    return {"org_id": t.org.pk, "pk": t.extra["es_notice"].pk}


def _api_org(t):
    return {"org_id": t.org.pk}


def _api_req(t):
    return {"org_id": t.org.pk, "request_id": t.extra["es_request"].pk}


ROUTES: dict[str, Route] = {
    "eservices:home": Route(OWN),
    "eservices:catalogue": Route(PRIVATE, _org),
    "eservices:adopt": Route(PRIVATE, _org),
    "eservices:service_new": Route(PRIVATE, _org),
    "eservices:service_edit": Route(PRIVATE, _svc),
    "eservices:service_row": Route(PRIVATE, lambda t: {**_svc(t), "kind": "step"}),
    "eservices:service_publish": Route(PRIVATE, _svc),
    "eservices:service_move": Route(PRIVATE, _svc),
    "eservices:service_fields": Route(PRIVATE, _svc),
    "eservices:field_edit": Route(PRIVATE, _field),
    "eservices:field_move": Route(PRIVATE, _field),
    "eservices:field_delete": Route(PRIVATE, _field),
    "eservices:form_upload": Route(PRIVATE, _svc),
    "eservices:form_file": Route(PRIVATE, _form),
    "eservices:form_delete": Route(PRIVATE, _form),
    "eservices:queue": Route(PRIVATE, _org),
    "eservices:request_record": Route(PRIVATE, _org),
    "eservices:request_receipt": Route(PRIVATE, _req),
    "eservices:request": Route(PRIVATE, _req),
    "eservices:request_status": Route(PRIVATE, _req),
    "eservices:request_message": Route(PRIVATE, _req),
    "eservices:request_note": Route(PRIVATE, _req),
    "eservices:request_assign": Route(PRIVATE, _req),
    "eservices:attachment": Route(PRIVATE, lambda t: {**_req(t), "att_id": t.extra["es_attachment"].pk}),
    "eservices:notices": Route(PRIVATE, _org),
    "eservices:notice_edit": Route(PRIVATE, _notice),
    "eservices:notice_end": Route(PRIVATE, _notice),
    "eservices:figures": Route(PRIVATE, _org),
}

API_ROUTES: dict[str, Route] = {
    "/api/v1/services/org/{org_id}/services": Route(PRIVATE, _api_org),
    "/api/v1/services/org/{org_id}/services/{service_id}": Route(
        PRIVATE, lambda t: {"org_id": t.org.pk, "service_id": t.extra["es_service"].pk}
    ),
    "/api/v1/services/org/{org_id}/requests": Route(PRIVATE, _api_org),
    "/api/v1/services/org/{org_id}/requests/{request_id}": Route(PRIVATE, _api_req),
    "/api/v1/services/org/{org_id}/requests/{request_id}/status": Route(PRIVATE, _api_req),
    "/api/v1/services/org/{org_id}/requests/{request_id}/messages": Route(PRIVATE, _api_req),
    "/api/v1/services/org/{org_id}/requests/{request_id}/notes": Route(PRIVATE, _api_req),
    "/api/v1/services/org/{org_id}/requests/{request_id}/assign": Route(PRIVATE, _api_req),
    "/api/v1/services/org/{org_id}/figures": Route(PRIVATE, _api_org),
    "/api/v1/services/org/{org_id}/figures/rollup": Route(PRIVATE, _api_org),
}
ANONYMOUS_API: set[str] = set()


def _national_id(prefix12: str) -> str:
    total = sum(int(d) * (13 - i) for i, d in enumerate(prefix12))
    return prefix12 + str((11 - total % 11) % 10)


def build(target, cast) -> None:
    """A service, a request with a citizen's personal data and a file, a note and a notice."""
    import datetime as dt
    import hashlib
    import io

    from django.core.files.base import ContentFile
    from django.utils import timezone
    from PIL import Image

    from eservices.models import (
        Attachment,
        CrisisNotice,
        EventKind,
        FieldType,
        FormField,
        Request,
        RequestEvent,
        Service,
        ServiceForm,
    )

    org = target.org
    n = org.pk
    service = Service.objects.create(
        org=org,
        slug=f"secret-service-{n}",
        name=f"บริการร่างลับ{n}",
        legal_basis="ร่างภายใน",
        steps=[{"text": "ขั้นตอนลับ", "minutes": 10, "unit": ""}],
        processing_days=3,
        channels=["online_form"],
        available_online=True,
        accepts_requests=True,
        is_published=False,
    )
    field = FormField.objects.create(service=service, key="q", label=f"คำถามลับ{n}", field_type=FieldType.TEXT)
    form = ServiceForm(
        service=service,
        title=f"แบบฟอร์มลับ{n}",
        original_name="ฟอร์ม.pdf",
        content_type="application/pdf",
        size=9,
    )
    form.file.save("f", ContentFile(b"%PDF-1.4\n"), save=False)
    form.save()
    now = timezone.now()
    phone = f"06{n:08d}"[-10:]
    nid = _national_id(f"3{n:011d}"[-12:])
    req = Request.objects.create(
        org=org,
        service=service,
        tracking_code=f"PHR-S{n:04d}-SECRT"[:20],
        applicant_name=f"นางสาวลับ พลเมือง{n}",
        phone=phone,
        phone_last4=phone[-4:],
        email=f"citizen{n}@private.test",
        answers={"national_id": nid, "q": f"คำตอบลับ{n}"},
        privacy_accepted_at=now,
        submitted_at=now,
        due_at=now + dt.timedelta(days=3),
    )
    RequestEvent.objects.create(request=req, kind=EventKind.NOTE, text=f"บันทึกภายในลับ{n}")
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(buf, "JPEG")
    data = buf.getvalue()
    att = Attachment(
        request=req,
        original_name=f"เอกสารลับ{n}.jpg",
        content_type="image/jpeg",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    att.file.save("a", ContentFile(data), save=False)
    att.save()
    notice = CrisisNotice.objects.create(
        org=org, title=f"ประกาศร่างลับ{n}", text="ข้อความ", starts_at=now, is_active=False
    )
    target.extra.update(
        es_service=service, es_field=field, es_form=form, es_request=req, es_attachment=att, es_notice=notice
    )
    target.secrets += [
        req.applicant_name,
        phone,
        nid,
        req.email,
        f"คำตอบลับ{n}",
        f"บันทึกภายในลับ{n}",
        f"เอกสารลับ{n}",
        f"บริการร่างลับ{n}",
        f"คำถามลับ{n}",
        f"แบบฟอร์มลับ{n}",
        f"ประกาศร่างลับ{n}",
    ]


def state(org_ids) -> list:
    """Everything the organizations own in the e-services, with version counters."""
    from eservices.models import (
        Attachment,
        CrisisNotice,
        FormField,
        Request,
        RequestEvent,
        Service,
        ServiceForm,
    )

    return [
        list(Service.objects.filter(org__in=org_ids).order_by("pk").values()),
        list(FormField.objects.filter(service__org__in=org_ids).order_by("pk").values()),
        list(ServiceForm.objects.filter(service__org__in=org_ids).order_by("pk").values()),
        list(Request.objects.filter(org__in=org_ids).order_by("pk").values()),
        list(RequestEvent.objects.filter(request__org__in=org_ids).order_by("pk").values()),
        list(Attachment.objects.filter(request__org__in=org_ids).order_by("pk").values()),
        list(CrisisNotice.objects.filter(org__in=org_ids).order_by("pk").values()),
        list(
            CrisisNotice.services.through.objects.filter(crisisnotice__org__in=org_ids)
            .order_by("pk")
            .values()
        ),
    ]
