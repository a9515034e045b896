"""The demo's directives: the founding letter down to all 84 local governments, and its letter."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from directives.models import Directive, Recipient, Submission
from orgs.models import Organization

STEP = "directives.demo.load_demo_directives"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from orgs.management.commands import load_demo

    with django_db_blocker.unblock():
        added = STEP not in load_demo.STEPS
        if added:
            load_demo.STEPS.append(STEP)
        try:
            call_command("load_demo", verbosity=0)
            call_command("load_demo", verbosity=0)  # idempotent: a second run adds nothing
        finally:
            if added:
                load_demo.STEPS.remove(STEP)
        yield
        from django.core.management import call_command as cc

        cc("flush", interactive=False, verbosity=0)


@pytest.fixture
def founding(demo, db):
    return Directive.objects.get(number="พร ๐๐๒๓.๑/ว ๓๐๒๖")


def test_the_founding_letter_reaches_all_84_local_governments(founding):
    office = Organization.objects.get(kind="provincial_office")
    assert founding.issuer == office and founding.root_id == founding.pk
    assert (founding.urgency, str(founding.date), founding.signer_name) == (
        "most_urgent", "2020-06-23", "นายต่อพงษ์ ทับทิมโต"
    )  # fmt: skip
    direct = set(founding.recipients.values_list("org__kind", flat=True))
    assert (
        direct == {"district", "provincial_admin_org", "town_municipality"}
        and founding.recipients.count() == 10
    )
    relays = founding.relays.all()
    assert relays.count() == 8 and len({r.number for r in relays}) == 8
    reached = set(Recipient.objects.filter(directive__root=founding).values_list("org_id", flat=True))
    lgos = set(Organization.objects.lgos().values_list("pk", flat=True))
    assert len(lgos) == 84 and lgos <= reached
    assert founding.enclosures.count() == 2


def test_the_demo_leaves_pa_daeng_to_submit_and_has_submissions_in_both_states(founding):
    padaeng = Organization.objects.get(dla_code="6540115")
    assert not Submission.objects.filter(org=padaeng).exists()
    assert not Recipient.objects.filter(org=padaeng, acknowledged_at__isnull=False).exists()
    states = set(Submission.objects.filter(root=founding).values_list("org__dla_code", "status", "on_time"))
    assert states == {("4540102", "accepted", False), ("2540101", "submitted", False)}
    current = Directive.objects.get(issuer__kind="dla", parent__isnull=True)
    assert Submission.objects.filter(root=current, on_time=True).count() == 2
    assert Directive.objects.filter(root=current).count() == 1 + 1 + 8  # DLA, province, 8 districts


def test_the_founding_letter_prints_as_a_circular_pdf(founding):
    import pypdfium2

    from directives.letter import render

    data, content_type = render(founding, "pdf")
    assert content_type == "application/pdf"
    pdf = pypdfium2.PdfDocument(data)
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    for expected in ("ด่วนที่สุด", "ว ๓๐๒๖", "๒๓ มิถุนายน ๒๕๖๓", "ต่อพงษ์ ทับทิมโต", "ปฏิบัติราชการแทน", "มท ๐๘๑๒/ว ๑๔๓๔"):
        # Compared without spaces: the number is laid out in pieces (ที่ / prefix / ว / digits).
        assert "".join(expected.split()) in "".join(text.split()), expected


def test_the_founding_letter_downloads_as_docx_too(founding, client):
    import io

    import docx
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="province"))
    resp = client.get(f"/directives/{founding.pk}/letter/docx/")
    assert resp.status_code == 200 and "attachment" in resp["Content-Disposition"]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(resp.content)).paragraphs)
    assert "ด่วนที่สุด" in text and "ทับทิมโต" in text
