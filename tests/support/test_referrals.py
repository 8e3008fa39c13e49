import datetime

import pytest
from django.utils import timezone

from kindred.core.errors import DomainError
from kindred.support import services
from kindred.support.models import Referral
from tests.conftest import sign_in
from tests.factories import make_conversation
from tests.navigator.factories import make_service


@pytest.fixture
def talk(world):
    return make_conversation(world.alice, world.sam, world.school)


def test_a_supporter_suggests_a_service_and_the_member_sees_it_as_a_card(client, world, talk):
    service = make_service(name="Practitioner Health")
    response = sign_in(client, world.sam).post(
        f"/support/conversations/{talk.pk}/suggest/", {"service": service.pk}
    )
    assert response.status_code == 302
    client.logout()
    page = sign_in(client, world.alice).get(f"/support/conversations/{talk.pk}/")
    assert "Practitioner Health" in page.text
    assert "service-card" in page.text
    assert world.alice.notifications.filter(text__contains="suggested a service").exists()


def test_another_organisations_service_cannot_be_suggested(world, talk):
    theirs = make_service(organisation=world.other_school)
    with pytest.raises(DomainError, match="Choose a service"):
        services.suggest_service(supporter=world.sam, conversation=talk, service_id=theirs.pk)


def test_a_week_later_the_member_is_asked_privately(world, talk):
    service = make_service(name="Mind")
    services.suggest_service(supporter=world.sam, conversation=talk, service_id=service.pk)
    assert services.send_referral_follow_ups() == 0
    later = timezone.now() + datetime.timedelta(days=8)
    assert services.send_referral_follow_ups(now=later) == 1
    assert world.alice.notifications.filter(text__contains="Did you manage").exists()
    assert not world.sam.notifications.filter(text__contains="Did you manage").exists()
    assert services.send_referral_follow_ups(now=later) == 0


def test_the_supporter_sees_the_answer_only_if_the_member_shares_it(client, world, talk):
    service = make_service(name="Mind")
    referral = services.suggest_service(
        supporter=world.sam, conversation=talk, service_id=service.pk
    )
    sign_in(client, world.alice).post(
        f"/support/referrals/{referral.pk}/outcome/", {"outcome": "reached"}
    )
    client.logout()
    sign_in(client, world.sam)
    assert "I got in touch" not in client.get(f"/support/conversations/{talk.pk}/").text
    Referral.objects.filter(pk=referral.pk).update(share_outcome=True)
    assert "I got in touch" in client.get(f"/support/conversations/{talk.pk}/").text


def test_only_the_member_answers_the_follow_up(client, world, talk):
    service = make_service()
    referral = services.suggest_service(
        supporter=world.sam, conversation=talk, service_id=service.pk
    )
    response = sign_in(client, world.sam).post(
        f"/support/referrals/{referral.pk}/outcome/", {"outcome": "reached", "share": "yes"}
    )
    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.outcome == ""
