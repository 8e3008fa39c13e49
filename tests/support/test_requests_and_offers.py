import datetime

import pytest
from django.core import mail
from django.utils import timezone

from kindred.core.errors import DomainError
from kindred.support import services
from kindred.support.models import Conversation, Offer, SupporterProfile, SupportRequest
from tests.conftest import sign_in


def _ask(world, **fields):
    data = {"topics": ["exams"], "urgency": "this_week", "body": "I failed my OSCE"}
    data.update(fields)
    return services.request_support(member=world.alice, organisation=world.school, **data)


def test_a_request_is_offered_at_once_to_the_best_supporter(world, profiles):
    request = _ask(world)
    offer = request.offers.get()
    assert offer.supporter == profiles["sam"]
    assert request.status == "offered"
    assert offer.reasons


def test_the_request_text_is_stored_encrypted(world, profiles):
    from django.db import connection

    request = _ask(world, body="my secret worry")
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM support_supportrequest WHERE id = %s", [request.pk])
        stored = cursor.fetchone()[0]
    assert "secret" not in stored
    assert SupportRequest.objects.get(pk=request.pk).body == "my secret worry"


def test_nobody_available_leaves_the_request_waiting(world, profiles):
    SupporterProfile.objects.update(status="break")
    request = _ask(world)
    assert request.status == "waiting"
    assert not request.offers.exists()


def test_a_supporter_is_never_offered_their_own_request(world, profiles):
    from kindred.accounts.models import Membership

    make = services.request_support(
        member=world.sam, organisation=world.school, topics=["exams"], urgency="today"
    )
    assert Membership.objects.filter(user=world.sam).exists()
    assert not make.offers.filter(supporter=profiles["sam"]).exists()


def test_not_someone_in_my_year_leaves_out_supporters_in_that_year(world, profiles):
    from kindred.accounts.models import Membership

    Membership.objects.filter(user=world.sam).update(year_group="Year 3")
    request = _ask(world, exclude_my_year=True, year_group="Year 3", anyone=True)
    assert not request.offers.filter(supporter=profiles["sam"]).exists()


def test_excluding_my_year_needs_my_year(world, profiles):
    with pytest.raises(DomainError, match="Tell us your year"):
        _ask(world, exclude_my_year=True, year_group="")


def test_a_named_person_is_never_offered_the_request(world, profiles):
    request = services.request_support(
        member=world.alice,
        organisation=world.school,
        topics=["exams"],
        excluded_people=[world.sam],
    )
    assert not request.offers.filter(supporter=profiles["sam"]).exists()


def test_accepting_opens_a_conversation_and_tells_the_member(world, profiles):
    offer = _ask(world).offers.get()
    conversation = services.accept_offer(supporter=world.sam, offer=offer)
    assert conversation.member == world.alice
    assert conversation.supporter == world.sam
    offer.refresh_from_db()
    assert offer.status == "accepted"
    assert world.alice.notifications.filter(text__contains="accepted").exists()
    assert all("OSCE" not in m.body for m in mail.outbox)


def test_declining_passes_the_request_to_the_next_supporter(world, profiles):
    request = _ask(world, topics=["exams", "bereavement"], anyone=True)
    first = request.offers.get()
    services.decline_offer(supporter=first.supporter.user, offer=first)
    second = request.offers.get(status="pending")
    assert second.supporter != first.supporter


def test_an_unanswered_offer_expires_and_is_passed_on(world, profiles):
    request = _ask(world, topics=["exams", "bereavement"], anyone=True)
    first = request.offers.get()
    services.expire_overdue_offers(now=timezone.now() + datetime.timedelta(hours=25))
    first.refresh_from_db()
    assert first.status == "expired"
    assert request.offers.filter(status="pending").exclude(pk=first.pk).exists()


def test_an_offer_to_a_supporter_whose_training_lapsed_is_withdrawn_and_rematched(world, profiles):
    from kindred.accounts.models import RoleGrant

    request = _ask(world, topics=["exams", "bereavement"], anyone=True)
    first = request.offers.get()
    RoleGrant.objects.filter(membership__user=first.supporter.user).update(
        trained_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    services.expire_overdue_offers()
    first.refresh_from_db()
    assert first.status == "withdrawn"
    assert request.offers.filter(status="pending").exists()


def test_an_expired_offer_cannot_be_accepted(world, profiles):
    offer = _ask(world).offers.get()
    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now())
    offer.refresh_from_db()
    with pytest.raises(DomainError, match="expired"):
        services.accept_offer(supporter=world.sam, offer=offer)


def test_withdrawing_stops_everything(world, profiles):
    request = _ask(world)
    services.withdraw_request(member=world.alice, request=request)
    request.refresh_from_db()
    assert request.status == "withdrawn"
    assert not request.offers.filter(status="pending").exists()


def test_batch_matching_offers_every_waiting_request_it_can(world, profiles):
    SupporterProfile.objects.update(status="break")
    first = _ask(world)
    second = services.request_support(member=world.bob, organisation=world.school, topics=["exams"])
    assert first.status == second.status == "waiting"
    SupporterProfile.objects.update(status="available")
    made = services.match_waiting_requests(organisation=world.school)
    assert made == 2
    assert Offer.objects.filter(status="pending").count() == 2


def test_a_supporter_at_capacity_gets_no_more_offers(world, profiles):
    profiles["sam"].capacity = 1
    profiles["sam"].save()
    SupporterProfile.objects.filter(pk=profiles["fay"].pk).update(status="break")
    _ask(world)
    second = services.request_support(member=world.bob, organisation=world.school, topics=["exams"])
    assert second.status == "waiting"


def test_the_ask_page_keeps_what_was_typed_when_something_is_wrong(client, world, profiles):
    response = sign_in(client, world.alice).post(
        "/support/ask/",
        {"body": "keep me", "urgency": "this_week", "exclude_my_year": "on", "year_group": ""},
    )
    assert response.status_code == 200
    assert "Tell us your year" in response.text
    assert "keep me" in response.text


def test_the_ask_page_says_when_confidentiality_is_broken(client, world):
    response = sign_in(client, world.alice).get("/support/ask/")
    assert "When confidentiality is broken" in response.text


def test_a_member_asks_and_sees_the_state_of_their_request(client, world, profiles):
    sign_in(client, world.alice)
    response = client.post("/support/ask/", {"body": "", "topics": ["exams"], "urgency": "today"})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "We found someone" in page.text


def test_a_member_without_a_free_supporter_is_pointed_to_other_help(client, world, profiles):
    SupporterProfile.objects.update(status="break")
    sign_in(client, world.alice)
    response = client.post("/support/ask/", {"topics": ["exams"], "urgency": "today"}, follow=True)
    assert "Nobody is free right now" in response.text
    assert 'href="/help-now/"' in response.text


def test_the_supporter_sees_only_what_the_member_chose_to_share(client, world, profiles):
    _ask(world, body="very private words", share_topics=False, share_message=False)
    response = sign_in(client, world.sam).get("/support/offers/")
    assert "Alice" in response.text
    assert "very private words" not in response.text
    assert "Exams and assessments" not in response.text


def test_the_supporter_sees_shared_words_and_it_is_audited(client, world, profiles):
    from kindred.core.models import AuditEntry

    _ask(world, body="shared words", share_topics=True, share_message=True)
    response = sign_in(client, world.sam).get("/support/offers/")
    assert "shared words" in response.text
    assert AuditEntry.objects.filter(subject=world.alice, actor=world.sam).exists()


def test_a_supporter_accepts_from_the_offers_page(client, world, profiles):
    offer = _ask(world).offers.get()
    response = sign_in(client, world.sam).post(f"/support/offers/{offer.pk}/accept/")
    conversation = Conversation.objects.get()
    assert response["Location"] == f"/support/conversations/{conversation.pk}/"


def test_another_supporter_cannot_answer_someone_elses_offer(client, world, profiles):
    offer = _ask(world).offers.get()
    response = sign_in(client, world.fay).post(f"/support/offers/{offer.pk}/accept/")
    assert response.status_code == 404
    offer.refresh_from_db()
    assert offer.status == "pending"


def test_the_offers_page_costs_a_bounded_number_of_queries(
    client, world, profiles, django_assert_max_num_queries
):
    from tests.factories import MembershipFactory

    profiles["sam"].capacity = 15
    profiles["sam"].save()
    SupporterProfile.objects.filter(pk=profiles["fay"].pk).update(status="break")
    for _ in range(8):
        member = MembershipFactory(organisation=world.school).user
        services.request_support(member=member, organisation=world.school, topics=["exams"])
    sign_in(client, world.sam)
    with django_assert_max_num_queries(20):
        response = client.get("/support/offers/")
    assert response.text.count("Accept</button>") == 8
