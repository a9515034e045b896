"""Writing audit events and access-log rows. Call these from actions and views, never from signals."""

from __future__ import annotations

from audit.models import AccessLog, AuditEvent


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    action: str, *, actor=None, organization=None, obj=None, summary: str = "", data=None, request=None
):
    """Record one write. `obj` is any model instance (its type and pk are kept)."""
    return AuditEvent.objects.create(
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        organization=organization,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=summary[:300],
        data=data or {},
        ip=client_ip(request),
    )


def log_access(request, what: str, *, organization=None, objects=(), object_type: str = ""):
    """Record that request.user read personal data (one row per page or API response)."""
    ids = [str(getattr(o, "pk", o)) for o in objects]
    if not object_type and objects:
        first = next(iter(objects))
        object_type = first._meta.label_lower if hasattr(first, "_meta") else ""
    user = getattr(request, "user", None)
    return AccessLog.objects.create(
        actor=user if getattr(user, "is_authenticated", False) else None,
        organization=organization,
        what=what,
        object_type=object_type,
        object_ids=ids[:1000],
        path=(request.get_full_path() if request is not None else "")[:300],
        ip=client_ip(request),
    )
