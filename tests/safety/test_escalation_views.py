"""The advisor's side: the escalation page, acknowledging, recording, closing; the member's page."""

from django.urls import reverse

from kindred.accounts.selectors import reads_of_my_data
from kindred.safety import services
from kindred.safety.models import Escalation, Source
from kindred.support.models import Message
from tests.conftest import sign_in
from tests.safety.conftest import on_duty


def _escalation(world, talk, text="I want to die"):
    message = Message.objects.create(
        conversation=talk, sender=world.alice, body=text, client_id="m1"
    )
    on_duty(world.school, world.ada)
    return services.escalate_from_conversation(
        supporter=world.sam, conversation=talk, attached_message_ids=[message.pk], note="Please"
    )


def test_the_advisor_sees_what_it_carries_and_the_read_is_audited(client, world, talk):
    escalation = _escalation(world, talk)
    Message.objects.create(conversation=talk, sender=world.alice, body="Unshared", client_id="x")
    page = sign_in(client, world.ada).get(reverse("escalation", args=[escalation.pk]))
    text = page.content.decode()
    assert "I want to die" in text and "Please" in text
    assert "Unshared" not in text
    assert (
        reads_of_my_data(world.alice)
        .filter(action="viewed", target__contains=f"safety escalation {escalation.pk}")
        .exists()
    )


def test_the_supporter_who_raised_it_sees_its_progress_but_not_the_contents(client, world, talk):
    escalation = _escalation(world, talk)
    text = sign_in(client, world.sam).get(reverse("escalation", args=[escalation.pk])).content
    assert b"Paged Ada" in text or b"paged Ada" in text
    assert b"Messages attached" not in text


def test_an_advisor_without_a_second_factor_is_asked_for_one(client, world, talk):
    escalation = _escalation(world, talk)
    response = sign_in(client, world.ada, mfa=False).get(
        reverse("escalation", args=[escalation.pk])
    )
    assert response.status_code == 403
    assert not reads_of_my_data(world.alice).filter(action="viewed").exists()


def test_acknowledge_record_and_close(client, world, talk):
    escalation = _escalation(world, talk)
    sign_in(client, world.ada)
    client.post(reverse("acknowledge_escalation", args=[escalation.pk]))
    client.post(
        reverse("escalation_action", args=[escalation.pk]),
        {"kind": "spoke_to_supporter", "note": "Agreed next steps"},
    )
    response = client.post(
        reverse("close_escalation", args=[escalation.pk]), {"outcome": "supporter_guided"}
    )
    assert response.status_code == 302
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.CLOSED
    assert escalation.actions.get().note == "Agreed next steps"


def test_a_bad_action_keeps_what_was_typed_and_says_why(client, world, talk):
    escalation = _escalation(world, talk)
    sign_in(client, world.ada)
    client.post(reverse("acknowledge_escalation", args=[escalation.pk]))
    response = client.post(
        reverse("escalation_action", args=[escalation.pk]),
        {"kind": "nonsense", "note": "What I typed"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "What I typed" in text and "Select a valid choice" in text


def test_closing_without_an_outcome_says_why(client, world, talk):
    escalation = _escalation(world, talk)
    sign_in(client, world.ada)
    client.post(reverse("acknowledge_escalation", args=[escalation.pk]))
    response = client.post(reverse("close_escalation", args=[escalation.pk]), {})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()


def test_the_advisor_list_is_bounded_and_names_no_member(
    client, world, talk, django_assert_max_num_queries
):
    for _ in range(30):
        services.escalate(
            raised_by=world.sam,
            organisation=world.school,
            source=Source.CONVERSATION,
            member=world.alice,
        )
    sign_in(client, world.ada)
    with django_assert_max_num_queries(18):
        response = client.get(reverse("advisor_escalations", args=[world.school.slug]))
    assert response.status_code == 200
    assert "Alice" not in response.content.decode()


def test_the_member_sees_escalations_about_them_and_what_they_mean(client, world, talk):
    _escalation(world, talk)
    text = sign_in(client, world.alice).get(reverse("escalations_about_me")).content.decode()
    assert "Sam asked a safety advisor in St Elsewhere Medical School for help" in text
    assert "Your medical school, your employer and the regulator are not told" in text
    who = client.get(reverse("who_has_seen_my_data")).content.decode()
    assert "escalated" in who
