import pytest

from tests.groups.builders import make_cohort


@pytest.fixture
def cohort(world):
    """An open 10-week video group at St Elsewhere, starting in a week; Fay facilitates."""
    return make_cohort(world)
