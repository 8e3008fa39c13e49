"""Topics: participants suggest them anonymously before a session and vote; the facilitator
sees them ranked and merges duplicates. Nobody sees who suggested or voted."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from kindred.core.errors import DomainError
from kindred.groups import selectors, services
from kindred.groups.models import Topic, Vote
from kindred.safety.models import RiskSignal
from tests.conftest import sign_in
from tests.groups.builders import hold, join


@pytest.fixture
def group(world, cohort):
    join(world.alice, cohort)
    join(world.bob, cohort)
    return cohort


@pytest.fixture
def first(group):
    return selectors.sessions_of(group).first()


def _suggest(user, session, text):
    return services.suggest_topic(participant=user, session=session, text=text)[0]


def test_topics_are_ranked_by_votes(world, first):
    rotas = _suggest(world.alice, first, "Rotas")
    sleep = _suggest(world.bob, first, "Sleep")
    services.vote(participant=world.alice, topic=sleep)
    services.vote(participant=world.bob, topic=sleep)
    services.vote(participant=world.bob, topic=rotas)
    ranked = selectors.ranked_topics(first, viewer=world.fay)
    assert [(t.topic.text, t.votes) for t in ranked] == [("Sleep", 2), ("Rotas", 1)]


def test_voting_twice_counts_once(world, first):
    topic = _suggest(world.alice, first, "Rotas")
    assert services.vote(participant=world.bob, topic=topic) is True
    assert services.vote(participant=world.bob, topic=topic) is False
    assert Vote.objects.filter(topic=topic).count() == 1


def test_a_vote_can_be_taken_back(world, first):
    topic = _suggest(world.alice, first, "Rotas")
    services.vote(participant=world.bob, topic=topic)
    services.vote(participant=world.bob, topic=topic, on=False)
    assert not Vote.objects.exists()


def test_nobody_outside_the_group_suggests_or_votes(world, first):
    topic = _suggest(world.alice, first, "Rotas")
    with pytest.raises(PermissionDenied):
        _suggest(world.sam, first, "Me too")
    with pytest.raises(PermissionDenied):
        services.vote(participant=world.cora, topic=topic)


def test_suggestions_close_when_the_session_starts(world, group):
    session = hold(group, 1)[0]
    with pytest.raises(DomainError, match="closed when the session started"):
        _suggest(world.alice, session, "Too late")


def test_three_suggestions_each(world, first):
    for text in ("One", "Two", "Three"):
        _suggest(world.alice, first, text)
    with pytest.raises(DomainError) as error:
        _suggest(world.alice, first, "Four")
    assert error.value.field == "text"


def test_the_text_is_encrypted_with_the_suggesters_key(world, first):
    from django.db import connection

    topic = _suggest(world.alice, first, "Feeling like an impostor")
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM groups_topic WHERE id = %s", [topic.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith(f"kv1:{world.alice.pk}:")
    assert "impostor" not in stored


def test_merging_moves_the_votes_once_per_person(world, first):
    a = _suggest(world.alice, first, "Exams")
    b = _suggest(world.bob, first, "OSCE stress")
    services.vote(participant=world.alice, topic=a)
    services.vote(participant=world.alice, topic=b)
    services.vote(participant=world.bob, topic=b)
    services.merge_topics(facilitator=world.fay, topic=b, into=a)
    ranked = selectors.ranked_topics(first, viewer=world.fay)
    assert [(t.topic.pk, t.votes, t.merged_count) for t in ranked] == [(a.pk, 2, 1)]
    # A vote for the merged topic counts for the one it joined.
    b.refresh_from_db()
    services.vote(participant=world.bob, topic=b)
    assert Vote.objects.filter(topic=a).count() == 2


def test_only_the_groups_facilitator_merges(world, first):
    a, b = _suggest(world.alice, first, "A"), _suggest(world.bob, first, "B")
    with pytest.raises(PermissionDenied):
        services.merge_topics(facilitator=world.alice, topic=a, into=b)


def test_the_suggester_can_withdraw_their_own_topic_only(world, first):
    topic = _suggest(world.alice, first, "Rotas")
    with pytest.raises(PermissionDenied):
        services.withdraw_topic(participant=world.bob, topic=topic)
    services.withdraw_topic(participant=world.alice, topic=topic)
    assert not Topic.objects.exists()


def test_a_worrying_topic_is_noted_for_safety_without_its_words(world, first):
    _topic, assessment = services.suggest_topic(
        participant=world.alice, session=first, text="I want to die, I can't do this any more"
    )
    assert assessment.at_least("high")
    signal = RiskSignal.objects.get()
    assert signal.source == "group"
    assert _topic is None and not Topic.objects.exists()  # never shown to the group


def test_whoever_suggests_a_worrying_topic_is_offered_help_and_others_are_not(client, world, first):
    url = reverse("suggest_topic", args=[first.pk])
    sign_in(client, world.alice)
    worried = client.post(url, {"text": "I want to die, I can't do this any more"}, follow=True)
    assert "crisis lines are open day and night" in worried.content.decode()
    assert "We have not added this to the group" in worried.content.decode()
    calm = client.post(url, {"text": "Night shifts"}, follow=True)
    assert "crisis lines are open day and night" not in calm.content.decode()


def test_the_session_page_never_says_who_suggested_or_voted(client, world, first):
    topic = _suggest(world.alice, first, "Night shifts")
    services.vote(participant=world.alice, topic=topic)
    for viewer in (world.bob, world.fay):
        sign_in(client, viewer)
        page = client.get(reverse("group_session", args=[first.pk])).content.decode()
        assert "Night shifts" in page
        assert "Alice" not in page
        assert "suggested by you" not in page
    sign_in(client, world.alice)
    page = client.get(reverse("group_session", args=[first.pk])).content.decode()
    assert "suggested by you" in page


def test_suggesting_on_the_page_keeps_what_was_typed_on_error(client, world, first):
    for text in ("One", "Two", "Three"):
        _suggest(world.alice, first, text)
    sign_in(client, world.alice)
    # The form is hidden at the limit, but a stale page can still post.
    response = client.post(reverse("suggest_topic", args=[first.pk]), {"text": "Fourth idea"})
    assert response.status_code == 400
    assert b"Fourth idea" in response.content
    assert b"up to 3 topics" in response.content


def test_a_participant_suggests_and_votes_through_the_page(client, world, first):
    sign_in(client, world.bob)
    response = client.post(reverse("suggest_topic", args=[first.pk]), {"text": "Money worries"})
    assert response.status_code == 302
    topic = Topic.objects.get()
    response = client.post(reverse("vote_topic", args=[topic.pk]), {"vote": "yes"})
    assert response.status_code == 302
    assert Vote.objects.filter(topic=topic, voter=world.bob).exists()


def test_a_facilitator_merges_through_the_page(client, world, first):
    a, b = _suggest(world.alice, first, "A"), _suggest(world.bob, first, "B")
    sign_in(client, world.fay)
    response = client.post(reverse("merge_topic", args=[b.pk]), {"into": a.pk})
    assert response.status_code == 302
    b.refresh_from_db()
    assert b.merged_into_id == a.pk
