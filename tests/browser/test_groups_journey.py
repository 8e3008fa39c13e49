"""Support groups in the browser: a coordinator creates a programme and a cohort of two places
and opens it; two members join and a third is put on the waiting list; participants suggest
topics and vote; the facilitator sees them ranked, records attendance after the session and
writes a reflection; a participant leaves, and the member waiting is offered the place and takes
it. Every page is checked with axe, and the members' pages at 360px wide."""

import datetime
import re

from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, _new_context, assert_accessible, sign_in_as

COORDINATOR = "coordinator@example.org"  # Clear Harbour Owl
FACILITATOR = "facilitator@example.org"  # Bright Lark
HERON = "member@example.org"  # Quiet Heron
OTTER = "member2@example.org"  # Steady Otter
WREN = "supporter2@example.org"  # Patient Wren, here simply as a member
TITLE = "Creative writing for doctors"


def _assert_fits(page):
    widths = page.evaluate(
        "({scroll: document.documentElement.scrollWidth, viewport: window.innerWidth})"
    )
    assert widths["scroll"] <= widths["viewport"], f"{page.url} scrolls sideways"


def _check(page, *, phone=False):
    page.wait_for_load_state()
    assert_accessible(page)
    if phone:
        _assert_fits(page)


def _first_day():
    from zoneinfo import ZoneInfo

    return datetime.datetime.now(ZoneInfo("Europe/London")).date() + datetime.timedelta(days=3)


def _a_week_passes(cohort_title):
    """Move the sessions so the first one ended an hour ago (the server reads the same
    database), as if the group had met."""
    from django.utils import timezone

    from kindred.groups.models import Session

    sessions = list(
        Session.objects.filter(cohort__programme__title=cohort_title).order_by("number")
    )
    shift = timezone.now() - datetime.timedelta(minutes=150) - sessions[0].starts_at
    for session in sessions:
        session.starts_at += shift
        session.ends_at += shift
        session.save(update_fields=["starts_at", "ends_at"])


def _open_group(page, live_server):
    page.goto(live_server.url + "/groups/")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)


def test_a_group_from_setting_up_to_a_place_freed_and_taken(browser, live_server, demo_data):
    first_day = _first_day()
    contexts = {
        "coordinator": _new_context(browser, DESKTOP),
        "facilitator": _new_context(browser, DESKTOP),
        "heron": _new_context(browser, PHONE),
        "otter": _new_context(browser, PHONE),
        "wren": _new_context(browser, PHONE),
    }
    pages = {name: context.new_page() for name, context in contexts.items()}
    coordinator, facilitator = pages["coordinator"], pages["facilitator"]
    heron, otter, wren = pages["heron"], pages["otter"], pages["wren"]
    try:
        # The coordinator sets up a programme and a cohort of two places, then opens it.
        sign_in_as(coordinator, live_server, COORDINATOR)
        coordinator.get_by_role("link", name="Support groups and programmes").click()
        _check(coordinator)
        coordinator.get_by_role("link", name="Add a programme").click()
        coordinator.get_by_label("Title").fill(TITLE)
        coordinator.get_by_label("Online programme").check()
        coordinator.get_by_label("Who it is for").fill("Doctors in training")
        coordinator.get_by_label("Description").fill("Six weeks of short prompts.")
        coordinator.get_by_label("Members join straight away while there is room").check()
        _check(coordinator)
        coordinator.get_by_role("button", name="Save").click()
        expect(coordinator.get_by_text("Now add its first cohort")).to_be_visible()
        _check(coordinator)
        coordinator.get_by_label("Name:", exact=True).fill("Winter")
        coordinator.get_by_label("Starting from").fill(first_day.isoformat())
        coordinator.get_by_label("Day of the week").select_option(str(first_day.weekday()))
        coordinator.get_by_label("Time").fill("12:30")
        coordinator.get_by_label("Number of weekly sessions").fill("6")
        coordinator.get_by_label("Video call").check()
        coordinator.get_by_label("Video link").fill("https://video.example/writing")
        coordinator.get_by_label("Places").fill("2")
        coordinator.get_by_role("group", name="Facilitators", exact=True).get_by_label(
            "Bright Lark"
        ).check()
        coordinator.get_by_role("button", name="Save").click()
        expect(coordinator.get_by_text("Saved “Winter” with 6 sessions")).to_be_visible()
        coordinator.get_by_role("button", name="Open Winter for members").click()
        expect(coordinator.get_by_text("“Winter” is open")).to_be_visible()
        _check(coordinator)

        # Two members join; the group is then full and a third joins the waiting list.
        for page, email in ((heron, HERON), (wren, WREN)):
            sign_in_as(page, live_server, email)
            page.get_by_role("navigation", name="Main").get_by_role("link", name="Groups").click()
            _check(page, phone=True)
            page.get_by_role("link", name=TITLE).click()
            _check(page, phone=True)
            page.get_by_role("link", name="Join this group").click()
            _check(page, phone=True)
            page.get_by_role("button", name="Join the group").click()
            expect(page.get_by_text("tick to agree")).to_be_visible()  # nothing lost
            page.get_by_label("I have read the group agreement and agree").check()
            page.get_by_role("button", name="Join the group").click()
            expect(page.get_by_text("You have a place.")).to_be_visible()
            _check(page, phone=True)
        sign_in_as(otter, live_server, OTTER)
        _open_group(otter, live_server)
        otter.get_by_role("link", name="Join the waiting list").click()
        expect(otter.get_by_text("This group is full")).to_be_visible()
        otter.get_by_label("I have read the group agreement and agree").check()
        otter.get_by_role("button", name="Join the waiting list").click()
        expect(otter.get_by_text("you are on the waiting list").first).to_be_visible()
        _check(otter, phone=True)

        # A participant suggests topics; the other votes.
        heron.get_by_role("link", name=re.compile(r"^Session 1")).click()
        _check(heron, phone=True)
        for topic in ("Feeling like an impostor", "Night shifts and sleep"):
            heron.get_by_label("Suggest a topic").fill(topic)
            heron.get_by_role("button", name="Suggest").click()
            expect(heron.get_by_text("The group sees your topic without your name")).to_be_visible()
        heron.get_by_role("button", name="Vote for “Night shifts and sleep”").click()
        _open_group(wren, live_server)
        wren.get_by_role("link", name=re.compile(r"^Session 1")).click()
        expect(wren.get_by_text("suggested by you")).to_have_count(0)
        wren.get_by_role("button", name="Vote for “Night shifts and sleep”").click()
        expect(wren.get_by_text("Vote added.")).to_be_visible()
        _check(wren, phone=True)

        # The facilitator sees the topics ranked, and can merge duplicates.
        sign_in_as(facilitator, live_server, FACILITATOR)
        facilitator.get_by_role("link", name="Groups you facilitate").first.click()
        _check(facilitator)
        facilitator.get_by_role("link", name=TITLE).click()
        _check(facilitator)
        facilitator.get_by_role("link", name="Topics for session 1").click()
        topics = facilitator.locator(".topic-text")
        expect(topics).to_have_text(["Night shifts and sleep", "Feeling like an impostor"])
        expect(facilitator.locator(".topic-meta").first).to_contain_text("2 votes")
        expect(facilitator.get_by_text("Quiet Heron")).to_have_count(0)
        _check(facilitator)

        # After the session: attendance and a private reflection that asks for an advisor.
        _a_week_passes(TITLE)
        facilitator.get_by_role("link", name="Record attendance").click()
        _check(facilitator)
        facilitator.get_by_role("group", name="Quiet Heron").get_by_label("Came").check()
        facilitator.get_by_role("group", name="Patient Wren").get_by_label("Sent apologies").check()
        facilitator.get_by_role("button", name="Save attendance").click()
        expect(facilitator.get_by_text("Attendance saved.")).to_be_visible()
        facilitator.get_by_role("link", name="Reflection on session 1").click()
        _check(facilitator)
        facilitator.get_by_label("What went well?").fill("Everyone spoke at least once.")
        facilitator.get_by_label("What was hard?").fill("A long silence after a disclosure.")
        facilitator.get_by_label("Anything to discuss with an advisor?").fill("The silence.")
        facilitator.get_by_label("Ask an advisor to get in touch").check()
        facilitator.get_by_role("button", name="Save").click()
        expect(facilitator.get_by_text("Only you can read your reflection")).to_be_visible()
        expect(facilitator.get_by_text("You asked an advisor to get in touch")).to_be_visible()
        _check(facilitator)

        # Each participant sees their own attendance, and nobody else's.
        heron.goto(live_server.url + "/groups/")
        heron.get_by_role("link", name=TITLE).first.click()
        expect(heron.get_by_role("cell", name="Came")).to_be_visible()
        expect(heron.get_by_role("cell", name="Sent apologies")).to_have_count(0)
        _check(heron, phone=True)

        # A participant leaves; the member waiting is offered the place and takes it.
        heron.get_by_role("link", name="Leave the group").click()
        _check(heron, phone=True)
        heron.get_by_role("button", name="Leave the group").click()
        expect(heron.get_by_text("You have left the group.")).to_be_visible()
        otter.reload()
        expect(otter.get_by_text("A place is yours if you want it.")).to_be_visible()
        _check(otter, phone=True)
        otter.get_by_role("button", name="Accept the place").click()
        expect(otter.get_by_text("Welcome: the place is yours.")).to_be_visible()
        expect(otter.get_by_text("You are in this group.")).to_be_visible()
        _check(otter, phone=True)
    finally:
        for context in contexts.values():
            context.close()


def test_the_guide_insights_and_consultations_pages_are_accessible(page, live_server, demo_data):
    sign_in_as(page, live_server, COORDINATOR)
    page.goto(live_server.url + "/org/st-elsewhere/groups/insights/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Groups in numbers")
    _check(page)
    page.goto(live_server.url + "/org/st-elsewhere/groups/guide/")
    _check(page)
    page.get_by_role("link", name="Edit Opening a session").or_(
        page.get_by_role("link", name="Adapt Opening a session")
    ).click()
    _check(page)
    page.goto(live_server.url + "/groups/guide/disclosures-and-risk/")
    expect(page.get_by_role("heading", name="When someone is at risk")).to_be_visible()
    _check(page)
    sign_in_as(page, live_server, "advisor@example.org")
    page.goto(live_server.url + "/org/st-elsewhere/groups/consultations/")
    _check(page)
