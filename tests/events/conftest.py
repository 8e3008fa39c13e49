import pytest

from tests.events.builders import make_event


@pytest.fixture
def event(world):
    """A talk at St Elsewhere in three days, in person, no limit on places; Cora made it."""
    return make_event(world)
