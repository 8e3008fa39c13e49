import datetime

from django.core.management import call_command
from django.utils import timezone

from kindred.support import services
from kindred.support.models import Conversation, Offer, SupporterProfile
from tests.factories import make_conversation


def test_upkeep_matches_waiting_requests_and_deletes_old_closed_conversations(
    world, profiles, capsys
):
    SupporterProfile.objects.update(status="break")
    services.request_support(member=world.alice, organisation=world.school, topics=["exams"])
    SupporterProfile.objects.update(status="available")
    make_conversation(
        world.bob,
        world.sam,
        world.school,
        status="closed",
        closed_at=timezone.now() - datetime.timedelta(days=100),
    )
    call_command("support_upkeep")
    assert "offers made: 1" in capsys.readouterr().out
    assert Offer.objects.filter(status="pending").count() == 1
    assert not Conversation.objects.exists()
