"""Series dates and check-in codes: plain Python, no database."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from kindred.events import schedule

WED = 2


def test_a_fortnightly_series_meets_every_other_wednesday():
    dates = schedule.series_dates(
        starts_on=datetime.date(2027, 1, 4), weekday=WED, interval_weeks=2, count=3
    )
    assert dates.days == [
        datetime.date(2027, 1, 6),
        datetime.date(2027, 1, 20),
        datetime.date(2027, 2, 3),
    ]
    assert dates.skipped == []


def test_a_week_with_exams_is_skipped_and_the_series_still_has_its_number_of_events():
    exams = [(datetime.date(2027, 1, 18), datetime.date(2027, 1, 22))]
    dates = schedule.series_dates(
        starts_on=datetime.date(2027, 1, 4), weekday=WED, interval_weeks=2, count=3, exams=exams
    )
    assert dates.skipped == [datetime.date(2027, 1, 20)]
    assert dates.days == [
        datetime.date(2027, 1, 6),
        datetime.date(2027, 2, 3),
        datetime.date(2027, 2, 17),
    ]


def test_exams_later_in_the_same_week_still_skip_it():
    exams = [(datetime.date(2027, 1, 8), datetime.date(2027, 1, 8))]  # Friday
    dates = schedule.series_dates(
        starts_on=datetime.date(2027, 1, 4), weekday=0, interval_weeks=1, count=2, exams=exams
    )
    assert dates.days == [datetime.date(2027, 1, 11), datetime.date(2027, 1, 18)]


def test_a_series_until_a_date_stops_on_it():
    dates = schedule.series_dates(
        starts_on=datetime.date(2027, 1, 4),
        weekday=WED,
        interval_weeks=1,
        until=datetime.date(2027, 1, 20),
    )
    assert dates.days[-1] == datetime.date(2027, 1, 20)
    assert len(dates.days) == 3


def test_a_typed_code_ignores_case_spaces_and_dashes():
    assert schedule.normalise_code(" ab-c 23k ") == "ABC23K"


def test_codes_use_only_letters_nobody_confuses():
    code = schedule.check_in_code()
    assert len(code) == schedule.CODE_LENGTH
    assert set(code) <= set(schedule.CODE_ALPHABET)
    assert not set(code) & set("01OIL")


@given(
    start=st.dates(min_value=datetime.date(2026, 1, 1), max_value=datetime.date(2030, 1, 1)),
    weekday=st.integers(0, 6),
    every=st.integers(1, 8),
    count=st.integers(1, 30),
    exams=st.lists(
        st.tuples(
            st.dates(min_value=datetime.date(2026, 1, 1), max_value=datetime.date(2031, 1, 1)),
            st.integers(0, 20),
        ),
        max_size=4,
    ),
)
def test_series_dates_keep_the_rhythm_and_never_fall_in_an_exam_week(
    start, weekday, every, count, exams
):
    periods = [(first, first + datetime.timedelta(days=n)) for first, n in exams]
    dates = schedule.series_dates(
        starts_on=start, weekday=weekday, interval_weeks=every, count=count, exams=periods
    )
    every_date = sorted(dates.days + dates.skipped)
    assert len(dates.days) <= count
    assert all(d.weekday() == weekday and d >= start for d in every_date)
    assert all((b - a).days == 7 * every for a, b in zip(every_date, every_date[1:], strict=False))
    assert not any(schedule.in_exam_week(d, periods) for d in dates.days)
    assert all(schedule.in_exam_week(d, periods) for d in dates.skipped)
