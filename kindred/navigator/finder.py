"""The guided finder's ranking: a few answers in, services in order with reasons. No Django.

Hard rules, in this order (they come before any score):
1. When the school must not find out, a service that tells the school never ranks above one
   that does not.
2. When help is needed now or today, crisis lines come first.
Then a score: topics that match, then what the person said matters (free, remote or in
person, peer or professional, outside working hours, open now, independence from the school).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

URGENCIES = ("now", "today", "week", "exploring")
URGENT = frozenset({"now", "today"})
FORMAT_PREFERENCES = ("either", "in_person", "remote")
WHO_PREFERENCES = ("either", "peer", "professional")
REMOTE_FORMATS = frozenset({"phone", "video", "text", "online"})
GENERAL_TOPIC = "anything"

# What a service tells the school: "never", "exceptional" (only with consent or serious risk,
# as its limits say) or "yes" (the school is told as part of how it works).
TELLS_SCHOOL_LEVELS = ("never", "exceptional", "yes")


@dataclass(frozen=True)
class Candidate:
    """What the finder needs to know about one service."""

    id: int
    name: str
    topics: frozenset[str] = frozenset()
    cost: str = "free"  # free, low_cost, paid
    tells_school: str = "exceptional"
    independent: bool = False
    formats: frozenset[str] = frozenset()
    helpers: str = "professionals"  # peers, volunteers, professionals
    wait: str = "weeks"  # immediate, same_day, days, weeks, months
    is_crisis_line: bool = False
    open_now: bool = False
    outside_working_hours: bool = False


@dataclass(frozen=True)
class Answers:
    """The person's answers; every question can be skipped."""

    topics: frozenset[str] = frozenset()
    urgency: str = "exploring"
    school_must_not_know: bool = False
    free: bool = False
    outside_hours: bool = False
    format: str = "either"
    who: str = "either"


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    score: float
    reasons: tuple[str, ...] = field(default=())
    cautions: tuple[str, ...] = field(default=())


def tells_school(candidate: Candidate) -> bool:
    return candidate.tells_school == "yes"


def _score(candidate: Candidate, answers: Answers, topic_labels: dict[str, str]):
    score = 0.0
    reasons: list[str] = []
    cautions: list[str] = []

    matched = sorted(answers.topics & candidate.topics)
    if matched:
        score += 3 + min(len(matched) - 1, 2)
        names = [topic_labels.get(t, t).lower() for t in matched[:2]]
        reasons.append("helps with " + " and ".join(names))
    elif answers.topics and GENERAL_TOPIC in candidate.topics:
        score += 1.5
        reasons.append("talks about anything")

    urgent = answers.urgency in URGENT
    if urgent and candidate.is_crisis_line:
        score += 2
        reasons.append("for when you need help now")
    if answers.urgency == "now":
        if candidate.open_now:
            score += 3
            reasons.append("open now")
        else:
            cautions.append("closed right now")
        if candidate.wait == "immediate":
            score += 2
    elif answers.urgency == "today":
        if candidate.open_now:
            score += 1
            reasons.append("open now")
        if candidate.wait in {"immediate", "same_day"}:
            score += 2
            reasons.append("no wait" if candidate.wait == "immediate" else "same-day help")
    elif answers.urgency == "week":
        if candidate.wait in {"immediate", "same_day", "days"}:
            score += 1.5
            reasons.append("help within days")
        elif candidate.wait == "months":
            cautions.append("the wait can be long")

    if answers.school_must_not_know:
        if candidate.tells_school == "never":
            score += 2
            reasons.append("your school is not told")
        elif candidate.tells_school == "exceptional":
            score += 1
            reasons.append("your school is told only in rare cases")
        else:
            cautions.append("your school is told")
        if candidate.independent:
            score += 1
            reasons.append("independent of your school")

    if answers.free:
        if candidate.cost == "free":
            score += 2
            reasons.append("free")
        elif candidate.cost == "paid":
            score -= 1
            cautions.append("costs money")
        else:
            cautions.append("low cost, not free")

    if answers.outside_hours:
        if candidate.outside_working_hours:
            score += 2
            reasons.append("open evenings or weekends")
        else:
            cautions.append("working hours only")

    if answers.format == "in_person":
        if "in_person" in candidate.formats:
            score += 2
            reasons.append("in person")
        else:
            cautions.append("not in person")
    elif answers.format == "remote":
        remote = sorted(REMOTE_FORMATS & candidate.formats)
        if remote:
            score += 2
            reasons.append("by " + ", ".join(f.replace("_", " ") for f in remote))
        else:
            cautions.append("in person only")

    if answers.who == "peer":
        if candidate.helpers == "peers":
            score += 2
            reasons.append("talk to a peer")
        elif candidate.helpers == "volunteers":
            score += 1
            reasons.append("trained volunteers")
    elif answers.who == "professional" and candidate.helpers == "professionals":
        score += 2
        reasons.append("trained professionals")

    return score, tuple(reasons), tuple(cautions)


def rank(
    candidates: Iterable[Candidate],
    answers: Answers,
    *,
    topic_labels: dict[str, str] | None = None,
) -> list[Ranked]:
    """Every candidate, best first, each with the reasons it fits and what to be aware of."""
    labels = topic_labels or {}
    urgent = answers.urgency in URGENT
    ranked = []
    for candidate in candidates:
        score, reasons, cautions = _score(candidate, answers, labels)
        ranked.append(Ranked(candidate, score, reasons, cautions))

    def order(item: Ranked):
        c = item.candidate
        school_tier = 1 if answers.school_must_not_know and tells_school(c) else 0
        crisis_tier = 0 if (urgent and c.is_crisis_line) or not urgent else 1
        return (school_tier, crisis_tier, -item.score, c.name.lower(), c.id)

    return sorted(ranked, key=order)
