"""Office-hours arithmetic: availability rules to slots, overlaps, queue waits. No Django.

Rules are wall-clock times in the organisation's time zone ("Mondays 10:00-12:00"), so a slot
stays at 10:00 local time on both sides of a daylight-saving change, and its UTC instant moves.
On the night the clocks go forward, a wall time that does not exist is skipped; on the night
they go back, a wall time that happens twice is offered once (its first occurrence).
"""

from __future__ import annotations

import datetime
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

UTC = datetime.UTC
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@dataclass(frozen=True)
class RuleSpec:
    """One block of availability: weekly on `weekday`, or once on `on`."""

    key: Hashable
    start: datetime.time
    end: datetime.time
    slot_minutes: int
    walk_in: bool = False
    weekday: int | None = None  # 0 = Monday; weekly rules only
    on: datetime.date | None = None  # one-off rules only
    starts_on: datetime.date | None = None  # weekly rules: first day it applies
    ends_on: datetime.date | None = None  # weekly rules: last day it applies

    @property
    def weekly(self) -> bool:
        return self.on is None

    def applies_on(self, day: datetime.date) -> bool:
        if not self.weekly:
            return day == self.on
        if day.weekday() != self.weekday:
            return False
        if self.starts_on and day < self.starts_on:
            return False
        return not (self.ends_on and day > self.ends_on)


@dataclass(frozen=True)
class TimeOffSpec:
    """Days (inclusive) when no slots are offered: all day, or between two times each day."""

    first_day: datetime.date
    last_day: datetime.date
    start: datetime.time | None = None
    end: datetime.time | None = None

    def covers(self, day: datetime.date, start: datetime.time, end: datetime.time) -> bool:
        if not self.first_day <= day <= self.last_day:
            return False
        if self.start is None or self.end is None:
            return True
        return _times_overlap(start, end, self.start, self.end)


@dataclass(frozen=True)
class PlannedSlot:
    key: Hashable  # the rule it came from
    starts_at: datetime.datetime  # aware, UTC
    ends_at: datetime.datetime
    walk_in: bool
    local_day: datetime.date


def _times_overlap(a_start, a_end, b_start, b_end) -> bool:
    return a_start < b_end and b_start < a_end


def local_instant(day: datetime.date, moment: datetime.time, zone: ZoneInfo):
    """The UTC instant of a wall-clock time, or None when the clocks skip over it."""
    naive = datetime.datetime.combine(day, moment)
    aware = naive.replace(tzinfo=zone, fold=0)
    instant = aware.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != naive:
        return None
    return instant


def _add_minutes(moment: datetime.time, minutes: int) -> datetime.time | None:
    total = moment.hour * 60 + moment.minute + minutes
    if total >= 24 * 60:
        return None
    return datetime.time(total // 60, total % 60)


def _days(first_day: datetime.date, last_day: datetime.date) -> Iterable[datetime.date]:
    day = first_day
    while day <= last_day:
        yield day
        day += datetime.timedelta(days=1)


def plan_slots(
    rules: Iterable[RuleSpec],
    time_off: Iterable[TimeOffSpec],
    *,
    first_day: datetime.date,
    last_day: datetime.date,
    time_zone: str,
) -> list[PlannedSlot]:
    """Every slot the rules give between two local days, minus time off, in time order.

    A bookable block is cut into `slot_minutes` pieces (a short remainder is dropped); a
    walk-in block is one slot for the whole block.
    """
    zone = ZoneInfo(time_zone)
    rules = list(rules)
    time_off = list(time_off)
    planned: list[PlannedSlot] = []
    seen: set[datetime.datetime] = set()
    for day in _days(first_day, last_day):
        for rule in rules:
            if not rule.applies_on(day):
                continue
            for start, end in _pieces(rule):
                if any(off.covers(day, start, end) for off in time_off):
                    continue
                starts_at = local_instant(day, start, zone)
                if starts_at is None or starts_at in seen:
                    continue
                if rule.walk_in:
                    ends_at = local_instant(day, end, zone) or (
                        datetime.datetime.combine(day, end).replace(tzinfo=zone).astimezone(UTC)
                    )
                else:
                    ends_at = starts_at + datetime.timedelta(minutes=rule.slot_minutes)
                if ends_at <= starts_at:
                    continue
                seen.add(starts_at)
                planned.append(PlannedSlot(rule.key, starts_at, ends_at, rule.walk_in, day))
    planned.sort(key=lambda p: p.starts_at)
    # Around a clock change a slot can run past the next wall-clock start (a 45-minute slot at
    # 00:45 ends at 02:30 when 01:00 becomes 02:00): keep the earlier one, drop what it overlaps.
    kept: list[PlannedSlot] = []
    for slot in planned:
        if kept and slot.starts_at < kept[-1].ends_at:
            continue
        kept.append(slot)
    return kept


def _pieces(rule: RuleSpec) -> list[tuple[datetime.time, datetime.time]]:
    if rule.walk_in:
        return [(rule.start, rule.end)]
    pieces = []
    start = rule.start
    while True:
        end = _add_minutes(start, rule.slot_minutes)
        if end is None or end > rule.end:
            return pieces
        pieces.append((start, end))
        start = end


def overlapping_rule(candidate: RuleSpec, others: Iterable[RuleSpec]) -> RuleSpec | None:
    """The first other rule whose times could coincide with the candidate's, if any."""
    for other in others:
        if other.key == candidate.key:
            continue
        if not _times_overlap(candidate.start, candidate.end, other.start, other.end):
            continue
        if _days_coincide(candidate, other):
            return other
    return None


def _days_coincide(a: RuleSpec, b: RuleSpec) -> bool:
    if not a.weekly and not b.weekly:
        return a.on == b.on
    if not a.weekly:
        return b.applies_on(a.on)
    if not b.weekly:
        return a.applies_on(b.on)
    if a.weekday != b.weekday:
        return False
    latest_start = max(a.starts_on or datetime.date.min, b.starts_on or datetime.date.min)
    earliest_end = min(a.ends_on or datetime.date.max, b.ends_on or datetime.date.max)
    return latest_start <= earliest_end


def describe(rule: RuleSpec) -> str:
    """Plain words for a rule, e.g. "Mondays 10:00–12:00" or "Tuesday 4 March 14:00–15:00"."""
    times = f"{rule.start:%H:%M}–{rule.end:%H:%M}"
    if rule.weekly:
        return f"{WEEKDAYS[rule.weekday]}s {times}"
    return f"{WEEKDAYS[rule.on.weekday()]} {rule.on.day} {rule.on:%B} {times}"


def estimate_wait_minutes(
    *,
    ahead: int,
    per_person_minutes: float,
    minutes_since_last_call: float | None,
    minutes_until_start: float = 0,
) -> int:
    """Minutes until it is probably this person's turn.

    Everyone ahead takes `per_person_minutes`; the person being seen now (if any) has the rest
    of their time left. Before the block starts, the wait runs from its start.
    """
    if minutes_until_start > 0:
        return round(minutes_until_start + ahead * per_person_minutes)
    current = 0.0
    if minutes_since_last_call is not None:
        current = max(0.0, per_person_minutes - minutes_since_last_call)
    return round(current + ahead * per_person_minutes)


def per_person_minutes(call_times: list[datetime.datetime], default: float) -> float:
    """Average time between calls in this block so far, or the supporter's own estimate."""
    if len(call_times) < 3:
        return float(default)
    ordered = sorted(call_times)
    gaps = [(b - a).total_seconds() / 60 for a, b in zip(ordered, ordered[1:], strict=False)]
    observed = sum(gaps) / len(gaps)
    # Keep the estimate sensible if a supporter calls people very fast or takes a long break.
    return min(max(observed, default / 2), default * 2)
