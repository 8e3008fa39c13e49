import pytest

from tests.factories import make_profile


@pytest.fixture
def sams_profile(world):
    return make_profile(world.sam, world.school)
