"""A facilitator's reflection is private; from it they can ask an advisor to get in touch,
and the advisor sees only what they chose to share."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse

from kindred.core.errors import DomainError
from kindred.core.models import AuditEntry
from kindred.groups import selectors, services
from kindred.groups.models import ConsultationRequest, Reflection
from kindred.notifications.models import Notification
from tests.conftest import sign_in
from tests.groups.builders import hold


@pytest.fixture
def session(cohort):
    return hold(cohort, 1)[0]


def _reflect(world, session, **fields):
    values = {"went_well": "Everyone spoke", "was_hard": "A disclosure", "to_discuss": "Risk"}
    return services.save_reflection(facilitator=world.fay, session=session, **{**values, **fields})


def test_a_reflection_is_encrypted_with_the_facilitators_key(world, session):
    reflection, consultation = _reflect(world, session)
    assert consultation is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT was_hard FROM groups_reflection WHERE id = %s", [reflection.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith(f"kv1:{world.fay.pk}:") and "disclosure" not in stored


def test_saving_again_updates_the_one_reflection(world, session):
    _reflect(world, session)
    _reflect(world, session, went_well="Better")
    assert Reflection.objects.get().went_well == "Better"


def test_only_the_groups_facilitator_reflects(world, session):
    with pytest.raises(PermissionDenied):
        services.save_reflection(facilitator=world.ada, session=session, went_well="x")


def test_asking_an_advisor_tells_the_organisations_advisors(world, session):
    _reflection, consultation = _reflect(world, session, ask_advisor=True)
    assert consultation.status == ConsultationRequest.Status.OPEN
    assert consultation.note == ""  # nothing shared unless the facilitator says so
    note = Notification.objects.get(user=world.ada)
    assert note.url == f"/org/{world.school.slug}/groups/consultations/"


def test_sharing_shows_the_advisor_only_the_part_to_discuss(client, world, session):
    _reflect(world, session, ask_advisor=True, share_with_advisor=True)
    sign_in(client, world.ada)
    page = client.get(reverse("group_consultations", args=[world.school.slug])).content.decode()
    assert "Risk" in page
    assert "Everyone spoke" not in page and "A disclosure" not in page
    assert AuditEntry.objects.filter(subject=world.fay, actor=world.ada).exists()


def test_asking_twice_from_one_reflection_makes_one_request(world, session):
    _reflect(world, session, ask_advisor=True)
    _reflect(world, session, ask_advisor=True)
    assert ConsultationRequest.objects.count() == 1


def test_an_advisor_takes_and_closes_a_request(world, session):
    _r, consultation = _reflect(world, session, ask_advisor=True)
    services.take_consultation(advisor=world.ada, consultation=consultation)
    assert Notification.objects.filter(user=world.fay, text__contains="will get in touch").exists()
    with pytest.raises(DomainError):
        services.take_consultation(advisor=world.ada, consultation=consultation)
    services.close_consultation(advisor=world.ada, consultation=consultation)
    assert not selectors.consultations_for(world.school).exists()


def test_only_an_advisor_of_the_organisation_answers(world, session):
    _r, consultation = _reflect(world, session, ask_advisor=True)
    with pytest.raises(PermissionDenied):
        services.take_consultation(advisor=world.cora, consultation=consultation)


def test_the_reflection_page_keeps_what_was_typed(client, world, session):
    sign_in(client, world.fay)
    response = client.post(reverse("reflection", args=[session.pk]), {"went_well": "y" * 4001})
    assert response.status_code == 400
    assert b"yyyyyyyy" in response.content


def test_the_reflection_page_saves_and_asks(client, world, session):
    sign_in(client, world.fay)
    response = client.post(
        reverse("reflection", args=[session.pk]),
        {"went_well": "Warm", "was_hard": "", "to_discuss": "", "ask_advisor": "on"},
    )
    assert response.status_code == 302
    assert ConsultationRequest.objects.filter(facilitator=world.fay).exists()
    page = client.get(reverse("reflection", args=[session.pk])).content.decode()
    assert "You asked an advisor to get in touch" in page


def test_an_advisor_answers_through_the_page(client, world, session):
    _r, consultation = _reflect(world, session, ask_advisor=True)
    sign_in(client, world.ada)
    url = reverse("consultation_action", args=[world.school.slug, consultation.pk, "take"])
    assert client.post(url).status_code == 302
    consultation.refresh_from_db()
    assert consultation.taken_by == world.ada
