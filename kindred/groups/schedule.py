"""Group arithmetic with no Django: weekly session times, overlaps, topic ranking, thresholds.

Sessions are wall-clock times in the host organisation's time zone ("Tuesdays 18:30"), so a
session stays at 18:30 local time on both sides of a daylight-saving change.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

UTC = datetime.UTC
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WEEK = datetime.timedelta(days=7)
# The facilitator sees a session's feedback once this many people answered.
FEEDBACK_THRESHOLD = 5


def first_on_or_after(day: datetime.date, weekday: int) -> datetime.date:
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def _at(day: datetime.date, at: datetime.time, zone: ZoneInfo) -> datetime.datetime:
    # A round trip through UTC turns a wall time skipped by the clocks into a real instant.
    return datetime.datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def weekly_starts(
    *, first_day: datetime.date, weekday: int, at: datetime.time, count: int, zone: ZoneInfo
) -> list[datetime.datetime]:
    """`count` weekly starts (UTC), the first on `weekday` on or after `first_day`."""
    day = first_on_or_after(first_day, weekday)
    return [_at(day + i * WEEK, at, zone) for i in range(count)]


def rescheduled_starts(
    *,
    current: Sequence[datetime.datetime],
    now: datetime.datetime,
    first_day: datetime.date,
    weekday: int,
    at: datetime.time,
    count: int,
    zone: ZoneInfo,
) -> list[datetime.datetime]:
    """New starts after a schedule change: sessions already started keep their time; the rest
    follow the new day and time weekly, from the first free week after the last one held."""
    held = [start for start in current[:count] if start <= now]
    if not held:
        return weekly_starts(first_day=first_day, weekday=weekday, at=at, count=count, zone=zone)
    last_held_day = held[-1].astimezone(zone).date()
    day = first_on_or_after(last_held_day + datetime.timedelta(days=1), weekday)
    while _at(day, at, zone) <= now:
        day += WEEK
    rest = [_at(day + i * WEEK, at, zone) for i in range(count - len(held))]
    return [*held, *rest]


@dataclass(frozen=True)
class Span:
    key: object
    starts_at: datetime.datetime
    ends_at: datetime.datetime


def overlapping(mine: Iterable[Span], theirs: Iterable[Span]) -> list[tuple[Span, Span]]:
    """Every pair (one from each side) whose times overlap; touching end to start is fine."""
    a = sorted(mine, key=lambda s: s.starts_at)
    b = sorted(theirs, key=lambda s: s.starts_at)
    pairs: list[tuple[Span, Span]] = []
    j = 0
    for span in a:
        while j < len(b) and b[j].ends_at <= span.starts_at:
            j += 1
        k = j
        while k < len(b) and b[k].starts_at < span.ends_at:
            if b[k].ends_at > span.starts_at:
                pairs.append((span, b[k]))
            k += 1
    return pairs


@dataclass(frozen=True)
class Tally:
    key: int
    votes: int
    order: int  # when it was suggested: earlier wins a tie


def ranked(tallies: Iterable[Tally]) -> list[Tally]:
    """Most votes first; ties go to the topic suggested first."""
    return sorted(tallies, key=lambda t: (-t.votes, t.order, t.key))


def feedback_shown(responses: int, *, threshold: int = FEEDBACK_THRESHOLD) -> bool:
    """May a facilitator see answers pooled from this many people?"""
    return responses >= threshold


def rate(numerator: int, denominator: int, *, threshold: int = 10) -> str | None:
    """A percentage for coordinators, or None when either count is between 1 and threshold-1
    (a rate over a small number would show the small number)."""
    if denominator < threshold or 0 < numerator < threshold:
        return None
    return f"{round(100 * numerator / denominator)}%"
