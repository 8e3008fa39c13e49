import datetime

from django.utils import timezone

from kindred.accounts.models import RoleGrant
from tests.conftest import sign_in


def test_it_welcomes_a_visitor_without_asking_who_they_are(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Need help now?" in response.content
    assert b"Join Kindred" in response.content


def test_it_greets_a_member_by_display_name_only(client, world):
    world.alice.real_name = "Alice Realname"
    world.alice.save()
    response = sign_in(client, world.alice).get("/")
    assert "Hello, Alice" in response.text
    assert "Alice Realname" not in response.text
    assert "St Elsewhere Medical School" in response.text


def test_it_asks_a_member_without_an_organisation_to_join_one(client, db):
    from tests.factories import UserFactory

    response = sign_in(client, UserFactory()).get("/")
    assert "Join your medical school or programme" in response.text


def test_it_shows_a_coordinator_a_suppressed_member_count(client, world):
    response = sign_in(client, world.cora).get("/")
    assert "Members: fewer than 10" in response.text
    assert "People and roles in St Elsewhere" in response.text


def test_it_asks_a_supporter_for_a_second_step_before_their_role_works(client, world):
    response = sign_in(client, world.sam, mfa=False).get("/")
    assert "Two-step verification needed" in response.text
    assert "/accounts/2fa/totp/activate/" in response.text


def test_it_tells_a_supporter_whose_training_expired_that_the_role_paused(client, world):
    RoleGrant.objects.filter(membership__user=world.sam).update(
        trained_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    response = sign_in(client, world.sam).get("/")
    assert "supporter role has paused" in response.text


def test_the_home_page_costs_a_bounded_number_of_queries(
    client, world, django_assert_max_num_queries
):
    sign_in(client, world.cora)
    with django_assert_max_num_queries(12):
        client.get("/")
