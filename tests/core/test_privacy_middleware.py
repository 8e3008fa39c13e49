import time

from kindred.accounts.middleware import LAST_SEEN_KEY
from tests.conftest import sign_in


def test_pages_with_personal_data_are_never_cached(client, world):
    response = sign_in(client, world.alice).get("/account/")
    assert response["Cache-Control"] == "no-store, private"


def test_static_files_may_be_cached(client, db):
    response = client.get("/static/kindred/kindred.css")
    assert "no-store" not in response.get("Cache-Control", "")


def _idle(client, minutes):
    session = client.session
    session[LAST_SEEN_KEY] = time.time() - minutes * 60
    session.save()


def test_a_privileged_session_ends_after_30_idle_minutes(client, world):
    sign_in(client, world.sam)
    _idle(client, 31)
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert client.get("/account/").status_code == 302


def test_a_privileged_session_survives_29_idle_minutes(client, world):
    sign_in(client, world.sam)
    _idle(client, 29)
    assert client.get("/account/").status_code == 200


def test_a_members_session_does_not_time_out_after_30_minutes(client, world):
    sign_in(client, world.alice)
    _idle(client, 45)
    assert client.get("/account/").status_code == 200
