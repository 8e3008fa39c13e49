"""The walk-in queue websocket: members see their place move; the supporter sees who waits."""

import time
from types import SimpleNamespace

from asgiref.sync import async_to_sync
from channels.generic.websocket import JsonWebsocketConsumer
from django.db import close_old_connections
from django.http import Http404
from django.template.loader import render_to_string

from kindred.accounts.models import Role
from kindred.accounts.selectors import can_act_as, forget_roles
from kindred.officehours import events, selectors
from kindred.officehours.models import Slot

NOT_ALLOWED = 4403
RECHECK_SECONDS = 60


class WalkInConsumer(JsonWebsocketConsumer):
    def connect(self):
        user = self.scope.get("user")
        self.block = None
        if user is None or not user.is_authenticated:
            self.close(code=NOT_ALLOWED)
            return
        found = self._admit(user, int(self.scope["url_route"]["kwargs"]["pk"]))
        if found is None:
            self.close(code=NOT_ALLOWED)
            return
        self.block, self.as_supporter = found
        self.checked_at = time.monotonic()
        self.group = events.group_name(self.block.pk)
        async_to_sync(self.channel_layer.group_add)(self.group, self.channel_name)
        self.accept()
        self._send_state()

    def _admit(self, user, pk: int):
        """(the block, whether as its supporter), or None when this person may not watch it."""
        block = Slot.objects.filter(pk=pk, walk_in=True).select_related("organisation").first()
        if block is not None and block.supporter_id == user.pk:
            shim = SimpleNamespace(user=user, session=self.scope.get("session") or {})
            if not can_act_as(shim, Role.SUPPORTER, block.organisation_id):
                return None
            return block, True
        try:
            return selectors.walk_in_block_for_member(user, pk), False
        except Http404:
            return None

    def _still_allowed(self, *, force: bool = False) -> bool:
        """A socket lives for hours: check again, with roles read afresh, at least every minute."""
        if not force and time.monotonic() - self.checked_at < RECHECK_SECONDS:
            return True
        self.checked_at = time.monotonic()
        close_old_connections()
        user = self.scope["user"]
        forget_roles(user)
        found = self._admit(user, self.block.pk)
        if found is None or found[1] != self.as_supporter:
            self.close(code=NOT_ALLOWED)
            return False
        return True

    def disconnect(self, code):
        if self.block is not None:
            async_to_sync(self.channel_layer.group_discard)(self.group, self.channel_name)
        close_old_connections()

    def receive_json(self, content, **kwargs):
        if content.get("type") == "refresh" and self._still_allowed(force=True):
            self._send_state()

    def queue_changed(self, event):
        if self._still_allowed():
            self._send_state()

    def _send_state(self):
        close_old_connections()
        self.block.refresh_from_db()
        user = self.scope["user"]
        if self.as_supporter:
            waiting, called = selectors.queue_for_supporter(self.block)
            html = render_to_string(
                "officehours/partials/queue_list.html",
                {"walk_in_block": self.block, "waiting": waiting, "called": called, "live": True},
            )
            self.send_json({"type": "queue", "waiting": len(waiting), "html": html})
            return
        place = selectors.queue_place(self.block, user)
        html = render_to_string(
            "officehours/partials/queue_place.html",
            {"walk_in_block": self.block, "place": place, "live": True},
        )
        self.send_json(
            {
                "type": "place",
                "position": place.position if place.is_waiting else None,
                "called": place.is_called,
                "estimate_minutes": place.estimate_minutes if place.is_waiting else None,
                "html": html,
            }
        )
