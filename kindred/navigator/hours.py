"""Opening hours: a short text syntax, its structured form, and "open now". No Django.

Text, as coordinators type it and import files carry it:
    "24/7"
    "Mon-Fri 09:00-17:00; Sat 10:00-13:00"
    "Every day 08:00-01:00"            (closing before opening means past midnight)
    "Mon-Thu 09:00-12:00, 13:00-17:00"
Structured, as stored: a list of [weekday 0-6, "HH:MM", "HH:MM"], Monday = 0.
"""

import datetime
import re

DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
_DAY_INDEX = {name.lower(): i for i, name in enumerate(DAYS)}
_LONG_DAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
_EVERY_DAY = {"every day", "daily", "mon-sun"}
_TIME = re.compile(r"^([01]?\d|2[0-4])[:.]([0-5]\d)$")
WORKING_DAY_START = 9 * 60
WORKING_DAY_END = 17 * 60
ALWAYS = [[day, "00:00", "24:00"] for day in range(7)]

Periods = list[list]


class HoursError(ValueError):
    """The text could not be read; the message says what to change."""


def _minutes(text: str) -> int:
    match = _TIME.match(text.strip())
    if not match:
        raise HoursError(f"“{text.strip()}” is not a time: write it as 09:00 or 17:30.")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours == 24 and minutes:
        raise HoursError(f"“{text.strip()}” is past midnight: the latest time is 24:00.")
    return hours * 60 + minutes


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _day(text: str) -> int:
    key = text.strip().lower()
    if key in _DAY_INDEX:
        return _DAY_INDEX[key]
    if key in _LONG_DAYS:
        return _LONG_DAYS[key]
    raise HoursError(f"“{text.strip()}” is not a day: use Mon, Tue, Wed, Thu, Fri, Sat or Sun.")


def _days(spec: str) -> list[int]:
    spec = spec.strip().lower().replace("–", "-")
    if spec in _EVERY_DAY:
        return list(range(7))
    if spec in {"weekdays"}:
        return list(range(5))
    if spec in {"weekends"}:
        return [5, 6]
    if "-" in spec:
        first, _, last = spec.partition("-")
        start, end = _day(first), _day(last)
        if end < start:
            return list(range(start, 7)) + list(range(0, end + 1))
        return list(range(start, end + 1))
    return [_day(spec)]


def parse_hours(text: str) -> Periods:
    """Read the text syntax into structured periods; blank means hours are not published."""
    text = (text or "").strip()
    if not text:
        return []
    if text.lower() in {"24/7", "24 hours", "always"}:
        return [list(period) for period in ALWAYS]
    periods: Periods = []
    for entry in re.split(r"[;\n]", text):
        entry = entry.strip().replace("–", "-")
        if not entry:
            continue
        match = re.match(r"^(every day|[a-z]+(?:\s*-\s*[a-z]+)?)\s+(.+)$", entry, re.IGNORECASE)
        if not match:
            raise HoursError(f"“{entry}” needs days and times, for example “Mon-Fri 09:00-17:00”.")
        days = _days(re.sub(r"\s*-\s*", "-", match.group(1)))
        for span in match.group(2).split(","):
            opens_text, sep, closes_text = span.strip().partition("-")
            if not sep:
                raise HoursError(f"“{span.strip()}” needs an opening and a closing time.")
            opens, closes = _minutes(opens_text), _minutes(closes_text)
            if opens == closes:
                raise HoursError(f"“{span.strip()}” opens and closes at the same time.")
            if opens == 24 * 60:
                raise HoursError(f"“{span.strip()}” cannot open at 24:00: write 00:00.")
            for day in days:
                periods.append([day, _hhmm(opens), _hhmm(closes)])
    return sorted(periods)


def _grouped(periods: Periods) -> list[tuple[list[int], str]]:
    """Days sharing the same times, in week order: ([0, 1, 2, 3, 4], "09:00-17:00")."""
    by_day: dict[int, list[str]] = {}
    for day, opens, closes in sorted(periods):
        by_day.setdefault(day, []).append(f"{opens}-{closes}")
    groups: list[tuple[list[int], str]] = []
    for day in range(7):
        if day not in by_day:
            continue
        times = ", ".join(by_day[day])
        if groups and groups[-1][1] == times and groups[-1][0][-1] == day - 1:
            groups[-1][0].append(day)
        else:
            groups.append(([day], times))
    return groups


def _day_span(days: list[int]) -> str:
    if len(days) == 7:
        return "Every day"
    if len(days) == 1:
        return DAYS[days[0]]
    return f"{DAYS[days[0]]}-{DAYS[days[-1]]}"


def format_hours(periods: Periods) -> str:
    """The canonical text form of structured periods (parse_hours reads it back)."""
    if not periods:
        return ""
    if sorted(map(list, periods)) == ALWAYS:
        return "24/7"
    return "; ".join(f"{_day_span(days)} {times}" for days, times in _grouped(periods))


def describe_hours(periods: Periods) -> str:
    """Hours for people to read: "Open 24 hours, every day" or "Mon–Fri 09:00–17:00"."""
    if not periods:
        return ""
    if sorted(map(list, periods)) == ALWAYS:
        return "Open 24 hours, every day"
    return format_hours(periods).replace("-", "–")


def is_open(periods: Periods, moment: datetime.datetime) -> bool:
    """Is the service open at `moment`, a datetime in the service's own time zone?"""
    weekday = moment.weekday()
    now = moment.hour * 60 + moment.minute
    for day, opens_text, closes_text in periods:
        opens, closes = _minutes(opens_text), _minutes(closes_text)
        if closes > opens:
            if day == weekday and opens <= now < closes:
                return True
        else:  # past midnight: the evening on `day`, the small hours of the next day
            if day == weekday and now >= opens:
                return True
            if (day + 1) % 7 == weekday and now < closes:
                return True
    return False


def open_outside_working_hours(periods: Periods) -> bool:
    """Open at weekends, or before 9am or after 5pm on a weekday."""
    for day, opens_text, closes_text in periods:
        opens, closes = _minutes(opens_text), _minutes(closes_text)
        if day >= 5 or closes <= opens:
            return True
        if opens < WORKING_DAY_START or closes > WORKING_DAY_END:
            return True
    return False
