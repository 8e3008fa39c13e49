"""Demo data: two weeks of availability, a walk-in block every day, safe to run again."""

import datetime
import io

from django.core.management import call_command

from kindred.officehours import selectors
from kindred.officehours.models import AvailabilityRule, Booking, Milestone, Slot


def test_the_demo_supporters_have_two_weeks_of_times_and_a_walk_in_block_each_day(db):
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # idempotent
    slots = list(Slot.objects.select_related("organisation", "supporter"))
    school = slots[0].organisation
    zone = selectors.zone_of(school)
    today = selectors.local_today(school)
    days = [today + datetime.timedelta(days=i) for i in range(1, 14)]
    walk_in_days = [s.starts_at.astimezone(zone).date() for s in slots if s.walk_in]
    assert all(walk_in_days.count(day) == 1 for day in days)
    bookable = [s for s in slots if not s.walk_in]
    assert {s.supporter.email for s in bookable} == {
        "supporter@example.org",
        "supporter2@example.org",
    }
    assert max(s.starts_at.astimezone(zone).date() for s in slots) == today + datetime.timedelta(
        days=13
    )
    assert Booking.objects.filter(member__email="member@example.org").count() == 1
    assert Milestone.objects.filter(kind="exams").count() == 2
    assert AvailabilityRule.objects.count() == 18
