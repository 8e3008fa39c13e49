import datetime

from django.core import mail
from django.utils import timezone

from kindred.accounts.models import RoleGrant
from kindred.core.models import AuditEntry
from tests.conftest import sign_in

URL = "/org/st-elsewhere/people/"


def _next_year():
    return (timezone.localdate() + datetime.timedelta(days=365)).isoformat()


def test_it_lists_the_people_who_hold_roles(client, world):
    response = sign_in(client, world.cora).get(URL)
    assert response.status_code == 200
    for name in ("Sam", "Fay", "Ada", "Cora"):
        assert f"<td>{name}</td>" in response.text
    assert "<td>Alice</td>" not in response.text


def test_opening_the_list_is_written_to_each_listed_persons_log(client, world):
    sign_in(client, world.cora).get(URL)
    entry = AuditEntry.objects.get(subject=world.sam)
    assert entry.actor == world.cora
    assert entry.actor_label == "Cora (coordinator)"
    assert not AuditEntry.objects.filter(subject=world.alice).exists()


def test_a_coordinator_gives_a_member_the_supporter_role(client, world):
    response = sign_in(client, world.cora).post(
        URL, {"email": "alice@example.org", "role": "supporter", "trained_until": _next_year()}
    )
    assert response.status_code == 302
    grant = RoleGrant.objects.get(membership__user=world.alice, role="supporter")
    assert grant.granted_by == world.cora
    assert AuditEntry.objects.filter(subject=world.alice, action="granted role").exists()


def test_a_trained_role_needs_a_training_date_and_keeps_what_was_typed(client, world):
    response = sign_in(client, world.cora).post(
        URL, {"email": "alice@example.org", "role": "supporter", "trained_until": ""}
    )
    assert response.status_code == 200
    assert "Give the date their training runs until." in response.text
    assert 'value="alice@example.org"' in response.text
    assert not RoleGrant.objects.filter(membership__user=world.alice).exists()


def test_a_training_date_in_the_past_is_refused(client, world):
    past = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = sign_in(client, world.cora).post(
        URL, {"email": "alice@example.org", "role": "advisor", "trained_until": past}
    )
    assert "That date has passed" in response.text


def test_a_person_from_another_organisation_cannot_be_given_a_role(client, world):
    response = sign_in(client, world.cora).post(
        URL, {"email": "olga@example.org", "role": "supporter", "trained_until": _next_year()}
    )
    assert "No member of St Elsewhere Medical School uses that contact email" in response.text
    assert not RoleGrant.objects.filter(membership__user=world.olga).exists()
    assert not mail.outbox


def test_giving_a_role_again_updates_the_training_date(client, world):
    sign_in(client, world.cora).post(
        URL, {"email": "sam@example.org", "role": "supporter", "trained_until": _next_year()}
    )
    grants = RoleGrant.objects.filter(membership__user=world.sam, role="supporter")
    assert grants.count() == 1
    assert grants.get().trained_until.isoformat() == _next_year()


def test_a_coordinator_removes_a_role(client, world):
    grant = RoleGrant.objects.get(membership__user=world.sam)
    response = sign_in(client, world.cora).post(f"/org/st-elsewhere/roles/{grant.pk}/revoke/")
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None


def test_a_coordinator_cannot_remove_their_own_coordinator_role(client, world):
    grant = RoleGrant.objects.get(membership__user=world.cora)
    sign_in(client, world.cora).post(f"/org/st-elsewhere/roles/{grant.pk}/revoke/", follow=True)
    grant.refresh_from_db()
    assert grant.revoked_at is None


def test_a_coordinator_without_a_second_step_is_asked_for_one(client, world):
    response = sign_in(client, world.cora, mfa=False).get(URL)
    assert response.status_code == 403
    assert "Two-step verification needed" in response.text


def test_another_organisations_coordinator_gets_not_found(client, world):
    response = sign_in(client, world.oscar).get(URL)
    assert response.status_code == 404


def test_the_page_costs_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    from tests.factories import MembershipFactory, RoleGrantFactory

    for _ in range(15):
        RoleGrantFactory(membership=MembershipFactory(organisation=world.school))
    sign_in(client, world.cora)
    with django_assert_max_num_queries(16):
        response = client.get(URL)
    assert response.text.count("<tr>") == 20  # header + 19 role holders
