"""Export, import and new revisions of a whole plan (plans.portability)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone, translation
from jsonschema import Draft202012Validator

from audit.models import AuditEvent
from plans import actions, portability
from plans import models as pm
from plans.bundle import ROW_MODELS
from plans.portability import PlanImportError, export_json, export_plan, import_plan, start_revision


def make_rich_plan(org, by) -> pm.Plan:
    """A plan with rows in every table, groups interleaved and refs in every direction."""
    plan = actions.create_plan(org, by=by, fiscal_year_be=2569)
    plan = actions.update_plan(
        plan, expected_version=plan.version, by=by,
        values={
            "absence_percent": 30, "longest_outage_days": 60, "alternate_site": "ศาลาประชาคมหมู่ 3",
            "next_review_date": dt.date(2026, 9, 30),
            "epidemic_review": {
                "wfh": True, "split_teams": "ทีม A/B สลับสัปดาห์", "days": 14, "channels": ["line", "web"],
            },
            "epidemic_reviewed_at": timezone.make_aware(dt.datetime(2026, 1, 5, 10, 30, 15, 123456)),
        },
    )  # fmt: skip

    def add(model, **values):
        return actions.add_row(plan, model, values=values, by=by)

    for section, text in [
        ("objectives", "เพื่อให้บริการประชาชนได้อย่างต่อเนื่อง"),
        ("assumptions", "บุคลากรไม่สามารถมาปฏิบัติงานได้ร้อยละ 30"),
        ("objectives", "เพื่อลดผลกระทบต่อประชาชน"),
        ("legal", "พระราชบัญญัติป้องกันและบรรเทาสาธารณภัย พ.ศ. 2550"),
        ("budget", "งบกลาง สำรองจ่าย"),
    ]:
        add(pm.ListItem, section=section, text=text)
    add(pm.PlanText, key="introduction", text='บทนำ\nบรรทัดที่สอง "อ้างอิง"')
    add(pm.PlanText, key="bia_note", text="")
    flood = add(
        pm.Scenario, kind="flood", name="อุทกภัย",
        impacts={"it_data": {"hit": True, "note": "เซิร์ฟเวอร์ชั้นล่าง"}, "building": {"hit": True, "note": ""}},
    )  # fmt: skip
    epidemic = add(
        pm.Scenario, kind="epidemic", name="โรคระบาด", impacts={"personnel": {"hit": True, "note": ""}}
    )
    add(pm.Scenario, kind="custom", name="ไฟป่า", in_scope=False, description="นอกขอบเขตปีนี้")
    chief = add(pm.Contact, name="นายสมชาย ใจดี", position="ปลัด อบต.", phone="081-234-5678", email="a@b.test")
    hospital = add(pm.Contact, kind="external", name="โรงพยาบาลแพร่", phone="054 533 500")
    deputy = add(pm.Contact, name="นางสาวสมหญิง รักงาน", position="รองปลัด", line_id="somying")
    leader = add(pm.TeamRole, title="หัวหน้าทีม", primary=chief, backup=deputy, duties="สั่งการ")
    add(pm.TeamRole, title="ผู้ประสานงาน", primary=deputy)
    # A child before its parent: the import must link parents after every node exists.
    child = add(pm.CallTreeNode, contact=deputy, backup=hospital)
    top = add(pm.CallTreeNode, contact=chief)
    actions.update_row(child, expected_version=child.version, values={"parent": top}, by=by)
    tax = add(pm.Process, name="จัดเก็บภาษี", unit="กองคลัง", impact="high", rto="w1", mission="public_service",
              channel_type="line", channel_detail="@padaeng")  # fmt: skip
    pay = add(pm.Process, name="เบิกจ่าย (e-LAAS)", unit="กองคลัง", impact="very_high", rto="d1")
    reg = add(pm.Process, name="ทะเบียนราษฎร", impact="medium", rto="w2")
    pay.depends_on.set([reg, tax])
    add(
        pm.Resource,
        resource_type="it_data",
        name="e-LAAS",
        process=pay,
        q_h4=0,
        q_d1=1,
        q_w1=1,
        q_w2=1,
        q_m1=1,
    )
    add(pm.Resource, resource_type="building", name="ที่นั่งทำงานสำรอง", measure="ที่นั่ง", q_d1=5, q_m1=20)
    add(pm.Resource, resource_type="building", name="ห้องประชุม", q_w1=1)
    add(pm.Strategy, resource_type="personnel", scenario=epidemic, text="แบ่งทีม A/B")
    add(pm.Strategy, resource_type="building", text="ย้ายไปศาลาประชาคม")
    add(pm.ProcedureStep, phase="short", text="ย้ายไปสถานที่สำรอง", responsible=leader)
    add(pm.ProcedureStep, phase="immediate", scenario=flood, text="แจ้งหัวหน้าทีม", responsible=leader)
    add(pm.Risk, name="น้ำท่วมสำนักงาน", scenario=flood, likelihood=3, severity=4, response="ยกของขึ้นที่สูง")
    add(pm.Annex, title="ภาคผนวก ก สถานที่สำรอง", text="ศาลาประชาคม")
    add(pm.RevisionEntry, label="1", date=dt.date(2026, 1, 1), reviewer="ปลัด", changes="จัดทำครั้งแรก")
    return plan


def row_counts() -> dict:
    counts = {name: model.objects.count() for name, model in ROW_MODELS.items()}
    counts["plans"] = pm.Plan.objects.count()
    counts["dependencies"] = pm.Process.depends_on.through.objects.count()
    counts["audit"] = AuditEvent.objects.count()
    return counts


@pytest.fixture
def plan(cast):
    return make_rich_plan(cast.lgo, cast.planner)


@pytest.fixture
def exported(plan):
    return export_plan(plan)


def factory_plans(cast):
    """A small complete plan and a large one (plans.tests.factories)."""
    from plans.tests import factories

    return [
        factories.make_complete_plan(cast.lgo, by=cast.planner),
        factories.make_large_plan(cast.lgo_same_district, by=cast.planner),
    ]


# -- export ----------------------------------------------------------------------------------


def test_it_exports_every_part_of_the_plan_with_refs_instead_of_ids(exported):
    assert exported["format"] == "phrom.plan" and exported["version"] == 1
    assert exported["organization"]["name_th"] == "องค์การบริหารส่วนตำบลป่าแดง"
    assert exported["organization"]["dla_code"] == "6540112"
    assert exported["plan"]["absence_percent"] == 30
    assert exported["plan"]["epidemic_reviewed_at"] == "2026-01-05T03:30:15.123456Z"
    assert exported["objectives"] == ["เพื่อให้บริการประชาชนได้อย่างต่อเนื่อง", "เพื่อลดผลกระทบต่อประชาชน"]
    assert exported["optional"]["legal"] == ["พระราชบัญญัติป้องกันและบรรเทาสาธารณภัย พ.ศ. 2550"]
    assert exported["optional"]["prevention"] == []
    assert [c["name"] for c in exported["contacts"]] == ["นายสมชาย ใจดี", "นางสาวสมหญิง รักงาน", "โรงพยาบาลแพร่"]
    assert exported["team"][0] == {
        "ref": "r1", "title": "หัวหน้าทีม", "primary": "c1", "backup": "c2", "duties": "สั่งการ",
    }  # fmt: skip
    assert exported["call_tree"] == [
        {"ref": "n1", "contact": "c2", "parent": "n2", "backup": "c3"},
        {"ref": "n2", "contact": "c1", "parent": None, "backup": None},
    ]
    assert exported["processes"][1]["depends_on"] == ["p1", "p3"]
    assert exported["resources"][0]["process"] is None
    assert [r["resource_type"] for r in exported["resources"]] == ["building", "building", "it_data"]
    assert exported["resources"][2]["process"] == "p2"
    assert [p["phase"] for p in exported["procedures"]] == ["immediate", "short"]
    assert exported["procedures"][0] == {
        "phase": "immediate", "scenario": "s1", "text": "แจ้งหัวหน้าทีม", "responsible": "r1",
    }  # fmt: skip
    assert exported["scenarios"][0]["impacts"] == {
        "building": {"hit": True, "note": ""}, "it_data": {"hit": True, "note": "เซิร์ฟเวอร์ชั้นล่าง"},
    }  # fmt: skip
    assert exported["revision_history"] == [
        {"label": "1", "date": "2026-01-01", "reviewer": "ปลัด", "changes": "จัดทำครั้งแรก"}
    ]


def test_the_export_holds_no_database_ids_or_version_counters(plan):
    text = export_json(plan).decode()

    assert '"id"' not in text and '"version": 1,' in text  # only the format's own version
    assert text.count('"version"') == 1
    assert '"order"' not in text and '"pk"' not in text


def test_the_bytes_are_canonical_utf8_with_thai_as_is(plan):
    raw = export_json(plan)

    assert raw.endswith(b"}\n")
    assert "องค์การบริหารส่วนตำบลป่าแดง".encode() in raw  # not \\u escapes
    assert raw == export_json(plan)
    assert json.loads(raw)["$schema"] == "/api/v1/plans/schema"
    assert list(json.loads(raw)) == list(portability.json_schema()["required"])


def test_a_snapshot_with_its_keys_shuffled_gives_the_same_bytes_again(plan):
    def shuffle(value):  # what PostgreSQL's jsonb does to key order
        if isinstance(value, dict):
            return {k: shuffle(value[k]) for k in sorted(value, key=lambda k: (len(k), k), reverse=True)}
        if isinstance(value, list):
            return [shuffle(v) for v in value]
        return value

    shuffled = shuffle(export_plan(plan))

    assert portability.dumps(shuffled) != export_json(plan)
    assert portability.dumps(portability.canonical(shuffled)) == export_json(plan)


def test_a_snapshot_stored_in_the_database_gives_the_same_bytes_again(plan):
    pm.Plan.objects.filter(pk=plan.pk).update(snapshot=export_plan(plan))

    stored = pm.Plan.objects.get(pk=plan.pk).snapshot

    assert portability.dumps(portability.canonical(stored)) == export_json(plan)


def test_the_schema_validates_the_export(exported):
    Draft202012Validator.check_schema(portability.json_schema())
    errors = list(Draft202012Validator(portability.json_schema()).iter_errors(exported))
    assert errors == []


def test_the_schema_validates_the_factory_plans(cast):
    validator = Draft202012Validator(portability.json_schema())
    for plan in factory_plans(cast):
        assert list(validator.iter_errors(export_plan(plan))) == []


def test_the_schema_knows_every_choice_and_length_of_the_models():
    schema = portability.json_schema()["properties"]
    process = schema["processes"]["items"]["properties"]
    assert process["rto"]["enum"] == [""] + [w.value for w in pm.Window]
    assert process["channel_type"]["enum"] == [""] + [c.value for c in pm.ChannelType]
    assert schema["scenarios"]["items"]["properties"]["kind"]["enum"] == [k.value for k in pm.ScenarioKind]
    assert schema["procedures"]["items"]["properties"]["phase"]["enum"] == [p.value for p in pm.Phase]
    assert set(schema["texts"]["properties"]) == {k.value for k in pm.TextSection}
    assert set(schema["optional"]["properties"]) == {s.value for s in portability.OPTIONAL_LISTS}
    for table, model in [
        ("processes", pm.Process), ("contacts", pm.Contact), ("resources", pm.Resource),
        ("risks", pm.Risk), ("annexes", pm.Annex), ("revision_history", pm.RevisionEntry),
        ("team", pm.TeamRole), ("scenarios", pm.Scenario),
    ]:  # fmt: skip
        for name, prop in schema[table]["items"]["properties"].items():
            field = next((f for f in model._meta.concrete_fields if f.name == name), None)
            if field is not None and getattr(field, "max_length", None) and "maxLength" in prop:
                assert prop["maxLength"] == field.max_length, f"{table}.{name}"


# -- round trip ------------------------------------------------------------------------------


def _round_trip_is_identical(plan, by):
    raw = export_json(plan)
    org = plan.org
    plan.delete()  # the import then gets the same revision number back

    again = import_plan(raw, org=org, by=by)

    assert export_json(again) == raw
    return again


def test_export_import_export_gives_the_same_bytes(plan, cast):
    _round_trip_is_identical(plan, cast.planner)


def test_the_factory_plans_round_trip_byte_for_byte(cast):
    for plan in factory_plans(cast):
        _round_trip_is_identical(plan, cast.planner)


def test_an_empty_plan_round_trips(cast):
    _round_trip_is_identical(actions.create_plan(cast.lgo, by=cast.planner), cast.planner)


def test_a_plan_started_from_the_template_round_trips(cast):
    from plans.templates_lib import start_from_template

    _round_trip_is_identical(start_from_template(cast.lgo, by=cast.planner), cast.planner)


def test_every_demo_plan_validates_and_round_trips(db):
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo", stdout=StringIO(), stderr=StringIO())
    plans = list(pm.Plan.objects.select_related("org"))
    assert plans, "the demo has no plans"
    assert any(p.status == pm.Status.APPROVED and p.org.dla_code == "4540102" for p in plans)
    for plan in plans:
        raw = export_json(plan)
        assert portability.validate(raw)  # the schema and the meaning checks
        copy = import_plan(raw, org=plan.org, by=None)
        assert export_json(copy) == raw, plan  # byte for byte, approved demo plans included


def test_a_second_import_is_the_next_revision_with_the_same_content(plan, cast):
    copy = import_plan(export_json(plan), org=cast.lgo, by=cast.planner)

    assert (plan.revision, copy.revision) == (1, 2)
    assert export_json(copy) == export_json(plan)


def test_it_imports_into_another_organization_as_a_draft(exported, cast):
    exported["plan"]["status"] = "approved"

    plan = import_plan(exported, org=cast.lgo_other_province, by=cast.far_planner)

    assert plan.org == cast.lgo_other_province
    assert plan.status == pm.Status.DRAFT and plan.revision == 1 and plan.based_on is None
    assert plan.created_by == cast.far_planner
    assert pm.Contact.objects.filter(plan=plan).count() == 3
    event = AuditEvent.objects.get(action="plan.import", object_id=str(plan.pk))
    assert event.organization == cast.lgo_other_province


def test_the_imported_rows_keep_their_links(exported, cast):
    plan = import_plan(exported, org=cast.lgo_same_district, by=cast.planner)

    leader = pm.TeamRole.objects.get(plan=plan, title="หัวหน้าทีม")
    assert leader.primary.name == "นายสมชาย ใจดี" and leader.primary.plan == plan
    node = pm.CallTreeNode.objects.get(plan=plan, contact__name="นางสาวสมหญิง รักงาน")
    assert node.parent.contact.name == "นายสมชาย ใจดี"
    pay = pm.Process.objects.get(plan=plan, name="เบิกจ่าย (e-LAAS)")
    assert {p.name for p in pay.depends_on.all()} == {"จัดเก็บภาษี", "ทะเบียนราษฎร"}
    assert all(p.plan == plan for p in pay.depends_on.all())


def test_the_import_uses_one_insert_per_table(exported, cast, django_assert_max_num_queries):
    with django_assert_max_num_queries(25):
        import_plan(exported, org=cast.lgo_same_district, by=cast.planner)


def test_start_revision_copies_the_plan_as_the_next_draft(plan, cast):
    pm.Plan.objects.filter(pk=plan.pk).update(status=pm.Status.APPROVED)
    plan.refresh_from_db()

    new = start_revision(plan, by=cast.planner)

    assert new.revision == plan.revision + 1 and new.status == pm.Status.DRAFT
    assert new.based_on == plan and new.org == plan.org
    assert export_json(new) == export_json(plan)
    assert AuditEvent.objects.filter(action="plan.start_revision", object_id=str(new.pk)).count() == 1
    assert not AuditEvent.objects.filter(action="plan.import", object_id=str(new.pk)).exists()


# -- hostile and broken files: a message, and nothing written --------------------------------


def refused(cast, data, language="en") -> list[str]:
    before = row_counts()
    with pytest.raises(PlanImportError) as exc, translation.override(language):
        import_plan(data, org=cast.lgo, by=cast.planner)
    assert row_counts() == before, "a refused import wrote something"
    assert exc.value.problems, "no message for the user"
    return exc.value.messages


def test_it_refuses_a_team_role_pointing_to_a_missing_person(exported, cast):
    exported["team"][1]["backup"] = "c99"

    [message] = refused(cast, exported)

    assert message.startswith("$.team[1].backup: ")
    assert "c99" in message and "contacts" in message


def test_it_refuses_every_dangling_reference_at_once(exported, cast):
    exported["call_tree"][0]["parent"] = "n9"
    exported["processes"][0]["depends_on"] = ["p7"]
    exported["resources"][2]["process"] = "p8"
    exported["strategies"][0]["scenario"] = "s5"
    exported["procedures"][0]["responsible"] = "r4"
    exported["risks"][0]["scenario"] = "s6"

    messages = refused(cast, exported)

    assert [m.split(":")[0] for m in messages] == [
        "$.call_tree[0].parent", "$.processes[0].depends_on[0]", "$.resources[2].process",
        "$.strategies[0].scenario", "$.procedures[0].responsible", "$.risks[0].scenario",
    ]  # fmt: skip


def test_it_refuses_a_ref_used_twice(exported, cast):
    exported["contacts"][2]["ref"] = "c1"

    assert refused(cast, exported)[0] == "$.contacts[2].ref: The ref c1 is used twice."


def test_it_refuses_a_call_tree_that_goes_round(exported, cast):
    exported["call_tree"][1]["parent"] = "n1"

    assert "$.call_tree[0].parent" in refused(cast, exported)[0]


def test_it_refuses_an_unknown_value_of_an_enumeration(exported, cast):
    exported["processes"][0]["rto"] = "3 days"

    [message] = refused(cast, exported)

    assert message.startswith("$.processes[0].rto: ") and '"d1"' in message


def test_it_refuses_a_file_of_another_format_or_version(exported, cast):
    exported["version"] = 2
    assert "version" in refused(cast, exported)[0]

    assert refused(cast, {"format": "other", "hello": 1})[0].startswith("$.format:")
    assert refused(cast, [1, 2, 3])[0].startswith("$: ")


def test_it_refuses_unknown_and_missing_fields(exported, cast):
    exported["contacts"][0]["password"] = "x"
    del exported["plan"]["title"]

    messages = refused(cast, exported)

    assert "$.contacts[0]: Unknown field(s): password" in messages
    assert "$.plan: Missing: title" in messages


def test_it_refuses_thai_digits_where_numbers_belong(exported, cast):
    exported["plan"]["fiscal_year"] = "๒๕๖๙"

    [message] = refused(cast, exported)

    assert message.startswith("$.plan.fiscal_year: ") and "Arabic digits" in message


def test_it_refuses_bare_thai_digits_in_the_json(exported, cast):
    raw = portability.dumps(exported).replace(b'"fiscal_year": 2569', '"fiscal_year": ๒๕๖๙'.encode())

    [message] = refused(cast, raw)

    assert "not valid JSON" in message and "Arabic digits" in message


def test_it_refuses_impossible_dates(exported, cast):
    exported["revision_history"][0]["date"] = "2026-02-30"
    exported["plan"]["next_review_date"] = "30/09/2569"

    messages = refused(cast, exported)

    assert any(m.startswith("$.plan.next_review_date:") for m in messages)


def test_it_refuses_an_impossible_date_that_looks_right(exported, cast):
    exported["revision_history"][0]["date"] = "2026-02-30"

    assert refused(cast, exported) == ["$.revision_history[0].date: 2026-02-30 is not a real date."]


def test_it_refuses_a_file_that_is_not_json(cast):
    assert "not valid JSON" in refused(cast, b"title,fiscal_year\nplan,2569\n")[0]


def test_it_refuses_utf16(exported, cast):
    raw = json.dumps(exported, ensure_ascii=False).encode("utf-16")

    assert "UTF-16" in refused(cast, raw)[0]


def test_it_refuses_tis620_bytes(exported, cast):
    raw = json.dumps(exported, ensure_ascii=False).encode("tis-620")

    assert "TIS-620" in refused(cast, raw)[0]


def test_it_accepts_a_utf8_byte_order_mark(exported, cast):
    plan = import_plan(b"\xef\xbb\xbf" + portability.dumps(exported), org=cast.lgo, by=cast.planner)

    assert plan.revision == 2


def test_it_refuses_a_file_over_5_mb(exported, cast):
    exported["annexes"][0]["text"] = "ก" * (2 * 1024 * 1024)  # 3 bytes each in UTF-8

    assert "too large" in refused(cast, portability.dumps(exported))[0]


def test_it_refuses_too_many_rows(exported, cast):
    exported["objectives"] = ["x"] * (portability.json_schema()["properties"]["objectives"]["maxItems"] + 1)

    assert refused(cast, exported) == ["$.objectives: Too many rows: at most 5000."]


def test_it_refuses_a_nesting_bomb(cast):
    assert "nested too deeply" in refused(cast, b"[" * 100_000 + b"]" * 100_000)[0]
    assert "nested too deeply" in refused(cast, {"format": "phrom.plan", "x": [[[[[[[[[[1]]]]]]]]]]})[0]


def test_it_refuses_duplicate_keys(exported, cast):
    raw = portability.dumps(exported).replace(
        b'"format": "phrom.plan",', b'"format": "phrom.plan", "format": "x",'
    )

    assert "twice" in refused(cast, raw)[0]


def test_it_refuses_overlong_text(exported, cast):
    exported["contacts"][0]["phone"] = "0" * 41

    assert refused(cast, exported) == ["$.contacts[0].phone: Too long: at most 40 characters."]


def test_it_refuses_a_bad_email_and_a_risk_score_out_of_range(exported, cast):
    exported["contacts"][0]["email"] = "not-an-address"
    exported["risks"][0]["likelihood"] = 9

    messages = refused(cast, exported)

    assert messages == ["$.risks[0].likelihood: Must be at most 5."]  # the schema first, then meaning


def test_it_lists_at_most_50_problems(exported, cast):
    exported["objectives"] = [1] * 80

    messages = refused(cast, exported)

    assert len(messages) == 51 and "30 more" in messages[-1]


def test_the_messages_are_thai_for_thai_users(exported, cast):
    exported["team"][0]["primary"] = "c42"

    [message] = refused(cast, exported, language="th")

    assert message == "$.team[0].primary: ไม่พบ c42 ใน contacts (อ้างถึงจากแถวที่ 1)"
