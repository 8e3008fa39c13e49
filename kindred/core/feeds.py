"""Private calendar feeds: a secret address per person, of which only a SHA-256 hash is kept.

A new address stops the old one working; revoking stops all. Office hours (a supporter's
bookings) and events (the events a member is going to) each keep their own table, built on
`PrivateFeed`, and call these functions with it.
"""

import hashlib
import secrets

from django.db import models, transaction
from django.utils import timezone


class PrivateFeed(models.Model):
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def revoke(model: type[PrivateFeed], user) -> int:
    return model.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def create(model: type[PrivateFeed], user, prefix: str) -> tuple[PrivateFeed, str]:
    """A new secret address (shown once); any older one stops working."""
    raw = prefix + secrets.token_urlsafe(32)
    with transaction.atomic():
        revoke(model, user)
        feed = model.objects.create(user=user, digest=_digest(raw), prefix=raw[: len(prefix) + 6])
    return feed, raw


def find(model: type[PrivateFeed], raw: str) -> PrivateFeed | None:
    """The live feed with this secret (its person still active), recording that it was read."""
    feed = (
        model.objects.filter(digest=_digest(raw), revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if feed is None or not feed.user.is_active:
        return None
    model.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed
