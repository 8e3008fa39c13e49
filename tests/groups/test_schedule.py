"""The plain-Python core: weekly times across clock changes, rescheduling, overlaps, ranking
and the thresholds that keep small numbers hidden."""

import datetime
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from kindred.groups import schedule

LONDON = ZoneInfo("Europe/London")
UTC = datetime.UTC


def test_sessions_keep_their_local_time_across_the_clock_change():
    starts = schedule.weekly_starts(
        first_day=datetime.date(2026, 10, 13),
        weekday=1,
        at=datetime.time(18, 30),
        count=3,
        zone=LONDON,
    )
    local = [s.astimezone(LONDON) for s in starts]
    assert [d.date() for d in local] == [
        datetime.date(2026, 10, 13),
        datetime.date(2026, 10, 20),
        datetime.date(2026, 10, 27),
    ]
    assert {d.time() for d in local} == {datetime.time(18, 30)}
    assert starts[1].hour == 17 and starts[2].hour == 18  # BST, then GMT, in UTC


def test_the_first_session_is_on_the_chosen_day_on_or_after_the_start_date():
    starts = schedule.weekly_starts(
        first_day=datetime.date(2026, 3, 4), weekday=1, at=datetime.time(9), count=1, zone=LONDON
    )
    assert starts[0].astimezone(LONDON).date() == datetime.date(2026, 3, 10)


def test_rescheduling_keeps_held_sessions_and_moves_the_rest():
    current = schedule.weekly_starts(
        first_day=datetime.date(2026, 3, 3), weekday=1, at=datetime.time(18), count=4, zone=LONDON
    )
    now = current[1] + datetime.timedelta(hours=3)  # two held
    moved = schedule.rescheduled_starts(
        current=current,
        now=now,
        first_day=datetime.date(2026, 3, 3),
        weekday=3,
        at=datetime.time(12),
        count=4,
        zone=LONDON,
    )
    assert moved[:2] == current[:2]
    assert [m.astimezone(LONDON).date() for m in moved[2:]] == [
        datetime.date(2026, 3, 12),
        datetime.date(2026, 3, 19),
    ]
    assert all(m > now for m in moved[2:])


@given(
    first=st.dates(min_value=datetime.date(2025, 1, 1), max_value=datetime.date(2030, 1, 1)),
    weekday=st.integers(0, 6),
    hour=st.integers(0, 23),
    count=st.integers(1, 20),
    held=st.integers(0, 20),
    new_weekday=st.integers(0, 6),
    new_hour=st.integers(0, 23),
)
def test_rescheduled_sessions_are_in_order_and_never_moved_into_the_past(
    first, weekday, hour, count, held, new_weekday, new_hour
):
    current = schedule.weekly_starts(
        first_day=first, weekday=weekday, at=datetime.time(hour), count=count, zone=LONDON
    )
    held = min(held, count)
    if held:
        now = current[held - 1] + datetime.timedelta(minutes=1)
    else:
        now = current[0] - datetime.timedelta(days=30)
    moved = schedule.rescheduled_starts(
        current=current,
        now=now,
        first_day=first,
        weekday=new_weekday,
        at=datetime.time(new_hour),
        count=count,
        zone=LONDON,
    )
    assert len(moved) == count
    assert moved == sorted(moved)
    assert moved[:held] == current[:held]
    assert all(m > now for m in moved[held:])


def _span(key, start_hour, end_hour, day=1):
    base = datetime.datetime(2026, 3, day, tzinfo=UTC)
    return schedule.Span(
        key, base + datetime.timedelta(hours=start_hour), base + datetime.timedelta(hours=end_hour)
    )


def test_overlapping_pairs_are_found_and_touching_is_fine():
    mine = [_span("a", 18, 20), _span("b", 18, 20, day=8)]
    theirs = [_span("x", 19, 21), _span("y", 20, 22, day=8), _span("z", 9, 10)]
    pairs = schedule.overlapping(mine, theirs)
    assert [(a.key, b.key) for a, b in pairs] == [("a", "x")]


spans = st.lists(
    st.tuples(st.integers(0, 500), st.integers(1, 50)).map(
        lambda t: schedule.Span(
            t,
            datetime.datetime(2026, 1, 1, tzinfo=UTC) + datetime.timedelta(hours=t[0]),
            datetime.datetime(2026, 1, 1, tzinfo=UTC) + datetime.timedelta(hours=t[0] + t[1]),
        )
    ),
    max_size=15,
)


@given(spans, spans)
def test_overlapping_agrees_with_checking_every_pair(mine, theirs):
    expected = {
        (a.key, b.key)
        for a in mine
        for b in theirs
        if a.starts_at < b.ends_at and b.starts_at < a.ends_at
    }
    assert {(a.key, b.key) for a, b in schedule.overlapping(mine, theirs)} == expected


def test_topics_rank_by_votes_then_by_who_suggested_first():
    tallies = [
        schedule.Tally(key=1, votes=2, order=1),
        schedule.Tally(key=2, votes=5, order=2),
        schedule.Tally(key=3, votes=2, order=0),
    ]
    assert [t.key for t in schedule.ranked(tallies)] == [2, 3, 1]


def test_a_facilitator_sees_feedback_only_from_five_answers():
    assert not schedule.feedback_shown(4)
    assert schedule.feedback_shown(5)


@given(st.integers(0, 200), st.integers(0, 200))
def test_a_rate_never_rests_on_fewer_than_ten_people(numerator, denominator):
    shown = schedule.rate(min(numerator, denominator), denominator)
    if shown is not None:
        assert denominator >= 10
        assert min(numerator, denominator) == 0 or min(numerator, denominator) >= 10


def test_a_rate_reads_as_a_percentage():
    assert schedule.rate(15, 20) == "75%"
    assert schedule.rate(0, 12) == "0%"
    assert schedule.rate(9, 20) is None
    assert schedule.rate(9, 9) is None
