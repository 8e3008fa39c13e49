"""Coordinators see coverage in numbers: hours, bookings, waits, no-shows, exam-time gaps."""

import datetime

from django.urls import reverse
from django.utils import timezone

from kindred.accounts.models import RoleGrant
from kindred.officehours import selectors, services
from kindred.officehours.models import Milestone, QueueEntry
from tests.conftest import sign_in
from tests.factories import MembershipFactory, UserFactory
from tests.officehours.builders import add_rule, make_booking, make_slot, make_walk_in

T = datetime.time
DAY = datetime.timedelta(days=1)


def _today(world):
    return selectors.local_today(world.school)


def _this_week(coverage):
    return next(w for w in coverage.weeks if w.when == "this week")


def test_hours_offered_and_booked_are_counted_per_week(world):
    tomorrow = _today(world) + DAY
    add_rule(world.sam, world.school, weekday=tomorrow.weekday())  # 2 hours, 4 slots a week
    slot = make_slot(world.sam, world.school, starts_in=datetime.timedelta(days=1, hours=23))
    make_booking(world.alice, slot)
    coverage = selectors.coverage_for(world.school)
    assert len(coverage.weeks) == 12
    week_of_tomorrow = next(
        w for w in coverage.weeks if w.week_start <= tomorrow < w.week_start + 7 * DAY
    )
    assert week_of_tomorrow.hours_offered >= 2
    assert sum(w.booked for w in coverage.weeks) == 1
    planned = [w for w in coverage.weeks if w.planned]
    assert planned and all(w.hours_offered == 2 for w in planned)


def test_a_lapsed_supporters_future_times_are_not_counted_as_offered(world):
    add_rule(world.sam, world.school, weekday=(_today(world) + DAY).weekday())
    RoleGrant.objects.filter(membership__user=world.sam).update(
        trained_until=datetime.date(2020, 1, 1)
    )
    coverage = selectors.coverage_for(world.school)
    assert all(w.hours_offered == 0 for w in coverage.weeks if w.when == "ahead")


def test_weekdays_without_office_hours_before_exams_are_named(world):
    today = _today(world)
    exams = Milestone.objects.create(
        organisation=world.school,
        title="Year 3 finals",
        first_day=today + 20 * DAY,
        last_day=today + 22 * DAY,
    )
    for weekday in range(5):
        if weekday != 2:  # nobody on Wednesdays
            add_rule(world.sam, world.school, weekday=weekday)
    [gap] = selectors.coverage_for(world.school).gaps
    assert gap.milestone == exams
    assert gap.uncovered_days and all(d.weekday() == 2 for d in gap.uncovered_days)
    assert gap.weekdays_checked >= 10


def test_queue_waits_and_no_shows_are_counted_not_named(world):
    block = make_walk_in(world.sam, world.school, started_ago=50)
    now = timezone.now()
    for i in range(10):
        member = MembershipFactory(
            user=UserFactory(email=f"w{i}@example.org"), organisation=world.school
        ).user
        QueueEntry.objects.create(
            slot=block,
            member=member,
            status="called",
            joined_at=now - datetime.timedelta(minutes=40),
            called_at=now - datetime.timedelta(minutes=40 - 2 * i),
        )
    for starts_in in (-5, -4, -3):
        past = make_slot(world.sam, world.school, starts_in=datetime.timedelta(hours=starts_in))
        make_booking(world.alice if starts_in != -3 else world.bob, past, status="no_show")
    coverage = selectors.coverage_for(world.school)
    assert coverage.people_seen_walk_in == 10
    assert coverage.median_wait_minutes == 10 and coverage.longest_wait_minutes == 18
    assert coverage.no_shows == 3 and coverage.members_missing_repeatedly == 1


def test_the_coverage_page_shows_numbers_with_small_ones_suppressed(
    client, world, django_assert_max_num_queries
):
    add_rule(world.sam, world.school, weekday=(_today(world) + DAY).weekday())
    make_booking(world.alice, make_slot(world.sam, world.school, starts_in=DAY * 2), note="secret")
    booked = make_booking(world.bob, make_slot(world.sam, world.school, starts_in=DAY * 3))
    booked.flagged_at = timezone.now()
    booked.save()
    Milestone.objects.create(
        organisation=world.school,
        title="Finals",
        first_day=_today(world) + 10 * DAY,
        last_day=_today(world) + 12 * DAY,
    )
    sign_in(client, world.cora)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("office_hours_coverage", args=[world.school.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "fewer than 10 of" in html
    assert "Finals" in html
    assert "Sam: upcoming bookings" in html  # the supporter, never the members
    for private in ("Alice", "Bob", "secret"):
        assert private not in html


def test_coordinators_keep_the_academic_calendar(client, world):
    sign_in(client, world.cora)
    url = reverse("academic_calendar", args=[world.school.slug])
    day = _today(world) + 30 * DAY
    response = client.post(
        url, {"kind": "exams", "title": "Year 5 OSCEs", "first_day": day.isoformat()}
    )
    assert response["Location"] == url
    milestone = Milestone.objects.get()
    assert (milestone.first_day, milestone.last_day, milestone.created_by) == (day, day, world.cora)
    assert "Year 5 OSCEs" in client.get(url).content.decode()
    client.post(reverse("delete_milestone", args=[world.school.slug, milestone.pk]))
    assert not Milestone.objects.exists()


def test_a_calendar_date_that_ends_before_it_starts_is_refused_next_to_the_field(client, world):
    sign_in(client, world.cora)
    day = _today(world)
    response = client.post(
        reverse("academic_calendar", args=[world.school.slug]),
        {
            "kind": "exams",
            "title": "Backwards",
            "first_day": day.isoformat(),
            "last_day": (day - DAY).isoformat(),
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "on or after the first day" in html and 'value="Backwards"' in html


def test_another_organisations_calendar_date_cannot_be_removed(client, world):
    theirs = services.add_milestone(
        coordinator=world.oscar,
        organisation=world.other_school,
        kind="exams",
        title="Theirs",
        first_day=_today(world),
    )
    sign_in(client, world.cora)
    response = client.post(reverse("delete_milestone", args=[world.school.slug, theirs.pk]))
    assert response.status_code == 404
    assert Milestone.objects.filter(pk=theirs.pk).exists()
