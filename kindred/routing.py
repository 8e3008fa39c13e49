"""Websocket routes: each feature app with consumers lists them in its own routing module."""

from kindred.officehours.routing import websocket_urlpatterns as office_hours_websockets
from kindred.qanda.routing import websocket_urlpatterns as qanda_websockets
from kindred.support.routing import websocket_urlpatterns as support_websockets

websocket_urlpatterns = [*support_websockets, *office_hours_websockets, *qanda_websockets]
