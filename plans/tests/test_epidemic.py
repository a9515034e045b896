"""The prolonged-epidemic review writes into the plan itself (plans.epidemic)."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from plans import actions, epidemic
from plans import models as pm
from plans.actions import PlanLocked, RowConflict
from plans.epidemic import EPIDEMIC_TOPICS, ChannelChange, save_step, topic_at


def topic(key):
    return next(t for t in EPIDEMIC_TOPICS if t.key == key)


@pytest.fixture
def plan(cast):
    plan = actions.create_plan(cast.lgo, by=cast.planner)
    actions.add_row(plan, pm.Scenario, values={"kind": "epidemic", "name": "โรคระบาด"}, by=cast.planner)
    actions.add_row(
        plan, pm.Process, values={"name": "จัดเก็บภาษี", "mission": "public_service"}, by=cast.planner
    )
    actions.add_row(plan, pm.Process, values={"name": "งานสารบรรณ", "mission": "general"}, by=cast.planner)
    plan.refresh_from_db()
    return plan


def test_the_review_has_seven_screens_with_unique_answer_keys():
    assert len(EPIDEMIC_TOPICS) == 7
    assert [t.key for t in EPIDEMIC_TOPICS] == [
        "absence", "remote_work", "channels", "meetings", "hygiene", "horizon", "summary"
    ]  # fmt: skip
    keys = [q.key for t in EPIDEMIC_TOPICS for q in t.questions]
    assert len(keys) == len(set(keys))
    assert EPIDEMIC_TOPICS[-1].summary
    assert topic_at(0) == EPIDEMIC_TOPICS[0] and topic_at(99) == EPIDEMIC_TOPICS[-1]


def test_the_absence_screen_writes_the_plans_structured_assumptions(cast, plan):
    save_step(
        plan, topic("absence"), by=cast.planner, expected_version=plan.version,
        plan_values={"absence_percent": 40, "longest_outage_days": 90},
        answers={"key_person_cover": "รองปลัดรับแทน"},
    )  # fmt: skip
    plan.refresh_from_db()
    assert (plan.absence_percent, plan.longest_outage_days) == (40, 90)
    assert plan.epidemic_review == {"key_person_cover": "รองปลัดรับแทน"}
    assert AuditEvent.objects.filter(action="plan.update", object_id=str(plan.pk)).exists()


def test_answers_of_other_screens_are_kept_and_unknown_keys_ignored(cast, plan):
    save_step(plan, topic("meetings"), by=cast.planner, expected_version=plan.version,
              answers={"online_meetings": True, "e_approval": False, "absence_percent": 9})  # fmt: skip
    save_step(plan, topic("hygiene"), by=cast.planner, expected_version=plan.version,
              answers={"hygiene_measures": True})  # fmt: skip
    plan.refresh_from_db()
    assert plan.epidemic_review == {"online_meetings": True, "e_approval": False, "hygiene_measures": True}
    assert plan.absence_percent is None


def test_saving_unchanged_answers_writes_nothing(cast, plan):
    save_step(plan, topic("meetings"), by=cast.planner, expected_version=plan.version,
              answers={"online_meetings": True})  # fmt: skip
    version = plan.version
    save_step(
        plan, topic("meetings"), by=cast.planner, expected_version=version, answers={"online_meetings": True}
    )
    plan.refresh_from_db()
    assert plan.version == version


def test_a_stale_screen_is_refused(cast, plan):
    stale = plan.version
    save_step(
        plan, topic("meetings"), by=cast.planner, expected_version=stale, answers={"online_meetings": True}
    )
    with pytest.raises(RowConflict):
        save_step(plan, topic("meetings"), by=cast.planner, expected_version=stale,
                  answers={"online_meetings": False})  # fmt: skip


def test_suggested_personnel_strategies_are_added_for_the_epidemic_scenario(cast, plan):
    t = topic("remote_work")
    result = save_step(plan, t, by=cast.planner, expected_version=plan.version, answers={"split_teams": True},
                       add=[0, 1])  # fmt: skip
    rows = list(pm.Strategy.objects.filter(plan=plan))
    assert len(rows) == len(result.added) == 2
    assert {r.resource_type for r in rows} == {"personnel"}
    assert rows[0].text.startswith("แบ่งบุคลากรเป็น 2 ทีม")
    assert {r.scenario.kind for r in rows} == {"epidemic"}
    assert [i for i, _s in epidemic.open_suggestions(plan, t)] == [2, 3]
    save_step(plan, t, by=cast.planner, expected_version=plan.version, add=[0])  # a second click
    assert pm.Strategy.objects.filter(plan=plan).count() == 2


def test_the_channel_of_each_public_service_process_is_edited_on_the_process(cast, plan):
    (tax,) = epidemic.public_service_processes(plan)
    result = save_step(
        plan, topic("channels"), by=cast.planner, expected_version=plan.version,
        answers={"document_channels": ["edoc", "dropbox"], "channels_announced": True},
        channels=[ChannelChange(tax, tax.version, "line", "@padaeng")],
    )  # fmt: skip
    tax.refresh_from_db()
    plan.refresh_from_db()
    assert (tax.channel_type, tax.channel_detail) == ("line", "@padaeng")
    assert result.processes_changed == 1
    assert plan.epidemic_review["document_channels"] == ["edoc", "dropbox"]
    assert AuditEvent.objects.filter(action="plan.process.update", object_id=str(tax.pk)).exists()


def test_a_conflict_on_one_process_undoes_the_whole_screen(cast, plan):
    (tax,) = epidemic.public_service_processes(plan)
    actions.update_row(tax, expected_version=tax.version, values={"unit": "กองคลัง"}, by=cast.approver)
    with pytest.raises(RowConflict):
        save_step(
            plan, topic("channels"), by=cast.planner, expected_version=plan.version,
            answers={"channels_announced": True}, channels=[ChannelChange(tax, tax.version - 1, "web", "x")],
        )  # fmt: skip
    plan.refresh_from_db()
    tax.refresh_from_db()
    assert plan.epidemic_review == {}
    assert tax.channel_type == ""


def test_the_horizon_screen_adds_long_term_steps(cast, plan):
    assert epidemic.long_term_steps(plan) == 0
    save_step(plan, topic("horizon"), by=cast.planner, expected_version=plan.version, add=[0, 2])
    steps = list(pm.ProcedureStep.objects.filter(plan=plan))
    assert [s.phase for s in steps] == ["long", "long"]
    assert epidemic.long_term_steps(plan) == 2


def test_finishing_marks_the_review_done(cast, plan):
    plan = epidemic.finish_review(plan, by=cast.planner, expected_version=plan.version)
    assert plan.epidemic_reviewed_at is not None


def test_nothing_is_written_on_a_plan_that_is_not_a_draft(cast, plan):
    pm.Plan.objects.filter(pk=plan.pk).update(status="in_review")
    plan.refresh_from_db()
    with pytest.raises(PlanLocked):
        save_step(plan, topic("absence"), by=cast.planner, expected_version=plan.version,
                  plan_values={"absence_percent": 30})  # fmt: skip
    with pytest.raises(PlanLocked):
        save_step(plan, topic("horizon"), by=cast.planner, expected_version=plan.version, add=[0])
    with pytest.raises(PlanLocked):
        epidemic.finish_review(plan, by=cast.planner, expected_version=plan.version)


def test_the_summary_shows_channel_labels(cast, plan):
    save_step(plan, topic("channels"), by=cast.planner, expected_version=plan.version,
              answers={"document_channels": ["post"]})  # fmt: skip
    plan.refresh_from_db()
    shown = {q.key: v for t, rows in epidemic.answered(plan) if t.key == "channels" for q, v in rows}
    assert shown["document_channels"] == [str(pm.ChannelType.POST.label)]
