"""Calendar files: parsed by an independent parser (vobject, not the icalendar that writes them),
with the right times across daylight saving, and nothing beyond the two display names."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import vobject
from django.urls import reverse

from kindred.officehours import services
from kindred.officehours.models import CalendarFeed
from tests.conftest import sign_in
from tests.factories import MembershipFactory, OrganisationFactory, RoleGrantFactory
from tests.officehours.builders import make_booking, make_slot

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


def _parse(content: bytes):
    calendar = vobject.readOne(content.decode("utf-8"))
    return calendar, list(calendar.vevent_list)


def _download(client, booking):
    response = client.get(reverse("booking_calendar_file", args=[booking.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    return response.content


def test_the_members_file_parses_independently_with_the_right_time_and_place(client, world):
    slot = make_slot(world.sam, world.school)
    booking = make_booking(world.alice, slot, note="exam nerves")
    sign_in(client, world.alice)
    _calendar, [event] = _parse(_download(client, booking))
    assert event.dtstart.value == slot.starts_at
    assert event.dtend.value == slot.ends_at
    assert event.summary.value == "Office hours with Sam"
    assert event.location.value == slot.video_link
    assert "Alice and Sam" in event.description.value


def test_the_file_reveals_nothing_beyond_the_two_display_names(client, world):
    slot = make_slot(world.sam, world.school)
    booking = make_booking(world.alice, slot, note="exam nerves and my tutor Dr Bob")
    make_booking(
        world.bob, make_slot(world.sam, world.school, starts_in=datetime.timedelta(days=2))
    )
    sign_in(client, world.alice)
    content = _download(client, booking)
    text = content.decode()
    assert EMAIL.findall(text) == []
    for absent in ("ATTENDEE", "ORGANIZER", "exam nerves", "Bob", "alice@", "sam@", "Kindred"):
        assert absent not in text.replace("-//Kindred//", ""), absent
    _calendar, [event] = _parse(content)
    assert "Sam" in event.summary.value
    assert "Alice and Sam" in event.description.value


@pytest.mark.parametrize(
    ("zone", "local", "utc_hour"),
    [
        # The Monday after British Summer Time starts (28 March 2027): 10:00 BST is 09:00 UTC.
        ("Europe/London", datetime.datetime(2027, 3, 29, 10, 0), 9),
        # The Monday after it ends (31 October 2027): 10:00 GMT is 10:00 UTC.
        ("Europe/London", datetime.datetime(2027, 11, 1, 10, 0), 10),
        # The Monday after US daylight saving starts (14 March 2027): 09:00 EDT is 13:00 UTC.
        ("America/New_York", datetime.datetime(2027, 3, 15, 9, 0), 13),
        # The Monday after it ends (7 November 2027): 09:00 EST is 14:00 UTC.
        ("America/New_York", datetime.datetime(2027, 11, 8, 9, 0), 14),
    ],
)
def test_times_are_right_after_a_daylight_saving_change(client, world, zone, local, utc_hour):
    organisation = OrganisationFactory(slug=f"org-{zone.lower().replace('/', '-')}", time_zone=zone)
    for person, role in ((world.sam, "supporter"), (world.alice, None)):
        membership = MembershipFactory(user=person, organisation=organisation)
        if role:
            RoleGrantFactory(membership=membership, role=role)
    starts_at = local.replace(tzinfo=ZoneInfo(zone))
    booking = make_booking(world.alice, make_slot(world.sam, organisation, starts_at=starts_at))
    sign_in(client, world.alice)
    _calendar, [event] = _parse(_download(client, booking))
    start = event.dtstart.value
    assert start.utcoffset() == datetime.timedelta(0)
    assert (start.date(), start.hour) == (local.date(), utc_hour)
    assert start.astimezone(ZoneInfo(zone)).replace(tzinfo=None) == local


def test_a_cancelled_booking_has_no_calendar_file(client, world):
    booking = make_booking(world.alice, make_slot(world.sam, world.school), status="cancelled")
    sign_in(client, world.alice)
    assert client.get(reverse("booking_calendar_file", args=[booking.pk])).status_code == 404


def test_the_supporter_gets_a_file_naming_the_member(client, world):
    booking = make_booking(world.alice, make_slot(world.sam, world.school))
    sign_in(client, world.sam)
    _calendar, [event] = _parse(_download(client, booking))
    assert event.summary.value == "Office hours with Alice"


def test_the_private_feed_lists_the_supporters_bookings_without_personal_details(client, world):
    mine = make_booking(world.alice, make_slot(world.sam, world.school), note="private")
    make_booking(
        world.bob, make_slot(world.sam, world.school, starts_in=datetime.timedelta(days=2))
    )
    make_booking(
        world.bob,
        make_slot(world.sam, world.school, starts_in=datetime.timedelta(days=3)),
        status="cancelled",
    )
    _feed, raw = services.create_calendar_feed(supporter=world.sam)
    response = client.get(reverse("calendar_feed", args=[raw]))  # no sign-in: the secret is key
    assert response.status_code == 200
    text = response.content.decode()
    assert EMAIL.findall(text) == [] and "private" not in text
    _calendar, events = _parse(response.content)
    assert sorted(e.summary.value for e in events) == [
        "Office hours with Alice",
        "Office hours with Bob",
    ]
    assert events[0].dtstart.value == mine.slot.starts_at
    assert CalendarFeed.objects.get().last_used_at is not None


def test_a_revoked_or_replaced_feed_stops_working(client, world):
    _feed, first = services.create_calendar_feed(supporter=world.sam)
    _feed, second = services.create_calendar_feed(supporter=world.sam)
    assert client.get(reverse("calendar_feed", args=[first])).status_code == 404
    assert client.get(reverse("calendar_feed", args=[second])).status_code == 200
    services.revoke_calendar_feeds(supporter=world.sam)
    assert client.get(reverse("calendar_feed", args=[second])).status_code == 404
    assert client.get(reverse("calendar_feed", args=["kcal_guess"])).status_code == 404


def test_the_feed_address_is_shown_once_and_only_its_hash_is_kept(client, world):
    sign_in(client, world.sam)
    url = reverse("calendar_feed_settings", args=[world.school.slug])
    response = client.post(url, follow=True)
    match = re.search(
        r'value="(http://testserver/calendar/(kcal_[\w-]+)\.ics)"', response.content.decode()
    )
    assert match
    raw = match.group(2)
    assert raw not in CalendarFeed.objects.values_list("digest", flat=True)[0]
    assert raw not in client.get(url).content.decode()
    client.post(reverse("revoke_calendar_feed", args=[world.school.slug]))
    assert client.get(reverse("calendar_feed", args=[raw])).status_code == 404
