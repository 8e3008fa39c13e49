"""Demo questions on the live event, and what "Download my data" holds."""

import io
import sys
import types

import pytest

from kindred.qanda.demo import seed_demo
from kindred.qanda.export import export_personal_data
from kindred.qanda.models import Question
from tests.factories import UserFactory
from tests.qanda.builders import ask, live_room

pytestmark = pytest.mark.django_db


def test_the_demo_skips_with_a_line_when_there_is_no_live_event(world, monkeypatch):
    monkeypatch.setitem(sys.modules, "kindred.events.demo", types.ModuleType("missing"))
    out = io.StringIO()
    seed_demo(out)
    assert "Q&A demo skipped" in out.getvalue()
    assert not Question.objects.exists()


def test_the_demo_adds_questions_with_votes_once(world, monkeypatch):
    event = live_room(world, title="Live demo event")
    for email in (
        "member@example.org",
        "member2@example.org",
        "supporter@example.org",
        "supporter2@example.org",
        "facilitator@example.org",
    ):
        UserFactory(email=email)
    module = types.ModuleType("kindred.events.demo")
    module.LIVE_EVENT_TITLE = "Live demo event"
    monkeypatch.setitem(sys.modules, "kindred.events.demo", module)
    seed_demo(io.StringIO())
    seed_demo(io.StringIO())
    questions = list(Question.objects.filter(event=event))
    assert len(questions) == 5
    assert sum(q.pinned for q in questions) == 1 and sum(q.answered for q in questions) == 1
    assert all(q.votes == q.upvotes.count() and not q.show_name for q in questions)


def test_my_data_has_my_questions_and_counts_of_my_votes(world):
    event = live_room(world)
    ask(world.alice, event, "Mine")
    ask(world.bob, event, "Not mine")
    data = export_personal_data(world.alice)
    assert [q["question"] for q in data["questions_i_asked"]] == ["Mine"]
    assert data["questions_i_upvoted"] == 0
