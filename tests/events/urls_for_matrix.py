"""Authorisation-matrix rows for kindred.events, added to the MATRIX.

Cora coordinates St Elsewhere, which hosts a talk for its own members; Alice and Bob are members
there, Olga and Oscar belong to Northgate, so every St Elsewhere event answers them 404.
"""

import datetime

from django.urls import reverse

from kindred.events import services
from tests.events.builders import TINY_PNG, make_event, move_to

MEMBER_PAGE = {"anon": "login", "alice": 200, "cora": 200, "olga": 404}
MEMBER_POST = {"anon": "login", "alice": 302, "bob": 302, "olga": 404}
COORDINATOR_PAGE = {
    "anon": "login",
    "cora": 200,
    "alice": 403,
    "sam": 403,
    "olga": 404,
    "oscar": 404,
}
COORDINATOR_POST = {"anon": "login", "cora": 302, "alice": 403, "oscar": 404}


def event(name):
    return lambda w: reverse(name, args=[make_event(w).pk])


def _live(w):
    return move_to(make_event(w), started_ago=datetime.timedelta(minutes=5))


def live_event(name):
    return lambda w: reverse(name, args=[_live(w).pk])


def _proposal(w):
    return services.propose_topic(member=w.alice, organisation=w.school, text="Sleep").proposal


def proposal(name):
    return lambda w: reverse(name, args=[_proposal(w).pk])


def school(name):
    return lambda w: reverse(name, args=[w.school.slug])


def hosted(name):
    return lambda w: reverse(name, args=[w.school.slug, make_event(w).pk])


def merge(w):
    first = _proposal(w)
    services.propose_topic(member=w.bob, organisation=w.school, text="Sleep, again")
    return reverse("merge_proposal", args=[w.school.slug, first.pk])


def speaker(w):
    found = make_event(w)
    made = services.add_speaker(coordinator=w.cora, event=found, name="Dr Raman")
    return reverse("remove_speaker", args=[w.school.slug, found.pk, made.pk])


def photo(w):
    found = make_event(w)
    made = services.add_speaker(coordinator=w.cora, event=found, name="Dr Raman", photo=TINY_PNG)
    return reverse("speaker_photo", args=[made.pk])


def invitation(w):
    found = make_event(w)
    made = services.add_speaker(coordinator=w.cora, event=found, name="Al", email=w.alice.email)
    return reverse("accept_speaker_invitation", args=[made.pk])


def feed(w):
    _feed, raw = services.create_event_feed(member=w.alice)
    return reverse("events_calendar_feed", args=[raw])


def api_event(w):
    return reverse("api:rsvp_event", args=[make_event(w).pk])


def api_vote(w):
    return reverse("api:vote_event_topic", args=[_proposal(w).pk])


def rows(Row) -> list:  # noqa: N803 - the Row dataclass is passed in to avoid an import cycle
    return [
        # Members
        Row(
            "events_home",
            lambda w: reverse("events_home"),
            {"anon": "login", "alice": 200, "olga": 200},
        ),
        Row("event_detail", event("event_detail"), MEMBER_PAGE),
        Row("rsvp_event", event("rsvp_event"), MEMBER_POST, method="post", data={"going": "yes"}),
        Row("event_calendar_file", event("event_calendar_file"), MEMBER_PAGE),
        Row(
            "event_check_in",
            live_event("event_check_in"),
            {"anon": "login", "alice": 400, "olga": 404},
            method="post",
            data={"code": "WRONG1"},
        ),
        Row("event_feedback", live_event("event_feedback"), MEMBER_PAGE),
        Row(
            "topic_proposals",
            lambda w: reverse("topic_proposals"),
            {"anon": "login", "alice": 200, "olga": 200},
        ),
        Row("vote_proposal", proposal("vote_proposal"), MEMBER_POST, method="post"),
        Row(
            "withdraw_proposal",
            proposal("withdraw_proposal"),
            {"anon": "login", "alice": 302, "bob": 404, "olga": 404},
            method="post",
        ),
        Row(
            "event_feed_settings",
            lambda w: reverse("event_feed_settings"),
            {"anon": "login", "alice": 200},
        ),
        Row(
            "revoke_event_feed",
            lambda w: reverse("revoke_event_feed"),
            {"anon": "login", "alice": 302},
            method="post",
        ),
        Row("events_calendar_feed", feed, {"anon": 200, "alice": 200, "olga": 200}),
        # Coordinators
        Row("manage_events", school("manage_events"), COORDINATOR_PAGE),
        Row("new_event", school("new_event"), COORDINATOR_PAGE),
        Row("new_series", school("new_series"), COORDINATOR_PAGE),
        Row("manage_topics", school("manage_topics"), COORDINATOR_PAGE),
        Row("merge_proposal", merge, COORDINATOR_POST, method="post"),
        Row("run_event", hosted("run_event"), COORDINATOR_PAGE),
        Row("edit_event", hosted("edit_event"), COORDINATOR_PAGE),
        Row("cancel_event", hosted("cancel_event"), COORDINATOR_POST, method="post"),
        Row("new_check_in_code", hosted("new_check_in_code"), COORDINATOR_POST, method="post"),
        Row("event_speakers", hosted("event_speakers"), COORDINATOR_PAGE),
        Row("remove_speaker", speaker, COORDINATOR_POST, method="post"),
        Row("speaker_photo", photo, MEMBER_PAGE),
        Row(
            "accept_speaker_invitation",
            invitation,
            {"anon": "login", "alice": 302, "bob": 404, "cora": 404, "olga": 404},
            method="post",
        ),
        # API
        Row("api:list_events", lambda w: reverse("api:list_events"), {"anon": 401, "alice": 200}),
        Row(
            "api:rsvp_event",
            api_event,
            {"anon": 401, "alice": 201, "olga": 404},
            method="post",
            data={"going": True},
            json=True,
        ),
        Row(
            "api:propose_event_topic",
            lambda w: reverse("api:propose_event_topic"),
            {"anon": 401, "alice": 201, "olga": 201},
            method="post",
            data={"text": "Sleep"},
            json=True,
        ),
        Row(
            "api:vote_event_topic",
            api_vote,
            {"anon": 401, "alice": 200, "bob": 201, "olga": 404},
            method="post",
            json=True,
        ),
    ]
