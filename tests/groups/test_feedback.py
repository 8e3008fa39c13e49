"""Anonymous feedback: nothing links an answer to the person; a facilitator sees a session's
answers only once its feedback has closed and at least 5 people answered; smaller sessions are
pooled at the end; a pool under 5 is never shown; coordinators see rates over 10 or more."""

import datetime
import uuid

import pytest
from django.db import connection
from django.urls import reverse

from kindred.core.errors import DomainError
from kindred.groups import selectors, services
from kindred.groups.models import SessionFeedback
from tests.conftest import sign_in
from tests.groups.builders import hold, join, make_cohort, person

DAY = datetime.timedelta(days=1)


def _answer(user, session, text="", now=None, **answers):
    values = {"felt_heard": True, "felt_safe": True, "would_recommend": True, **answers}
    return services.give_feedback(
        participant=user, session=session, text=text, now=now or session.ends_at, **values
    )


@pytest.fixture
def big(world):
    """Six people in a group whose first session has just ended."""
    cohort = make_cohort(world, capacity=10)
    people = [person(world.school) for _ in range(6)]
    for p in people:
        join(p, cohort)
    return cohort, hold(cohort, 1)[0], people


def test_an_answer_carries_no_link_to_the_person(world, big):
    _cohort, session, people = big
    _answer(people[0], session, text="It helped to hear others say it")
    fields = {f.name for f in SessionFeedback._meta.get_fields()}
    assert fields == {
        "id",
        "session",
        "felt_heard",
        "felt_safe",
        "would_recommend",
        "key_owner",
        "text",
    }
    row = SessionFeedback.objects.get()
    assert row.key_owner == world.fay  # the key belongs to the facilitator, not the author
    assert isinstance(row.pk, uuid.UUID)
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM groups_sessionfeedback")
        stored = cursor.fetchone()[0]
    assert stored.startswith(f"kv1:{world.fay.pk}:") and "helped" not in stored


def test_nobody_answers_twice(world, big):
    _cohort, session, people = big
    _answer(people[0], session)
    with pytest.raises(DomainError, match="already answered"):
        _answer(people[0], session)


def test_feedback_opens_when_the_session_starts_and_closes_three_days_after(world, cohort):
    place = join(world.alice, cohort)
    session = selectors.sessions_of(cohort).first()
    assert not selectors.can_give_feedback(place, session)
    assert selectors.can_give_feedback(place, session, now=session.starts_at)
    assert not selectors.can_give_feedback(place, session, now=session.ends_at + 3 * DAY)


def test_a_facilitator_sees_nothing_while_feedback_is_open(world, big):
    cohort, session, people = big
    for p in people:
        _answer(p, session)
    shown = dict(selectors.cohort_feedback(cohort).sessions)
    assert shown[session] is None


def test_five_answers_are_shown_once_closed(world, big):
    cohort, session, people = big
    for p in people[:4]:
        _answer(p, session)
    _answer(people[4], session, felt_safe=False, text="Quieter voices got lost")
    later = session.ends_at + 3 * DAY
    summary = dict(selectors.cohort_feedback(cohort, now=later).sessions)[session]
    assert summary.shown and summary.responses == 5
    assert summary.felt_safe == (4, 5)
    assert summary.comments == ["Quieter voices got lost"]


def test_four_answers_are_never_shown(world, big):
    cohort, session, people = big
    for p in people[:4]:
        _answer(p, session, text="secret words")
    end_of_everything = selectors.sessions_of(cohort).last().ends_at + 30 * DAY
    feedback = selectors.cohort_feedback(cohort, now=end_of_everything)
    summary = dict(feedback.sessions)[session]
    assert not summary.shown and summary.comments == [] and summary.felt_heard == (0, 0)
    assert feedback.pooled is not None and not feedback.pooled.shown  # a pool of 4 stays hidden
    assert feedback.pooled.comments == []


def test_small_sessions_are_pooled_at_the_end(world):
    cohort = make_cohort(world, capacity=4, session_count=2)
    people = [person(world.school) for _ in range(3)]
    for p in people:
        join(p, cohort)
    first, second = hold(cohort, 2)
    for p in people:
        _answer(p, first)
    for p in people[:2]:
        _answer(p, second, felt_heard=False)
    before_the_end = second.ends_at + 2 * DAY
    assert selectors.cohort_feedback(cohort, now=before_the_end).pooled is None
    pooled = selectors.cohort_feedback(cohort, now=second.ends_at + 3 * DAY).pooled
    assert pooled.shown and pooled.responses == 5
    assert pooled.felt_heard == (3, 5)


def test_the_facilitators_page_hides_small_numbers(client, world):
    cohort = make_cohort(world, capacity=4, session_count=1)
    people = [person(world.school) for _ in range(3)]
    for p in people:
        join(p, cohort)
    session = hold(cohort, 1)[0]
    for p in people:
        _answer(p, session, text="only three of us")
    session.starts_at -= 10 * DAY
    session.ends_at -= 10 * DAY
    session.save()
    sign_in(client, world.fay)
    page = client.get(reverse("cohort_feedback", args=[cohort.pk])).content.decode()
    assert "only three of us" not in page
    assert "Fewer than 5 people answered" in page


def test_participants_answer_through_the_page(client, world, big):
    cohort, session, people = big
    sign_in(client, people[0])
    response = client.post(
        reverse("session_feedback", args=[session.pk]),
        {"felt_heard": "yes", "felt_safe": "no", "would_recommend": "yes", "text": ""},
    )
    assert response.status_code == 302
    row = SessionFeedback.objects.get()
    assert (row.felt_heard, row.felt_safe, row.would_recommend) == (True, False, True)


def test_the_feedback_form_keeps_what_was_typed(client, world, big):
    _cohort, session, people = big
    sign_in(client, people[0])
    response = client.post(reverse("session_feedback", args=[session.pk]), {"text": "x" * 1001})
    assert response.status_code == 400
    assert b"xxxxxxxxxx" in response.content


def test_coordinators_see_feedback_rates_only_over_ten_answers(world):
    cohort = make_cohort(world, capacity=12)
    people = [join(person(world.school), cohort).user for _ in range(12)]
    session = hold(cohort, 1)[0]
    for i, p in enumerate(people):
        _answer(p, session, felt_heard=i < 9, felt_safe=i < 10)
    from kindred.groups.selectors import insights

    now = session.ends_at + 3 * DAY
    week = insights(world.school, now=now)[0].weeks[0]
    assert week.felt_heard is None  # 9 of 12: a rate would rest on fewer than 10 people
    assert week.felt_safe == "83%"
    assert week.would_recommend == "100%"
    assert week.responses == "12"
    assert insights(world.school, now=session.ends_at)[0].weeks == []  # not while open
