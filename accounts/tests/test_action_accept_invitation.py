import pytest

from accounts import actions
from accounts.models import Invitation, User
from accounts.tests.conftest import NEW_PASSWORD
from orgs.models import Membership, Role


def test_it_adds_the_membership_once(cast, send_invitation):
    invitation = send_invitation(role=Role.VIEWER).invitation
    actions.accept_invitation(invitation, user=cast.other_planner)
    with pytest.raises(actions.InvitationUnusable):
        actions.accept_invitation(invitation, user=cast.far_planner)
    assert Membership.objects.filter(
        organization=cast.lgo, user=cast.other_planner, role=Role.VIEWER
    ).exists()
    assert not Membership.objects.filter(organization=cast.lgo, user=cast.far_planner).exists()


def test_a_stale_copy_cannot_be_accepted_twice(cast, send_invitation):
    # two requests that loaded the same invitation before either accepted it
    invitation = send_invitation().invitation
    copy = Invitation.objects.get(pk=invitation.pk)
    actions.accept_invitation(invitation, user=cast.viewer)
    with pytest.raises(actions.InvitationUnusable):
        actions.accept_invitation(copy, user=cast.approver)


def test_sign_up_leaves_no_account_behind_when_the_invitation_is_gone(cast, send_invitation):
    invitation = send_invitation().invitation
    actions.revoke_invitation(invitation, by=cast.org_admin)
    with pytest.raises(actions.InvitationUnusable):
        actions.sign_up_with_invitation(
            invitation, username="late", full_name="นายช้า มาก", phone="0812345678", password=NEW_PASSWORD
        )
    assert not User.objects.filter(username="late").exists()
