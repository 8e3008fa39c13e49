from tests.conftest import sign_in
from tests.navigator.factories import make_service


def test_it_shows_the_transparency_card_to_a_visitor(client, db):
    service = make_service(
        name="Union advice",
        tells_school="never",
        tells_regulator="exceptional",
        confidentiality_limits="Only if a life is at risk.",
        records_kept="Case notes for six years.",
        independent_of_school=True,
        run_by="The students' union",
    )
    response = client.get(f"/services/{service.pk}/")
    assert response.status_code == 200
    text = response.text
    assert "Does my school find out that I used it?" in text
    assert "Only if a life is at risk." in text
    assert "Case notes for six years." in text
    assert "Is it run by people independent of my school?" in text
    assert 'href="tel:08000000000"' in text
    assert 'href="https://example.org/service"' in text


def test_another_organisations_service_answers_not_found(client, world):
    service = make_service(organisation=world.school)
    assert client.get(f"/services/{service.pk}/").status_code == 404
    assert sign_in(client, world.olga).get(f"/services/{service.pk}/").status_code == 404
    client.logout()
    assert sign_in(client, world.alice).get(f"/services/{service.pk}/").status_code == 200


def test_a_retired_service_answers_not_found(client, db):
    from django.utils import timezone

    service = make_service(retired_at=timezone.now())
    assert client.get(f"/services/{service.pk}/").status_code == 404


def test_the_page_costs_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    service = make_service(organisation=world.school)
    sign_in(client, world.alice)
    with django_assert_max_num_queries(12):
        assert client.get(f"/services/{service.pk}/").status_code == 200
