"""Capacity holds under a rush: 30 people say "going" to a 5-place event at the same moment,
exactly 5 get places and 25 wait, in order; then 5 stop going at once and exactly the first 5
waiting are promoted. PostgreSQL only: it is `select_for_update` on the event row that is
tested (`make test-postgres`)."""

import pytest
from django.conf import settings

from kindred.events import services
from kindred.events.models import Rsvp
from tests.events.builders import make_event, people
from tests.officehours.concurrency import run_at_once, shared_database

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="row locks are tested on PostgreSQL",
    ),
]
RUSH = 30
PLACES = 5


def test_thirty_people_rushing_a_five_place_event_give_five_places_and_a_waiting_list(
    world, tmp_path
):
    event = make_event(world, capacity=PLACES)
    crowd = people(world.school, RUSH)

    with shared_database(tmp_path):
        results = run_at_once(
            lambda i: services.rsvp(member=crowd[i], event=event, going=True), RUSH
        )
        errors = [r for r in results if isinstance(r, Exception)]
        going = Rsvp.objects.filter(event=event, status="going").count()
        waiting = Rsvp.objects.filter(event=event, status="waitlisted").count()

    assert errors == []
    assert (going, waiting) == (PLACES, RUSH - PLACES)


def test_five_leaving_at_once_promote_exactly_five_from_the_waiting_list(world, tmp_path):
    event = make_event(world, capacity=PLACES)
    crowd = people(world.school, PLACES + 10)
    for person in crowd:
        services.rsvp(member=person, event=event, going=True)
    first_waiting = [p.pk for p in crowd[PLACES : PLACES * 2]]

    with shared_database(tmp_path):
        results = run_at_once(
            lambda i: services.rsvp(member=crowd[i], event=event, going=False), PLACES
        )
        going = set(
            Rsvp.objects.filter(event=event, status="going").values_list("user_id", flat=True)
        )

    assert [r for r in results if isinstance(r, Exception)] == []
    assert going == set(first_waiting)
