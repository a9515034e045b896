"""The walker's description of the directives app (see tests/authz/__init__.py).

For every target organization (a local government, a district, a province, a provincial office),
build() makes:
- ``directive_issued``: a directive issued by target.org to its children (none for a local
  government: then it is a draft to nobody), with an enclosure file;
- ``directive_received``: a directive issued by the parent of target.org and addressed to it,
  acknowledged by the target's secret member;
- ``submission``: a submission by target.org of an approved plan in answer to it, sent to OPDC with
  copies by the province/district rules, holding a private note.
The walking users never belong to or oversee any of these organizations (outsider_pairs), so every
page and API route below is PRIVATE except the lists of one's own items (OWN).
"""

from __future__ import annotations

import uuid

from tests.authz import OWN, PRIVATE, Route


def _d(t):
    return {"pk": t.extra["directive_received"].pk}


def _issued(t):
    return {"pk": t.extra["directive_issued"].pk}


def _s(t):
    return {"pk": t.extra["submission"].pk}


ROUTES: dict[str, Route] = {
    "directives:inbox": Route(OWN),
    "directives:issued": Route(OWN),
    "directives:new": Route(OWN),
    "directives:submissions": Route(OWN),
    "directives:detail": Route(PRIVATE, _d),
    "directives:edit": Route(PRIVATE, _issued),
    "directives:issue": Route(PRIVATE, _issued),
    "directives:delete": Route(PRIVATE, _issued),
    "directives:relay": Route(PRIVATE, _d),
    "directives:recipients": Route(PRIVATE, _issued),
    "directives:letter": Route(PRIVATE, lambda t: {"pk": t.extra["directive_received"].pk, "fmt": "pdf"}),
    "directives:submit": Route(PRIVATE, _d),
    "directives:enclosure": Route(PRIVATE, lambda t: {"pk": t.extra["enclosure"].pk}),
    "directives:submission": Route(PRIVATE, _s),
    "directives:review": Route(PRIVATE, _s),
}


def _api_d(t):
    return {"directive_id": t.extra["directive_received"].pk}


def _api_issued(t):
    return {"directive_id": t.extra["directive_issued"].pk}


def _api_s(t):
    return {"submission_id": t.extra["submission"].pk}


API_ROUTES: dict[str, Route] = {
    "/api/v1/directives": Route(OWN),  # lists only the caller's own; POST creates for the caller's office
    "/api/v1/directives/submissions": Route(OWN),
    "/api/v1/directives/{directive_id}": Route(PRIVATE, _api_d),
    "/api/v1/directives/{directive_id}/issue": Route(PRIVATE, _api_issued),
    "/api/v1/directives/{directive_id}/relay": Route(PRIVATE, _api_d),
    "/api/v1/directives/{directive_id}/acknowledge": Route(PRIVATE, _api_d),
    "/api/v1/directives/{directive_id}/recipients": Route(PRIVATE, _api_issued),
    "/api/v1/directives/{directive_id}/submissions": Route(PRIVATE, _api_d),
    "/api/v1/directives/submissions/{submission_id}": Route(PRIVATE, _api_s),
    "/api/v1/directives/submissions/{submission_id}/review": Route(PRIVATE, _api_s),
}
ANONYMOUS_API: set[str] = set()


def build(target, cast) -> None:
    """Create this app's private objects for target.org."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from directives.actions import copy_orgs
    from directives.models import (
        Directive,
        DirectiveStatus,
        Enclosure,
        Recipient,
        Submission,
        SubmissionCopy,
        receipt_number,
    )
    from orgs.models import Organization
    from plans.models import Plan, Status

    org = target.org
    secret_body = f"เนื้อหาหนังสือลับ{org.pk}"
    secret_note = f"หมายเหตุการส่งลับ{org.pk}"
    secret_file = f"ไฟล์ลับ{org.pk}.pdf"
    now = timezone.now()
    children = list(Organization.objects.filter(parent=org).values_list("pk", flat=True))
    issued = Directive.objects.create(
        issuer=org, status=DirectiveStatus.ISSUED if children else DirectiveStatus.DRAFT,
        subject=f"หนังสือของ{org.pk}", body=secret_body, date=now.date(), number=f"ทดสอบ/ว {org.pk}",
        submit_to=cast.opdc, copy_rules=["province", "district"], deadline=now, issued_at=now,
    )  # fmt: skip
    issued.root = issued
    issued.save(update_fields=["root"])
    Recipient.objects.bulk_create([Recipient(directive=issued, org_id=i) for i in children])
    enc = Enclosure(
        directive=issued, title="สิ่งที่ส่งมาด้วย", original_name=secret_file, content_type="application/pdf"
    )
    enc.file.save("x.pdf", ContentFile(b"%PDF-1.4 secret " + secret_body.encode()), save=False)
    enc.size = enc.file.size
    enc.save()

    parent = org.parent or cast.dla
    received = Directive.objects.create(
        issuer=parent, status=DirectiveStatus.ISSUED, subject=f"หนังสือถึง{org.pk}", body=secret_body,
        date=now.date(), number=f"ทดสอบ/ว {org.pk + 100000}", submit_to=cast.opdc,
        copy_rules=["province", "district"], deadline=now, issued_at=now,
    )  # fmt: skip
    received.root = received
    received.save(update_fields=["root"])
    Recipient.objects.create(
        directive=received, org=org, acknowledged_at=now, acknowledged_by_id=target.membership.user_id
    )
    plan = Plan.objects.create(
        org=org, title=f"แผนที่อนุมัติแล้ว {org.pk}", fiscal_year=2570, revision=90, status=Status.APPROVED,
        digest="0" * 64, approved_at=now,
    )  # fmt: skip
    key = str(uuid.uuid4())
    sub = Submission.objects.create(
        directive=received, root=received, org=org, plan=plan, plan_digest=plan.digest,
        submitted_to=cast.opdc,
        receipt_number=receipt_number(received.pk, org.pk, key), idempotency_key=key,
        submitted_by_id=target.membership.user_id, submitted_at=now, note=secret_note,
    )  # fmt: skip
    SubmissionCopy.objects.bulk_create(
        [SubmissionCopy(submission=sub, org_id=i) for i in copy_orgs(org, ["province", "district"])]
    )
    target.extra.update(directive_issued=issued, directive_received=received, enclosure=enc, submission=sub)
    target.secrets += [secret_body, secret_note, secret_file]


def state(org_ids) -> list:
    """Everything the organizations own in this app, comparable before and after the walk."""
    from django.db.models import Q

    from directives.models import Directive, Enclosure, Recipient, Submission, SubmissionCopy

    directives = Directive.objects.filter(Q(issuer__in=org_ids) | Q(recipients__org__in=org_ids)).distinct()
    ids = list(directives.values_list("pk", flat=True))
    subs = Submission.objects.filter(
        Q(org__in=org_ids) | Q(submitted_to__in=org_ids) | Q(copies__org__in=org_ids)
    ).distinct()
    return [
        list(Directive.objects.filter(pk__in=ids).order_by("pk").values()),
        list(Recipient.objects.filter(directive__in=ids).order_by("pk").values()),
        list(Enclosure.objects.filter(directive__in=ids).order_by("pk").values()),
        list(subs.order_by("pk").values()),
        list(SubmissionCopy.objects.filter(submission__in=subs.values("pk")).order_by("pk").values()),
        Directive.objects.filter(issuer__in=org_ids).count(),
    ]
