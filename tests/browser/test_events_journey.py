"""Events end to end, in three browsers: the coordinator turns the most wanted topic into a
series; two members answer for its first event, one of them is waitlisted and then promoted;
during the event both ask and upvote questions and see the list re-rank live; the coordinator
marks one answered; afterwards a member gives feedback.

The live Q&A needs websockets, which pytest-django's `live_server` (WSGI) cannot serve, so, like
tests/browser/test_peer_support_journey.py, this runs the ASGI application in daphne, in a
subprocess, on a SQLite file that `migrate` and `seed_demo` prepare; the test process reads (and,
to make time pass, writes) the same file.
"""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.asgi import demo_server
from tests.browser.conftest import DESKTOP, PHONE, _new_context, assert_accessible

COORDINATOR = "coordinator@example.org"  # Clear Harbour Owl, coordinator of St Elsewhere
MEMBER = "member@example.org"  # Quiet Heron
MEMBER2 = "member2@example.org"  # Steady Otter
ORGANISATION = "st-elsewhere"
ZONE = ZoneInfo("Europe/London")  # St Elsewhere's time zone in the demo data
# The demo's most voted open topic (3 votes; kindred/events/demo.py PROPOSALS).
MOST_WANTED = "Imposter syndrome on the first day of foundation"
ROOM = "Seminar room 2, Medical Library"
LIVE_MS = 8_000  # over the websocket on a loaded machine (without one, the page polls every 4 s)
FIRST = "Did you ever feel out of your depth on the wards"
SECOND = "How do you tell your supervisor you are struggling"

# Wraps the page's WebSocket so the test can wait until the Q&A is live and see which frames
# arrived over it. The page's own code is unchanged.
SOCKET_PROBE = """(() => {
  const Native = window.WebSocket;
  if (!Native) return;
  window.__sockets = [];
  window.__frames = [];
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      window.__sockets.push(this);
      this.addEventListener("message", (event) => window.__frames.push(event.data));
    }
  };
})();"""
IS_LIVE = "() => window.__sockets.some((s) => s.readyState === 1)"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Daphne serving kindred.asgi (pages and websockets) on the demo data."""
    with demo_server(tmp_path_factory.mktemp("events")) as running:
        yield running


@pytest.fixture
def open_as(browser, server):
    """`open_as(email, viewport)`: a new browser context signed in with a demo link (which also
    counts as the second factor a coordinator needs)."""
    contexts = []

    def open_page(email: str, viewport=DESKTOP):
        from kindred.accounts.views import demo_sign_in_token

        context = _new_context(browser, viewport)
        contexts.append(context)
        context.add_init_script(SOCKET_PROBE)
        page = context.new_page()
        page.goto(server.url + reverse("demo_sign_in", args=[demo_sign_in_token(email)]))
        page.wait_for_url(server.url + reverse("home"))
        return page

    yield open_page
    for context in contexts:
        context.close()


def _message(page):
    """The flash messages after a redirect."""
    return page.locator("main .messages")


def _set_times(server, event_id: int, starts_at: datetime.datetime, ends_at: datetime.datetime):
    """Make time pass for one event by moving it in the server's database (as Django stores
    datetimes in SQLite: naive UTC)."""

    def stored(moment):
        return moment.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(" ")

    server.query(
        "UPDATE events_event SET starts_at = ?, ends_at = ? WHERE id = ?",
        stored(starts_at),
        stored(ends_at),
        event_id,
    )


def _told(server, email: str, words: str) -> bool:
    """Whether the person has an in-app notification starting with `words`."""
    return bool(
        server.query(
            "SELECT 1 FROM notifications_notification n"
            " JOIN accounts_user u ON u.id = n.user_id WHERE u.email = ? AND n.text LIKE ?",
            email,
            words + "%",
        )
    )


def _under_way_now() -> tuple[datetime.datetime, datetime.datetime, bool]:
    """(starts, ends, same_day): started a few minutes ago, ending well after this test, on
    whole minutes. `same_day` when it fits in one local day, as the edit form (one date, a start
    and an end time) needs to show it unmoved: always, except in the half hour before midnight."""
    now = datetime.datetime.now(ZONE).replace(second=0, microsecond=0)
    midnight = now.replace(hour=0, minute=0)
    starts = max(now - datetime.timedelta(minutes=10), midnight)
    ends = min(starts + datetime.timedelta(hours=2), midnight.replace(hour=23, minute=59))
    if ends - now >= datetime.timedelta(minutes=30):
        return starts, ends, True
    return starts, now + datetime.timedelta(hours=2), False


def _give_a_second_place(coordinator, server, event_id: int) -> None:
    coordinator.goto(server.url + reverse("run_event", args=[ORGANISATION, event_id]))
    coordinator.get_by_role("link", name="Edit or move the event").click()
    expect(coordinator.get_by_label("Places (optional)")).to_have_value("1")
    coordinator.get_by_label("Places (optional)").fill("2")
    coordinator.get_by_role("button", name="Save").click()
    expect(_message(coordinator)).to_have_text("Saved. Calendar files now update.")


def _expect_order(page, list_name: str, texts: list[str]) -> None:
    items = page.get_by_role("list", name=list_name).locator(".question-text")
    expect(items).to_have_text(texts, timeout=LIVE_MS)


def _question(page, text: str):
    # By its own words (a moderator's "Merge into" choices name the other questions too).
    return page.locator("#question-list [data-question]").filter(
        has=page.locator(".question-text", has_text=text)
    )


def _frames_with(page, before: str, after: str, since: int) -> list[str]:
    """Frames received over the websocket since `since` in which `before` comes before `after`."""
    return page.evaluate(
        "([before, after, since]) => window.__frames.slice(since).filter((f) => {"
        " const html = JSON.parse(f).html || '';"
        " return html.includes(before) && html.indexOf(before) < html.indexOf(after); })",
        [before, after, since],
    )


def _frame_count(page) -> int:
    return page.evaluate("window.__frames.length")


def _expect_live_reorder(pages, voter, question: str, order: list[str]) -> None:
    """`voter` upvotes `question`; every page shows `order` without reloading, and the pages
    that did not vote had the new order over their websocket."""
    since = {}
    for page in pages:
        page.wait_for_function(IS_LIVE)
        page.evaluate("window.__stayed = true")  # gone if the page reloads
        since[page] = _frame_count(page)
    _question(voter, question).get_by_role("button", name="Upvote").click()
    expect(
        _question(voter, question).get_by_role("button", name="Take back my vote")
    ).to_be_visible(timeout=LIVE_MS)
    for page in pages:
        _expect_order(page, "Questions, most wanted first", order)
        assert page.evaluate("window.__stayed === true"), "the page reloaded"
        if page is not voter:
            assert _frames_with(page, order[0], order[1], since[page]), (
                "the new order did not come over the websocket"
            )


def test_a_topic_becomes_a_series_members_answer_ask_and_vote_live_and_give_feedback(
    open_as, server
):
    coordinator = open_as(COORDINATOR)

    # 1. The coordinator opens the ranked topics and makes the most voted one a series.
    coordinator.goto(server.url + reverse("manage_events", args=[ORGANISATION]))
    coordinator.get_by_role("link", name="Topics members proposed").click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Topics members proposed")
    topics = coordinator.locator("ol.topic-list > li")
    expect(topics.first).to_contain_text(MOST_WANTED)
    expect(topics.first).to_contain_text("3 votes")
    assert_accessible(coordinator)
    # (Its name has the topic in words only screen readers hear: "Make it a series : ...".)
    topics.first.get_by_role(
        "link", name=re.compile(rf"^Make it a series\W+{re.escape(MOST_WANTED)}$")
    ).click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Add a series of events")
    expect(coordinator.get_by_text(f"The series is for the topic “{MOST_WANTED}”")).to_be_visible()
    expect(coordinator.get_by_label("Title")).to_have_value(MOST_WANTED)
    expect(coordinator.get_by_label("Every how many weeks")).to_have_value("2")
    assert_accessible(coordinator)
    first_day = datetime.datetime.now(ZONE).date() + datetime.timedelta(days=7)
    coordinator.get_by_label("Day of the week").select_option(str(first_day.weekday()))
    coordinator.get_by_label("Starts at").fill("18:00")
    coordinator.get_by_label("Starting from").fill(first_day.isoformat())
    coordinator.get_by_label("Number of events").fill("3")
    coordinator.get_by_label("Room and building").fill(ROOM)
    coordinator.get_by_label("Places (optional)").fill("1")
    coordinator.get_by_role("button", name="Create the series").click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text(
        "Events of St Elsewhere Medical School"
    )
    expect(_message(coordinator)).to_contain_text(re.compile(r"3 events saved"))
    expect(_message(coordinator)).to_contain_text("Everyone who voted for the topic has been told.")
    [(series_id, topic_event_id, status)] = server.query(
        "SELECT series_id, event_id, status FROM events_topicproposal WHERE text = ?", MOST_WANTED
    )
    assert status == "scheduled"
    events = server.query(
        "SELECT id, capacity, location FROM events_event WHERE series_id = ? ORDER BY starts_at",
        series_id,
    )
    assert len(events) == 3 and all(row[1:] == (1, ROOM) for row in events)
    event_id = events[0][0]
    assert topic_event_id == event_id
    event_url = server.url + reverse("event_detail", args=[event_id])
    # Everyone who voted for the topic was told (the demo's voters include both members).
    for email in (MEMBER, MEMBER2, "supporter@example.org"):
        assert _told(server, email, "A topic you voted for is now an event"), email

    # 2. Two members answer on their phones: one is going, the other waits.
    member = open_as(MEMBER, PHONE)
    member.goto(server.url + reverse("events_home"))
    expect(member.get_by_role("heading", level=1)).to_have_text("Events and webinars")
    card = member.locator(".event-card").filter(
        has=member.locator(f'a[href="{reverse("event_detail", args=[event_id])}"]')
    )
    expect(card).to_contain_text("Places available")
    assert_accessible(member)
    card.get_by_role("link", name=MOST_WANTED).click()
    expect(member.get_by_role("heading", level=1)).to_have_text(MOST_WANTED)
    rsvp = member.get_by_role("region", name="Are you going?")
    expect(rsvp).to_contain_text("Places are available.")
    rsvp.get_by_role("button", name="I'm going").click()
    expect(_message(member)).to_have_text("You are going. Where to go is below.")
    expect(member.get_by_text(ROOM)).to_be_visible()
    assert_accessible(member)

    member2 = open_as(MEMBER2, PHONE)
    member2.goto(event_url)
    rsvp2 = member2.get_by_role("region", name="Are you going?")
    expect(rsvp2).to_contain_text("This event is full")
    expect(member2.get_by_text(ROOM)).to_have_count(0)
    rsvp2.get_by_role("button", name="Join the waiting list").click()
    expect(_message(member2)).to_contain_text("This event is full, so you are on the waiting list.")
    expect(rsvp2).to_contain_text("you are on the waiting list (number 1)")
    # The Q&A is for people going, so not (yet) for someone waiting.
    member2.goto(server.url + reverse("questions", args=[event_id]))
    expect(member2.get_by_role("heading", level=1)).to_have_text("Questions are for people going")

    # 3. During the event. The edit form refuses a start in the past ("Choose a time in the
    # future"), so the event is put under way by updating starts_at/ends_at in the database.
    # The coordinator then gives it a second place with the edit form, which promotes the
    # person waiting. (The edit form cannot show an event that spans midnight, so in the half
    # hour before midnight in London the place is given just before the event instead.)
    starts, ends, same_day = _under_way_now()
    if not same_day:
        _give_a_second_place(coordinator, server, event_id)
    _set_times(server, event_id, starts, ends)
    if same_day:
        _give_a_second_place(coordinator, server, event_id)
    member2.goto(event_url)
    expect(member2.get_by_role("region", name="Are you going?")).to_contain_text("You are going.")
    expect(member2.get_by_text(ROOM)).to_be_visible()
    assert _told(server, MEMBER2, "A place came up: you are going to")

    # Both open the Q&A from the event page and ask; each sees the other's question arrive.
    for page in (member, member2):
        page.goto(event_url)
        page.get_by_role("link", name=re.compile(r"^Ask a question or upvote others")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Questions")
        page.wait_for_function(IS_LIVE)
    for asker, other, text in ((member, member2, FIRST), (member2, member, SECOND)):
        other.wait_for_function(IS_LIVE)
        other.evaluate("window.__stayed = true")
        asker.get_by_label("Your question").fill(text)
        asker.get_by_role("button", name="Ask", exact=True).click()
        expect(_message(asker)).to_have_text(
            "Posted. The room sees your question without your name."
        )
        expect(_question(other, text)).to_be_visible(timeout=LIVE_MS)
        assert other.evaluate("window.__stayed === true"), "the page reloaded"
    for page in (member, member2):
        _expect_order(page, "Questions, most wanted first", [FIRST, SECOND])
    # "you asked this" is marked on the asker's screen only.
    for page, mine, theirs in ((member, FIRST, SECOND), (member2, SECOND, FIRST)):
        expect(_question(page, mine).get_by_text("you asked this")).to_be_visible()
        expect(_question(page, theirs).get_by_text("you asked this")).to_be_hidden()
    assert_accessible(member)

    # Each upvotes the other's question; both lists re-rank live, without reloading.
    _expect_live_reorder([member, member2], member, SECOND, [SECOND, FIRST])
    expect(_question(member2, SECOND)).to_contain_text("1 vote")
    # A tie: the older question goes first again.
    _expect_live_reorder([member, member2], member2, FIRST, [FIRST, SECOND])
    expect(_question(member, FIRST)).to_contain_text("1 vote")
    assert server.query(
        "SELECT COUNT(*), SUM(votes) FROM qanda_question WHERE event_id = ?", event_id
    ) == [(2, 2)]

    # 4. The coordinator moderates (the demo sign-in counted as the second factor) and marks
    # the first question answered; the members see it move to "Answered" live.
    coordinator.goto(server.url + reverse("questions", args=[event_id]))
    expect(coordinator.get_by_text("You moderate this Q&A.")).to_be_visible()
    expect(coordinator.get_by_role("heading", name="For organisers")).to_be_visible()
    _expect_order(coordinator, "Questions, most wanted first", [FIRST, SECOND])
    assert_accessible(coordinator)
    for page in (member, member2):
        page.wait_for_function(IS_LIVE)
        page.evaluate("window.__stayed = true")
    _question(coordinator, FIRST).get_by_role("button", name="Mark answered").click()
    _expect_order(coordinator, "Answered questions", [FIRST])
    expect(coordinator.locator("#qanda-status")).to_have_text("Marked answered.")
    for page in (member, member2):
        _expect_order(page, "Answered questions", [FIRST])
        _expect_order(page, "Questions, most wanted first", [SECOND])
        expect(_question(page, FIRST)).to_contain_text("Answered")
        assert page.evaluate("window.__stayed === true"), "the page reloaded"
    assert_accessible(member2)

    # 5. After the event (moved into the past in the database), a member gives feedback.
    now = datetime.datetime.now(ZONE)
    _set_times(
        server, event_id, now - datetime.timedelta(hours=2), now - datetime.timedelta(hours=1)
    )
    [(feedback_before,)] = server.query(
        "SELECT COUNT(*) FROM events_eventfeedback WHERE event_id = ?", event_id
    )
    member.goto(event_url)
    expect(member.get_by_text("This event has ended.")).to_be_visible()
    member.get_by_role("link", name=re.compile(r"^How was it\?")).click()
    expect(member.get_by_role("heading", level=1)).to_have_text(f"How was {MOST_WANTED}?")
    assert_accessible(member)
    member.get_by_role("group", name="Was the event useful to you?").get_by_label("Yes").check()
    member.get_by_role(
        "group", name="Would you recommend events like it to a friend?"
    ).get_by_label("Yes").check()
    member.get_by_label("Anything else the organisers should know?").fill(
        "The room was too warm but the talk was great."
    )
    member.get_by_role("button", name="Send", exact=True).click()
    expect(member).to_have_url(event_url)
    expect(_message(member)).to_have_text("Thank you. Your answers are anonymous.")
    expect(member.get_by_role("link", name=re.compile(r"^How was it\?"))).to_have_count(0)
    [(feedback_after,)] = server.query(
        "SELECT COUNT(*) FROM events_eventfeedback WHERE event_id = ?", event_id
    )
    assert feedback_after == feedback_before + 1
