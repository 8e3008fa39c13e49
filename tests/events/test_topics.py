"""Topic proposals: anonymous to other members, one vote each (a second is ignored), merging,
and turning a topic into an event tells its voters."""

import pytest
from django.urls import reverse

from kindred.core.errors import DomainError
from kindred.events import selectors, services
from kindred.events.models import Event, TopicProposal, TopicVote
from kindred.notifications.models import Notification
from tests.conftest import sign_in


def _propose(world, person=None, text="Imposter syndrome"):
    return services.propose_topic(
        member=person or world.alice, organisation=world.school, text=text
    ).proposal


def test_other_members_see_a_topic_without_who_proposed_it(client, world):
    _propose(world)
    sign_in(client, world.bob)
    body = client.get(reverse("topic_proposals")).content.decode()
    assert "Imposter syndrome" in body
    assert "proposed by you" not in body and "Alice" not in body.split("<main")[1]


def test_the_proposer_sees_proposed_by_you(client, world):
    _propose(world)
    sign_in(client, world.alice)
    assert "proposed by you" in client.get(reverse("topic_proposals")).content.decode()


def test_a_proposal_starts_with_the_proposers_vote(world):
    proposal = _propose(world)
    assert selectors.vote_count(proposal) == 1


def test_a_second_vote_is_ignored_not_an_error(world):
    proposal = _propose(world)
    _counted, first = services.vote_topic(member=world.bob, proposal=proposal)
    _counted, second = services.vote_topic(member=world.bob, proposal=proposal)
    assert first and not second
    assert TopicVote.objects.filter(proposal=proposal, voter=world.bob).count() == 1


def test_a_member_can_take_their_vote_back(client, world):
    proposal = _propose(world)
    services.vote_topic(member=world.bob, proposal=proposal)
    sign_in(client, world.bob)
    client.post(reverse("vote_proposal", args=[proposal.pk]), {"vote": "no"})
    assert not TopicVote.objects.filter(proposal=proposal, voter=world.bob).exists()


def test_proposing_the_same_words_adds_a_vote_instead(world):
    first = _propose(world)
    again = services.propose_topic(
        member=world.bob, organisation=world.school, text="imposter  SYNDROME"
    )
    assert not again.created and again.proposal == first
    assert selectors.vote_count(first) == 2


def test_a_topic_over_200_characters_is_refused_and_the_text_is_kept(client, world):
    sign_in(client, world.alice)
    long = "x" * 201
    response = client.post(
        reverse("topic_proposals"), {"text": long, "organisation": world.school.pk}
    )
    assert response.status_code == 400
    assert "at most 200 characters" in response.content.decode()
    assert long in response.content.decode()


def test_the_ranked_list_puts_the_most_votes_first(world):
    quiet = _propose(world, text="Quiet topic")
    loud = _propose(world, world.bob, text="Loud topic")
    services.vote_topic(member=world.alice, proposal=loud)
    ranked = selectors.ranked_proposals([world.school], viewer=world.cora)
    assert [r.proposal for r in ranked] == [loud, quiet]


def test_merging_moves_votes_across_once_per_person(world):
    into = _propose(world, text="Sleep")
    duplicate = _propose(world, world.bob, text="Sleeping badly")
    services.vote_topic(member=world.alice, proposal=duplicate)
    services.merge_topics(coordinator=world.cora, proposal=duplicate, into=into)
    assert selectors.vote_count(into) == 2  # alice once, bob
    ranked = selectors.ranked_proposals([world.school], viewer=world.alice)
    assert [r.proposal for r in ranked] == [into]
    assert ranked[0].merged_count == 1


def test_a_vote_for_a_merged_topic_counts_for_the_one_it_joined(world):
    into = _propose(world, text="Sleep")
    duplicate = _propose(world, world.bob, text="Sleeping badly")
    services.merge_topics(coordinator=world.cora, proposal=duplicate, into=into)
    counted, _ = services.vote_topic(member=world.sam, proposal=duplicate)
    assert counted == into


def test_turning_a_topic_into_an_event_tells_its_voters_and_closes_voting(client, world):
    proposal = _propose(world)
    services.vote_topic(member=world.bob, proposal=proposal)
    sign_in(client, world.cora)
    page = client.get(reverse("new_event", args=[world.school.slug]) + f"?topic={proposal.pk}")
    assert 'value="Imposter syndrome"' in page.content.decode()
    from tests.events.test_events_and_series import _form

    response = client.post(
        reverse("new_event", args=[world.school.slug]),
        _form(title="Imposter syndrome", topic=proposal.pk),
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    event = Event.objects.get()
    assert proposal.status == TopicProposal.Status.SCHEDULED and proposal.event == event
    for voter in (world.alice, world.bob):
        assert Notification.objects.filter(user=voter, text__contains="now an event").exists()
    with pytest.raises(DomainError, match="voting has closed"):
        services.vote_topic(member=world.sam, proposal=proposal)


def test_only_the_proposer_may_withdraw(client, world):
    proposal = _propose(world)
    sign_in(client, world.bob)
    assert client.post(reverse("withdraw_proposal", args=[proposal.pk])).status_code == 404
    sign_in(client, world.alice)
    client.post(reverse("withdraw_proposal", args=[proposal.pk]))
    assert not TopicProposal.objects.exists()


def test_another_organisations_members_cannot_see_or_vote(client, world):
    proposal = _propose(world)
    sign_in(client, world.olga)
    assert "Imposter" not in client.get(reverse("topic_proposals")).content.decode()
    assert client.post(reverse("vote_proposal", args=[proposal.pk])).status_code == 404


def test_withdrawing_a_topic_others_voted_for_keeps_their_votes(client, world):
    proposal = _propose(world)
    services.vote_topic(member=world.bob, proposal=proposal)
    other = _propose(world, world.sam, text="Feeling like an imposter on placement")
    services.merge_topics(coordinator=world.cora, proposal=other, into=proposal)
    response = sign_in(client, world.alice).post(
        reverse("withdraw_proposal", args=[proposal.pk]), follow=True
    )
    assert "Others had voted for it, so it stays" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.proposed_by is None
    voters = set(TopicVote.objects.filter(proposal=proposal).values_list("voter_id", flat=True))
    assert voters == {world.bob.pk, world.sam.pk}  # Alice's own vote went with her
    assert TopicProposal.objects.get(pk=other.pk).merged_into_id == proposal.pk


def test_a_topic_whose_words_signal_risk_is_not_published_and_help_is_offered(client, world):
    response = sign_in(client, world.alice).post(
        reverse("topic_proposals"),
        {"organisation": world.school.pk, "text": "I want to kill myself before finals"},
        follow=True,
    )
    body = response.content.decode()
    assert not TopicProposal.objects.exists()
    assert "We have not added this as a topic" in body
    assert "crisis lines are open day and night" in body
    client.logout()
    sign_in(client, world.bob)
    assert "kill myself" not in client.get(reverse("topic_proposals")).content.decode()
