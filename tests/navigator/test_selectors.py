"""Selectors other apps rely on: services_for_referral, search_services."""

from django.utils import timezone

from kindred.navigator.selectors import search_services, services_for_referral
from tests.navigator.factories import make_service


def test_services_for_referral_are_the_organisations_own_and_national_ones(world):
    own = make_service(name="Own counselling", organisation=world.school)
    other = make_service(name="Northgate counselling", organisation=world.other_school)
    retired = make_service(name="Gone", organisation=world.school, retired_at=timezone.now())
    us_only = make_service(name="US line", country="US")
    found = set(services_for_referral(organisation=world.school))
    assert own in found
    assert other not in found
    assert retired not in found
    assert us_only not in found
    assert any(s.key == "gb-samaritans" for s in found)


def test_search_matches_word_prefixes_best_first(db):
    exact = make_service(name="Exam stress clinic", summary="Help before exams.")
    passing = make_service(name="General support", summary="Also helps with exam nerves.")
    results = list(search_services(query="exam"))
    assert results.index(exact) < results.index(passing)


def test_search_needs_every_word(db):
    both = make_service(name="Quokka and wombat advice")
    make_service(name="Quokka advice only", summary="Debts.")
    assert list(search_services(query="quokka wombat")) == [both]


def test_search_follows_edits_and_deletes(db):
    service = make_service(name="Zebra line")
    assert list(search_services(query="zebra")) == [service]
    service.name = "Giraffe line"
    service.save()
    assert list(search_services(query="zebra")) == []
    assert list(search_services(query="giraffe")) == [service]
    service.delete()
    assert list(search_services(query="giraffe")) == []


def test_search_is_safe_with_search_syntax_in_the_words(db):
    service = make_service(name="Nightjar line")
    assert list(search_services(query='nightjar"*)(')) == [service]
    assert list(search_services(query="nightjar*")) == [service]
