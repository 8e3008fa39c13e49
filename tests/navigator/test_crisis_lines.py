from kindred.navigator.directory_files import NATIONAL_SEED, check_rows, read_yaml
from kindred.navigator.models import Service
from kindred.navigator.selectors import crisis_lines_for
from tests.conftest import sign_in
from tests.navigator.factories import make_service


def test_it_shows_uk_lines_to_a_visitor_by_default(client, db):
    response = client.get("/help-now/")
    assert 'href="tel:116123"' in response.text
    assert "Samaritans" in response.text


def test_a_visitor_can_choose_another_country(client, db):
    response = client.get("/help-now/?country=US")
    assert 'href="tel:988"' in response.text
    assert "Samaritans" not in response.text


def test_it_shows_a_signed_in_persons_own_country(client, world):
    world.alice.country = "AU"
    world.alice.save()
    response = sign_in(client, world.alice).get("/help-now/")
    assert "Lifeline" in response.text
    assert 'href="tel:131114"' in response.text


def test_an_unknown_country_falls_back_to_the_uk(client, db):
    assert crisis_lines_for("ZZ")[0] == "GB"
    assert "Samaritans" in client.get("/help-now/?country=ZZ").text


def test_texting_is_one_tap_with_the_words_to_send(client, db):
    response = client.get("/help-now/")
    assert 'href="sms:85258?&amp;body=SHOUT"' in response.text
    assert "Text SHOUT to 85258" in response.text


def test_the_lines_come_from_the_directory_not_from_code(client, db):
    make_service(
        name="Campus Nightline", country="GB", is_crisis_line=True, crisis_rank=3, phone="0800 1"
    )
    Service.objects.filter(key="gb-shout").update(retired_at="2026-01-01T00:00Z")
    response = client.get("/help-now/")
    assert "Campus Nightline" in response.text
    assert "Shout" not in response.text


def test_emergency_services_come_first(db):
    for country in ("GB", "IE", "US", "CA", "AU"):
        _, lines = crisis_lines_for(country)
        assert lines[0].name == "Emergency services"


def test_every_seeded_country_has_an_emergency_number_and_a_source_for_each_line():
    rows = check_rows(read_yaml(NATIONAL_SEED.read_text()), national=True)
    lines = [row for row in rows if row["is_crisis_line"]]
    assert {row["country"] for row in lines} >= {"GB", "IE", "US", "CA", "AU"}
    for country in {row["country"] for row in lines}:
        first = min((r for r in lines if r["country"] == country), key=lambda r: r["crisis_rank"])
        assert first["name"] == "Emergency services"
    assert all(row["source_url"].startswith("https://") for row in lines)
    assert all(row["phone"] or row["text_number"] for row in lines)


def test_it_safely_shows_a_message_when_a_country_has_no_lines(client, db):
    Service.objects.filter(country="CA").delete()
    response = client.get("/help-now/?country=CA")
    assert response.status_code == 200
    assert "call your local emergency number" in response.text
