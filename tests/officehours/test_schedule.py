"""The scheduling core (plain Python): rules to slots across daylight saving, overlaps, waits."""

import datetime
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from kindred.officehours.schedule import (
    RuleSpec,
    TimeOffSpec,
    describe,
    estimate_wait_minutes,
    overlapping_rule,
    per_person_minutes,
    plan_slots,
)

D, T = datetime.date, datetime.time
UTC = datetime.UTC
MONDAY = 0


def utc(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def weekly(weekday, start, end, minutes=30, key=1, **more):
    return RuleSpec(key=key, start=start, end=end, slot_minutes=minutes, weekday=weekday, **more)


def starts(slots):
    return [s.starts_at for s in slots]


def test_a_weekly_block_is_cut_into_slots_and_a_short_remainder_is_dropped():
    rule = weekly(MONDAY, T(10, 0), T(11, 40), minutes=30)
    slots = plan_slots(
        [rule], [], first_day=D(2026, 1, 5), last_day=D(2026, 1, 5), time_zone="Europe/London"
    )
    assert starts(slots) == [utc(2026, 1, 5, 10, 0), utc(2026, 1, 5, 10, 30), utc(2026, 1, 5, 11)]
    assert all(s.ends_at - s.starts_at == datetime.timedelta(minutes=30) for s in slots)


def test_london_slots_keep_their_wall_clock_time_when_the_clocks_go_forward():
    # British Summer Time starts on Sunday 29 March 2026.
    rule = weekly(MONDAY, T(10, 0), T(10, 30))
    slots = plan_slots(
        [rule], [], first_day=D(2026, 3, 23), last_day=D(2026, 3, 30), time_zone="Europe/London"
    )
    assert starts(slots) == [utc(2026, 3, 23, 10, 0), utc(2026, 3, 30, 9, 0)]
    london = ZoneInfo("Europe/London")
    assert {s.starts_at.astimezone(london).time() for s in slots} == {T(10, 0)}


def test_london_slots_keep_their_wall_clock_time_when_the_clocks_go_back():
    # British Summer Time ends on Sunday 25 October 2026.
    rule = weekly(MONDAY, T(10, 0), T(10, 30))
    slots = plan_slots(
        [rule], [], first_day=D(2026, 10, 19), last_day=D(2026, 10, 26), time_zone="Europe/London"
    )
    assert starts(slots) == [utc(2026, 10, 19, 9, 0), utc(2026, 10, 26, 10, 0)]


def test_new_york_slots_keep_their_wall_clock_time_across_both_changes():
    # US daylight saving: 8 March to 1 November 2026.
    rule = weekly(4, T(9, 0), T(9, 30))  # Fridays
    spring = plan_slots(
        [rule], [], first_day=D(2026, 3, 6), last_day=D(2026, 3, 13), time_zone="America/New_York"
    )
    autumn = plan_slots(
        [rule], [], first_day=D(2026, 10, 30), last_day=D(2026, 11, 6), time_zone="America/New_York"
    )
    assert starts(spring) == [utc(2026, 3, 6, 14, 0), utc(2026, 3, 13, 13, 0)]
    assert starts(autumn) == [utc(2026, 10, 30, 13, 0), utc(2026, 11, 6, 14, 0)]


def test_the_weeks_when_london_and_new_york_disagree_are_each_right():
    # 9-27 March 2026: New York has moved its clocks, London has not.
    rule = weekly(2, T(12, 0), T(12, 30))  # Wednesdays
    london = plan_slots(
        [rule], [], first_day=D(2026, 3, 11), last_day=D(2026, 3, 11), time_zone="Europe/London"
    )
    new_york = plan_slots(
        [rule], [], first_day=D(2026, 3, 11), last_day=D(2026, 3, 11), time_zone="America/New_York"
    )
    assert starts(london) == [utc(2026, 3, 11, 12, 0)]
    assert starts(new_york) == [utc(2026, 3, 11, 16, 0)]


def test_wall_times_skipped_by_the_clocks_going_forward_are_not_offered():
    # In London 01:00-01:59 on 29 March 2026 does not exist.
    rule = weekly(6, T(0, 30), T(3, 0))  # Sundays
    slots = plan_slots(
        [rule], [], first_day=D(2026, 3, 29), last_day=D(2026, 3, 29), time_zone="Europe/London"
    )
    london = ZoneInfo("Europe/London")
    assert [s.starts_at.astimezone(london).time() for s in slots] == [
        T(0, 30),
        T(2, 0),
        T(2, 30),
    ]
    assert all(a.ends_at <= b.starts_at for a, b in zip(slots, slots[1:], strict=False))


def test_a_slot_that_runs_over_the_clock_change_is_not_overlapped_by_the_next():
    # 00:45 GMT + 45 minutes is 02:30 BST, so the 02:15 BST slot would overlap it.
    rule = weekly(6, T(0, 0), T(4, 0), minutes=45)
    slots = plan_slots(
        [rule], [], first_day=D(2026, 3, 29), last_day=D(2026, 3, 29), time_zone="Europe/London"
    )
    assert all(a.ends_at <= b.starts_at for a, b in zip(slots, slots[1:], strict=False))
    london = ZoneInfo("Europe/London")
    assert [s.starts_at.astimezone(london).time() for s in slots] == [T(0, 0), T(0, 45), T(3, 0)]


def test_wall_times_that_happen_twice_when_the_clocks_go_back_are_offered_once():
    # In London 01:00-01:59 on 25 October 2026 happens twice.
    rule = weekly(6, T(0, 30), T(3, 0))
    slots = plan_slots(
        [rule], [], first_day=D(2026, 10, 25), last_day=D(2026, 10, 25), time_zone="Europe/London"
    )
    assert starts(slots) == [
        utc(2026, 10, 24, 23, 30),  # 00:30 BST
        utc(2026, 10, 25, 0, 0),  # 01:00 BST, the first time round
        utc(2026, 10, 25, 0, 30),  # 01:30 BST
        utc(2026, 10, 25, 2, 0),  # 02:00 GMT
        utc(2026, 10, 25, 2, 30),
    ]
    assert all(a.ends_at <= b.starts_at for a, b in zip(slots, slots[1:], strict=False))


def test_a_walk_in_block_is_one_slot_for_the_whole_block():
    rule = weekly(MONDAY, T(12, 30), T(14, 0), minutes=15, walk_in=True)
    [block] = plan_slots(
        [rule], [], first_day=D(2026, 1, 5), last_day=D(2026, 1, 5), time_zone="Europe/London"
    )
    assert block.walk_in
    assert (block.starts_at, block.ends_at) == (utc(2026, 1, 5, 12, 30), utc(2026, 1, 5, 14, 0))


def test_time_off_removes_whole_days_or_the_hours_it_covers():
    rule = weekly(MONDAY, T(10, 0), T(12, 0), minutes=60)
    holiday = TimeOffSpec(D(2026, 1, 5), D(2026, 1, 5))
    morning = TimeOffSpec(D(2026, 1, 12), D(2026, 1, 12), T(9, 0), T(10, 30))
    slots = plan_slots(
        [rule],
        [holiday, morning],
        first_day=D(2026, 1, 5),
        last_day=D(2026, 1, 19),
        time_zone="Europe/London",
    )
    assert starts(slots) == [
        utc(2026, 1, 12, 11, 0),
        utc(2026, 1, 19, 10, 0),
        utc(2026, 1, 19, 11, 0),
    ]


def test_a_one_off_session_happens_only_on_its_date_and_weekly_rules_respect_their_dates():
    once = RuleSpec(key=1, start=T(18, 0), end=T(19, 0), slot_minutes=60, on=D(2026, 1, 7))
    bounded = weekly(
        MONDAY, T(10, 0), T(11, 0), 60, key=2, starts_on=D(2026, 1, 12), ends_on=D(2026, 1, 19)
    )
    slots = plan_slots(
        [once, bounded],
        [],
        first_day=D(2026, 1, 1),
        last_day=D(2026, 1, 31),
        time_zone="Europe/London",
    )
    assert starts(slots) == [
        utc(2026, 1, 7, 18, 0),
        utc(2026, 1, 12, 10, 0),
        utc(2026, 1, 19, 10, 0),
    ]


def test_overlapping_rules_are_found_and_adjacent_ones_are_not():
    mondays = weekly(MONDAY, T(10, 0), T(12, 0), key="a")
    assert overlapping_rule(weekly(MONDAY, T(11, 0), T(13, 0), key="b"), [mondays]) == mondays
    assert overlapping_rule(weekly(MONDAY, T(12, 0), T(13, 0), key="b"), [mondays]) is None
    assert overlapping_rule(weekly(1, T(10, 0), T(12, 0), key="b"), [mondays]) is None


def test_weekly_rules_with_separate_dates_do_not_overlap():
    spring = weekly(MONDAY, T(10, 0), T(12, 0), key="a", ends_on=D(2026, 3, 30))
    summer = weekly(MONDAY, T(10, 0), T(12, 0), key="b", starts_on=D(2026, 4, 6))
    assert overlapping_rule(summer, [spring]) is None
    assert overlapping_rule(weekly(MONDAY, T(10, 0), T(11, 0), key="c"), [spring]) == spring


def test_a_one_off_session_overlaps_a_weekly_rule_only_on_that_weekday():
    mondays = weekly(MONDAY, T(10, 0), T(12, 0), key="a")
    on_a_monday = RuleSpec("b", T(11, 0), T(12, 0), 30, on=D(2026, 1, 5))
    on_a_tuesday = RuleSpec("c", T(11, 0), T(12, 0), 30, on=D(2026, 1, 6))
    assert overlapping_rule(on_a_monday, [mondays]) == mondays
    assert overlapping_rule(on_a_tuesday, [mondays]) is None
    assert overlapping_rule(
        RuleSpec("d", T(11, 30), T(13, 0), 30, on=D(2026, 1, 6)), [on_a_tuesday]
    )


def test_rules_are_described_in_plain_words():
    assert describe(weekly(MONDAY, T(10, 0), T(12, 0))) == "Mondays 10:00–12:00"
    assert describe(RuleSpec(1, T(14, 0), T(15, 0), 30, on=D(2026, 3, 3))) == (
        "Tuesday 3 March 14:00–15:00"
    )


def test_the_wait_counts_everyone_ahead_and_the_rest_of_the_current_person():
    assert estimate_wait_minutes(ahead=0, per_person_minutes=15, minutes_since_last_call=None) == 0
    assert estimate_wait_minutes(ahead=2, per_person_minutes=15, minutes_since_last_call=5) == 40
    assert estimate_wait_minutes(ahead=2, per_person_minutes=15, minutes_since_last_call=30) == 30
    assert (
        estimate_wait_minutes(
            ahead=1, per_person_minutes=15, minutes_since_last_call=None, minutes_until_start=10
        )
        == 25
    )


def test_the_time_per_person_learns_from_calls_but_stays_sensible():
    start = utc(2026, 1, 5, 12, 30)
    every_20 = [start + datetime.timedelta(minutes=20 * i) for i in range(4)]
    assert per_person_minutes(every_20[:2], default=15) == 15  # too few calls to learn from
    assert per_person_minutes(every_20, default=15) == 20
    every_2 = [start + datetime.timedelta(minutes=2 * i) for i in range(4)]
    assert per_person_minutes(every_2, default=15) == 7.5


ZONES = ["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata"]
times = st.integers(min_value=0, max_value=23 * 4).map(lambda q: T(q // 4, (q % 4) * 15))


@st.composite
def rule_sets(draw):
    rules = []
    for key in range(draw(st.integers(min_value=1, max_value=5))):
        start = draw(times)
        length = draw(st.integers(min_value=1, max_value=16)) * 15
        end_minutes = min(start.hour * 60 + start.minute + length, 23 * 60 + 59)
        end = T(end_minutes // 60, end_minutes % 60)
        if end <= start:
            continue
        candidate = RuleSpec(
            key=key,
            start=start,
            end=end,
            slot_minutes=draw(st.sampled_from([15, 20, 30, 45, 60])),
            walk_in=draw(st.booleans()),
            weekday=draw(st.integers(min_value=0, max_value=6)),
        )
        if overlapping_rule(candidate, rules) is None:
            rules.append(candidate)
    return rules


@settings(max_examples=150, deadline=None)
@given(
    rules=rule_sets(),
    zone=st.sampled_from(ZONES),
    first_day=st.dates(min_value=D(2025, 1, 1), max_value=D(2027, 12, 1)),
)
def test_slots_from_non_overlapping_rules_never_overlap_and_start_on_their_wall_time(
    rules, zone, first_day
):
    slots = plan_slots(
        rules,
        [],
        first_day=first_day,
        last_day=first_day + datetime.timedelta(days=20),
        time_zone=zone,
    )
    local = ZoneInfo(zone)
    by_key = {r.key: r for r in rules}
    for earlier, later in zip(slots, slots[1:], strict=False):
        assert earlier.ends_at <= later.starts_at
    for slot in slots:
        rule = by_key[slot.key]
        wall = slot.starts_at.astimezone(local)
        assert wall.date() == slot.local_day
        assert rule.applies_on(wall.date())
        assert rule.start <= wall.time() < rule.end
        if not rule.walk_in:
            assert slot.ends_at - slot.starts_at == datetime.timedelta(minutes=rule.slot_minutes)
