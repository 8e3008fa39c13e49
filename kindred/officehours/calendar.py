"""iCalendar (.ics) files: one booking for the member, and each supporter's private feed.

Events carry the two display names, the time and where to go: no email addresses, no
attendees or organiser, no notes. Titles avoid the words "Kindred" and "support" so a shared
calendar does not say what the session is. UIDs have no "@", so nothing looks like an address.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings

from kindred.core.calendar import CalendarItem, to_ics
from kindred.officehours.models import Booking, Format

PRODID = "-//Kindred//Office hours//EN"


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


def booking_file(booking: Booking, *, for_supporter: bool = False) -> bytes:
    return to_ics([booking_item(booking, for_supporter=for_supporter)], prodid=PRODID)


def supporter_feed(bookings: Iterable[Booking]) -> bytes:
    return to_ics(
        [booking_item(b, for_supporter=True) for b in bookings], prodid=PRODID, name="Office hours"
    )
