"""Typst, loaded once per process, with Phrom's own fonts (Laksaman) and nothing from the system.

Renderers build Typst source from plain data and call `render_pdf`. Fonts come only from
documents/fonts/ (`ignore_system_fonts=True`), so a PDF looks the same on every machine and embeds
only Laksaman: with it, PDFium extracts Thai text verbatim (see docs/architecture.md, Documents).
"""

from __future__ import annotations

import threading
from pathlib import Path

import typst

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "Laksaman"

_lock = threading.Lock()
_compiler: typst.Compiler | None = None


def _get_compiler() -> typst.Compiler:
    """One compiler per process: the fonts are read once, not on every document."""
    global _compiler
    if _compiler is None:
        _compiler = typst.Compiler(font_paths=[str(FONT_DIR)], ignore_system_fonts=True)
    return _compiler


class RenderError(Exception):
    """Typst refused the generated source (a bug in a renderer, never the user's input)."""


def render_pdf(source: str, *, files: dict[str, bytes] | None = None, timestamp: int | None = None) -> bytes:
    """Compile Typst `source` to PDF bytes.

    `files` are extra virtual files the source may read by name (images: the emblem, the QR code).
    They are written to a private temporary directory used as Typst's root. `timestamp` (Unix
    seconds) fixes the PDF's creation date, so the same input gives the same bytes.
    """
    import tempfile

    with tempfile.TemporaryDirectory(prefix="phrom-typst-") as tmp:
        root = Path(tmp)
        (root / "main.typ").write_text(source, encoding="utf-8")
        for name, data in (files or {}).items():
            target = (root / name).resolve()
            if root.resolve() not in target.parents:
                raise RenderError(f"file name outside the document root: {name!r}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        try:
            with _lock:  # one compile at a time per process: Typst is CPU-bound anyway
                return _get_compiler().compile(
                    input=str(root / "main.typ"), root=str(root), timestamp=timestamp, sys_inputs={}
                )
        except typst.TypstError as exc:  # pragma: no cover - a renderer bug, reported with context
            raise RenderError(str(exc)) from exc
