"""Risk signals: precision and recall on the labelled evaluation set, and how fast assess is.

The set is tests/safety/evaluation_set.tsv (labelled by the guide at its top). "Held out" is
the half that neither the lexicon's tuning nor the second opinion's training ever saw: its
figures are an honest estimate. The unseen set (tests/safety/unseen_set.tsv) was written after
the model was trained, by writers who saw nothing of it: the cleanest estimate. The whole-set
figures include the development half, which the second opinion was trained on, so they
flatter it.
"""

import statistics
import time

from kindred.safety import second_opinion
from kindred.safety.risk import LEVELS, assess
from tests.safety.evaluation import UNSEEN_PATH, evaluate, rows

TARGET = "recall ≥ 0.95, precision ≥ 0.8"


def _pair(score) -> str:
    return (
        f"precision {score.precision:.2f} ({score.true_positive}/{score.predicted}),"
        f" recall {score.recall:.2f} ({score.true_positive}/{score.actual})"
    )


def _timed(text: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        second_opinion.forget_recent()  # time the reading, not the cache
        start = time.perf_counter()
        assess(text)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run() -> list[tuple[str, str, str]]:
    every = rows()
    held = [r for r in every if r.held_out]
    held_out = evaluate(held)
    lexicon_alone = evaluate(held, second_opinion=False)
    whole = evaluate(every)
    unseen = rows(UNSEEN_PATH)
    result = [
        (
            f"risk signals: high or imminent, unseen set ({len(unseen)} sentences written"
            " after the model was trained)",
            _pair(evaluate(unseen)["high or imminent"]),
            TARGET,
        ),
        (
            f"risk signals: high or imminent, held-out half ({len(held)} sentences)",
            _pair(held_out["high or imminent"]),
            TARGET,
        ),
        (
            "risk signals: high or imminent, held-out half, lexicon alone",
            _pair(lexicon_alone["high or imminent"]),
            "reported",
        ),
        (
            f"risk signals: high or imminent, whole set ({len(every)} sentences, half trained on)",
            _pair(whole["high or imminent"]),
            "reported",
        ),
    ]
    for level in LEVELS:
        result.append(
            (
                f"risk signals: level {level}, held-out half",
                _pair(held_out[level]),
                "reported",
            )
        )
    texts = [r.text for r in held[:300]]
    assess(texts[0])  # read the lexicon and the model first
    second_opinion.forget_recent()
    start = time.perf_counter()
    for text in texts:
        assess(text)
    per_message = (time.perf_counter() - start) / len(texts)
    long_message = ("I have had a long week on the wards and I feel tired. " * 80)[:4000]
    longest = (long_message * 5)[:20_000]
    result.append(
        (
            "assess: one chat message (mean over 300); a 4,000-character message;"
            " a 20,000-character text (second opinion included, nothing cached)",
            f"{per_message * 1000:.1f} ms; {_timed(long_message, 10) * 1000:.1f} ms;"
            f" {_timed(longest, 5) * 1000:.1f} ms",
            "< 50 ms; < 100 ms; < 200 ms",
        )
    )
    return result
