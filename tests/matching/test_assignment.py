"""`assign` and its baselines: unit cases, then hypothesis properties against brute force."""

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kindred.matching import (
    Request,
    Supporter,
    assign,
    flow,
    greedy_assign,
    ineligibility,
    propose,
    score,
    shortlist,
    stable_assign,
    total_score,
)
from kindred.matching.pairs import pair_table
from kindred.matching.scoring import RequestFit
from tests.matching.builders import a_supporter, alice_asks, milli, requests, supporters

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def pairs_of(proposals) -> list[tuple[int, int]]:
    return [(p.request_id, p.supporter_id) for p in proposals]


@contextmanager
def pricing_in_rounds(*, first: int) -> Iterator[list]:
    """Force pricing in rounds from `first` pairs per group, one more per round; yield the
    prices each round found (None for a round whose optimality could not be certified)."""
    found: list = []
    real = flow._prices

    def spy(*args):
        found.append(real(*args))
        return found[-1]

    with (
        mock.patch.object(flow, "DIRECT_PAIRS", 0),
        mock.patch.object(flow, "MOST_DIRECT_PAIRS", 0),
        mock.patch.object(flow, "FIRST_PAIRS_PER_GROUP", first),
        mock.patch.object(flow, "PAIRS_ADDED_PER_GROUP", 1),
        mock.patch.object(flow, "_prices", spy),
    ):
        yield found


# Unit cases


def test_under_scarcity_a_today_request_is_matched_before_a_better_fitting_one():
    sam = a_supporter(id=10, capacity=1, topics=frozenset({"exams"}), available_today=False)
    today = alice_asks(id=1, urgency="today", topics=frozenset({"burnout"}), difficult=True)
    this_week = alice_asks(
        id=2, member_id=2, topics=frozenset({"exams"}), languages=frozenset({"English"})
    )
    assert pairs_of(assign([this_week, today], [sam])) == [(1, 10)]


def test_between_equal_requests_the_one_waiting_longer_is_matched():
    sam = a_supporter(capacity=1)
    first = alice_asks(id=1, waited_minutes=30)
    second = alice_asks(id=2, member_id=2, waited_minutes=300)
    assert pairs_of(assign([first, second], [sam])) == [(2, 10)]


def test_assign_fills_only_the_free_places():
    sam = a_supporter(capacity=3, open_conversations=1)
    backlog = [alice_asks(id=i, member_id=i) for i in range(1, 6)]
    assert len(assign(backlog, [sam])) == 2


def test_assign_finds_the_pairing_greedy_misses():
    # Greedy lets the urgent request take sam, stranding the request only sam can help.
    sam = a_supporter(id=10, capacity=1, topics=frozenset({"exams", "burnout"}))
    tom = a_supporter(id=11, capacity=1, topics=frozenset({"exams"}), languages=frozenset())
    urgent = alice_asks(id=1, urgency="today", topics=frozenset({"exams"}))
    burnout = alice_asks(
        id=2,
        member_id=2,
        topics=frozenset({"burnout"}),
        excluded_supporter_ids=frozenset({11}),
    )
    assert pairs_of(greedy_assign([urgent, burnout], [sam, tom])) == [(1, 10)]
    assert pairs_of(assign([urgent, burnout], [sam, tom])) == [(1, 11), (2, 10)]


def test_assign_keeps_to_the_listed_candidates():
    sam, tom = a_supporter(id=10), a_supporter(id=11, topics=frozenset())
    assert pairs_of(assign([alice_asks()], [sam, tom], candidates={1: [11]})) == [(1, 11)]


def test_a_request_missing_from_candidates_may_have_anyone_eligible():
    sam = a_supporter(id=10)
    backlog = [alice_asks(id=1), alice_asks(id=2, member_id=2)]
    assert pairs_of(assign(backlog, [sam], candidates={1: []})) == [(2, 10)]


def test_candidates_who_cannot_take_anyone_are_ignored():
    resting = a_supporter(id=10, available=False)
    assert assign([alice_asks()], [resting], candidates={1: [10, 10, 404]}) == []


@pytest.mark.parametrize("far", [20, 10**12])
def test_candidates_are_found_whether_ids_are_close_together_or_far_apart(far):
    sam, tom = a_supporter(id=10), a_supporter(id=far, recent_load=9)
    backlog = [alice_asks(id=1), alice_asks(id=2, member_id=2), alice_asks(id=3, member_id=3)]
    candidates = {1: [far, 7], 2: [10, far, 10], 3: [far + 1]}
    assert pairs_of(assign(backlog, [sam, tom], candidates=candidates)) == [(1, far), (2, 10)]


def test_assigned_pairs_carry_the_score_and_reasons_of_score():
    sam = a_supporter(recent_load=1)
    request = alice_asks(urgency="today", languages=frozenset({"English"}))
    (proposal,) = assign([request], [sam])
    assert (proposal.score, proposal.reasons) == score(request, sam)


def test_assign_refuses_repeated_ids():
    with pytest.raises(ValueError, match="unique"):
        assign([alice_asks(id=1), alice_asks(id=1)], [a_supporter()])
    with pytest.raises(ValueError, match="unique"):
        assign([alice_asks()], [a_supporter(id=10), a_supporter(id=10)])


def test_nothing_to_assign_gives_nothing():
    assert assign([], [a_supporter()]) == []
    assert assign([alice_asks()], []) == []
    assert greedy_assign([], []) == stable_assign([], []) == []


def test_shortlist_ranks_as_propose_does():
    people = [a_supporter(id=i, recent_load=(i * 7) % 5) for i in range(10, 20)]
    people.append(a_supporter(id=30, available=False))
    backlog = [alice_asks(id=1), alice_asks(id=2, member_id=2, topics=frozenset({"burnout"}))]
    lists = shortlist(backlog, people, per_request=4)
    for request in backlog:
        expected = [p.supporter_id for p in propose(request, people, limit=4)]
        assert lists[request.id] == expected


def test_pricing_in_rounds_reaches_the_same_optimum_as_one_big_solve():
    rng = np.random.default_rng(3)
    people = [
        a_supporter(
            id=i,
            topics=frozenset(rng.choice(["exams", "burnout", "money"], 2)),
            capacity=int(rng.integers(1, 4)),
            recent_load=float(rng.integers(0, 8)),
        )
        for i in range(1, 31)
    ]
    backlog = [
        alice_asks(
            id=j,
            member_id=1000 + j,
            topics=frozenset({str(rng.choice(["exams", "burnout", "money"]))}),
            urgency=str(rng.choice(["today", "this_week", "no_rush"])),
            waited_minutes=int(rng.integers(0, 600)),
        )
        for j in range(1, 121)
    ]
    whole = milli(assign(backlog, people))
    with pricing_in_rounds(first=1) as rounds:
        assert milli(assign(backlog, people)) == whole
    assert len(rounds) > 1
    assert all(prices is not None for prices in rounds)


# Properties


def brute_force_best(backlog: list[Request], people: list[Supporter]) -> int:
    """The highest total in milli-points over every possible assignment."""
    fits = [RequestFit(r) for r in backlog]
    options = [
        [(i, fit.points(s)) for i, s in enumerate(people) if fit.ineligibility(s) is None]
        for fit in fits
    ]
    left = [s.free_slots for s in people]

    def best(at: int) -> int:
        if at == len(backlog):
            return 0
        top = best(at + 1)  # this request unmatched
        for i, points in options[at]:
            if left[i]:
                left[i] -= 1
                top = max(top, points + best(at + 1))
                left[i] += 1
        return top

    return best(0)


def check_valid(proposals, backlog: list[Request], people: list[Supporter]) -> None:
    by_request = {r.id: r for r in backlog}
    by_supporter = {s.id: s for s in people}
    assert len({p.request_id for p in proposals}) == len(proposals)
    for p in proposals:
        request, supporter = by_request[p.request_id], by_supporter[p.supporter_id]
        assert ineligibility(request, supporter) is None
        assert (p.score, p.reasons) == score(request, supporter)
    for supporter_id, taken in Counter(p.supporter_id for p in proposals).items():
        assert taken <= by_supporter[supporter_id].free_slots


@PROPERTY
@given(requests(), supporters(), st.booleans())
def test_assign_never_breaks_a_hard_rule_or_a_capacity_nor_matches_a_request_twice(
    backlog, people, limited
):
    candidates = None
    if limited:
        candidates = {r.id: [s.id for s in people if (s.id + r.id) % 2] for r in backlog}
    proposals = assign(backlog, people, candidates=candidates)
    check_valid(proposals, backlog, people)
    if candidates is not None:
        assert all(p.supporter_id in candidates[p.request_id] for p in proposals)


@PROPERTY
@given(requests(), supporters())
def test_assign_is_never_worse_than_the_baselines_which_keep_the_rules_too(backlog, people):
    greedy, stable = greedy_assign(backlog, people), stable_assign(backlog, people)
    check_valid(greedy, backlog, people)
    check_valid(stable, backlog, people)
    best = total_score(assign(backlog, people))
    assert best >= total_score(greedy) - 1e-6
    assert best >= total_score(stable) - 1e-6


@PROPERTY
@given(requests(most=4), supporters(most=3))
def test_assign_matches_the_brute_force_optimum(backlog, people):
    assert milli(assign(backlog, people)) == brute_force_best(backlog, people)


@settings(max_examples=30, deadline=None)
@given(requests(most=5), supporters(most=4), st.integers(min_value=1, max_value=2))
def test_pricing_in_rounds_matches_the_brute_force_optimum(backlog, people, first):
    with pricing_in_rounds(first=first) as rounds:
        assert milli(assign(backlog, people)) == brute_force_best(backlog, people)
    assert all(prices is not None for prices in rounds)


@PROPERTY
@given(requests(), supporters())
def test_the_stable_baseline_leaves_no_blocking_pair(backlog, people):
    proposals = stable_assign(backlog, people)
    held = {p.request_id: p.score for p in proposals}
    by_supporter: dict[int, list[float]] = {}
    for p in proposals:
        by_supporter.setdefault(p.supporter_id, []).append(p.score)
    for request in backlog:
        for supporter in people:
            if ineligibility(request, supporter) is not None:
                continue
            value = score(request, supporter)[0]
            if value <= held.get(request.id, 0):
                continue  # the request prefers what it holds
            taken = by_supporter.get(supporter.id, [])
            # Otherwise the supporter must be full of people they like at least as much.
            assert len(taken) == supporter.free_slots
            assert min(taken) >= value


@PROPERTY
@given(requests(), supporters(), st.booleans())
def test_bulk_scoring_agrees_with_score_pair_by_pair(backlog, people, limited):
    candidates = {r.id: [s.id for s in people] for r in backlog} if limited else None
    table = pair_table(backlog, people, candidates)
    found = {}
    for row, request in enumerate(table.backlog.requests):
        for index in range(table.starts[row], table.starts[row + 1]):
            supporter = table.backlog.supporters[table.cols[index]]
            found[request.id, supporter.id] = int(table.points[index])
    expected = {
        (r.id, s.id): RequestFit(r).points(s)
        for r in backlog
        for s in people
        if ineligibility(r, s) is None
    }
    assert found == expected


def test_bulk_scoring_handles_more_topics_and_schools_than_fit_in_one_word():
    topics = [f"topic-{i}" for i in range(150)]
    schools = list(range(100, 230))
    people = [
        a_supporter(id=i, organisation_id=schools[i], topics=frozenset(topics[i : i + 3]))
        for i in range(0, 120, 7)
    ]
    backlog = [
        alice_asks(
            id=j,
            member_id=1000 + j,
            topics=frozenset(topics[j : j + 2]),
            allowed_organisation_ids=frozenset(schools[j : j + 60]),
        )
        for j in range(1, 100, 3)
    ]
    table = pair_table(backlog, people)
    found = {
        (table.backlog.requests[row].id, table.backlog.supporters[table.cols[index]].id): int(
            table.points[index]
        )
        for row in range(len(backlog))
        for index in range(table.starts[row], table.starts[row + 1])
    }
    expected = {
        (r.id, s.id): RequestFit(r).points(s)
        for r in backlog
        for s in people
        if ineligibility(r, s) is None
    }
    assert found == expected
    assert len(expected) > 20
