"""Hostile uploads: each is rejected with a clear message or stored safely, and nothing partial is left.

The acceptance list of issue 6: an executable renamed .pdf, a 100 MB file, a zip bomb (renamed .pdf
or .jpg, and a PNG decompression bomb), a file named ../../etc/passwd, a PDF with a Thai name.
Each is sent through the real request form; rows and files in MEDIA_ROOT are counted before and after.
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from PIL import Image

from eservices import uploads
from eservices.models import Attachment, Request, RequestEvent
from eservices.tests.factories import answers_post, jpeg_bytes, make_service, pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english(client):
    # Messages are asserted in their English source; Thai is the translators' (locale/).
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def media_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def counts():
    return (Request.objects.count(), Attachment.objects.count(), RequestEvent.objects.count(), media_files())


@pytest.fixture
def service(cast):
    return make_service(cast.lgo, slug="allowance")


def apply_url(service):
    return f"/services/{service.org_id}/{service.slug}/apply/"


def post(client, service, *files, **data):
    return client.post(apply_url(service), answers_post(attachments=list(files), **data))


# -- crafted hostile files ------------------------------------------------------------------------


def windows_exe() -> bytes:
    """The start of a PE executable: MZ header, a DOS stub, the PE signature."""
    head = bytearray(b"MZ" + b"\x90\x00" * 29 + b"\x80\x00\x00\x00")
    head += b"\x00" * (0x80 - len(head)) + b"PE\x00\x00" + b"\x4c\x01" + b"\x00" * 200
    return bytes(head)


def zip_bomb() -> bytes:
    """40 MB of zeros in a ~40 KB zip."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bomb.txt", b"\0" * (40 * 1024 * 1024))
    return buf.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge picture (a decompression bomb on open)."""
    data = bytearray(png_bytes((1, 1)))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr) & 0xFFFFFFFF)
    return bytes(data)


def png_bomb() -> bytes:
    """A real 8,000 × 8,000 picture (64 million pixels) that compresses to a few kilobytes."""
    buf = io.BytesIO()
    Image.new("1", (8000, 8000)).save(buf, "PNG")
    return buf.getvalue()


# -- the acceptance cases, through the form -------------------------------------------------------------


def test_an_executable_renamed_pdf_is_rejected_and_nothing_is_stored(client, service):
    before = counts()

    resp = post(client, service, upload("คำร้อง.pdf", windows_exe(), "application/pdf"))

    assert resp.status_code == 200
    body = resp.content.decode()
    assert "“คำร้อง.pdf” is not a PDF or a photo" in body
    assert "its content is a program" in body
    assert counts() == before


def test_a_100_mb_upload_is_refused_unread_with_a_friendly_page(client, service):
    before = counts()

    resp = post(client, service, upload("scan.pdf", b"%PDF-1.4\n" + b"\0" * (100 * 1024 * 1024)))

    assert resp.status_code == 413
    assert "Nothing was sent" in resp.content.decode()
    assert counts() == before


def test_an_11_mb_file_is_rejected_with_its_size_and_the_limit(client, service):
    before = counts()

    resp = post(client, service, upload("big.jpg", jpeg_bytes() + b"\0" * (11 * 1024 * 1024)))

    body = resp.content.decode()
    assert resp.status_code == 200
    assert "“big.jpg” is 11.0 MB; each file may be at most 10.0 MB" in body
    assert counts() == before


@pytest.mark.parametrize("name", ["invoice.pdf", "photo.jpg"])
def test_a_zip_bomb_renamed_is_rejected_by_content(client, service, name):
    before = counts()

    resp = post(client, service, upload(name, zip_bomb()))

    assert resp.status_code == 200
    assert f"“{name}” is not a PDF or a photo (JPEG, PNG or HEIC): its content is a compressed archive" in (
        resp.content.decode().replace("&quot;", '"')
    )
    assert counts() == before


@pytest.mark.parametrize("bomb", [png_claiming(60_000, 60_000), png_bomb()], ids=["header", "real"])
def test_a_png_decompression_bomb_is_rejected(client, service, bomb):
    before = counts()

    resp = post(client, service, upload("scan.png", bomb, "image/png"))

    assert resp.status_code == 200
    assert "“scan.png” is a picture too large to open safely" in resp.content.decode()
    assert counts() == before
    with pytest.raises(uploads.UploadRejected, match="million pixels"):
        uploads.check_file(upload("scan.png", bomb))


def test_a_path_as_file_name_is_shown_by_its_last_part_and_stored_under_a_generated_path(client, service):
    before_files = media_files()

    resp = post(client, service, upload("../../etc/passwd", jpeg_bytes(), "image/jpeg"))

    assert resp.status_code == 302
    att = Attachment.objects.get()
    assert att.original_name == "passwd"
    assert att.content_type == "image/jpeg"
    new_files = media_files() - before_files
    assert new_files == {att.file.name}
    assert att.file.name.startswith(f"eservices/{service.org_id}/requests/")
    assert "passwd" not in att.file.name and ".." not in att.file.name
    assert not os.path.exists("/etc/passwd") or Path("/etc/passwd").read_bytes() != jpeg_bytes()


def test_a_text_file_named_like_a_path_is_rejected(client, service):
    before = counts()

    resp = post(client, service, upload("../../etc/passwd", b"root:x:0:0:root:/root:/bin/bash\n"))

    assert "“passwd” is not a PDF or a photo" in resp.content.decode()
    assert counts() == before


def test_a_pdf_with_a_thai_name_is_stored_with_its_name_kept(client, service):
    name = "คำร้องขอรับเบี้ยยังชีพ ผู้สูงอายุ.pdf"

    resp = post(client, service, upload(name, pdf_bytes(), "application/pdf"))

    assert resp.status_code == 302
    att = Attachment.objects.get()
    assert att.original_name == name
    assert att.content_type == "application/pdf"
    assert att.file.read() == pdf_bytes()
    receipt = client.get(resp["Location"]).content.decode()
    assert name in receipt


def test_one_bad_file_among_good_ones_stores_none_and_says_which_to_choose_again(client, service):
    before = counts()

    resp = post(
        client, service,
        upload("บัตร.jpg", jpeg_bytes()), upload("virus.pdf", windows_exe()),
        upload("สมุดบัญชี.png", png_bytes()),
    )  # fmt: skip

    body = resp.content.decode()
    assert resp.status_code == 200
    assert "virus.pdf" in body
    for name in ("บัตร.jpg", "สมุดบัญชี.png"):
        assert name in body  # listed under "choose these files again"
    assert 'value="นางสาวสมใจ ใจดี"' in body  # nothing typed is lost
    assert counts() == before


def test_more_files_than_allowed_are_refused(client, service, settings):
    settings.ESERVICES_UPLOAD_MAX_FILES = 2
    before = counts()

    resp = post(client, service, *[upload(f"p{i}.jpg", jpeg_bytes()) for i in range(3)])

    assert "at most 2 can be sent at once" in resp.content.decode()
    assert counts() == before


# -- the checks themselves ----------------------------------------------------------------------------


def test_phone_photos_in_heic_are_accepted():
    from pillow_heif import from_pillow

    buf = io.BytesIO()
    from_pillow(Image.new("RGB", (40, 30), (0, 90, 0))).save(buf, quality=60)

    checked = uploads.check_file(upload("IMG_0001.HEIC", buf.getvalue()))

    assert checked.content_type in ("image/heic", "image/heif")
    assert checked.display_name == "IMG_0001.HEIC"


def test_a_truncated_jpeg_is_rejected_as_damaged():
    data = jpeg_bytes((400, 300))

    with pytest.raises(uploads.UploadRejected, match="not a picture that can be opened"):
        uploads.check_file(upload("cut.jpg", data[: len(data) // 2]))


def test_a_pdf_without_its_trailer_is_rejected_as_damaged():
    data = pdf_bytes()

    with pytest.raises(uploads.UploadRejected, match="damaged or incomplete"):
        uploads.check_file(upload("half.pdf", data[: len(data) // 2]))


def test_an_empty_file_is_rejected():
    with pytest.raises(uploads.UploadRejected, match="is empty"):
        uploads.check_file(upload("empty.pdf", b""))


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\somchai\\Desktop\\บัตร.jpg", "บัตร.jpg"),
        ("bad\x00name\x1f.pdf", "badname.pdf"),
        ("..", "document"),
        ("  เอกสาร   แนบ .pdf ", "เอกสาร แนบ .pdf"),
    ],
)
def test_display_names_lose_paths_and_control_characters(raw, shown):
    assert uploads.display_name(raw) == shown
