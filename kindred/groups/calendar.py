"""iCalendar (.ics) for a cohort's whole series of sessions.

Each session is one event with a stable UID, so importing the file again after a schedule
change updates the events in place: SEQUENCE is the cohort's schedule version, and sessions a
change dropped are sent as CANCELLED. Titles avoid the words "Kindred" and "support" and the
programme's name, so a shared calendar does not say what the group is; UIDs have no "@".
"""

from __future__ import annotations

from django.conf import settings

from kindred.core.calendar import CalendarItem, to_ics
from kindred.groups.models import Cohort, Format, Session

PRODID = "-//Kindred//Groups//EN"


def _where(cohort: Cohort) -> str:
    return cohort.location if cohort.format == Format.IN_PERSON else cohort.video_link


def cohort_file(cohort: Cohort, sessions: list[Session]) -> bytes:
    """Every session of the cohort (cancelled ones marked so), for someone with a place."""
    total = sum(1 for s in sessions if s.cancelled_at is None)
    where = _where(cohort)
    items = []
    for session in sessions:
        url = f"{settings.KINDRED_SITE_URL}/groups/sessions/{session.pk}/"
        items.append(
            CalendarItem(
                uid=f"group-{cohort.pk}-session-{session.number}.kindred",
                summary=f"Group session {session.number} of {total}",
                starts_at=session.starts_at,
                ends_at=session.ends_at,
                location=where,
                description=f"{cohort.get_format_display()}.\nTopics and details: {url}",
                url=url,
                sequence=cohort.schedule_version,
                cancelled=session.cancelled_at is not None,
            )
        )
    return to_ics(items, prodid=PRODID, name="Group sessions")
