import io
import json

from django.core.management import call_command
from django.urls import reverse

from kindred.accounts.services import export_data
from kindred.safety import services
from kindred.safety.models import DutyShift, SafetyPlan, Source
from tests.conftest import sign_in


def test_the_api_reads_and_writes_my_own_plan(client, world):
    sign_in(client, world.alice)
    put = client.put(
        reverse("api:put_safety_plan"),
        {"warning_signs": "Skipping meals", "professionals": "My GP"},
        content_type="application/json",
    )
    assert put.status_code == 200
    got = client.get(reverse("api:get_safety_plan")).json()
    assert got["warning_signs"] == "Skipping meals" and got["professionals"] == "My GP"


def test_the_api_lists_open_escalations_for_advisors_only(client, world):
    services.escalate(
        raised_by=world.sam,
        organisation=world.school,
        source=Source.CONVERSATION,
        member=world.alice,
    )
    listed = sign_in(client, world.ada).get(reverse("api:list_escalations")).json()
    assert [item["level"] for item in listed] == ["concern"]
    assert "alice" not in json.dumps(listed).lower()


def test_download_my_data_has_my_plan_and_escalations_about_me(world):
    SafetyPlan.objects.create(user=world.alice, coping_strategies="A walk by the river")
    services.escalate(
        raised_by=world.sam,
        organisation=world.school,
        source=Source.CONVERSATION,
        member=world.alice,
    )
    data = export_data(user=world.alice)["safety"]
    assert data["my_safety_plan"]["coping_strategies"] == "A walk by the river"
    [escalation] = data["escalations_about_me"]
    assert escalation["raised_by"] == "Sam"
    assert export_data(user=world.bob)["safety"]["escalations_about_me"] == []


def test_seed_demo_puts_the_demo_advisor_on_duty_all_week_idempotently(db):
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    shifts = DutyShift.objects.filter(advisor__email="advisor@example.org")
    assert sorted(s.weekday for s in shifts) == list(range(7))
    assert not SafetyPlan.objects.exists()
