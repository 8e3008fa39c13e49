import datetime

import pytest

from kindred.safety.models import DutyShift
from tests.factories import MembershipFactory, RoleGrantFactory, UserFactory, make_conversation

MIDNIGHT = datetime.time(0, 0)


def on_duty(organisation, advisor, *, order=1, starts=MIDNIGHT, ends=MIDNIGHT, days=range(7)):
    return [
        DutyShift.objects.create(
            organisation=organisation,
            advisor=advisor,
            weekday=day,
            starts=starts,
            ends=ends,
            order=order,
        )
        for day in days
    ]


@pytest.fixture
def avery(world):
    """A second advisor at St Elsewhere."""
    user = UserFactory(email="avery@example.org", display_name="Avery")
    RoleGrantFactory(
        membership=MembershipFactory(user=user, organisation=world.school), role="advisor"
    )
    return user


@pytest.fixture
def rota(world, avery):
    """Ada is paged first, Avery second, all week."""
    on_duty(world.school, world.ada, order=1)
    on_duty(world.school, avery, order=2)


@pytest.fixture
def talk(world):
    return make_conversation(world.alice, world.sam, world.school)
