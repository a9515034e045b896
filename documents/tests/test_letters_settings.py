"""The organization's document settings: the page, the emblem upload, and document_settings_for.

Until documents/urls.py carries the settings routes, this module serves them itself (its own
urlpatterns, used through pytest.mark.urls).
"""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import include, path, reverse
from PIL import Image

from audit.models import AuditEvent
from documents import settings_views
from documents import urls as documents_urls
from documents.letter_models import (
    DocumentSettings,
    document_settings,
    document_settings_for,
    executive_title_for,
)
from phrom import urls as project_urls

_names = {getattr(p, "name", None) for p in documents_urls.urlpatterns}
_mine = [
    path("org/<int:org_pk>/settings/", settings_views.document_settings, name="settings"),
    path("org/<int:org_pk>/settings/emblem/", settings_views.emblem_image, name="settings_emblem"),
]
urlpatterns = [
    p for p in project_urls.urlpatterns if getattr(p, "pattern", None) and str(p.pattern) != "documents/"
] + [
    path(
        "documents/",
        include(([*documents_urls.urlpatterns, *(p for p in _mine if p.name not in _names)], "documents")),
    ),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def png(width=300, height=300, fmt="PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 40, 90)).save(out, format=fmt)
    return out.getvalue()


def url(org):
    return reverse("documents:settings", kwargs={"org_pk": org.pk})


def form_data(**over):
    data = {
        "digits": "thai", "office_lines": "องค์การบริหารส่วนตำบลป่าแดง\nอำเภอเมืองแพร่ จังหวัดแพร่ ๕๔๐๐๐",
        "owning_unit": "สำนักปลัด", "phone": "054000001", "fax": "", "email": "saraban@padaeng.example",
        "executive_title": "", "signer_name": "นายสมชาย ใจดี", "signer_positions": "",
    }  # fmt: skip
    return {**data, **over}


def test_defaults_come_from_the_organization_when_nothing_is_saved(cast):
    found = document_settings_for(cast.lgo)
    assert found["saved"] is False and found["digits"] == "thai"
    assert found["office_lines"][0] == "องค์การบริหารส่วนตำบลป่าแดง"
    assert found["executive_title"] == "นายกองค์การบริหารส่วนตำบลป่าแดง"
    assert found["signer_positions"] == ["นายกองค์การบริหารส่วนตำบลป่าแดง"]
    assert found["emblem_source"] == "placeholder" and found["emblem"].lstrip().startswith(b"<")
    assert found["phone"] == "054 000 001"
    # The plan documents' hook: no emblem of its own until one is uploaded.
    assert document_settings(cast.lgo) == {"digits": "thai", "emblem": None, "emblem_bytes": None}


def test_executive_titles_follow_the_kind_of_organization(cast):
    assert executive_title_for(cast.lgo_same_district) == "นายกเทศมนตรีตำบลช่อแฮ"
    assert executive_title_for(cast.province) == "ผู้ว่าราชการจังหวัดแพร่"
    assert executive_title_for(cast.district) == "นายอำเภอเมืองแพร่"


def test_the_site_emblem_is_used_when_the_organization_has_none(cast, settings, tmp_path):
    from documents import letter_models

    path_ = tmp_path / "garuda.png"
    path_.write_bytes(png())
    settings.PHROM_EMBLEM_PATH = str(path_)
    letter_models._file_bytes.cache_clear()
    found = document_settings_for(cast.lgo)
    assert found["emblem_source"] == "site" and found["emblem"] == path_.read_bytes()


def test_a_planner_saves_the_settings_and_uploads_an_emblem(client, cast):
    client.force_login(cast.planner)
    upload = SimpleUploadedFile("emblem.jpg", png(800, 1200, "JPEG"), content_type="image/jpeg")
    response = client.post(url(cast.lgo), {**form_data(digits="arabic"), "emblem": upload})
    assert response.status_code == 302
    saved = DocumentSettings.objects.get(organization=cast.lgo)
    assert saved.digits == "arabic" and saved.signer_name == "นายสมชาย ใจดี"
    with Image.open(io.BytesIO(bytes(saved.emblem_png))) as im:
        assert im.format == "PNG" and im.height == 600  # re-encoded and scaled down
    found = document_settings_for(cast.lgo)
    assert found["emblem_source"] == "organization" and found["owning_unit"] == ["สำนักปลัด"]
    assert AuditEvent.objects.filter(action="documents.settings.update", organization=cast.lgo).exists()
    page = client.get(url(cast.lgo))
    assert page.status_code == 200 and "นายสมชาย ใจดี" in page.content.decode()
    image = client.get(reverse("documents:settings_emblem", kwargs={"org_pk": cast.lgo.pk}))
    assert image["Content-Type"] == "image/png" and image.content == bytes(saved.emblem_png)


@pytest.mark.parametrize(
    "content, name, message",
    [
        (b"%PDF-1.7 not an image", "emblem.png", "not an image Phrom can read"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "emblem.svg",
            "not an image",
        ),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "broken.png", "not an image"),
    ],
)
def test_a_file_that_is_not_a_picture_is_refused_with_a_clear_message(client, cast, content, name, message):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the English source of the message
    client.force_login(cast.planner)
    response = client.post(url(cast.lgo), {**form_data(), "emblem": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not DocumentSettings.objects.filter(organization=cast.lgo).exists()  # nothing written


def test_an_image_over_2_mb_is_refused(client, cast):
    client.force_login(cast.planner)
    big = SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * (2 * 1024 * 1024 + 1))
    response = client.post(url(cast.lgo), {**form_data(), "emblem": big})
    assert response.status_code == 200 and "2 MB" in response.content.decode()
    assert not DocumentSettings.objects.filter(organization=cast.lgo).exists()


def test_a_viewer_reads_but_cannot_change(client, cast):
    client.force_login(cast.viewer)
    assert client.get(url(cast.lgo)).status_code == 200
    assert client.post(url(cast.lgo), form_data()).status_code == 403
    assert not DocumentSettings.objects.filter(organization=cast.lgo).exists()


def test_outsiders_get_404(client, cast):
    client.force_login(cast.far_planner)
    assert client.get(url(cast.lgo)).status_code == 404
    assert client.post(url(cast.lgo), form_data()).status_code == 404
    assert client.get(reverse("documents:settings_emblem", kwargs={"org_pk": cast.lgo.pk})).status_code == 404


def test_the_settings_reach_the_letters(client, cast):
    from documents.letters.builders import team_order
    from plans.tests.factories import make_complete_plan

    client.force_login(cast.planner)
    client.post(url(cast.lgo), form_data(digits="arabic", signer_name="นางสาวใจดี มีสุข"))
    letter = team_order(
        make_complete_plan(cast.lgo, by=cast.planner), number=3, date=__import__("datetime").date(2026, 1, 5)
    )
    assert letter.number == "3/2569" and letter.digits == "arabic" and letter.signer_name == "นางสาวใจดี มีสุข"
