"""Download my data: a member's bookings and notes; a supporter's times, never members' notes."""

import datetime

from kindred.accounts.services import export_data
from kindred.officehours import services
from tests.officehours.builders import add_rule, make_booking, make_slot, make_walk_in


def test_a_members_file_holds_their_bookings_notes_and_queue_places(world):
    booking = make_booking(world.alice, make_slot(world.sam, world.school), note="my words")
    services.cancel_booking(user=world.sam, booking=booking, reason="unwell")
    services.join_queue(member=world.alice, block=make_walk_in(world.sam, world.school))
    mine = export_data(user=world.alice)["officehours"]
    [exported] = mine["bookings"]
    assert exported["with"] == "Sam" and exported["my_note"] == "my words"
    assert exported["cancelled_by"] == "the other person" and exported["reason_given"] == "unwell"
    assert mine["walk_in_queues"][0]["status"] == "waiting"


def test_a_supporters_file_holds_their_times_and_sessions_but_not_members_notes(world):
    add_rule(world.sam, world.school, weekday=2, start_time=datetime.time(9, 0))
    make_booking(world.alice, make_slot(world.sam, world.school), note="private to alice")
    services.create_calendar_feed(supporter=world.sam)
    theirs = export_data(user=world.sam)["officehours"]
    assert theirs["availability"][0]["when"] == "bookable time on Wednesdays 09:00–12:00"
    assert theirs["sessions_i_held"][0]["with"] == "Alice"
    assert "private to alice" not in str(theirs)
    assert theirs["calendar_feeds"][0]["off"] is False
