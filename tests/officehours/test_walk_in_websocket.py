"""The walk-in websocket: a member's place updates live; the supporter sees the queue."""

import pytest
from asgiref.sync import async_to_sync, sync_to_async

from kindred.officehours import services
from tests.officehours.builders import make_walk_in
from tests.sockets import communicator

pytestmark = pytest.mark.django_db(transaction=True)


def _communicator(user, block, *, mfa=False):
    return communicator(f"/ws/office-hours/walk-in/{block.pk}/", user, mfa=mfa)


def test_a_members_place_moves_up_live_when_someone_ahead_leaves(world):
    block = make_walk_in(world.sam, world.school)
    services.join_queue(member=world.bob, block=block)
    services.join_queue(member=world.alice, block=block)

    async def scenario():
        alice = _communicator(world.alice, block)
        assert (await alice.connect())[0]
        first = await alice.receive_json_from(timeout=5)
        await sync_to_async(services.leave_queue)(member=world.bob, block=block)
        second = await alice.receive_json_from(timeout=5)
        await alice.disconnect()
        return first, second

    first, second = async_to_sync(scenario)()
    assert (first["type"], first["position"]) == ("place", 2)
    assert second["position"] == 1
    assert "You are number <strong>1</strong>" in second["html"]


def test_a_member_is_told_live_when_it_is_their_turn(world):
    block = make_walk_in(world.sam, world.school, location="Room 3")
    services.join_queue(member=world.alice, block=block)

    async def scenario():
        alice = _communicator(world.alice, block)
        await alice.connect()
        await alice.receive_json_from(timeout=5)
        await sync_to_async(services.call_next)(supporter=world.sam, block=block)
        called = await alice.receive_json_from(timeout=5)
        await alice.disconnect()
        return called

    called = async_to_sync(scenario)()
    assert called["called"] and "It is your turn" in called["html"] and "Room 3" in called["html"]


def test_the_supporter_sees_people_join_live(world):
    block = make_walk_in(world.sam, world.school)

    async def scenario():
        sam = _communicator(world.sam, block, mfa=True)
        assert (await sam.connect())[0]
        empty = await sam.receive_json_from(timeout=5)
        await sync_to_async(services.join_queue)(member=world.alice, block=block)
        joined = await sam.receive_json_from(timeout=5)
        await sam.disconnect()
        return empty, joined

    empty, joined = async_to_sync(scenario)()
    assert (empty["type"], empty["waiting"]) == ("queue", 0)
    assert joined["waiting"] == 1 and "Alice" in joined["html"]


@pytest.mark.parametrize(("persona", "mfa"), [("olga", True), ("sam", False)])
def test_outsiders_and_a_supporter_without_a_second_factor_are_turned_away(world, persona, mfa):
    block = make_walk_in(world.sam, world.school)

    async def scenario():
        communicator = _communicator(getattr(world, persona), block, mfa=mfa)
        connected, _ = await communicator.connect()
        await communicator.disconnect()
        return connected

    assert async_to_sync(scenario)() is False


def test_a_supporter_whose_training_lapses_is_dropped_at_the_next_refresh(world):
    import datetime

    from django.utils import timezone

    from kindred.accounts.models import RoleGrant

    block = make_walk_in(world.sam, world.school)

    async def scenario():
        sam = _communicator(world.sam, block, mfa=True)
        assert (await sam.connect())[0]
        await sam.receive_json_from(timeout=5)
        await sync_to_async(
            RoleGrant.objects.filter(membership__user=world.sam, role="supporter").update
        )(trained_until=timezone.localdate() - datetime.timedelta(days=1))
        await sam.send_json_to({"type": "refresh"})
        return await sam.receive_output(timeout=5)

    assert async_to_sync(scenario)() == {"type": "websocket.close", "code": 4403}
