from django.urls import path

from kindred.qanda.consumers import QuestionsConsumer

websocket_urlpatterns = [
    path("ws/events/<int:pk>/questions/", QuestionsConsumer.as_asgi()),
]
