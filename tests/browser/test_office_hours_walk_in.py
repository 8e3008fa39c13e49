"""A walk-in queue with two members: each sees their place and wait, the supporter calls the
first (who is shown the room), the second moves up, and leaving is one tap.

The test server speaks HTTP only, so the pages keep up by polling (the websocket fallback);
tests/officehours/test_walk_in_websocket.py covers the live path.
"""

import re

from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, _new_context, assert_accessible, sign_in_as

UPDATE_MS = 15_000  # pages poll every 5 seconds without a websocket


def test_two_members_queue_the_first_is_called_and_the_second_leaves(
    browser, live_server, demo_data
):
    from kindred.accounts.models import Organisation, User
    from tests.officehours.builders import make_walk_in

    school = Organisation.objects.get(slug="st-elsewhere")
    kestrel = User.objects.get(email="supporter@example.org")
    block = make_walk_in(
        kestrel, school, started_ago=5, minutes=120, location="Quiet room, Medical Library"
    )
    walk_in_url = f"{live_server.url}/office-hours/walk-in/{block.pk}/"

    contexts = [_new_context(browser, PHONE), _new_context(browser, PHONE)]
    supporter_context = _new_context(browser, DESKTOP)
    heron, otter = (c.new_page() for c in contexts)
    supporter = supporter_context.new_page()
    try:
        sign_in_as(heron, live_server, "member@example.org")
        heron.get_by_role("navigation", name="Main").get_by_role(
            "link", name="Office hours"
        ).click()
        # The demo's own daily walk-in block may be listed too: take the one made here.
        heron.get_by_role("link", name=re.compile(r"^Walk in .*Warm Kestrel")).and_(
            heron.locator(f"a[href='/office-hours/walk-in/{block.pk}/']")
        ).click()
        expect(heron.get_by_role("heading", level=1)).to_have_text("Walk in with Warm Kestrel")
        assert_accessible(heron)
        heron.get_by_role("button", name="Join the queue").click()
        expect(heron.get_by_text("You are number 1 in the queue.")).to_be_visible()
        expect(heron.get_by_text("You are next.")).to_be_visible()

        sign_in_as(otter, live_server, "member2@example.org")
        otter.goto(walk_in_url)
        expect(otter.get_by_text("1 person is waiting now.")).to_be_visible()
        otter.get_by_role("button", name="Join the queue").click()
        expect(otter.get_by_text("You are number 2 in the queue.")).to_be_visible()
        expect(otter.get_by_text("1 person is ahead of you.")).to_be_visible()
        expect(otter.get_by_text(re.compile(r"Estimated wait: about \d+ minutes?"))).to_be_visible()
        assert_accessible(otter)

        # The supporter sees both, in order, and calls the first.
        sign_in_as(supporter, live_server, "supporter@example.org")
        supporter.get_by_role("link", name="Your sessions and walk-in queues").click()
        supporter.get_by_role("link", name=re.compile(r"^Open the queue")).first.click()
        queue = supporter.locator("ol.queue")
        expect(queue.get_by_role("listitem")).to_have_count(2)
        expect(queue.get_by_role("listitem").first).to_contain_text("Quiet Heron")
        assert_accessible(supporter)
        supporter.get_by_role("button", name="Call the next person").click()
        expect(supporter.get_by_text("You called Quiet Heron.")).to_be_visible()

        # The first is shown the room; the second moves up, without reloading.
        expect(heron.get_by_text("It is your turn.")).to_be_visible(timeout=UPDATE_MS)
        expect(heron.get_by_text("Quiet room, Medical Library").last).to_be_visible()
        expect(heron.get_by_role("button", name="Leave the queue")).to_be_hidden()
        expect(otter.get_by_text("You are number 1 in the queue.")).to_be_visible(timeout=UPDATE_MS)

        # Leaving is one tap; the supporter's list empties by itself.
        otter.get_by_role("button", name="Leave the queue").click()
        expect(otter.get_by_text("You have left the queue. Nobody else is told.")).to_be_visible()
        expect(supporter.get_by_text("0 people waiting.")).to_be_visible(timeout=UPDATE_MS)
    finally:
        for context in (*contexts, supporter_context):
            context.close()
