"""iCalendar (.ics) for events: one event's file, and each member's private feed.

Every event keeps one UID for life and its SEQUENCE rises with every change, so importing the
file again (or the feed refreshing) moves or cancels the event in place. The place (room or
video link) is written only for people going. UIDs have no "@", so nothing looks like an
address; there are no attendees or organiser.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

import icalendar
from django.conf import settings
from django.utils import timezone

from kindred.events.models import Event, Format

PRODID = "-//Kindred//Events//EN"


def _where(event: Event) -> str:
    return event.location if event.format == Format.IN_PERSON else event.video_link


def _component(event: Event, *, show_place: bool, stamp: datetime.datetime) -> icalendar.Event:
    url = f"{settings.KINDRED_SITE_URL}/events/{event.pk}/"
    item = icalendar.Event()
    item.add("uid", f"event-{event.uid}.kindred")
    item.add("dtstamp", stamp)
    item.add("sequence", event.sequence)
    item.add("dtstart", event.starts_at.astimezone(datetime.UTC))
    item.add("dtend", event.ends_at.astimezone(datetime.UTC))
    item.add("summary", event.title)
    where = _where(event) if show_place else ""
    if where:
        item.add("location", where)
    item.add("description", f"{event.get_format_display()}.\nDetails: {url}")
    item.add("url", url)
    item.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    item.add("transp", "OPAQUE")
    return item


def to_ics(events: Iterable[tuple[Event, bool]], *, name: str = "") -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(datetime.UTC)
    for event, show_place in events:
        calendar.add_component(_component(event, show_place=show_place, stamp=stamp))
    return calendar.to_ical()


def event_file(event: Event, *, going: bool) -> bytes:
    return to_ics([(event, going)])


def member_feed(events: Iterable[Event]) -> bytes:
    """Events the member is going to: the place included."""
    return to_ics([(e, True) for e in events], name="Events")
