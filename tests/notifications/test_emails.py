"""Emails about notifications: at once, held through quiet hours, or gathered in a digest."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from kindred.accounts.models import NotificationSettings
from kindred.notifications.models import Notification
from kindred.notifications.services import notify, send_held_emails

LONDON = datetime.UTC  # the demo school's zone is London; in winter it matches UTC


@pytest.fixture
def winter_noon():
    return datetime.datetime(2026, 12, 1, 12, 0, tzinfo=LONDON)


def _prefs(user, **fields) -> NotificationSettings:
    prefs, _ = NotificationSettings.objects.update_or_create(user=user, defaults=fields)
    return prefs


def _notify(user, capture):
    with capture(execute=True):
        return notify(user=user, category="messages", text="You have a new message on Kindred.")


def test_it_emails_at_once_by_default_without_any_content(
    world, django_capture_on_commit_callbacks
):
    _notify(world.alice, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.alice.email]
    assert "new message" not in mail.outbox[0].body  # the notification's text stays in the app


def test_quiet_hours_hold_the_email_until_they_end(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    _prefs(
        world.alice,
        quiet_hours_start=datetime.time(22, 0),
        quiet_hours_end=datetime.time(7, 0),
    )
    night = datetime.datetime(2026, 12, 1, 23, 30, tzinfo=LONDON)
    monkeypatch.setattr(timezone, "now", lambda: night)
    _notify(world.alice, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert send_held_emails(now=night + datetime.timedelta(hours=1)) == 0  # still quiet
    assert send_held_emails(now=night + datetime.timedelta(hours=8)) == 1  # 07:30
    assert "1 new notification on Kindred" in mail.outbox[0].body
    assert send_held_emails(now=night + datetime.timedelta(hours=9)) == 0  # sent once


def test_quiet_hours_follow_the_organisations_time_zone(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    world.school.time_zone = "America/New_York"
    world.school.save()
    _prefs(world.alice, quiet_hours_start=datetime.time(22, 0), quiet_hours_end=datetime.time(7, 0))
    # 03:00 UTC is 22:00 in New York: quiet there, though not in London.
    monkeypatch.setattr(
        timezone, "now", lambda: datetime.datetime(2026, 12, 1, 3, 0, tzinfo=datetime.UTC)
    )
    _notify(world.alice, django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_a_daily_digest_gathers_a_days_notifications_into_one_email(
    world, django_capture_on_commit_callbacks, winter_noon
):
    _prefs(world.alice, frequency="daily")
    for _ in range(3):
        _notify(world.alice, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert send_held_emails(now=winter_noon) == 1
    assert "3 new notifications" in mail.outbox[0].body
    _notify(world.alice, django_capture_on_commit_callbacks)
    assert send_held_emails(now=winter_noon + datetime.timedelta(hours=6)) == 0  # not a day yet
    assert send_held_emails(now=winter_noon + datetime.timedelta(days=1)) == 1
    assert "1 new notification on Kindred" in mail.outbox[1].body


def test_a_weekly_digest_waits_a_week(world, django_capture_on_commit_callbacks, winter_noon):
    _prefs(world.alice, frequency="weekly", last_digest_at=winter_noon)
    _notify(world.alice, django_capture_on_commit_callbacks)
    assert send_held_emails(now=winter_noon + datetime.timedelta(days=6)) == 0
    assert send_held_emails(now=winter_noon + datetime.timedelta(days=7)) == 1


def test_notifications_read_in_the_app_meanwhile_need_no_email(
    world, django_capture_on_commit_callbacks, winter_noon
):
    _prefs(world.alice, frequency="daily")
    _notify(world.alice, django_capture_on_commit_callbacks)
    Notification.objects.filter(user=world.alice).update(read_at=winter_noon)
    assert send_held_emails(now=winter_noon) == 0
    assert mail.outbox == []
    assert not Notification.objects.filter(email_held=True).exists()


def test_never_and_switched_off_categories_send_nothing(
    world, django_capture_on_commit_callbacks, winter_noon
):
    _prefs(world.alice, frequency="never")
    _prefs(world.bob, email_messages=False)
    _notify(world.alice, django_capture_on_commit_callbacks)
    _notify(world.bob, django_capture_on_commit_callbacks)
    assert send_held_emails(now=winter_noon) == 0
    assert mail.outbox == []
    assert Notification.objects.count() == 2  # both still told in the app


def test_the_upkeep_command_sends_held_emails(world, django_capture_on_commit_callbacks):
    _prefs(world.alice, frequency="daily")
    _notify(world.alice, django_capture_on_commit_callbacks)
    call_command("notifications_upkeep")
    assert len(mail.outbox) == 1
