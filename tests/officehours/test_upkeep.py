"""Upkeep: reminders a day and an hour before (once each, content-free), lapsed supporters'
bookings flagged, and the window of slots rolled forward."""

import datetime
import io

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from kindred.accounts.models import RoleGrant
from kindred.notifications.models import Notification
from kindred.officehours import services
from kindred.officehours.models import Slot
from tests.officehours.builders import add_rule, make_booking, make_slot

HOUR = datetime.timedelta(hours=1)


def _booked_long_ago(member, slot):
    return make_booking(member, slot, created_at=timezone.now() - datetime.timedelta(days=3))


def test_reminders_go_to_both_sides_a_day_and_an_hour_before_and_only_once(world):
    booking = _booked_long_ago(world.alice, make_slot(world.sam, world.school, starts_in=30 * HOUR))
    start = booking.slot.starts_at
    assert services.send_due_reminders(now=start - 25 * HOUR) == 0
    assert services.send_due_reminders(now=start - 23 * HOUR) == 1
    assert services.send_due_reminders(now=start - 22 * HOUR) == 0
    assert services.send_due_reminders(now=start - HOUR / 2) == 1
    assert services.send_due_reminders(now=start - HOUR / 4) == 0
    texts = list(Notification.objects.filter(user=world.alice).values_list("text", flat=True))
    assert len(texts) == 2
    assert any(" on " in t for t in texts) and any("soon, at" in t for t in texts)
    assert Notification.objects.filter(user=world.sam).count() == 2


def test_a_booking_made_at_short_notice_skips_the_day_before_reminder(world):
    slot = make_slot(world.sam, world.school, starts_in=3 * HOUR)
    services.book_slot(member=world.alice, slot_id=slot.pk)
    Notification.objects.all().delete()
    assert services.send_due_reminders(now=slot.starts_at - 2 * HOUR) == 0
    assert not Notification.objects.exists()


def test_cancelled_bookings_get_no_reminder(world):
    make_booking(
        world.alice, make_slot(world.sam, world.school, starts_in=2 * HOUR), status="cancelled"
    )
    assert services.send_due_reminders() == 0


def test_a_late_upkeep_sends_only_the_reminder_still_due(world):
    booking = _booked_long_ago(world.alice, make_slot(world.sam, world.school, starts_in=HOUR / 2))
    assert services.send_due_reminders() == 1
    assert Notification.objects.filter(user=world.alice).count() == 1
    booking.refresh_from_db()
    assert booking.reminded_day_before_at is None and booking.reminded_hour_before_at


def test_reminder_emails_say_nothing_personal(world, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    slot = make_slot(world.sam, world.school, starts_in=HOUR / 2)
    _booked_long_ago(world.alice, slot)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_due_reminders()
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "sam@example.org"]
    for email in mail.outbox:
        for secret in ("Alice", "Sam", "office hours", slot.video_link, "reminder"):
            assert secret.lower() not in (email.subject + email.body).lower()


def test_a_lapsed_supporters_bookings_are_flagged_and_members_offered_another_time(world):
    booking = make_booking(world.alice, make_slot(world.sam, world.school))
    assert services.flag_bookings_of_lapsed_supporters() == 0
    RoleGrant.objects.filter(membership__user=world.sam).update(
        trained_until=datetime.date(2020, 1, 1)
    )
    assert services.flag_bookings_of_lapsed_supporters() == 1
    assert services.flag_bookings_of_lapsed_supporters() == 0
    booking.refresh_from_db()
    assert booking.flagged_at is not None and booking.status == "booked"
    told = Notification.objects.get(user=world.alice)
    assert "may not go ahead" in told.text
    RoleGrant.objects.filter(membership__user=world.sam).update(
        trained_until=timezone.localdate() + datetime.timedelta(days=30)
    )
    services.flag_bookings_of_lapsed_supporters()
    booking.refresh_from_db()
    assert booking.flagged_at is None


def test_the_window_of_slots_rolls_forward(world):
    add_rule(world.sam, world.school, weekday=timezone.localdate().weekday())
    made = Slot.objects.count()
    later = timezone.now() + datetime.timedelta(days=7)
    assert services.regenerate_all(now=later) == 4
    assert Slot.objects.count() == made + 4


def test_the_command_runs_every_step(world):
    out = io.StringIO()
    call_command("officehours_upkeep", stdout=out)
    assert "slots made: 0, reminders sent: 0" in out.getvalue()
