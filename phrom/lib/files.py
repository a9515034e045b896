"""Names of uploaded files, as people see them.

An upload keeps the name its sender gave it (Thai kept) for display and downloads only; files are
always stored under generated paths, so a name never reaches the file system.
"""

from __future__ import annotations

import unicodedata


def display_file_name(raw: str | None, *, default: str = "file", max_length: int = 150) -> str:
    """'../../etc/passwd' -> 'passwd': no folder part, no control characters, NFC, at most
    `max_length` characters (the extension kept), `default` when nothing is left."""
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = " ".join(name.split()).strip(". ")
    if len(name) > max_length:
        stem, dot, ext = name.rpartition(".")
        keep_ext = dot and len(ext) <= 10
        name = stem[: max_length - len(ext) - 1] + "." + ext if keep_ext else name[:max_length]
    return name or default
