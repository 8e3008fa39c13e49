"""The live Q&A websocket: everyone in the room sees the list re-rank as people ask and vote."""

import time

from asgiref.sync import async_to_sync
from channels.generic.websocket import JsonWebsocketConsumer
from django.db import close_old_connections
from django.http import Http404

from kindred.accounts.selectors import forget_roles
from kindred.qanda import events, selectors

NOT_ALLOWED = 4403
# How often (seconds) a connected person's right to be in the room is checked again.
RECHECK_SECONDS = 60
REFRESH_SECONDS = 2  # the page asks for a refresh when it comes back to the foreground


class QuestionsConsumer(JsonWebsocketConsumer):
    def connect(self):
        self.group = None
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            self.close(code=NOT_ALLOWED)
            return
        try:
            event = selectors.event_for(user, int(self.scope["url_route"]["kwargs"]["pk"]))
        except Http404:
            self.close(code=NOT_ALLOWED)
            return
        access = selectors.access_from_scope(self.scope, event)
        if not access.allowed:
            self.close(code=NOT_ALLOWED)
            return
        self.event = event
        self.moderator = access.moderator
        self.checked_at = self.refreshed_at = time.monotonic()
        self.group = (events.moderators_group if self.moderator else events.room_group)(event.pk)
        async_to_sync(self.channel_layer.group_add)(self.group, self.channel_name)
        self.accept()
        self._send_full()

    def disconnect(self, code):
        if self.group is not None:
            async_to_sync(self.channel_layer.group_discard)(self.group, self.channel_name)
        close_old_connections()

    def receive_json(self, content, **kwargs):
        # A refresh is answered at most every few seconds, and only while still allowed in.
        now = time.monotonic()
        if content.get("type") == "refresh" and now - self.refreshed_at >= REFRESH_SECONDS:
            self.refreshed_at = now
            if self._still_allowed(force=True):
                self._send_full()

    def questions_changed(self, message):
        """The list drawn once for the whole room, with this person's own votes and questions
        (kept here and updated from the change; read again only when a merge moved votes)."""
        if not self._still_allowed():
            return
        marks = message.get("marks")
        if marks is None:
            close_old_connections()
            self.voted, self.mine = selectors.personal_marks(self.event, self.scope["user"])
        elif marks.get("user") == self.scope["user"].pk:
            if "voted" in marks:
                (self.voted.add if marks["on"] else self.voted.discard)(marks["voted"])
            if "asked" in marks:
                self.mine.add(marks["asked"])
        self.send_json(
            {
                "type": "questions",
                "html": message["html"],
                "voted": sorted(self.voted),
                "mine": sorted(self.mine),
            }
        )

    def _still_allowed(self, *, force: bool = False) -> bool:
        if not force and time.monotonic() - self.checked_at < RECHECK_SECONDS:
            return True
        self.checked_at = time.monotonic()
        close_old_connections()
        user = self.scope["user"]
        forget_roles(user)  # the socket outlives a request: read roles afresh
        try:
            self.event = selectors.event_for(user, self.event.pk)  # still in its audience
        except Http404:
            self.close(code=NOT_ALLOWED)
            return False
        access = selectors.access_from_scope(self.scope, self.event)
        if access.allowed and access.moderator == self.moderator:
            return True
        self.close(code=NOT_ALLOWED)
        return False

    def _send_full(self):
        close_old_connections()
        self.event.refresh_from_db()
        user = self.scope["user"]
        room = selectors.room(self.event, viewer=user, moderator=self.moderator)
        self.voted, self.mine = set(room.voted), set(room.mine)
        self.send_json(
            {
                "type": "questions",
                "html": events.render_list(room),
                "voted": sorted(room.voted),
                "mine": sorted(room.mine),
            }
        )
