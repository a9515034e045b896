"""The access rules (orgs.access): who may read which organization's private data."""

import pytest

from orgs import access
from orgs.models import Membership, Organization, Role


def visible(user):
    return set(Organization.objects.visible_to(user).values_list("pk", flat=True))


def test_a_local_government_member_sees_only_their_own_organization(cast):
    for user in (cast.planner, cast.viewer, cast.approver, cast.org_admin):
        assert visible(user) == {cast.lgo.pk}


def test_a_district_overseer_sees_the_district_and_its_local_governments(cast):
    assert visible(cast.district_officer) == {cast.district.pk, cast.lgo.pk, cast.lgo_same_district.pk}


def test_a_province_overseer_sees_everything_in_the_province_and_nothing_outside(cast):
    seen = visible(cast.province_officer)
    assert {
        cast.lgo.pk,
        cast.lgo_other_district.pk,
        cast.other_district.pk,
        cast.provincial_office.pk,
    } <= seen
    assert not seen & {cast.lgo_other_province.pk, cast.far_district.pk, cast.other_province.pk}
    assert cast.opdc.pk not in seen


def test_a_national_overseer_sees_every_organization(cast):
    assert visible(cast.opdc_reviewer) == set(Organization.objects.values_list("pk", flat=True))


def test_a_national_overseer_with_another_membership_still_sees_everything(cast):
    # Q() | Q(pk=x) collapses to Q(pk=x) in Django; the rules must not fall into that trap.
    Membership.objects.create(user=cast.opdc_reviewer, organization=cast.lgo, role=Role.VIEWER)
    cast.opdc_reviewer._phrom_memberships = None
    assert visible(cast.opdc_reviewer) == set(Organization.objects.values_list("pk", flat=True))


def test_anonymous_and_inactive_users_see_nothing(cast, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert visible(AnonymousUser()) == set()
    cast.planner.is_active = False
    assert visible(cast.planner) == set()


def test_an_overseer_role_at_a_local_government_does_not_widen_the_scope(cast):
    Membership.objects.filter(user=cast.viewer).update(role=Role.OVERSEER)
    cast.viewer._phrom_memberships = None
    assert visible(cast.viewer) == {cast.lgo.pk}


def test_owned_querysets_are_restricted_through_the_organization(cast):
    seen = set(Membership.objects.visible_to(cast.district_officer).values_list("organization_id", flat=True))
    assert seen <= {cast.district.pk, cast.lgo.pk, cast.lgo_same_district.pk}
    assert cast.lgo.pk in seen


def test_roles_decide_what_a_member_may_do(cast):
    assert access.can_plan(cast.planner, cast.lgo)
    assert not access.can_plan(cast.viewer, cast.lgo)
    assert not access.can_plan(cast.district_officer, cast.lgo)
    assert access.can_approve(cast.approver, cast.lgo)
    assert not access.can_approve(cast.planner, cast.lgo)
    assert access.can_manage_members(cast.org_admin, cast.lgo)
    assert not access.can_manage_members(cast.planner, cast.lgo)
    assert not access.can_manage_members(cast.org_admin, cast.lgo_same_district)
    assert access.oversees(cast.district_officer, cast.lgo)
    assert not access.oversees(cast.district_officer, cast.lgo_other_district)
    assert access.oversees(cast.province_officer, cast.lgo_other_district)
    assert not access.oversees(cast.province_officer, cast.lgo_other_province)
    assert access.oversees(cast.opdc_reviewer, cast.lgo_other_province)
    assert not access.oversees(cast.planner, cast.lgo)


def test_the_subtree_of_a_province_is_one_query(cast, django_assert_num_queries):
    with django_assert_num_queries(1):  # SELECT … WHERE province_id = %s
        rows = list(Organization.objects.within(cast.province))
    assert cast.lgo_other_district in rows and cast.lgo_other_province not in rows


def test_the_subtree_query_uses_the_province_index(cast):
    from django.db import connection

    if connection.vendor != "sqlite":
        # PostgreSQL's planner scans tiny tables sequentially whatever the indexes exist.
        pytest.skip("index use on a few rows is only deterministic on SQLite")
    plan = Organization.objects.within(cast.province).explain()
    assert "org_province_kind_idx" in plan
