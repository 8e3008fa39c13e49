"""Exactly-once voting: 500 people upvote one question at once through 50 connections (as a
server's pool would carry them), each of them twice (the second time from another thread, racing
someone else's first vote), and `votes` equals the number of different people.

Runs on PostgreSQL (`make test-postgres`, where the question row is locked with
select_for_update) and on SQLite (a real file with the production options); the unique
constraint on (question, user) stands behind both.
"""

import pytest
from django.db import connection

from kindred.qanda import services
from kindred.qanda.models import Question, QuestionVote
from tests.factories import MembershipFactory, UserFactory
from tests.officehours.concurrency import run_at_once, shared_database
from tests.qanda.builders import ask, going, live_room

pytestmark = pytest.mark.django_db(transaction=True)
VOTERS = 500
THREADS = 50  # PostgreSQL here allows 100 connections in all


def test_five_hundred_people_voting_at_once_twice_each_count_exactly_once(world, tmp_path):
    event = live_room(world)
    question = ask(world.bob, event)
    people = []
    for i in range(VOTERS):
        person = MembershipFactory(
            user=UserFactory(email=f"voter{i}@example.org", display_name=f"Voter {i}"),
            organisation=world.school,
        ).user
        going(person, event)
        people.append(person)

    with shared_database(tmp_path):

        def vote_twice(thread):
            # This thread's people vote, each followed by a repeat vote of someone another
            # thread is carrying, who may be voting at that very moment.
            done = []
            for i in range(thread, VOTERS, THREADS):
                done.append(services.vote(voter=people[i], question=question))
                done.append(services.vote(voter=people[(i + 1) % VOTERS], question=question))
            return done

        results = run_at_once(vote_twice, THREADS)
        errors = [r for r in results if isinstance(r, Exception)]
        changed = [v for r in results if isinstance(r, list) for v in r if v[1]]
        stored = Question.objects.get(pk=question.pk).votes
        rows = QuestionVote.objects.filter(question_id=question.pk).count()

    assert errors == [], f"unexpected errors on {connection.vendor}: {errors[:3]}"
    assert len(changed) == VOTERS
    assert stored == rows == VOTERS
