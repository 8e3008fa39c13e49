"""Demo data (idempotent, with a live webinar) and "Download my data"."""

import io

from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from kindred.events import services
from kindred.events.demo import LIVE_EVENT_TITLE
from kindred.events.models import Event, Rsvp, Series, TopicProposal


def _seed():
    call_command("seed_demo", stdout=io.StringIO())


def test_the_demo_has_a_series_topics_and_a_live_event_and_can_run_twice(db):
    _seed()
    counts = (Event.objects.count(), TopicProposal.objects.count(), Rsvp.objects.count())
    _seed()
    assert (Event.objects.count(), TopicProposal.objects.count(), Rsvp.objects.count()) == counts
    series = Series.objects.get()
    assert series.interval_weeks == 2 and series.events.count() >= 2
    assert series.events.first().speakers.filter(lived_experience=True, role="FY1 doctor").exists()
    live = Event.objects.get(title=LIVE_EVENT_TITLE)
    now = timezone.now()
    assert live.starts_at < now < live.ends_at and live.qa_enabled
    going = set(live.rsvps.filter(status="going").values_list("user__email", flat=True))
    assert {"member@example.org", "member2@example.org"} <= going
    assert TopicProposal.objects.filter(votes__isnull=False).distinct().count() >= 2


def test_my_data_lists_my_answers_topics_and_votes_but_not_my_feedback(world, event):
    services.rsvp(member=world.alice, event=event, going=True)
    services.propose_topic(member=world.alice, organisation=world.school, text="Sleep")
    data = apps.get_app_config("events").export_personal_data(world.alice)
    assert data["event_answers"][0]["my_answer"] == "going"
    assert data["event_topics_i_proposed"][0]["topic"] == "Sleep"
    assert data["event_topic_votes"] == 1
    assert "feedback" not in " ".join(data)
