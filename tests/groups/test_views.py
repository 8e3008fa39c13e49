"""Pages: each works for the people it is for, keeps what was typed on a mistake, and costs a
number of queries that does not grow with the number of groups, people or topics."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kindred.core.models import AuditEntry
from kindred.groups import selectors, services
from kindred.groups.models import Cohort, Material, Participation, Programme
from tests.conftest import sign_in
from tests.groups.builders import fill, hold, join, make_cohort, make_programme, person

S = Participation.Status


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(queries)


def _assert_bounded(client, url, grow, *, limit):
    """The page costs at most `limit` queries, and no more after `grow()` adds data."""
    before = _queries(client, url)
    grow()
    after = _queries(client, url)
    assert after <= before <= limit, (before, after)


# --- members


def test_the_groups_page_lists_open_groups_and_mine(client, world, cohort):
    other = make_cohort(world, make_programme(world, title="Photography for doctors"))
    join(world.alice, other)
    sign_in(client, world.alice)
    page = client.get(reverse("groups_home")).content.decode()
    assert "Foundation doctors&#x27; peer group" in page
    assert "Your groups" in page and "Photography for doctors" in page


def test_the_groups_page_costs_bounded_queries(client, world, cohort):
    sign_in(client, world.alice)
    join(world.alice, cohort)

    def grow():
        for i in range(4):
            c = make_cohort(
                world, make_programme(world, title=f"Group {i}"), at=datetime.time(9 + i)
            )
            join(world.alice, c)
            fill(c, world.school, 2)

    _assert_bounded(client, reverse("groups_home"), grow, limit=14)


def test_another_organisations_member_does_not_see_the_group(client, world, cohort):
    sign_in(client, world.olga)
    assert cohort.pk not in [c.pk for c in selectors.open_cohorts_for(world.olga)]
    assert client.get(reverse("cohort", args=[cohort.pk])).status_code == 404


def test_joining_through_the_page(client, world, cohort):
    sign_in(client, world.alice)
    page = client.get(reverse("join_cohort", args=[cohort.pk])).content.decode()
    assert "What is said here stays here" in page
    response = client.post(reverse("join_cohort", args=[cohort.pk]), {"agree": "on"})
    assert response.status_code == 302
    assert Participation.objects.get(user=world.alice).status == S.JOINED


def test_joining_without_agreeing_keeps_what_was_typed(client, world, cohort):
    sign_in(client, world.alice)
    response = client.post(
        reverse("join_cohort", args=[cohort.pk]), {"access_needs": "Captions, please"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Captions, please" in page
    assert "tick to agree" in page
    assert 'aria-invalid="true"' in page


def test_joining_a_full_group_says_you_are_waiting(client, world):
    cohort = make_cohort(world, capacity=2)
    fill(cohort, world.school, 2)
    sign_in(client, world.alice)
    assert (
        b"you will join the waiting list"
        in client.get(reverse("join_cohort", args=[cohort.pk])).content
    )
    response = client.post(reverse("join_cohort", args=[cohort.pk]), {"agree": "on"}, follow=True)
    assert b"on the waiting list" in response.content


def test_joining_an_overlapping_group_warns_on_the_page(client, world, cohort):
    other = make_cohort(world, make_programme(world, title="Writing"))
    join(world.alice, cohort)
    sign_in(client, world.alice)
    page = client.get(reverse("join_cohort", args=[other.pk])).content.decode()
    assert "meets at the same time as Foundation doctors" in page
    response = client.post(reverse("join_cohort", args=[other.pk]), {"agree": "on"}, follow=True)
    assert b"meets at the same time" in response.content


def test_the_cohort_page_shows_the_group_by_display_name_only(client, world, cohort):
    join(world.alice, cohort)
    join(world.bob, cohort)
    sign_in(client, world.bob)
    page = client.get(reverse("cohort", args=[cohort.pk])).content.decode()
    assert "Alice" in page
    assert "alice@example.org" not in page


def test_the_cohort_page_costs_bounded_queries(client, world, cohort):
    join(world.alice, cohort)
    sign_in(client, world.alice)
    _assert_bounded(
        client,
        reverse("cohort", args=[cohort.pk]),
        lambda: fill(cohort, world.school, 5),
        limit=22,
    )


def test_leaving_through_the_page(client, world, cohort):
    join(world.alice, cohort)
    sign_in(client, world.alice)
    assert client.get(reverse("leave_cohort", args=[cohort.pk])).status_code == 200
    assert client.post(reverse("leave_cohort", args=[cohort.pk])).status_code == 302
    assert Participation.objects.get(user=world.alice).status == S.LEFT


def test_accepting_an_offer_through_the_page(client, world):
    cohort = make_cohort(world, capacity=2)
    first, _ = fill(cohort, world.school, 2)
    join(world.alice, cohort)
    services.leave_cohort(member=first.user, participation=first)
    sign_in(client, world.alice)
    page = client.get(reverse("cohort", args=[cohort.pk])).content.decode()
    assert "Accept the place" in page
    client.post(reverse("answer_place_offer", args=[cohort.pk]), {"answer": "accept"})
    assert Participation.objects.get(user=world.alice).status == S.JOINED


def test_the_calendar_file_is_for_people_with_a_place(client, world, cohort):
    join(world.alice, cohort)
    sign_in(client, world.alice)
    response = client.get(reverse("cohort_calendar_file", args=[cohort.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.count("BEGIN:VEVENT") == 10
    assert "@" not in body and "Foundation" not in body and "Kindred" not in body.split("PRODID")[0]
    sign_in(client, world.bob)
    assert client.get(reverse("cohort_calendar_file", args=[cohort.pk])).status_code == 404


def test_the_agreement_page_asks_again_after_a_change(client, world, cohort):
    place = join(world.alice, cohort)
    Programme.objects.filter(pk=cohort.programme_id).update(agreement_version=2)
    sign_in(client, world.alice)
    response = client.post(reverse("group_agreement", args=[cohort.pk]), {})
    assert response.status_code == 400
    client.post(reverse("group_agreement", args=[cohort.pk]), {"agree": "on"})
    place.refresh_from_db()
    assert place.agreed_version == 2


def test_the_session_page_costs_bounded_queries(client, world, cohort):
    join(world.alice, cohort)
    session = selectors.sessions_of(cohort).first()
    sign_in(client, world.alice)

    def grow():
        for i in range(5):
            p = join(person(world.school), cohort)
            topic, _ = services.suggest_topic(participant=p.user, session=session, text=f"T{i}")
            services.vote(participant=world.alice, topic=topic)
            Material.objects.create(session=session, title=f"M{i}", body="Read")

    _assert_bounded(client, reverse("group_session", args=[session.pk]), grow, limit=16)


# --- facilitators


def test_facilitating_lists_my_groups(client, world, cohort):
    sign_in(client, world.fay)
    assert b"Foundation doctors" in client.get(reverse("facilitating")).content


def test_facilitator_pages_need_a_second_factor(client, world, cohort):
    sign_in(client, world.fay, mfa=False)
    assert client.get(reverse("facilitating")).status_code == 403
    response = client.get(reverse("run_cohort", args=[cohort.pk]))
    assert response.status_code == 403
    assert b"Two-step verification needed" in response.content


def test_a_facilitator_sees_applications_and_the_reading_is_audited(client, world):
    cohort = make_cohort(world, make_programme(world, joining="apply"))
    join(world.alice, cohort, hopes="To sleep again", access_needs="Step-free room")
    sign_in(client, world.fay)
    page = client.get(reverse("run_cohort", args=[cohort.pk])).content.decode()
    assert "To sleep again" in page and "Step-free room" in page
    assert AuditEntry.objects.filter(subject=world.alice, actor=world.fay).exists()
    place = Participation.objects.get(user=world.alice)
    response = client.post(reverse("answer_application", args=[place.pk, "accept"]))
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.status == S.JOINED


def test_the_run_page_costs_bounded_queries(client, world, cohort):
    fill(cohort, world.school, 2)
    sign_in(client, world.fay)
    _assert_bounded(
        client,
        reverse("run_cohort", args=[cohort.pk]),
        lambda: fill(cohort, world.school, 5),
        limit=20,
    )


def test_materials_are_added_and_removed(client, world, cohort):
    join(world.alice, cohort)
    session = selectors.sessions_of(cohort).first()
    sign_in(client, world.fay)
    response = client.post(
        reverse("add_material", args=[session.pk]),
        {"kind": "prompt", "title": "Write to your first-year self", "body": "Ten minutes."},
    )
    assert response.status_code == 302
    material = Material.objects.get()
    sign_in(client, world.alice)
    assert (
        b"Write to your first-year self"
        in client.get(reverse("group_session", args=[session.pk])).content
    )
    sign_in(client, world.fay)
    client.post(reverse("delete_material", args=[material.pk]))
    assert not Material.objects.exists()


def test_a_material_needs_words_or_a_link_and_keeps_the_title(client, world, cohort):
    session = selectors.sessions_of(cohort).first()
    sign_in(client, world.fay)
    response = client.post(
        reverse("add_material", args=[session.pk]), {"kind": "reading", "title": "A poem"}
    )
    assert response.status_code == 400
    assert b"A poem" in response.content and b"Add some words or a link" in response.content


def test_attendance_through_the_page(client, world, cohort):
    place = join(world.alice, cohort)
    session = hold(cohort, 1)[0]
    sign_in(client, world.fay)
    response = client.post(reverse("attendance", args=[session.pk]), {f"p{place.pk}": "present"})
    assert response.status_code == 302
    assert place.attendance.get().mark == "present"


# --- coordinators


def test_a_coordinator_creates_a_programme_then_a_cohort(client, world):
    sign_in(client, world.cora)
    response = client.post(
        reverse("new_programme", args=[world.school.slug]),
        {
            "title": "Living with grief",
            "kind": "online_programme",
            "audience": "Doctors in training",
            "description": "Six weeks of writing.",
            "joining": "apply",
            "agreement": "Be kind.",
        },
    )
    programme = Programme.objects.get()
    assert response["Location"] == reverse("new_cohort", args=[world.school.slug, programme.pk])
    start = timezone.localdate() + datetime.timedelta(days=10)
    response = client.post(
        response["Location"],
        {
            "name": "Autumn",
            "starts_on": start.isoformat(),
            "weekday": "2",
            "start_time": "19:00",
            "duration_minutes": "60",
            "session_count": "6",
            "format": "video",
            "video_link": "https://video.example/grief",
            "capacity": "10",
            "facilitators": [world.fay.pk],
            "accredited": [world.fay.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    cohort = Cohort.objects.get()
    assert cohort.sessions.count() == 6
    assert cohort.status == Cohort.Status.DRAFT
    client.post(reverse("open_cohort", args=[world.school.slug, cohort.pk]))
    cohort.refresh_from_db()
    assert cohort.status == Cohort.Status.OPEN


def test_the_cohort_form_keeps_what_was_typed(client, world):
    programme = make_programme(world)
    sign_in(client, world.cora)
    response = client.post(
        reverse("new_cohort", args=[world.school.slug, programme.pk]),
        {
            "name": "Too early",
            "starts_on": "2020-01-01",
            "weekday": "1",
            "start_time": "18:00",
            "duration_minutes": "90",
            "session_count": "10",
            "format": "in_person",
            "location": "Room 4",
            "capacity": "8",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Too early" in page and "Room 4" in page and "must be in the future" in page


def test_opening_without_a_facilitator_says_why(client, world):
    cohort = make_cohort(world, opened=False, facilitators=[])
    sign_in(client, world.cora)
    response = client.post(reverse("open_cohort", args=[world.school.slug, cohort.pk]), follow=True)
    assert b"facilitator whose training is current" in response.content
    cohort.refresh_from_db()
    assert cohort.status == Cohort.Status.DRAFT


def test_editing_a_cohort_through_the_page(client, world, cohort):
    join(world.alice, cohort)
    sign_in(client, world.cora)
    url = reverse("edit_cohort", args=[world.school.slug, cohort.pk])
    assert client.get(url).status_code == 200
    data = {
        "name": cohort.name,
        "starts_on": cohort.starts_on.isoformat(),
        "weekday": str(cohort.weekday),
        "start_time": "19:15",
        "duration_minutes": "90",
        "session_count": "10",
        "format": "video",
        "video_link": cohort.video_link,
        "capacity": "8",
        "facilitators": [world.fay.pk],
    }
    response = client.post(url, data, follow=True)
    assert b"Everyone with a place has been told" in response.content


def test_the_manage_page_costs_bounded_queries(client, world, cohort):
    sign_in(client, world.cora)

    def grow():
        for i in range(4):
            make_cohort(world, make_programme(world, title=f"P{i}"), at=datetime.time(8 + i))

    _assert_bounded(client, reverse("manage_groups", args=[world.school.slug]), grow, limit=16)


def test_the_insights_page_costs_bounded_queries(client, world, cohort):
    sign_in(client, world.cora)

    def grow():
        for i in range(3):
            c = make_cohort(world, make_programme(world, title=f"P{i}"), at=datetime.time(8 + i))
            fill(c, world.school, 3)

    _assert_bounded(client, reverse("group_insights", args=[world.school.slug]), grow, limit=18)


def test_the_consultations_page_costs_bounded_queries(client, world, cohort):
    session = hold(cohort, 1)[0]
    sign_in(client, world.ada)

    def grow():
        for _ in range(4):
            services.request_consultation(facilitator=world.fay, cohort=cohort, note="Talk?")

    services.save_reflection(facilitator=world.fay, session=session, ask_advisor=True)
    _assert_bounded(
        client, reverse("group_consultations", args=[world.school.slug]), grow, limit=16
    )


@pytest.mark.parametrize("name", ["facilitating", "groups_home", "facilitator_guide"])
def test_list_pages_for_a_facilitator_are_bounded(client, world, cohort, name):
    sign_in(client, world.fay)

    def grow():
        for i in range(3):
            make_cohort(world, make_programme(world, title=f"P{i}"), at=datetime.time(8 + i))

    _assert_bounded(client, reverse(name), grow, limit=14)
