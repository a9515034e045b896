"""Citizens' side of a request: creating it, adding a document when asked, finding it again.

Every write here is one transaction; files go through Django's storage under generated names, and
if anything fails after a file was stored, the stored files are deleted again — no partial request
and no orphan file is ever left behind. Status changes after creation belong to the staff side
(eservices.actions).

Tracking codes are 10 characters of Crockford's base-32 alphabet (no I, L, O, U: nothing to
misread), 50 random bits, shown as PHR-XXXXX-XXXXX. Typing is forgiving: lower case, spaces,
missing dashes, Thai digits, O for 0 and I/L for 1 are all accepted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hmac
import secrets
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from audit.log import record
from eservices.models import (
    Attachment,
    Channel,
    EventKind,
    Request,
    RequestEvent,
    RequestStatus,
    Service,
)
from eservices.uploads import CheckedFile
from phrom.lib.thai import normalize_phone, to_arabic_digits

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base 32
CODE_PREFIX = "PHR"
CODE_LENGTH = 10  # 10 × 5 bits = 50 bits
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
# Office closing time: a request due "in 3 working days" is due at the end of the third one.
DUE_TIME = dt.time(16, 30)
MAX_ATTACHMENTS_PER_REQUEST = 30


class NotAccepting(Exception):
    """The service does not (or no longer) take requests through Phrom."""


class NotWaiting(Exception):
    """A document can be added only while the request waits for the citizen."""


class TooManyAttachments(Exception):
    pass


def new_tracking_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return f"{CODE_PREFIX}-{raw[:5]}-{raw[5:]}"


def normalize_tracking_code(text: str) -> str | None:
    """What a citizen typed, as the stored code; None if it cannot be a tracking code."""
    raw = "".join(to_arabic_digits(text or "").upper().split()).replace("-", "")
    if raw.startswith(CODE_PREFIX):
        raw = raw[len(CODE_PREFIX) :]
    raw = raw.translate(_READ_AS)
    if len(raw) != CODE_LENGTH or any(ch not in ALPHABET for ch in raw):
        return None
    return f"{CODE_PREFIX}-{raw[:5]}-{raw[5:]}"


def add_working_days(start: dt.date, days: int) -> dt.date:
    """`days` working days after `start` (Saturdays, Sundays and ESERVICES_HOLIDAYS skipped)."""
    holidays = {dt.date.fromisoformat(d) for d in getattr(settings, "ESERVICES_HOLIDAYS", ())}
    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            days -= 1
    return day


def due_at_for(service: Service, submitted_at: dt.datetime) -> dt.datetime | None:
    """When the request should be done, from the service's published processing time."""
    days = service.processing_days
    if days is None and service.processing_minutes:
        days = 1  # a counter service of minutes: done by the next working day when sent online
    if days is None:
        return None
    local = timezone.localtime(submitted_at)
    due = add_working_days(local.date(), days)
    return timezone.make_aware(dt.datetime.combine(due, DUE_TIME), local.tzinfo)


def _store(
    attachments: list[Attachment], stored: list[str], req: Request, files: list[CheckedFile], *, by_citizen
):
    """Save each file under a generated name, remembering the names so a failure can remove them."""
    for cf in files:
        att = Attachment(
            request=req,
            original_name=cf.display_name,
            content_type=cf.content_type,
            size=cf.size,
            sha256=cf.sha256,
            uploaded_by_citizen=by_citizen,
        )
        # The name given here is ignored by attachment_path: the stored path is always generated.
        att.file.save("upload", ContentFile(cf.data), save=False)
        stored.append(att.file.name)
        att.save()
        attachments.append(att)


def _remove(stored: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in stored:
        with contextlib.suppress(OSError):  # already gone or unreachable: nothing more to do
            default_storage.delete(name)


def create_request(
    service: Service,
    *,
    applicant_name: str,
    phone: str,
    email: str = "",
    answers: dict,
    files: list[CheckedFile],
    request=None,
    channel: str = Channel.ONLINE_FORM,
    by=None,
    note: str = "",
) -> Request:
    """A citizen's new request with its documents, all or nothing; mails a receipt if an e-mail is given.

    The citizen sends it through the online form (the default). Staff record a request that came
    through another channel (counter, phone, LINE, e-mail, drop box, post) with `channel` and `by`:
    any published service of theirs may be recorded, the phone may be unknown (then the citizen
    cannot track it online), `note` becomes a staff-only note, and the receipt e-mail is in Thai.
    """
    channel = Channel(channel)
    online = channel == Channel.ONLINE_FORM
    if not service.is_published or (online and not service.accepts_requests):
        raise NotAccepting
    if not online and not getattr(by, "is_authenticated", False):
        raise ValueError("a request through another channel is recorded by a staff member")
    digits = normalize_phone(phone or "")
    now = timezone.now()
    stored: list[str] = []
    try:
        with transaction.atomic():
            req = _create_with_unique_code(
                org_id=service.org_id,
                service=service,
                applicant_name=applicant_name.strip(),
                phone=digits,
                phone_last4=digits[-4:] if len(digits) >= 4 else "",
                channel=channel,
                email=email.strip(),
                answers=answers,
                status=RequestStatus.RECEIVED,
                privacy_accepted_at=now,
                submitted_at=now,
                due_at=due_at_for(service, now),
            )
            staff = by if not online else None
            RequestEvent.objects.create(
                request=req, kind=EventKind.STATUS, status=RequestStatus.RECEIVED, by=staff
            )
            if note.strip():
                RequestEvent.objects.create(request=req, kind=EventKind.NOTE, text=note.strip(), by=staff)
            attachments: list[Attachment] = []
            _store(attachments, stored, req, files, by_citizen=online)
            record(
                "request.create", actor=staff, organization=service.org, obj=req, request=request,
                summary=f"{req.tracking_code} · {service.name} · {channel.value}",
                data={"service": service.pk, "attachments": len(attachments), "channel": channel.value},
            )  # fmt: skip
    except BaseException:
        _remove(stored)
        raise
    req.received_attachments = attachments
    if req.email:
        # The citizen's own language when they sent it; Thai when staff recorded it for them.
        lang = translation.get_language() if online else "th"
        transaction.on_commit(partial(_send_receipt, req.pk, lang), robust=True)
    return req


def _create_with_unique_code(**fields) -> Request:
    for attempt in range(5):
        try:
            with transaction.atomic():  # a savepoint: a collision must not break the outer transaction
                return Request.objects.create(tracking_code=new_tracking_code(), **fields)
        except IntegrityError:
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def add_citizen_document(
    req: Request, *, files: list[CheckedFile], message: str = "", request=None
) -> RequestEvent:
    """The citizen answers a request for more: a message and/or documents, as one history entry."""
    stored: list[str] = []
    try:
        with transaction.atomic():
            locked = Request.objects.select_for_update().get(pk=req.pk)
            if locked.status != RequestStatus.WAITING:
                raise NotWaiting
            if locked.attachments.count() + len(files) > MAX_ATTACHMENTS_PER_REQUEST:
                raise TooManyAttachments
            attachments: list[Attachment] = []
            _store(attachments, stored, locked, files, by_citizen=True)
            names = ", ".join(a.original_name for a in attachments)
            text = message.strip()
            if names:
                text = f"{text}\n\n{names}".strip() if text else names
            event = RequestEvent.objects.create(request=locked, kind=EventKind.CITIZEN, text=text)
            locked.save(update_fields=["updated_at"])
            record(
                "request.citizen_document", organization=locked.org, obj=locked, request=request,
                summary=f"{locked.tracking_code} · {len(attachments)}",
                data={"attachments": [a.pk for a in attachments]},
            )  # fmt: skip
    except BaseException:
        _remove(stored)
        raise
    event.new_attachments = attachments
    return event


def find_request(code: str, phone_last4: str) -> Request | None:
    """The request with this tracking code whose phone ends in these four digits, else None.

    The same None for a wrong code and for wrong digits, so the answer says nothing about which.
    """
    normalized = normalize_tracking_code(code)
    digits = normalize_phone(phone_last4)
    if normalized is None or len(digits) != 4:
        return None
    req = Request.objects.select_related("service", "org").filter(tracking_code=normalized).first()
    if req is None or not hmac.compare_digest(req.phone_last4, digits):
        return None
    return req


def _send_receipt(request_pk: int, language: str) -> None:
    req = Request.objects.select_related("service", "org").get(pk=request_pk)
    with translation.override(language):
        context = {
            "req": req,
            "service": req.service,
            "org": req.org,
            "attachments": list(req.attachments.all()),
            "track_url": settings.SITE_URL + reverse("citizen:track") + f"?code={req.tracking_code}",
            "site_name": settings.SITE_NAME,
        }
        subject = " ".join(render_to_string("eservices/public/email/receipt_subject.txt", context).split())
        body = render_to_string("eservices/public/email/receipt_body.txt", context)
    reply_to = [req.org.email] if req.org.email else None
    EmailMessage(subject, body, to=[req.email], reply_to=reply_to).send()
