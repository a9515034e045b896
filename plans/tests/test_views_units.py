"""The organization's list of units: /plans/org/<org_pk>/units/."""

from audit.models import AuditEvent
from plans.models import Unit


def url(org, *rest):
    return f"/plans/org/{org.pk}/units/" + "".join(f"{r}/" for r in rest)


def test_it_adds_a_unit_and_audits_it(cast, client):
    client.force_login(cast.planner)
    resp = client.post(url(cast.lgo), {"name_th": "  กองสวัสดิการ   สังคม ", "name_en": "Social Welfare"})
    assert resp.status_code == 302
    unit = Unit.objects.get(org=cast.lgo)
    assert unit.name_th == "กองสวัสดิการ สังคม"  # spaces tidied
    assert AuditEvent.objects.filter(action="org.unit.add", organization=cast.lgo).exists()
    assert "กองสวัสดิการ สังคม" in client.get(url(cast.lgo)).content.decode()


def test_it_refuses_a_duplicate_name_with_a_message(cast, client):
    Unit.objects.create(org=cast.lgo, name_th="กองคลัง")
    client.force_login(cast.planner)
    resp = client.post(url(cast.lgo), {"name_th": "กองคลัง"})
    assert resp.status_code == 400
    assert Unit.objects.filter(org=cast.lgo).count() == 1


def test_it_renames_and_removes_units(cast, client):
    unit = Unit.objects.create(org=cast.lgo, name_th="กองช่าง")
    client.force_login(cast.planner)
    client.post(url(cast.lgo, unit.pk, "rename"), {"name_th": "กองช่างและโยธา"})
    unit.refresh_from_db()
    assert unit.name_th == "กองช่างและโยธา"
    client.post(url(cast.lgo, unit.pk, "delete"))
    assert not Unit.objects.filter(pk=unit.pk).exists()


def test_a_viewer_reads_but_may_not_change(cast, client):
    unit = Unit.objects.create(org=cast.lgo, name_th="สำนักปลัด")
    client.force_login(cast.viewer)
    assert client.get(url(cast.lgo)).status_code == 200
    assert client.post(url(cast.lgo), {"name_th": "กองใหม่"}).status_code == 403
    assert client.post(url(cast.lgo, unit.pk, "delete")).status_code == 403
    assert Unit.objects.filter(org=cast.lgo).count() == 1


def test_it_hides_other_organizations_units(cast, client):
    unit = Unit.objects.create(org=cast.lgo, name_th="สำนักปลัด")
    client.force_login(cast.other_planner)
    assert client.get(url(cast.lgo)).status_code == 404
    assert client.post(url(cast.lgo, unit.pk, "rename"), {"name_th": "x"}).status_code == 404
    # a unit id of another organization under one's own organization is not found either
    client.force_login(cast.planner)
    other = Unit.objects.create(org=cast.lgo_other_district, name_th="กองคลัง")
    assert client.post(url(cast.lgo, other.pk, "delete")).status_code == 404
    assert Unit.objects.filter(pk=other.pk).exists()


def test_it_rejects_get_on_writes(cast, client):
    unit = Unit.objects.create(org=cast.lgo, name_th="สำนักปลัด")
    client.force_login(cast.planner)
    assert client.get(url(cast.lgo, unit.pk, "delete")).status_code == 405
