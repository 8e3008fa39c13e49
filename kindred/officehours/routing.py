from django.urls import path

from kindred.officehours.consumers import WalkInConsumer

websocket_urlpatterns = [
    path("ws/office-hours/walk-in/<int:pk>/", WalkInConsumer.as_asgi()),
]
