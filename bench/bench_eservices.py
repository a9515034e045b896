"""Citizens' e-services under load.

    make bench                                   # the catalogue page (SQLite)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/phrom_bench \\
        .venv/bin/python -m pytest bench -k eservices -p no:randomly --benchmark-only --create-db

1. The public catalogue page of a local government with the whole starter library published and a
   crisis notice, as an anonymous citizen: server time through Django's WSGI handler. Target < 50 ms.
2. 50 citizens submit a request at the same moment, each with a 5 MB photo, through the real form of
   a live server (HTTP, CSRF, upload checks, storage, the database): every request must arrive with
   its file intact, none lost. PostgreSQL only (SQLite serialises writers; production runs
   PostgreSQL).
"""

from __future__ import annotations

import hashlib
import http.cookiejar
import io
import re
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from wsgi_timing import serve

CONCURRENT = 50


def _catalogue(org, by):
    from eservices import actions, library
    from eservices.models import CrisisNotice, Service

    actions.adopt_starters(org, [s["key"] for s in library.STARTERS], by=by)
    Service.objects.filter(org=org).update(is_published=True, available_online=True, accepts_requests=True)
    CrisisNotice.objects.create(
        org=org,
        title="งดให้บริการที่สำนักงานชั่วคราว",
        text="ในช่วงการระบาด ขอให้ยื่นคำขอออนไลน์ สำนักงานปิดให้บริการที่เคาน์เตอร์",
        channels=["online_form", "phone"],
        starts_at=timezone.now(),
    )


@pytest.mark.django_db
def test_public_catalogue_page(benchmark, cast):
    _catalogue(cast.lgo, cast.site_admin)
    client = Client()
    url = reverse("citizen:org", args=[cast.lgo.pk])
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url)
    assert resp.status_code == 200
    queries = len(ctx.captured_queries)
    benchmark.extra_info.update({"database": connection.vendor, "queries": queries})
    print(f"\ncatalogue page [{connection.vendor}]: {queries} queries, {len(resp.content):,} bytes")
    status, body = benchmark(serve, client, url)
    assert status == 200 and "งดให้บริการที่สำนักงานชั่วคราว".encode() in body


def _photo_5mb() -> bytes:
    """A real JPEG of 5 MB or a little more (noise compresses badly, like a phone photo of a document)."""
    import os

    side = 1800
    while True:
        buf = io.BytesIO()
        Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buf, "JPEG", quality=95)
        if buf.tell() >= 5_000_000:
            return buf.getvalue()
        side += 100


def _submit(base: str, path: str, photo: bytes, i: int) -> tuple[int, str]:
    """One citizen: open the form (CSRF cookie), send it with the photo, follow to the receipt."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(base + path, timeout=120).read()
    token = next(c.value for c in jar if c.name == "csrftoken")
    fields = {
        "csrfmiddlewaretoken": token,
        "applicant_name": f"นางสาวทดสอบ พร้อมกัน{i}",
        "phone": f"081 234 {i:04d}",
        "f_national_id": "1101700230708",
        "f_birth_date": "15/3/2500",
        "f_address": "12 หมู่ 3 ตำบลป่าแดง อำเภอเมืองแพร่ จังหวัดแพร่ 54000",
        "f_bank": "กรุงไทย",
        "consent": "on",
        "attachments": _Upload(f"เอกสาร-{i}.jpg", photo),
    }
    body = encode_multipart(BOUNDARY, fields)
    req = urllib.request.Request(base + path, data=body, method="POST")
    req.add_header("Content-Type", MULTIPART_CONTENT)
    req.add_header("Referer", base + path)
    with opener.open(req, timeout=300) as resp:
        final = resp.geturl()
        resp.read()
        return resp.status, final


class _Upload(io.BytesIO):
    """What encode_multipart takes as a file: a name and the bytes."""

    def __init__(self, name: str, data: bytes):
        super().__init__(data)
        self.name = name


@pytest.mark.django_db(transaction=True)
def test_50_concurrent_submissions_with_5_mb_each_all_arrive(benchmark, live_server, settings, cast):
    if connection.vendor != "postgresql":
        pytest.skip("run on PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/phrom_bench")
    from eservices.models import Attachment, Request
    from eservices.tests.factories import make_service

    settings.ESERVICES_RATE_LIMITS = {"submit_address": (1000, 3600)}  # every citizen here shares 127.0.0.1
    service = make_service(cast.lgo)
    path = reverse("citizen:apply", args=[cast.lgo.pk, service.slug])
    photo = _photo_5mb()
    digest = hashlib.sha256(photo).hexdigest()
    print(f"\nphoto: {len(photo):,} bytes")

    def run():
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=CONCURRENT) as pool:
            results = list(pool.map(lambda i: _submit(live_server.url, path, photo, i), range(CONCURRENT)))
        return results, time.perf_counter() - start

    results, seconds = benchmark.pedantic(run, rounds=1, iterations=1)
    print(f"{CONCURRENT} submissions of {len(photo) / 1e6:.1f} MB in {seconds:.1f} s")
    benchmark.extra_info.update(
        {"database": connection.vendor, "submissions": CONCURRENT, "photo_bytes": len(photo)}
    )

    assert len(photo) >= 5_000_000
    assert all(status == 200 for status, _url in results), results
    codes = {re.search(r"/receipt/([^/]+)/", url).group(1) for _status, url in results}
    assert len(codes) == CONCURRENT  # every citizen got a receipt of their own
    requests = Request.objects.filter(service=service)
    assert requests.count() == CONCURRENT and set(requests.values_list("tracking_code", flat=True)) == codes
    attachments = list(Attachment.objects.filter(request__service=service))
    assert len(attachments) == CONCURRENT
    for a in attachments:  # none lost, none truncated
        assert a.size == len(photo) and a.sha256 == digest
        with default_storage.open(a.file.name) as f:
            assert hashlib.sha256(f.read()).hexdigest() == digest
