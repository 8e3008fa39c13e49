"""Escalating: paging the advisor on duty, re-paging after 15 minutes, the crisis route."""

import datetime
import json

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from kindred.accounts.selectors import reads_of_my_data
from kindred.core.errors import DomainError
from kindred.notifications.models import Notification
from kindred.safety import services
from kindred.safety.models import Escalation, Page
from kindred.support.models import Message
from tests.safety.conftest import on_duty

# Next Monday, 14:00 UTC: within the advisors' training dates, and the same local day.
_today = timezone.now().date()
T0 = datetime.datetime.combine(
    _today + datetime.timedelta(days=7 - _today.weekday()), datetime.time(14), tzinfo=datetime.UTC
)


def _say(talk, sender, text, client_id):
    return Message.objects.create(conversation=talk, sender=sender, body=text, client_id=client_id)


def _escalate(world, talk, **kwargs):
    return services.escalate_from_conversation(
        supporter=world.sam, conversation=talk, now=kwargs.pop("now", T0), **kwargs
    )


def test_it_pages_the_first_advisor_on_duty_in_the_app_and_by_email(
    world, talk, rota, django_capture_on_commit_callbacks
):
    _say(talk, world.alice, "I want to die", "m1")
    with django_capture_on_commit_callbacks(execute=True):
        escalation = _escalate(world, talk)
    assert escalation.status == Escalation.Status.PAGING
    assert escalation.level == "high"
    assert escalation.reasons == ["wish_to_die"]
    [page] = escalation.pages.all()
    assert page.advisor == world.ada
    assert page.due_at == T0 + datetime.timedelta(minutes=15)
    assert Notification.objects.filter(user=world.ada, text__startswith="Safety page").exists()
    [email] = [m for m in mail.outbox if m.to == [world.ada.email]]
    assert "I want to die" not in email.body
    assert f"/safety/escalations/{escalation.pk}/" in email.body
    assert Page.objects.get().emailed_at is not None


def test_it_carries_only_the_messages_the_supporter_chose_encrypted(world, talk, rota):
    first = _say(talk, world.alice, "Placements are hard", "m1")
    second = _say(talk, world.alice, "I keep thinking about killing myself", "m2")
    escalation = _escalate(world, talk, attached_message_ids=[str(second.pk)], note="Worried")
    assert [a["text"] for a in json.loads(Escalation.objects.get().attached)] == [second.body]
    assert first.body not in Escalation.objects.get().attached
    with connection.cursor() as cursor:
        cursor.execute("SELECT attached, note FROM safety_escalation")
        attached, note = cursor.fetchone()
    assert "killing" not in attached and "Worried" not in note
    assert escalation.note == "Worried"


def test_it_refuses_to_attach_the_supporters_own_or_another_conversations_messages(
    world, talk, rota
):
    mine = _say(talk, world.sam, "How are you?", "s1")
    with pytest.raises(DomainError, match="Attach only"):
        _escalate(world, talk, attached_message_ids=[mine.pk])
    assert not Escalation.objects.exists()


def test_only_the_conversations_supporter_may_escalate_and_only_once(world, talk, rota):
    with pytest.raises(PermissionDenied):
        services.escalate_from_conversation(supporter=world.bob, conversation=talk)
    _escalate(world, talk)
    with pytest.raises(DomainError, match="already has an open escalation"):
        _escalate(world, talk)


def test_the_member_is_told_and_it_is_in_who_has_seen_my_data(world, talk, rota):
    _escalate(world, talk)
    note = Notification.objects.get(user=world.alice)
    assert note.url == "/safety/about-me/"
    [entry] = reads_of_my_data(world.alice)
    assert entry.action == "escalated"
    assert entry.actor == world.sam


def test_with_nobody_on_duty_it_goes_to_the_crisis_route_and_tells_the_coordinator(world, talk):
    escalation = _escalate(world, talk)
    assert escalation.status == Escalation.Status.CRISIS_ROUTE
    assert not escalation.pages.exists()
    assert Notification.objects.filter(user=world.cora, text__contains="rota has a gap").exists()
    assert Notification.objects.filter(user=world.sam, text__contains="crisis line").exists()
    assert Escalation.objects.get().coordinator_told_at is not None


def test_outside_coverage_hours_it_goes_to_the_crisis_route(world, talk):
    on_duty(world.school, world.ada, starts=datetime.time(9), ends=datetime.time(17))
    night = T0.replace(hour=23)
    assert _escalate(world, talk, now=night).status == Escalation.Status.CRISIS_ROUTE


def test_an_advisor_whose_role_lapsed_is_not_on_duty(world, talk):
    from kindred.accounts.models import RoleGrant

    on_duty(world.school, world.ada)
    RoleGrant.objects.filter(membership__user=world.ada).update(
        trained_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert _escalate(world, talk).status == Escalation.Status.CRISIS_ROUTE


def test_unacknowledged_after_15_minutes_it_repages_the_next_advisor(world, talk, rota, avery):
    escalation = _escalate(world, talk)
    assert services.repage_overdue(now=T0 + datetime.timedelta(minutes=14)) == 0
    assert services.repage_overdue(now=T0 + datetime.timedelta(minutes=15)) == 1
    first, second = escalation.pages.order_by("id")
    assert first.advisor == world.ada and first.timed_out_at is not None
    assert second.advisor == avery
    assert second.due_at == T0 + datetime.timedelta(minutes=30)
    assert Notification.objects.filter(user=avery, text__startswith="Safety page").exists()


def test_when_everyone_on_duty_was_paged_it_goes_round_again_and_tells_the_coordinator(
    world, talk, rota, avery
):
    escalation = _escalate(world, talk)
    services.repage_overdue(now=T0 + datetime.timedelta(minutes=15))
    services.repage_overdue(now=T0 + datetime.timedelta(minutes=30))
    advisors = [p.advisor for p in escalation.pages.order_by("id")]
    assert advisors == [world.ada, avery, world.ada]
    assert Notification.objects.filter(user=world.cora, text__contains="not been acknowledged")


def test_if_nobody_is_on_duty_when_it_repages_it_goes_to_the_crisis_route(world, talk):
    on_duty(world.school, world.ada, starts=datetime.time(13), ends=datetime.time(14, 10))
    escalation = _escalate(world, talk)
    assert escalation.status == Escalation.Status.PAGING
    services.repage_overdue(now=T0 + datetime.timedelta(minutes=15))
    assert Escalation.objects.get().status == Escalation.Status.CRISIS_ROUTE


def test_acknowledging_stops_the_repaging_and_tells_the_supporter(world, talk, rota):
    escalation = _escalate(world, talk)
    services.acknowledge(advisor=world.ada, escalation=escalation, now=T0)
    assert services.repage_overdue(now=T0 + datetime.timedelta(hours=1)) == 0
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.ACKNOWLEDGED
    assert escalation.acknowledged_by == world.ada
    assert Notification.objects.filter(user=world.sam, text__contains="is on it").exists()
    assert reads_of_my_data(world.alice).filter(action="acknowledged").exists()


def test_an_advisor_records_actions_and_closes_it(world, talk, rota):
    escalation = _escalate(world, talk)
    with pytest.raises(DomainError, match="Acknowledge"):
        services.close_escalation(advisor=world.ada, escalation=escalation, outcome="other")
    services.acknowledge(advisor=world.ada, escalation=escalation)
    services.record_action(
        advisor=world.ada, escalation=escalation, kind="spoke_to_supporter", note="Agreed a plan"
    )
    services.close_escalation(advisor=world.ada, escalation=escalation, outcome="supporter_guided")
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.CLOSED
    assert escalation.actions.get().note == "Agreed a plan"
    with pytest.raises(DomainError, match="closed"):
        services.acknowledge(advisor=world.ada, escalation=escalation)


def test_an_advisor_of_another_organisation_cannot_acknowledge(world, talk, rota):
    from tests.factories import RoleGrantFactory

    grant = RoleGrantFactory(
        membership=world.oscar.memberships.get(), role="advisor"
    )  # oscar also advises Northgate
    assert grant.pk
    escalation = _escalate(world, talk)
    with pytest.raises(PermissionDenied):
        services.acknowledge(advisor=world.oscar, escalation=escalation)


def test_a_page_that_cannot_be_emailed_is_shown_in_the_app_and_retried(
    world, talk, rota, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(services, "send_mail", broken)
    with django_capture_on_commit_callbacks(execute=True):
        _escalate(world, talk)
    page = Page.objects.get()
    assert page.emailed_at is None and page.email_attempts == 1
    assert Notification.objects.filter(user=world.ada, text__startswith="Safety page").exists()
    monkeypatch.undo()
    assert services.retry_page_emails() == 1
    assert Page.objects.get().emailed_at is not None
    assert services.retry_page_emails() == 0


def test_the_upkeep_command_repages_and_retries(world, talk, rota, avery):
    import io

    from django.core.management import call_command

    _escalate(world, talk, now=timezone.now() - datetime.timedelta(minutes=20))
    out = io.StringIO()
    call_command("safety_upkeep", stdout=out)
    assert "advisors repaged: 1" in out.getvalue()
