"""The kinds of document Phrom generates for a plan, by key.

    REGISTRY: dict[str, DocumentKind]      # "bcp_pdf" -> how to make it

Every download button, the background job (documents.services / documents.tasks) and the API
(GET /api/v1/documents/plans/{plan_id}/{kind}) go through this table, so a new kind of document
needs nothing but an entry here. To add one, call `register(DocumentKind(...))` from a module
listed in PROVIDERS (it is imported the first time the registry is read), e.g. in
documents/letters.py:

    from documents.registry import DocumentKind, register

    register(DocumentKind(
        key="team_order_pdf", label=_("Team order (PDF)"), group="letters",
        render=lambda plan, *, code, options: render_team_order(team_order_input(plan, code=code)),
        content_type="application/pdf", extension=".pdf",
        filename=lambda plan: f"คำสั่งแต่งตั้งทีม-{plan.org.name_th}",
        order=20,
    ))

`render(plan, *, code, options) -> bytes` runs in the worker: it reads the database (through
documents.inputs.bcp_input or its own input function) and returns the file's bytes. `code` is the
verification code of this document (print it and its URL, documents.inputs.verification_url, if
the document carries one). `options` is a dict among `option_choices` (e.g. {"digits": "arabic"}).
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

PROVIDERS = ("documents.letters", "documents.docx")  # modules that register further kinds


@dataclass(frozen=True)
class DocumentKind:
    key: str
    label: str  # the button's text (lazy translation)
    render: Callable  # (plan, *, code: str, options: dict) -> bytes
    content_type: str
    extension: str  # ".pdf", ".docx"
    filename: Callable  # (plan) -> file name without extension (Thai is fine)
    group: str = "plan"  # "plan" documents first, then "letters"
    order: int = 100
    verifiable: bool = True  # the document prints its verification code
    needs_approval: bool = False  # only for approved (or superseded) versions, e.g. the covering letter
    option_choices: dict = field(default_factory=dict)  # option -> allowed values (first = default)

    def available_for(self, plan) -> bool:
        from plans.models import Status

        return not self.needs_approval or plan.status in (Status.APPROVED, Status.SUPERSEDED)

    def clean_options(self, options: dict | None) -> dict:
        """Only known options with allowed values; defaults filled in (the cache key depends on it)."""
        options = options or {}
        out = {}
        for name, allowed in self.option_choices.items():
            value = options.get(name)
            out[name] = value if value in allowed else allowed[0]
        return out


REGISTRY: dict[str, DocumentKind] = {}
_loaded = False
_lock = threading.Lock()


def register(kind: DocumentKind) -> DocumentKind:
    REGISTRY[kind.key] = kind
    return kind


def _load() -> None:
    global _loaded
    if _loaded:
        return
    with _lock:
        if _loaded:
            return
        for name in PROVIDERS:
            try:
                importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name != name:  # the provider exists but something it imports is missing
                    raise
        _loaded = True


def get(key: str) -> DocumentKind | None:
    _load()
    return REGISTRY.get(key)


def kinds() -> list[DocumentKind]:
    _load()
    return sorted(REGISTRY.values(), key=lambda k: (k.group != "plan", k.order, k.key))


# -- the BCP itself ----------------------------------------------------------------------------


def _render_bcp(plan, *, code: str, options: dict) -> bytes:
    from documents.bcp import render_bcp_pdf
    from documents.inputs import bcp_input

    return render_bcp_pdf(bcp_input(plan, code=code, digits=options.get("digits")))


def plan_file_name(plan, what: str = "แผนดำเนินธุรกิจอย่างต่อเนื่อง") -> str:
    """'แผนดำเนินธุรกิจอย่างต่อเนื่อง เทศบาลเมืองแพร่ ปีงบประมาณ 2569 ฉบับที่ 1' (+ ' (ร่าง)')."""
    from plans.models import Status

    name = f"{what} {plan.org.name_th} ปีงบประมาณ {plan.fiscal_year} ฉบับที่ {plan.revision}"
    if plan.status not in (Status.APPROVED, Status.SUPERSEDED):
        name += " (ร่าง)"
    return name


register(
    DocumentKind(
        key="bcp_pdf",
        label=_("Plan (PDF)"),
        render=_render_bcp,
        content_type="application/pdf",
        extension=".pdf",
        filename=plan_file_name,
        order=10,
        option_choices={"digits": ("thai", "arabic")},
    )
)
