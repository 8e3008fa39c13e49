"""Assigning a backlog of requests to supporters under capacities: the optimum and two baselines.

`assign` maximises the total score exactly (see `flow.py` for how and why it is exact).
`greedy_assign` and `stable_assign` are the baselines it is measured against.
"""

import heapq
import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from kindred.matching.flow import optimal_pairs
from kindred.matching.model import URGENCIES, Proposal, Request, Supporter
from kindred.matching.pairs import Table, best_per_row, pair_table
from kindred.matching.scoring import RequestFit


def total_score(proposals: Iterable[Proposal]) -> float:
    """The sum of the proposals' scores."""
    return math.fsum(p.score for p in proposals)


def assign(
    requests: Sequence[Request],
    supporters: Sequence[Supporter],
    *,
    candidates: Mapping[int, Sequence[int]] | None = None,
) -> list[Proposal]:
    """An assignment of the backlog with the highest total score, in the order of requests.

    Each request gets at most one supporter and each supporter at most their free slots;
    `candidates` limits a request (by id) to those supporter ids, and a request missing from
    it may have anyone eligible.
    """
    table = pair_table(requests, supporters, candidates)
    return _proposals(table, *optimal_pairs(table))


def greedy_assign(
    requests: Sequence[Request],
    supporters: Sequence[Supporter],
    *,
    candidates: Mapping[int, Sequence[int]] | None = None,
) -> list[Proposal]:
    """Baseline: most urgent, then longest waiting first, each takes its best free supporter."""
    table = pair_table(requests, supporters, candidates)
    ranked = _ranked_pairs(table)
    left = table.backlog.slots.tolist()
    free = sum(left)
    chosen = []
    for row in _priority_order(table.backlog.requests).tolist():
        if not free:
            break
        start, end = int(table.starts[row]), int(table.starts[row + 1])
        for index in ranked[start:end].tolist():
            col = int(table.cols[index])
            if left[col]:
                left[col] -= 1
                free -= 1
                chosen.append(index)
                break
    return _chosen_pairs(table, chosen)


def stable_assign(
    requests: Sequence[Request],
    supporters: Sequence[Supporter],
    *,
    candidates: Mapping[int, Sequence[int]] | None = None,
) -> list[Proposal]:
    """Baseline: deferred acceptance; requests propose, supporters hold their best by score."""
    table = pair_table(requests, supporters, candidates)
    ranked = _ranked_pairs(table)
    order = _priority_order(table.backlog.requests)
    # A supporter prefers the higher score, then the more urgent or longer-waiting request.
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    rank_of = rank.tolist()
    slots = table.backlog.slots.tolist()
    held: list[list[tuple[int, int, int, int]]] = [[] for _ in slots]
    next_pair = table.starts[:-1].tolist()
    ends = table.starts[1:].tolist()
    waiting = order[::-1].tolist()  # a stack, so the most urgent proposes first
    while waiting:
        row = waiting.pop()
        if next_pair[row] == ends[row]:
            continue  # turned down by everyone eligible: stays unmatched
        index = int(ranked[next_pair[row]])
        next_pair[row] += 1
        col = int(table.cols[index])
        offer = (int(table.points[index]), -rank_of[row], index, row)
        if len(held[col]) < slots[col]:
            heapq.heappush(held[col], offer)
            continue
        if offer > held[col][0]:
            offer = heapq.heapreplace(held[col], offer)
        waiting.append(offer[3])
    return _chosen_pairs(table, [offer[2] for heap in held for offer in heap])


def shortlist(
    requests: Sequence[Request], supporters: Sequence[Supporter], *, per_request: int = 50
) -> dict[int, list[int]]:
    """Each request's best eligible supporter ids (as `propose` ranks them), best first."""
    table = pair_table(requests, supporters)
    ids = table.backlog.supporter_ids
    # The lowest id gets the highest tie-break, folded in below the score's last digit.
    tie = np.empty(ids.size, dtype=np.int64)
    tie[np.argsort(ids, kind="stable")] = np.arange(ids.size, 0, -1)
    spread = ids.size + 1

    def by_score_then_id(low: int, high: int) -> np.ndarray:
        return table.points[low:high].astype(np.int64) * spread + tie[table.cols[low:high]]

    best = best_per_row(table.starts, by_score_then_id, per_request)
    return {
        request.id: ids[table.cols[picked[picked >= 0]]].tolist()
        for request, picked in zip(table.backlog.requests, best, strict=True)
    }


def _chosen_pairs(table: Table, chosen: list[int]) -> list[Proposal]:
    indices = np.array(sorted(chosen), dtype=np.int64)
    rows = np.searchsorted(table.starts, indices, side="right") - 1
    cols = table.cols[indices].astype(np.int64)
    return _proposals(table, rows, cols, table.points[indices].astype(np.int64))


def _proposals(
    table: Table, rows: np.ndarray, cols: np.ndarray, points: np.ndarray
) -> list[Proposal]:
    """Proposals for (row, col) pairs with their milli-points, with reasons, in row order."""
    backlog = table.backlog
    return [
        RequestFit(backlog.requests[row]).proposal(backlog.supporters[col], point)
        for row, col, point in zip(rows.tolist(), cols.tolist(), points.tolist(), strict=True)
    ]


def _priority_order(requests: Sequence[Request]) -> np.ndarray:
    """Rows by urgency, then longest wait, then request id."""
    urgency = {name: rank for rank, name in enumerate(URGENCIES)}
    keys = sorted(
        range(len(requests)),
        key=lambda row: (
            urgency[requests[row].urgency],
            -requests[row].waited_minutes,
            requests[row].id,
        ),
    )
    return np.array(keys, dtype=np.int64)


def _ranked_pairs(table: Table) -> np.ndarray:
    """Pair indices sorted by row, then best score first, then lowest supporter id."""
    ids = table.backlog.supporter_ids[table.cols]
    return np.lexsort((ids, -table.points.astype(np.int64), table.rows))
