"""iCalendar (.ics) files, written one way for office hours, groups and events.

Each app turns its own objects into `CalendarItem`s: a stable UID (no "@", so nothing looks like
an address) and a SEQUENCE that rises with each change, so importing again moves or cancels an
event in place. No attendees or organiser are ever written.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

import icalendar
from django.utils import timezone


@dataclass(frozen=True)
class CalendarItem:
    uid: str
    summary: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    location: str
    description: str
    url: str
    sequence: int = 0
    cancelled: bool = False


def to_ics(items: Iterable[CalendarItem], *, prodid: str, name: str = "") -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", prodid)
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
        event.add("sequence", item.sequence)
        event.add("dtstart", item.starts_at.astimezone(datetime.UTC))
        event.add("dtend", item.ends_at.astimezone(datetime.UTC))
        event.add("summary", item.summary)
        if item.location:
            event.add("location", item.location)
        event.add("description", item.description)
        event.add("url", item.url)
        event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    return calendar.to_ical()
