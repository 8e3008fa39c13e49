"""An organisation's own offer deadlines and retention, set by its coordinators."""

import datetime

import pytest
from django.utils import timezone

from kindred.support import services
from kindred.support.models import Conversation, SupportSettings
from tests.conftest import sign_in
from tests.factories import make_conversation

URL = "/org/{}/support/settings/"


def _ask(world, urgency):
    return services.request_support(
        member=world.alice,
        organisation=world.school,
        topics=["exams"],
        urgency=urgency,
        body="",
    )


@pytest.mark.parametrize(("urgency", "hours"), [("today", 2), ("this_week", 48)])
def test_offers_use_the_organisations_deadlines(world, profiles, urgency, hours):
    SupportSettings.objects.create(
        organisation=world.school, offer_hours_today=2, offer_hours_later=48
    )
    before = timezone.now()
    offer = _ask(world, urgency).offers.get()
    expected = before + datetime.timedelta(hours=hours)
    assert abs((offer.expires_at - expected).total_seconds()) < 60


def test_without_settings_offers_for_today_last_four_hours(world, profiles):
    before = timezone.now()
    offer = _ask(world, "today").offers.get()
    assert abs((offer.expires_at - before - datetime.timedelta(hours=4)).total_seconds()) < 60


def test_retention_follows_each_organisations_own_period(world):
    SupportSettings.objects.create(organisation=world.school, retention_days=30)
    forty_days_ago = timezone.now() - datetime.timedelta(days=40)
    school = make_conversation(
        world.alice, world.sam, world.school, status="closed", closed_at=forty_days_ago
    )
    elsewhere = make_conversation(
        world.olga, world.sam, world.other_school, status="closed", closed_at=forty_days_ago
    )
    assert services.purge_closed_conversations() == 1
    assert not Conversation.objects.filter(pk=school.pk).exists()
    assert Conversation.objects.filter(pk=elsewhere.pk).exists()  # the default 90 days there


def test_the_member_is_told_the_organisations_retention(client, world):
    SupportSettings.objects.create(organisation=world.school, retention_days=30)
    talk = make_conversation(
        world.alice, world.sam, world.school, status="closed", closed_at=timezone.now()
    )
    page = sign_in(client, world.alice).get(f"/support/conversations/{talk.pk}/")
    assert "deleted 30 days after it closed" in page.content.decode()


def test_a_coordinator_changes_the_settings(client, world):
    response = sign_in(client, world.cora).post(
        URL.format(world.school.slug),
        {"offer_hours_today": "3", "offer_hours_later": "12", "retention_days": "60"},
    )
    assert response.status_code == 302
    saved = SupportSettings.objects.get(organisation=world.school)
    assert (saved.offer_hours_today, saved.offer_hours_later, saved.retention_days) == (3, 12, 60)


def test_out_of_range_values_are_refused_and_kept(client, world):
    response = sign_in(client, world.cora).post(
        URL.format(world.school.slug),
        {"offer_hours_today": "0", "offer_hours_later": "12", "retention_days": "3"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "greater than or equal to 1" in body
    assert "greater than or equal to 7" in body
    assert 'value="12"' in body
    assert not SupportSettings.objects.exists()


def test_the_settings_page_costs_a_few_queries(client, world, django_assert_max_num_queries):
    sign_in(client, world.cora)
    with django_assert_max_num_queries(12):
        assert client.get(URL.format(world.school.slug)).status_code == 200
