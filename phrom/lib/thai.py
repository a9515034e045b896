"""Thai conventions in one place: digits, Buddhist-era dates, fiscal years, phone numbers, IDs.

Dates are stored as UTC datetimes or ISO dates; Buddhist-era years, Thai month names and Thai
digits exist only here and in the template filters built on it (phrom.templatetags.thai).
"""

from __future__ import annotations

import datetime as dt
import re

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_THAI = str.maketrans("0123456789", THAI_DIGITS)
_TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")

MONTHS = [
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
]  # fmt: skip
MONTHS_SHORT = [
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
]  # fmt: skip
BE_OFFSET = 543


def to_thai_digits(value: object) -> str:
    """'2563' -> '๒๕๖๓'; any other character is kept."""
    return str(value).translate(_TO_THAI)


def to_arabic_digits(value: str) -> str:
    """'๐๘๑' -> '081'. People type Thai digits as often as Arabic ones."""
    return value.translate(_TO_ARABIC)


def be_year(value: dt.date | int) -> int:
    """Buddhist-era year of a date (or of a CE year)."""
    year = value if isinstance(value, int) else value.year
    return year + BE_OFFSET


def fiscal_year(value: dt.date) -> int:
    """Thai fiscal year (1 Oct – 30 Sep), named by the BE year in which it ends."""
    return be_year(value.year + 1 if value.month >= 10 else value.year)


def thai_date(value: dt.date, *, digits: str = "thai", style: str = "letter") -> str:
    """Format a date the Thai official way.

    style="letter": '๒๓ มิถุนายน ๒๕๖๓' (the date line of a letter, no "พ.ศ.")
    style="order":  '๒๓ เดือน มิถุนายน พ.ศ. ๒๕๖๓' (คำสั่ง and ประกาศ)
    style="short":  '๒๓ มิ.ย. ๖๓' (tables)
    digits="arabic" keeps Arabic digits.
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    month = MONTHS[value.month - 1]
    year = be_year(value)
    if style == "letter":
        text = f"{value.day} {month} {year}"
    elif style == "order":
        text = f"{value.day} เดือน {month} พ.ศ. {year}"
    elif style == "short":
        text = f"{value.day} {MONTHS_SHORT[value.month - 1]} {year % 100:02d}"
    else:
        raise ValueError(f"unknown style {style!r}")
    return to_thai_digits(text) if digits == "thai" else text


_NON_DIGITS = re.compile(r"[\s\-().]")
EMERGENCY_SHORT_CODES = {"191", "199", "1669", "1784", "1111", "1555", "1129", "1130", "1300"}


def normalize_phone(value: str) -> str:
    """Digits only, Thai digits converted; separators (spaces, dashes, dots, brackets) dropped.

    '+66 81 234 5678' -> '0812345678'. Does not validate: see is_valid_thai_phone.
    """
    text = _NON_DIGITS.sub("", to_arabic_digits(value or ""))
    if text.startswith("+66"):
        text = "0" + text[3:]
    return text


def is_valid_thai_phone(value: str) -> bool:
    """Mobile: 10 digits from 06, 08, 09; landline: 9 digits from 0 and an area code; short codes.

    An extension ('ต่อ 102') after the number is allowed.
    """
    main = re.split(r"(?:ต่อ|ext\.?|x)", value or "", maxsplit=1, flags=re.IGNORECASE)[0]
    digits = normalize_phone(main)
    if not digits.isascii() or not digits.isdigit():
        return False
    if digits in EMERGENCY_SHORT_CODES:
        return True
    if len(digits) == 10 and digits[:2] in {"06", "08", "09"}:
        return True
    return len(digits) == 9 and digits[0] == "0" and digits[1] in "234567"


def format_phone(value: str) -> str:
    """'0812345678' -> '081 234 5678'; '054511411' -> '0 5451 1411' (the official style)."""
    digits = normalize_phone(value)
    if len(digits) == 10:
        return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    if len(digits) == 9:
        return f"{digits[0]} {digits[1:5]} {digits[5:]}"
    return value


def is_valid_national_id(value: str) -> bool:
    """13-digit Thai ID with its check digit (Thai digits and dashes accepted)."""
    digits = normalize_phone(value)
    if len(digits) != 13 or not digits.isascii() or not digits.isdigit():
        return False
    total = sum(int(d) * (13 - i) for i, d in enumerate(digits[:12]))
    return (11 - total % 11) % 10 == int(digits[12])
