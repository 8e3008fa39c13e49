"""Signing in: the demo links of `make run`, and the real email-code form."""

import re

from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_as

# allauth puts the sign-in code on a line of its own, e.g. "WRCV-GPTV".
CODE_LINE = re.compile(r"^\s*([A-Z0-9]{3,}(?:-[A-Z0-9]{3,})*)\s*$", re.MULTILINE)


def test_a_member_signs_in_and_sees_their_home_page(page, live_server, demo_data):
    sign_in_as(page, live_server, "member@example.org")

    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Quiet Heron")
    expect(page.get_by_role("heading", name="St Elsewhere Medical School")).to_be_visible()
    expect(page.get_by_role("link", name="Your account")).to_be_visible()
    expect(page.get_by_role("link", name="People and roles")).to_have_count(0)


def test_a_coordinator_signs_in_and_sees_who_holds_which_role(page, live_server, demo_data):
    sign_in_as(page, live_server, "coordinator@example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Clear Harbour Owl")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="People and roles").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "People and roles in St Elsewhere Medical School"
    )
    roles = page.get_by_role("table")
    expect(roles.get_by_role("columnheader", name="Role")).to_be_visible()
    supporters = roles.get_by_role("row").filter(has=page.get_by_role("cell", name="Supporter"))
    expect(supporters).to_have_count(2)
    expect(supporters.filter(has_text="Warm Kestrel")).to_have_count(1)


def test_a_member_signs_in_with_the_code_we_email_them(page, live_server, demo_data):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill("member@example.org")
    page.get_by_role("button", name=re.compile(r"^sign in$", re.IGNORECASE)).click()

    code_box = page.get_by_label("Code")
    expect(code_box).to_be_visible()
    assert mail.outbox, "No sign-in email was sent"
    message = mail.outbox[-1]
    assert message.to == ["member@example.org"]
    match = CODE_LINE.search(message.body)
    assert match, f"No code found in the email:\n{message.body}"

    code_box.fill(match.group(1))
    page.get_by_role("button", name=re.compile(r"^confirm$", re.IGNORECASE)).click()

    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Quiet Heron")
