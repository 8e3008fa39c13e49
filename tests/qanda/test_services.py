"""Q&A rules below the pages: who may ask and vote, exact vote counts, merges, closed rooms."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kindred.core.errors import DomainError
from kindred.events.models import Rsvp
from kindred.qanda import services
from kindred.qanda.models import Question, QuestionVote
from tests.qanda.builders import ask, ended_event, going, live_room

pytestmark = pytest.mark.django_db


def test_someone_on_the_waiting_list_cannot_ask(world):
    event = live_room(world)
    going(world.bob, event, Rsvp.Status.WAITLISTED)
    with pytest.raises(PermissionDenied):
        services.ask_question(asker=world.bob, event=event, text="Can I come?")


def test_asking_after_the_event_ended_is_refused(world):
    event = ended_event(world)
    going(world.alice, event)
    with pytest.raises(DomainError, match="closed when the event ended"):
        services.ask_question(asker=world.alice, event=event, text="Too late?")


def test_an_empty_question_is_refused(world):
    event = live_room(world)
    with pytest.raises(DomainError, match="Write your question first"):
        services.ask_question(asker=world.alice, event=event, text="   ")


def test_a_question_of_exactly_500_characters_is_accepted(world):
    event = live_room(world)
    question, _ = services.ask_question(asker=world.alice, event=event, text="a" * 500)
    assert len(question.text) == 500


def test_a_vote_for_a_merged_question_counts_for_the_one_it_joined(world):
    event = live_room(world)
    going(world.bob, event)
    duplicate, original = ask(world.alice, event, "Dup"), ask(world.alice, event, "Original")
    services.merge_questions(moderator=world.cora, question=duplicate, into=original)
    counted, changed = services.vote(voter=world.bob, question=duplicate)
    assert (counted.pk, changed, counted.votes) == (original.pk, True, 1)


def test_voting_for_a_hidden_or_held_question_is_refused(world):
    event = live_room(world)
    for status in (Question.Status.HIDDEN, Question.Status.HELD):
        question = ask(world.bob, event, status=status)
        with pytest.raises(DomainError, match="no longer shown"):
            services.vote(voter=world.alice, question=question)


def test_nobody_can_vote_once_qanda_is_off(world):
    event = live_room(world)
    question = ask(world.bob, event)
    services.set_qanda(organiser=world.cora, event=event, enabled=False)
    with pytest.raises(DomainError, match="Q&A is off"):
        services.vote(voter=world.alice, question=question)


def test_only_organisers_turn_qanda_off(world):
    event = live_room(world)
    with pytest.raises(PermissionDenied):
        services.set_qanda(organiser=world.alice, event=event, enabled=False)


def test_the_export_is_refused_before_the_end(world):
    event = live_room(world)
    with pytest.raises(DomainError):
        services.export_questions(
            organiser=world.cora, event=event, now=event.ends_at - datetime.timedelta(minutes=1)
        )


# The fixture is reset by hand at the start of each example.
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(actions=st.lists(st.tuples(st.integers(0, 3), st.booleans()), max_size=30))
def test_the_vote_count_always_equals_the_people_who_voted(world_for_hypothesis, actions):
    world, event, question, people = world_for_hypothesis
    QuestionVote.objects.filter(question=question).delete()
    Question.objects.filter(pk=question.pk).update(votes=0)
    for who, on in actions:
        services.vote(voter=people[who], question=question, on=on)
    question.refresh_from_db()
    assert question.votes == QuestionVote.objects.filter(question=question).count()
    expected = {}
    for who, on in actions:
        expected[who] = on
    assert question.votes == sum(expected.values())


@pytest.fixture
def world_for_hypothesis(world):
    from tests.factories import MembershipFactory, UserFactory

    event = live_room(world)
    people = [
        MembershipFactory(
            user=UserFactory(email=f"voter{i}@example.org"), organisation=world.school
        ).user
        for i in range(4)
    ]
    for person in people:
        going(person, event)
    return world, event, ask(world.bob, event), people
