"""Everything office hours holds about one person, for "Download my data"."""

from kindred.officehours.models import (
    AvailabilityRule,
    Booking,
    CalendarFeed,
    QueueEntry,
    TimeOff,
)


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def export_personal_data(user) -> dict:
    """A member's bookings and queue places; a supporter's times, sessions and feeds.

    A member's note belongs to the member: it is in their file, not their supporter's.
    """
    as_member = Booking.objects.filter(member=user).select_related("slot__supporter")
    as_supporter = Booking.objects.filter(slot__supporter=user).select_related("member")
    return {
        "bookings": [
            {
                "starts": _iso(b.slot.starts_at),
                "ends": _iso(b.slot.ends_at),
                "with": b.slot.supporter.display_name,
                "format": b.slot.format,
                "status": b.status,
                "my_note": b.note,
                "booked": _iso(b.created_at),
                "cancelled": _iso(b.cancelled_at),
                "cancelled_by": _who(b, user),
                "reason_given": b.cancel_reason,
            }
            for b in as_member
        ],
        "sessions_i_held": [
            {
                "starts": _iso(b.slot.starts_at),
                "with": b.member.display_name,
                "status": b.status,
                "cancelled_by": _who(b, user),
                "my_reason": b.cancel_reason if b.cancelled_by_id == user.pk else "",
            }
            for b in as_supporter
        ],
        "walk_in_queues": [
            {
                "block_starts": _iso(q.slot.starts_at),
                "with": q.slot.supporter.display_name,
                "status": q.status,
                "joined": _iso(q.joined_at),
                "called": _iso(q.called_at),
                "left": _iso(q.left_at),
            }
            for q in QueueEntry.objects.filter(member=user).select_related("slot__supporter")
        ],
        "availability": [
            {
                "when": r.describe(),
                "format": r.format,
                "place": r.where,
                "minutes": r.slot_minutes,
                "from": _iso(r.starts_on),
                "until": _iso(r.ends_on),
            }
            for r in AvailabilityRule.objects.filter(profile__user=user)
        ],
        "time_off": [
            {
                "first_day": _iso(t.first_day),
                "last_day": _iso(t.last_day),
                "from": str(t.start_time or ""),
                "until": str(t.end_time or ""),
                "note": t.label,
            }
            for t in TimeOff.objects.filter(profile__user=user)
        ],
        "calendar_feeds": [
            {
                "made": _iso(f.created_at),
                "last_read": _iso(f.last_used_at),
                "off": bool(f.revoked_at),
            }
            for f in CalendarFeed.objects.filter(user=user)
        ],
    }


def _who(booking: Booking, user) -> str | None:
    if booking.cancelled_by_id is None:
        return None
    return "me" if booking.cancelled_by_id == user.pk else "the other person"
