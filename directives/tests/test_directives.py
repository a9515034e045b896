"""Composing, issuing, relaying and opening directives: actions and pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from directives import actions
from directives.models import Directive, Group, Recipient
from directives.tests.conftest import make_directive
from orgs.actions import create_organization
from orgs.models import Kind, Organization


@pytest.fixture(autouse=True)
def _english():
    """These tests read the English source of the messages (the Thai ones are in locale/)."""
    from django.utils import translation

    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db


# -- groups and issue ---------------------------------------------------------------------------


def test_groups_expand_to_every_organization_of_the_group_on_issue(cast):
    d = make_directive(cast, groups=[Group.DISTRICTS, Group.LGOS])
    actions.set_named_recipients(d, to=[cast.opdc.pk], copies=[cast.dla.pk, cast.district.pk])

    actions.issue_directive(d, by=cast.province_officer)

    rows = {r.org_id: (r.role, r.group) for r in d.recipients.all()}
    assert rows[cast.district.pk] == ("to", "districts")  # a group wins over "copy"
    assert rows[cast.other_district.pk] == ("to", "districts")
    assert rows[cast.lgo.pk] == ("to", "lgos")
    assert rows[cast.opdc.pk] == ("to", "")
    assert rows[cast.dla.pk] == ("copy", "")
    assert cast.lgo_other_province.pk not in rows and cast.provincial_office.pk not in rows
    assert len(rows) == 2 + 3 + 2  # districts, LGOs of Phrae, OPDC and the DLA


def test_issuing_to_all_local_governments_of_the_country_is_a_bulk_insert(
    cast, django_assert_max_num_queries
):
    # 7,849 local governments under one district of the cast: the size of the national load.
    Organization.objects.bulk_create(
        [
            Organization(kind=Kind.SAO, name_th=f"อบต.ทดสอบ{i}", parent=cast.far_district,
                         province=cast.other_province, district=cast.far_district)
            for i in range(7849 - 4)
        ]
    )  # fmt: skip
    d = make_directive(cast, issuer=cast.dla, by=cast.site_admin, groups=[Group.LGOS])

    # SQLite takes a few hundred rows per INSERT; PostgreSQL 2,000. Either way no query per row.
    with django_assert_max_num_queries(90):
        actions.issue_directive(d, by=cast.site_admin)

    assert d.recipients.count() == 7849
    assert d.recipients.filter(group=Group.LGOS).count() == 7849


def test_a_draft_is_not_in_anyones_inbox_until_it_is_issued(cast, client):
    d = make_directive(cast)
    client.force_login(cast.district_officer)
    assert client.get(reverse("directives:detail", args=[d.pk])).status_code == 404

    actions.issue_directive(d, by=cast.province_officer)

    assert client.get(reverse("directives:detail", args=[d.pk])).status_code == 200
    assert d.subject in client.get(reverse("directives:inbox")).content.decode()


def test_issuing_needs_an_addressee_and_where_plans_go(cast):
    d = make_directive(cast, groups=[])
    with pytest.raises(actions.DirectiveError, match="addressee"):
        actions.issue_directive(d, by=cast.province_officer)
    d2 = make_directive(cast, submit_to=None)
    with pytest.raises(actions.DirectiveError, match="OPDC"):
        actions.issue_directive(d2, by=cast.province_officer)


def test_the_issue_page_says_how_many_organizations_receive_it(cast, client):
    d = make_directive(cast, groups=[Group.DISTRICTS, Group.LGOS])
    client.force_login(cast.province_officer)

    page = client.get(reverse("directives:issue", args=[d.pk])).content.decode()
    assert re.search(r'<h2 id="what">[^<]*\b5\b', page)  # in any language

    resp = client.post(reverse("directives:issue", args=[d.pk]))
    assert resp.status_code == 302
    d.refresh_from_db()
    assert d.status == "issued" and d.recipients.count() == 5 and d.root_id == d.pk


# -- relay ----------------------------------------------------------------------------------------


def test_a_district_relays_with_its_own_number_and_the_root_is_kept(cast, issued, relayed):
    assert relayed.parent_id == issued.pk and relayed.root_id == issued.pk
    assert relayed.issuer_id == cast.district.pk and relayed.register_number == 1
    assert (relayed.subject, relayed.deadline, relayed.submit_to_id) == (
        issued.subject, issued.deadline, issued.submit_to_id,
    )  # fmt: skip
    assert set(relayed.recipients.values_list("org_id", flat=True)) == {
        cast.lgo.pk,
        cast.lgo_same_district.pk,
    }
    assert actions.chain_of(relayed) == [issued, relayed]


def test_a_relay_skips_organizations_the_chain_already_reached(cast):
    d = make_directive(cast, groups=[Group.DISTRICTS])
    actions.set_named_recipients(d, to=[cast.lgo_same_district.pk], copies=[])
    d = actions.issue_directive(d, by=cast.province_officer)

    relay = actions.relay_directive(d, issuer=cast.district, by=cast.district_officer)

    assert list(relay.recipients.values_list("org_id", flat=True)) == [cast.lgo.pk]


def test_an_organization_relays_a_directive_once_whatever_the_route(cast, issued, relayed, client):
    """A retried API call or a double click must not send the circular down twice (nor take a
    second ว number): the action itself refuses, naming the relay already made."""
    with pytest.raises(actions.AlreadyRelayed) as caught:
        actions.relay_directive(issued, issuer=cast.district, by=cast.district_officer, to=[cast.lgo.pk])
    assert caught.value.relay.pk == relayed.pk
    client.force_login(cast.district_officer)
    resp = client.post(
        f"/api/v1/directives/{issued.pk}/relay", {"to": [cast.lgo.pk]}, content_type="application/json"
    )
    assert resp.status_code == 409
    assert Directive.objects.filter(parent=issued).count() == 1


def test_only_an_overseer_of_an_addressee_relays(cast, issued):
    with pytest.raises(actions.NotAllowed):
        actions.relay_directive(issued, issuer=cast.district, by=cast.planner)
    with pytest.raises(actions.NotAllowed):  # not addressed to the LGO's own office
        actions.relay_directive(issued, issuer=cast.lgo, by=cast.site_admin)


def test_the_relay_page_is_prefilled_and_relays_in_one_click(cast, client, issued):
    client.force_login(cast.district_officer)
    url = reverse("directives:relay", args=[issued.pk])
    page = client.get(url).content.decode()
    assert re.search(rf'value="{cast.lgo.pk}" id="[^"]+" checked', page)

    resp = client.post(
        url,
        {"issuer": cast.district.pk, "to": [cast.lgo.pk, cast.lgo_same_district.pk], "cover_note": "แจ้งด่วน"},
    )

    relay = Directive.objects.get(parent=issued)
    assert resp.status_code == 302 and resp["Location"] == reverse("directives:detail", args=[relay.pk])
    assert relay.cover_note == "แจ้งด่วน" and relay.recipients.count() == 2
    again = client.post(url, {"issuer": cast.district.pk, "to": [cast.lgo.pk]})
    assert again.status_code == 302 and Directive.objects.filter(parent=issued).count() == 1


def test_the_directive_page_shows_the_chain(cast, client, issued, relayed):
    client.force_login(cast.planner)
    page = client.get(reverse("directives:detail", args=[relayed.pk])).content.decode()
    chain = page[page.index('class="chain"') :]
    assert chain.index(cast.provincial_office.name_th) < chain.index(cast.district.name_th)
    # The original was not addressed to the local government: it is named in the chain, not linked.
    assert f'href="/directives/{issued.pk}/"' not in chain
    client.force_login(cast.district_officer)
    page = client.get(reverse("directives:detail", args=[relayed.pk])).content.decode()
    assert f'href="/directives/{issued.pk}/"' in page[page.index('class="chain"') :]


# -- inbox and acknowledgement ----------------------------------------------------------------------


def test_opening_records_the_acknowledgement_once(cast, client, relayed):
    client.force_login(cast.planner)
    client.get(reverse("directives:detail", args=[relayed.pk]))
    row = Recipient.objects.get(directive=relayed, org=cast.lgo)
    first = (row.acknowledged_at, row.acknowledged_by_id)
    assert first[1] == cast.planner.pk

    client.force_login(cast.approver)
    client.get(reverse("directives:detail", args=[relayed.pk]))
    row.refresh_from_db()
    assert (row.acknowledged_at, row.acknowledged_by_id) == first


def test_overseers_above_do_not_acknowledge_for_the_addressee(cast, client, relayed):
    client.force_login(cast.province_officer)
    assert client.get(reverse("directives:detail", args=[relayed.pk])).status_code == 200
    assert not Recipient.objects.filter(directive=relayed, acknowledged_at__isnull=False).exists()


def test_the_inbox_lists_unread_first(cast, client, issued):
    older = make_directive(cast, subject="หนังสือเก่าที่อ่านแล้ว", date=dt.date(2026, 1, 5))
    actions.issue_directive(older, by=cast.province_officer)
    actions.acknowledge(older, user=cast.district_officer)
    client.force_login(cast.district_officer)

    page = client.get(reverse("directives:inbox")).content.decode()

    assert page.index(issued.subject) < page.index("หนังสือเก่าที่อ่านแล้ว")


def test_issuers_see_who_has_opened_it(cast, client, issued):
    actions.acknowledge(issued, user=cast.district_officer)
    client.force_login(cast.province_officer)

    page = client.get(reverse("directives:recipients", args=[issued.pk])).content.decode()

    assert "1 of 2" in page or "1 จาก 2" in page
    client.force_login(cast.district_officer)  # an addressee may read it, not follow the others
    assert client.get(reverse("directives:recipients", args=[issued.pk])).status_code == 403


# -- access ---------------------------------------------------------------------------------------


def test_outsiders_get_404_and_members_without_the_role_403(cast, client, issued, relayed):
    client.force_login(cast.far_district_officer)
    for name in ("detail", "relay", "submit", "recipients", "issue"):
        assert client.get(reverse(f"directives:{name}", args=[issued.pk])).status_code == 404, name
    client.force_login(cast.other_planner)  # another district's local government
    assert client.get(reverse("directives:detail", args=[relayed.pk])).status_code == 404
    client.force_login(cast.viewer)
    assert client.get(reverse("directives:relay", args=[relayed.pk])).status_code == 403
    assert client.get(reverse("directives:submit", args=[relayed.pk])).status_code == 403
    assert client.get(reverse("directives:new")).status_code == 403


def test_the_compose_form_keeps_what_was_typed_on_an_error(cast, client):
    client.force_login(cast.province_officer)
    resp = client.post(
        reverse("directives:new"),
        {
            "issuer": cast.provincial_office.pk, "subject": "", "body": "ย่อหน้าที่พิมพ์ไว้ยาวๆ",
            "ask": "submit_plan", "deadline_date": "๓๐/๖/๒๕๗๐", "ref-TOTAL_FORMS": 2, "ref-INITIAL_FORMS": 0,
            "enc-TOTAL_FORMS": 2, "enc-INITIAL_FORMS": 0,
            "ref-0-description": "หนังสือกรม", "ref-0-number": "ว 1",
        },
    )  # fmt: skip
    page = resp.content.decode()
    assert resp.status_code == 422
    assert "ย่อหน้าที่พิมพ์ไว้ยาวๆ" in page and "หนังสือกรม" in page and "2027-06-30" in page
    assert not Directive.objects.exists()


def test_a_directive_composed_on_the_page_is_saved_as_a_draft(cast, client):
    client.force_login(cast.province_officer)
    resp = client.post(
        reverse("directives:new"),
        {
            "issuer": cast.provincial_office.pk, "subject": "ทดสอบ", "urgency": "most_urgent",
            "ask": "submit_plan", "submit_to": cast.opdc.pk,
            "deadline_date": "30/06/2570", "deadline_time": "๑๖.๓๐",
            "groups": ["districts"], "copy_rules": ["province"], "ref-TOTAL_FORMS": 0, "ref-INITIAL_FORMS": 0,
            "enc-TOTAL_FORMS": 0, "enc-INITIAL_FORMS": 0,
        },
    )  # fmt: skip
    d = Directive.objects.get()
    assert resp.status_code == 302 and resp["Location"] == reverse("directives:issue", args=[d.pk])
    assert d.status == "draft" and d.urgency == "most_urgent" and d.groups == ["districts"]
    from django.utils import timezone

    local = timezone.localtime(d.deadline)
    assert (local.date(), local.hour, local.minute) == (dt.date(2027, 6, 30), 16, 30)


def test_a_local_government_cannot_issue(cast):
    assert not actions.can_issue(cast.planner, cast.lgo)
    assert actions.can_issue(cast.province_officer, cast.provincial_office)
    assert not actions.can_issue(cast.province_officer, cast.province)  # issues as its own office
    new_office = create_organization(
        kind=Kind.DISTRICT, name_th="อำเภอใหม่", parent=cast.province, geocode="5499"
    )
    assert not actions.can_issue(cast.district_officer, new_office)
