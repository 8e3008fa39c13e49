"""Hard constraints, the score and its reasons, and `propose` for one request."""

import pytest
from hypothesis import given, settings

from kindred.matching import Request, Supporter, ineligibility, propose, score
from tests.matching.builders import (
    ALICE,
    FAR_AWAY,
    NORTHGATE,
    a_supporter,
    alice_asks,
    requests,
    supporters,
)


def proposed_ids(request: Request, people: list[Supporter], limit: int = 10) -> list[int]:
    return [p.supporter_id for p in propose(request, people, limit=limit)]


# Hard constraints


def test_a_supporter_taking_a_break_is_never_proposed():
    sam = a_supporter(available=False)
    assert ineligibility(alice_asks(), sam) == "taking a break"
    assert propose(alice_asks(), [sam]) == []


def test_a_supporter_whose_training_has_lapsed_is_never_proposed():
    sam = a_supporter(training_current=False)
    assert ineligibility(alice_asks(), sam) == "training needs renewing"
    assert propose(alice_asks(), [sam]) == []


def test_a_supporter_with_no_free_place_is_never_proposed():
    sam = a_supporter(capacity=2, open_conversations=2)
    assert ineligibility(alice_asks(), sam) == "has no room for another conversation"
    assert propose(alice_asks(), [sam]) == []


def test_a_supporter_with_one_free_place_can_be_proposed():
    assert ineligibility(alice_asks(), a_supporter(capacity=2, open_conversations=1)) is None


def test_a_supporter_outside_the_members_school_and_its_partners_is_never_proposed():
    olga = a_supporter(organisation_id=FAR_AWAY)
    assert ineligibility(alice_asks(), olga) == "outside your organisation and its partners"
    assert propose(alice_asks(), [olga]) == []


def test_a_supporter_at_a_partner_school_can_be_proposed():
    nia = a_supporter(organisation_id=NORTHGATE)
    assert proposed_ids(alice_asks(), [nia]) == [nia.id]


def test_a_member_is_never_matched_with_themselves():
    alice_supporting = a_supporter(user_id=ALICE)
    assert ineligibility(alice_asks(), alice_supporting) == "is you"


def test_someone_in_the_members_year_is_not_proposed_when_she_asked_for_another_year():
    sam = a_supporter(id=10, year_group="Year 3")
    tom = a_supporter(id=11, year_group="Year 5")
    request = alice_asks(excluded_year_group="year 3 ")  # labels compare loosely
    assert ineligibility(request, sam) == "in your year"
    assert proposed_ids(request, [sam, tom]) == [tom.id]


def test_someone_in_the_members_placement_group_is_not_proposed_when_she_asked():
    sam = a_supporter(placement_group="Ward 7")
    assert ineligibility(alice_asks(excluded_placement_group="Ward 7"), sam) == (
        "in your placement group"
    )


def test_year_and_placement_groups_only_rule_people_out_when_the_member_asked():
    sam = a_supporter(year_group="Year 3", placement_group="Ward 7")
    assert ineligibility(alice_asks(), sam) is None


def test_a_person_the_member_named_is_never_proposed():
    sam = a_supporter(id=10)
    request = alice_asks(excluded_supporter_ids=frozenset({10}))
    assert ineligibility(request, sam) == "someone you asked not to be matched with"


def test_the_members_assessor_or_tutor_is_never_proposed():
    sam = a_supporter(user_id=555)
    request = alice_asks(conflict_user_ids=frozenset({555}))
    assert ineligibility(request, sam) == "your assessor or tutor"


@pytest.mark.parametrize(
    "changes",
    [
        {"available": False},
        {"training_current": False},
        {"open_conversations": 3},
        {"organisation_id": FAR_AWAY},
        {"year_group": "Year 3"},
        {"id": 99},
        {"user_id": 555},
    ],
)
def test_anyone_available_still_keeps_every_hard_rule(changes):
    request = alice_asks(
        anyone=True,
        excluded_year_group="Year 3",
        excluded_supporter_ids=frozenset({99}),
        conflict_user_ids=frozenset({555}),
    )
    assert ineligibility(request, a_supporter(**changes)) is not None


def test_an_unknown_urgency_is_refused():
    with pytest.raises(ValueError, match="urgency"):
        alice_asks(urgency="asap")


# The score


def test_knowing_the_topic_outweighs_every_stated_preference_together():
    request = alice_asks(
        languages=frozenset({"Welsh"}),
        preferred_stages=frozenset({"FY1"}),
        preferred_identities=frozenset({"first in family"}),
        preferred_gender="woman",
    )
    knows_exams = a_supporter(id=10)
    matches_the_rest = a_supporter(
        id=11,
        topics=frozenset({"burnout"}),
        languages=frozenset({"Welsh"}),
        stage="FY1",
        identities=frozenset({"first in family"}),
        gender="woman",
    )
    assert proposed_ids(request, [matches_the_rest, knows_exams]) == [10, 11]


@pytest.mark.parametrize(
    ("wish", "match", "other"),
    [
        ({"languages": frozenset({"Welsh"})}, {"languages": frozenset({"Welsh"})}, {}),
        ({"preferred_stages": frozenset({"FY1"})}, {"stage": "FY1"}, {"stage": "Year 5"}),
        (
            {"preferred_identities": frozenset({"LGBTQ+"})},
            {"identities": frozenset({"LGBTQ+"})},
            {},
        ),
        ({"preferred_gender": "woman"}, {"gender": "Woman"}, {"gender": "man"}),
    ],
)
def test_a_supporter_who_meets_a_stated_preference_ranks_higher(wish, match, other):
    request = alice_asks(**wish)
    # The higher id meets the wish, so only the score can put them first.
    assert proposed_ids(request, [a_supporter(id=10, **other), a_supporter(id=11, **match)]) == [
        11,
        10,
    ]


def test_anyone_available_ignores_preferences():
    request = alice_asks(anyone=True, languages=frozenset({"Welsh"}), preferred_gender="woman")
    welsh_woman = a_supporter(id=10, languages=frozenset({"Welsh"}), gender="woman")
    english_man = a_supporter(id=11, gender="man")
    assert score(request, welsh_woman)[0] == score(request, english_man)[0]


def test_an_unstated_preference_counts_as_met():
    plain = alice_asks()
    welsh = a_supporter(id=10, languages=frozenset({"Welsh"}))
    english = a_supporter(id=11)
    assert score(plain, welsh)[0] == score(plain, english)[0]
    assert score(plain, welsh)[0] == score(alice_asks(languages=frozenset({"Welsh"})), welsh)[0]


def test_a_today_request_favours_someone_who_can_reply_today():
    request = alice_asks(urgency="today")
    later = a_supporter(id=10, available_today=False)
    today = a_supporter(id=11, available_today=True)
    assert proposed_ids(request, [later, today]) == [11, 10]


def test_a_supporter_with_less_recent_load_ranks_higher():
    busy = a_supporter(id=10, recent_load=6)
    quiet = a_supporter(id=11, recent_load=1)
    assert proposed_ids(alice_asks(), [busy, quiet]) == [11, 10]


def test_difficult_requests_go_to_those_with_fewer_recent_difficult_conversations():
    heavy = a_supporter(id=10, recent_difficult=3)
    light = a_supporter(id=11, recent_difficult=0)
    assert proposed_ids(alice_asks(difficult=True), [heavy, light]) == [11, 10]


def test_recent_difficult_conversations_do_not_count_against_ordinary_requests():
    heavy = a_supporter(id=10, recent_difficult=3)
    light = a_supporter(id=11, recent_difficult=0)
    assert score(alice_asks(), heavy)[0] == score(alice_asks(), light)[0]


def test_the_worst_eligible_match_still_scores_above_zero():
    request = alice_asks(
        urgency="no_rush",
        difficult=True,
        languages=frozenset({"Welsh"}),
        preferred_stages=frozenset({"FY1"}),
        preferred_identities=frozenset({"LGBTQ+"}),
        preferred_gender="woman",
    )
    worn_out = a_supporter(topics=frozenset(), recent_load=50, recent_difficult=50, gender="man")
    assert score(request, worn_out)[0] > 0


@settings(max_examples=60, deadline=None)
@given(requests(most=2), supporters(most=3))
def test_every_eligible_pair_scores_above_zero(backlog, people):
    for request in backlog:
        for supporter in people:
            if ineligibility(request, supporter) is None:
                assert score(request, supporter)[0] > 0


# Reasons


def test_reasons_say_in_plain_words_what_the_member_and_supporter_share():
    request = alice_asks(
        topics=frozenset({"exams", "imposter-feelings"}),
        languages=frozenset({"Welsh"}),
        preferred_stages=frozenset({"FY1"}),
        preferred_identities=frozenset({"first in family"}),
        preferred_gender="woman",
    )
    sam = a_supporter(
        topics=frozenset({"exams", "imposter-feelings", "money"}),
        languages=frozenset({"English", "Welsh"}),
        stage="FY1",
        identities=frozenset({"first in family"}),
        gender="woman",
        recent_load=1,
    )
    assert score(request, sam)[1] == (
        "knows about exams and imposter feelings",
        "speaks Welsh",
        "is in FY1",
        "is also first in family",
        "is the gender you asked for",
        "has capacity this week",
        "has had few conversations lately",
    )


def test_reasons_say_whether_the_supporter_can_reply_today():
    request = alice_asks(urgency="today")
    assert "can reply today" in score(request, a_supporter(available_today=True))[1]
    assert "can reply in the next few days" in score(request, a_supporter(available_today=False))[1]


def test_reasons_leave_out_what_is_not_shared_and_waived_preferences():
    request = alice_asks(anyone=True, languages=frozenset({"Welsh"}), urgency="no_rush")
    sam = a_supporter(topics=frozenset({"burnout"}), languages=frozenset({"Welsh"}), recent_load=8)
    assert score(request, sam)[1] == ("has room for a new conversation",)


# propose


def test_propose_gives_the_best_few_best_first():
    people = [a_supporter(id=i, recent_load=i - 10) for i in range(15, 9, -1)]
    proposals = propose(alice_asks(), people)
    assert [p.supporter_id for p in proposals] == [10, 11, 12]
    assert proposals[0].score > proposals[1].score > proposals[2].score
    assert all(p.request_id == 1 for p in proposals)


def test_propose_breaks_ties_by_supporter_id():
    people = [a_supporter(id=i) for i in (14, 12, 13, 11)]
    assert proposed_ids(alice_asks(), people, limit=4) == [11, 12, 13, 14]


def test_propose_gives_nothing_when_nobody_is_eligible():
    assert propose(alice_asks(), [a_supporter(available=False)]) == []
    assert propose(alice_asks(), []) == []


def test_a_proposal_carries_the_same_score_and_reasons_as_score():
    request, sam = alice_asks(urgency="today"), a_supporter()
    (proposal,) = propose(request, [sam])
    assert (proposal.score, proposal.reasons) == score(request, sam)
