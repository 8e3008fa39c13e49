import logging
import os

import pytest

from kindred.core.logging import StripQueryStringFilter


def test_the_confidence_page_says_when_confidentiality_is_broken(client, db):
    response = client.get("/confidence/")
    assert "The only times confidentiality is broken" in response.text
    assert "Your school never learns who used Kindred" in response.text


def test_healthz_reports_the_database(client, db, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz")
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs a running Redis (make test-postgres)"
)
def test_healthz_reports_a_running_redis(client, db, settings):
    settings.REDIS_URL = os.environ["REDIS_URL"]
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["redis"] == "ok"


def test_healthz_reports_redis_when_configured_and_down(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"] == "unavailable"


def test_healthz_answers_503_when_the_database_is_down(client, db, monkeypatch):
    class BrokenConnection:
        def cursor(self):
            raise RuntimeError("down")

    monkeypatch.setattr("kindred.core.views.connection", BrokenConnection())
    assert client.get("/healthz").status_code == 503


def test_a_missing_page_uses_the_layout_and_says_what_to_do(client, db, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We cannot find that page" in response.text
    assert "Need help now?" in response.text
    assert "Leave this site" in response.text


def test_every_page_has_the_quick_exit_and_the_crisis_link(client, db):
    for url in ["/", "/confidence/", "/help-now/", "/accounts/login/"]:
        text = client.get(url).text
        assert "data-quick-exit" in text, url
        assert 'href="/help-now/"' in text, url
        assert 'class="skip-link"' in text, url


def test_no_asset_comes_from_another_site(client, db):
    text = client.get("/").text
    assert '<script src="/static/' in text
    assert "https://cdn" not in text and "unpkg" not in text


def test_the_log_filter_drops_query_strings_and_email_addresses():
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        ("/join/?address=jo@uni.ac.uk",),
        None,
    )
    StripQueryStringFilter().filter(record)
    assert "jo@uni.ac.uk" not in record.getMessage()
    assert "address=" not in record.getMessage()


def test_a_tampered_form_gets_a_clear_message_in_the_layout(world):
    from django.test import Client

    from tests.conftest import sign_in

    client = sign_in(Client(enforce_csrf_checks=True), world.alice)
    response = client.post("/account/", {"display_name": "Tampered"})
    assert response.status_code == 403
    assert "This form had expired" in response.text
    world.alice.refresh_from_db()
    assert world.alice.display_name == "Alice"


def test_a_failure_halfway_through_a_request_saves_nothing(client, world, monkeypatch):
    from kindred.accounts.models import RoleGrant
    from tests.conftest import sign_in

    def fails_after_the_service_wrote(*args, **kwargs):
        raise RuntimeError("failure after the write")

    # The service has committed its own block; only the request's transaction can undo it.
    monkeypatch.setattr("django.contrib.messages.success", fails_after_the_service_wrote)
    client.raise_request_exception = False
    response = sign_in(client, world.cora).post(
        "/org/st-elsewhere/people/",
        {"email": "alice@example.org", "role": "coordinator", "trained_until": ""},
    )
    assert response.status_code == 500
    assert not RoleGrant.objects.filter(membership__user=world.alice).exists()
