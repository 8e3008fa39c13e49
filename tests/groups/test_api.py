"""The groups API: list cohorts, join (201 / 202 / 409), topics and idempotent votes."""

import pytest
from django.urls import reverse

from kindred.groups import selectors
from kindred.groups.models import Vote
from tests.conftest import sign_in
from tests.groups.builders import fill, join, make_cohort


def _post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_it_lists_cohorts_i_can_join(client, world, cohort):
    sign_in(client, world.alice)
    body = client.get(reverse("api:list_cohorts")).json()
    assert [c["id"] for c in body] == [cohort.pk]
    assert body[0]["full"] is False and body[0]["my_status"] is None
    assert body[0]["run_by"] == ["St Elsewhere Medical School"]


def test_another_organisation_sees_nothing(client, world, cohort):
    sign_in(client, world.olga)
    assert client.get(reverse("api:list_cohorts")).json() == []
    response = _post(
        client, reverse("api:join_cohort", args=[cohort.pk]), {"agree_to_group_agreement": True}
    )
    assert response.status_code == 404


def test_joining_answers_201_then_409(client, world, cohort):
    sign_in(client, world.alice)
    url = reverse("api:join_cohort", args=[cohort.pk])
    response = _post(client, url, {"agree_to_group_agreement": True})
    assert response.status_code == 201
    assert response.json()["status"] == "joined"
    again = _post(client, url, {"agree_to_group_agreement": True})
    assert again.status_code == 409
    listed = client.get(reverse("api:list_cohorts")).json()
    assert listed[0]["my_status"] == "joined"


def test_a_full_cohort_answers_202_waitlisted(client, world):
    cohort = make_cohort(world, capacity=2)
    fill(cohort, world.school, 2)
    sign_in(client, world.alice)
    response = _post(
        client, reverse("api:join_cohort", args=[cohort.pk]), {"agree_to_group_agreement": True}
    )
    assert response.status_code == 202
    assert response.json()["status"] == "waitlisted"


def test_joining_without_agreeing_is_refused(client, world, cohort):
    sign_in(client, world.alice)
    response = _post(
        client, reverse("api:join_cohort", args=[cohort.pk]), {"agree_to_group_agreement": False}
    )
    assert response.status_code == 400
    assert "agreement" in response.json()["detail"]


def test_joining_an_overlapping_cohort_warns(client, world, cohort):
    from tests.groups.builders import make_programme

    other = make_cohort(world, make_programme(world, title="Writing"))
    join(world.alice, cohort)
    sign_in(client, world.alice)
    response = _post(
        client, reverse("api:join_cohort", args=[other.pk]), {"agree_to_group_agreement": True}
    )
    assert response.status_code == 201
    assert response.json()["warnings"][0].startswith("Overlaps with Foundation doctors")


@pytest.fixture
def session(world, cohort):
    join(world.alice, cohort)
    join(world.bob, cohort)
    return selectors.sessions_of(cohort).first()


def test_topics_are_suggested_listed_and_voted_for(client, world, session):
    sign_in(client, world.alice)
    url = reverse("api:list_topics", args=[session.pk])
    created = _post(client, url, {"text": "Imposter feelings"})
    assert created.status_code == 201
    topic_id = created.json()["id"]
    sign_in(client, world.bob)
    vote_url = reverse("api:vote_topic", args=[topic_id])
    first, second = _post(client, vote_url), _post(client, vote_url)
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json() == {"topic_id": topic_id, "votes": 1, "voted": True}
    assert Vote.objects.count() == 1
    listed = client.get(url).json()
    assert listed == [
        {
            "id": topic_id,
            "text": "Imposter feelings",
            "votes": 1,
            "voted": True,
            "mine": False,
            "merged_in": 0,
        }
    ]


def test_people_outside_the_group_cannot_reach_its_topics(client, world, session):
    for name in ("sam", "cora", "olga"):
        sign_in(client, getattr(world, name))
        assert client.get(reverse("api:list_topics", args=[session.pk])).status_code == 404


def test_a_topic_whose_words_signal_risk_is_not_shown_to_the_group(client, world, session):
    sign_in(client, world.alice)
    url = reverse("api:list_topics", args=[session.pk])
    response = _post(client, url, {"text": "I want to end my life"})
    assert response.status_code == 400
    assert "not shown to the group" in response.json()["detail"]
    assert "end my life" not in response.json()["detail"]
    assert client.get(url).json() == []


def test_a_facilitator_reads_topics_but_does_not_suggest(client, world, session):
    sign_in(client, world.fay)
    url = reverse("api:list_topics", args=[session.pk])
    assert client.get(url).status_code == 200
    assert _post(client, url, {"text": "Mine"}).status_code == 403


def test_a_facilitator_without_a_second_factor_is_refused(client, world, session):
    sign_in(client, world.fay, mfa=False)
    assert client.get(reverse("api:list_topics", args=[session.pk])).status_code == 403


def test_the_cohort_list_costs_bounded_queries(client, world, cohort):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.groups.builders import make_programme

    sign_in(client, world.alice)
    join(world.alice, cohort)
    counts = []
    for i in range(2):
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("api:list_cohorts"))
        counts.append(len(queries))
        for j in range(4):
            c = make_cohort(world, make_programme(world, title=f"P{i}{j}"))
            join(world.alice, c)
    assert counts[1] <= counts[0] <= 14
