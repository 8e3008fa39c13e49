"""Members find, book, cancel and move times on the web; supporters see and cancel theirs."""

import datetime

from django.urls import reverse
from django.utils import timezone

from kindred.accounts.models import RoleGrant
from kindred.core.models import AuditEntry
from kindred.officehours import selectors, services
from kindred.officehours.models import Booking
from kindred.support.models import Block
from tests.conftest import sign_in
from tests.factories import RoleGrantFactory, make_profile
from tests.officehours.builders import make_booking, make_slot, make_walk_in

HOUR = datetime.timedelta(hours=1)


def _fay_supports(world, **profile):
    RoleGrantFactory(membership=world.fay.memberships.get(), role="supporter")
    make_profile(world.fay, world.school, **profile)


def test_a_member_sees_open_times_grouped_by_day(client, world):
    slot = make_slot(world.sam, world.school, starts_in=2 * HOUR)
    taken = make_slot(world.sam, world.school, starts_in=3 * HOUR)
    make_booking(world.bob, taken)
    sign_in(client, world.alice)
    response = client.get(reverse("office_hours"))
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("book_slot", args=[slot.pk]) in html
    assert reverse("book_slot", args=[taken.pk]) not in html
    assert "with Sam" in html
    assert "1 free time" in html


def test_times_are_filtered_by_format_topic_and_day(client, world):
    _fay_supports(world, topics=["bereavement"])
    video = make_slot(world.sam, world.school, starts_in=2 * HOUR)
    room = make_slot(
        world.fay, world.school, starts_in=3 * HOUR, format="in_person", location="Room 3"
    )
    far = make_slot(world.sam, world.school, starts_in=datetime.timedelta(days=9))
    sign_in(client, world.alice)

    def shown(**params):
        html = client.get(reverse("office_hours"), params).content.decode()
        return {s.pk for s in (video, room, far) if reverse("book_slot", args=[s.pk]) in html}

    assert shown() == {video.pk, room.pk}
    assert shown(format="in_person") == {room.pk}
    assert shown(topic="bereavement") == {room.pk}
    assert shown(topic="exams") == {video.pk}
    far_day = timezone.localtime(far.starts_at, selectors.zone_of(world.school)).date()
    assert shown(date=far_day.isoformat(), span="day") == {far.pk}


def test_a_member_does_not_see_times_of_someone_they_blocked_or_a_supporter_on_a_break(
    client, world
):
    _fay_supports(world, status="break")
    blocked = make_slot(world.sam, world.school)
    on_break = make_slot(world.fay, world.school)
    Block.objects.create(blocker=world.alice, blocked=world.sam)
    sign_in(client, world.alice)
    html = client.get(reverse("office_hours")).content.decode()
    assert reverse("book_slot", args=[blocked.pk]) not in html
    assert reverse("book_slot", args=[on_break.pk]) not in html
    assert "No free times" in html


def test_lapsed_supporters_times_are_not_listed(client, world):
    slot = make_slot(world.sam, world.school)
    RoleGrant.objects.filter(membership__user=world.sam).update(
        trained_until=datetime.date(2020, 1, 1)
    )
    sign_in(client, world.alice)
    assert (
        reverse("book_slot", args=[slot.pk])
        not in client.get(reverse("office_hours")).content.decode()
    )


def test_todays_walk_in_blocks_are_listed(client, world):
    block = make_walk_in(world.sam, world.school)
    sign_in(client, world.alice)
    html = client.get(reverse("office_hours")).content.decode()
    assert reverse("walk_in", args=[block.pk]) in html
    assert "Open now" in html


def test_the_listing_costs_a_bounded_number_of_queries(
    client, world, django_assert_max_num_queries
):
    _fay_supports(world)
    for i in range(60):
        make_slot([world.sam, world.fay][i % 2], world.school, starts_in=(2 + i) * HOUR)
    make_walk_in(world.sam, world.school)
    sign_in(client, world.alice)
    # Sign-in, roles and notifications take 8 (savepoints included); the listing 7 more.
    with django_assert_max_num_queries(16):
        response = client.get(reverse("office_hours"), {"topic": "exams"})
    assert response.status_code == 200
    assert "Page 1 of 2" in response.content.decode()


def test_a_member_books_with_a_note_and_lands_on_the_booking(client, world):
    slot = make_slot(world.sam, world.school)
    sign_in(client, world.alice)
    page = client.get(reverse("book_slot", args=[slot.pk])).content.decode()
    assert "Sam sees your display name" in page
    assert slot.video_link not in page  # the link comes with the booking
    response = client.post(reverse("book_slot", args=[slot.pk]), {"note": "first time"})
    booking = Booking.objects.get()
    assert response["Location"] == reverse("booking", args=[booking.pk])
    html = client.get(response["Location"]).content.decode()
    assert slot.video_link in html
    assert "first time" in html
    assert reverse("booking_calendar_file", args=[booking.pk]) in html


def test_booking_a_taken_time_says_so_and_offers_the_next_ones(client, world):
    slot = make_slot(world.sam, world.school, starts_in=2 * HOUR)
    next_one = make_slot(world.sam, world.school, starts_in=3 * HOUR)
    make_booking(world.bob, slot)
    sign_in(client, world.alice)
    response = client.post(reverse("book_slot", args=[slot.pk]), {"note": "keep me"})
    html = response.content.decode()
    assert response.status_code == 409
    assert "This slot has just been taken." in html
    assert reverse("book_slot", args=[next_one.pk]) in html
    assert "keep me" in html


def test_booking_a_past_time_is_refused_with_a_clear_message(client, world):
    slot = make_slot(world.sam, world.school, starts_in=-HOUR)
    sign_in(client, world.alice)
    response = client.post(reverse("book_slot", args=[slot.pk]), {"note": ""})
    assert response.status_code == 400
    assert "already started or passed" in response.content.decode()


def test_a_time_that_has_gone_says_so_before_anything_is_typed(client, world):
    taken = make_slot(world.sam, world.school, starts_in=2 * HOUR)
    next_one = make_slot(world.sam, world.school, starts_in=3 * HOUR)
    make_booking(world.bob, taken)
    cancelled = make_slot(world.sam, world.school, starts_in=4 * HOUR, status="cancelled")
    sign_in(client, world.alice)
    html = client.get(reverse("book_slot", args=[taken.pk])).content.decode()
    assert "This slot has just been taken." in html and "Book this time" not in html
    assert reverse("book_slot", args=[next_one.pk]) in html
    html = client.get(reverse("book_slot", args=[cancelled.pk])).content.decode()
    assert "cancelled by the supporter" in html


def test_another_organisations_time_answers_404(client, world):
    slot = make_slot(world.sam, world.school)
    sign_in(client, world.olga)
    assert client.get(reverse("book_slot", args=[slot.pk])).status_code == 404
    assert client.post(reverse("book_slot", args=[slot.pk])).status_code == 404


def test_a_member_cancels_and_the_time_is_listed_again(client, world):
    slot = make_slot(world.sam, world.school)
    booking = make_booking(world.alice, slot)
    sign_in(client, world.alice)
    response = client.post(reverse("cancel_booking", args=[booking.pk]), {"reason": "sorted"})
    assert response["Location"] == reverse("my_bookings")
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    sign_in(client, world.bob)
    assert (
        reverse("book_slot", args=[slot.pk]) in client.get(reverse("office_hours")).content.decode()
    )


def test_the_supporter_sees_the_note_and_it_is_written_to_the_members_audit_log(client, world):
    booking = make_booking(world.alice, make_slot(world.sam, world.school), note="exam nerves")
    sign_in(client, world.sam)
    html = client.get(reverse("booking", args=[booking.pk])).content.decode()
    assert "exam nerves" in html and "Session with Alice" in html
    entry = AuditEntry.objects.get(subject=world.alice)
    assert entry.actor == world.sam and "note" in entry.target


def test_the_supporter_needs_a_second_factor_to_see_a_booking(client, world):
    booking = make_booking(world.alice, make_slot(world.sam, world.school), note="exam nerves")
    sign_in(client, world.sam, mfa=False)
    assert client.get(reverse("booking", args=[booking.pk])).status_code == 403


def test_the_supporter_cancels_with_a_reason_the_member_reads_on_the_booking(client, world):
    slot = make_slot(world.sam, world.school, starts_in=2 * HOUR)
    later = make_slot(world.sam, world.school, starts_in=4 * HOUR)
    booking = make_booking(world.alice, slot)
    sign_in(client, world.sam)
    response = client.post(reverse("cancel_booking", args=[booking.pk]), {"reason": "I am ill"})
    assert response["Location"] == reverse("supporter_sessions", args=[world.school.slug])
    sign_in(client, world.alice)
    html = client.get(reverse("booking", args=[booking.pk])).content.decode()
    assert "Cancelled by Sam" in html and "I am ill" in html
    assert reverse("book_slot", args=[later.pk]) in html


def test_a_flagged_booking_offers_other_times_to_move_to(client, world):
    slot = make_slot(world.sam, world.school, starts_in=3 * HOUR)
    _fay_supports(world)
    other = make_slot(world.fay, world.school, starts_in=4 * HOUR)
    booking = make_booking(world.alice, slot, flagged_at=timezone.now())
    sign_in(client, world.alice)
    html = client.get(reverse("booking", args=[booking.pk])).content.decode()
    assert "may not go ahead" in html
    assert reverse("move_booking", args=[booking.pk]) in html
    response = client.post(reverse("move_booking", args=[booking.pk]), {"slot": other.pk})
    moved = Booking.objects.get(status="booked")
    assert response["Location"] == reverse("booking", args=[moved.pk])
    assert moved.slot == other


def test_the_supporter_marks_a_missed_session(client, world):
    booking = make_booking(world.alice, make_slot(world.sam, world.school, starts_in=-HOUR / 2))
    sign_in(client, world.sam)
    assert "did not come" in client.get(reverse("booking", args=[booking.pk])).content.decode()
    client.post(reverse("mark_no_show", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.status == "no_show"
    sign_in(client, world.alice)
    assert client.post(reverse("mark_no_show", args=[booking.pk])).status_code == 404


def test_my_bookings_lists_upcoming_and_earlier(client, world, django_assert_max_num_queries):
    upcoming = make_booking(world.alice, make_slot(world.sam, world.school))
    cancelled = make_booking(
        world.alice, make_slot(world.sam, world.school, starts_in=2 * HOUR), status="cancelled"
    )
    sign_in(client, world.alice)
    with django_assert_max_num_queries(12):  # 11 for sign-in, roles, notifications, session
        html = client.get(reverse("my_bookings")).content.decode()
    assert reverse("booking", args=[upcoming.pk]) in html
    assert "Cancelled" in html and reverse("booking", args=[cancelled.pk]) in html


def test_the_supporters_sessions_list_bookings_and_walk_in_blocks(
    client, world, django_assert_max_num_queries
):
    for i in range(5):
        make_booking(
            world.alice if i % 2 else world.bob,
            make_slot(world.sam, world.school, starts_in=(i + 1) * HOUR),
        )
    block = make_walk_in(world.sam, world.school)
    sign_in(client, world.sam)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("supporter_sessions", args=[world.school.slug]))
    html = response.content.decode()
    assert html.count("<tr>") == 6
    assert reverse("run_queue", args=[world.school.slug, block.pk]) in html


def test_the_move_refuses_a_bad_slot_kindly(client, world):
    booking = make_booking(world.alice, make_slot(world.sam, world.school))
    sign_in(client, world.alice)
    response = client.post(
        reverse("move_booking", args=[booking.pk]), {"slot": "nonsense"}, follow=True
    )
    assert "not offered in your organisation" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == "booked"


def test_the_cancel_form_keeps_the_reason_when_it_is_too_long(client, world):
    booking = make_booking(world.alice, make_slot(world.sam, world.school))
    sign_in(client, world.alice)
    response = client.post(reverse("cancel_booking", args=[booking.pk]), {"reason": "x" * 300})
    assert response.status_code == 400
    assert "x" * 300 in response.content.decode()


def test_booking_through_the_service_and_the_page_agree(world):
    slot = make_slot(world.sam, world.school)
    services.book_slot(member=world.alice, slot_id=slot.pk)
    assert list(selectors.bookings_of(world.alice).values_list("slot_id", flat=True)) == [slot.pk]
