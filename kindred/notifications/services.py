"""Tell a person something happened: in the app, and by email if their settings allow.

Emails never carry content: only that something happened and a link to sign in.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from kindred.accounts.models import NotificationSettings, User
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


def _wants_email_now(prefs: NotificationSettings | None, category: str) -> bool:
    if prefs is None:
        return True
    if not getattr(prefs, SETTING_FOR.get(category, "email_messages"), True):
        return False
    if prefs.frequency != NotificationSettings.Frequency.IMMEDIATELY:
        return False
    return not prefs.is_quiet_at(timezone.localtime().time())


def _maybe_email(notification_id: int) -> None:
    note = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if note is None:
        return
    prefs = NotificationSettings.objects.filter(user=note.user).first()
    if not _wants_email_now(prefs, note.category):
        return
    send_mail(
        subject=EMAIL_SUBJECT,
        message=(
            "Hello,\n\nYou have a new notification on Kindred. Sign in to see it:\n"
            f"{settings.KINDRED_SITE_URL}/notifications/\n\n"
            "We never put what anyone wrote in an email.\n\nKindred"
        ),
        from_email=None,
        recipient_list=[note.user.email],
        fail_silently=True,
    )


def mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
