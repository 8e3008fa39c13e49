"""The hook that peer support calls after a message is stored."""

from kindred.core.models import AuditEntry
from kindred.safety import hooks
from kindred.safety.models import Escalation, RiskSignal
from kindred.support import services as support


def _send(world, talk, sender, body, capture, client_id="c1"):
    with capture(execute=True):
        message, _ = support.send_message(
            sender=sender, conversation=talk, body=body, client_id=client_id
        )
    return message


def test_a_concern_in_a_members_message_is_noted_without_the_text(
    world, talk, django_capture_on_commit_callbacks
):
    _send(
        world, talk, world.alice, "I feel completely hopeless", django_capture_on_commit_callbacks
    )
    signal = RiskSignal.objects.get()
    assert (signal.level, signal.reasons, signal.conversation) == (
        "concern",
        ["hopelessness"],
        talk,
    )
    assert signal.week.weekday() == 0
    assert not Escalation.objects.exists()
    assert not hasattr(signal, "text") and not hasattr(signal, "member")


def test_an_ordinary_message_leaves_nothing(world, talk, django_capture_on_commit_callbacks):
    _send(world, talk, world.alice, "See you on Thursday", django_capture_on_commit_callbacks)
    assert not RiskSignal.objects.exists()


def test_the_supporters_messages_are_not_assessed(world, talk, django_capture_on_commit_callbacks):
    _send(
        world,
        talk,
        world.sam,
        "Are you thinking about killing yourself?",
        django_capture_on_commit_callbacks,
    )
    _send(world, talk, world.sam, "I want to die", django_capture_on_commit_callbacks, "c2")
    assert not RiskSignal.objects.exists()


def test_an_imminent_message_pages_the_advisor_on_duty_automatically(
    world, talk, django_capture_on_commit_callbacks
):
    from tests.safety.conftest import on_duty

    on_duty(world.school, world.ada)
    _send(
        world, talk, world.alice, "I have taken all my tablets", django_capture_on_commit_callbacks
    )
    escalation = Escalation.objects.get()
    assert escalation.source == "automatic" and escalation.raised_by is None
    assert escalation.level == "imminent" and escalation.attached == ""
    assert escalation.pages.get().advisor == world.ada
    entry = AuditEntry.objects.get(subject=world.alice, action="escalated")
    assert entry.actor is None and entry.actor_label == "Kindred"
    # A second imminent message does not open a second escalation.
    _send(world, talk, world.alice, "I took 30 tablets", django_capture_on_commit_callbacks, "c2")
    assert Escalation.objects.count() == 1


def test_a_failing_check_never_fails_the_send(
    world, talk, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(hooks.services, "record_signal", broken)
    message = _send(world, talk, world.alice, "I want to die", django_capture_on_commit_callbacks)
    assert message.pk and message.body == "I want to die"


def test_text_from_elsewhere_is_assessed_and_noted(world):
    found = hooks.text_submitted(
        organisation=world.school, source="check_in", text="I feel trapped"
    )
    assert found.level == "concern"
    assert RiskSignal.objects.get().source == "check_in"
