"""Matching engine: propose for one request, assign a backlog, against greedy and stable.

The backlog is made up with a fixed seed: 10,000 open requests and 1,000 supporters with 1-15
free places (about 8,000 in all, so some requests must wait), every pair eligible, attributes
drawn from a dozen topics and a few languages, stages and identities. Each assign case runs
in a fresh process; memory is that process's peak resident set (VmHWM, reset with
/proc/self/clear_refs just before the timed call, so building the inputs does not count), and
"above the inputs" is that peak less the resident set just before the call, when the backlog
and its shortlists are built and numpy and OR-Tools are loaded.
"""

import contextlib
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kindred.matching import (
    Request,
    Supporter,
    assign,
    greedy_assign,
    propose,
    shortlist,
    stable_assign,
    total_score,
)

ROOT = Path(__file__).resolve().parent.parent
SEED = 20_260_101
REQUESTS = 10_000
SUPPORTERS = 1_000
BEST = 50
GROWTH = (10, 25, 50, 100, 200)

TOPICS = [
    "exams",
    "placements",
    "burnout",
    "bereavement",
    "relationships",
    "money",
    "imposter-feelings",
    "career-choices",
    "discrimination",
    "health",
    "family",
    "sleep",
]
STAGES = ["Year 1", "Year 2", "Year 3", "Year 4", "Year 5", "Year 6", "FY1", "FY2"]
IDENTITIES = [
    "first in family",
    "LGBTQ+",
    "disabled",
    "international student",
    "parent or carer",
    "mature student",
]
GENDERS = ["woman", "man", "non-binary"]
SCHOOLS = frozenset(range(1, 6))  # five partner schools: every pair is eligible


def _languages(rng: random.Random) -> frozenset[str]:
    roll = rng.random()
    extra = "Welsh" if roll < 0.1 else "Urdu" if roll < 0.14 else "Polish" if roll < 0.17 else ""
    return frozenset({"English", extra} - {""})


def backlog(
    requests: int = REQUESTS, supporters: int = SUPPORTERS, seed: int = SEED
) -> tuple[list[Request], list[Supporter]]:
    """A made-up backlog in which every request may be matched with every supporter."""
    rng = random.Random(seed)
    people = [
        Supporter(
            id=i + 1,
            user_id=1_000_000 + i,
            organisation_id=rng.choice(sorted(SCHOOLS)),
            topics=frozenset(rng.sample(TOPICS, rng.randint(2, 5))),
            languages=_languages(rng),
            stage=rng.choice(STAGES),
            identities=frozenset(rng.sample(IDENTITIES, rng.choice([0, 0, 1, 1, 2]))),
            gender=rng.choice(GENDERS),
            capacity=rng.randint(1, 15),
            available_today=rng.random() < 0.7,
            recent_load=round(rng.uniform(0, 12), 1),
            recent_difficult=rng.randint(0, 4),
        )
        for i in range(supporters)
    ]
    asks = []
    for j in range(requests):
        asks.append(
            Request(
                id=j + 1,
                member_id=j + 1,
                allowed_organisation_ids=SCHOOLS,
                topics=frozenset(rng.sample(TOPICS, rng.randint(1, 2))),
                urgency=rng.choices(["today", "this_week", "no_rush"], [15, 55, 30])[0],
                languages=_languages(rng) - {"English"} if rng.random() < 0.8 else frozenset(),
                preferred_stages=frozenset(rng.sample(STAGES, 2))
                if rng.random() < 0.2
                else frozenset(),
                preferred_identities=frozenset(rng.sample(IDENTITIES, 1))
                if rng.random() < 0.15
                else frozenset(),
                preferred_gender=rng.choice(GENDERS) if rng.random() < 0.15 else "",
                difficult=rng.random() < 0.1,
                anyone=rng.random() < 0.1,
                waited_minutes=rng.randint(0, 3000),
            )
        )
    return asks, people


def _status_mib(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _start_peak() -> float:
    """Reset the kernel's peak-RSS mark to now (Linux) and return the RSS now, in MiB."""
    # Without the reset the peak may include building the inputs: an overestimate.
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    return _status_mib("VmRSS")


def _peak_mib() -> float:
    """Peak RSS since `_start_peak` (VmHWM), or of the process (ru_maxrss) if unknown."""
    return _status_mib("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(call, repeat: int = 1) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def measure(case: str, candidates_file: str = "") -> dict:
    """Run one case in this (fresh) process and return its figures."""
    requests, people = backlog()
    candidates = None
    if candidates_file:
        listed = json.loads(Path(candidates_file).read_text())
        candidates = {int(request_id): ids for request_id, ids in listed.items()}
    if case.startswith("never-grouped"):
        from kindred.matching import flow
        from kindred.matching.pairs import pair_table

        def solve() -> object:
            # As if no two requests asked for the same thing: one node per request.
            table = pair_table(requests, people, candidates)
            return flow._optimal_flows(flow.groups_of(table, merge=False))

        before = _start_peak()
        seconds, _ = _timed(solve, repeat=3 if candidates else 1)
        return {"seconds": seconds, "peak": _peak_mib(), "above": _peak_mib() - before}
    before = _start_peak()
    repeat = 3 if candidates else 1
    seconds, optimal = _timed(lambda: assign(requests, people, candidates=candidates), repeat)
    peak = _peak_mib()
    figures = {
        "seconds": seconds,
        "peak": peak,
        "above": peak - before,
        "optimal": total_score(optimal),
        "matched": len(optimal),
        "places": sum(s.free_slots for s in people),
    }
    for name, baseline in (("greedy", greedy_assign), ("stable", stable_assign)):
        seconds, proposals = _timed(lambda b=baseline: b(requests, people, candidates=candidates))
        figures[name] = total_score(proposals)
        figures[f"{name}_matched"] = len(proposals)
        figures[f"{name}_seconds"] = seconds
    return figures


def _in_fresh_process(case: str, candidates: dict[int, list[int]] | None = None) -> dict:
    """Figures of one case measured in a new interpreter, so its peak memory is its own."""
    with tempfile.TemporaryDirectory() as folder:
        path = ""
        if candidates is not None:
            path = str(Path(folder) / "candidates.json")
            Path(path).write_text(json.dumps(candidates))
        code = (
            "import json; from benchmarks.bench_matching import measure;"
            f" print(json.dumps(measure({case!r}, {path!r})))"
        )
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        done = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _vs(optimal: float, other: float) -> str:
    return f"{other:,.0f} ({(optimal - other) / other * 100:+.1f}% for optimal)"


def run() -> list[tuple[str, str, str]]:
    requests, people = backlog()
    asks = requests[:200]
    times = []
    for request in asks:
        start = time.perf_counter()
        propose(request, people)
        times.append(time.perf_counter() - start)
    times.sort()
    rows = [
        (
            f"propose: best 3 of {SUPPORTERS:,} supporters for one request ({len(asks)} requests)",
            f"median {statistics.median(times) * 1000:.1f} ms, slowest {times[-1] * 1000:.1f} ms",
            "median < 20 ms",
        )
    ]

    best_lists = shortlist(requests, people, per_request=BEST)
    best = _in_fresh_process("best", best_lists)
    rows.append(
        (
            f"assign: {REQUESTS:,} requests x {SUPPORTERS:,} supporters ({best['places']:,}"
            f" places, capacities 1-15), each request's best {BEST}: exact optimum",
            f"{best['seconds']:.2f} s (median of 3); peak RSS {best['peak']:.0f} MiB,"
            f" {best['above']:.0f} MiB above the inputs",
            "< 1 s, < 1 GiB",
        )
    )
    rows.append(
        (
            f"assign, best {BEST}: total score, optimal vs greedy vs stable (matches)",
            f"optimal {best['optimal']:,.0f} ({best['matched']:,});"
            f" greedy {_vs(best['optimal'], best['greedy'])} ({best['greedy_matched']:,});"
            f" stable {_vs(best['optimal'], best['stable'])} ({best['stable_matched']:,})",
            "optimal ≥ both",
        )
    )
    unlike = _in_fresh_process("never-grouped", best_lists)
    rows.append(
        (
            f"assign, best {BEST}, with requests never grouped (as if no two asked alike)",
            f"{unlike['seconds']:.2f} s (scores and solver, no proposals; median of 3);"
            f" peak RSS {unlike['peak']:.0f} MiB, {unlike['above']:.0f} MiB above the inputs",
            "< 1 s",
        )
    )
    every = _in_fresh_process("all")
    rows.append(
        (
            f"assign: every pair eligible ({REQUESTS * SUPPORTERS / 1e6:.0f} million pairs),"
            " exact optimum",
            f"{every['seconds']:.2f} s; peak RSS {every['peak']:.0f} MiB,"
            f" {every['above']:.0f} MiB above the inputs",
            "< 10 s, < 1 GiB",
        )
    )
    rows.append(
        (
            "assign, every pair: total score, optimal vs greedy vs stable (matches)",
            f"optimal {every['optimal']:,.0f} ({every['matched']:,});"
            f" greedy {_vs(every['optimal'], every['greedy'])} ({every['greedy_matched']:,});"
            f" stable {_vs(every['optimal'], every['stable'])} ({every['stable_matched']:,})",
            "optimal ≥ both",
        )
    )
    every_unlike = _in_fresh_process("never-grouped-all")
    rows.append(
        (
            "assign, every pair, with requests never grouped (as if no two asked alike)",
            f"{every_unlike['seconds']:.2f} s (scores and solver, no proposals);"
            f" peak RSS {every_unlike['peak']:.0f} MiB, {every_unlike['above']:.0f} MiB above"
            " the inputs",
            "< 10 s, < 1 GiB",
        )
    )
    growth = []
    for per_request in GROWTH:
        candidates = shortlist(requests, people, per_request=per_request)
        seconds, _ = _timed(lambda c=candidates: assign(requests, people, candidates=c), 3)
        growth.append(f"{per_request * REQUESTS / 1e6:g}M pairs {seconds:.2f} s")
    growth.append(f"10M pairs {every['seconds']:.2f} s")
    rows.append(
        (
            f"assign: time as eligible pairs grow ({', '.join(map(str, GROWTH))}, all per request)",
            "; ".join(growth),
            "roughly linear",
        )
    )
    return rows
