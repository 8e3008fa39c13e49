"""RSVP: going or not, a waiting list when full, promotion when someone stops going."""

import pytest
from django.urls import reverse

from kindred.core.errors import DomainError
from kindred.events import services
from kindred.events.models import Rsvp
from kindred.notifications.models import Notification
from tests.conftest import sign_in
from tests.events.builders import fill, make_event

S = Rsvp.Status


def test_saying_going_to_an_event_with_room_makes_you_going(world, event):
    result = services.rsvp(member=world.alice, event=event, going=True)
    assert result.rsvp.status == S.GOING and not result.waitlisted


def test_a_full_event_puts_you_on_the_waiting_list(world):
    event = make_event(world, capacity=2)
    fill(event, world.school, 2)
    result = services.rsvp(member=world.alice, event=event, going=True)
    assert result.waitlisted


def test_the_page_says_so_when_a_full_event_puts_you_on_the_waiting_list(client, world):
    event = make_event(world, capacity=1)
    fill(event, world.school, 1)
    sign_in(client, world.alice)
    response = client.post(reverse("rsvp_event", args=[event.pk]), {"going": "yes"}, follow=True)
    assert "This event is full, so you are on the waiting list" in response.content.decode()
    assert "number 1" in response.content.decode()


def test_when_someone_stops_going_the_first_person_waiting_gets_the_place_and_is_told(world):
    event = make_event(world, capacity=1)
    (first,) = fill(event, world.school, 1)
    services.rsvp(member=world.alice, event=event, going=True)
    services.rsvp(member=world.bob, event=event, going=True)
    services.rsvp(member=first, event=event, going=False)
    assert Rsvp.objects.get(event=event, user=world.alice).status == S.GOING
    assert Rsvp.objects.get(event=event, user=world.bob).status == S.WAITLISTED
    note = Notification.objects.get(user=world.alice)
    assert "A place came up" in note.text


def test_nobody_jumps_the_waiting_list_when_the_event_gains_places(world):
    event = make_event(world, capacity=1)
    fill(event, world.school, 1)
    services.rsvp(member=world.alice, event=event, going=True)
    fields = {k: getattr(event, k) for k in services.EVENT_FIELDS}
    services.update_event(
        coordinator=world.cora,
        event=event,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        **{**fields, "capacity": 2},
    )
    assert Rsvp.objects.get(event=event, user=world.alice).status == S.GOING
    assert services.rsvp(member=world.bob, event=event, going=True).waitlisted


def test_saying_going_twice_changes_nothing(world, event):
    services.rsvp(member=world.alice, event=event, going=True)
    again = services.rsvp(member=world.alice, event=event, going=True)
    assert not again.changed
    assert Rsvp.objects.filter(event=event).count() == 1


def test_a_cancelled_event_takes_no_answers(world, event):
    services.cancel_event(coordinator=world.cora, event=event)
    with pytest.raises(DomainError, match="cancelled"):
        services.rsvp(member=world.alice, event=event, going=True)


def test_where_to_go_is_shown_only_to_people_going(client, world):
    event = make_event(world, location="Seminar room 4B")
    sign_in(client, world.alice)
    url = reverse("event_detail", args=[event.pk])
    assert "Seminar room 4B" not in client.get(url).content.decode()
    services.rsvp(member=world.alice, event=event, going=True)
    assert "Seminar room 4B" in client.get(url).content.decode()


def test_the_video_link_is_shown_only_to_people_going(client, world):
    event = make_event(world, format="video", location="", video_link="https://video.example/x")
    sign_in(client, world.alice)
    url = reverse("event_detail", args=[event.pk])
    assert "video.example/x" not in client.get(url).content.decode()
    services.rsvp(member=world.alice, event=event, going=True)
    assert "video.example/x" in client.get(url).content.decode()


def test_waiting_is_not_going_so_the_place_stays_hidden(client, world):
    event = make_event(world, capacity=1, location="Seminar room 4B")
    fill(event, world.school, 1)
    services.rsvp(member=world.alice, event=event, going=True)
    sign_in(client, world.alice)
    assert (
        "Seminar room 4B"
        not in client.get(reverse("event_detail", args=[event.pk])).content.decode()
    )
