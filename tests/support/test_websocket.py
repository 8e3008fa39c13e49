"""The conversation websocket: participants get live messages; everyone else is turned away."""

import asyncio

import pytest
from asgiref.sync import async_to_sync

from kindred.support.models import Message
from tests.factories import make_conversation
from tests.sockets import communicator

pytestmark = pytest.mark.django_db(transaction=True)


def _communicator(user, conversation, *, mfa: bool = True):
    return communicator(f"/ws/conversations/{conversation.pk}/", user, mfa=mfa)


def test_a_message_sent_by_one_side_arrives_live_on_the_other(world):
    talk = make_conversation(world.alice, world.sam, world.school)

    async def scenario():
        alice, sam = _communicator(world.alice, talk), _communicator(world.sam, talk)
        assert (await alice.connect())[0] and (await sam.connect())[0]
        await alice.send_json_to({"type": "send", "body": "are you there?", "client_id": "c1"})
        received = await sam.receive_json_from(timeout=5)
        echoed = await alice.receive_json_from(timeout=5)
        await alice.disconnect()
        await sam.disconnect()
        return received, echoed

    received, echoed = async_to_sync(scenario)()
    assert received["type"] == "message" and not received["mine"]
    assert "are you there?" in received["html"]
    assert echoed["mine"] and echoed["client_id"] == "c1"
    assert Message.objects.get().body == "are you there?"


def test_a_resent_message_over_the_socket_is_stored_once(world):
    talk = make_conversation(world.alice, world.sam, world.school)

    async def scenario():
        alice = _communicator(world.alice, talk)
        await alice.connect()
        for _ in range(2):
            await alice.send_json_to({"type": "send", "body": "once", "client_id": "same"})
        first = await alice.receive_json_from(timeout=5)
        await asyncio.sleep(0.2)
        await alice.disconnect()
        return first

    async_to_sync(scenario)()
    assert Message.objects.count() == 1


def test_an_empty_message_over_the_socket_gets_the_reason(world):
    talk = make_conversation(world.alice, world.sam, world.school)

    async def scenario():
        alice = _communicator(world.alice, talk)
        await alice.connect()
        await alice.send_json_to({"type": "send", "body": " ", "client_id": "e"})
        reply = await alice.receive_json_from(timeout=5)
        await alice.disconnect()
        return reply

    reply = async_to_sync(scenario)()
    assert reply == {"type": "error", "client_id": "e", "error": "Write something before sending."}


@pytest.mark.parametrize("persona", ["bob", "cora", "olga"])
def test_someone_outside_the_conversation_cannot_connect(world, persona):
    talk = make_conversation(world.alice, world.sam, world.school)

    async def scenario():
        outsider = _communicator(getattr(world, persona), talk)
        connected, code = await outsider.connect()
        return connected, code

    connected, code = async_to_sync(scenario)()
    assert not connected
    assert code == 4403


def test_the_supporter_side_needs_a_second_factor_to_connect(world):
    talk = make_conversation(world.alice, world.sam, world.school)

    async def scenario():
        sam = _communicator(world.sam, talk, mfa=False)
        connected, _ = await sam.connect()
        await sam.disconnect()
        member = _communicator(world.alice, talk, mfa=False)
        member_connected, _ = await member.connect()
        await member.disconnect()
        return connected, member_connected

    connected, member_connected = async_to_sync(scenario)()
    assert not connected  # a supporter's session without a second factor is turned away
    assert member_connected  # members need no second factor for their own conversation


def test_a_supporter_whose_training_lapsed_cannot_connect(world):
    import datetime

    from django.utils import timezone

    from kindred.accounts.models import RoleGrant

    talk = make_conversation(world.alice, world.sam, world.school)
    RoleGrant.objects.filter(membership__user=world.sam, role="supporter").update(
        trained_until=timezone.localdate() - datetime.timedelta(days=1)
    )

    async def scenario():
        sam = _communicator(world.sam, talk)
        connected, _ = await sam.connect()
        await sam.disconnect()
        return connected

    assert not async_to_sync(scenario)()


def test_a_supporter_whose_training_lapses_while_connected_is_dropped_when_they_send(world):
    import datetime

    from asgiref.sync import sync_to_async
    from django.utils import timezone

    from kindred.accounts.models import RoleGrant

    talk = make_conversation(world.alice, world.sam, world.school)

    async def scenario():
        sam = _communicator(world.sam, talk)
        assert (await sam.connect())[0]
        await sync_to_async(
            RoleGrant.objects.filter(membership__user=world.sam, role="supporter").update
        )(trained_until=timezone.localdate() - datetime.timedelta(days=1))
        await sam.send_json_to({"type": "send", "body": "still here?", "client_id": "x"})
        closed = await sam.receive_output(timeout=5)
        return closed

    assert async_to_sync(scenario)() == {"type": "websocket.close", "code": 4403}
    assert not Message.objects.exists()
