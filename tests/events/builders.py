"""Builders for event tests: events through the services, people in bulk, and a way to make an
event "happening now" or "over" without waiting."""

import datetime
import itertools

from django.utils import timezone

from kindred.events import services
from kindred.events.models import Audience, Event, Format, Kind
from tests.factories import MembershipFactory, UserFactory

_people = itertools.count(1)


def event_fields(**fields) -> dict:
    return {
        "title": "Sleep and shift work",
        "kind": Kind.TALK,
        "description": "A talk. **Come along.**",
        "topics": ["sleep"],
        "audience": Audience.ORGANISATION,
        "format": Format.IN_PERSON,
        "location": "Lecture theatre 1",
        "video_link": "",
        "capacity": None,
        "qa_enabled": True,
        **fields,
    }


def make_event(world, *, starts_in=datetime.timedelta(days=3), minutes=60, co_hosts=(), **fields):
    starts = timezone.now() + starts_in
    return services.create_event(
        coordinator=world.cora,
        organisation=world.school,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=minutes),
        co_hosts=co_hosts,
        now=starts - datetime.timedelta(minutes=1),
        **event_fields(**fields),
    )


def move_to(event: Event, *, started_ago: datetime.timedelta, minutes: int = 60) -> Event:
    """Shift an event in time (as if the clock had moved on)."""
    starts = timezone.now() - started_ago
    Event.objects.filter(pk=event.pk).update(
        starts_at=starts, ends_at=starts + datetime.timedelta(minutes=minutes)
    )
    event.refresh_from_db()
    return event


def people(organisation, count: int) -> list:
    made = []
    for _ in range(count):
        n = next(_people)
        user = UserFactory(email=f"guest{n}@example.org", display_name=f"Guest {n}")
        MembershipFactory(user=user, organisation=organisation)
        made.append(user)
    return made


def fill(event: Event, organisation, count: int) -> list:
    """`count` new members of `organisation` say they are going."""
    crowd = people(organisation, count)
    for person in crowd:
        services.rsvp(member=person, event=event, going=True)
    return crowd


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    import zlib

    return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")


# A well-formed (if tiny) PNG for speaker photos.
TINY_PNG = (
    b"\x89PNG\r\n\x1a\n"
    + _png_chunk(b"IHDR", bytes.fromhex("00000001000000010802000000"))
    + _png_chunk(b"IDAT", b"pixels")
    + _png_chunk(b"IEND", b"")
)
