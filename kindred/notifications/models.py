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
    # Wants an email that was not sent yet: held through quiet hours, or for a daily or
    # weekly digest. The upkeep sends one content-free email for all of a person's held ones.
    email_held = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["email_held", "user"]),
        ]

    def __str__(self) -> str:
        return f"notification {self.pk}"
