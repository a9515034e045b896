"""Checking citizens' uploads by what they are, not by what they are called.

A file is accepted only if its bytes are a PDF, JPEG, PNG or HEIC/HEIF picture (phones) that
actually opens: images are fully decoded (with a pixel limit against decompression bombs), PDFs
must have a PDF header and trailer and, where pypdfium2 is installed, open with PDFium. The name a
citizen's device gave the file is kept only for display (NFC, no path, no control characters);
the stored path is always generated (eservices.models.attachment_path).

Limits (settings, with defaults): ESERVICES_UPLOAD_MAX_FILE_SIZE (10 MB per file),
ESERVICES_UPLOAD_MAX_FILES (5 per submission), ESERVICES_UPLOAD_MAX_TOTAL_SIZE (25 MB per
submission), ESERVICES_UPLOAD_MAX_PIXELS (50 million pixels per picture).
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from phrom.lib.files import display_file_name

MB = 1024 * 1024
DEFAULTS = {
    "ESERVICES_UPLOAD_MAX_FILE_SIZE": 10 * MB,
    "ESERVICES_UPLOAD_MAX_FILES": 5,
    "ESERVICES_UPLOAD_MAX_TOTAL_SIZE": 25 * MB,
    "ESERVICES_UPLOAD_MAX_PIXELS": 50_000_000,
}
# What the form may carry besides files (names, answers): the margin above the file total before
# a request body is refused unread.
FORM_FIELDS_MARGIN = 1 * MB

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
HEIC = "image/heic"
HEIF = "image/heif"
ACCEPTED = {PDF, JPEG, PNG, HEIC, HEIF}
# Pillow's names for the formats we accept (phones write MPO: a JPEG with extra pictures inside).
PILLOW_FORMATS = {JPEG: {"JPEG", "MPO"}, PNG: {"PNG"}, HEIC: {"HEIF"}, HEIF: {"HEIF"}}
# Shown to people (and in the file input's accept attribute).
ACCEPT_ATTR = ".pdf,.jpg,.jpeg,.png,.heic,.heif,application/pdf,image/jpeg,image/png,image/heic,image/heif"

PROGRAMS = {
    "application/x-msdownload", "application/x-executable", "application/x-mach-binary",
    "application/x-elf", "application/x-sh", "application/x-shockwave-flash",
}  # fmt: skip
ARCHIVES = {
    "application/zip", "application/x-rar-compressed", "application/x-7z-compressed", "application/gzip",
    "application/x-tar", "application/x-bzip2", "application/x-xz", "application/x-lzip",
}  # fmt: skip

_heif_registered = False


def limit(name: str) -> int:
    return int(getattr(settings, name, DEFAULTS[name]))


def max_request_body() -> int:
    """The largest request body the application form may send; larger ones are refused unread."""
    return limit("ESERVICES_UPLOAD_MAX_TOTAL_SIZE") + FORM_FIELDS_MARGIN


def _register_heif() -> None:
    global _heif_registered
    if not _heif_registered:
        from pillow_heif import register_heif_opener

        register_heif_opener()
        _heif_registered = True


class UploadRejected(Exception):
    """A file that is not accepted; str() is the message for the citizen."""


@dataclass
class CheckedFile:
    display_name: str
    content_type: str
    size: int
    sha256: str
    data: bytes


def display_name(raw: str | None) -> str:
    """The file's name as the citizen will recognise it, safe to show and never used as a path."""
    return display_file_name(raw, default=_("document"))


def _describe(kind) -> str:
    """A plain word for what a rejected file seems to be."""
    if kind is None:
        return _("a file of unknown type")
    mime = kind.mime
    if mime in PROGRAMS:
        return _("a program")
    if mime in ARCHIVES:
        return _("a compressed archive")
    return kind.extension.upper() if kind.extension else mime


def check_file(upload) -> CheckedFile:
    """Read one uploaded file and return it checked, or raise UploadRejected with a clear message."""
    name = display_name(getattr(upload, "name", ""))
    max_size = limit("ESERVICES_UPLOAD_MAX_FILE_SIZE")
    size = getattr(upload, "size", None)
    if size is not None and size > max_size:
        raise UploadRejected(
            _("“%(name)s” is %(size)s; each file may be at most %(max)s. Take the photo at a lower "
              "resolution or scan at 150–200 dpi, then choose it again.")
            % {"name": name, "size": filesizeformat(size), "max": filesizeformat(max_size)}
        )  # fmt: skip
    upload.seek(0)
    data = upload.read(max_size + 1)
    if len(data) > max_size:
        raise UploadRejected(
            _("“%(name)s” is larger than %(max)s, the limit for one file.")
            % {"name": name, "max": filesizeformat(max_size)}
        )
    if not data:
        raise UploadRejected(_("“%(name)s” is empty. Choose the file again.") % {"name": name})
    kind = filetype.guess(data[:8192])
    mime = kind.mime if kind else None
    if mime == HEIF or (kind is not None and kind.extension in ("heic", "heif")):
        mime = HEIC if kind.extension == "heic" else HEIF
    if mime is None and b"%PDF-" in data[:1024]:
        mime = PDF
    if mime not in ACCEPTED:
        raise UploadRejected(
            _("“%(name)s” is not a PDF or a photo (JPEG, PNG or HEIC): its content is %(what)s. "
              "Whatever its name ends with, only PDF documents and photos are accepted.")
            % {"name": name, "what": _describe(kind)}
        )  # fmt: skip
    if mime == PDF:
        _check_pdf(data, name)
    else:
        _check_image(data, name, mime)
    return CheckedFile(
        display_name=name,
        content_type=mime,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
    )


def _check_pdf(data: bytes, name: str) -> None:
    damaged = UploadRejected(
        _("“%(name)s” looks like a PDF but is damaged or incomplete, so staff could not open it. "
          "Save or scan it again, then choose it again.") % {"name": name}
    )  # fmt: skip
    if b"%PDF-" not in data[:1024] or b"%%EOF" not in data[-2048:] or b"startxref" not in data[-4096:]:
        raise damaged
    try:
        import pypdfium2 as pdfium
    except ImportError:  # the structural check above is what runs without PDFium
        return
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise UploadRejected(
                _("“%(name)s” is protected by a password, so staff could not open it. Save a copy "
                  "without a password and choose it again.") % {"name": name}
            ) from exc  # fmt: skip
        raise damaged from exc
    try:
        if len(doc) < 1:
            raise damaged
    finally:
        doc.close()


def _check_image(data: bytes, name: str, mime: str) -> None:
    if mime in (HEIC, HEIF):
        _register_heif()
    max_pixels = limit("ESERVICES_UPLOAD_MAX_PIXELS")
    too_big = UploadRejected(
        _("“%(name)s” is a picture too large to open safely (more than %(mp)s million pixels). "
          "Take the photo again at a normal size.") % {"name": name, "mp": max_pixels // 1_000_000}
    )  # fmt: skip
    damaged = UploadRejected(
        _("“%(name)s” is not a picture that can be opened (damaged or not really a %(type)s). "
          "Take the photo again or choose another file.")
        % {"name": name, "type": mime.split("/")[1].upper()}
    )  # fmt: skip
    with warnings.catch_warnings():
        # Our own pixel limit decides, not Pillow's process-wide warning threshold.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as im:
                if im.format not in PILLOW_FORMATS[mime]:
                    raise damaged
                width, height = im.size
                if width * height > max_pixels:
                    raise too_big
                if mime in (JPEG, PNG):
                    im.verify()
            with Image.open(io.BytesIO(data)) as im:
                im.load()  # the full decode: a truncated or crafted file fails here
        except Image.DecompressionBombError as exc:
            raise too_big from exc
        except UploadRejected:
            raise
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
            raise damaged from exc
        except MemoryError as exc:
            raise too_big from exc


def check_files(uploads: list) -> tuple[list[CheckedFile], list[str]]:
    """Check a batch against every rule. Returns (files, errors); any error means use none of them."""
    errors: list[str] = []
    max_files = limit("ESERVICES_UPLOAD_MAX_FILES")
    max_total = limit("ESERVICES_UPLOAD_MAX_TOTAL_SIZE")
    if len(uploads) > max_files:
        return [], [
            _("You chose %(count)s files; at most %(max)s can be sent at once. Combine pages into one "
              "PDF, or send the rest later.") % {"count": len(uploads), "max": max_files}
        ]  # fmt: skip
    total = sum(getattr(u, "size", 0) or 0 for u in uploads)
    if total > max_total:
        return [], [
            _("The files together are %(size)s; at most %(max)s can be sent at once.")
            % {"size": filesizeformat(total), "max": filesizeformat(max_total)}
        ]
    checked = []
    for upload in uploads:
        try:
            checked.append(check_file(upload))
        except UploadRejected as exc:
            errors.append(str(exc))
    return (checked if not errors else []), errors
