import re

import pytest
from django.core import mail

from kindred.accounts.models import Membership, VerifiedAddress
from kindred.accounts.services import address_digest
from tests.conftest import sign_in
from tests.factories import UserFactory


@pytest.fixture
def newcomer(world):
    return UserFactory(email="newcomer@gmail.example", display_name="Newcomer")


def _start(client, world, address):
    return client.post("/join/", {"organisation": world.school.pk, "address": address})


def _code():
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


def test_a_person_joins_by_proving_an_institutional_address(client, world, newcomer):
    sign_in(client, newcomer)
    response = _start(client, world, "N.Comer@st-elsewhere.ac.uk")
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["n.comer@st-elsewhere.ac.uk"]
    response = client.post("/join/code/", {"code": _code()})
    assert response.status_code == 302
    assert Membership.objects.filter(user=newcomer, organisation=world.school).exists()


def test_the_institutional_address_is_not_kept(client, world, newcomer):
    sign_in(client, newcomer)
    _start(client, world, "n.comer@st-elsewhere.ac.uk")
    client.post("/join/code/", {"code": _code()})
    newcomer.refresh_from_db()
    assert newcomer.email == "newcomer@gmail.example"
    stored = VerifiedAddress.objects.get(user=newcomer)
    assert stored.digest == address_digest("n.comer@st-elsewhere.ac.uk")
    assert "st-elsewhere" not in stored.digest
    assert "n.comer" not in str(dict(client.session))


def test_an_address_outside_the_organisations_domains_is_refused(client, world, newcomer):
    response = _start(sign_in(client, newcomer), world, "me@northgate.ac.uk")
    assert response.status_code == 200
    assert "accepts addresses ending @st-elsewhere.ac.uk" in response.text
    assert 'value="me@northgate.ac.uk"' in response.text
    assert not mail.outbox


def test_an_address_that_verified_another_account_is_refused(client, world, newcomer):
    VerifiedAddress.objects.create(
        digest=address_digest("taken@st-elsewhere.ac.uk"), user=world.bob, organisation=world.school
    )
    response = _start(sign_in(client, newcomer), world, "taken@st-elsewhere.ac.uk")
    assert "already verified another Kindred account" in response.text


def test_a_wrong_code_is_refused_and_the_person_can_try_again(client, world, newcomer):
    sign_in(client, newcomer)
    _start(client, world, "n@st-elsewhere.ac.uk")
    right = _code()
    wrong = "000000" if right != "000000" else "111111"
    response = client.post("/join/code/", {"code": wrong})
    assert "That code is not right" in response.text
    assert f'value="{wrong}"' in response.text
    client.post("/join/code/", {"code": right})
    assert Membership.objects.filter(user=newcomer).exists()


def test_after_five_wrong_codes_a_new_code_is_needed(client, world, newcomer):
    sign_in(client, newcomer)
    _start(client, world, "n@st-elsewhere.ac.uk")
    right = _code()
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        client.post("/join/code/", {"code": wrong})
    response = client.post("/join/code/", {"code": right})
    assert "Too many wrong codes" in response.text
    assert not Membership.objects.filter(user=newcomer).exists()


def test_an_expired_code_is_refused(client, world, newcomer, monkeypatch):
    sign_in(client, newcomer)
    _start(client, world, "n@st-elsewhere.ac.uk")
    import kindred.accounts.services as services

    real_time = services.time.time
    monkeypatch.setattr(services.time, "time", lambda: real_time() + 16 * 60)
    response = client.post("/join/code/", {"code": _code()})
    assert "That code has expired" in response.text


def test_joining_sets_the_crisis_line_country(client, world, newcomer):
    newcomer.country = ""
    newcomer.save()
    sign_in(client, newcomer)
    _start(client, world, "n@st-elsewhere.ac.uk")
    client.post("/join/code/", {"code": _code()})
    newcomer.refresh_from_db()
    assert newcomer.country == "GB"
