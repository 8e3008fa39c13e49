"""Risk signals: precision and recall on the labelled evaluation set, and how fast assess is.

The set is tests/safety/evaluation_set.tsv (written by the Kindred team, labelled by the guide
at its top). "Held out" is the half whose mistakes were never looked at while the lexicon was
tuned: its figures are the honest estimate; the whole-set figures include the tuned half.
"""

import statistics
import time

from kindred.safety.risk import LEVELS, assess
from tests.safety.evaluation import evaluate, rows

TARGET = "recall ≥ 0.95, precision ≥ 0.8"


def _pair(score) -> str:
    return (
        f"precision {score.precision:.2f} ({score.true_positive}/{score.predicted}),"
        f" recall {score.recall:.2f} ({score.true_positive}/{score.actual})"
    )


def _timed(text: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        assess(text)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run() -> list[tuple[str, str, str]]:
    every = rows()
    held = [r for r in every if r.held_out]
    whole, held_out = evaluate(every), evaluate(held)
    result = [
        (
            f"risk signals: high or imminent, whole evaluation set ({len(every)} sentences)",
            _pair(whole["high or imminent"]),
            TARGET,
        ),
        (
            f"risk signals: high or imminent, held-out half ({len(held)} sentences)",
            _pair(held_out["high or imminent"]),
            TARGET,
        ),
    ]
    for level in LEVELS:
        result.append(
            (
                f"risk signals: level {level}, whole set (held-out half)",
                f"{_pair(whole[level])} ({_pair(held_out[level])})",
                "reported",
            )
        )
    texts = [r.text for r in every]
    assess(texts[0])  # read the lexicon first
    start = time.perf_counter()
    for text in texts:
        assess(text)
    per_message = (time.perf_counter() - start) / len(texts)
    long_message = ("I have had a long week on the wards and I feel tired. " * 80)[:4000]
    longest = (long_message * 5)[:20_000]
    result.append(
        (
            "assess: one chat message (mean over the set); a 4,000-character message;"
            " a 20,000-character text",
            f"{per_message * 1e6:.0f} µs; {_timed(long_message, 20) * 1000:.1f} ms;"
            f" {_timed(longest, 5) * 1000:.1f} ms",
            "< 1 ms; < 20 ms; < 100 ms",
        )
    )
    return result
