"""People and requests for the matching tests, and hypothesis strategies for random backlogs.

alice is a Year 3 member of St Elsewhere asking about exams; sam, sara and tom are supporters
there; nia supports at Northgate, a partner school; olga's school (Far Away) is no partner.
"""

from hypothesis import strategies as st

from kindred.matching import Proposal, Request, Supporter

ST_ELSEWHERE, NORTHGATE, FAR_AWAY = 1, 2, 3
ALICE = 1


def a_supporter(id: int = 10, **changes) -> Supporter:
    """A supporter at St Elsewhere who knows about exams, with everything else neutral."""
    fields = {
        "id": id,
        "user_id": 100 + id,
        "organisation_id": ST_ELSEWHERE,
        "topics": frozenset({"exams"}),
        "languages": frozenset({"English"}),
    }
    return Supporter(**(fields | changes))


def alice_asks(id: int = 1, **changes) -> Request:
    """Alice's request about exams, open to her school and its partner."""
    fields = {
        "id": id,
        "member_id": ALICE,
        "allowed_organisation_ids": frozenset({ST_ELSEWHERE, NORTHGATE}),
        "topics": frozenset({"exams"}),
    }
    return Request(**(fields | changes))


def milli(proposals: list[Proposal]) -> int:
    """A total in whole milli-points, so totals compare exactly."""
    return sum(round(p.score * 1000) for p in proposals)


def _few(items: list, most: int = 2) -> st.SearchStrategy:
    return st.frozensets(st.sampled_from(items), max_size=most)


TOPICS = ["exams", "burnout", "placements"]
LANGUAGES = ["English", "Welsh"]
STAGES = ["Year 3", "FY1"]
IDENTITIES = ["first in family", "LGBTQ+"]
GROUPS = ["", "2027", "2028"]
# User ids and member ids share one small range, so people meet themselves and their tutors.
PEOPLE = st.integers(min_value=1, max_value=6)


@st.composite
def supporters(draw, most: int = 5) -> list[Supporter]:
    """A few supporters with clashing attributes; ids 1.. in order."""
    count = draw(st.integers(min_value=0, max_value=most))
    out = []
    for index in range(count):
        capacity = draw(st.integers(min_value=0, max_value=3))
        out.append(
            Supporter(
                id=index + 1,
                user_id=draw(PEOPLE),
                organisation_id=draw(st.sampled_from([ST_ELSEWHERE, NORTHGATE, FAR_AWAY])),
                topics=draw(_few(TOPICS, 3)),
                languages=draw(_few(LANGUAGES)),
                stage=draw(st.sampled_from(["", *STAGES])),
                year_group=draw(st.sampled_from(GROUPS)),
                placement_group=draw(st.sampled_from(GROUPS)),
                identities=draw(_few(IDENTITIES)),
                gender=draw(st.sampled_from(["", "woman", "man"])),
                capacity=capacity,
                open_conversations=draw(st.integers(min_value=0, max_value=capacity)),
                available=draw(st.booleans()),
                training_current=draw(st.sampled_from([True, True, False])),
                available_today=draw(st.booleans()),
                recent_load=draw(st.floats(min_value=0, max_value=15, allow_nan=False)),
                recent_difficult=draw(st.integers(min_value=0, max_value=7)),
            )
        )
    return out


@st.composite
def requests(draw, most: int = 6) -> list[Request]:
    """A few requests with clashing preferences and exclusions; ids 1.. in order."""
    count = draw(st.integers(min_value=0, max_value=most))
    return [
        Request(
            id=index + 1,
            member_id=draw(PEOPLE),
            allowed_organisation_ids=draw(
                st.frozensets(st.sampled_from([ST_ELSEWHERE, NORTHGATE, FAR_AWAY]), min_size=1)
            ),
            topics=draw(_few(TOPICS)),
            urgency=draw(st.sampled_from(["today", "this_week", "no_rush"])),
            languages=draw(_few(LANGUAGES, 1)),
            preferred_stages=draw(_few(STAGES, 1)),
            preferred_identities=draw(_few(IDENTITIES)),
            preferred_gender=draw(st.sampled_from(["", "woman", "man"])),
            excluded_year_group=draw(st.sampled_from(GROUPS)),
            excluded_placement_group=draw(st.sampled_from(GROUPS)),
            excluded_supporter_ids=draw(st.frozensets(PEOPLE, max_size=1)),
            conflict_user_ids=draw(st.frozensets(PEOPLE, max_size=1)),
            difficult=draw(st.booleans()),
            anyone=draw(st.booleans()),
            waited_minutes=draw(st.sampled_from([0, 30, 600, 5000])),
        )
        for index in range(count)
    ]
