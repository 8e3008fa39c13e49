"""Every events page renders for the people it is for, in a bounded number of queries."""

import datetime

import pytest
from django.urls import reverse

from kindred.events import services
from kindred.events.demo import LIVE_EVENT_TITLE  # noqa: F401 - the Q&A app's demo imports it
from tests.conftest import sign_in
from tests.events.builders import fill, make_event, move_to


@pytest.fixture
def many(world):
    events = [make_event(world, title=f"Talk {i}", capacity=3) for i in range(8)]
    for e in events[:3]:
        fill(e, world.school, 2)
        services.add_speaker(coordinator=world.cora, event=e, name="Dr Raman")
    for i in range(6):
        person = world.alice if i % 2 else world.bob
        services.propose_topic(member=person, organisation=world.school, text=f"Topic {i}")
    return events


def test_the_listing_is_bounded_in_queries(client, world, many, django_assert_max_num_queries):
    sign_in(client, world.alice)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("events_home"))
    assert response.status_code == 200
    assert response.content.decode().count('class="card event-card"') == 8


def test_the_listing_filters_by_kind_and_topic(client, world):
    make_event(world, title="Yoga at lunch", kind="wellness", topics=["wellness"])
    make_event(world, title="Talk on money", kind="talk", topics=["money"])
    sign_in(client, world.alice)
    body = client.get(reverse("events_home"), {"kind": "wellness"}).content.decode()
    assert "Yoga at lunch" in body and "Talk on money" not in body
    body = client.get(reverse("events_home"), {"topic": "money"}).content.decode()
    assert "Talk on money" in body and "Yoga at lunch" not in body


def test_the_listing_is_made_for_phones(client, world):
    sign_in(client, world.alice)
    body = client.get(reverse("events_home")).content.decode()
    assert 'name="viewport" content="width=device-width' in body
    assert "<table" not in body


def test_the_event_page_is_bounded_and_holds_the_q_and_a(
    client, world, many, django_assert_max_num_queries
):
    sign_in(client, world.alice)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("event_detail", args=[many[0].pk]))
    assert response.status_code == 200
    template_names = [t.name for t in response.templates]
    assert "qanda/partials/on_event_page.html" in template_names


@pytest.mark.parametrize("name", ["manage_events", "new_event", "new_series", "manage_topics"])
def test_coordinator_pages_are_bounded(client, world, many, name, django_assert_max_num_queries):
    sign_in(client, world.cora)
    with django_assert_max_num_queries(25):
        assert client.get(reverse(name, args=[world.school.slug])).status_code == 200


@pytest.mark.parametrize("name", ["run_event", "edit_event", "event_speakers"])
def test_event_coordinator_pages_are_bounded(
    client, world, many, name, django_assert_max_num_queries
):
    sign_in(client, world.cora)
    with django_assert_max_num_queries(25):
        assert client.get(reverse(name, args=[world.school.slug, many[0].pk])).status_code == 200


def test_topics_page_is_bounded(client, world, many, django_assert_max_num_queries):
    sign_in(client, world.bob)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("topic_proposals")).status_code == 200


def test_feedback_page_is_bounded(client, world, django_assert_max_num_queries):
    live = move_to(make_event(world), started_ago=datetime.timedelta(minutes=5))
    services.rsvp(member=world.alice, event=live, going=True)
    sign_in(client, world.alice)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("event_feedback", args=[live.pk]))
    assert "Was the event useful to you?" in response.content.decode()


def test_the_main_navigation_links_to_events(client, world):
    sign_in(client, world.alice)
    body = client.get(reverse("events_home")).content.decode()
    assert f'href="{reverse("events_home")}" aria-current="page">Events</a>' in body


def test_editing_a_cancelled_event_is_refused_with_a_message(client, world, event):
    services.cancel_event(coordinator=world.cora, event=event)
    sign_in(client, world.cora)
    from tests.events.test_events_and_series import _form

    response = client.post(reverse("edit_event", args=[world.school.slug, event.pk]), _form())
    assert response.status_code == 400
    assert "cancelled and can no longer be changed" in response.content.decode()
