"""iCalendar (.ics) for events: one event's file, and each member's private feed.

Every event keeps one UID for life and its SEQUENCE rises with every change, so importing the
file again (or the feed refreshing) moves or cancels the event in place. The place (room or
video link) is written only for people going. UIDs have no "@", so nothing looks like an
address; there are no attendees or organiser.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings

from kindred.core.calendar import CalendarItem, to_ics
from kindred.events.models import Event, Format

PRODID = "-//Kindred//Events//EN"


def _where(event: Event) -> str:
    return event.location if event.format == Format.IN_PERSON else event.video_link


def _item(event: Event, *, show_place: bool) -> CalendarItem:
    url = f"{settings.KINDRED_SITE_URL}/events/{event.pk}/"
    return CalendarItem(
        uid=f"event-{event.uid}.kindred",
        summary=event.title,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        location=_where(event) if show_place else "",
        description=f"{event.get_format_display()}.\nDetails: {url}",
        url=url,
        sequence=event.sequence,
        cancelled=event.is_cancelled,
    )


def event_file(event: Event, *, going: bool) -> bytes:
    return to_ics([_item(event, show_place=going)], prodid=PRODID)


def member_feed(events: Iterable[Event]) -> bytes:
    """Events the member is going to: the place included."""
    return to_ics([_item(e, show_place=True) for e in events], prodid=PRODID, name="Events")
