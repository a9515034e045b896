"""Enclosure files: type by content, size, Thai names kept, nothing partial, access-checked download."""

from __future__ import annotations

import io
import os
from urllib.parse import quote

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from directives import actions, uploads
from directives.models import Directive, Enclosure

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buf, "PNG")
    return buf.getvalue()


def form(issuer, **files):
    data = {
        "issuer": issuer.pk, "subject": "มีสิ่งที่ส่งมาด้วย", "ask": "inform", "groups": ["districts"],
        "ref-TOTAL_FORMS": 0, "ref-INITIAL_FORMS": 0, "enc-TOTAL_FORMS": 2, "enc-INITIAL_FORMS": 0,
    }  # fmt: skip
    for i, (title, f) in enumerate(files.items()):
        data[f"enc-{i}-title"] = title
        data[f"enc-{i}-file"] = f
    return data


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def stored_files() -> list[str]:
    root = default_storage.path("")
    return [os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files]


def test_a_pdf_with_a_thai_name_is_stored_under_a_generated_path_and_keeps_its_name(cast, client):
    client.force_login(cast.province_officer)
    name = "หนังสือกรมส่งเสริม ว1434.pdf"
    resp = client.post(
        reverse("directives:new"), form(cast.provincial_office, สำเนาหนังสือ=SimpleUploadedFile(name, PDF))
    )

    assert resp.status_code == 302
    enc = Enclosure.objects.get()
    assert enc.original_name == name and enc.content_type == "application/pdf" and enc.size == len(PDF)
    assert "ส่งเสริม" not in enc.file.name and enc.file.name.startswith(
        f"directives/{cast.provincial_office.pk}/"
    )
    download = client.get(reverse("directives:enclosure", args=[enc.pk]))
    assert b"".join(download.streaming_content) == PDF
    assert f"filename*=utf-8''{quote(name)}" in download["Content-Disposition"]


def test_the_type_is_checked_by_content_not_by_the_name(cast, client):
    client.force_login(cast.province_officer)
    fake = SimpleUploadedFile("รายงาน.pdf", b"MZ\x90\x00 this is a program, not a PDF" * 10)
    resp = client.post(reverse("directives:new"), form(cast.provincial_office, รายงาน=fake))

    assert resp.status_code == 422
    assert (
        "is not a PDF, DOCX, XLSX, JPEG or PNG file" in resp.content.decode()
        or "ไม่ใช่" in resp.content.decode()
    )
    assert not Directive.objects.exists()


def test_an_image_passes_and_a_bad_second_file_writes_nothing(cast, client):
    client.force_login(cast.province_officer)
    resp = client.post(
        reverse("directives:new"),
        form(
            cast.provincial_office,
            แผนที่=SimpleUploadedFile("แผนที่.png", png()),
            สคริปต์=SimpleUploadedFile("x.docx", b"#!/bin/sh\necho not a docx\n"),
        ),
    )
    page = resp.content.decode()
    assert resp.status_code == 422 and "choose the enclosure files again" in page.lower() or "เลือกไฟล์" in page
    assert not Directive.objects.exists() and not Enclosure.objects.exists() and stored_files() == []


def test_a_file_over_20_mb_is_refused_with_its_size(monkeypatch):
    big = SimpleUploadedFile("ใหญ่.pdf", PDF)
    big.size = 21 * 1024 * 1024
    with pytest.raises(uploads.UploadRefused, match="21.0 MB"):
        uploads.check_upload(big)


def test_a_failure_after_files_were_stored_removes_them(cast, monkeypatch):
    checked = uploads.check_upload(SimpleUploadedFile("ก.pdf", PDF))

    def boom(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(actions, "record", boom)
    with pytest.raises(RuntimeError):
        actions.create_directive(
            issuer=cast.provincial_office, by=cast.province_officer, values={"subject": "x"},
            enclosures=[{"title": "ก", "upload": checked}],
        )  # fmt: skip
    assert not Directive.objects.exists() and stored_files() == []


def test_addressees_down_the_chain_download_the_originals_enclosures_others_do_not(cast, client):
    from directives.tests.conftest import make_directive

    checked = uploads.check_upload(SimpleUploadedFile("ต้นฉบับ.pdf", PDF))
    d = make_directive(cast)
    actions.update_directive(d, by=cast.province_officer, values={}, to=[], copies=[],
                             enclosures=[{"title": "ต้นฉบับ", "upload": checked}])  # fmt: skip
    d = actions.issue_directive(d, by=cast.province_officer)
    actions.relay_directive(d, issuer=cast.district, by=cast.district_officer)
    enc = Enclosure.objects.get()
    url = reverse("directives:enclosure", args=[enc.pk])

    client.force_login(cast.planner)  # received the district's relay only
    assert client.get(url).status_code == 200
    client.force_login(cast.other_planner)  # another district: its district has not relayed
    assert client.get(url).status_code == 404
