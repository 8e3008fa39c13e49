import datetime

from django.utils import timezone

from kindred.core.models import AuditEntry
from kindred.navigator.models import Service
from tests.conftest import sign_in
from tests.navigator.factories import make_service, make_services

LIST = "/org/st-elsewhere/services/"
NEW = "/org/st-elsewhere/services/new/"


def valid_form(**overrides):
    data = {
        "name": "Night drop-in",
        "run_by": "The students' union",
        "summary": "A warm room and someone to talk to.",
        "topics": ["anything", "low_mood"],
        "audiences": ["students"],
        "cost": "free",
        "access_routes": ["self_referral"],
        "wait": "immediate",
        "opening_hours": "Mon-Fri 18:00-23:00",
        "formats": ["in_person"],
        "helpers": "peers",
        "phone": "020 7946 0999",
        "languages": "English, Welsh",
        "tells_school": "never",
        "tells_regulator": "never",
        "confidentiality_limits": "Only if a life is at risk.",
        "records_kept": "None.",
        "independent_of_school": "yes",
        "source_url": "https://su.example/night",
        "last_reviewed": timezone.localdate().isoformat(),
    }
    data.update(overrides)
    return data


def test_a_coordinator_adds_a_service_that_members_then_see(client, world):
    response = sign_in(client, world.cora).post(NEW, valid_form())
    assert response.status_code == 302
    service = Service.objects.get(name="Night drop-in")
    assert service.organisation == world.school
    assert service.time_zone == world.school.time_zone
    assert service.opening_hours[0] == [0, "18:00", "23:00"]
    assert service.languages == ["English", "Welsh"]
    assert service.independent_of_school is True
    assert AuditEntry.objects.filter(action="added service", actor=world.cora).exists()
    client.logout()
    assert "Night drop-in" in sign_in(client, world.alice).get("/services/").text


def test_an_invalid_phone_number_is_refused_with_the_reason_keeping_what_was_typed(client, world):
    response = sign_in(client, world.cora).post(NEW, valid_form(phone="call 0800 NOW"))
    assert response.status_code == 200
    assert "Remove any letters" in response.text
    assert 'value="call 0800 NOW"' in response.text
    assert 'value="Night drop-in"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert not Service.objects.filter(name="Night drop-in").exists()


def test_an_invalid_web_address_is_refused_with_the_reason(client, world):
    response = sign_in(client, world.cora).post(
        NEW, valid_form(source_url="not a web address", website="javascript:alert(1)")
    )
    assert response.text.count("Enter a full web address, starting with https://") == 2
    assert 'value="not a web address"' in response.text


def test_unreadable_opening_hours_say_what_to_change(client, world):
    response = sign_in(client, world.cora).post(NEW, valid_form(opening_hours="evenings"))
    assert "needs days and times" in response.text
    assert 'value="evenings"' in response.text


def test_a_service_needs_a_way_to_contact_it(client, world):
    response = sign_in(client, world.cora).post(NEW, valid_form(phone=""))
    assert "Give at least one way to contact them." in response.text


def test_a_coordinator_edits_their_service(client, world):
    service = make_service(organisation=world.school, name="Old name")
    url = f"/org/st-elsewhere/services/{service.pk}/edit/"
    page = sign_in(client, world.cora).get(url)
    assert 'value="Old name"' in page.text
    assert client.post(url, valid_form(name="New name")).status_code == 302
    service.refresh_from_db()
    assert service.name == "New name"


def test_national_and_other_organisations_services_cannot_be_edited(client, world):
    national = Service.objects.get(key="gb-samaritans")
    theirs = make_service(organisation=world.other_school)
    sign_in(client, world.cora)
    for service in (national, theirs):
        assert client.get(f"/org/st-elsewhere/services/{service.pk}/edit/").status_code == 404
        assert client.post(f"/org/st-elsewhere/services/{service.pk}/retire/").status_code == 404


def test_retiring_hides_a_service_and_it_can_be_brought_back(client, world):
    service = make_service(organisation=world.school, name="Drop-in")
    sign_in(client, world.cora).post(f"/org/st-elsewhere/services/{service.pk}/retire/")
    service.refresh_from_db()
    assert service.retired_at is not None
    assert "Bring back" in client.get(LIST).text
    client.post(f"/org/st-elsewhere/services/{service.pk}/retire/", {"action": "restore"})
    service.refresh_from_db()
    assert service.retired_at is None


def test_entries_not_reviewed_for_a_year_are_flagged_and_can_be_marked_reviewed(client, world):
    old = make_service(
        organisation=world.school,
        name="Dusty service",
        last_reviewed=timezone.localdate() - datetime.timedelta(days=366),
    )
    text = sign_in(client, world.cora).get(LIST).text
    assert "Due for review" in text and "Dusty service" in text
    client.post(f"/org/st-elsewhere/services/{old.pk}/reviewed/")
    old.refresh_from_db()
    assert old.last_reviewed == timezone.localdate()
    assert "Due for review" not in client.get(LIST).text


def test_a_member_gets_an_explanation_and_another_coordinator_not_found(client, world):
    assert sign_in(client, world.alice).get(LIST).status_code == 403
    client.logout()
    assert sign_in(client, world.oscar).get(LIST).status_code == 404


def test_the_list_costs_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    make_services(200, organisation=world.school)
    sign_in(client, world.cora)
    with django_assert_max_num_queries(14):
        assert client.get(LIST).status_code == 200
