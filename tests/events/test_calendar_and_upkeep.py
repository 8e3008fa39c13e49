"""Calendar files and the private feed; reminders a day and an hour before."""

import datetime

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from kindred.events import services
from kindred.events.models import Event
from kindred.notifications.models import Notification
from tests.conftest import sign_in
from tests.events.builders import make_event


def test_the_event_file_leaves_out_the_place_for_people_not_going(client, world):
    event = make_event(world, location="Seminar room 4B")
    sign_in(client, world.alice)
    url = reverse("event_calendar_file", args=[event.pk])
    assert "Seminar room 4B" not in client.get(url).content.decode()
    services.rsvp(member=world.alice, event=event, going=True)
    ics = client.get(url).content.decode()
    assert "LOCATION:Seminar room 4B" in ics and "SEQUENCE:0" in ics


def test_the_private_feed_lists_events_i_am_going_to(client, world):
    mine = make_event(world, title="Going to this")
    make_event(world, title="Not this one")
    services.rsvp(member=world.alice, event=mine, going=True)
    _feed, raw = services.create_event_feed(member=world.alice)
    ics = client.get(reverse("events_calendar_feed", args=[raw])).content.decode()
    assert "Going to this" in ics and "Not this one" not in ics


def test_someone_who_leaves_the_organisation_stops_getting_its_events_in_the_feed(client, world):
    from kindred.accounts.models import Membership

    event = make_event(world, title="School only", location="Lecture theatre 1")
    services.rsvp(member=world.alice, event=event, going=True)
    _feed, raw = services.create_event_feed(member=world.alice)
    url = reverse("events_calendar_feed", args=[raw])
    assert "Lecture theatre 1" in client.get(url).content.decode()
    Membership.objects.filter(user=world.alice, organisation=world.school).delete()
    ics = client.get(url).content.decode()
    assert "School only" not in ics and "Lecture theatre 1" not in ics


def test_a_revoked_feed_stops_working(client, world):
    _feed, raw = services.create_event_feed(member=world.alice)
    services.revoke_event_feeds(member=world.alice)
    assert client.get(reverse("events_calendar_feed", args=[raw])).status_code == 404


def test_a_new_feed_address_replaces_the_old_one(client, world):
    _feed, old = services.create_event_feed(member=world.alice)
    services.create_event_feed(member=world.alice)
    assert client.get(reverse("events_calendar_feed", args=[old])).status_code == 404


def test_the_feed_page_shows_a_new_address_once(client, world):
    sign_in(client, world.alice)
    response = client.post(reverse("event_feed_settings"), follow=True)
    assert "/events/feed/kev_" in response.content.decode()
    assert "/events/feed/kev_" not in client.get(reverse("event_feed_settings")).content.decode()


def test_people_going_are_reminded_a_day_before_once(world):
    event = make_event(world, starts_in=datetime.timedelta(hours=20))
    services.rsvp(member=world.alice, event=event, going=True)
    services.rsvp(member=world.bob, event=event, going=False)
    assert services.send_event_reminders() == 1
    assert services.send_event_reminders() == 0
    assert Notification.objects.filter(user=world.alice, text__startswith="Reminder").count() == 1
    assert not Notification.objects.filter(user=world.bob, text__startswith="Reminder").exists()


def test_people_going_are_reminded_an_hour_before(world):
    event = make_event(world, starts_in=datetime.timedelta(minutes=50))
    services.rsvp(member=world.alice, event=event, going=True)
    services.send_event_reminders()
    assert Notification.objects.filter(user=world.alice, text__startswith="Starting soon").exists()
    assert not Notification.objects.filter(user=world.alice, text__startswith="Reminder").exists()


def test_a_moved_event_is_reminded_again(world):
    event = make_event(world, starts_in=datetime.timedelta(hours=20))
    services.rsvp(member=world.alice, event=event, going=True)
    services.send_event_reminders()
    later = timezone.now() + datetime.timedelta(hours=22)
    services.update_event(
        coordinator=world.cora,
        event=event,
        starts_at=later,
        ends_at=later + datetime.timedelta(hours=1),
        **{k: getattr(event, k) for k in services.EVENT_FIELDS},
    )
    assert services.send_event_reminders() == 1


def test_reminder_emails_carry_no_content(world, mailoutbox, django_capture_on_commit_callbacks):
    event = make_event(world, starts_in=datetime.timedelta(hours=20), title="Secret title")
    services.rsvp(member=world.alice, event=event, going=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_event_reminders()
    assert mailoutbox and all("Secret title" not in m.body + m.subject for m in mailoutbox)


def test_the_upkeep_command_sends_reminders(world, capsys):
    event = make_event(world, starts_in=datetime.timedelta(hours=20))
    services.rsvp(member=world.alice, event=event, going=True)
    call_command("events_upkeep")
    assert "reminders sent: 1" in capsys.readouterr().out
    assert Event.objects.get(pk=event.pk).reminded_day_at is not None
