"""iCalendar (.ics) for a cohort's whole series of sessions.

Each session is one event with a stable UID, so importing the file again after a schedule
change updates the events in place: SEQUENCE is the cohort's schedule version, and sessions a
change dropped are sent as CANCELLED. Titles avoid the words "Kindred" and "support" and the
programme's name, so a shared calendar does not say what the group is; UIDs have no "@".
"""

from __future__ import annotations

import datetime

import icalendar
from django.conf import settings
from django.utils import timezone

from kindred.groups.models import Cohort, Format, Session

PRODID = "-//Kindred//Groups//EN"


def _where(cohort: Cohort) -> str:
    return cohort.location if cohort.format == Format.IN_PERSON else cohort.video_link


def cohort_file(cohort: Cohort, sessions: list[Session]) -> bytes:
    """Every session of the cohort (cancelled ones marked so), for someone with a place."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Group sessions")
    stamp = timezone.now().astimezone(datetime.UTC)
    total = sum(1 for s in sessions if s.cancelled_at is None)
    where = _where(cohort)
    for session in sessions:
        url = f"{settings.KINDRED_SITE_URL}/groups/sessions/{session.pk}/"
        event = icalendar.Event()
        event.add("uid", f"group-{cohort.pk}-session-{session.number}.kindred")
        event.add("dtstamp", stamp)
        event.add("sequence", cohort.schedule_version)
        event.add("dtstart", session.starts_at.astimezone(datetime.UTC))
        event.add("dtend", session.ends_at.astimezone(datetime.UTC))
        event.add("summary", f"Group session {session.number} of {total}")
        if where:
            event.add("location", where)
        event.add("description", f"{cohort.get_format_display()}.\nTopics and details: {url}")
        event.add("url", url)
        event.add("status", "CANCELLED" if session.cancelled_at else "CONFIRMED")
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    return calendar.to_ical()
