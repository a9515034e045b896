"""Catalogue management: adopt from the starter library, edit (with conflicts), fields, forms, publish."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from audit.models import AuditEvent
from eservices import actions, library
from eservices.models import FormField, Service, ServiceForm
from eservices.tests.factories import jpeg_bytes, pdf_bytes, upload
from orgs.actions import add_member
from orgs.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(cast):
    from accounts.models import User

    u = User.objects.create_user(username="svc", password="x-pass-123", full_name="นางบริการ ดีใจ")
    add_member(cast.lgo, u, Role.SERVICE)
    return u


def url(name, *args):
    return reverse(f"eservices:{name}", args=args)


def test_the_library_is_a_set_of_complete_citizens_manuals():
    assert 12 <= len(library.STARTERS) <= 20
    keys = [s["key"] for s in library.STARTERS]
    assert len(keys) == len(set(keys))
    for s in library.STARTERS:
        assert s["name"] and s["legal_basis"] and s["eligibility"] and s["steps"] and s["fees"], s["key"]
        assert "พ.ศ." in s["legal_basis"], s["key"]  # names a real Act or regulation with its year
        assert s["processing_days"] or s["processing_minutes"], s["key"]
        assert all(step["text"] and step["minutes"] for step in s["steps"]), s["key"]
        assert set(s["channels"]) <= {c.value for c in actions.Channel}, s["key"]
        assert s["fields"] and len({f["key"] for f in s["fields"]}) == len(s["fields"]), s["key"]
        for d in s["documents"]:  # no copies of the ID card or house registration are demanded
            if d["name"].startswith(("บัตรประจำตัวประชาชน", "ทะเบียนบ้าน")):
                assert d["copies"] == 0, s["key"]


def test_it_adopts_starters_as_drafts_once(cast, staff, client):
    client.force_login(staff)
    resp = client.post(url("adopt", cast.lgo.pk), {"key": ["elderly-allowance", "building-permit"]})
    assert resp.status_code == 302
    services = {s.starter_key: s for s in Service.objects.filter(org=cast.lgo)}
    assert set(services) == {"elderly-allowance", "building-permit"}
    elderly = services["elderly-allowance"]
    assert not elderly.is_published
    assert cast.lgo.name_th in elderly.eligibility and "{org}" not in elderly.complaints
    assert FormField.objects.filter(service=elderly).count() == len(
        library.BY_KEY["elderly-allowance"]["fields"]
    )
    assert AuditEvent.objects.filter(action="eservices.adopt", organization=cast.lgo).count() == 1
    # again, with one more: only the new one is created
    client.post(url("adopt", cast.lgo.pk), {"key": ["elderly-allowance", "complaint"]})
    assert Service.objects.filter(org=cast.lgo).count() == 3
    assert Service.objects.filter(org=cast.lgo, starter_key="elderly-allowance").count() == 1


def test_it_lists_the_usual_services_first(cast, staff, client):
    client.force_login(staff)
    resp = client.get(url("adopt", cast.lgo.pk))
    body = resp.content.decode()
    assert (
        body.index(library.BY_KEY["elderly-allowance"]["name"]) < body.index("Less usual")
        if "Less usual" in body
        else True
    )
    assert library.BY_KEY["village-water"]["name"] in body


def _edit_post(service, **over):
    data = {
        "version": service.version,
        "name": "ขอรถบรรทุกน้ำ",
        "summary": "ส่งน้ำเมื่อขาดแคลน",
        "unit": "สำนักปลัด",
        "legal_basis": "พระราชบัญญัติป้องกันและบรรเทาสาธารณภัย พ.ศ. 2550",
        "eligibility": "ทุกครัวเรือน",
        "hours": "ทุกวัน",
        "processing_days": "๒",
        "processing_minutes": "",
        "fees": "ไม่เสียค่าธรรมเนียม",
        "complaints": "ศูนย์ดำรงธรรม 1567",
        "channels": ["phone", "line"],
        "detail_line": "@padaeng",
        "detail_phone": "054 000 001",
        "detail_email": "ignored@example.test",
        "step_text": ["รับคำร้อง", "", "ส่งน้ำ"],
        "step_minutes": ["๓๐", "", "480"],
        "step_unit": ["สำนักปลัด", "", ""],
        "doc_name": ["บัตรประจำตัวประชาชน"],
        "doc_original": ["1"],
        "doc_copies": ["0"],
        "doc_note": ["แสดงบัตร"],
    }
    data.update(over)
    return data


def test_it_saves_every_part_of_the_manual(cast, staff, client):
    service = actions.create_service(cast.lgo, name="ร่าง", by=staff)
    client.force_login(staff)
    resp = client.post(url("service_edit", cast.lgo.pk, service.pk), _edit_post(service))
    assert resp.status_code == 302, resp.content.decode()[:2000]
    service.refresh_from_db()
    assert service.name == "ขอรถบรรทุกน้ำ" and service.processing_days == 2
    assert service.steps == [
        {"text": "รับคำร้อง", "minutes": 30, "unit": "สำนักปลัด"},
        {"text": "ส่งน้ำ", "minutes": 480, "unit": ""},
    ]
    assert service.documents == [{"name": "บัตรประจำตัวประชาชน", "original": 1, "copies": 0, "note": "แสดงบัตร"}]
    assert service.channels == ["line", "phone"]
    assert service.channel_details == {"line": "@padaeng", "phone": "054 000 001"}  # unticked e-mail dropped
    assert service.version == 2
    assert AuditEvent.objects.filter(action="eservices.service_update", object_id=str(service.pk)).exists()


def test_a_step_without_text_is_refused_with_a_message(cast, staff, client):
    service = actions.create_service(cast.lgo, name="ร่าง", by=staff)
    client.force_login(staff)
    resp = client.post(
        url("service_edit", cast.lgo.pk, service.pk),
        _edit_post(service, step_text=[""], step_minutes=["abc"], step_unit=[""]),
    )
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "Step 1" in body or "ขั้นตอนที่ 1" in body
    service.refresh_from_db()
    assert service.version == 1


def test_a_conflicting_edit_shows_both_versions_and_loses_nothing(cast, staff, client):
    service = actions.create_service(cast.lgo, name="ร่าง", by=staff)
    stale = _edit_post(service, name="ชื่อของฉัน")
    actions.update_service(service, expected_version=1, values={"name": "ชื่อของเพื่อนร่วมงาน"}, by=staff)
    client.force_login(staff)
    resp = client.post(url("service_edit", cast.lgo.pk, service.pk), stale)
    assert resp.status_code == 409
    body = resp.content.decode()
    assert "ชื่อของฉัน" in body and "ชื่อของเพื่อนร่วมงาน" in body
    service.refresh_from_db()
    assert service.name == "ชื่อของเพื่อนร่วมงาน"
    # saving again from the conflict page (it carries the new version) goes through
    again = _edit_post(service, name="ชื่อของฉัน")
    assert client.post(url("service_edit", cast.lgo.pk, service.pk), again).status_code == 302
    service.refresh_from_db()
    assert service.name == "ชื่อของฉัน"


def test_members_without_the_service_role_read_but_cannot_change(cast, client):
    service = actions.create_service(cast.lgo, name="ร่าง", by=None)
    client.force_login(cast.viewer)
    assert client.get(url("catalogue", cast.lgo.pk)).status_code == 200
    assert client.get(url("service_edit", cast.lgo.pk, service.pk)).status_code == 200
    assert client.post(url("service_edit", cast.lgo.pk, service.pk), _edit_post(service)).status_code == 403
    assert client.post(url("adopt", cast.lgo.pk), {"key": ["complaint"]}).status_code == 403
    assert client.post(url("service_publish", cast.lgo.pk, service.pk), {"publish": "1"}).status_code == 403
    assert Service.objects.filter(org=cast.lgo).count() == 1


def test_it_hides_other_organizations_catalogues(cast, client):
    service = actions.create_service(cast.lgo_other_district, name="ลับ", by=None)
    client.force_login(cast.approver)
    assert client.get(url("catalogue", cast.lgo_other_district.pk)).status_code == 404
    assert client.get(url("service_edit", cast.lgo_other_district.pk, service.pk)).status_code == 404
    # and an entry of another organization under one's own organization's URL
    assert client.get(url("service_edit", cast.lgo.pk, service.pk)).status_code == 404


def test_publishing_needs_a_complete_manual(cast, staff, client):
    service = actions.create_service(cast.lgo, name="ร่าง", by=staff)
    client.force_login(staff)
    client.post(url("service_publish", cast.lgo.pk, service.pk), {"publish": "1"})
    service.refresh_from_db()
    assert not service.is_published
    client.post(url("service_edit", cast.lgo.pk, service.pk), _edit_post(service))
    client.post(url("service_publish", cast.lgo.pk, service.pk), {"publish": "1"})
    service.refresh_from_db()
    assert service.is_published
    assert AuditEvent.objects.filter(action="eservices.publish", object_id=str(service.pk)).exists()


def test_the_field_editor_adds_reorders_and_removes(cast, staff, client):
    service = actions.create_service(cast.lgo, name="ร่าง", by=staff)
    client.force_login(staff)
    fields_url = url("service_fields", cast.lgo.pk, service.pk)
    resp = client.post(
        fields_url, {"new-label": "ประเภทภัย", "new-field_type": "choice", "new-choices_text": "น้ำท่วม"}
    )
    assert resp.status_code == 422  # a choice needs two choices
    client.post(
        fields_url,
        {
            "new-label": "ประเภทภัย",
            "new-field_type": "choice",
            "new-choices_text": "น้ำท่วม\nไฟไหม้\n",
            "new-required": "on",
        },
    )
    client.post(fields_url, {"new-label": "Address", "new-field_type": "address", "new-help_text": "บ้านเลขที่"})
    first, second = service.fields.order_by("order")
    assert first.choices == ["น้ำท่วม", "ไฟไหม้"] and first.required and not second.required
    client.post(url("field_move", cast.lgo.pk, service.pk, second.pk), {"direction": "up"})
    assert list(service.fields.order_by("order").values_list("pk", flat=True)) == [second.pk, first.pk]
    resp = client.get(fields_url)
    assert "ไฟไหม้" in resp.content.decode()  # the preview shows the choices
    client.post(url("field_delete", cast.lgo.pk, service.pk, first.pk))
    assert list(service.fields.values_list("pk", flat=True)) == [second.pk]


def test_it_keeps_thai_form_names_and_stores_under_a_generated_path(cast, staff, client):
    service = actions.create_service(cast.lgo, name="ร่าง", by=staff)
    client.force_login(staff)
    resp = client.post(
        url("form_upload", cast.lgo.pk, service.pk),
        {"title": "แบบคำขอ", "file": upload("../../แบบคำขอ ข.1.pdf", pdf_bytes())},
    )
    assert resp.status_code == 302
    form = ServiceForm.objects.get(service=service)
    assert form.original_name == "แบบคำขอ ข.1.pdf" and form.content_type == "application/pdf"
    assert form.file.name.startswith(f"eservices/{cast.lgo.pk}/forms/") and "แบบ" not in form.file.name
    assert default_storage.exists(form.file.name)
    resp = client.get(url("form_file", cast.lgo.pk, service.pk, form.pk))
    assert resp.status_code == 200 and b"".join(resp.streaming_content).startswith(b"%PDF")
    assert "filename*=utf-8''" in resp["Content-Disposition"]


@pytest.mark.parametrize(
    "name,data",
    [
        ("virus.pdf", b"MZ\x90\x00" + b"\x00" * 200),
        ("photo.pdf", jpeg_bytes()),
        ("big.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024)),
    ],
)
def test_it_refuses_forms_that_are_not_pdf_word_or_excel_or_too_big(cast, staff, client, name, data):
    service = actions.create_service(cast.lgo, name="ร่าง", by=staff)
    client.force_login(staff)
    resp = client.post(
        url("form_upload", cast.lgo.pk, service.pk), {"title": "", "file": upload(name, data)}, follow=True
    )
    assert not ServiceForm.objects.exists()
    body = resp.content.decode()
    assert "10 MB" in body or "PDF" in body


def test_the_row_endpoint_gives_a_blank_row(cast, staff, client):
    service = actions.create_service(cast.lgo, name="ร่าง", by=staff)
    client.force_login(staff)
    resp = client.get(url("service_row", cast.lgo.pk, service.pk, "step"))
    assert resp.status_code == 200 and 'name="step_text"' in resp.content.decode()
    assert client.get(url("service_row", cast.lgo.pk, service.pk, "other")).status_code == 404
