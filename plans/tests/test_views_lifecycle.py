"""Lifecycle pages: /plans/<pk>/submit/, return/, approve/, diff/, diff/<other>/, epidemic/."""

from __future__ import annotations

import pytest

from audit.models import AccessLog
from plans import actions, checks, lifecycle
from plans import models as pm
from plans.tests.factories import make_complete_plan


@pytest.fixture
def plan(cast):
    plan = actions.create_plan(cast.lgo, by=cast.planner, title="แผน BCP อบต.ป่าแดง")
    actions.add_row(
        plan, pm.Process, values={"name": "จัดเก็บภาษี", "mission": "public_service"}, by=cast.planner
    )
    plan.refresh_from_db()
    return plan


@pytest.fixture
def other_plan(cast):
    """A plan of a local government in the same district: outside the home users' reach."""
    return actions.create_plan(cast.lgo_same_district, by=cast.site_admin)


def status_of(plan):
    plan.refresh_from_db()
    return plan.status


# -- submit ---------------------------------------------------------------------------------


def test_submit_sends_the_plan_for_approval_and_returns_to_the_overview(cast, client, plan):
    client.force_login(cast.planner)
    resp = client.post(f"/plans/{plan.pk}/submit/")
    assert resp.status_code == 302
    assert resp.url == f"/plans/{plan.pk}/"
    assert status_of(plan) == "in_review"
    resp = client.get(resp.url)
    assert "ส่งขออนุมัติแล้ว" in resp.content.decode() or any(
        m.level_tag == "success" for m in resp.context["messages"]
    )


def test_submit_rejects_get(cast, client, plan):
    client.force_login(cast.planner)
    assert client.get(f"/plans/{plan.pk}/submit/").status_code == 405
    assert status_of(plan) == "draft"


def test_submit_requires_the_planner_role(cast, client, plan):
    client.force_login(cast.viewer)
    assert client.post(f"/plans/{plan.pk}/submit/").status_code == 403
    assert status_of(plan) == "draft"


def test_submit_hides_other_organizations_plans(cast, client, other_plan):
    client.force_login(cast.planner)
    assert client.post(f"/plans/{other_plan.pk}/submit/").status_code == 404
    assert status_of(other_plan) == "draft"


def test_submitting_a_plan_twice_shows_no_error(cast, client, plan):
    client.force_login(cast.planner)
    client.post(f"/plans/{plan.pk}/submit/")
    resp = client.post(f"/plans/{plan.pk}/submit/", follow=True)
    assert not [m for m in resp.context["messages"] if m.level_tag == "error"]


# -- return ---------------------------------------------------------------------------------


def test_return_puts_the_plan_back_to_draft_with_the_comment(cast, client, plan):
    lifecycle.submit_for_review(plan, by=cast.planner)
    client.force_login(cast.approver)
    resp = client.post(f"/plans/{plan.pk}/return/", {"comment": "เพิ่มตารางที่ 9"})
    assert resp.status_code == 302
    assert status_of(plan) == "draft"
    from audit.models import AuditEvent

    assert AuditEvent.objects.get(action="plan.return").data["comment"] == "เพิ่มตารางที่ 9"


def test_return_rejects_get(cast, client, plan):
    client.force_login(cast.approver)
    assert client.get(f"/plans/{plan.pk}/return/").status_code == 405


def test_return_requires_a_planner_or_approver(cast, client, plan):
    lifecycle.submit_for_review(plan, by=cast.planner)
    client.force_login(cast.viewer)
    assert client.post(f"/plans/{plan.pk}/return/").status_code == 403
    assert status_of(plan) == "in_review"


def test_return_hides_other_organizations_plans(cast, client, other_plan):
    client.force_login(cast.approver)
    assert client.post(f"/plans/{other_plan.pk}/return/").status_code == 404


# -- approve --------------------------------------------------------------------------------


def test_approve_page_lists_the_blocking_errors_with_links_to_fix_them(cast, client, plan):
    client.force_login(cast.approver)
    resp = client.get(f"/plans/{plan.pk}/approve/")
    assert resp.status_code == 200
    body = resp.content.decode()
    assert resp.context["errors"]
    assert f"/plans/{plan.pk}/edit/objectives/#" in body
    assert "อนุมัติแผนนี้" not in body  # no approve button while there are errors


def test_approve_page_offers_the_button_when_the_plan_has_no_errors(cast, client):
    plan = make_complete_plan(cast.lgo, by=cast.planner)
    client.force_login(cast.approver)
    resp = client.get(f"/plans/{plan.pk}/approve/")
    assert resp.status_code == 200
    assert resp.context["can_approve_now"]
    assert '<form method="post"' in resp.content.decode()


def test_approve_approves_a_complete_plan(cast, client):
    plan = make_complete_plan(cast.lgo, by=cast.planner)
    client.force_login(cast.approver)
    resp = client.post(f"/plans/{plan.pk}/approve/")
    assert resp.status_code == 302
    assert resp.url == f"/plans/{plan.pk}/"
    plan.refresh_from_db()
    assert plan.status == "approved"
    assert lifecycle.digest_matches(plan)


def test_approve_refuses_a_plan_with_errors_and_shows_them(cast, client, plan):
    client.force_login(cast.approver)
    resp = client.post(f"/plans/{plan.pk}/approve/")
    assert resp.status_code == 200
    assert resp.context["errors"]
    assert status_of(plan) == "draft"


def test_approve_shows_the_digest_of_an_approved_plan(cast, client, monkeypatch, plan):
    monkeypatch.setattr(checks, "run_checks", lambda b: checks.CheckResult([]))
    lifecycle.approve(plan, by=cast.approver)
    client.force_login(cast.approver)
    assert plan.digest in client.get(f"/plans/{plan.pk}/approve/").content.decode()


@pytest.mark.parametrize("user", ["planner", "viewer", "district_officer"])
def test_approve_requires_the_approver_role(cast, client, plan, user):
    client.force_login(getattr(cast, user))
    assert client.get(f"/plans/{plan.pk}/approve/").status_code == 403
    assert client.post(f"/plans/{plan.pk}/approve/").status_code == 403
    assert status_of(plan) == "draft"


def test_approve_hides_other_organizations_plans(cast, client, other_plan):
    client.force_login(cast.approver)
    assert client.get(f"/plans/{other_plan.pk}/approve/").status_code == 404
    assert client.post(f"/plans/{other_plan.pk}/approve/").status_code == 404


# -- diff -----------------------------------------------------------------------------------


def test_diff_pick_lists_the_organizations_other_versions_and_redirects(cast, client, plan):
    second = actions.create_plan(cast.lgo, by=cast.planner)
    client.force_login(cast.viewer)
    resp = client.get(f"/plans/{plan.pk}/diff/")
    assert resp.status_code == 200
    assert [p.pk for p in resp.context["others"]] == [second.pk]
    resp = client.get(f"/plans/{plan.pk}/diff/", {"other": second.pk})
    assert resp.status_code == 302
    assert resp.url == f"/plans/{plan.pk}/diff/{second.pk}/"


def test_diff_pick_refuses_a_plan_of_another_organization(cast, client, plan, other_plan):
    client.force_login(cast.viewer)
    resp = client.get(f"/plans/{plan.pk}/diff/", {"other": other_plan.pk})
    assert resp.status_code == 200
    assert resp.context["form"].errors


def test_diff_shows_changed_sections_with_inserted_and_deleted_thai_text(cast, client, plan):
    second = actions.create_plan(cast.lgo, by=cast.planner, title="แผน BCP อบต.ป่าแดง")
    actions.add_row(second, pm.Process, values={"name": "จัดเก็บภาษีที่ดิน", "mission": "public_service"},
                    by=cast.planner)  # fmt: skip
    actions.add_row(second, pm.Strategy, values={"resource_type": "personnel", "text": "แบ่งทีม A/B"},
                    by=cast.planner)  # fmt: skip
    client.force_login(cast.viewer)
    resp = client.get(f"/plans/{second.pk}/diff/{plan.pk}/")
    assert resp.status_code == 200
    body = resp.content.decode()
    assert resp.context["old"] == plan  # older revision first, whatever the order in the URL
    assert "ตารางที่ 3" in body
    assert "ตารางที่ 9" in body
    assert '<ins class="diff-ins">ที่ดิน</ins>' in body
    assert "แบ่งทีม A/B" in body


def test_diff_logs_access_when_it_shows_contacts(cast, client, plan):
    second = actions.create_plan(cast.lgo, by=cast.planner)
    actions.add_row(second, pm.Contact, values={"name": "นายสมชาย", "phone": "0812345678"}, by=cast.planner)
    client.force_login(cast.viewer)
    client.get(f"/plans/{plan.pk}/diff/{second.pk}/")
    assert AccessLog.objects.filter(what="plan.diff.contacts", actor=cast.viewer).count() == 1


def test_diff_hides_other_organizations_plans(cast, client, plan, other_plan):
    client.force_login(cast.planner)
    assert client.get(f"/plans/{plan.pk}/diff/{other_plan.pk}/").status_code == 404
    assert client.get(f"/plans/{other_plan.pk}/diff/{plan.pk}/").status_code == 404
    assert client.get(f"/plans/{other_plan.pk}/diff/").status_code == 404


def test_diff_of_two_plans_of_different_organizations_is_404_even_for_an_overseer(cast, client, plan):
    theirs = actions.create_plan(cast.lgo_same_district, by=cast.site_admin)
    client.force_login(cast.district_officer)  # sees both organizations
    assert client.get(f"/plans/{plan.pk}/diff/{theirs.pk}/").status_code == 404


def test_diff_rejects_post(cast, client, plan):
    client.force_login(cast.planner)
    assert client.post(f"/plans/{plan.pk}/diff/{plan.pk}/").status_code == 405
    assert client.post(f"/plans/{plan.pk}/diff/").status_code == 405


# -- epidemic review ------------------------------------------------------------------------


def url(plan, step=None):
    return f"/plans/{plan.pk}/epidemic/" + (f"?step={step}" if step else "")


def test_the_review_shows_its_progress(cast, client, plan):
    client.force_login(cast.planner)
    resp = client.get(url(plan, 2))
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "ขั้นที่ 2 จาก 7" in body
    assert 'aria-current="step"' in body


def test_the_first_screen_saves_the_absence_assumptions_and_moves_on(cast, client, plan):
    client.force_login(cast.planner)
    data = {"step": 1, "version": plan.version, "absence_percent": 30, "longest_outage_days": 60,
            "key_person_cover": "รองปลัด", "go": "next"}  # fmt: skip
    resp = client.post(url(plan), data)
    assert resp.status_code == 302
    assert resp.url == url(plan, 2)
    plan.refresh_from_db()
    assert (plan.absence_percent, plan.longest_outage_days) == (30, 60)
    assert plan.epidemic_review["key_person_cover"] == "รองปลัด"


def test_back_saves_and_goes_to_the_previous_screen(cast, client, plan):
    client.force_login(cast.planner)
    resp = client.post(url(plan), {"step": 2, "version": plan.version, "work_from_home": "yes", "go": "back"})
    assert resp.url == url(plan, 1)
    plan.refresh_from_db()
    assert plan.epidemic_review == {"work_from_home": True}  # unanswered questions leave no keys


def test_invalid_answers_are_shown_again(cast, client, plan):
    client.force_login(cast.planner)
    resp = client.post(url(plan), {"step": 1, "version": plan.version, "absence_percent": 140})
    assert resp.status_code == 400
    assert resp.context["form"].errors["absence_percent"]
    plan.refresh_from_db()
    assert plan.absence_percent is None


def test_the_channels_screen_edits_each_public_service_process(cast, client, plan):
    tax = pm.Process.objects.get(plan=plan)
    client.force_login(cast.planner)
    resp = client.post(url(plan), {
        "step": 3, "version": plan.version, f"channel_type_{tax.pk}": "facebook",
        f"channel_detail_{tax.pk}": "facebook.com/padaeng", f"process_version_{tax.pk}": tax.version,
        "document_channels": ["edoc", "post"], "go": "next",
    })  # fmt: skip
    assert resp.status_code == 302
    tax.refresh_from_db()
    assert (tax.channel_type, tax.channel_detail) == ("facebook", "facebook.com/padaeng")


def test_a_conflict_keeps_the_users_answers_on_the_screen(cast, client, plan):
    stale = plan.version
    actions.update_plan(plan, expected_version=stale, values={"absence_percent": 10}, by=cast.approver)
    client.force_login(cast.planner)
    resp = client.post(
        url(plan), {"step": 1, "version": stale, "absence_percent": 50, "key_person_cover": "ก"}
    )
    assert resp.status_code == 409
    assert resp.context["form"]["key_person_cover"].value() == "ก"
    plan.refresh_from_db()
    assert plan.absence_percent == 10


def test_suggestions_are_added_from_the_screen(cast, client, plan):
    client.force_login(cast.planner)
    client.post(url(plan), {"step": 6, "version": plan.version, "add": ["0"], "go": "next"})
    assert pm.ProcedureStep.objects.filter(plan=plan, phase="long").count() == 1


def test_finishing_the_review_marks_the_plan_and_returns_to_the_overview(cast, client, plan):
    client.force_login(cast.planner)
    resp = client.post(url(plan), {"step": 7, "version": plan.version, "go": "finish"})
    assert resp.status_code == 302
    assert resp.url == f"/plans/{plan.pk}/"
    plan.refresh_from_db()
    assert plan.epidemic_reviewed_at is not None


def test_a_viewer_reads_the_review_but_cannot_answer(cast, client, plan):
    client.force_login(cast.viewer)
    resp = client.get(url(plan, 1))
    assert resp.status_code == 200
    assert resp.context["form"]["absence_percent"].field.disabled
    assert (
        client.post(url(plan), {"step": 1, "version": plan.version, "absence_percent": 30}).status_code == 403
    )


def test_the_review_of_a_plan_in_review_cannot_be_changed(cast, client, plan):
    lifecycle.submit_for_review(plan, by=cast.planner)
    client.force_login(cast.planner)
    resp = client.post(url(plan), {"step": 1, "version": plan.version, "absence_percent": 30}, follow=True)
    assert [m.level_tag for m in resp.context["messages"]] == ["error"]
    plan.refresh_from_db()
    assert plan.absence_percent is None


def test_the_review_hides_other_organizations_plans(cast, client, other_plan):
    client.force_login(cast.planner)
    assert client.get(url(other_plan)).status_code == 404
    assert client.post(url(other_plan), {"step": 1, "absence_percent": 30}).status_code == 404
