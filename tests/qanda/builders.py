"""Events and RSVPs for Q&A tests, made directly with the ORM (kindred.events owns the rest)."""

import datetime

from django.utils import timezone

from kindred.events.models import Event, EventSpeaker, Rsvp
from kindred.qanda.models import Question


def make_event(
    world,
    *,
    host=None,
    starts_in=datetime.timedelta(minutes=-10),
    lasts=datetime.timedelta(hours=1),
    qa_enabled=True,
    title="Impostor feelings on the wards",
    **fields,
) -> Event:
    starts_at = timezone.now() + starts_in
    return Event.objects.create(
        host=host or world.school,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + lasts,
        qa_enabled=qa_enabled,
        **fields,
    )


def ended_event(world, **fields) -> Event:
    return make_event(world, starts_in=datetime.timedelta(hours=-3), **fields)


def going(user, event, status=Rsvp.Status.GOING) -> Rsvp:
    return Rsvp.objects.create(event=event, user=user, status=status)


def speaker(user, event) -> EventSpeaker:
    return EventSpeaker.objects.create(event=event, name=user.display_name, user=user)


def live_room(world, **fields) -> Event:
    """An event under way with Alice going; Bob is a member who is not going."""
    event = make_event(world, **fields)
    going(world.alice, event)
    return event


def ask(user, event, text="How do you cope with the first night shift?", **fields) -> Question:
    return Question.objects.create(event=event, author=user, text=text, **fields)
