"""Office hours in the browser: a supporter publishes a time, a member books it, downloads the
calendar file and cancels, and the time is free again. Accessible and phone-sized throughout."""

import datetime
import re

import pytest
import vobject
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in_as

SUPPORTER = "supporter2@example.org"  # Patient Wren
MEMBER = "member2@example.org"  # Steady Otter


def _tomorrow_in_london():
    from zoneinfo import ZoneInfo

    return datetime.datetime.now(ZoneInfo("Europe/London")).date() + datetime.timedelta(days=1)


def _assert_fits(page):
    widths = page.evaluate(
        "({scroll: document.documentElement.scrollWidth, viewport: window.innerWidth})"
    )
    assert widths["scroll"] <= widths["viewport"], f"{page.url} scrolls sideways"


def test_a_supporter_publishes_a_time_a_member_books_it_then_cancels(
    browser, live_server, demo_data, tmp_path
):
    from zoneinfo import ZoneInfo

    from tests.browser.conftest import DESKTOP, PHONE, _new_context

    tomorrow = _tomorrow_in_london()
    supporter_context = _new_context(browser, DESKTOP)
    member_context = _new_context(browser, PHONE)
    supporter, member = supporter_context.new_page(), member_context.new_page()
    try:
        # The supporter offers an extra in-person session tomorrow evening.
        sign_in_as(supporter, live_server, SUPPORTER)
        supporter.get_by_role("link", name="Your office hours").click()
        expect(supporter.get_by_role("heading", level=1)).to_have_text(
            "Your office hours in St Elsewhere Medical School"
        )
        assert_accessible(supporter)
        supporter.get_by_role("link", name="Add a time").click()
        assert_accessible(supporter)
        supporter.get_by_label("Once (an extra session)").check()
        supporter.get_by_label("Date").fill(tomorrow.isoformat())
        supporter.get_by_label("From:").fill("18:00")
        supporter.get_by_label("Until:").fill("19:00")
        supporter.get_by_label("Members book a slot ahead").check()
        supporter.get_by_label("Minutes for each person").fill("30")
        supporter.get_by_label("In person").check()
        supporter.get_by_label("Room and building").fill("Room 7, Medical Library")
        supporter.get_by_role("button", name="Save").click()
        expect(supporter.get_by_text("Saved. Members can see your times now.")).to_be_visible()
        expect(supporter.get_by_text("18:00–19:00", exact=False).first).to_be_visible()

        # The member finds it on a phone and books it with a note.
        sign_in_as(member, live_server, MEMBER)
        member.get_by_role("navigation", name="Main").get_by_role(
            "link", name="Office hours"
        ).click()
        member.get_by_label("From").fill(tomorrow.isoformat())
        member.get_by_label("Show").select_option("day")
        member.get_by_label("Format").select_option("in_person")
        member.get_by_role("button", name="Show times").click()
        assert_accessible(member)
        _assert_fits(member)
        book = member.get_by_role("link", name=re.compile(r"^Book 18:00 .*Patient Wren"))
        book.click()
        expect(member.get_by_role("heading", level=1)).to_contain_text("18:00–18:30")
        assert_accessible(member)
        member.get_by_label("A short note for the supporter (optional)").fill("Exams soon.")
        member.get_by_role("button", name="Book this time").click()
        expect(member.get_by_role("heading", level=1)).to_have_text(
            "Your session with Patient Wren"
        )
        expect(member.get_by_text("Room 7, Medical Library")).to_be_visible()
        assert_accessible(member)
        _assert_fits(member)

        # The calendar file imports with the right time and nothing personal.
        with member.expect_download() as download:
            member.get_by_role("link", name="Add to your calendar (.ics file)").click()
        path = tmp_path / "session.ics"
        download.value.save_as(path)
        text = path.read_text()
        event = vobject.readOne(text).vevent
        expected = datetime.datetime.combine(
            tomorrow, datetime.time(18, 0), tzinfo=ZoneInfo("Europe/London")
        )
        assert event.dtstart.value == expected
        assert event.summary.value == "Office hours with Patient Wren"
        assert event.location.value == "Room 7, Medical Library"
        assert "@" not in text and "Exams soon" not in text

        # The supporter sees it in their sessions.
        supporter.goto(live_server.url + "/org/st-elsewhere/office-hours/sessions/")
        row = supporter.get_by_role("row").filter(has_text="Steady Otter")
        expect(row).to_contain_text("18:00")
        expect(row).to_contain_text("note")
        assert_accessible(supporter)

        # The member cancels, and the time is free again.
        member.get_by_role("link", name="Cancel this booking").click()
        assert_accessible(member)
        member.get_by_label("A reason (optional)").fill("Feeling better today.")
        member.get_by_role("button", name="Cancel the booking").click()
        expect(member.get_by_text("Cancelled. We have told Patient Wren.")).to_be_visible()
        member.goto(
            live_server.url
            + f"/office-hours/?date={tomorrow.isoformat()}&span=day&format=in_person"
        )
        expect(
            member.get_by_role("link", name=re.compile(r"^Book 18:00 .*Patient Wren"))
        ).to_be_visible()
    finally:
        supporter_context.close()
        member_context.close()


@pytest.mark.parametrize("colour_scheme", ["light", "dark"])
def test_the_coordinators_coverage_and_calendar_pages_are_accessible(
    page, live_server, demo_data, colour_scheme
):
    page.emulate_media(color_scheme=colour_scheme)
    sign_in_as(page, live_server, "coordinator@example.org")
    page.get_by_role("link", name="Office hours coverage").click()
    expect(page.get_by_role("heading", name="Gaps around exams")).to_be_visible()
    expect(page.get_by_text("Year 3 written finals").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Academic calendar").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Academic calendar")
    assert_accessible(page)
    page.get_by_label("Name").fill("Year 2 progress test")
    page.get_by_label("First day").fill(
        (_tomorrow_in_london() + datetime.timedelta(days=40)).isoformat()
    )
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_role("button", name="Remove Year 2 progress test")).to_be_visible()


@pytest.mark.parametrize(
    ("email", "path"),
    [
        ("member@example.org", "/office-hours/"),
        ("member@example.org", "/office-hours/bookings/"),
        ("supporter@example.org", "/org/st-elsewhere/office-hours/availability/"),
        ("supporter@example.org", "/org/st-elsewhere/office-hours/sessions/"),
        ("supporter@example.org", "/org/st-elsewhere/office-hours/calendar-feed/"),
        ("coordinator@example.org", "/org/st-elsewhere/office-hours/coverage/"),
    ],
    ids=["slots", "my-bookings", "availability", "sessions", "calendar-feed", "coverage"],
)
def test_office_hours_pages_fit_a_small_phone_and_pass_axe(
    phone_page, live_server, demo_data, email, path
):
    sign_in_as(phone_page, live_server, email)
    phone_page.goto(live_server.url + path)
    _assert_fits(phone_page)
    assert_accessible(phone_page)
