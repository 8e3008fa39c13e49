import datetime

from django.utils import timezone

from kindred.accounts.models import RoleGrant
from kindred.accounts.services import create_api_token


def test_a_coordinator_may_manage_roles_only_in_their_own_organisation(world):
    assert world.cora.has_perm("accounts.manage_roles", world.school)
    assert not world.cora.has_perm("accounts.manage_roles", world.other_school)
    assert not world.alice.has_perm("accounts.manage_roles", world.school)


def test_a_supporter_acts_as_one_only_while_trained(world):
    assert world.sam.has_perm("accounts.act_as_supporter", world.school)
    RoleGrant.objects.filter(membership__user=world.sam).update(
        trained_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    world.sam.__dict__.pop("_kindred_roles", None)
    assert not world.sam.has_perm("accounts.act_as_supporter", world.school)


def test_only_the_owner_may_revoke_a_token(world):
    token, _ = create_api_token(user=world.alice, name="x")
    assert world.alice.has_perm("accounts.revoke_token", token)
    assert not world.bob.has_perm("accounts.revoke_token", token)
