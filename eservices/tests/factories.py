"""Small factories for e-service tests: services with request-form fields, requests, real files.

Shared by the public and the staff tests (either side may extend it). Everything goes through the
ORM or the real intake, so tests exercise the same code as the pages.
"""

from __future__ import annotations

import io
from itertools import count

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from eservices.models import FieldType, FormField, Service

_seq = count(1)


def make_service(org, *, name="ขอรับเบี้ยยังชีพผู้สูงอายุ", slug=None, published=True, accepts_requests=True,
                 fields=True, **values) -> Service:  # fmt: skip
    """A service in the citizen's-manual shape; with `fields`, a request form of every field type."""
    n = next(_seq)
    defaults = dict(
        summary="ลงทะเบียนรับเบี้ยยังชีพสำหรับผู้ที่มีอายุครบ 60 ปีบริบูรณ์",
        unit="กองสวัสดิการสังคม",
        legal_basis="ระเบียบกระทรวงมหาดไทยว่าด้วยหลักเกณฑ์การจ่ายเงินเบี้ยยังชีพผู้สูงอายุขององค์กรปกครองส่วนท้องถิ่น พ.ศ. 2552",
        eligibility="ผู้มีสัญชาติไทย อายุ 60 ปีบริบูรณ์ขึ้นไป มีภูมิลำเนาในเขตองค์กรปกครองส่วนท้องถิ่น",
        hours="วันจันทร์ถึงวันศุกร์ เวลา 08.30–16.30 น. (เว้นวันหยุดราชการ)",
        steps=[
            {"text": "ยื่นคำขอและตรวจเอกสาร", "minutes": 10, "unit": "กองสวัสดิการสังคม"},
            {"text": "พิจารณาคุณสมบัติ", "minutes": 20, "unit": "กองสวัสดิการสังคม"},
        ],
        processing_days=3,
        documents=[
            {"name": "บัตรประจำตัวประชาชน", "original": True, "copies": 1, "note": ""},
            {"name": "สมุดบัญชีเงินฝากธนาคาร", "original": False, "copies": 1, "note": "หน้าแรกที่มีเลขบัญชี"},
        ],
        fees="ไม่เสียค่าธรรมเนียม",
        complaints="ศูนย์ดำรงธรรมจังหวัด โทร 1567",
        channels=["online_form", "counter", "phone"],
        channel_details={"phone": "054 000 001"},
        available_online=accepts_requests,
        accepts_requests=accepts_requests,
        is_published=published,
        order=n,
    )
    defaults.update(values)
    service = Service.objects.create(org=org, slug=slug or f"service-{n}", name=name, **defaults)
    if fields:
        specs = [
            ("national_id", "เลขประจำตัวประชาชน", FieldType.NATIONAL_ID, True, []),
            ("birth_date", "วันเกิด", FieldType.DATE, True, []),
            ("address", "ที่อยู่ตามทะเบียนบ้าน", FieldType.ADDRESS, True, []),
            ("bank", "ธนาคาร", FieldType.CHOICE, True, ["กรุงไทย", "ธ.ก.ส.", "ออมสิน"]),
            ("note", "หมายเหตุ", FieldType.TEXTAREA, False, []),
        ]
        for order, (key, label, kind, required, choices) in enumerate(specs):
            FormField.objects.create(
                service=service, key=key, label=label, field_type=kind, required=required, choices=choices,
                order=order,
            )  # fmt: skip
    return service


VALID_NATIONAL_ID = "1101700230708"  # a made-up number with a correct check digit


def answers_post(**overrides) -> dict:
    """POST data for make_service(fields=True)'s form, valid as given."""
    data = {
        "applicant_name": "นางสาวสมใจ ใจดี",
        "phone": "081 234 5678",
        "email": "",
        "f_national_id": VALID_NATIONAL_ID,
        "f_birth_date": "15/3/2500",
        "f_address": "12 หมู่ 3 ตำบลป่าแดง อำเภอเมืองแพร่ จังหวัดแพร่ 54000",
        "f_bank": "กรุงไทย",
        "f_note": "",
        "consent": "on",
        "homepage": "",
    }
    data.update(overrides)
    return data


def jpeg_bytes(size=(64, 48), color=(200, 30, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "JPEG", quality=85)
    return buf.getvalue()


def png_bytes(size=(32, 32)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buf, "PNG")
    return buf.getvalue()


def pdf_bytes() -> bytes:
    """A real one-page PDF (Pillow writes it)."""
    buf = io.BytesIO()
    Image.new("RGB", (100, 140), (255, 255, 255)).save(buf, "PDF")
    return buf.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)
