"""Event arithmetic with no Django: series dates, exam-week skipping, check-in codes.

A series meets at a wall-clock time in the host organisation's time zone ("Wednesdays 18:00"),
so an event stays at 18:00 local time on both sides of a daylight-saving change.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

UTC = datetime.UTC
WEEK = datetime.timedelta(days=7)
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
# A series never runs on for more than this many events or this long.
MAX_SERIES_EVENTS = 52
MAX_SERIES_SPAN = datetime.timedelta(days=2 * 366)
# Coordinators see feedback once this many people answered.
FEEDBACK_THRESHOLD = 5
# Letters and digits nobody confuses when read out in a room (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


@dataclass(frozen=True)
class SeriesDates:
    """What a series' rule gives: the days it meets and the days it skips (exam weeks)."""

    days: list[datetime.date]
    skipped: list[datetime.date]


def first_on_or_after(day: datetime.date, weekday: int) -> datetime.date:
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def week_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Monday and Sunday of the week `day` falls in."""
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)


def in_exam_week(day: datetime.date, exams: Iterable[tuple[datetime.date, datetime.date]]) -> bool:
    """Whether the week of `day` overlaps any exam period (first and last day inclusive)."""
    monday, sunday = week_of(day)
    return any(first <= sunday and last >= monday for first, last in exams)


def series_dates(
    *,
    starts_on: datetime.date,
    weekday: int,
    interval_weeks: int,
    count: int | None = None,
    until: datetime.date | None = None,
    exams: Iterable[tuple[datetime.date, datetime.date]] = (),
) -> SeriesDates:
    """Every `interval_weeks` on `weekday`, from the first such day on or after `starts_on`,
    until `count` events are found or `until` passes. A date in an exam week is skipped and the
    rhythm carries on, so a skipped date does not count towards `count`."""
    if count is None and until is None:
        raise ValueError("A series needs a number of events or an end date")
    if interval_weeks < 1:
        raise ValueError("interval_weeks must be at least 1")
    periods = list(exams)
    wanted = min(count or MAX_SERIES_EVENTS, MAX_SERIES_EVENTS)
    last_day = starts_on + MAX_SERIES_SPAN
    if until is not None:
        last_day = min(last_day, until)
    days: list[datetime.date] = []
    skipped: list[datetime.date] = []
    day = first_on_or_after(starts_on, weekday)
    while day <= last_day and len(days) < wanted:
        (skipped if in_exam_week(day, periods) else days).append(day)
        day += interval_weeks * WEEK
    return SeriesDates(days=days, skipped=skipped)


def at(day: datetime.date, time: datetime.time, zone: ZoneInfo) -> datetime.datetime:
    """A wall-clock time in `zone` as a UTC instant (a time the clocks skip moves forward)."""
    return datetime.datetime.combine(day, time, tzinfo=zone).astimezone(UTC)


def check_in_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: str) -> str:
    """What someone typed, as a code: spaces and dashes dropped, upper case."""
    return "".join(ch for ch in (typed or "").upper() if ch.isalnum())


def feedback_shown(responses: int) -> bool:
    return responses >= FEEDBACK_THRESHOLD
