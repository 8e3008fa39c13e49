"""The finder's ranking rules (kindred/navigator/finder.py), as examples and as properties."""

from hypothesis import given, settings
from hypothesis import strategies as st

from kindred.navigator.finder import URGENT, Answers, Candidate, rank, tells_school

TOPICS = ["anything", "exams", "money", "low_mood", "anxiety", "burnout"]


def names(ranked):
    return [item.candidate.name for item in ranked]


def test_matching_topics_come_first_with_the_reason():
    exams = Candidate(1, "Exam help", topics=frozenset({"exams"}))
    money = Candidate(2, "Money advice", topics=frozenset({"money"}))
    ranked = rank(
        [money, exams],
        Answers(topics=frozenset({"exams"})),
        topic_labels={"exams": "Exams and study"},
    )
    assert names(ranked) == ["Exam help", "Money advice"]
    assert "helps with exams and study" in ranked[0].reasons


def test_urgent_answers_put_crisis_lines_first():
    tutor = Candidate(1, "Tutor", topics=frozenset({"exams"}), open_now=True)
    line = Candidate(2, "Samaritans", is_crisis_line=True, topics=frozenset({"anything"}))
    for urgency in ("now", "today"):
        ranked = rank([tutor, line], Answers(topics=frozenset({"exams"}), urgency=urgency))
        assert names(ranked) == ["Samaritans", "Tutor"]
    assert (
        names(rank([tutor, line], Answers(topics=frozenset({"exams"}), urgency="week")))[0]
        == "Tutor"
    )


def test_my_school_must_not_find_out_puts_a_service_that_tells_the_school_last():
    tutor = Candidate(1, "Personal tutor", topics=frozenset({"exams"}), tells_school="yes")
    advice = Candidate(2, "Union advice", tells_school="never", independent=True)
    ranked = rank([tutor, advice], Answers(topics=frozenset({"exams"}), school_must_not_know=True))
    assert names(ranked) == ["Union advice", "Personal tutor"]
    assert "your school is not told" in ranked[0].reasons
    assert "independent of your school" in ranked[0].reasons
    assert "your school is told" in ranked[1].cautions


def test_the_reasons_say_free_and_open_now():
    line = Candidate(1, "Line", cost="free", open_now=True, formats=frozenset({"phone"}))
    ranked = rank([line], Answers(urgency="now", free=True, format="remote"))
    assert ranked[0].reasons == ("open now", "free", "by phone")


def test_it_warns_about_cost_and_working_hours():
    paid = Candidate(1, "Therapy", cost="paid", outside_working_hours=False)
    ranked = rank([paid], Answers(free=True, outside_hours=True))
    assert ranked[0].cautions == ("costs money", "working hours only")


def test_peer_preference_ranks_peers_over_professionals():
    peers = Candidate(1, "Peers", helpers="peers")
    pros = Candidate(2, "Counsellors", helpers="professionals")
    assert names(rank([pros, peers], Answers(who="peer"))) == ["Peers", "Counsellors"]
    assert names(rank([peers, pros], Answers(who="professional"))) == ["Counsellors", "Peers"]


def test_in_person_preference():
    remote = Candidate(1, "Phone line", formats=frozenset({"phone"}))
    office = Candidate(2, "Drop-in", formats=frozenset({"in_person"}))
    assert names(rank([remote, office], Answers(format="in_person"))) == ["Drop-in", "Phone line"]


# --- properties

candidates = st.builds(
    Candidate,
    id=st.integers(1, 10_000),
    name=st.text(min_size=1, max_size=8),
    topics=st.frozensets(st.sampled_from(TOPICS), max_size=3),
    cost=st.sampled_from(["free", "low_cost", "paid"]),
    tells_school=st.sampled_from(["never", "exceptional", "yes"]),
    independent=st.booleans(),
    formats=st.frozensets(st.sampled_from(["in_person", "phone", "video", "text", "online"])),
    helpers=st.sampled_from(["peers", "volunteers", "professionals"]),
    wait=st.sampled_from(["immediate", "same_day", "days", "weeks", "months"]),
    is_crisis_line=st.booleans(),
    open_now=st.booleans(),
    outside_working_hours=st.booleans(),
)
answers = st.builds(
    Answers,
    topics=st.frozensets(st.sampled_from(TOPICS), max_size=3),
    urgency=st.sampled_from(["now", "today", "week", "exploring"]),
    school_must_not_know=st.booleans(),
    free=st.booleans(),
    outside_hours=st.booleans(),
    format=st.sampled_from(["either", "in_person", "remote"]),
    who=st.sampled_from(["either", "peer", "professional"]),
)
unique_candidates = st.lists(candidates, max_size=25, unique_by=lambda c: c.id)


@settings(max_examples=300)
@given(unique_candidates, answers)
def test_school_must_not_find_out_never_ranks_a_service_that_tells_above_one_that_does_not(
    pool, wanted
):
    wanted = Answers(**{**wanted.__dict__, "school_must_not_know": True})
    order = [item.candidate for item in rank(pool, wanted)]
    seen_one_that_tells = False
    for candidate in order:
        if tells_school(candidate):
            seen_one_that_tells = True
        else:
            assert not seen_one_that_tells, (
                "a service that tells the school ranked above one that does not"
            )


@settings(max_examples=300)
@given(unique_candidates, answers, st.sampled_from(sorted(URGENT)))
def test_urgent_answers_put_every_crisis_line_before_other_services(pool, wanted, urgency):
    wanted = Answers(**{**wanted.__dict__, "urgency": urgency})
    order = [item.candidate for item in rank(pool, wanted)]

    # Within each school tier (the school rule comes first), crisis lines lead.
    def held_back(c):
        return wanted.school_must_not_know and tells_school(c)

    for tier in (False, True):
        flags = [c.is_crisis_line for c in order if held_back(c) == tier]
        assert flags == sorted(flags, reverse=True)


@given(unique_candidates, answers)
def test_nothing_is_lost_or_repeated(pool, wanted):
    ranked = rank(pool, wanted)
    assert sorted(item.candidate.id for item in ranked) == sorted(c.id for c in pool)


@given(unique_candidates, answers, st.randoms())
def test_the_order_does_not_depend_on_the_order_services_came_in(pool, wanted, rnd):
    shuffled = list(pool)
    rnd.shuffle(shuffled)
    assert [i.candidate.id for i in rank(pool, wanted)] == [
        i.candidate.id for i in rank(shuffled, wanted)
    ]


@given(candidates, answers, st.sampled_from(TOPICS))
def test_helping_with_one_more_of_my_topics_never_lowers_a_score(candidate, wanted, topic):
    wanted = Answers(**{**wanted.__dict__, "topics": wanted.topics | {topic}})
    wider = Candidate(**{**candidate.__dict__, "topics": candidate.topics | {topic}})
    assert rank([wider], wanted)[0].score >= rank([candidate], wanted)[0].score


@given(candidates, answers)
def test_when_it_must_be_free_a_free_service_never_ranks_below_the_same_one_that_costs(
    candidate, wanted
):
    wanted = Answers(**{**wanted.__dict__, "free": True})
    free = Candidate(**{**candidate.__dict__, "id": 1, "name": "b", "cost": "free"})
    paid = Candidate(**{**candidate.__dict__, "id": 2, "name": "a", "cost": "paid"})
    assert [i.candidate.id for i in rank([paid, free], wanted)] == [1, 2]
