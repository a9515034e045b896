"""Submissions up the chain: receipts, idempotency, deadlines in Bangkok, review, resubmission, access."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from directives import actions
from directives.models import Submission, SubmissionStatus
from directives.tests.conftest import approved_plan, bangkok, make_directive


@pytest.fixture(autouse=True)
def _english():
    """These tests read the English source of the messages (the Thai ones are in locale/)."""
    from django.utils import translation

    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db
KEY = "0b7c3c1e-7f51-4a55-9d0c-7b1b5cf0a001"


@pytest.fixture
def plan(cast):
    return approved_plan(cast.lgo)


def test_a_submission_gets_a_receipt_and_copies_to_the_provincial_office_and_district(cast, relayed, plan):
    sub, created = actions.submit_plan(relayed, plan, by=cast.planner, key=KEY)

    assert created and sub.receipt_number.startswith(f"R{relayed.root_id}-{cast.lgo.pk}-")
    assert (sub.root_id, sub.submitted_to_id, sub.plan_digest) == (relayed.root_id, cast.opdc.pk, plan.digest)
    assert set(sub.copies.values_list("org_id", flat=True)) == {cast.provincial_office.pk, cast.district.pk}


def test_the_same_key_gives_the_same_submission_and_receipt(cast, relayed, plan):
    first, created = actions.submit_plan(relayed, plan, by=cast.planner, key=KEY)
    again, created_again = actions.submit_plan(relayed, plan, by=cast.approver, key=KEY)

    assert created and not created_again
    assert (again.pk, again.receipt_number) == (first.pk, first.receipt_number)
    assert Submission.objects.count() == 1


def test_the_same_plan_sent_again_with_another_key_returns_the_live_submission(cast, relayed, plan):
    first, _ = actions.submit_plan(relayed, plan, by=cast.planner, key=KEY)
    again, created = actions.submit_plan(relayed, plan, by=cast.planner, key="another-key")

    assert not created and again.pk == first.pk and Submission.objects.count() == 1


def test_a_key_used_by_another_organization_is_refused(cast, relayed, plan):
    actions.submit_plan(relayed, plan, by=cast.planner, key=KEY)
    other_plan = approved_plan(cast.lgo_same_district)
    from accounts.models import User
    from orgs.actions import add_member

    planner = User.objects.create_user(username="chohae", password="x-pass-123456")
    add_member(cast.lgo_same_district, planner, "planner")
    with pytest.raises(actions.DirectiveError, match="idempotency key"):
        actions.submit_plan(relayed, other_plan, by=planner, key=KEY)


def test_only_an_approved_plan_of_an_addressee_can_be_submitted(cast, relayed, plan):
    from plans.models import Status

    draft = type(plan).objects.create(
        org=cast.lgo, title="ร่าง", fiscal_year=2570, revision=2, status=Status.DRAFT
    )
    with pytest.raises(actions.DirectiveError, match="approved"):
        actions.submit_plan(relayed, draft, by=cast.planner, key=KEY)
    with pytest.raises(actions.NotAllowed):
        actions.submit_plan(relayed, plan, by=cast.viewer, key=KEY)
    far = approved_plan(cast.lgo_other_province)
    with pytest.raises(actions.NotAllowed):
        actions.submit_plan(relayed, far, by=cast.far_planner, key=KEY)
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    ("at", "on_time"),
    [
        (bangkok(2026, 12, 31, 23, 59, 59), True),  # the last second of the deadline day
        (bangkok(2027, 1, 1, 0, 0, 0), False),  # midnight in Bangkok: late
    ],
)
def test_on_time_up_to_the_end_of_the_deadline_day_in_bangkok(cast, plan, at, on_time):
    import datetime as dt

    from directives.forms import deadline_at

    # The compose form's deadline for "31 December 2026" with no time: the end of that day in Bangkok.
    deadline = deadline_at(dt.date(2026, 12, 31), None)
    assert deadline == bangkok(2026, 12, 31, 23, 59, 59, 999999)
    d = make_directive(cast, deadline=deadline)
    actions.set_named_recipients(d, to=[cast.lgo.pk], copies=[])
    d = actions.issue_directive(d, by=cast.province_officer)

    with time_machine.travel(at, tick=False):
        sub, _ = actions.submit_plan(d, plan, by=cast.planner, key=KEY)

    assert sub.on_time is on_time


def test_a_returned_plan_is_revised_and_resubmitted_with_history(cast, relayed, plan):
    first, _ = actions.submit_plan(relayed, plan, by=cast.planner, key=KEY)
    with pytest.raises(actions.DirectiveError, match="comments"):
        actions.review_submission(first, by=cast.opdc_reviewer, accept=False)
    actions.review_submission(first, by=cast.opdc_reviewer, accept=False, comment="เพิ่มทีมสำรอง")

    with pytest.raises(actions.AlreadySubmitted, match="Revise"):
        actions.submit_plan(relayed, plan, by=cast.planner, key="second-key")
    revised = approved_plan(cast.lgo, revision=2)
    second, created = actions.submit_plan(relayed, revised, by=cast.planner, key="second-key")

    first.refresh_from_db()
    assert created and second.replaces_id == first.pk and first.status == SubmissionStatus.SUPERSEDED
    actions.review_submission(second, by=cast.opdc_reviewer, accept=True)
    assert [s.status for s in actions.history(second)] == ["accepted", "superseded"]
    with pytest.raises(actions.AlreadySubmitted, match="accepted"):
        actions.submit_plan(relayed, approved_plan(cast.lgo, revision=3), by=cast.planner, key="third")


def test_only_the_addressees_overseers_review(cast, relayed, plan, client):
    sub, _ = actions.submit_plan(relayed, plan, by=cast.planner, key=KEY)
    for user in (cast.province_officer, cast.district_officer, cast.planner):
        with pytest.raises(actions.NotAllowed):
            actions.review_submission(sub, by=user, accept=True)
    client.force_login(cast.province_officer)  # the copy: may read, may not review
    assert client.get(reverse("directives:submission", args=[sub.pk])).status_code == 200
    assert client.post(reverse("directives:review", args=[sub.pk]), {"decision": "accept"}).status_code == 403
    client.force_login(cast.opdc_reviewer)
    resp = client.post(reverse("directives:review", args=[sub.pk]), {"decision": "accept"})
    assert resp.status_code == 302
    sub.refresh_from_db()
    assert sub.status == "accepted" and sub.reviewed_by_id == cast.opdc_reviewer.pk


def test_submitter_addressee_and_copies_each_see_it_others_do_not(cast, relayed, plan, client):
    sub, _ = actions.submit_plan(relayed, plan, by=cast.planner, key=KEY)
    for user, box in [
        (cast.planner, "sent"), (cast.opdc_reviewer, "received"), (cast.province_officer, "copies"),
        (cast.district_officer, "copies"),
    ]:  # fmt: skip
        client.force_login(user)
        assert (
            sub.receipt_number
            in client.get(reverse("directives:submissions") + f"?box={box}").content.decode()
        )
        assert client.get(reverse("directives:submission", args=[sub.pk])).status_code == 200
    for user in (cast.other_planner, cast.far_district_officer, cast.far_planner):
        client.force_login(user)
        assert client.get(reverse("directives:submission", args=[sub.pk])).status_code == 404
        assert sub.receipt_number not in client.get(reverse("directives:submissions")).content.decode()


def test_the_submit_page_is_idempotent_on_a_double_click(cast, relayed, plan, client):
    client.force_login(cast.planner)
    url = reverse("directives:submit", args=[relayed.pk])
    page = client.get(url).content.decode()
    assert "idempotency_key" in page and cast.opdc.name_th in page and cast.provincial_office.name_th in page

    data = {"idempotency_key": KEY, "org": cast.lgo.pk, "note": "ส่งแผนฉบับอนุมัติ"}
    one, two = client.post(url, data), client.post(url, data)

    sub = Submission.objects.get()
    assert one["Location"] == two["Location"] == reverse("directives:submission", args=[sub.pk])
    receipt = client.get(one["Location"]).content.decode()
    assert sub.receipt_number in receipt and "ส่งแผนฉบับอนุมัติ" in receipt


def test_the_submit_page_explains_a_missing_approved_plan(cast, relayed, client):
    client.force_login(cast.planner)
    page = client.get(reverse("directives:submit", args=[relayed.pk])).content.decode()
    assert "Only an approved plan can be submitted." in page or "อนุมัติ" in page
    resp = client.post(
        reverse("directives:submit", args=[relayed.pk]), {"idempotency_key": KEY, "org": cast.lgo.pk}
    )
    assert resp.status_code == 422 and not Submission.objects.exists()


def test_the_addressee_gets_the_plans_documents_from_the_submission(cast, relayed, plan, client):
    sub, _ = actions.submit_plan(relayed, plan, by=cast.planner, key=KEY)
    client.force_login(cast.opdc_reviewer)
    page = client.get(reverse("directives:submission", args=[sub.pk])).content.decode()
    make_pdf = reverse("documents:request", kwargs={"plan_pk": plan.pk, "kind": "bcp_pdf"})
    assert make_pdf in page

    resp = client.post(make_pdf)  # OPDC may have the plan's PDF made, though it is not its own plan
    assert resp.status_code == 302 and "/documents/jobs/" in resp["Location"]
    page = client.get(resp["Location"]).content.decode()
    assert "/download/" in page  # the immediate task backend made it at once
