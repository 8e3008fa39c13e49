"""Real-time queue events, sent through the Channels layer after commit.

Best effort: a page that misses one polls for its place every few seconds anyway.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)


def group_name(block_id: int) -> str:
    return f"walk-in.{block_id}"


def _send(block_id: int) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group_name(block_id), {"type": "queue.changed"})
    except Exception:  # noqa: BLE001 - polling shows anything a failed broadcast missed
        logger.warning("Real-time broadcast failed for walk-in block %s", block_id)


def queue_changed(block_id: int) -> None:
    """Tell everyone watching this block's queue to look again (once the change is saved)."""
    transaction.on_commit(lambda: _send(block_id))
