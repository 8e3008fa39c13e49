import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from kindred.core.errors import DomainError
from kindred.core.models import AuditEntry
from kindred.support import services
from kindred.support.models import Conversation, Feedback, Message, Report, SessionLog
from tests.conftest import sign_in
from tests.factories import make_conversation


@pytest.fixture
def talk(world):
    return make_conversation(world.alice, world.sam, world.school)


def test_messages_are_stored_encrypted_and_read_back(world, talk):
    from django.db import connection

    services.send_message(sender=world.alice, conversation=talk, body="hello there", client_id="a")
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM support_message")
        assert "hello" not in cursor.fetchone()[0]
    assert Message.objects.get().body == "hello there"


def test_a_retried_send_with_the_same_client_id_is_stored_once(world, talk):
    first, created = services.send_message(
        sender=world.alice, conversation=talk, body="hi", client_id="same"
    )
    again, created_again = services.send_message(
        sender=world.alice, conversation=talk, body="hi", client_id="same"
    )
    assert created and not created_again
    assert first.pk == again.pk
    assert Message.objects.count() == 1


def test_an_empty_message_is_refused(world, talk):
    with pytest.raises(DomainError, match="Write something"):
        services.send_message(sender=world.alice, conversation=talk, body="  ", client_id="x")


def test_an_oversized_message_is_refused_with_its_length(world, talk):
    with pytest.raises(DomainError, match="4,001"):
        services.send_message(sender=world.alice, conversation=talk, body="x" * 4001, client_id="x")


def test_someone_outside_the_conversation_cannot_send_and_it_is_audited(world, talk):
    with pytest.raises(PermissionDenied):
        services.send_message(sender=world.bob, conversation=talk, body="hi", client_id="x")
    assert AuditEntry.objects.filter(actor=world.bob, action="was refused").exists()


def test_a_message_to_a_closed_conversation_is_refused_and_audited(world, talk):
    services.close_conversation(user=world.alice, conversation=talk)
    with pytest.raises(PermissionDenied):
        services.send_message(sender=world.sam, conversation=talk, body="hi", client_id="x")
    assert AuditEntry.objects.filter(actor=world.sam, target__contains="closed").exists()


def test_sending_fast_is_rate_limited(world, talk, monkeypatch):
    monkeypatch.setattr(services, "_rate_window", lambda: 1)
    for i in range(services.MESSAGES_PER_MINUTE):
        services.send_message(sender=world.alice, conversation=talk, body="hi", client_id=str(i))
    with pytest.raises(DomainError, match="very fast"):
        services.send_message(sender=world.alice, conversation=talk, body="hi", client_id="last")


def test_the_email_about_a_new_message_never_contains_it(
    world, talk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.send_message(
            sender=world.alice, conversation=talk, body="my secret", client_id="x"
        )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sam@example.org"]
    assert "secret" not in mail.outbox[0].body + mail.outbox[0].subject


def test_reading_marks_the_other_sides_messages_read(world, talk):
    services.send_message(sender=world.alice, conversation=talk, body="hi", client_id="x")
    assert services.mark_read(reader=world.sam, conversation=talk) == 1
    assert Message.objects.get().read_at is not None


def test_the_conversation_page_shows_messages_to_both_participants(client, world, talk):
    services.send_message(sender=world.alice, conversation=talk, body="hello sam", client_id="x")
    assert "hello sam" in sign_in(client, world.sam).get(f"/support/conversations/{talk.pk}/").text
    client.logout()
    assert (
        "hello sam" in sign_in(client, world.alice).get(f"/support/conversations/{talk.pk}/").text
    )


@pytest.mark.parametrize("persona", ["bob", "cora", "ada", "olga", "fay"])
def test_nobody_else_can_read_a_conversation(client, world, talk, persona):
    services.send_message(sender=world.alice, conversation=talk, body="private", client_id="x")
    sign_in(client, getattr(world, persona))
    for url in [
        f"/support/conversations/{talk.pk}/",
        f"/support/conversations/{talk.pk}/messages/",
    ]:
        response = client.get(url)
        assert response.status_code == 404
        assert b"private" not in response.content
    assert client.get(f"/api/v1/conversations/{talk.pk}/messages").status_code == 404


def test_a_supporter_opening_the_conversation_is_audited_for_the_member(client, world, talk):
    sign_in(client, world.sam).get(f"/support/conversations/{talk.pk}/")
    assert AuditEntry.objects.filter(subject=world.alice, actor=world.sam).exists()


def test_posting_a_message_without_javascript_works(client, world, talk):
    response = sign_in(client, world.alice).post(
        f"/support/conversations/{talk.pk}/messages/", {"body": "plain form", "client_id": "f1"}
    )
    assert response.status_code == 302
    assert Message.objects.get().body == "plain form"


def test_an_empty_post_keeps_the_page_and_says_why(client, world, talk):
    response = sign_in(client, world.alice).post(
        f"/support/conversations/{talk.pk}/messages/", {"body": "", "client_id": "f1"}
    )
    assert response.status_code == 400
    assert "Write something before sending." in response.text


def test_an_oversized_post_keeps_the_text(client, world, talk):
    text = "y" * 4001
    response = sign_in(client, world.alice).post(
        f"/support/conversations/{talk.pk}/messages/", {"body": text, "client_id": "f1"}
    )
    assert response.status_code == 400
    assert text in response.text


def test_polling_returns_only_newer_messages(client, world, talk):
    first, _ = services.send_message(
        sender=world.alice, conversation=talk, body="one", client_id="1"
    )
    services.send_message(sender=world.alice, conversation=talk, body="two", client_id="2")
    response = sign_in(client, world.sam).get(
        f"/support/conversations/{talk.pk}/messages/?after={first.pk}"
    )
    assert "two" in response.text and "one" not in response.text


def test_closing_asks_the_member_for_anonymous_feedback(client, world, talk):
    response = sign_in(client, world.alice).post(f"/support/conversations/{talk.pk}/close/")
    assert response["Location"] == f"/support/conversations/{talk.pk}/feedback/"
    client.post(response["Location"], {"helpful": "yes", "felt_safe": "yes", "would_use_again": ""})
    feedback = Feedback.objects.get()
    assert feedback.helpful is True and feedback.would_use_again is None
    field_names = {f.name for f in Feedback._meta.get_fields()}
    assert not field_names & {"member", "conversation", "supporter", "user"}


def test_feedback_can_be_given_once(world, talk):
    services.close_conversation(user=world.alice, conversation=talk)
    services.leave_feedback(
        member=world.alice, conversation=talk, helpful=True, felt_safe=True, would_use_again=True
    )
    with pytest.raises(DomainError, match="already"):
        services.leave_feedback(
            member=world.alice,
            conversation=talk,
            helpful=True,
            felt_safe=True,
            would_use_again=True,
        )


def test_the_member_can_delete_the_conversation_and_every_message(client, world, talk):
    services.send_message(sender=world.alice, conversation=talk, body="x", client_id="1")
    sign_in(client, world.alice).post(f"/support/conversations/{talk.pk}/delete/")
    assert not Conversation.objects.exists()
    assert not Message.objects.exists()


def test_closed_conversations_are_deleted_after_the_retention_period_unless_kept(world):
    import datetime

    from django.utils import timezone

    old = timezone.now() - datetime.timedelta(days=91)
    gone = make_conversation(world.alice, world.sam, world.school, status="closed", closed_at=old)
    kept = make_conversation(
        world.bob, world.sam, world.school, status="closed", closed_at=old, keep=True
    )
    recent = make_conversation(
        world.alice, world.sam, world.school, status="closed", closed_at=timezone.now()
    )
    assert services.purge_closed_conversations() == 1
    remaining = set(Conversation.objects.values_list("pk", flat=True))
    assert remaining == {kept.pk, recent.pk}
    assert gone.pk not in remaining


def test_reporting_closes_and_tells_coordinators_only_that_a_report_was_made(world, talk):
    message, _ = services.send_message(
        sender=world.sam, conversation=talk, body="something unkind", client_id="1"
    )
    services.report_conversation(reporter=world.alice, conversation=talk, message=message)
    talk.refresh_from_db()
    assert not talk.is_open
    note = world.cora.notifications.get()
    assert note.text == "A report was made in peer support."
    assert Report.objects.get().attached_text == "something unkind"


def test_the_reports_page_shows_no_names_and_audits_the_reported_person(client, world, talk):
    message, _ = services.send_message(
        sender=world.sam, conversation=talk, body="something unkind", client_id="1"
    )
    services.report_conversation(reporter=world.alice, conversation=talk, message=message)
    response = sign_in(client, world.cora).get("/org/st-elsewhere/support/reports/")
    assert "something unkind" in response.text
    assert "Alice" not in response.text and "Sam" not in response.text
    assert AuditEntry.objects.filter(subject=world.sam, actor=world.cora).exists()


def test_blocking_closes_and_prevents_future_matches(world, talk):
    from tests.factories import make_profile

    make_profile(world.sam, world.school)
    services.block_other_party(blocker=world.alice, conversation=talk)
    talk.refresh_from_db()
    assert not talk.is_open
    request = services.request_support(
        member=world.alice, organisation=world.school, topics=["exams"]
    )
    assert not request.offers.filter(supporter__user=world.sam).exists()


def test_the_supporter_keeps_a_private_minimal_log(client, world, talk):
    response = sign_in(client, world.sam).post(
        f"/support/conversations/{talk.pk}/log/",
        {"date": "2026-11-01", "duration_minutes": "30", "topics": ["exams"], "note": ""},
    )
    assert response.status_code == 302
    log = SessionLog.objects.get()
    assert log.duration_minutes == 30 and log.supporter == world.sam


def test_a_session_log_needs_a_sensible_length(client, world, talk):
    response = sign_in(client, world.sam).post(
        f"/support/conversations/{talk.pk}/log/",
        {"date": "2026-11-01", "duration_minutes": "0"},
    )
    assert response.status_code == 200
    assert "between 1 and 600" in response.text


def test_the_conversation_page_costs_a_bounded_number_of_queries(
    client, world, talk, django_assert_max_num_queries
):
    for i in range(30):
        services.send_message(
            sender=world.alice if i % 2 else world.sam,
            conversation=talk,
            body=f"m{i}",
            client_id=str(i),
        )
    sign_in(client, world.alice)
    with django_assert_max_num_queries(20):
        response = client.get(f"/support/conversations/{talk.pk}/")
    assert response.text.count('class="message-item') == 30


def test_the_other_side_gets_one_email_per_unread_run_and_none_while_present(
    world, talk, django_capture_on_commit_callbacks
):
    from kindred.notifications.models import Notification

    def send(body, client_id):
        with django_capture_on_commit_callbacks(execute=True):
            services.send_message(
                sender=world.alice, conversation=talk, body=body, client_id=client_id
            )

    send("first", "1")
    send("second", "2")  # same unread run: no second notification or email
    assert Notification.objects.filter(user=world.sam).count() == 1
    assert len(mail.outbox) == 1
    assert "first" not in mail.outbox[0].body

    services.mark_read(reader=world.sam, conversation=talk)  # Sam is in the conversation
    send("third", "3")
    assert Notification.objects.filter(user=world.sam).count() == 2  # still told in the app
    assert len(mail.outbox) == 1  # but not emailed while reading along


def test_the_session_log_shows_what_kindred_noticed_and_suggests_risk_came_up(client, world, talk):
    from django.utils import timezone

    from kindred.safety.models import RiskSignal

    sign_in(client, world.sam)
    quiet = client.get(f"/support/conversations/{talk.pk}/log/").text
    assert "What Kindred noticed" not in quiet
    assert "checked" not in quiet.split('name="risk_came_up"')[1].split(">")[0]
    RiskSignal.objects.create(
        organisation=world.school,
        source="conversation",
        conversation=talk,
        level="concern",
        reasons=["hopelessness"],
        week=timezone.localdate(),
    )
    page = client.get(f"/support/conversations/{talk.pk}/log/").text
    assert "What Kindred noticed" in page
    assert "concern" in page
    assert "checked" in page.split('name="risk_came_up"')[1].split(">")[0]
