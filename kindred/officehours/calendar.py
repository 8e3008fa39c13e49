"""iCalendar (.ics) files: one booking for the member, and each supporter's private feed.

Events carry the two display names, the time and where to go: no email addresses, no
attendees or organiser, no notes. Titles avoid the words "Kindred" and "support" so a shared
calendar does not say what the session is. UIDs have no "@", so nothing looks like an address.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

import icalendar
from django.conf import settings
from django.utils import timezone

from kindred.officehours.models import Booking, Format

PRODID = "-//Kindred//Office hours//EN"


@dataclass(frozen=True)
class CalendarItem:
    """One event in a calendar file. Events and groups will add their own items later."""

    uid: str
    summary: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    location: str
    description: str
    url: str


def _where(booking: Booking) -> str:
    slot = booking.slot
    if slot.format == Format.IN_PERSON:
        return slot.location
    if slot.format == Format.VIDEO:
        return slot.video_link
    return f"Phone: {slot.phone_number}"


def booking_item(booking: Booking, *, for_supporter: bool) -> CalendarItem:
    slot = booking.slot
    member, supporter = booking.member.display_name, slot.supporter.display_name
    other = member if for_supporter else supporter
    url = f"{settings.KINDRED_SITE_URL}/office-hours/bookings/{booking.pk}/"
    return CalendarItem(
        uid=f"office-hours-booking-{booking.pk}.kindred",
        summary=f"Office hours with {other}",
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        location=_where(booking),
        description=(
            f"{member} and {supporter}. {slot.get_format_display()}.\nChange or cancel: {url}"
        ),
        url=url,
    )


def to_ics(items: Iterable[CalendarItem], *, name: str = "") -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(datetime.UTC)
    for item in items:
        event = icalendar.Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.starts_at.astimezone(datetime.UTC))
        event.add("dtend", item.ends_at.astimezone(datetime.UTC))
        event.add("summary", item.summary)
        if item.location:
            event.add("location", item.location)
        event.add("description", item.description)
        event.add("url", item.url)
        event.add("status", "CONFIRMED")
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    return calendar.to_ical()


def booking_file(booking: Booking, *, for_supporter: bool = False) -> bytes:
    return to_ics([booking_item(booking, for_supporter=for_supporter)])


def supporter_feed(bookings: Iterable[Booking]) -> bytes:
    return to_ics([booking_item(b, for_supporter=True) for b in bookings], name="Office hours")
