"""The events API: list, RSVP (201 going, 202 waiting, 200 not going), topics and votes."""

from django.urls import reverse

from kindred.events import services
from tests.conftest import sign_in
from tests.events.builders import fill, make_event


def _post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_it_lists_upcoming_events_without_the_place_until_going(client, world, event):
    sign_in(client, world.alice)
    body = client.get(reverse("api:list_events")).json()
    assert [e["id"] for e in body] == [event.pk]
    assert body[0]["where"] is None and body[0]["my_status"] is None
    _post(client, reverse("api:rsvp_event", args=[event.pk]), {"going": True})
    body = client.get(reverse("api:list_events")).json()
    assert body[0]["where"] == "Lecture theatre 1" and body[0]["my_status"] == "going"


def test_another_organisation_sees_nothing(client, world, event):
    sign_in(client, world.olga)
    assert client.get(reverse("api:list_events")).json() == []
    assert _post(client, reverse("api:rsvp_event", args=[event.pk])).status_code == 404


def test_rsvp_answers_201_going_202_waiting_and_200_not_going(client, world):
    event = make_event(world, capacity=1)
    sign_in(client, world.alice)
    url = reverse("api:rsvp_event", args=[event.pk])
    assert _post(client, url).status_code == 201
    sign_in(client, world.bob)
    waiting = _post(client, url, {"going": True})
    assert waiting.status_code == 202 and waiting.json()["status"] == "waitlisted"
    assert _post(client, url, {"going": False}).status_code == 200


def test_rsvp_to_a_cancelled_event_is_a_clear_400(client, world, event):
    services.cancel_event(coordinator=world.cora, event=event)
    sign_in(client, world.alice)
    response = _post(client, reverse("api:rsvp_event", args=[event.pk]))
    assert response.status_code == 400 and "cancelled" in response.json()["detail"]


def test_proposing_answers_201_and_the_same_words_200(client, world):
    sign_in(client, world.alice)
    first = _post(client, reverse("api:propose_event_topic"), {"text": "Sleep"})
    assert first.status_code == 201 and first.json()["mine"] is True
    sign_in(client, world.bob)
    again = _post(client, reverse("api:propose_event_topic"), {"text": "sleep"})
    assert again.status_code == 200 and again.json()["votes"] == 2
    assert again.json()["mine"] is False


def test_a_topic_whose_words_signal_risk_is_not_published_over_the_api(client, world):
    from kindred.events.models import TopicProposal

    sign_in(client, world.alice)
    response = _post(client, reverse("api:propose_event_topic"), {"text": "I want to end my life"})
    assert response.status_code == 400
    assert "not published" in response.json()["detail"]
    assert "end my life" not in response.json()["detail"]
    assert not TopicProposal.objects.exists()


def test_a_topic_over_the_limit_is_refused(client, world):
    sign_in(client, world.alice)
    response = _post(client, reverse("api:propose_event_topic"), {"text": "x" * 201})
    assert response.status_code == 422


def test_voting_is_idempotent_201_then_200(client, world):
    proposal = services.propose_topic(
        member=world.alice, organisation=world.school, text="Sleep"
    ).proposal
    sign_in(client, world.bob)
    url = reverse("api:vote_event_topic", args=[proposal.pk])
    first = _post(client, url)
    second = _post(client, url)
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["votes"] == 2


def test_a_full_event_is_marked_full(client, world):
    event = make_event(world, capacity=2)
    fill(event, world.school, 2)
    sign_in(client, world.alice)
    assert client.get(reverse("api:list_events")).json()[0]["full"] is True
