import datetime

from django.test import RequestFactory
from django.utils import timezone

from kindred.accounts.models import RoleGrant
from kindred.accounts.selectors import can_act_as, holds_privileged_role, roles_of


def _request(user, *, mfa: bool):
    request = RequestFactory().get("/")
    request.user = user
    request.session = {}
    if mfa:
        request.session["account_authentication_methods"] = [{"method": "mfa", "at": 1}]
        request.session["account_authentication_methods_user"] = str(user.pk)
    return request


def test_a_supporter_with_current_training_can_act(world):
    assert can_act_as(_request(world.sam, mfa=True), "supporter", world.school.pk)


def test_a_supporter_cannot_act_without_a_second_factor(world):
    assert not can_act_as(_request(world.sam, mfa=False), "supporter", world.school.pk)


def test_an_expired_role_cannot_act(world):
    RoleGrant.objects.filter(membership__user=world.sam).update(
        trained_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    roles = roles_of(world.sam)
    assert not roles.has("supporter", world.school.pk)
    assert "supporter" in roles.lapsed[world.school.pk]
    assert not can_act_as(_request(world.sam, mfa=True), "supporter", world.school.pk)


def test_a_role_counts_only_in_its_own_organisation(world):
    assert not roles_of(world.cora).has("coordinator", world.other_school.pk)


def test_a_revoked_role_is_gone(world):
    RoleGrant.objects.filter(membership__user=world.sam).update(revoked_at=timezone.now())
    assert not roles_of(world.sam).has("supporter")
    assert not holds_privileged_role(world.sam)


def test_members_need_no_second_factor(world):
    assert can_act_as(_request(world.alice, mfa=False), "member", world.school.pk)


def test_demo_sign_in_counts_as_a_second_factor_only_when_demo_sign_in_is_on(world, settings):
    request = _request(world.cora, mfa=False)
    request.session["account_authentication_methods"] = [{"method": "demo", "at": 1}]
    request.session["account_authentication_methods_user"] = str(world.cora.pk)
    settings.KINDRED_DEMO_SIGN_IN = True
    assert can_act_as(request, "coordinator", world.school.pk)
    settings.KINDRED_DEMO_SIGN_IN = False
    assert not can_act_as(request, "coordinator", world.school.pk)
