"""The navigator on a small phone, signed out: crisis panel in one tap, finder results in a
few taps, and no serious accessibility problems on any of its pages."""

import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in_as

FROM_PAGES = ["/", "/services/", "/find/", "/support-a-friend/listening/", "/confidence/"]


@pytest.mark.parametrize("path", FROM_PAGES)
def test_a_visitor_reaches_the_crisis_panel_in_one_tap_from_any_page(phone_page, live_server, path):
    phone_page.goto(live_server.url + path)
    help_now = phone_page.get_by_role("link", name="Need help now?", exact=True)
    expect(help_now).to_be_in_viewport()

    help_now.click()

    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Need help now?")
    samaritans = phone_page.locator(".lines > li").filter(
        has=phone_page.get_by_role("heading", name="Samaritans", exact=True)
    )
    expect(samaritans.get_by_role("link", name="Call 116 123")).to_have_attribute(
        "href", "tel:116123"
    )
    shout = phone_page.locator(".lines > li").filter(
        has=phone_page.get_by_role("heading", name="Shout", exact=True)
    )
    expect(shout.get_by_role("link", name="Text SHOUT to 85258")).to_have_attribute(
        "href", "sms:85258?&body=SHOUT"
    )


def test_a_visitor_on_a_phone_gets_finder_results_with_reasons_in_under_two_minutes(
    phone_page, live_server
):
    started = time.monotonic()
    phone_page.goto(live_server.url + "/")
    phone_page.get_by_role("link", name="Find support", exact=True).click()
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Find support")
    assert_accessible(phone_page)

    phone_page.get_by_label("Exams and study").check()
    phone_page.get_by_label("This week").check()
    phone_page.get_by_label("My school must not find out").check()
    phone_page.get_by_label("It must be free").check()
    phone_page.get_by_role("button", name="Show services").click()

    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Services for you")
    first = phone_page.locator(".result").first
    expect(first.locator(".why")).to_contain_text("your school is not told")
    expect(first.locator(".why")).to_contain_text("free")
    assert time.monotonic() - started < 120
    assert_accessible(phone_page)
    _assert_no_sideways_scrolling(phone_page)


def test_an_urgent_answer_puts_crisis_lines_first(page, live_server):
    page.goto(live_server.url + "/find/")
    page.get_by_label("Now: I need help right now").check()
    page.get_by_role("button", name="Show services").click()
    expect(page.get_by_text("You said you need help now.")).to_be_visible()
    first_card = page.locator(".result").first
    expect(first_card.get_by_role("link", name="Call", exact=False).first).to_be_visible()


def test_change_my_answers_keeps_them(page, live_server):
    page.goto(live_server.url + "/find/")
    page.get_by_label("Money worries").check()
    page.get_by_role("button", name="Show services").click()
    page.get_by_role("button", name="Change my answers").click()
    expect(page.get_by_label("Money worries")).to_be_checked()


def test_the_directory_searches_and_filters_without_scripts(page, live_server):
    page.goto(live_server.url + "/services/")
    page.get_by_role("searchbox", name="Search").fill("text")
    page.get_by_role("button", name="Show services").click()
    expect(page.get_by_role("link", name="Shout", exact=True)).to_be_visible()
    page.get_by_role("link", name="Shout", exact=True).click()
    expect(page.get_by_role("heading", name="Who finds out")).to_be_visible()
    expect(page.get_by_text("Does my school find out that I used it?")).to_be_visible()


NAVIGATOR_PAGES = [
    "/services/",
    "/services/?q=exam&topic=dragons",
    "/find/",
    "/help-now/",
    "/help-now/?country=US",
    "/support-a-friend/",
    "/support-a-friend/confidentiality/",
]


@pytest.mark.parametrize("path", NAVIGATOR_PAGES)
@pytest.mark.parametrize("colour_scheme", ["light", "dark"])
def test_navigator_pages_have_no_serious_accessibility_problems(
    page, live_server, path, colour_scheme
):
    page.emulate_media(color_scheme=colour_scheme)
    page.goto(live_server.url + path)
    assert_accessible(page)


def test_a_service_page_has_no_serious_accessibility_problems(page, live_server):
    page.goto(live_server.url + "/services/")
    page.get_by_role("link", name="Samaritans", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Samaritans")
    assert_accessible(page)


@pytest.mark.parametrize("path", NAVIGATOR_PAGES)
def test_navigator_pages_fit_a_small_phone_screen(phone_page, live_server, path):
    phone_page.goto(live_server.url + path)
    _assert_no_sideways_scrolling(phone_page)


def test_the_coordinators_tools_are_accessible(page, live_server, demo_data):
    sign_in_as(page, live_server, "coordinator@example.org")
    for path in [
        "/org/st-elsewhere/services/",
        "/org/st-elsewhere/services/new/",
        "/org/st-elsewhere/services/import/",
        "/org/st-elsewhere/guide/",
        "/org/st-elsewhere/guide/listening/edit/",
    ]:
        page.goto(live_server.url + path)
        assert_accessible(page)


def test_a_coordinator_sees_errors_by_the_field_and_keeps_what_was_typed(
    page, live_server, demo_data
):
    sign_in_as(page, live_server, "coordinator@example.org")
    page.goto(live_server.url + "/org/st-elsewhere/services/new/")
    page.get_by_label("Name").fill("Night drop-in")
    page.get_by_label("Phone number").fill("call us")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Remove any letters")).to_be_visible()
    expect(page.get_by_label("Phone number")).to_have_value("call us")
    expect(page.get_by_label("Name")).to_have_value("Night drop-in")
    assert_accessible(page)


def _assert_no_sideways_scrolling(page):
    widths = page.evaluate(
        "({scroll: document.documentElement.scrollWidth, viewport: window.innerWidth})"
    )
    assert widths["scroll"] <= widths["viewport"], (
        f"{page.url} scrolls sideways at {widths['viewport']}px: "
        f"the page is {widths['scroll']}px wide"
    )
