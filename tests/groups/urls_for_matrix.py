"""Group URLs for tests/test_authorization_matrix.py: each builds what it needs.

Fay facilitates an open group at St Elsewhere that Alice is in; Bob is a member who is not in
it; Olga and Oscar belong to Northgate, so every group URL answers them 404.
"""

from django.urls import reverse

from kindred.groups import selectors, services
from kindred.groups.models import Material, Programme
from tests.groups.builders import fill, hold, join, make_cohort, make_programme

# People in the group and its facilitators; everyone else gets 404, like strangers.
PARTICIPANT_PAGE = {
    "anon": "login",
    "alice": 200,
    "fay": 200,
    "bob": 404,
    "cora": 404,
    "ada": 404,
    "olga": 404,
}
PARTICIPANT_POST = {"anon": "login", "alice": 302, "bob": 404, "fay": 404, "cora": 404, "olga": 404}
FACILITATOR_PAGE = {
    "anon": "login",
    "fay": 200,
    "alice": 404,
    "bob": 404,
    "cora": 404,
    "ada": 404,
    "olga": 404,
    "oscar": 404,
}
FACILITATOR_POST = {"anon": "login", "fay": 302, "alice": 404, "cora": 404, "olga": 404}
COORDINATOR_PAGE = {
    "anon": "login",
    "cora": 200,
    "alice": 403,
    "fay": 403,
    "oscar": 404,
    "olga": 404,
}
COORDINATOR_POST = {"anon": "login", "cora": 302, "alice": 403, "oscar": 404}
ADVISOR_PAGE = {
    "anon": "login",
    "ada": 200,
    "alice": 403,
    "fay": 403,
    "cora": 403,
    "oscar": 404,
    "olga": 404,
}


def _group(w):
    cohort = make_cohort(w)
    join(w.alice, cohort)
    return cohort


def cohort(name):
    return lambda w: reverse(name, args=[_group(w).pk])


def offered(w):
    found = make_cohort(w, capacity=2)
    first, _ = fill(found, w.school, 2)
    join(w.alice, found)
    services.leave_cohort(member=first.user, participation=first)
    return reverse("answer_place_offer", args=[found.pk])


def session(name, *, held=False):
    def url(w):
        found = _group(w)
        first = hold(found, 1)[0] if held else selectors.sessions_of(found).first()
        return reverse(name, args=[first.pk])

    return url


def _topic(w, *, second=False):
    found = _group(w)
    first = selectors.sessions_of(found).first()
    topic, _ = services.suggest_topic(participant=w.alice, session=first, text="Rotas")
    if second:
        join(w.sam, found)
        services.suggest_topic(participant=w.sam, session=first, text="Sleep")
    return topic


def topic(name):
    return lambda w: reverse(name, args=[_topic(w).pk])


def application(w):
    found = make_cohort(w, make_programme(w, joining=Programme.Joining.APPLY))
    place = join(w.alice, found)
    return reverse("answer_application", args=[place.pk, "accept"])


def material(w):
    found = _group(w)
    made = Material.objects.create(
        session=selectors.sessions_of(found).first(), title="A prompt", body="Write."
    )
    return reverse("delete_material", args=[made.pk])


def consultation(w):
    found = make_cohort(w)
    made = services.request_consultation(facilitator=w.fay, cohort=found, note="Talk?")
    return reverse("consultation_action", args=[w.school.slug, made.pk, "take"])


def school(name):
    return lambda w: reverse(name, args=[w.school.slug])


def programme(name):
    return lambda w: reverse(name, args=[w.school.slug, make_programme(w).pk])


def hosted(name, *, opened=True):
    return lambda w: reverse(name, args=[w.school.slug, make_cohort(w, opened=opened).pk])


def guide_page(name):
    return lambda w: reverse(name, args=[w.school.slug, "opening"])


def _own_guide_page(w):
    services.save_guide_page(
        coordinator=w.cora,
        organisation=w.school,
        slug="opening",
        title="Opening",
        summary="",
        body="Ours.",
    )


def guide_history(w):
    _own_guide_page(w)
    return reverse("facilitator_guide_history", args=[w.school.slug, "opening"])


def guide_restore(w):
    _own_guide_page(w)
    return reverse("restore_facilitator_guide_version", args=[w.school.slug, "opening", 1])


def api_cohort(name):
    return lambda w: reverse(name, args=[_group(w).pk])


def api_session(name):
    return lambda w: reverse(name, args=[selectors.sessions_of(_group(w)).first().pk])


def api_topic(name):
    return lambda w: reverse(name, args=[_topic(w).pk])
