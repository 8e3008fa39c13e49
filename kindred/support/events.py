"""Real-time events for conversations, sent through the Channels layer after commit.

Best effort: if the layer is down, clients catch up by fetching what they missed.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)


def group_name(conversation_id: int) -> str:
    return f"conversation.{conversation_id}"


def _send(conversation_id: int, payload: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group_name(conversation_id), payload)
    except Exception:  # noqa: BLE001 - polling fetches anything a failed broadcast missed
        logger.warning("Real-time broadcast failed for conversation %s", conversation_id)


def message_sent(conversation_id: int, message_id: int) -> None:
    _send(conversation_id, {"type": "message.sent", "message_id": message_id})


def messages_read(conversation_id: int, reader_id: int) -> None:
    _send(conversation_id, {"type": "messages.read", "reader_id": reader_id})


def conversation_closed(conversation_id: int) -> None:
    _send(conversation_id, {"type": "conversation.closed"})
