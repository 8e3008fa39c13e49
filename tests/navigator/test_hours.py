import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kindred.navigator.hours import (
    HoursError,
    describe_hours,
    format_hours,
    is_open,
    open_outside_working_hours,
    parse_hours,
)

MONDAY = datetime.date(2026, 11, 23)


def at(day: int, hhmm: str) -> datetime.datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return datetime.datetime.combine(
        MONDAY + datetime.timedelta(days=day), datetime.time(hours, minutes)
    )


def test_it_reads_days_and_times():
    assert parse_hours("Mon-Fri 09:00-17:00; Sat 10:00-13:00") == [
        [0, "09:00", "17:00"],
        [1, "09:00", "17:00"],
        [2, "09:00", "17:00"],
        [3, "09:00", "17:00"],
        [4, "09:00", "17:00"],
        [5, "10:00", "13:00"],
    ]


def test_blank_means_no_published_hours():
    assert parse_hours("  ") == []
    assert format_hours([]) == ""


def test_247_is_open_every_minute():
    periods = parse_hours("24/7")
    assert format_hours(periods) == "24/7"
    assert describe_hours(periods) == "Open 24 hours, every day"
    assert is_open(periods, at(6, "23:59"))
    assert is_open(periods, at(0, "00:00"))


def test_a_late_night_line_is_open_after_midnight_on_the_next_day():
    periods = parse_hours("Mon 20:00-02:00")
    assert is_open(periods, at(0, "23:30"))
    assert is_open(periods, at(1, "01:59"))
    assert not is_open(periods, at(1, "02:00"))
    assert not is_open(periods, at(0, "19:59"))


def test_sunday_late_night_runs_into_monday():
    periods = parse_hours("Sun 22:00-01:00")
    assert is_open(periods, at(7, "00:30"))  # the next Monday


def test_split_hours_in_one_day():
    periods = parse_hours("Mon-Thu 09:00-12:00, 13:00-17:00")
    assert is_open(periods, at(0, "11:59"))
    assert not is_open(periods, at(0, "12:30"))
    assert format_hours(periods) == "Mon-Thu 09:00-12:00, 13:00-17:00"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("Mon-Fri 9am-5pm", "is not a time"),
        ("Funday 09:00-17:00", "is not a day"),
        ("Mon-Fri", "needs days and times"),
        ("Mon 09:00", "needs an opening and a closing time"),
        ("Mon 25:00-26:00", "is not a time"),
        ("Mon 09:00-09:00", "opens and closes at the same time"),
        ("Mon 24:00-02:00", "cannot open at 24:00"),
    ],
)
def test_it_explains_what_is_wrong(text, says):
    with pytest.raises(HoursError, match=says):
        parse_hours(text)


def test_working_hours_only_is_not_outside_working_hours():
    assert not open_outside_working_hours(parse_hours("Mon-Fri 09:00-17:00"))
    assert open_outside_working_hours(parse_hours("Mon-Fri 09:00-19:00"))
    assert open_outside_working_hours(parse_hours("Sat 10:00-12:00"))
    assert open_outside_working_hours(parse_hours("Mon 20:00-01:00"))


times = st.integers(min_value=0, max_value=23 * 60 + 59).map(
    lambda m: f"{m // 60:02d}:{m % 60:02d}"
)
periods = st.lists(
    st.tuples(st.integers(0, 6), times, times).filter(lambda p: p[1] != p[2]),
    max_size=10,
).map(lambda items: sorted({(d, o, c) for d, o, c in items}))


@given(periods)
def test_the_text_form_reads_back_to_the_same_hours(items):
    structured = sorted([list(p) for p in items])
    assert parse_hours(format_hours(structured)) == structured
