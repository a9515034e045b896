"""The walker's description of the letters part of the documents app (merged into
tests/authz/documents.py): the organization's document settings page and its emblem image."""

from __future__ import annotations

from tests.authz import PRIVATE, Route

ROUTES: dict[str, Route] = {
    "documents:settings": Route(PRIVATE, lambda t: {"org_pk": t.org.pk}),
    "documents:settings_emblem": Route(PRIVATE, lambda t: {"org_pk": t.org.pk}),
}
API_ROUTES: dict[str, Route] = {}
ANONYMOUS_API: set[str] = set()


def build(target, cast) -> None:
    """Document settings of target.org with a signer and a phone nobody outside may read."""
    from documents.letter_models import DocumentSettings

    DocumentSettings.objects.create(
        organization=target.org,
        signer_name=f"นายผู้ลงนามลับ{target.org.pk}",
        phone="054999111",
        owning_unit=f"กองลับ{target.org.pk}",
    )
    target.secrets += [f"นายผู้ลงนามลับ{target.org.pk}", f"กองลับ{target.org.pk}"]


def state(org_ids) -> list:
    from documents.letter_models import DocumentSettings

    rows = DocumentSettings.objects.filter(organization__in=org_ids).order_by("pk")
    return [
        {k: (bytes(v) if isinstance(v, memoryview) else v) for k, v in row.items()} for row in rows.values()
    ]
