"""Check-in with the code shown in the room, and anonymous feedback afterwards."""

import datetime

import pytest
from django.urls import reverse

from kindred.core.errors import DomainError
from kindred.events import selectors, services
from kindred.events.models import EventFeedback, Rsvp
from tests.conftest import sign_in
from tests.events.builders import fill, make_event, move_to


@pytest.fixture
def live(world):
    return move_to(make_event(world), started_ago=datetime.timedelta(minutes=10))


def test_the_coordinators_page_shows_the_code_during_the_event(client, world, live):
    sign_in(client, world.cora)
    body = client.get(reverse("run_event", args=[world.school.slug, live.pk])).content.decode()
    assert live.check_in_code in body


def test_an_attendee_checks_in_with_the_code_typed_loosely(client, world, live):
    services.rsvp(member=world.alice, event=live, going=True)
    sign_in(client, world.alice)
    typed = f" {live.check_in_code[:3].lower()}-{live.check_in_code[3:]} "
    response = client.post(reverse("event_check_in", args=[live.pk]), {"code": typed})
    assert response.status_code == 302
    assert Rsvp.objects.get(event=live, user=world.alice).checked_in_at is not None


def test_a_wrong_code_is_refused_next_to_the_field_and_kept(client, world, live):
    sign_in(client, world.alice)
    response = client.post(reverse("event_check_in", args=[live.pk]), {"code": "NOPE22"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "That code does not match" in body and 'value="NOPE22"' in body


def test_check_in_is_closed_well_before_the_event(world, event):
    with pytest.raises(DomainError, match="Check-in opens"):
        services.check_in(member=world.alice, event=event, code=event.check_in_code)


def test_a_new_code_stops_the_old_one(world, live):
    old = live.check_in_code
    services.new_check_in_code(coordinator=world.cora, event=live)
    with pytest.raises(DomainError, match="does not match"):
        services.check_in(member=world.alice, event=live, code=old)


def test_feedback_is_anonymous_and_answered_once(world, live):
    services.rsvp(member=world.alice, event=live, going=True)
    services.give_feedback(member=world.alice, event=live, was_useful=True, would_recommend=True)
    row = EventFeedback.objects.get()
    people = [
        f.name
        for f in EventFeedback._meta.fields
        if f.related_model is Rsvp.user.field.related_model
    ]
    assert people == ["key_owner"] and row.key_owner_id is None
    assert not [f for f in EventFeedback._meta.fields if f.get_internal_type() == "DateTimeField"]
    assert Rsvp.objects.get(event=live, user=world.alice).feedback_given
    with pytest.raises(DomainError, match="already answered"):
        services.give_feedback(
            member=world.alice, event=live, was_useful=False, would_recommend=None
        )


def test_people_who_did_not_go_cannot_give_feedback(world, live):
    with pytest.raises(DomainError, match="open to people who went"):
        services.give_feedback(member=world.bob, event=live, was_useful=True, would_recommend=True)


def test_coordinators_see_feedback_only_once_five_answered(client, world, live):
    crowd = fill(live, world.school, 5)
    for person in crowd[:4]:
        services.give_feedback(
            member=person, event=live, was_useful=True, would_recommend=False, text="Loved it"
        )
    sign_in(client, world.cora)
    url = reverse("run_event", args=[world.school.slug, live.pk])
    body = client.get(url).content.decode()
    assert "Fewer than 5 people have answered" in body and "Loved it" not in body
    services.give_feedback(member=crowd[4], event=live, was_useful=False, would_recommend=False)
    summary = selectors.feedback_summary(live)
    assert summary.shown and summary.was_useful == (4, 5)
    assert "Loved it" in client.get(url).content.decode()


def test_the_feedback_form_keeps_a_long_comment_and_says_why(client, world, live):
    services.rsvp(member=world.alice, event=live, going=True)
    sign_in(client, world.alice)
    long = "y" * 1001
    response = client.post(reverse("event_feedback", args=[live.pk]), {"text": long})
    assert response.status_code == 400
    assert "at most 1000 characters" in response.content.decode()
    assert long in response.content.decode()


def test_counts_under_ten_are_suppressed_for_coordinators(client, world, event):
    fill(event, world.school, 3)
    sign_in(client, world.cora)
    body = client.get(reverse("manage_events", args=[world.school.slug])).content.decode()
    assert "fewer than 10" in body
