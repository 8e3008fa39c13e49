"""Sign-up and sign-in with emailed codes (django-allauth), no passwords."""

import re

from django.core import mail

from kindred.accounts.models import User


def _code():
    return re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mail.outbox[-1].body, re.MULTILINE).group(1)


def test_a_person_joins_with_only_an_email_and_gets_a_made_up_name(client, db):
    response = client.post("/accounts/signup/", {"email": "New.Person@Example.org"})
    assert response.status_code == 302
    response = client.post(response["Location"], {"code": _code()}, follow=True)
    user = User.objects.get(email="new.person@example.org")
    assert re.fullmatch(r"[A-Z][a-z]+ [A-Z][a-z]+( \d{4})?", user.display_name)
    assert not user.has_usable_password()
    assert response.context["user"] == user


def test_the_sign_up_page_links_to_how_we_keep_your_confidence(client, db):
    response = client.get("/accounts/signup/")
    assert 'href="/confidence/"' in response.text


def test_a_member_signs_in_with_an_emailed_code_and_the_session_is_rotated(client, world):
    client.get("/")
    before = client.cookies.get("sessionid")
    response = client.post("/accounts/login/", {"login": "alice@example.org"})
    assert response.status_code == 302
    response = client.post(response["Location"], {"code": _code()})
    assert response.status_code == 302
    assert client.get("/").context["user"] == world.alice
    after = client.cookies["sessionid"].value
    assert before is None or before.value != after


def test_a_wrong_code_is_refused_on_the_same_page(client, world):
    response = client.post("/accounts/login/", {"login": "alice@example.org"})
    code_url = response["Location"]
    right = _code()
    wrong = "AAAA-AAAA" if right != "AAAA-AAAA" else "BBBB-BBBB"
    response = client.post(code_url, {"code": wrong})
    assert response.status_code == 200
    assert "Incorrect code" in response.text
