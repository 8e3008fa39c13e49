"""The exact solver behind `assign`: a min-cost flow, shrunk and, if large, priced in rounds.

The backlog is a bipartite b-matching: each request takes at most one supporter, each
supporter at most their free slots, and the total score is to be as high as possible. Every
pair's score is the request's own part (base, urgency, waiting) plus a fit that depends on
what the request asks for and who the supporter is. Three steps keep it exact and fast:

1. Requests that ask for the same thing (the same eligible supporters with the same fits)
   become one node that supplies as many units as there are such requests. Within such a
   group it only matters how many are matched; those with the highest own part go first.
2. A min-cost flow with integer costs (milli-points) is solved by OR-Tools; an optimal
   integer flow is an optimal assignment.
3. When there are many pairs, the flow is first solved on each group's best few pairs.
   Supporter prices are read off that optimum (the LP dual, found as longest paths). Any
   left-out pair that would pay at those prices is added and the flow solved again; when no
   pair would pay, the prices prove by LP duality that no assignment over all pairs is better.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from kindred.matching.pairs import Table, best_per_row

# Up to DIRECT_PAIRS group pairs the flow is solved in one go. Above it, pricing in rounds
# keeps the solver's graph small, and pays off when groups have many more pairs than the
# first round takes; past MOST_DIRECT_PAIRS it is always used (OR-Tools needs about 0.1 GB
# per million arcs).
DIRECT_PAIRS = 400_000
MOST_DIRECT_PAIRS = 3_000_000
ROUNDS_PAY_OFF = 4  # pairs per group, as a multiple of the first round's
FIRST_PAIRS_PER_GROUP = 20
PAIRS_ADDED_PER_GROUP = 10
MOST_ROUNDS = 50
NEVER = -(1 << 50)  # a "no bound yet" far below any score, and safe to add scores to


@dataclass(slots=True)
class Groups:
    """Requests with identical pairs and fits, as one CSR matrix of group pairs."""

    starts: np.ndarray  # group g's pairs are [starts[g], starts[g + 1])
    cols: np.ndarray  # supporter column of each group pair
    fit: np.ndarray  # score minus the request's own part, the same for every member
    members: np.ndarray  # request rows, by group, each group's highest own part first
    member_starts: np.ndarray  # group g's members are [member_starts[g], member_starts[g + 1])
    own: np.ndarray  # the own part (milli-points) of each member, in `members` order
    slots: np.ndarray  # free slots of each supporter column

    @property
    def sizes(self) -> np.ndarray:
        """How many requests each group stands for."""
        return np.diff(self.member_starts)

    @property
    def group_of_pair(self) -> np.ndarray:
        """The group of each group pair."""
        return np.repeat(np.arange(len(self.starts) - 1, dtype=np.int32), np.diff(self.starts))


def groups_of(table: Table, *, merge: bool = True) -> Groups:
    """The table's requests grouped by identical (supporters, fits); merge=False: one each."""
    own = table.backlog.constant
    starts = table.starts.tolist()
    # Scores and fits fit in int32; with ten million pairs every byte per pair counts.
    fit = table.points - np.repeat(own.astype(np.int32), np.diff(table.starts))
    by_key: dict[tuple, list[int]] = {}
    for row in range(len(starts) - 1):
        low, high = starts[row], starts[row + 1]
        if low == high:
            continue  # no eligible supporter: never matched, and nothing to solve
        key = (table.cols[low:high].tobytes(), fit[low:high].tobytes()) if merge else (row,)
        by_key.setdefault(key, []).append(row)
    firsts = np.array([rows[0] for rows in by_key.values()], dtype=np.int64)
    lengths = table.starts[firsts + 1] - table.starts[firsts]
    group_starts = np.zeros(firsts.size + 1, dtype=np.int64)
    np.cumsum(lengths, out=group_starts[1:])
    if group_starts[-1] == table.cols.size:
        cols = table.cols  # nothing merged: every row is its own group, in order
    else:
        take = np.repeat(table.starts[firsts] - group_starts[:-1], lengths)
        take += np.arange(take.size)
        cols, fit = table.cols[take], fit[take]
    ordered = [sorted(rows, key=lambda r: (-int(own[r]), r)) for rows in by_key.values()]
    members = np.array([r for rows in ordered for r in rows], dtype=np.int64)
    member_starts = np.zeros(len(ordered) + 1, dtype=np.int64)
    np.cumsum([len(rows) for rows in ordered], out=member_starts[1:])
    return Groups(
        starts=group_starts,
        cols=cols,
        fit=fit,
        members=members,
        member_starts=member_starts,
        own=own[members],
        slots=table.backlog.slots,
    )


def optimal_pairs(table: Table) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Request rows, supporter columns and milli-points of an assignment of highest total."""
    groups = groups_of(table)
    return _members_matched(groups, _optimal_flows(groups))


def _optimal_flows(groups: Groups) -> np.ndarray:
    """How many of each group's requests go to each of its supporters, at the optimum."""
    everything = np.arange(groups.cols.size, dtype=np.int64)
    pairs, count = groups.cols.size, len(groups.starts) - 1
    few_per_group = pairs < ROUNDS_PAY_OFF * FIRST_PAIRS_PER_GROUP * count
    if pairs <= DIRECT_PAIRS or (few_per_group and pairs <= MOST_DIRECT_PAIRS):
        return _solve(groups, everything)
    group_of_pair = groups.group_of_pair
    # Ties go to the lower column, so the first pairs do not depend on the sort's whims.
    spread = int(groups.cols.max()) + 2

    def by_fit(low: int, high: int) -> np.ndarray:
        return groups.fit[low:high].astype(np.int64) * spread + (spread - 1 - groups.cols[low:high])

    first = best_per_row(groups.starts, by_fit, FIRST_PAIRS_PER_GROUP)
    active = np.sort(first[first >= 0])
    for _ in range(MOST_ROUNDS):
        flows = _solve(groups, active)
        prices = _prices(groups, group_of_pair, active, flows[active])
        if prices is None:
            break
        # A few of the best paying pairs per group move the prices enough; adding every
        # paying pair would rebuild most of the big graph this step exists to avoid.
        gain = _gain(groups, group_of_pair, *prices)
        paying = best_per_row(groups.starts, gain, PAIRS_ADDED_PER_GROUP, floor=0)
        paying = paying[paying >= 0]
        if paying.size == 0:
            return flows
        active = np.union1d(active, paying)
    # Not seen in practice; solving every pair at once is larger but just as exact.
    return _solve(groups, everything)


def _gain(
    groups: Groups, group_of_pair: np.ndarray, price: np.ndarray, level: np.ndarray
) -> Callable[[int, int], np.ndarray]:
    """What each pair would add at these prices: fit − p_s + λ_g (> 0 means it pays)."""

    def gain(low: int, high: int) -> np.ndarray:
        return groups.fit[low:high] - price[groups.cols[low:high]] + level[group_of_pair[low:high]]

    return gain


def _solve(groups: Groups, pairs: np.ndarray) -> np.ndarray:
    """Flows on every group pair (zero outside `pairs`) of a min-cost flow over `pairs`."""
    flows = np.zeros(groups.cols.size, dtype=np.int64)
    if pairs.size == 0:
        return flows
    count, supporters = len(groups.starts) - 1, len(groups.slots)
    sizes = groups.sizes
    sink = count + supporters
    group_of = np.searchsorted(groups.starts, pairs, side="right") - 1
    member_group = np.repeat(np.arange(count), sizes)
    # Each request is one unit of supply at its group, sent through a supporter (earning the
    # fit) or straight to the sink, which costs the request's own part: leaving it unmatched
    # loses that. Same optimum as scoring the whole pair, with smaller costs on pair arcs.
    tails = np.concatenate([group_of, count + np.arange(supporters), member_group])
    heads = np.concatenate(
        [count + groups.cols[pairs], np.full(supporters, sink), np.full(member_group.size, sink)]
    )
    capacities = np.concatenate(
        [
            np.minimum(sizes[group_of], groups.slots[groups.cols[pairs]]),
            groups.slots,
            np.ones(member_group.size, dtype=np.int64),
        ]
    )
    costs = np.concatenate([-groups.fit[pairs], np.zeros(supporters, np.int64), groups.own])
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[:count] = sizes
    supplies[sink] = -member_group.size
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), capacities, costs
    )
    solver.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
    status = solver.solve()
    if status != solver.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed: {status}")
    flows[pairs] = solver.flows(np.arange(pairs.size))
    return flows


def _prices(
    groups: Groups, group_of_pair: np.ndarray, active: np.ndarray, flows: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """Optimal LP dual of the flow restricted to `active`, or None if it cannot be certified.

    Returns a price p_s ≥ 0 per supporter and a level λ_g per group such that, on every
    active pair, fit − p_s + λ_g ≤ 0, with equality where flow runs; λ_g is at least the own
    part of the group's best unmatched request and at most that of its worst matched one.
    The least such prices are longest paths (Bellman-Ford); the function then checks that the
    dual total equals the assignment's total, which certifies both as optimal.
    """
    count = len(groups.starts) - 1
    sizes = groups.sizes
    pair_group = group_of_pair[active]
    pair_col = groups.cols[active]
    pair_fit = groups.fit[active]
    matched = np.bincount(pair_group, weights=flows, minlength=count).astype(np.int64)
    unmatched = matched < sizes
    # Members are sorted best first, so the best unmatched one sits just after the matched.
    after_matched = np.minimum(groups.member_starts[:-1] + matched, groups.own.size - 1)
    best_unmatched = groups.own[after_matched]
    floor = np.where(unmatched, best_unmatched, NEVER)
    level = floor.copy()
    price = np.zeros(len(groups.slots), dtype=np.int64)
    used = flows > 0
    for _ in range(2 * (count + len(groups.slots)) + 2):
        before_price, before_level = price.copy(), level.copy()
        np.maximum.at(price, pair_col, pair_fit + level[pair_group])
        np.maximum.at(level, pair_group[used], price[pair_col[used]] - pair_fit[used])
        if np.array_equal(before_price, price) and np.array_equal(before_level, level):
            break
    else:
        return None  # a positive cycle: the flow was not optimal
    load = np.bincount(pair_col, weights=flows, minlength=len(groups.slots))
    worst_matched = groups.own[np.maximum(groups.member_starts[:-1] + matched - 1, 0)]
    position = np.arange(groups.own.size) - np.repeat(groups.member_starts[:-1], sizes)
    member_matched = position < np.repeat(matched, sizes)
    primal = int(groups.own[member_matched].sum()) + int((pair_fit * flows).sum())
    # Σ_r max(0, own_r − λ_g) + Σ_s slots_s·p_s: the dual objective in the requests' terms.
    member_surplus = np.maximum(groups.own - np.repeat(level, sizes), 0)
    dual = int(member_surplus.sum()) + int((price * groups.slots).sum())
    certified = (
        bool((price[load < groups.slots] == 0).all())
        and bool((level[matched > 0] <= worst_matched[matched > 0]).all())
        and bool((pair_fit[used] - price[pair_col[used]] + level[pair_group[used]] == 0).all())
        and primal == dual
    )
    return (price, level) if certified else None


def _members_matched(
    groups: Groups, flows: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hand each group's flows to its members with the highest own part, in row order."""
    used = np.flatnonzero(flows)
    counts = flows[used]
    # One entry per matched request; pairs come grouped, so each group's entries are a run.
    cols = np.repeat(groups.cols[used], counts)
    fits = np.repeat(groups.fit[used], counts)
    group = np.repeat(np.searchsorted(groups.starts, used, side="right") - 1, counts)
    run_start = np.flatnonzero(np.concatenate(([True], group[1:] != group[:-1])))
    within = np.arange(group.size) - np.repeat(run_start, np.diff(np.append(run_start, group.size)))
    member = groups.member_starts[group] + within
    rows = groups.members[member]
    order = np.argsort(rows, kind="stable")
    return rows[order], cols[order], (groups.own[member] + fits)[order]
