"""Letter numbers of directives: ``ที่ พร ๐๐๒๓.๑/ว ๓๐๒๖``.

A circular (หนังสือเวียน) carries ว before its register number and has its own series per issuing
organization, restarting every calendar year (../shared/spec/thai-official-documents.md). The next
number is taken at issue time as max + 1 and written under the unique constraint
``directive_unique_register_number``; two officers issuing at the same moment collide on the
constraint, and the loser retries with the next number.

Officers may also type the number their paper register gave them: "3026", "๓๐๒๖", or the whole
"พร ๐๐๒๓.๑/ว ๓๐๒๖". A typed number still occupies its place in the series.
"""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.db.models import Max

from phrom.lib.thai import to_arabic_digits, to_thai_digits

MAX_ATTEMPTS = 8
_TYPED = re.compile(r"^\s*(?:(?P<prefix>.*?)\s*/\s*)?(?P<circ>ว)?\s*(?P<n>\d{1,7})\s*$")


class NumberTaken(Exception):
    """The typed register number is already used by this issuer in this year and series."""

    def __init__(self, number: int):
        self.number = number
        super().__init__(number)


def format_number(prefix: str, register_number: int, *, circular: bool = True) -> str:
    """'พร ๐๐๒๓.๑', 3026 -> 'พร ๐๐๒๓.๑/ว ๓๐๒๖' (Thai digits, as printed on Thai official letters)."""
    prefix = " ".join((prefix or "").split())
    tail = f"ว {register_number}" if circular else f"{register_number}"
    text = f"{prefix}/{tail}" if prefix else tail
    return to_thai_digits(text)


def parse_typed(text: str) -> tuple[str, int | None]:
    """A typed number: (prefix or "", register number or None). Thai digits are accepted.

    "3026" -> ("", 3026); "พร ๐๐๒๓.๑/ว ๓๐๒๖" -> ("พร 0023.1", 3026); "abc" -> ("", None).
    """
    m = _TYPED.match(to_arabic_digits(text or ""))
    if not m:
        return "", None
    return (m.group("prefix") or "").strip(), int(m.group("n"))


def next_number(issuer_id: int, year: int, *, circular: bool = True) -> int:
    """max + 1 of the issuer's series in `year` (1 for the first letter of the year)."""
    from directives.models import Directive

    top = Directive.objects.filter(
        issuer_id=issuer_id, is_circular=circular, register_year=year, register_number__isnull=False
    ).aggregate(m=Max("register_number"))["m"]
    return (top or 0) + 1


def assign_number(directive, *, typed: str = "") -> None:
    """Give `directive` its register number and printed number, saving them (inside a transaction).

    With `typed` (see parse_typed), that number is used or NumberTaken is raised; a typed prefix is
    printed as typed. Without, the next free number is taken, retrying on a collision with a
    concurrent issue.
    """
    from directives.models import Directive

    year = directive.date.year
    typed_prefix, typed_n = parse_typed(typed) if typed else ("", None)
    if typed and typed_n is None:
        raise ValueError(f"not a letter number: {typed!r}")
    for _attempt in range(MAX_ATTEMPTS):
        n = (
            typed_n
            if typed_n is not None
            else next_number(directive.issuer_id, year, circular=directive.is_circular)
        )
        if typed_prefix:
            number = " ".join(typed.split())
        else:
            number = format_number(directive.issuer.letter_prefix, n, circular=directive.is_circular)
        try:
            with transaction.atomic():
                Directive.objects.filter(pk=directive.pk).update(
                    register_year=year, register_number=n, number=number
                )
        except IntegrityError:
            if typed_n is not None:
                raise NumberTaken(typed_n) from None
            continue
        directive.register_year, directive.register_number, directive.number = year, n, number
        return
    raise IntegrityError("could not take a register number after several attempts")
