"""Quick exit: "Leave this site", or Escape three times, goes to a neutral page and Back does
not bring Kindred back, because moving between Kindred pages replaces the history entry."""

from playwright.sync_api import expect

from tests.browser.conftest import QUICK_EXIT_URL


def test_leave_this_site_goes_to_a_neutral_page_that_back_cannot_undo(page, live_server):
    assert page.url == "about:blank"  # where this tab's history starts
    page.goto(live_server.url + "/")
    # Move to a second Kindred page by clicking, as a person would.
    page.get_by_role("link", name="How we keep your confidence").first.click()
    expect(page).to_have_url(live_server.url + "/confidence/")

    page.get_by_role("link", name="Leave this site").click()

    expect(page).to_have_url(QUICK_EXIT_URL)
    expect(page).to_have_title("Weather")
    page.go_back()
    assert not page.url.startswith(live_server.url), f"Back returned to Kindred: {page.url}"


def test_pressing_escape_three_times_leaves_the_site(page, live_server):
    page.goto(live_server.url + "/help-now/")

    for _ in range(3):
        page.keyboard.press("Escape")

    expect(page).to_have_url(QUICK_EXIT_URL)
    page.go_back()
    assert not page.url.startswith(live_server.url), f"Back returned to Kindred: {page.url}"


def test_pressing_escape_twice_stays_on_the_page(page, live_server):
    page.goto(live_server.url + "/help-now/")

    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_timeout(500)

    expect(page).to_have_url(live_server.url + "/help-now/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Need help now?")
