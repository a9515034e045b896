"""The walker's description of the directive messages (outbox) (see tests/authz/__init__.py).

Each target organization gets a failed message addressed to it (recipient path of
Message.objects.visible_to) and a message to OPDC about a directive the target issued (issuer
path); neither may be listed, read or sent again by anyone outside.
"""

from __future__ import annotations

from tests.authz import OWN, PRIVATE, Route


def _message(t):
    return {"pk": t.extra["message"].pk}


def _issued_message(t):
    return {"pk": t.extra["issued_message"].pk}


ROUTES: dict[str, Route] = {
    "messages:list": Route(OWN),  # lists only Message.objects.visible_to(user)
    "messages:detail": Route(PRIVATE, _message),
    "messages:resend": Route(PRIVATE, _issued_message),
}
API_ROUTES: dict[str, Route] = {}
ANONYMOUS_API: set[str] = set()


def build(target, cast) -> None:
    """Create this app's private objects for target.org."""
    from directives.models import Directive, DirectiveStatus, Message, MessageKind, MessageState

    org = target.org
    directive = Directive.objects.create(
        issuer=org, status=DirectiveStatus.ISSUED, subject=f"หนังสือลับของผู้ออก{org.pk}"
    )
    directive.root = directive
    directive.save(update_fields=["root"])
    target.extra["message"] = Message.objects.create(
        kind=MessageKind.REMINDER, dedupe_key=f"walker:{org.pk}:to", org=org, directive=None,
        to=[f"msg{org.pk}@secret.test"], subject=f"ข้อความลับ{org.pk}", body=f"เนื้อความลับเฉพาะ{org.pk}",
        state=MessageState.GAVE_UP, attempts=5, last_error=f"SMTP ลับ{org.pk}",
    )  # fmt: skip
    target.extra["issued_message"] = Message.objects.create(
        kind=MessageKind.RECEIVED, dedupe_key=f"walker:{org.pk}:issued", org=cast.opdc, directive=directive,
        to=[f"opdc{org.pk}@secret.test"], subject=f"แจ้งรับลับ{org.pk}", body=f"เนื้อแจ้งรับลับ{org.pk}",
        state=MessageState.FAILED, attempts=2,
    )  # fmt: skip
    target.secrets += [
        f"msg{org.pk}@secret.test", f"ข้อความลับ{org.pk}", f"เนื้อความลับเฉพาะ{org.pk}", f"SMTP ลับ{org.pk}",
        f"opdc{org.pk}@secret.test", f"แจ้งรับลับ{org.pk}", f"เนื้อแจ้งรับลับ{org.pk}",
    ]  # fmt: skip


def state(org_ids) -> list:
    """Everything the organizations own in this app, comparable before and after the walk."""
    from django.db.models import Q

    from directives.models import Message

    return list(
        Message.objects.filter(Q(org__in=org_ids) | Q(directive__issuer__in=org_ids)).order_by("pk").values()
    )
