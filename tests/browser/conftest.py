"""Browser tests: Chromium (through Playwright) against pytest-django's live server.

Nothing here starts a browser at import time, so `pytest -m "not browser"` can collect this
folder on a machine without Chromium. Run these with `make test-browser`.
"""

import io
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse

BROWSER_DIR = Path(__file__).parent
CHROMIUM = os.environ.get("KINDRED_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
QUICK_EXIT_URL = "https://www.bbc.co.uk/weather"
NEUTRAL_PAGE = (
    '<!DOCTYPE html><html lang="en"><head><title>Weather</title></head>'
    "<body><h1>Weather</h1><p>Sunny spells.</p></body></html>"
)
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
DEFAULT_TIMEOUT_MS = 10_000
# axe's default rules, plus WCAG 2.2's target size (Kindred's CSS promises 44px targets).
AXE_RUN = """axe.run(document, {
  resultTypes: ["violations"],
  rules: {"target-size": {enabled: true}},
})"""


def pytest_collection_modifyitems(config, items):
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session", autouse=True)
def _allow_orm_calls_beside_playwright():
    """Playwright's sync API keeps an event loop in this thread, so Django would refuse the ORM
    calls that pytest-django and fixtures make (test database, demo data). Browser tests only."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"about", "data", "blob"} or parts.hostname in {
        "localhost",
        "127.0.0.1",
        "::1",
    }


def _new_context(browser, viewport):
    context = browser.new_context(viewport=viewport, reduced_motion="reduce")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)

    def neutral_page(route):
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=NEUTRAL_PAGE)

    def block_the_internet(route):
        if _is_local(route.request.url):
            route.continue_()
        else:
            route.abort()

    # Playwright tries the most recently registered route first, so the catch-all goes first.
    context.route("**/*", block_the_internet)
    context.route("https://www.bbc.co.uk/**", neutral_page)
    return context


@pytest.fixture
def context(browser, live_server):
    context = _new_context(browser, DESKTOP)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def phone(browser, live_server):
    """A browser context the size of a small phone (360 x 740)."""
    context = _new_context(browser, PHONE)
    yield context
    context.close()


@pytest.fixture
def phone_page(phone):
    return phone.new_page()


@pytest.fixture
def demo_data(live_server, transactional_db):
    """The demo organisations and accounts of `make run`, in the live server's database."""
    call_command("seed_demo", stdout=io.StringIO())


def sign_in_as(page, live_server, email: str) -> None:
    """Sign in with the development-only demo link (which also counts as the second factor)."""
    from kindred.accounts.views import demo_sign_in_token

    page.goto(live_server.url + reverse("demo_sign_in", args=[demo_sign_in_token(email)]))
    page.wait_for_url(live_server.url + reverse("home"))


def assert_accessible(page) -> None:
    """Fail on any serious or critical axe-core violation on the current page, listing each
    rule, what it asks for, and the elements that break it."""
    from axe_playwright_python.base import AXE_FILE_PATH

    page.wait_for_load_state("load")  # styles applied before axe measures targets
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(Path(AXE_FILE_PATH).read_text(encoding="utf-8"))
    results = page.evaluate(AXE_RUN)
    serious = [v for v in results["violations"] if v.get("impact") in {"serious", "critical"}]
    if serious:
        lines = [f"axe found {len(serious)} serious or critical violation(s) on {page.url}:"]
        for violation in serious:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            for node in violation["nodes"]:
                lines.append(f"    {' '.join(map(str, node['target']))}")
                summary = node.get("failureSummary")
                if summary:
                    lines.append("      " + summary.replace("\n", "\n      "))
        pytest.fail("\n".join(lines), pytrace=False)
