"""Risk signals in text: `assess(text) -> Assessment(level, reasons)`. Plain Python, no Django.

The phrases live in `lexicon.txt` beside this file, with the sources of each group. How a
message is read:

1. Text that cannot be read fairly (empty, no words, another language, over MAX_CHARS) is
   "not assessed" and gets level none: the caller decides what to do, nothing is guessed.
2. The text is lower-cased, contractions are spelt out, chat spellings are rewritten ("kms")
   and one-letter misspellings of key words are repaired ("sucidal").
3. It is split into clauses (sentences, and at "but"). In each clause every signal pattern is
   looked for; a match inside a figure of speech ("this exam is killing me") or after a
   negation ("i am not going to hurt myself") does not count.
4. A high signal about the past ("i was suicidal in first year", also with "now" when the
   message says it is over: "i am doing alright now") counts as concern; a joking
   tone ("lol") without a serious word makes a high signal concern; a high signal with means
   at hand or a time chosen ("tonight") becomes imminent.
5. Someone else at risk, or the bare topic, is concern, unless the message is clinical or media
   talk (patients, teaching, songs, films), where it is none.

The assessment never raises: anything unexpected gives level none with "not assessed".
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

NONE = "none"
CONCERN = "concern"
HIGH = "high"
IMMINENT = "imminent"
LEVELS = (NONE, CONCERN, HIGH, IMMINENT)
RANK = {level: rank for rank, level in enumerate(LEVELS)}

NOT_ASSESSED = "not assessed"
MAX_CHARS = 20_000
LEXICON_PATH = Path(__file__).with_name("lexicon.txt")

# Reasons the reading adds beside the lexicon's own codes.
MODIFIER_LABELS = {
    "means_at_hand": "says they have the means at hand",
    "timing": "names a time",
    "past": "about the past",
    "joking_tone": "in a joking tone",
    "second_opinion": "worded like messages about suicide or self-harm (second opinion)",
    "negated": "said it was not so",
    "figure_of_speech": "a figure of speech",
    "clinical_or_media_talk": "talk about patients, teaching or media",
    NOT_ASSESSED: "not assessed",
    "empty": "nothing written",
    "no words": "no words to read",
    "too long": "too long to read",
    "other language": "not in English",
    "not text": "not text",
    "error": "could not be read",
}


@dataclass(frozen=True)
class Assessment:
    """How worrying a piece of text is, and why (reason codes, most important first)."""

    level: str = NONE
    reasons: tuple[str, ...] = ()

    @property
    def rank(self) -> int:
        return RANK[self.level]

    def at_least(self, level: str) -> bool:
        return self.rank >= RANK[level]

    @property
    def assessed(self) -> bool:
        return NOT_ASSESSED not in self.reasons

    def as_dict(self) -> dict:
        return {"level": self.level, "reasons": list(self.reasons)}


@dataclass(frozen=True)
class Group:
    kind: str  # signal, third_party, mention
    level: str
    code: str
    label: str
    regex: re.Pattern


@dataclass(frozen=True)
class Lexicon:
    groups: tuple[Group, ...]
    idiom: re.Pattern
    means: re.Pattern
    timing: re.Pattern
    words: dict[str, re.Pattern]
    word_sets: dict[str, frozenset[str]]
    rewrites: tuple[tuple[re.Pattern, str], ...]
    fuzzy: tuple[str, ...]
    labels: dict[str, str] = field(default_factory=dict)


class LexiconError(ValueError):
    """The lexicon file is malformed (a programming error, caught by the test suite)."""


_MACRO = re.compile(r"\{([A-Z_]+)\}")
_HEADER = re.compile(r"\[(\w+)(?: (\w+))?(?: (\w+))?\]\s*(.*)")
NEVER = re.compile(r"(?!x)x")


def _alternation(patterns: list[str]) -> re.Pattern:
    if not patterns:
        return NEVER
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def _word_regex(entries: list[str]) -> re.Pattern:
    if not entries:
        return NEVER
    escaped = sorted((re.escape(e.replace("_", " ")) for e in entries), key=len, reverse=True)
    return re.compile(r"(?<![a-z])(?:" + "|".join(escaped) + r")(?![a-z])")


def parse_lexicon(source: str) -> Lexicon:
    """Read the lexicon's text format (described at the top of lexicon.txt)."""
    macros: dict[str, str] = {}
    sections: list[tuple[tuple[str, ...], str, list[str]]] = []
    current: list[str] | None = None
    for number, raw in enumerate(source.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@define "):
            name, _, value = line[len("@define ") :].partition(" = ")
            macros[name.strip()] = _MACRO.sub(lambda m: macros[m[1]], value.strip())
            continue
        header = _HEADER.fullmatch(line) if line.startswith("[") else None
        if header:
            current = []
            key = tuple(part for part in header.group(1, 2, 3) if part)
            sections.append((key, header.group(4).strip(), current))
            continue
        if current is None:
            raise LexiconError(f"line {number}: a pattern outside any [section]")
        try:
            current.append(_MACRO.sub(lambda m: macros[m[1]], raw.strip()))
        except KeyError as error:
            raise LexiconError(f"line {number}: unknown macro {error}") from None
    groups: list[Group] = []
    simple: dict[str, list[str]] = {"idiom": [], "means": [], "timing": []}
    words: dict[str, list[str]] = {}
    rewrites: list[tuple[re.Pattern, str]] = []
    fuzzy: list[str] = []
    labels: dict[str, str] = {}
    for key, label, lines in sections:
        kind = key[0]
        try:
            if kind == "signal":
                level, code = key[1], key[2]
                if level not in LEVELS[1:]:
                    raise LexiconError(f"[signal {level} {code}]: unknown level")
                groups.append(Group("signal", level, code, label, _alternation(lines)))
                labels[code] = label
            elif kind in {"third_party", "mention"}:
                code = key[1]
                groups.append(Group(kind, CONCERN, code, label, _alternation(lines)))
                labels[code] = label
            elif kind in simple:
                simple[kind].extend(lines)
            elif kind == "words":
                words.setdefault(key[1], []).extend(w for line in lines for w in line.split())
            elif kind == "rewrite":
                for line in lines:
                    pattern, arrow, replacement = line.rpartition(" => ")
                    if not arrow:
                        raise LexiconError(f"[rewrite] needs 'PATTERN => REPLACEMENT': {line}")
                    rewrites.append((re.compile(pattern), replacement))
            elif kind == "fuzzy":
                fuzzy.extend(w for line in lines for w in line.split())
            else:
                raise LexiconError(f"unknown section [{' '.join(key)}]")
        except re.error as error:
            raise LexiconError(f"[{' '.join(key)}]: {error}") from None
    return Lexicon(
        groups=tuple(groups),
        idiom=_alternation(simple["idiom"]),
        means=_alternation(simple["means"]),
        timing=_alternation(simple["timing"]),
        words={name: _word_regex(entries) for name, entries in words.items()},
        word_sets={name: frozenset(entries) for name, entries in words.items()},
        rewrites=tuple(rewrites),
        fuzzy=tuple(fuzzy),
        labels=labels,
    )


@functools.cache
def lexicon() -> Lexicon:
    """The lexicon in lexicon.txt, read once per process."""
    return parse_lexicon(LEXICON_PATH.read_text(encoding="utf-8"))


def label_for(reason: str) -> str:
    """Plain words for a reason code."""
    return lexicon().labels.get(reason) or MODIFIER_LABELS.get(reason, reason.replace("_", " "))


# --- reading the text


def _damerau_at_most_one(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


@functools.lru_cache(maxsize=4096)
def _repair(word: str) -> str:
    keys = lexicon().fuzzy
    if word in keys:  # a key word is never "repaired" into its neighbour (overdosed, overdose)
        return word
    for key in keys:
        if word[0] == key[0] and _damerau_at_most_one(word, key):
            return key
    return word


def normalise(text: str) -> str:
    """Lower case, contractions spelt out, chat spellings and near-misses of key words fixed."""
    lowered = unicodedata.normalize("NFKC", text).lower()
    for pattern, replacement in lexicon().rewrites:
        lowered = pattern.sub(replacement, lowered)
    lowered = re.sub(r"[a-z]{5,}", lambda m: _repair(m.group()), lowered)
    return re.sub(r"[ \t\r\f\v]+", " ", lowered)


_CLAUSE_SPLIT = re.compile(r"[.!?;:\n]+|\s[-–—]+\s|\b(?:but|though|although|however)\b")


def clauses_of(normalised: str) -> list[str]:
    return [c.strip() for c in _CLAUSE_SPLIT.split(normalised) if c and c.strip()]


def _has(lex: Lexicon, name: str, text: str) -> bool:
    pattern = lex.words.get(name)
    return bool(pattern and pattern.search(text))


CONDITIONAL = frozenset({"if", "unless"})


def _negated(lex: Lexicon, clause: str, start: int) -> bool:
    """Is there a negation in the five words before `start` (same clause, after any comma)?

    A breaker between the negation and the match cancels it ("i cannot stop thinking about"),
    and so does an "if" before the negation: "if i did not have my cat i would have...".
    """
    before = clause[:start]
    before = before[before.rfind(",") + 1 :]
    tokens = re.findall(r"[a-z']+", before)[-8:]
    negators = lex.word_sets.get("negation", frozenset())
    breakers = lex.word_sets.get("breaker", frozenset())
    for position in range(len(tokens) - 1, max(len(tokens) - 6, -1), -1):
        token = tokens[position]
        if token in breakers:
            return False
        if token in negators:
            return not CONDITIONAL.intersection(tokens[:position])
    return False


_NEGATION_WORDS = re.compile(r"\b(?:(?:do|does|did|will|would) not|not|never)\b ?")


def _denied(lex: Lexicon, clause: str) -> bool:
    """Does the clause deny a signal that no pattern matched as written?

    "i do not want to die" matches nothing, since the patterns are written for "i want to die";
    with the negation taken out it does, so the clause says it is not so.
    """
    stripped = _NEGATION_WORDS.sub("", clause)
    if stripped == clause:
        return False
    return any(group.kind == "signal" and group.regex.search(stripped) for group in lex.groups)


def _in_quotes(clause: str, start: int) -> bool:
    return clause[:start].count('"') % 2 == 1


def _first_person(clause: str) -> bool:
    return bool(re.search(r"(?<![a-z'])(?:i|me|my|myself|mine)(?![a-z'])", clause))


def _recovered(lex: Lexicon, normalised: str) -> bool:
    """Does the message say that a hard time is over ("much better now"), not negated?"""
    pattern = lex.words.get("recovered")
    if not pattern:
        return False
    for clause in clauses_of(normalised):
        for match in pattern.finditer(clause):
            if not _negated(lex, clause, match.start()):
                return True
    return False


def _not_assessed(why: str) -> Assessment:
    return Assessment(NONE, (NOT_ASSESSED, why))


def _unreadable(text: str, normalised: str, lex: Lexicon) -> str | None:
    """Why the text cannot be read fairly, or None."""
    if not text.strip():
        return "empty"
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return "no words"
    if sum(1 for c in letters if ord(c) > 0x24F) > 0.3 * len(letters):
        return "other language"
    words = re.findall(r"\w+", normalised)
    english = sum(1 for w in words if w in lex.word_sets.get("english", ()))
    foreign = sum(1 for w in words if w in lex.word_sets.get("foreign", ()))
    if foreign >= 2 and foreign > english:
        return "other language"
    return None


def assess(text: object, *, second_opinion: bool = True) -> Assessment:
    """The risk level of one piece of text; never raises.

    The lexicon reads the text first. When it finds less than high, the second opinion (a
    classifier over a local sentence embedding, `second_opinion.py`) may raise it to high,
    or to imminent with means at hand or a time chosen. `second_opinion=False` is the lexicon
    alone (what the classifier is trained beside).
    """
    return assess_many([text], second_opinion=second_opinion)[0]


def assess_many(texts: list, *, second_opinion: bool = True) -> list[Assessment]:
    """`assess` for many texts at once, the second opinion asked in one batch; never raises."""
    readings: list[_Reading | Assessment] = []
    for text in texts:
        try:
            if not isinstance(text, str):
                readings.append(_not_assessed("not text"))
            elif len(text) > MAX_CHARS:
                readings.append(_not_assessed("too long"))
            else:
                readings.append(_read(text))
        except Exception:  # noqa: BLE001 - a safety check must never break what called it
            readings.append(_not_assessed("error"))
    lexicon_alone = {i: _concluded(r) for i, r in enumerate(readings) if isinstance(r, _Reading)}
    if second_opinion and lexicon_alone:
        for i in _second_opinion_raises([texts[i] for i in lexicon_alone], lexicon_alone):
            readings[i].found.append((HIGH, "second_opinion"))
    return [r if isinstance(r, Assessment) else _concluded(r) for r in readings]


def _concluded(reading: _Reading) -> Assessment:
    try:
        return _conclude(reading)
    except Exception:  # noqa: BLE001
        return _not_assessed("error")


def _second_opinion_raises(texts: list[str], lexicon_alone: dict[int, Assessment]) -> list[int]:
    """Which of these the second opinion raises; if it fails, the lexicon's readings stand."""
    try:
        from kindred.safety import second_opinion

        raised = second_opinion.raises_many(texts, list(lexicon_alone.values()))
        return [i for i, up in zip(lexicon_alone, raised, strict=True) if up]
    except Exception:  # noqa: BLE001
        logging.getLogger(__name__).warning("risk second opinion failed", exc_info=False)
        return []


@dataclass
class _Reading:
    found: list[tuple[str, str]]
    notes: set[str]
    means: bool
    timing: bool
    joking: bool

    @property
    def top(self) -> int:
        return max((RANK[level] for level, _ in self.found), default=0)


def _read(text: str) -> _Reading | Assessment:
    lex = lexicon()
    normalised = normalise(text)
    why = _unreadable(text, normalised, lex)
    if why:
        return _not_assessed(why)
    context = _has(lex, "clinical", normalised) or _has(lex, "media", normalised)
    reported = bool(re.search(r"\b(?:said|says|told|tells|asked|shouted|wrote)\b", normalised))
    joking = _has(lex, "joking", normalised) and not _has(lex, "serious", normalised)
    recovered = _recovered(lex, normalised)
    found: list[tuple[str, str]] = []
    notes: set[str] = set()
    means = timing = False
    mentions = 0
    for clause in clauses_of(normalised):
        idioms = [m.span() for m in lex.idiom.finditer(clause)]
        if idioms:
            notes.add("figure_of_speech")
        # "now" or "again" brings the past into the present, unless the message says the
        # person has recovered ("i tried years ago, i am doing alright now").
        past = _has(lex, "past", clause) and (not _has(lex, "present", clause) or recovered)
        for group in lex.groups:
            for match in group.regex.finditer(clause):
                start, end = match.span()
                if any(start < i_end and i_start < end for i_start, i_end in idioms):
                    notes.add("figure_of_speech")
                    continue
                if _negated(lex, clause, start):
                    notes.add("negated")
                    continue
                if group.kind != "signal" and context:
                    notes.add("clinical_or_media_talk")
                    continue
                if _in_quotes(clause, start) and (context or reported):
                    notes.add("clinical_or_media_talk")
                    continue
                if group.kind != "signal" and past and recovered:
                    notes.add("past")  # someone else's hard time, or the topic, over now
                    continue
                if group.kind == "mention":
                    mentions += 1
                    continue
                level = group.level
                if past and level != CONCERN and group.code != "act_in_progress":
                    level = CONCERN
                    found.append((level, "past"))
                found.append((level, group.code))
        if not found and _denied(lex, clause):
            notes.add("negated")
        if _first_person(clause) and not past:
            # Means patterns are about having them ("i have", "with me"), even from the ward;
            # a time named in talk about work ("on call tonight") is not a chosen time.
            if lex.means.search(clause):
                means = True
            match = lex.timing.search(clause)
            if match and not _negated(lex, clause, match.start()):
                timing = timing or not _has(lex, "clinical", clause)
    if not found and mentions:
        found.append((CONCERN, "mentions_suicide"))
    return _Reading(found, notes, means, timing, joking)


def _conclude(reading: _Reading) -> Assessment:
    found = list(reading.found)
    if reading.joking and any(level == HIGH for level, _ in found):
        found = [(CONCERN if level == HIGH else level, code) for level, code in found]
        found.append((CONCERN, "joking_tone"))
    top = max((RANK[level] for level, _ in found), default=0)
    if top == RANK[HIGH] and (reading.means or reading.timing):
        found = [(IMMINENT if level == HIGH else level, code) for level, code in found]
        if reading.means:
            found.append((IMMINENT, "means_at_hand"))
        if reading.timing:
            found.append((IMMINENT, "timing"))
        top = RANK[IMMINENT]
    if not found:
        return Assessment(NONE, tuple(sorted(reading.notes)))
    ordered = sorted(found, key=lambda item: (-RANK[item[0]], item[1] in MODIFIER_LABELS))
    reasons = tuple(dict.fromkeys(code for _, code in ordered))
    return Assessment(LEVELS[top], reasons)
