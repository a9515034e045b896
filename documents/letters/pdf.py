"""A Letter as PDF: documents/typst/letters.typ fed with prepare()'s JSON through a virtual file."""

from __future__ import annotations

import calendar
import json
from functools import cache
from pathlib import Path

from documents.engine import render_pdf
from documents.letters.model import Letter, emblem_suffix, prepare

TEMPLATE = Path(__file__).resolve().parent.parent / "typst" / "letters.typ"


@cache
def _template() -> str:
    return TEMPLATE.read_text(encoding="utf-8")


def render_letter_pdf(letter: Letter) -> bytes:
    """PDF bytes of the letter (A4, Laksaman 16 pt, the regulation's order of parts).

    The user's words travel as JSON data, never as Typst markup, so no input can break the
    layout. The PDF's creation date is the letter's date: the same letter gives the same bytes.
    """
    data = prepare(letter)
    files = {}
    if letter.emblem is not None:
        suffix = emblem_suffix(letter.emblem)
        data["emblem_suffix"] = suffix
        files["emblem" + suffix] = letter.emblem
    data["issuer_name"] = letter.issuer or (letter.office_lines[0] if letter.office_lines else "")
    files["letter.json"] = json.dumps(data, ensure_ascii=False).encode("utf-8")
    timestamp = calendar.timegm(letter.date.timetuple())
    return render_pdf(_template(), files=files, timestamp=timestamp)
