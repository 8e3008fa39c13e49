import datetime

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tests.navigator.factories import make_service


def test_coordinators_are_emailed_entries_due_for_review(world):
    make_service(
        organisation=world.school,
        name="Dusty service",
        last_reviewed=timezone.localdate() - datetime.timedelta(days=400),
    )
    make_service(organisation=world.other_school, name="Fresh service")
    call_command("send_review_reminders")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["cora@example.org"]
    assert "Dusty service" in message.body
    assert "Fresh service" not in message.body
