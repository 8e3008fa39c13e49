"""Tell a person something happened: in the app, and by email if their settings allow.

Emails never carry content: only that something happened and a link to sign in.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from kindred.accounts.models import Membership, NotificationSettings, User
from kindred.notifications.models import Notification

# Which notification-settings switch governs each category.
SETTING_FOR = {
    Notification.Category.MESSAGES: "email_messages",
    Notification.Category.SUPPORT: "email_messages",
    Notification.Category.BOOKINGS: "email_bookings",
    Notification.Category.EVENTS: "email_events",
}
EMAIL_SUBJECT = "You have news on Kindred"


def notify(
    *, user: User, category: str, text: str, url: str = "", email: bool = True
) -> Notification:
    """Record an in-app notification and, after commit, send a content-free email if wanted
    (and if `email`: callers pass False when the person is on the page right now)."""
    note = Notification.objects.create(user=user, category=category, text=text[:200], url=url)
    if email:
        transaction.on_commit(lambda: _maybe_email(note.pk))
    return note


DIGEST_EVERY = {
    NotificationSettings.Frequency.DAILY: datetime.timedelta(days=1),
    NotificationSettings.Frequency.WEEKLY: datetime.timedelta(days=7),
}
EMAIL_BODY = (
    "Hello,\n\n{what} Sign in to see it:\n"
    "{site}/notifications/\n\n"
    "We never put what anyone wrote in an email.\n\nKindred"
)


def local_time_of(user: User, moment: datetime.datetime) -> datetime.time:
    """The time of day where the person is: their (first) organisation's time zone."""
    zone = (
        Membership.objects.filter(user=user)
        .order_by("pk")
        .values_list("organisation__time_zone", flat=True)
        .first()
    )
    try:
        tz = zoneinfo.ZoneInfo(zone) if zone else timezone.get_default_timezone()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = timezone.get_default_timezone()
    return moment.astimezone(tz).time()


def _wants_email(prefs: NotificationSettings | None, category: str) -> bool:
    if prefs is None:
        return True
    if prefs.frequency == NotificationSettings.Frequency.NEVER:
        return False
    return bool(getattr(prefs, SETTING_FOR.get(category, "email_messages"), True))


def _send(user: User, what: str) -> None:
    send_mail(
        subject=EMAIL_SUBJECT,
        message=EMAIL_BODY.format(what=what, site=settings.KINDRED_SITE_URL),
        from_email=None,
        recipient_list=[user.email],
        fail_silently=True,
    )


def _maybe_email(notification_id: int) -> None:
    note = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if note is None:
        return
    prefs = NotificationSettings.objects.filter(user=note.user).first()
    if not _wants_email(prefs, note.category):
        return
    now = timezone.now()
    if prefs is not None and (
        prefs.frequency != NotificationSettings.Frequency.IMMEDIATELY
        or prefs.is_quiet_at(local_time_of(note.user, now))
    ):
        # Held for the digest, or until quiet hours end: send_held_emails sends it then.
        Notification.objects.filter(pk=note.pk).update(email_held=True)
        return
    _send(note.user, "You have a new notification on Kindred.")


def send_held_emails(*, now: datetime.datetime | None = None) -> int:
    """One content-free email per person whose held notifications are due: after quiet hours
    for "as they happen", once a day or a week for digests. Notifications read in the app
    meanwhile need no email. Returns how many emails were sent."""
    now = now or timezone.now()
    sent = 0
    held = Notification.objects.filter(email_held=True)
    for user_id in held.order_by().values_list("user_id", flat=True).distinct():
        user = User.objects.filter(pk=user_id).first()
        prefs = NotificationSettings.objects.filter(user_id=user_id).first()
        if user is None or prefs is None:
            held.filter(user_id=user_id).update(email_held=False)
            continue
        if prefs.frequency == NotificationSettings.Frequency.NEVER:
            held.filter(user_id=user_id).update(email_held=False)
            continue
        if prefs.is_quiet_at(local_time_of(user, now)):
            continue
        every = DIGEST_EVERY.get(prefs.frequency)
        if every and prefs.last_digest_at and now - prefs.last_digest_at < every:
            continue
        with transaction.atomic():
            unread = held.filter(user_id=user_id, read_at__isnull=True).count()
            held.filter(user_id=user_id).update(email_held=False)
            if every:
                prefs.last_digest_at = now
                prefs.save(update_fields=["last_digest_at"])
        if unread:
            count = f"{unread} new notification{'s' if unread != 1 else ''}"
            _send(user, f"You have {count} on Kindred.")
            sent += 1
    return sent


def mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
