"""Requests in any state for the staff-side tests (the public side creates them through intake).

req = make_request(service, status="waiting", days_ago=5)      # submitted 5 days ago
att = add_attachment(req, "บัตรประชาชน.jpg", jpeg_bytes(), "image/jpeg")
"""

from __future__ import annotations

import datetime as dt
import hashlib
from itertools import count

from django.core.files.base import ContentFile
from django.utils import timezone

from eservices.intake import due_at_for
from eservices.models import Attachment, EventKind, Request, RequestEvent, RequestStatus

_seq = count(1)


def national_id(prefix12: str) -> str:
    """A 13-digit ID with a correct check digit."""
    total = sum(int(d) * (13 - i) for i, d in enumerate(prefix12))
    return prefix12 + str((11 - total % 11) % 10)


def make_request(
    service,
    *,
    status=RequestStatus.RECEIVED,
    days_ago: float = 0,
    name=None,
    phone=None,
    email="",
    answers=None,
    closed_days_ago=None,
    channel="online_form",
) -> Request:
    n = next(_seq)
    submitted = timezone.now() - dt.timedelta(days=days_ago)
    phone = phone or f"08{n:08d}"[-10:]
    req = Request.objects.create(
        org=service.org,
        service=service,
        tracking_code=f"PHR-T{n:04d}-{service.pk:05d}"[:20],
        applicant_name=name or f"นางทดสอบ คำขอ{n}",
        phone=phone,
        phone_last4=phone[-4:],
        email=email,
        answers=answers if answers is not None else {"national_id": national_id(f"3540100{n:05d}")},
        status=status,
        privacy_accepted_at=submitted,
        submitted_at=submitted,
        due_at=due_at_for(service, submitted),
        channel=channel,
    )
    Request.objects.filter(pk=req.pk).update(submitted_at=submitted)
    RequestEvent.objects.create(request=req, kind=EventKind.STATUS, status=RequestStatus.RECEIVED)
    if status in (RequestStatus.DONE, RequestStatus.REJECTED):
        closed = timezone.now() - dt.timedelta(days=closed_days_ago if closed_days_ago is not None else 0)
        Request.objects.filter(pk=req.pk).update(closed_at=closed)
    req.refresh_from_db()
    return req


def add_attachment(req, name: str, data: bytes, content_type: str) -> Attachment:
    att = Attachment(
        request=req,
        original_name=name,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    att.file.save("upload", ContentFile(data), save=False)
    att.save()
    return att
