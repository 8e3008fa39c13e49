"""The Q&A API: list with votes, ask (anonymous by default), vote idempotently."""

import pytest
from django.urls import reverse

from kindred.qanda.models import Question
from tests.conftest import sign_in
from tests.qanda.builders import ask, live_room

pytestmark = pytest.mark.django_db


def _post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_the_list_carries_each_questions_votes_in_ranked_order(client, world):
    event = live_room(world)
    ask(world.bob, event, "Fewer", votes=1)
    ask(world.bob, event, "More", votes=3, show_name=True)
    sign_in(client, world.alice)
    body = client.get(reverse("api:list_questions", args=[event.pk])).json()
    assert [(q["text"], q["votes"], q["asked_by"]) for q in body] == [
        ("More", 3, "Bob"),
        ("Fewer", 1, None),
    ]


def test_asking_answers_201_and_is_anonymous_by_default(client, world):
    event = live_room(world)
    sign_in(client, world.alice)
    response = _post(
        client, reverse("api:ask_question", args=[event.pk]), {"text": "How do I rest?"}
    )
    assert response.status_code == 201
    assert response.json()["status"] == "visible"
    assert Question.objects.get().show_name is False


def test_a_question_over_500_characters_answers_400_with_a_message(client, world):
    event = live_room(world)
    sign_in(client, world.alice)
    response = _post(client, reverse("api:ask_question", args=[event.pk]), {"text": "x" * 501})
    assert response.status_code == 400
    assert "500 characters" in response.json()["detail"]


def test_a_held_question_answers_with_help_not_posted(client, world):
    event = live_room(world)
    sign_in(client, world.alice)
    response = _post(
        client,
        reverse("api:ask_question", args=[event.pk]),
        {"text": "I want to end my life, nobody would miss me"},
    )
    body = response.json()
    assert (response.status_code, body["status"], body["help_url"]) == (201, "held", "/help-now/")
    assert client.get(reverse("api:list_questions", args=[event.pk])).json() == []


def test_voting_is_201_first_then_200_with_nothing_changed(client, world):
    event = live_room(world)
    question = ask(world.bob, event)
    sign_in(client, world.alice)
    url = reverse("api:vote_question", args=[question.pk])
    first, second = _post(client, url), _post(client, url)
    assert (first.status_code, first.json()["votes"]) == (201, 1)
    assert (second.status_code, second.json()["votes"]) == (200, 1)
