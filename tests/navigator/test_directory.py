import datetime

import pytest
from django.utils import timezone

from kindred.navigator.models import Service
from tests.conftest import sign_in
from tests.navigator.factories import make_service, make_services

URL = "/services/"


def test_a_visitor_sees_national_services_without_signing_in(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    assert "Samaritans" in response.text
    assert "Your school is not told" in response.text


def test_an_organisations_own_services_are_for_its_members_only(client, world):
    make_service(name="St Elsewhere Counselling", organisation=world.school)
    assert "St Elsewhere Counselling" not in client.get(URL).text
    assert "St Elsewhere Counselling" in sign_in(client, world.alice).get(URL).text
    client.logout()
    assert "St Elsewhere Counselling" not in sign_in(client, world.olga).get(URL).text


def test_retired_services_are_not_listed(client, world):
    make_service(name="Old drop-in", organisation=world.school, retired_at=timezone.now())
    assert "Old drop-in" not in sign_in(client, world.alice).get(URL).text


def test_a_visitor_chooses_a_country(client, db):
    response = client.get(URL, {"country": "US"})
    assert "988 Suicide &amp; Crisis Lifeline" in response.text
    assert "Samaritans" not in response.text


def test_search_finds_words_in_names_descriptions_and_topics(client, db):
    make_service(name="Quiet Room", summary="A calm place.", topics=["grief"])
    make_service(name="Loud Room", summary="Exam revision clinic.", topics=["exams"])
    assert "Quiet Room" in client.get(URL, {"q": "quiet"}).text
    by_summary = client.get(URL, {"q": "revision"}).text
    assert "Loud Room" in by_summary and "Quiet Room" not in by_summary
    by_topic = client.get(URL, {"q": "grief"}).text
    assert "Quiet Room" in by_topic and "Loud Room" not in by_topic


def test_filters_for_topic_cost_format_and_confidentiality(client, db):
    make_service(name="Paid therapy", cost="paid", topics=["money"], formats=["video"])
    make_service(name="Told tutor", tells_school="yes", topics=["money"], formats=["in_person"])
    text = client.get(URL, {"topic": "money", "cost": "paid"}).text
    assert "Paid therapy" in text and "Told tutor" not in text
    text = client.get(URL, {"topic": "money", "format": "in_person"}).text
    assert "Told tutor" in text and "Paid therapy" not in text
    text = client.get(URL, {"topic": "money", "confidential": "yes"}).text
    assert "Paid therapy" in text and "Told tutor" not in text


def test_open_now_uses_each_services_own_hours(client, db):
    make_service(name="Always open", opening_hours=[[d, "00:00", "24:00"] for d in range(7)])
    make_service(name="Never open", opening_hours=[])
    text = client.get(URL, {"open_now": "yes", "q": "open"}).text
    assert "Always open" in text and "Never open" not in text


def test_unknown_filter_values_are_ignored_with_a_notice(client, db):
    response = client.get(
        URL, {"topic": "dragons", "cost": "cheap", "open_now": "maybe", "country": "XX"}
    )
    assert response.status_code == 200
    assert "We ignored the topic “dragons”" in response.text
    assert "We ignored the cost “cheap”" in response.text
    assert "use yes or no" in response.text
    assert "so we show the UK" in response.text
    assert "Samaritans" in response.text


def test_a_search_with_only_punctuation_lists_everything(client, db):
    response = client.get(URL, {"q": '"*)('})
    assert response.status_code == 200
    assert "Samaritans" in response.text


def test_coordinators_get_a_link_to_manage_their_services(client, world):
    text = sign_in(client, world.cora).get(URL).text
    assert "/org/st-elsewhere/services/" in text
    client.logout()
    assert "/org/st-elsewhere/services/" not in sign_in(client, world.alice).get(URL).text


@pytest.mark.parametrize("count", [10, 1000])
@pytest.mark.parametrize(
    "params", [{}, {"q": "students"}, {"open_now": "yes", "topic": "anxiety"}], ids=str
)
def test_the_directory_costs_a_bounded_number_of_queries(
    client, world, django_assert_max_num_queries, count, params
):
    make_services(count // 2, organisation=world.school)
    make_services(count - count // 2)
    sign_in(client, world.alice)
    with django_assert_max_num_queries(14):
        response = client.get(URL, params)
    assert response.status_code == 200


@pytest.mark.parametrize("count", [10, 1000])
def test_a_visitors_directory_page_costs_a_bounded_number_of_queries(
    client, db, django_assert_max_num_queries, count
):
    make_services(count)
    with django_assert_max_num_queries(6):
        response = client.get(URL, {"page": 2})
    assert response.status_code == 200
    assert Service.objects.count() >= count


def test_entries_not_reviewed_for_a_year_warn_the_reader(client, db):
    old = make_service(last_reviewed=timezone.localdate() - datetime.timedelta(days=400))
    assert "more than a year ago" in client.get(f"/services/{old.pk}/").text
