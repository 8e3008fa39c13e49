"""Booking, cancelling, moving and missed sessions (the services)."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from kindred.accounts.models import RoleGrant
from kindred.core.errors import DomainError
from kindred.notifications.models import Notification
from kindred.officehours import services
from kindred.officehours.models import Booking
from kindred.support.models import Block
from tests.officehours.builders import make_booking, make_slot

HOUR = datetime.timedelta(hours=1)


def test_a_member_books_a_slot_and_the_supporter_is_told(world):
    slot = make_slot(world.sam, world.school)
    booking = services.book_slot(member=world.alice, slot_id=slot.pk, note="exam nerves")
    assert (booking.status, booking.member, booking.slot) == ("booked", world.alice, slot)
    assert Booking.objects.get().note == "exam nerves"
    told = Notification.objects.get(user=world.sam)
    assert "Alice booked your time" in told.text
    assert "exam nerves" not in told.text


def test_booking_a_taken_slot_offers_the_next_ones(world):
    taken = make_slot(world.sam, world.school, starts_in=2 * HOUR)
    later = [make_slot(world.sam, world.school, starts_in=(3 + i) * HOUR) for i in range(7)]
    services.book_slot(member=world.alice, slot_id=taken.pk)
    with pytest.raises(services.SlotTaken) as refused:
        services.book_slot(member=world.bob, slot_id=taken.pk)
    assert refused.value.message.startswith("This slot has just been taken.")
    assert refused.value.next_free == later[:5]


def test_a_past_slot_is_refused(world):
    slot = make_slot(world.sam, world.school, starts_in=-HOUR)
    with pytest.raises(DomainError, match="already started or passed"):
        services.book_slot(member=world.alice, slot_id=slot.pk)


def test_a_cancelled_slot_is_refused(world):
    slot = make_slot(world.sam, world.school, status="cancelled", cancelled_by="supporter")
    with pytest.raises(DomainError, match="cancelled by the supporter"):
        services.book_slot(member=world.alice, slot_id=slot.pk)


def test_a_slot_outside_the_members_organisation_is_refused(world):
    slot = make_slot(world.sam, world.school)
    with pytest.raises(DomainError, match="not offered in your organisation"):
        services.book_slot(member=world.olga, slot_id=slot.pk)
    assert not Booking.objects.exists()


def test_a_walk_in_block_cannot_be_booked(world):
    slot = make_slot(world.sam, world.school, walk_in=True, minutes=90)
    with pytest.raises(DomainError, match="join its queue"):
        services.book_slot(member=world.alice, slot_id=slot.pk)


def test_a_supporter_cannot_book_their_own_time(world):
    slot = make_slot(world.sam, world.school)
    with pytest.raises(DomainError, match="your own times"):
        services.book_slot(member=world.sam, slot_id=slot.pk)


def test_a_lapsed_supporters_time_cannot_be_booked(world):
    slot = make_slot(world.sam, world.school)
    RoleGrant.objects.filter(membership__user=world.sam).update(
        trained_until=datetime.date(2020, 1, 1)
    )
    with pytest.raises(DomainError, match="not taking bookings"):
        services.book_slot(member=world.alice, slot_id=slot.pk)


def test_someone_blocked_cannot_book_the_person_who_blocked_them(world):
    slot = make_slot(world.sam, world.school)
    Block.objects.create(blocker=world.sam, blocked=world.alice)
    with pytest.raises(DomainError, match="not available to you"):
        services.book_slot(member=world.alice, slot_id=slot.pk)


def test_a_member_holds_at_most_three_upcoming_sessions_and_none_at_the_same_time(world):
    slots = [make_slot(world.sam, world.school, starts_in=(2 + i) * HOUR) for i in range(4)]
    for slot in slots[:3]:
        services.book_slot(member=world.alice, slot_id=slot.pk)
    with pytest.raises(DomainError, match="3 upcoming sessions"):
        services.book_slot(member=world.alice, slot_id=slots[3].pk)
    from tests.factories import RoleGrantFactory

    RoleGrantFactory(membership=world.fay.memberships.get(), role="supporter")
    same_time = make_slot(world.fay, world.school, starts_in=2 * HOUR)
    with pytest.raises(DomainError, match="already have a session booked at this time"):
        services.book_slot(member=world.alice, slot_id=same_time.pk)


def test_a_long_note_is_refused(world):
    slot = make_slot(world.sam, world.school)
    with pytest.raises(DomainError) as refused:
        services.book_slot(member=world.alice, slot_id=slot.pk, note="x" * 281)
    assert refused.value.field == "note"


def test_the_member_cancels_and_the_slot_is_free_again(world):
    slot = make_slot(world.sam, world.school)
    booking = services.book_slot(member=world.alice, slot_id=slot.pk)
    services.cancel_booking(user=world.alice, booking=booking, reason="feeling better")
    booking.refresh_from_db()
    assert (booking.status, booking.cancelled_by, booking.cancel_reason) == (
        "cancelled",
        world.alice,
        "feeling better",
    )
    told = Notification.objects.filter(user=world.sam).first()
    assert "Alice cancelled" in told.text and "feeling better" not in told.text
    again = services.book_slot(member=world.bob, slot_id=slot.pk)
    assert again.status == "booked"


def test_the_supporter_cancels_the_member_is_told_and_the_time_closes(world):
    slot = make_slot(world.sam, world.school)
    booking = services.book_slot(member=world.alice, slot_id=slot.pk)
    services.cancel_booking(user=world.sam, booking=booking, reason="I am unwell")
    slot.refresh_from_db()
    assert (slot.status, slot.cancelled_by) == ("cancelled", "supporter")
    told = Notification.objects.get(user=world.alice)
    assert "Sam cancelled" in told.text and "book another time" in told.text


def test_nobody_else_can_cancel(world):
    booking = services.book_slot(member=world.alice, slot_id=make_slot(world.sam, world.school).pk)
    with pytest.raises(DomainError, match="not yours"):
        services.cancel_booking(user=world.bob, booking=booking)


def test_a_session_that_started_cannot_be_cancelled(world):
    booking = make_booking(world.alice, make_slot(world.sam, world.school, starts_in=-HOUR / 6))
    with pytest.raises(DomainError, match="already started"):
        services.cancel_booking(user=world.alice, booking=booking)


def test_moving_swaps_the_booking_in_one_step(world):
    first = make_slot(world.sam, world.school, starts_in=2 * HOUR)
    second = make_slot(world.sam, world.school, starts_in=3 * HOUR)
    booking = services.book_slot(member=world.alice, slot_id=first.pk, note="hi")
    moved = services.move_booking(member=world.alice, booking=booking, slot_id=second.pk)
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    assert (moved.slot, moved.note, moved.status) == (second, "hi", "booked")


def test_moving_to_a_taken_slot_keeps_the_old_booking(world):
    first = make_slot(world.sam, world.school, starts_in=2 * HOUR)
    taken = make_slot(world.sam, world.school, starts_in=3 * HOUR)
    booking = services.book_slot(member=world.alice, slot_id=first.pk)
    services.book_slot(member=world.bob, slot_id=taken.pk)
    with pytest.raises(services.SlotTaken):
        services.move_booking(member=world.alice, booking=booking, slot_id=taken.pk)
    booking.refresh_from_db()
    assert booking.status == "booked"


def test_the_supporter_marks_a_missed_session_once_it_started(world):
    future = make_booking(world.alice, make_slot(world.sam, world.school))
    with pytest.raises(DomainError, match="once it has started"):
        services.mark_no_show(supporter=world.sam, booking=future)
    started = make_booking(world.bob, make_slot(world.sam, world.school, starts_in=-HOUR / 2))
    with pytest.raises(DomainError, match="Only the supporter"):
        services.mark_no_show(supporter=world.alice, booking=started)
    services.mark_no_show(supporter=world.sam, booking=started)
    started.refresh_from_db()
    assert started.status == "no_show"


def test_emails_about_bookings_carry_no_content(
    world, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    slot = make_slot(world.sam, world.school)
    with django_capture_on_commit_callbacks(execute=True):
        services.book_slot(member=world.alice, slot_id=slot.pk, note="exam nerves")
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["sam@example.org"]
    for secret in ("exam nerves", "Alice", "office hours", slot.video_link):
        assert secret not in email.body and secret not in email.subject


def test_the_booking_time_is_stored_in_utc(world):
    slot = make_slot(world.sam, world.school)
    booking = services.book_slot(member=world.alice, slot_id=slot.pk)
    assert booking.slot.starts_at.utcoffset() == datetime.timedelta(0)
    assert booking.created_at <= timezone.now()
