"""Accessibility: no serious or critical axe-core violations, usable at 360px, skip link first."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in_as


@pytest.mark.parametrize(
    "path",
    ["/", "/accounts/login/", "/help-now/", "/confidence/"],
    ids=["home", "sign-in", "crisis-lines", "confidence"],
)
@pytest.mark.parametrize("colour_scheme", ["light", "dark"])
def test_public_pages_have_no_serious_accessibility_problems(
    page, live_server, path, colour_scheme
):
    page.emulate_media(color_scheme=colour_scheme)
    page.goto(live_server.url + path)
    assert_accessible(page)


@pytest.mark.parametrize(
    ("email", "path"),
    [
        ("member@example.org", "/"),
        ("coordinator@example.org", "/"),
        ("member@example.org", "/account/"),
        ("member@example.org", "/events/"),
        # The demo webinar under way, which the demo member is going to and the coordinator
        # (signed in with a demo link, so with a second factor) moderates.
        ("member@example.org", "/events/{live_event}/questions/"),
        ("coordinator@example.org", "/events/{live_event}/questions/"),
    ],
    ids=[
        "member-home",
        "coordinator-home",
        "account",
        "events",
        "questions",
        "questions-moderator",
    ],
)
def test_signed_in_pages_have_no_serious_accessibility_problems(
    page, live_server, demo_data, email, path
):
    from kindred.events.demo import LIVE_EVENT_TITLE
    from kindred.events.models import Event

    if "{live_event}" in path:
        path = path.format(live_event=Event.objects.get(title=LIVE_EVENT_TITLE).pk)
    sign_in_as(page, live_server, email)
    response = page.goto(live_server.url + path)
    assert response is not None and response.ok, f"{path} answered {response and response.status}"
    assert_accessible(page)


def test_the_people_and_roles_page_has_no_serious_accessibility_problems(
    page, live_server, demo_data
):
    sign_in_as(page, live_server, "coordinator@example.org")
    page.goto(live_server.url + "/coordinate/")
    expect(page.get_by_role("table")).to_be_visible()
    assert_accessible(page)


def _assert_no_sideways_scrolling(page):
    widths = page.evaluate(
        "({scroll: document.documentElement.scrollWidth, viewport: window.innerWidth})"
    )
    assert widths["scroll"] <= widths["viewport"], (
        f"{page.url} scrolls sideways at {widths['viewport']}px: "
        f"the page is {widths['scroll']}px wide"
    )


@pytest.mark.parametrize("path", ["/", "/help-now/"], ids=["home", "crisis-lines"])
def test_public_pages_fit_a_small_phone_screen(phone_page, live_server, path):
    phone_page.goto(live_server.url + path)
    _assert_no_sideways_scrolling(phone_page)


@pytest.mark.parametrize("path", ["/", "/account/"], ids=["home", "account"])
def test_a_members_pages_fit_a_small_phone_screen(phone_page, live_server, demo_data, path):
    sign_in_as(phone_page, live_server, "member@example.org")
    phone_page.goto(live_server.url + path)
    _assert_no_sideways_scrolling(phone_page)


def test_the_people_and_roles_table_scrolls_inside_itself_on_a_small_phone(
    phone_page, live_server, demo_data
):
    # The table may scroll sideways in its own box, but the page around it must not.
    sign_in_as(phone_page, live_server, "coordinator@example.org")
    phone_page.goto(live_server.url + "/coordinate/")
    expect(phone_page.get_by_role("table")).to_be_visible()
    _assert_no_sideways_scrolling(phone_page)


def test_the_first_tab_press_reaches_skip_to_main_content(page, live_server):
    page.goto(live_server.url + "/")

    page.keyboard.press("Tab")

    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    skip_link.press("Enter")
    expect(page.locator("main")).to_be_focused()
