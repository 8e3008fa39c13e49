"""A Channels test communicator for Kindred's websockets, signed in as a person, with or without
a second factor in their session (as `tests.conftest.sign_in` does for the test client)."""

import time

from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from kindred.routing import websocket_urlpatterns


def session_of(user, *, mfa: bool) -> dict:
    if not mfa:
        return {}
    return {
        "account_authentication_methods": [{"method": "mfa", "type": "totp", "at": time.time()}],
        "account_authentication_methods_user": str(user.pk),
    }


def communicator(path: str, user, *, mfa: bool) -> WebsocketCommunicator:
    found = WebsocketCommunicator(URLRouter(websocket_urlpatterns), path)
    found.scope["user"] = user
    found.scope["session"] = session_of(user, mfa=mfa)
    return found
