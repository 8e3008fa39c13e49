"""A member's own private safety plan, one tap from the crisis panel."""

from django.db import connection
from django.urls import reverse

from kindred.safety.models import SafetyPlan
from tests.conftest import sign_in


def test_writing_a_plan_stores_it_encrypted_and_shows_it_back(client, world):
    sign_in(client, world.alice)
    response = client.post(
        reverse("edit_safety_plan"),
        {"warning_signs": "Not sleeping after nights", "people_and_places": "Call my sister"},
    )
    assert response.status_code == 302
    with connection.cursor() as cursor:
        cursor.execute("SELECT warning_signs FROM safety_safetyplan")
        assert "sleeping" not in cursor.fetchone()[0]
    page = client.get(reverse("safety_plan")).content.decode()
    assert "Not sleeping after nights" in page and "Call my sister" in page


def test_a_too_long_part_keeps_what_was_typed(client, world):
    sign_in(client, world.alice)
    response = client.post(
        reverse("edit_safety_plan"), {"coping_strategies": "Walk", "warning_signs": "x" * 4001}
    )
    assert response.status_code == 400
    assert "Walk" in response.content.decode()
    assert not SafetyPlan.objects.exists()


def test_nobody_else_sees_the_plan(client, world):
    SafetyPlan.objects.create(user=world.alice, warning_signs="Only mine")
    for persona in (world.bob, world.sam, world.cora):
        assert (
            "Only mine" not in sign_in(client, persona).get(reverse("safety_plan")).content.decode()
        )


def test_the_plan_can_be_deleted(client, world):
    SafetyPlan.objects.create(user=world.alice, warning_signs="Gone soon")
    sign_in(client, world.alice).post(reverse("delete_safety_plan"))
    assert not SafetyPlan.objects.exists()


def test_the_crisis_panel_opens_the_plan_in_one_tap_when_signed_in(client, world):
    assert reverse("safety_plan") not in client.get(reverse("crisis_lines")).content.decode()
    page = sign_in(client, world.alice).get(reverse("crisis_lines")).content.decode()
    assert f'href="{reverse("safety_plan")}"' in page
