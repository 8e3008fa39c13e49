"""Builders for office-hours tests: availability through the service, slots made directly."""

import datetime

from django.utils import timezone

from kindred.officehours import services
from kindred.officehours.models import Booking, Slot
from tests.factories import make_profile

DEFAULT_PLACE = {"format": "video", "video_link": "https://meet.example.org/room-1"}


def _profile(supporter, organisation):
    """The supporter's profile, made with test defaults only if there is none yet."""
    from kindred.support.models import SupporterProfile

    found = SupporterProfile.objects.filter(user=supporter, organisation=organisation).first()
    return found or make_profile(supporter, organisation)


def add_rule(supporter, organisation, **fields):
    """A weekly (or one-off) block of availability, saved through the service."""
    values = {
        "repeats": "weekly",
        "weekday": 0,
        "start_time": datetime.time(10, 0),
        "end_time": datetime.time(12, 0),
        "slot_minutes": 30,
        "walk_in": False,
        **DEFAULT_PLACE,
        **fields,
    }
    _profile(supporter, organisation)
    return services.save_rule(supporter=supporter, organisation=organisation, **values)


def make_slot(
    supporter, organisation, *, starts_in=datetime.timedelta(days=1), minutes=30, **fields
):
    """One open slot, made directly (no rule), `starts_in` from now."""
    profile = _profile(supporter, organisation)
    starts_at = fields.pop("starts_at", None) or (
        timezone.now().replace(second=0, microsecond=0) + starts_in
    )
    values = {**DEFAULT_PLACE, **fields}
    if values.get("walk_in"):
        values.setdefault("per_person_minutes", 15)
    return Slot.objects.create(
        organisation=organisation,
        profile=profile,
        supporter=supporter,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=minutes),
        **values,
    )


def make_walk_in(supporter, organisation, *, started_ago=10, minutes=90, **fields):
    """A walk-in block that started `started_ago` minutes ago."""
    return make_slot(
        supporter,
        organisation,
        starts_in=-datetime.timedelta(minutes=started_ago),
        minutes=minutes,
        walk_in=True,
        **{"format": "in_person", "location": "Room 3, Student Centre", "video_link": "", **fields},
    )


def make_booking(member, slot, **fields):
    return Booking.objects.create(
        slot=slot, member=member, organisation=slot.organisation, **fields
    )
