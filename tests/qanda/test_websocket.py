"""The live list: everyone connected sees it re-rank when someone asks, votes or moderates."""

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.utils import timezone

from kindred.qanda import services
from tests.qanda.builders import ask, going, live_room
from tests.sockets import communicator

pytestmark = pytest.mark.django_db(transaction=True)


def _communicator(user, event, *, mfa=False):
    return communicator(f"/ws/events/{event.pk}/questions/", user, mfa=mfa)


def test_two_attendees_see_the_order_change_live_when_one_upvotes(world):
    event = live_room(world)
    going(world.bob, event)
    first = ask(world.alice, event, "Asked first")
    second = ask(world.alice, event, "Asked second")

    async def scenario():
        alice, bob = _communicator(world.alice, event), _communicator(world.bob, event)
        assert (await alice.connect())[0] and (await bob.connect())[0]
        before = await alice.receive_json_from(timeout=5)
        await bob.receive_json_from(timeout=5)
        await sync_to_async(services.vote)(voter=world.bob, question=second)
        seen_by_alice = await alice.receive_json_from(timeout=5)
        seen_by_bob = await bob.receive_json_from(timeout=5)
        await alice.disconnect()
        await bob.disconnect()
        return before, seen_by_alice, seen_by_bob

    before, alice_sees, bob_sees = async_to_sync(scenario)()
    assert before["html"].index("Asked first") < before["html"].index("Asked second")
    for seen in (alice_sees, bob_sees):
        assert seen["html"].index("Asked second") < seen["html"].index("Asked first")
    assert bob_sees["voted"] == [second.pk] and alice_sees["voted"] == []
    assert sorted(alice_sees["mine"]) == sorted([first.pk, second.pk])
    assert "Bob" not in alice_sees["html"]


def test_a_new_question_and_a_moderators_answer_mark_reach_the_room(world):
    event = live_room(world)

    async def scenario():
        alice = _communicator(world.alice, event)
        cora = _communicator(world.cora, event, mfa=True)
        await alice.connect()
        await cora.connect()
        await alice.receive_json_from(timeout=5)
        await cora.receive_json_from(timeout=5)
        question, _ = await sync_to_async(services.ask_question)(
            asker=world.alice, event=event, text="What helped you most?"
        )
        asked = await cora.receive_json_from(timeout=5)
        await alice.receive_json_from(timeout=5)
        await sync_to_async(services.mark_answered)(moderator=world.cora, question=question)
        answered = await alice.receive_json_from(timeout=5)
        await alice.disconnect()
        await cora.disconnect()
        return asked, answered

    asked, answered = async_to_sync(scenario)()
    assert "What helped you most?" in asked["html"] and "Mark answered" in asked["html"]
    assert "Answered (1)" in answered["html"] and "Mark answered" not in answered["html"]


def test_a_held_question_is_never_sent_to_the_room(world):
    event = live_room(world)
    going(world.bob, event)

    async def scenario():
        cora = _communicator(world.cora, event, mfa=True)
        await cora.connect()
        await cora.receive_json_from(timeout=5)
        await sync_to_async(services.ask_question)(
            asker=world.bob, event=event, text="I am going to kill myself after this"
        )
        nothing = await cora.receive_nothing(timeout=0.5)
        await cora.disconnect()
        return nothing

    assert async_to_sync(scenario)() is True


@pytest.mark.parametrize(("persona", "mfa"), [("olga", True), ("bob", True), ("cora", False)])
def test_outsiders_people_not_going_and_an_organiser_without_a_second_factor_are_turned_away(
    world, persona, mfa
):
    event = live_room(world)

    async def scenario():
        communicator = _communicator(getattr(world, persona), event, mfa=mfa)
        connected, _ = await communicator.connect()
        await communicator.disconnect()
        return connected

    assert async_to_sync(scenario)() is False


def test_each_persons_marks_follow_votes_taken_back_new_questions_and_merges(world):
    """The consumer keeps each person's marks in memory; a merge moves votes, so it reads them
    again then."""
    event = live_room(world)
    going(world.bob, event)
    duplicate = ask(world.alice, event, "Night shifts?")
    kept = ask(world.alice, event, "How do you survive night shifts?")

    async def scenario():
        bob = _communicator(world.bob, event)
        assert (await bob.connect())[0]
        await bob.receive_json_from(timeout=5)
        seen = []
        await sync_to_async(services.vote)(voter=world.bob, question=duplicate)
        seen.append(await bob.receive_json_from(timeout=5))
        await sync_to_async(services.vote)(voter=world.bob, question=duplicate, on=False)
        seen.append(await bob.receive_json_from(timeout=5))
        await sync_to_async(services.vote)(voter=world.bob, question=duplicate)
        seen.append(await bob.receive_json_from(timeout=5))
        await sync_to_async(services.ask_question)(asker=world.bob, event=event, text="Sleep?")
        seen.append(await bob.receive_json_from(timeout=5))
        await sync_to_async(services.merge_questions)(
            moderator=world.cora, question=duplicate, into=kept
        )
        seen.append(await bob.receive_json_from(timeout=5))
        await bob.disconnect()
        return seen

    voted, taken_back, again, asked, merged = async_to_sync(scenario)()
    assert voted["voted"] == [duplicate.pk]
    assert taken_back["voted"] == []
    assert again["voted"] == [duplicate.pk]
    [sleep] = asked["mine"]
    assert "Sleep?" in asked["html"]
    assert merged["voted"] == [kept.pk]  # the vote moved with the merge
    assert merged["mine"] == [sleep]


def test_someone_who_stops_going_or_loses_the_role_is_dropped_at_the_next_check(world, monkeypatch):
    from kindred.accounts.models import RoleGrant
    from kindred.events.models import Rsvp
    from kindred.qanda import consumers

    monkeypatch.setattr(consumers, "RECHECK_SECONDS", 0)
    monkeypatch.setattr(consumers, "REFRESH_SECONDS", 0)
    event = live_room(world)
    going(world.bob, event)

    async def scenario():
        bob = _communicator(world.bob, event)
        cora = _communicator(world.cora, event, mfa=True)
        assert (await bob.connect())[0] and (await cora.connect())[0]
        await bob.receive_json_from(timeout=5)
        await cora.receive_json_from(timeout=5)
        await sync_to_async(Rsvp.objects.filter(user=world.bob).update)(status="not_going")
        await sync_to_async(
            RoleGrant.objects.filter(membership__user=world.cora, role="coordinator").update
        )(revoked_at=timezone.now())
        await bob.send_json_to({"type": "refresh"})
        bob_closed = await bob.receive_output(timeout=5)
        await sync_to_async(services.ask_question)(asker=world.alice, event=event, text="Sleep?")
        cora_closed = await cora.receive_output(timeout=5)
        return bob_closed, cora_closed

    bob_closed, cora_closed = async_to_sync(scenario)()
    assert bob_closed == {"type": "websocket.close", "code": 4403}
    assert cora_closed == {"type": "websocket.close", "code": 4403}
