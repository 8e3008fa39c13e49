"""Scoring kindred.safety.risk.assess on the labelled evaluation set (used by make bench).

Rows whose text hashes to 0 or 1 modulo 2 (CRC-32) are "held out" or "development": while the
lexicon is tuned, only development mistakes are looked at (`python -m tests.safety.evaluation`).
The unseen set (`unseen_set.tsv`) was written after the model was trained and is never tuned on.
"""

import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kindred.safety.risk import HIGH, IMMINENT, LEVELS, assess_many

SET_PATH = Path(__file__).with_name("evaluation_set.tsv")
# Written after the second opinion now shipped was trained, and never trained on: the cleanest
# test there is. Fold it into evaluation_set.tsv only with a fresh unseen set to replace it.
UNSEEN_PATH = Path(__file__).with_name("unseen_set.tsv")
URGENT = {HIGH, IMMINENT}


@dataclass(frozen=True)
class Row:
    level: str
    category: str
    text: str

    @property
    def held_out(self) -> bool:
        return zlib.crc32(self.text.encode()) % 2 == 0


def rows(path: Path = SET_PATH) -> list[Row]:
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        level, category, text = line.split("\t", 2)
        if level not in LEVELS:
            raise ValueError(f"unknown level {level!r} in {line!r}")
        found.append(Row(level, category, text))
    return found


@dataclass(frozen=True)
class Score:
    true_positive: int
    predicted: int
    actual: int

    @property
    def precision(self) -> float:
        return self.true_positive / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positive / self.actual if self.actual else 1.0

    def __str__(self) -> str:
        return (
            f"precision {self.precision:.2f} ({self.true_positive}/{self.predicted}),"
            f" recall {self.recall:.2f} ({self.true_positive}/{self.actual})"
        )


def score(pairs: list[tuple[str, str]], accept: Callable[[str], bool]) -> Score:
    """pairs of (labelled, predicted); `accept` says which levels count as positive."""
    return Score(
        true_positive=sum(1 for gold, got in pairs if accept(gold) and accept(got)),
        predicted=sum(1 for _, got in pairs if accept(got)),
        actual=sum(1 for gold, _ in pairs if accept(gold)),
    )


def evaluate(selected: list[Row], *, second_opinion: bool = True) -> dict[str, Score]:
    found = assess_many([row.text for row in selected], second_opinion=second_opinion)
    pairs = [(row.level, got.level) for row, got in zip(selected, found, strict=True)]
    result = {level: score(pairs, lambda x, level=level: x == level) for level in LEVELS}
    result["high or imminent"] = score(pairs, lambda x: x in URGENT)
    result["any risk"] = score(pairs, lambda x: x != "none")
    return result


def main(argv: list[str]) -> None:
    show_held_out = "--held-out" in argv
    selected = [r for r in rows() if r.held_out == show_held_out]
    for name, value in evaluate(selected).items():
        print(f"{name:>18}: {value}")
    for row, got in zip(selected, assess_many([r.text for r in selected]), strict=True):
        if got.level != row.level:
            print(f"{row.level:>9} -> {got.level:<9} {row.category:<13} {row.text}  {got.reasons}")


if __name__ == "__main__":
    main(sys.argv[1:])
