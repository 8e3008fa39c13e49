"""The eligible pairs of a backlog and their scores, computed with numpy.

This is the vectorised twin of `RequestFit.ineligibility` and `RequestFit.points`: the same
rules and the same whole-number arithmetic, so both give identical milli-points (the tests
check this pair by pair). Sets are bitsets; bit 0 of every family is carried by every
supporter and stands in for "nothing stated", which then counts as met, as in the scalar code.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np

from kindred.matching.model import Request, Supporter
from kindred.matching.scoring import (
    BASE,
    GENDER,
    IDENTITY,
    LANGUAGE,
    REPLY_TODAY,
    STAGE,
    TOPIC,
    label,
    labels,
    load_penalty,
    priority_points,
)

# Rows of requests scored at once against every supporter: about a million pairs a block
# keeps the temporaries to tens of MB whatever the size of the backlog.
BLOCK_PAIRS = 1 << 20
WORD = 64
NOTHING_STATED = 0  # the bit every supporter carries


def _array(masks: Sequence[int], bits: int) -> np.ndarray:
    """An (n, words) uint64 array holding Python-int bit masks of up to `bits` bits."""
    words = max(1, (bits + WORD - 1) // WORD)
    out = np.zeros((len(masks), words), dtype=np.uint64)
    for word in range(words):
        shift = word * WORD
        out[:, word] = [(mask >> shift) & 0xFFFF_FFFF_FFFF_FFFF for mask in masks]
    return out


def _mask(items: Iterable, vocabulary: Mapping, start: int = 0) -> int:
    mask = start
    for item in items:
        bit = vocabulary.get(item)
        if bit is not None:
            mask |= 1 << bit
    return mask


class Family:
    """One set-valued attribute compared between requests and supporters."""

    __slots__ = ("requests", "supporters", "sizes")

    def __init__(self, wanted: Sequence[frozenset], offered: Sequence[Iterable]) -> None:
        items = sorted(set(chain.from_iterable(wanted)), key=str)
        vocabulary = {item: bit for bit, item in enumerate(items, start=NOTHING_STATED + 1)}
        nothing = 1 << NOTHING_STATED
        bits = len(vocabulary) + 1
        self.requests = _array([_mask(w, vocabulary) or nothing for w in wanted], bits)
        self.supporters = _array([_mask(o, vocabulary, nothing) for o in offered], bits)
        self.sizes = np.array([len(w) or 1 for w in wanted], dtype=np.int64)

    def shared(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """How many wanted items each pair shares (1 for a request that stated nothing)."""
        if self.requests.shape[1] == 1:
            both = self.requests[rows, 0] & self.supporters[cols, 0]
            return np.bitwise_count(both).astype(np.int64)
        both = self.requests[rows] & self.supporters[cols]
        return np.bitwise_count(both).sum(axis=-1, dtype=np.int64)


def _codes(wanted: Sequence[str], offered: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Codes for excluded labels: equal codes mean the same label; -1 never equals anything."""
    vocabulary = {name: code for code, name in enumerate(sorted(set(wanted) - {""}), start=1)}
    ours = np.array([vocabulary.get(name, -1) if name else -1 for name in wanted], np.int64)
    theirs = np.array([vocabulary.get(name, 0) for name in offered], np.int64)
    return ours, theirs


class Backlog:
    """Requests and open supporters encoded as arrays for scoring pairs in bulk."""

    def __init__(self, requests: Sequence[Request], supporters: Sequence[Supporter]) -> None:
        self.requests = list(requests)
        # Supporters who cannot take anyone now never enter the arrays.
        self.supporters = [
            s for s in supporters if s.training_current and s.available and s.free_slots > 0
        ]
        rs, ss = self.requests, self.supporters
        self.slots = np.array([s.free_slots for s in ss], dtype=np.int64)
        self.supporter_ids = np.array([s.id for s in ss], dtype=np.int64)

        def stated(sets: Iterable[frozenset]) -> list[frozenset]:
            return [frozenset() if r.anyone else items for r, items in zip(rs, sets, strict=True)]

        self.topics = Family([r.topics for r in rs], [s.topics for s in ss])
        self.languages = Family(stated(r.languages for r in rs), [s.languages for s in ss])
        self.stages = Family(
            stated(labels(r.preferred_stages) for r in rs), [{label(s.stage)} for s in ss]
        )
        self.identities = Family(
            stated(r.preferred_identities for r in rs), [s.identities for s in ss]
        )
        self.genders = Family(
            stated(labels([r.preferred_gender]) for r in rs), [{label(s.gender)} for s in ss]
        )
        self.constant = np.array([BASE + priority_points(r) for r in rs], dtype=np.int64)
        self.difficult = np.array([r.difficult for r in rs], dtype=bool)
        self.today = np.array([r.urgency == "today" for r in rs], dtype=bool)
        self.reply_today = np.array([REPLY_TODAY * s.available_today for s in ss], np.int64)
        self.penalty = np.array([load_penalty(s, difficult=False) for s in ss], np.int64)
        self.penalty_difficult = np.array([load_penalty(s, difficult=True) for s in ss], np.int64)
        self.year, self.supporter_year = _codes(
            [label(r.excluded_year_group) for r in rs], [label(s.year_group) for s in ss]
        )
        self.placement, self.supporter_placement = _codes(
            [label(r.excluded_placement_group) for r in rs],
            [label(s.placement_group) for s in ss],
        )
        organisations = {o: i for i, o in enumerate(sorted({s.organisation_id for s in ss}))}
        self.allowed = _array(
            [_mask(r.allowed_organisation_ids, organisations) for r in rs], len(organisations)
        )
        bits = np.array([organisations[s.organisation_id] for s in ss], dtype=np.int64)
        self.organisation_word = bits // WORD
        self.organisation_bit = np.left_shift(np.uint64(1), (bits % WORD).astype(np.uint64))
        self.forbidden = self._forbidden_pairs()

    def _forbidden_pairs(self) -> np.ndarray:
        """Keys (row * supporters + col) of pairs ruled out person by person."""
        by_id: dict[int, list[int]] = {}
        by_user: dict[int, list[int]] = {}
        for col, s in enumerate(self.supporters):
            by_id.setdefault(s.id, []).append(col)
            by_user.setdefault(s.user_id, []).append(col)
        width = len(self.supporters)
        keys = []
        for row, r in enumerate(self.requests):
            cols = set(by_user.get(r.member_id, ()))
            for supporter_id in r.excluded_supporter_ids:
                cols.update(by_id.get(supporter_id, ()))
            for user_id in r.conflict_user_ids:
                cols.update(by_user.get(user_id, ()))
            keys.extend(row * width + col for col in cols)
        return np.array(sorted(set(keys)), dtype=np.int64)

    def points(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Milli-points of each (row, col) pair, 0 where a group rule rules the pair out.

        rows and cols broadcast against each other: two equal-length vectors for a list of
        pairs, or a column and a row for a block of every pair.
        """
        points = (
            self.constant[rows]
            + TOPIC * self.topics.shared(rows, cols) // (self.topics.sizes[rows])
        )
        points = points + LANGUAGE * (self.languages.shared(rows, cols) > 0)
        points += STAGE * (self.stages.shared(rows, cols) > 0)
        points += IDENTITY * self.identities.shared(rows, cols) // self.identities.sizes[rows]
        points += GENDER * (self.genders.shared(rows, cols) > 0)
        points += np.where(self.today[rows], self.reply_today[cols], 0)
        points -= np.where(self.difficult[rows], self.penalty_difficult[cols], self.penalty[cols])
        eligible = (
            self.allowed[rows, self.organisation_word[cols]] & self.organisation_bit[cols]
        ) != 0
        eligible &= self.year[rows] != self.supporter_year[cols]
        eligible &= self.placement[rows] != self.supporter_placement[cols]
        # Person-by-person exclusions (self, named, assessor) are few: the caller zeroes them.
        return np.where(eligible, points, 0)


@dataclass(slots=True)
class Table:
    """The eligible pairs of a backlog, grouped by request as in a CSR matrix."""

    backlog: Backlog
    starts: np.ndarray  # row r's pairs are [starts[r], starts[r + 1])
    cols: np.ndarray  # supporter column of each pair
    points: np.ndarray  # milli-points of each pair, all > 0

    @property
    def rows(self) -> np.ndarray:
        """The request row of each pair."""
        return np.repeat(
            np.arange(len(self.backlog.requests), dtype=np.int32), np.diff(self.starts)
        )


def pair_table(
    requests: Sequence[Request],
    supporters: Sequence[Supporter],
    candidates: Mapping[int, Sequence[int]] | None = None,
) -> Table:
    """Every eligible pair with its score; `candidates` limits requests to those supporters."""
    _check_unique("request", [r.id for r in requests])
    _check_unique("supporter", [s.id for s in supporters])
    backlog = Backlog(requests, supporters)
    width = len(backlog.supporters)
    if candidates is None:
        limited = np.zeros(len(requests), dtype=bool)
    else:
        limited = np.array([r.id in candidates for r in requests], dtype=bool)
    counts = np.zeros(len(requests), dtype=np.int64)
    cols_parts: list[np.ndarray] = []
    points_parts: list[np.ndarray] = []
    # Rows of each part, kept only when both kinds of request are present and the parts
    # must be merged into row order; all-pairs blocks already come in row order.
    mixed = 0 < int(limited.sum()) < len(requests)
    order: list[np.ndarray] = []

    everyone = np.flatnonzero(~limited)
    block = max(1, BLOCK_PAIRS // max(width, 1))
    columns = np.arange(width, dtype=np.int64)[None, :]
    forbidden_rows, forbidden_cols = np.divmod(backlog.forbidden, max(width, 1))
    local = np.full(len(requests), -1, dtype=np.int64)
    for start in range(0, everyone.size if width else 0, block):
        rows = everyone[start : start + block]
        points = backlog.points(rows[:, None], columns)
        local[rows] = np.arange(rows.size)
        inside = local[forbidden_rows] >= 0
        points[local[forbidden_rows[inside]], forbidden_cols[inside]] = 0
        local[rows] = -1
        where_rows, where_cols = np.nonzero(points)
        counts[rows] = np.count_nonzero(points, axis=1)
        cols_parts.append(where_cols.astype(np.int32))
        points_parts.append(points[where_rows, where_cols].astype(np.int32))
        if mixed:
            order.append(rows[where_rows])

    chosen = np.flatnonzero(limited)
    if chosen.size and width:
        rows, cols = _candidate_pairs(backlog, candidates, chosen)
        for start in range(0, rows.size, BLOCK_PAIRS):
            part = slice(start, start + BLOCK_PAIRS)
            part_rows, part_cols = rows[part], cols[part]
            points = backlog.points(part_rows, part_cols)
            keep = points > 0
            if backlog.forbidden.size:
                keys = part_rows * width + part_cols
                keep &= ~np.isin(keys, backlog.forbidden, assume_unique=True)
            np.add.at(counts, part_rows[keep], 1)
            cols_parts.append(part_cols[keep].astype(np.int32))
            points_parts.append(points[keep].astype(np.int32))
            if mixed:
                order.append(part_rows[keep])

    starts = np.zeros(len(requests) + 1, dtype=np.int64)
    np.cumsum(counts, out=starts[1:])
    if not cols_parts:
        empty = np.zeros(0, dtype=np.int32)
        return Table(backlog, starts, empty, empty.copy())
    cols = np.concatenate(cols_parts)
    points = np.concatenate(points_parts)
    if mixed:
        by_row = np.argsort(np.concatenate(order), kind="stable")
        cols, points = cols[by_row], points[by_row]
    return Table(backlog, starts, cols, points)


def _candidate_pairs(
    backlog: Backlog, candidates: Mapping[int, Sequence[int]], chosen: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(row, col) of each listed candidate who is open, once each, in row then column order."""
    width = len(backlog.supporters)
    lists = [candidates[backlog.requests[row].id] for row in chosen]
    lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    ids = np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=int(lengths.sum()))
    rows = np.repeat(chosen.astype(np.int64), lengths)
    cols = _columns_of(backlog.supporter_ids, ids)
    found = cols >= 0
    # Sorting row-major keys orders each row's columns, and puts repeats side by side: a
    # supporter listed twice for one request is one pair.
    keys = np.sort(rows[found] * width + cols[found], kind="stable")
    keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))] if keys.size else keys
    return keys // max(width, 1), keys % max(width, 1)


def _columns_of(supporter_ids: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """The column of each id among the open supporters, -1 for an id that is not there."""
    if supporter_ids.size == 0 or ids.size == 0:
        return np.full(ids.size, -1, dtype=np.int64)
    low, high = int(supporter_ids.min()), int(supporter_ids.max())
    if high - low < 8 * supporter_ids.size + (1 << 20):
        # Database ids are compact: a lookup table beats a binary search per id.
        table = np.full(high - low + 1, -1, dtype=np.int64)
        table[supporter_ids - low] = np.arange(supporter_ids.size)
        inside = (ids >= low) & (ids <= high)
        cols = np.full(ids.size, -1, dtype=np.int64)
        cols[inside] = table[ids[inside] - low]
        return cols
    by_id = np.argsort(supporter_ids, kind="stable")
    ordered = supporter_ids[by_id]
    at = np.minimum(np.searchsorted(ordered, ids), ordered.size - 1)
    return np.where(ordered[at] == ids, by_id[at], -1)


def _check_unique(kind: str, ids: list[int]) -> None:
    if len(set(ids)) != len(ids):
        raise ValueError(f"{kind} ids must be unique")


def best_per_row(
    starts: np.ndarray, value: Callable[[int, int], np.ndarray], k: int, *, floor: int | None = None
) -> np.ndarray:
    """An (rows, k) array of each CSR row's pair indices with the highest values, best first.

    `value(low, high)` gives the values of pairs low..high-1, so that only a block of rows is
    in memory at once; pairs valued at or below `floor` are left out; -1 pads a short row.
    """
    rows_count = len(starts) - 1
    lengths = np.diff(starts)
    width = int(lengths.max()) if rows_count else 0
    k = min(k, width)
    best = np.full((rows_count, max(k, 0)), -1, dtype=np.int64)
    if k <= 0:
        return best
    lowest = np.iinfo(np.int64).min
    uniform = bool((lengths == width).all())
    block = max(1, (1 << 20) // width)
    for start in range(0, rows_count, block):
        stop = min(rows_count, start + block)
        low, high = int(starts[start]), int(starts[stop])
        values = value(low, high).astype(np.int64, copy=False)
        if uniform:
            # Every request has the same number of pairs (all pairs eligible): a plain reshape.
            grid = values.reshape(stop - start, width)
        else:
            grid = np.full((stop - start, width), lowest, dtype=np.int64)
            rows = np.repeat(np.arange(stop - start), lengths[start:stop])
            grid[rows, np.arange(low, high) - starts[start:stop][rows]] = values
        if k < width:
            top = np.argpartition(grid, width - k, axis=1)[:, width - k :]
        else:
            top = np.broadcast_to(np.arange(width), grid.shape)
        chosen = np.take_along_axis(grid, top, 1)
        order = np.argsort(chosen, axis=1)[:, ::-1]
        top = np.take_along_axis(top, order, 1)
        chosen = np.take_along_axis(chosen, order, 1)
        keep = chosen > (lowest if floor is None else floor)
        best[start:stop] = np.where(keep, starts[start:stop, None] + top, -1)
    return best
