"""Crisis lines are one click from every page, signed out too."""

from playwright.sync_api import expect


def test_need_help_now_shows_uk_lines_and_other_countries_on_request(page, live_server):
    page.goto(live_server.url + "/")

    page.get_by_role("link", name="Need help now?", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Need help now?")
    expect(page.get_by_label("Choose another country")).to_have_value("GB")
    samaritans = page.locator(".lines > li").filter(
        has=page.get_by_role("heading", name="Samaritans", exact=True)
    )
    expect(samaritans.get_by_role("link", name="Call 116 123")).to_have_attribute(
        "href", "tel:116123"
    )

    page.get_by_label("Choose another country").select_option(label="United States")
    page.get_by_role("button", name="Show").click()

    expect(page.get_by_text("Showing lines for United States")).to_be_visible()
    lifeline = page.locator(".lines > li").filter(
        has=page.get_by_role("heading", name="988 Suicide & Crisis Lifeline")
    )
    expect(lifeline.get_by_role("link", name="Call 988")).to_have_attribute("href", "tel:988")
    expect(page.get_by_role("heading", name="Samaritans", exact=True)).to_have_count(0)
