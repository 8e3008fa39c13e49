"""Attendance is recorded by the facilitator and seen only by facilitators and the participant
themself: not other participants, not coordinators or advisors, not another organisation."""

import pytest
from django.urls import reverse

from kindred.core.errors import DomainError
from kindred.core.models import AuditEntry
from kindred.groups import services
from kindred.groups.models import Attendance
from tests.conftest import sign_in
from tests.groups.builders import hold, join, make_cohort, person


@pytest.fixture
def held(world, cohort):
    """Alice and Bob are in the group; session 1 has been held; Alice came, Bob sent apologies."""
    alice, bob = join(world.alice, cohort), join(world.bob, cohort)
    session = hold(cohort, 1)[0]
    services.record_attendance(
        facilitator=world.fay, session=session, marks={alice.pk: "present", bob.pk: "apologies"}
    )
    return cohort, session


def test_the_facilitator_records_attendance(world, held):
    _cohort, session = held
    marks = dict(
        Attendance.objects.filter(session=session).values_list("participation__user", "mark")
    )
    assert marks == {world.alice.pk: "present", world.bob.pk: "apologies"}


def test_clearing_a_mark_removes_it(world, held):
    cohort, session = held
    alice = cohort.participations.get(user=world.alice)
    services.record_attendance(facilitator=world.fay, session=session, marks={alice.pk: ""})
    assert not Attendance.objects.filter(participation=alice).exists()


def test_attendance_cannot_be_recorded_long_before_the_session(world, cohort):
    place = join(world.alice, cohort)
    session = cohort.sessions.first()
    with pytest.raises(DomainError, match="half an hour before"):
        services.record_attendance(
            facilitator=world.fay, session=session, marks={place.pk: "present"}
        )


def test_the_facilitator_sees_the_sheet_and_the_reading_is_audited(client, world, held):
    _cohort, session = held
    sign_in(client, world.fay)
    response = client.get(reverse("attendance", args=[session.pk]))
    assert response.status_code == 200
    assert b"Alice" in response.content and b"Bob" in response.content
    assert AuditEntry.objects.filter(
        subject=world.alice, actor=world.fay, target__contains="attendance"
    ).exists()


@pytest.mark.parametrize("name", ["alice", "bob", "cora", "ada", "sam", "olga", "oscar"])
def test_nobody_else_reaches_the_attendance_sheet(client, world, held, name):
    _cohort, session = held
    sign_in(client, getattr(world, name))
    assert client.get(reverse("attendance", args=[session.pk])).status_code == 404


def test_another_facilitator_of_the_organisation_does_not_see_it(client, world, held):
    _cohort, session = held
    felix = person(world.school, "felix", role="facilitator")
    sign_in(client, felix)
    assert client.get(reverse("attendance", args=[session.pk])).status_code == 404
    assert client.get(reverse("run_cohort", args=[session.cohort_id])).status_code == 404


def test_a_participant_sees_only_their_own_attendance(client, world, held):
    cohort, _session = held
    sign_in(client, world.bob)
    page = client.get(reverse("cohort", args=[cohort.pk])).content.decode()
    assert "Sent apologies" in page
    assert "Came" not in page.split("Your attendance")[1].split("</table>")[0]
    sign_in(client, world.alice)
    page = client.get(reverse("cohort", args=[cohort.pk])).content.decode()
    table = page.split("Your attendance")[1].split("</table>")[0]
    assert "Came" in table and "Sent apologies" not in table


def test_a_coordinator_sees_attendance_only_as_a_suppressed_total(client, world, held):
    cohort, _session = held
    sign_in(client, world.cora)
    page = client.get(reverse("group_insights", args=[world.school.slug])).content.decode()
    assert "Alice" not in page and "Bob" not in page
    assert "50%" not in page and "100%" not in page  # two people: no rate is shown
    page = client.get(reverse("manage_groups", args=[world.school.slug])).content.decode()
    assert "Alice" not in page and "Bob" not in page


def test_attendance_rates_show_once_ten_people_stand_behind_them(world):
    cohort = make_cohort(world, capacity=20)
    places = [join(person(world.school), cohort) for _ in range(20)]
    session = hold(cohort, 1)[0]
    marks = {p.pk: "present" for p in places[:15]} | {p.pk: "absent" for p in places[15:]}
    services.record_attendance(facilitator=world.fay, session=session, marks=marks)
    from kindred.groups.selectors import insights

    week = insights(world.school)[0].weeks[0]
    assert week.attendance == "75%"


def test_your_attendance_is_in_your_data_and_nobody_elses(world, held):
    from kindred.groups.export import export_personal_data

    mine = export_personal_data(world.alice)["group_places_and_applications"][0]
    assert mine["my_attendance"] == [{"session": 1, "mark": "present"}]
    assert "Bob" not in str(export_personal_data(world.alice))
