from django.conf import settings
from django.db import models


class Notification(models.Model):
    """An in-app note that something happened. Never holds what anyone wrote."""

    class Category(models.TextChoices):
        MESSAGES = "messages", "Messages"
        SUPPORT = "support", "Support requests and offers"
        BOOKINGS = "bookings", "Bookings"
        EVENTS = "events", "Groups and events"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    category = models.CharField(max_length=20, choices=Category.choices)
    text = models.CharField(max_length=200)
    url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"notification {self.pk}"
