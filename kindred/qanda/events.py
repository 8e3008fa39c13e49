"""Real-time Q&A: after each change is saved, the room's list is drawn once for attendees and once
for moderators and sent to everyone connected (each consumer adds the person's own marks, which
it keeps in memory and updates from the change itself).

Best effort: a page that misses a broadcast polls for the list every few seconds anyway.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def room_group(event_id: int) -> str:
    return f"qanda.{event_id}.room"


def moderators_group(event_id: int) -> str:
    return f"qanda.{event_id}.moderators"


def render_list(room) -> str:
    return render_to_string("qanda/partials/list.html", {"room": room, "event": room.event})


def _send(event_id: int, marks: dict | None) -> None:
    from kindred.events.models import Event
    from kindred.qanda import selectors

    layer = get_channel_layer()
    if layer is None:
        return
    try:
        event = Event.objects.get(pk=event_id)
        for group, moderator in ((room_group, False), (moderators_group, True)):
            html = render_list(selectors.room(event, moderator=moderator))
            async_to_sync(layer.group_send)(
                group(event_id), {"type": "questions.changed", "html": html, "marks": marks}
            )
    except Exception:  # noqa: BLE001 - polling shows anything a failed broadcast missed
        logger.warning("Real-time broadcast failed for the Q&A of event %s", event_id)


def questions_changed(event_id: int, marks: dict | None = None) -> None:
    """Send the new list to everyone watching this event's Q&A (once the change is saved).

    `marks` says whose own marks changed, so 500 consumers need not each ask the database:
    `{}` for nobody's (moderation), `{"user": id, "voted": question_id, "on": bool}` for a vote,
    `{"user": id, "asked": question_id}` for a new question; None when anyone's may have
    changed (a merge moves votes), and each consumer reads its person's marks again."""
    transaction.on_commit(lambda: _send(event_id, marks))
