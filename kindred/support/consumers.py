"""The conversation websocket: live messages, read marks and closing, for the two people in it."""

import time
from types import SimpleNamespace

from asgiref.sync import async_to_sync
from channels.generic.websocket import JsonWebsocketConsumer
from django.core.exceptions import PermissionDenied
from django.db import close_old_connections
from django.http import Http404
from django.template.loader import render_to_string

from kindred.accounts.models import Role
from kindred.accounts.selectors import can_act_as, forget_roles
from kindred.core.errors import DomainError
from kindred.support import events, selectors, services
from kindred.support.models import Message

NOT_ALLOWED = 4403
# How often (seconds) a listening socket checks again that its person may still be here.
RECHECK_SECONDS = 60


class ConversationConsumer(JsonWebsocketConsumer):
    def connect(self):
        user = self.scope.get("user")
        self.conversation = None
        if user is None or not user.is_authenticated:
            self.close(code=NOT_ALLOWED)
            return
        try:
            self.conversation = selectors.conversation_of(
                user, int(self.scope["url_route"]["kwargs"]["pk"])
            )
        except Http404:
            self.close(code=NOT_ALLOWED)
            return
        if self.conversation.supporter_id == user.pk and not self._may_support(user):
            # As on the page: the supporter side needs current training and a second factor.
            self.conversation = None
            self.close(code=NOT_ALLOWED)
            return
        self.checked_at = time.monotonic()
        self.group = events.group_name(self.conversation.pk)
        async_to_sync(self.channel_layer.group_add)(self.group, self.channel_name)
        self.accept()

    def _still_allowed(self, *, force: bool = False) -> bool:
        """A socket lives for hours: a supporter whose training lapsed, or who left the
        conversation's organisation, is dropped (at once when they act, else within a minute)."""
        if not force and time.monotonic() - self.checked_at < RECHECK_SECONDS:
            return True
        self.checked_at = time.monotonic()
        close_old_connections()
        user = self.scope["user"]
        forget_roles(user)
        try:
            self.conversation = selectors.conversation_of(user, self.conversation.pk)
        except Http404:
            self.close(code=NOT_ALLOWED)
            return False
        if self.conversation.supporter_id == user.pk and not self._may_support(user):
            self.close(code=NOT_ALLOWED)
            return False
        return True

    def _may_support(self, user) -> bool:
        session = self.scope.get("session")
        if session is None:
            return False
        return can_act_as(SimpleNamespace(user=user, session=session), Role.SUPPORTER)

    def disconnect(self, code):
        if self.conversation is not None:
            async_to_sync(self.channel_layer.group_discard)(self.group, self.channel_name)
        close_old_connections()

    def receive_json(self, content, **kwargs):
        user = self.scope["user"]
        kind = content.get("type")
        if not self._still_allowed(force=True):
            return
        if kind == "send":
            client_id = str(content.get("client_id", ""))[:64]
            try:
                services.send_message(
                    sender=user,
                    conversation=self.conversation,
                    body=str(content.get("body", "")),
                    client_id=client_id,
                )
            except DomainError as error:
                self.send_json({"type": "error", "client_id": client_id, "error": error.message})
            except PermissionDenied:
                self.send_json(
                    {
                        "type": "error",
                        "client_id": client_id,
                        "error": "This conversation is closed.",
                    }
                )
        elif kind == "read":
            services.mark_read(reader=user, conversation=self.conversation)

    def message_sent(self, event):
        if not self._still_allowed():
            return
        message = Message.objects.select_related("sender").filter(pk=event["message_id"]).first()
        if message is None:
            return
        html = render_to_string(
            "support/partials/message.html", {"message": message, "viewer": self.scope["user"]}
        )
        self.send_json(
            {
                "type": "message",
                "id": message.pk,
                "client_id": message.client_id,
                "mine": message.sender_id == self.scope["user"].pk,
                "html": html,
            }
        )

    def messages_read(self, event):
        if event["reader_id"] != self.scope["user"].pk:
            self.send_json({"type": "read"})

    def conversation_closed(self, event):
        self.send_json({"type": "closed"})
