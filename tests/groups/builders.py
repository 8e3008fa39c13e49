"""Builders for group tests: programmes and cohorts through the services, people in bulk, and
a way to make sessions "already held" without waiting a week."""

import datetime
import itertools

from django.utils import timezone

from kindred.groups import services
from kindred.groups.models import Cohort, Programme
from tests.factories import MembershipFactory, RoleGrantFactory, UserFactory

_people = itertools.count(1)


def make_programme(world, *, joining=Programme.Joining.DIRECT, co_hosts=(), **fields):
    values = {
        "title": "Foundation doctors' peer group",
        "kind": Programme.Kind.SUPPORT_GROUP,
        "audience": "Foundation doctors",
        "description": "Ten weekly sessions. **The group chooses.**",
        "joining": joining,
        "agreement": "- What is said here stays here.",
        **fields,
    }
    return services.save_programme(
        coordinator=world.cora, organisation=world.school, co_hosts=co_hosts, **values
    )


def make_cohort(
    world,
    programme=None,
    *,
    opened=True,
    facilitators=None,
    days_ahead=7,
    weekday=None,
    at=datetime.time(18, 30),
    **fields,
) -> Cohort:
    programme = programme or make_programme(world)
    first_day = timezone.localdate() + datetime.timedelta(days=days_ahead)
    values = {
        "name": "Spring",
        "starts_on": first_day,
        "weekday": first_day.weekday() if weekday is None else weekday,
        "start_time": at,
        "duration_minutes": 90,
        "session_count": 10,
        "format": "video",
        "location": "",
        "video_link": "https://video.example/group",
        "capacity": 8,
        **fields,
    }
    cohort = services.create_cohort(
        coordinator=world.cora,
        programme=programme,
        facilitators=[world.fay] if facilitators is None else facilitators,
        **values,
    )
    if opened:
        services.open_cohort(coordinator=world.cora, cohort=cohort)
        cohort.refresh_from_db()
    return cohort


def person(organisation, name=None, role=None):
    """Another member of the organisation (for filling groups)."""
    n = next(_people)
    name = name or f"member{n}"
    user = UserFactory(email=f"{name}@example.org", display_name=f"Member {n}")
    membership = MembershipFactory(user=user, organisation=organisation)
    if role:
        RoleGrantFactory(membership=membership, role=role)
    return user


def join(user, cohort, **fields):
    return services.join_cohort(member=user, cohort=cohort, agree=True, **fields).participation


def fill(cohort, organisation, count):
    return [join(person(organisation), cohort) for _ in range(count)]


def hold(cohort, held=1, *, now=None):
    """Move the sessions so the first `held` are over (the last ended an hour ago) and the
    rest follow weekly; returns the sessions in order."""
    now = now or timezone.now()
    sessions = list(cohort.sessions.order_by("number"))
    length = sessions[0].ends_at - sessions[0].starts_at
    last_held_start = now - datetime.timedelta(hours=1) - length
    for i, session in enumerate(sessions):
        session.starts_at = last_held_start + datetime.timedelta(weeks=i - (held - 1))
        session.ends_at = session.starts_at + length
        session.save(update_fields=["starts_at", "ends_at"])
    return sessions


def cohort_fields(cohort, **changes):
    """The cohort's editable fields, with some changed (for update_cohort)."""
    names = [
        "name",
        "starts_on",
        "weekday",
        "start_time",
        "duration_minutes",
        "session_count",
        "format",
        "location",
        "video_link",
        "capacity",
    ]
    return {**{n: getattr(cohort, n) for n in names}, **changes}
