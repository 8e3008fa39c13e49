import pytest

from tests.factories import make_profile


@pytest.fixture
def profiles(world):
    """Sam supports exams and placements; Fay (also a supporter here) supports bereavement."""
    from kindred.accounts.models import Membership
    from tests.factories import RoleGrantFactory

    fay_membership = Membership.objects.get(user=world.fay, organisation=world.school)
    RoleGrantFactory(membership=fay_membership, role="supporter")
    return {
        "sam": make_profile(world.sam, world.school, topics=["exams", "placements"]),
        "fay": make_profile(world.fay, world.school, topics=["bereavement"], capacity=1),
    }
