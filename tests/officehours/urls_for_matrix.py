"""Office-hours URLs for tests/test_authorization_matrix.py: each makes what it needs.

Sam supports at St Elsewhere; Alice has booked one of his times; his walk-in block is running.
"""

import datetime

from django.urls import reverse

from kindred.officehours import services
from kindred.officehours.models import Milestone, TimeOff
from tests.officehours.builders import add_rule, make_booking, make_slot, make_walk_in

# Who may reach a booking: its member and its supporter; everyone else gets 404.
BOOKING = {"anon": "login", "alice": 200, "sam": 200, "bob": 404, "cora": 404, "olga": 404}
SUPPORTER_PAGE = {"anon": "login", "sam": 200, "alice": 403, "cora": 403, "olga": 404, "oscar": 404}
SUPPORTER_POST = {"anon": "login", "sam": 302, "alice": 403, "oscar": 404}
COORDINATOR_PAGE = {"anon": "login", "cora": 200, "sam": 403, "alice": 403, "oscar": 404}


def slot(name):
    return lambda w: reverse(name, args=[make_slot(w.sam, w.school).pk])


def booking(name, *, started=False):
    def url(w):
        starts_in = datetime.timedelta(minutes=-30 if started else 90)
        found = make_booking(w.alice, make_slot(w.sam, w.school, starts_in=starts_in))
        return reverse(name, args=[found.pk])

    return url


def walk_in(name):
    return lambda w: reverse(name, args=[make_walk_in(w.sam, w.school).pk])


def school(name):
    return lambda w: reverse(name, args=[w.school.slug])


def rule(name):
    return lambda w: reverse(name, args=[w.school.slug, add_rule(w.sam, w.school).pk])


def time_off(name):
    def url(w):
        profile = add_rule(w.sam, w.school).profile
        found = TimeOff.objects.create(
            profile=profile,
            first_day=datetime.date(2030, 1, 1),
            last_day=datetime.date(2030, 1, 2),
        )
        return reverse(name, args=[w.school.slug, found.pk])

    return url


def queue(name):
    return lambda w: reverse(name, args=[w.school.slug, make_walk_in(w.sam, w.school).pk])


def milestone(name):
    def url(w):
        found = Milestone.objects.create(
            organisation=w.school,
            title="Finals",
            first_day=datetime.date(2030, 5, 1),
            last_day=datetime.date(2030, 5, 3),
        )
        return reverse(name, args=[w.school.slug, found.pk])

    return url


def calendar_feed(w):
    _feed, raw = services.create_calendar_feed(supporter=w.sam)
    return reverse("calendar_feed", args=[raw])


def api_booking(w):
    found = make_booking(w.alice, make_slot(w.sam, w.school))
    return reverse("api:cancel_booking", args=[found.pk])
