"""Peer support end to end, in two browsers: a member asks, a supporter accepts, they talk in
real time, the supporter suggests a service, the member closes and leaves feedback.

Real time needs websockets, which pytest-django's `live_server` (WSGI) cannot serve, so these
tests run the ASGI application in daphne, in a subprocess, on a SQLite file of their own that
`migrate` and `seed_demo` prepare; the test process reads the same file to check what was stored.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.asgi import demo_server
from tests.browser.conftest import DESKTOP, _new_context, assert_accessible

MEMBER = "member@example.org"  # Quiet Heron
SUPPORTER = "supporter@example.org"  # Warm Kestrel: exams and stress are among her topics
LIVE_MS = 2_000  # over the websocket (without one, the page polls every 4 s)
POLLING_MS = 10_000

# Wraps the page's WebSocket so a test can wait until the conversation is live and can see
# which frames arrived over it. The page's own code is unchanged.
SOCKET_PROBE = """(() => {
  const Native = window.WebSocket;
  if (!Native) return;
  window.__sockets = [];
  window.__frames = [];
  window.__sent = [];
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      window.__sockets.push(this);
      this.addEventListener("message", (event) => {
        window.__frames.push({ data: event.data, at: Date.now() });
      });
    }
    send(data) {
      window.__sent.push({ data: data, at: Date.now() });
      super.send(data);
    }
  };
})();"""
NO_WEBSOCKETS = "window.WebSocket = undefined;"
IS_LIVE = "() => window.__sockets.some((s) => s.readyState === 1)"


@pytest.fixture(scope="module")
def asgi_server(tmp_path_factory):
    """Daphne serving kindred.asgi (pages and websockets, in-memory channel layer) on the demo
    data, in a SQLite file this process can read too."""
    with demo_server(tmp_path_factory.mktemp("asgi")) as server:
        yield server


@pytest.fixture
def open_as(browser, asgi_server):
    """`open_as(email, websockets=True)`: a new browser context signed in as that demo account."""
    contexts = []

    def open_page(email: str, *, websockets: bool = True):
        context = _new_context(browser, DESKTOP)
        contexts.append(context)
        context.add_init_script(SOCKET_PROBE if websockets else NO_WEBSOCKETS)
        page = context.new_page()
        token = _demo_token(email)
        page.goto(asgi_server.url + reverse("demo_sign_in", args=[token]))
        page.wait_for_url(asgi_server.url + reverse("home"))
        return page

    yield open_page
    for context in contexts:
        context.close()


def _demo_token(email: str) -> str:
    # Signed with the development SECRET_KEY, which the server shares.
    from kindred.accounts.views import demo_sign_in_token

    return demo_sign_in_token(email)


def _messages(page):
    return page.get_by_role("region", name="Messages").get_by_role("list")


def _send(page, text: str) -> None:
    page.get_by_label("Your message").fill(text)
    page.get_by_role("button", name="Send", exact=True).click()


def _arrives_live(receiver, sender, text: str) -> int:
    """Send from one page; the other shows it, having had it over its websocket, without
    reloading, in time. Returns the milliseconds from one socket to the other."""
    receiver.evaluate("window.__stayed = true")  # gone if the page reloads
    _send(sender, text)
    receiver.wait_for_function(
        "text => [...document.querySelectorAll('#messages li')]"
        ".some((item) => item.textContent.includes(text))",
        arg=text,
        polling=50,
        timeout=LIVE_MS,
    )
    expect(_messages(receiver).get_by_text(text)).to_be_visible()
    assert receiver.evaluate("window.__stayed === true"), "the page reloaded"
    sent = [s["at"] for s in sender.evaluate("window.__sent") if text in s["data"]]
    received = [f["at"] for f in receiver.evaluate("window.__frames") if text in f["data"]]
    assert sent, "the message was not sent over the websocket"
    assert received, "the message did not come over the websocket"
    return received[0] - sent[0]


def _read_mark(page, text: str):
    return _messages(page).get_by_role("listitem").filter(has_text=text).locator(".read-mark")


def test_a_member_asks_a_supporter_accepts_they_talk_live_and_the_member_gives_feedback(
    open_as, asgi_server
):
    member = open_as(MEMBER)
    supporter = open_as(SUPPORTER)
    [(feedback_before,)] = asgi_server.query("SELECT COUNT(*) FROM support_feedback")

    # The member asks for support.
    member.goto(asgi_server.url + reverse("support_home"))
    member.get_by_role("link", name="Ask for support").click()
    expect(member.get_by_role("heading", level=1)).to_have_text("Ask for support")
    assert_accessible(member)
    topics = member.get_by_role("group", name="What is it about?")
    topics.get_by_label("Exams and assessments").check()
    topics.get_by_label("Stress and anxiety").check()
    member.get_by_role("group", name="How soon would you like to talk?").get_by_label(
        "Today"
    ).check()
    member.get_by_label("Let the supporter see the topics I picked").check()
    member.get_by_role("button", name="Send my request").click()
    expect(member.get_by_role("heading", name="We found someone")).to_be_visible()
    request_url = member.url

    # The supporter gets the offer and accepts it.
    supporter.goto(asgi_server.url + reverse("offers"))
    expect(supporter.get_by_role("heading", level=1)).to_have_text("Requests offered to you")
    offer = supporter.get_by_role("listitem").filter(
        has=supporter.get_by_role("heading", name="Quiet Heron")
    )
    expect(offer).to_have_count(1)
    expect(offer).to_contain_text("About: Exams and assessments, Stress and anxiety")
    expect(offer).to_contain_text("Would like to talk: today")
    assert_accessible(supporter)
    offer.get_by_role("button", name="Accept").click()
    expect(supporter.get_by_role("heading", level=1)).to_have_text("Conversation with Quiet Heron")
    expect(supporter.get_by_role("status")).to_contain_text("The member has been told")
    conversation_url = supporter.url
    assert conversation_url != request_url

    # The member finds the conversation from their request.
    member.goto(request_url)
    expect(member.get_by_role("heading", name="You are matched")).to_be_visible()
    member.get_by_role("link", name="Go to your conversation").click()
    assert member.url == conversation_url
    expect(member.get_by_role("heading", level=1)).to_have_text("Conversation with Warm Kestrel")
    expect(member.get_by_text("No messages yet.")).to_be_visible()
    member.wait_for_function(IS_LIVE)
    supporter.wait_for_function(IS_LIVE)

    # They talk in real time, both ways, and each sees when the other has read.
    hello = "Hi, exams are getting on top of me this week."
    took_there = _arrives_live(supporter, member, hello)
    expect(_read_mark(member, hello)).to_have_text("Read", timeout=LIVE_MS)
    reply = "Thank you for asking. What feels hardest right now?"
    took_back = _arrives_live(member, supporter, reply)
    expect(_read_mark(supporter, reply)).to_have_text("Read", timeout=LIVE_MS)
    expect(member.get_by_text("No messages yet.")).to_have_count(0)
    print(f"socket to socket: {took_there} ms there, {took_back} ms back")
    assert_accessible(supporter)

    # The supporter suggests a service; the member sees it as a card.
    choices = supporter.get_by_label("Suggest a service from the directory")
    service = choices.locator("option").first.inner_text().strip()
    choices.select_option(label=service)
    supporter.get_by_role("button", name="Suggest", exact=True).click()
    expect(supporter.get_by_role("status")).to_contain_text(f"Suggested {service}.")
    member.reload()
    suggested = member.get_by_role("region", name="Services suggested")
    expect(suggested.get_by_role("heading", name=service, level=3)).to_be_visible()
    expect(suggested.get_by_role("group", name="Did you manage to get in touch?")).to_be_visible()
    assert_accessible(member)

    # The member closes the conversation; the supporter's page shows it closed at once.
    member.wait_for_function(IS_LIVE)
    supporter.wait_for_function(IS_LIVE)
    member.get_by_role("button", name="Close this conversation").click()
    expect(member).to_have_url(conversation_url + "feedback/")
    expect(member.get_by_role("heading", level=1)).to_have_text("How did it go?")
    expect(supporter.get_by_text("This conversation is closed.")).to_be_visible(timeout=5_000)
    expect(supporter.get_by_label("Your message")).to_have_count(0)

    # Feedback, and thanks.
    assert_accessible(member)
    for question in ("Was it helpful?", "Did you feel safe?", "Would you use peer support again?"):
        member.get_by_role("group", name=question).get_by_label("Yes", exact=True).check()
    member.get_by_role("button", name="Send", exact=True).click()
    expect(member).to_have_url(asgi_server.url + reverse("support_home"))
    expect(member.get_by_role("status")).to_contain_text("Thank you. Your answers are anonymous.")

    # Stored as promised: the answers, and the messages only encrypted.
    [(feedback_after,)] = asgi_server.query("SELECT COUNT(*) FROM support_feedback")
    assert feedback_after == feedback_before + 1
    assert asgi_server.query(
        "SELECT helpful, felt_safe, would_use_again FROM support_feedback ORDER BY id DESC LIMIT 1"
    ) == [(1, 1, 1)]
    bodies = [row[0] for row in asgi_server.query("SELECT body FROM support_message")]
    assert bodies and not any(hello in body or reply in body for body in bodies)


def test_without_websockets_messages_still_arrive_by_polling(open_as, asgi_server):
    # The demo's open conversation between the same two people.
    [(pk,)] = asgi_server.query(
        "SELECT c.id FROM support_conversation c"
        " JOIN accounts_user m ON m.id = c.member_id JOIN accounts_user s ON s.id = c.supporter_id"
        " WHERE c.status = 'open' AND m.email = ? AND s.email = ? ORDER BY c.id LIMIT 1",
        MEMBER,
        SUPPORTER,
    )
    url = asgi_server.url + reverse("conversation", args=[pk])
    member = open_as(MEMBER, websockets=False)
    supporter = open_as(SUPPORTER)
    member.goto(url)
    supporter.goto(url)
    supporter.wait_for_function(IS_LIVE)

    # Sent without a socket (a plain POST), it still reaches the live side at once.
    question = "Is it normal to freeze on ward rounds?"
    _send(member, question)
    expect(_messages(member).get_by_text(question)).to_be_visible()
    expect(_messages(supporter).get_by_text(question)).to_be_visible(timeout=LIVE_MS)

    # The reply reaches the side without websockets when it next polls (every 4 s).
    member.evaluate("window.__stayed = true")
    answer = "Very normal. Most people do at first."
    _send(supporter, answer)
    expect(_messages(member).get_by_text(answer)).to_be_visible(timeout=POLLING_MS)
    assert member.evaluate("window.__stayed === true"), "the page reloaded"
