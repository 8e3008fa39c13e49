"""The Q&A page: attendees ask anonymously, vote and report; moderators hide, merge, pin and
mark answered; organisers turn it off and export it after the event."""

import csv
import io

import pytest
from django.urls import reverse

from kindred.qanda.models import Question, QuestionReport
from kindred.safety.models import RiskSignal
from tests.conftest import sign_in
from tests.qanda.builders import ask, ended_event, going, live_room, speaker

pytestmark = pytest.mark.django_db


def _page(client, event):
    return client.get(reverse("questions", args=[event.pk]))


def test_it_ranks_pinned_first_then_votes_then_oldest_with_answered_apart(client, world):
    event = live_room(world)
    oldest = ask(world.bob, event, "Oldest with no votes")
    popular = ask(world.bob, event, "Most votes", votes=5)
    pinned = ask(world.bob, event, "Pinned by the moderator", pinned=True)
    newer = ask(world.bob, event, "Newer with no votes")
    done = ask(world.bob, event, "Already answered", votes=9, answered=True)
    sign_in(client, world.alice)
    html = _page(client, event).content.decode()
    order = [html.index(q.text) for q in (pinned, popular, oldest, newer, done)]
    assert order == sorted(order)
    assert html.index("Answered (1)") < html.index(done.text)


def test_a_question_is_anonymous_unless_the_asker_shows_their_name(client, world):
    event = live_room(world)
    going(world.bob, event)
    sign_in(client, world.bob)
    client.post(reverse("ask_question", args=[event.pk]), {"text": "Who do I tell first?"})
    client.post(
        reverse("ask_question", args=[event.pk]),
        {"text": "Can I take time out of the course?", "show_name": "on"},
    )
    sign_in(client, world.alice)
    html = _page(client, event).content.decode()
    assert "Who do I tell first?" in html and "Can I take time out" in html
    assert html.count("asked by Bob") == 1
    assert "you asked this</span>" not in html.replace(" hidden> · you asked this", "")


def test_asking_says_the_room_sees_it_without_a_name(client, world):
    event = live_room(world)
    sign_in(client, world.alice)
    response = client.post(
        reverse("ask_question", args=[event.pk]), {"text": "  How   do you rest? "}, follow=True
    )
    assert "Posted. The room sees your question without your name." in response.content.decode()
    assert Question.objects.get().text == "How do you rest?"


def test_a_question_over_500_characters_is_refused_and_the_text_is_kept(client, world):
    event = live_room(world)
    sign_in(client, world.alice)
    long = "Why " * 130
    response = client.post(reverse("ask_question", args=[event.pk]), {"text": long})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Keep your question to 500 characters: it has 519." in html
    assert long.strip() in html
    assert not Question.objects.exists()


def test_voting_twice_is_ignored_and_a_vote_can_be_taken_back(client, world):
    event = live_room(world)
    question = ask(world.bob, event)
    sign_in(client, world.alice)
    url = reverse("vote_question", args=[question.pk])
    client.post(url, {"vote": "yes"})
    second = client.post(url, {"vote": "yes"}, follow=True)
    assert second.status_code == 200
    question.refresh_from_db()
    assert question.votes == 1
    client.post(url, {"vote": "no"})
    question.refresh_from_db()
    assert question.votes == 0


def test_an_htmx_vote_answers_with_the_reranked_list_and_a_status(client, world):
    event = live_room(world)
    first = ask(world.bob, event, "First asked")
    second = ask(world.bob, event, "Second asked")
    sign_in(client, world.alice)
    response = client.post(
        reverse("vote_question", args=[second.pk]), {"vote": "yes"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.index(second.text) < html.index(first.text)
    assert 'hx-swap-oob="true">Vote added.</p>' in html
    assert "<html" not in html


def test_reporting_tells_moderators_how_many_people_reported(client, world):
    event = live_room(world)
    going(world.bob, event)
    question = ask(world.bob, event)
    sign_in(client, world.alice)
    client.post(reverse("report_question", args=[question.pk]))
    client.post(reverse("report_question", args=[question.pk]))
    assert QuestionReport.objects.count() == 1
    assert "reported by" not in _page(client, event).content.decode()
    sign_in(client, world.cora)
    assert "reported by 1 person" in _page(client, event).content.decode()


def test_a_speaker_with_an_account_moderates_hide_pin_and_mark_answered(client, world):
    event = live_room(world)
    speaker(world.fay, event)
    question = ask(world.alice, event, "Should I tell my tutor?")
    sign_in(client, world.fay)
    url = reverse("moderate_question", args=[question.pk])
    client.post(url, {"action": "pin"})
    client.post(url, {"action": "answered"})
    question.refresh_from_db()
    assert question.pinned and question.answered
    client.post(url, {"action": "hide"})
    sign_in(client, world.alice)
    assert "Should I tell my tutor?" not in _page(client, event).content.decode()


def test_merging_combines_votes_once_per_person(client, world):
    event = live_room(world)
    going(world.bob, event)
    duplicate = ask(world.bob, event, "Do I have to tell the GMC?")
    original = ask(world.bob, event, "Is seeing a GP reported to the GMC?")
    from kindred.qanda import services

    for voter in (world.alice, world.bob):
        services.vote(voter=voter, question=original)
    services.vote(voter=world.alice, question=duplicate)
    sign_in(client, world.cora)
    client.post(reverse("merge_question", args=[duplicate.pk]), {"into": original.pk})
    original.refresh_from_db()
    duplicate.refresh_from_db()
    assert original.votes == 2
    assert duplicate.status == Question.Status.MERGED
    html = _page(client, event).content.decode()
    assert "1 similar question merged in" in html
    assert "Do I have to tell the GMC?" not in html


def test_members_cannot_moderate(client, world):
    event = live_room(world)
    question = ask(world.bob, event)
    sign_in(client, world.alice)
    response = client.post(reverse("moderate_question", args=[question.pk]), {"action": "hide"})
    assert response.status_code == 403
    question.refresh_from_db()
    assert question.status == Question.Status.VISIBLE


def test_a_coordinator_without_a_second_factor_is_asked_for_one(client, world):
    event = live_room(world)
    sign_in(client, world.cora, mfa=False)
    response = _page(client, event)
    assert response.status_code == 403
    assert "Two-step verification needed" in response.content.decode()


def test_when_organisers_turn_qanda_off_nobody_can_ask_and_the_page_says_so(client, world):
    event = live_room(world)
    sign_in(client, world.cora)
    client.post(reverse("switch_qanda", args=[event.pk]), {"on": "no"})
    event.refresh_from_db()
    assert event.qa_enabled is False
    sign_in(client, world.alice)
    html = _page(client, event).content.decode()
    assert "Q&amp;A is off for now" in html
    response = client.post(reverse("ask_question", args=[event.pk]), {"text": "Anyone there?"})
    assert response.status_code == 400
    assert "Q&amp;A is off for this event" in response.content.decode()
    assert not Question.objects.exists()


def test_a_question_that_signals_risk_is_held_and_the_asker_is_offered_help(client, world):
    event = live_room(world)
    sign_in(client, world.alice)
    response = client.post(
        reverse("ask_question", args=[event.pk]),
        {"text": "I want to kill myself tonight, how do doctors cope?"},
        follow=True,
    )
    html = response.content.decode()
    question = Question.objects.get()
    assert question.status == Question.Status.HELD
    assert "kept your question out of the room" in html
    assert reverse("ask_for_support") in html and "Talk to a peer supporter" in html
    assert "Posted." not in html
    assert RiskSignal.objects.filter(source="question").exists()
    sign_in(client, world.cora)
    assert "kill myself" not in _page(client, event).content.decode()


def test_the_export_after_the_event_has_only_text_and_votes(client, world):
    event = ended_event(world)
    ask(world.bob, event, "=HYPERLINK(evil)", votes=2)
    ask(world.bob, event, "Visible one", votes=4, show_name=True)
    ask(world.bob, event, "Hidden one", status=Question.Status.HIDDEN)
    sign_in(client, world.cora)
    response = client.get(reverse("export_questions", args=[event.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [["question", "votes"], ["Visible one", "4"], ["'=HYPERLINK(evil)", "2"]]


def test_the_export_waits_for_the_event_to_end(client, world):
    event = live_room(world)
    sign_in(client, world.cora)
    response = client.get(reverse("export_questions", args=[event.pk]), follow=True)
    assert "once the event has ended" in response.content.decode()


def test_the_page_takes_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    event = live_room(world)
    for i in range(30):
        ask(world.bob, event, f"Question number {i}", votes=i % 4)
    sign_in(client, world.cora)
    with django_assert_max_num_queries(24):
        assert _page(client, event).status_code == 200
    sign_in(client, world.alice)
    with django_assert_max_num_queries(24):
        assert _page(client, event).status_code == 200
    with django_assert_max_num_queries(22):
        assert client.get(reverse("question_list", args=[event.pk])).status_code == 200


def test_the_event_page_block_links_to_the_questions_with_their_number(world):
    from django.template.loader import render_to_string

    event = live_room(world)
    ask(world.bob, event)
    html = render_to_string("qanda/partials/on_event_page.html", {"event": event})
    assert reverse("questions", args=[event.pk]) in html and "(1 question)" in html
    event.qa_enabled = False
    html = render_to_string("qanda/partials/on_event_page.html", {"event": event})
    assert "Q&amp;A is off" in html
