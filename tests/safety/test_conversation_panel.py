"""In the moment: guidance for the supporter, the crisis panel for the member, one-tap escalate."""

import re

from django.urls import reverse

from kindred.safety.models import Escalation
from kindred.support.models import Message
from tests.conftest import sign_in
from tests.safety.conftest import on_duty


def _say(talk, sender, text, client_id="m"):
    return Message.objects.create(conversation=talk, sender=sender, body=text, client_id=client_id)


def _page(client, talk):
    return client.get(reverse("conversation", args=[talk.pk])).content.decode()


def test_the_supporter_sees_guidance_and_a_one_tap_escalate_after_a_high_risk_message(
    client, world, talk
):
    _say(talk, world.alice, "Honestly I just want to die")
    page = _page(sign_in(client, world.sam), talk)
    assert "Alice may be thinking about suicide or self-harm" in page
    assert "Are you thinking about suicide?" in page
    assert "Escalate now" in page
    assert "says they want to die or wish they were dead" in page


def test_at_imminent_level_the_supporter_is_told_about_emergency_numbers(client, world, talk):
    _say(talk, world.alice, "I have taken all my tablets")
    page = _page(sign_in(client, world.sam), talk)
    assert "Alice may be in danger now" in page
    assert "999" in page


def test_the_member_is_offered_the_crisis_panel_gently(client, world, talk):
    _say(talk, world.alice, "Everyone would be better off without me")
    page = _page(sign_in(client, world.alice), talk)
    assert "You do not have to face this alone" in page
    assert reverse("safety_plan") in page
    assert "Escalate now" not in page and "How to respond" not in page


def test_an_ordinary_conversation_shows_no_alarm(client, world, talk):
    _say(talk, world.alice, "Exams are killing me this week")
    assert "You do not have to face this alone" not in _page(sign_in(client, world.alice), talk)
    supporter_page = _page(sign_in(client, world.sam), talk)
    assert "may be thinking about suicide" not in supporter_page
    # The supporter can still escalate on their own judgement, folded away.
    assert "Worried about Alice's safety?" in supporter_page


def test_the_panel_endpoint_gives_the_same_panel_for_live_updates(client, world, talk):
    message = _say(talk, world.alice, "I want to die")
    response = sign_in(client, world.sam).get(reverse("safety_conversation_panel", args=[talk.pk]))
    assert response.status_code == 200
    assert f'data-state="high:wish_to_die:::{message.pk}"' in response.content.decode()


def test_the_panel_state_changes_when_new_words_or_a_new_message_arrive(client, world, talk):
    # The page swaps the panel only when its state changes (safety.js): the supporter must be
    # able to attach a message that arrived while the panel already showed high.
    _say(talk, world.alice, "I want to die")
    url = reverse("safety_conversation_panel", args=[talk.pk])
    first = sign_in(client, world.sam).get(url).content.decode()
    newer = _say(talk, world.alice, "everyone would be better off without me", client_id="n")
    second = client.get(url).content.decode()
    state = re.compile(r'data-state="([^"]*)"')
    assert state.search(first)[1] != state.search(second)[1]
    assert f'value="{newer.pk}"' in second
    assert "better off without them" in second


def test_one_tap_escalates_with_the_chosen_messages_and_says_what_happens(client, world, talk):
    on_duty(world.school, world.ada)
    message = _say(talk, world.alice, "I want to die")
    response = sign_in(client, world.sam).post(
        reverse("escalate", args=[talk.pk]), {"messages": [message.pk]}, follow=True
    )
    escalation = Escalation.objects.get()
    assert escalation.pages.get().advisor == world.ada
    page = response.content.decode()
    assert "The advisor on duty has been paged" in page
    assert "Paged Ada; waiting for them to acknowledge" in page


def test_escalating_with_nobody_on_duty_says_so_and_points_to_crisis_lines(client, world, talk):
    _say(talk, world.alice, "I want to die")
    response = sign_in(client, world.sam).post(reverse("escalate", args=[talk.pk]), follow=True)
    assert "No safety advisor is on duty right now" in response.content.decode()
    assert Escalation.objects.get().status == "crisis_route"


def test_escalating_with_a_message_not_offered_changes_nothing(client, world, talk):
    other = _say(talk, world.sam, "Hello", "s1")
    response = sign_in(client, world.sam).post(
        reverse("escalate", args=[talk.pk]), {"messages": [other.pk]}, follow=True
    )
    assert "Nothing was sent" in response.content.decode()
    assert not Escalation.objects.exists()


def test_a_supporter_without_a_second_factor_cannot_escalate(client, world, talk):
    response = sign_in(client, world.sam, mfa=False).post(reverse("escalate", args=[talk.pk]))
    assert response.status_code == 403
    assert not Escalation.objects.exists()


def test_the_conversation_page_stays_within_its_query_budget(
    client, world, talk, django_assert_max_num_queries
):
    for i in range(10):
        _say(talk, world.alice, f"I feel hopeless {i}", f"m{i}")
    sign_in(client, world.sam)
    with django_assert_max_num_queries(30):
        client.get(reverse("conversation", args=[talk.pk]))
