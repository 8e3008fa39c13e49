"""Hard constraints, the fit score with its plain reasons, and proposals for one request.

Scores are kept as whole milli-points internally so that the scalar code here and the
vectorised code in `pairs.py` agree to the last digit and the solver can be exact; the
public `score` is that number divided by 1,000.
"""

import heapq
from collections.abc import Collection, Iterable, Sequence

from kindred.matching.model import Proposal, Request, Supporter

SCALE = 1_000  # milli-points per point

# Every eligible match is worth BASE, more than the largest penalty, so a match always beats none.
BASE = 100_000
# Topic fit is the largest single part: the member came to talk about something.
TOPIC = 40_000
LANGUAGE = 15_000
STAGE = 8_000
IDENTITY = 8_000
GENDER = 6_000
# A "today" request is best served by someone who can reply today.
REPLY_TODAY = 15_000
# Within one urgency a request's score spreads over at most 142 points (wait 10 + fit 92,
# minus load 40), so a step of 150 between urgencies means a "today" request outweighs any
# "this week" one when they compete for the last free place.
URGENCY_PRIORITY = {"today": 300_000, "this_week": 150_000, "no_rush": 0}
WAIT_POINTS_PER_HOUR = 500
WAIT_CAP_MINUTES = 20 * 60
LOAD_PER_CONVERSATION = 2_000
LOAD_CAP = 10.0
DIFFICULT_PER_CONVERSATION = 4_000
DIFFICULT_CAP = 5
LIGHT_LOAD = 3.0  # fewer recent conversations than this reads as "few"


def label(text: str) -> str:
    """The comparable form of a free-text label, so "Year 3" and "year 3 " are one year."""
    return text.strip().casefold()


def labels(texts: Collection[str]) -> frozenset[str]:
    """The comparable forms of a set of labels, without blanks."""
    if not texts:
        return frozenset()  # the common case, and it is scored ten thousand times a run
    return frozenset(filter(None, map(label, texts)))


def priority_points(request: Request) -> int:
    """The part of every score that depends on the request alone: urgency and waiting time."""
    waited = min(max(request.waited_minutes, 0), WAIT_CAP_MINUTES)
    return URGENCY_PRIORITY[request.urgency] + waited * WAIT_POINTS_PER_HOUR // 60


def load_penalty(supporter: Supporter, *, difficult: bool) -> int:
    """Milli-points taken off for recent load, and for recent difficult ones if this is one."""
    load = min(max(supporter.recent_load, 0.0), LOAD_CAP)
    penalty = round(load * LOAD_PER_CONVERSATION)
    if difficult:
        penalty += min(max(supporter.recent_difficult, 0), DIFFICULT_CAP) * (
            DIFFICULT_PER_CONVERSATION
        )
    return penalty


def _spoken_list(words: Iterable[str]) -> str:
    items = sorted(words, key=str.casefold)
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def _topic_words(slug: str) -> str:
    return slug.replace("-", " ").replace("_", " ")


class RequestFit:
    """One request prepared for scoring many supporters quickly."""

    __slots__ = (
        "request",
        "constant",
        "topics",
        "languages",
        "stages",
        "identities",
        "gender",
        "today",
        "year_group",
        "placement_group",
    )

    def __init__(self, request: Request) -> None:
        self.request = request
        self.constant = BASE + priority_points(request)
        self.topics = request.topics
        # "Anyone available" means the member waived their preferences, not the hard rules.
        stated = not request.anyone
        self.languages = request.languages if stated else frozenset()
        self.stages = labels(request.preferred_stages) if stated else frozenset()
        self.identities = request.preferred_identities if stated else frozenset()
        self.gender = label(request.preferred_gender) if stated else ""
        self.today = request.urgency == "today"
        self.year_group = label(request.excluded_year_group)
        self.placement_group = label(request.excluded_placement_group)

    def ineligibility(self, supporter: Supporter) -> str | None:
        """None if this supporter may be matched with the request, else a plain reason."""
        request = self.request
        if supporter.user_id == request.member_id:
            return "is you"
        if not supporter.training_current:
            return "training needs renewing"
        if not supporter.available:
            return "taking a break"
        if supporter.open_conversations >= supporter.capacity:
            return "has no room for another conversation"
        if supporter.organisation_id not in request.allowed_organisation_ids:
            return "outside your organisation and its partners"
        if supporter.id in request.excluded_supporter_ids:
            return "someone you asked not to be matched with"
        if supporter.user_id in request.conflict_user_ids:
            return "your assessor or tutor"
        if self.year_group and label(supporter.year_group) == self.year_group:
            return "in your year"
        if self.placement_group and label(supporter.placement_group) == self.placement_group:
            return "in your placement group"
        return None

    def points(self, supporter: Supporter) -> int:
        """The score in milli-points; an unstated preference counts as met."""
        points = self.constant
        if self.topics:
            points += TOPIC * len(self.topics & supporter.topics) // len(self.topics)
        else:
            points += TOPIC
        if not self.languages or not self.languages.isdisjoint(supporter.languages):
            points += LANGUAGE
        if not self.stages or label(supporter.stage) in self.stages:
            points += STAGE
        if self.identities:
            shared = len(self.identities & supporter.identities)
            points += IDENTITY * shared // len(self.identities)
        else:
            points += IDENTITY
        if not self.gender or label(supporter.gender) == self.gender:
            points += GENDER
        if self.today and supporter.available_today:
            points += REPLY_TODAY
        return points - load_penalty(supporter, difficult=self.request.difficult)

    def reasons(self, supporter: Supporter) -> tuple[str, ...]:
        """Why this supporter fits, in words a tired student reads at a glance."""
        reasons = []
        topics = self.topics & supporter.topics
        if topics:
            reasons.append("knows about " + _spoken_list(map(_topic_words, topics)))
        languages = self.languages & supporter.languages
        if languages:
            reasons.append("speaks " + _spoken_list(languages))
        if self.stages and label(supporter.stage) in self.stages:
            reasons.append(f"is in {supporter.stage.strip()}")
        identities = self.identities & supporter.identities
        if identities:
            reasons.append("is also " + _spoken_list(identities))
        if self.gender and label(supporter.gender) == self.gender:
            reasons.append("is the gender you asked for")
        urgency = self.request.urgency
        if urgency == "today":
            reasons.append(
                "can reply today" if supporter.available_today else "can reply in the next few days"
            )
        elif urgency == "this_week":
            reasons.append("has capacity this week")
        else:
            reasons.append("has room for a new conversation")
        if supporter.recent_load < LIGHT_LOAD:
            reasons.append("has had few conversations lately")
        return tuple(reasons)

    def proposal(self, supporter: Supporter, points: int | None = None) -> Proposal:
        """A proposal of this supporter, with its score and reasons."""
        if points is None:
            points = self.points(supporter)
        return Proposal(
            request_id=self.request.id,
            supporter_id=supporter.id,
            score=points / SCALE,
            reasons=self.reasons(supporter),
        )


def ineligibility(request: Request, supporter: Supporter) -> str | None:
    """None if the pair may be matched, else the first hard rule it breaks, in plain words."""
    return RequestFit(request).ineligibility(supporter)


def score(request: Request, supporter: Supporter) -> tuple[float, tuple[str, ...]]:
    """The fit of an eligible pair (always > 0) and the plain reasons for it."""
    fit = RequestFit(request)
    return fit.points(supporter) / SCALE, fit.reasons(supporter)


def propose(request: Request, supporters: Sequence[Supporter], *, limit: int = 3) -> list[Proposal]:
    """The best few eligible supporters for one request, best first, ties by supporter id."""
    fit = RequestFit(request)
    # The index keeps the sort from ever comparing two supporters themselves.
    ranked = heapq.nsmallest(
        limit,
        (
            (-fit.points(supporter), supporter.id, index)
            for index, supporter in enumerate(supporters)
            if fit.ineligibility(supporter) is None
        ),
    )
    return [fit.proposal(supporters[index], -negative) for negative, _, index in ranked]
