"""Checking uploaded enclosures: the type by content (never by the name), the size, the name kept.

An officer's file keeps its original (often Thai) name for downloads, but is stored under a
generated path (directives.models.enclosure_path), so a name can never reach the file system.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import filetype
from django.utils.translation import gettext as _

from phrom.lib.files import display_file_name

MAX_BYTES = 20 * 1024 * 1024  # 20 MB per file
ALLOWED = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
}
ALLOWED_TEXT = "PDF, DOCX, XLSX, JPEG, PNG"


class UploadRefused(ValueError):
    """The file cannot be an enclosure; the message says why and what to do."""


@dataclass
class CheckedUpload:
    file: object  # the UploadedFile, rewound
    original_name: str
    content_type: str
    size: int
    sha256: str


def clean_name(name: str) -> str:
    """The name as the officer gave it (Thai kept), safe to show, never used as a path."""
    return display_file_name(name, default="file", max_length=255)


def check_upload(upload) -> CheckedUpload:
    """Read the file once: size, type by its first bytes, SHA-256. Raises UploadRefused."""
    name = clean_name(getattr(upload, "name", ""))
    size = getattr(upload, "size", None) or 0
    if size > MAX_BYTES:
        raise UploadRefused(
            _("“%(name)s” is %(size)s MB; an enclosure may be at most 20 MB. Reduce it or split it.")
            % {"name": name, "size": f"{size / 1024 / 1024:.1f}"}
        )
    if size == 0:
        raise UploadRefused(_("“%(name)s” is empty. Choose the file again.") % {"name": name})
    upload.seek(0)
    head = upload.read(8192)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED:
        raise UploadRefused(
            _(
                "“%(name)s” is not a PDF, DOCX, XLSX, JPEG or PNG file "
                "(Phrom checks the content, not the name)."
            )
            % {"name": name}
        )
    digest = hashlib.sha256(head)
    for chunk in iter(lambda: upload.read(1024 * 1024), b""):
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(upload, name, kind.mime, size, digest.hexdigest())
