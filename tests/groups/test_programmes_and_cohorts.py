"""Coordinators set up programmes and cohorts; a cohort opens only with a current facilitator;
changing a running cohort's schedule tells people and updates their calendars."""

import datetime

import icalendar
import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from kindred.accounts.models import Organisation, Partnership, RoleGrant
from kindred.core.errors import DomainError
from kindred.groups import calendar, selectors, services
from kindred.groups.models import Cohort, Session
from kindred.notifications.models import Notification
from tests.groups.builders import cohort_fields, hold, join, make_cohort, make_programme


@pytest.fixture
def charity(world):
    found = Organisation.objects.create(
        name="Doctors' Wellbeing Trust", slug="dwt", kind="charity", country="GB"
    )
    Partnership.objects.create(from_organisation=world.school, to_organisation=found)
    return found


def test_a_programme_can_be_co_hosted_with_a_partner(world, charity):
    programme = make_programme(world, co_hosts=[charity])
    assert list(programme.co_hosts.all()) == [charity]
    assert selectors.organisation_ids(programme) == {world.school.pk, charity.pk}


def test_it_refuses_a_co_host_that_is_not_a_partner(world):
    with pytest.raises(DomainError) as error:
        make_programme(world, co_hosts=[world.other_school])
    assert error.value.field == "co_hosts"


def test_only_a_coordinator_of_the_host_sets_up_programmes(world):
    with pytest.raises(PermissionDenied):
        services.save_programme(
            coordinator=world.oscar,
            organisation=world.school,
            title="x",
            kind="support_group",
            audience="x",
            description="x",
            joining="direct",
            agreement="x",
        )


def test_a_new_cohort_has_its_weekly_sessions_and_is_not_open(world):
    cohort = make_cohort(world, opened=False, session_count=10)
    sessions = list(cohort.sessions.all())
    assert cohort.status == Cohort.Status.DRAFT
    assert len(sessions) == 10
    assert all(
        b.starts_at - a.starts_at == datetime.timedelta(weeks=1)
        for a, b in zip(sessions, sessions[1:], strict=False)
    )
    assert sessions[0].ends_at - sessions[0].starts_at == datetime.timedelta(minutes=90)


def test_a_cohort_cannot_start_in_the_past(world):
    with pytest.raises(DomainError) as error:
        make_cohort(world, days_ahead=-3)
    assert error.value.field == "starts_on"


def test_facilitators_must_hold_a_current_facilitator_role(world):
    with pytest.raises(DomainError) as error:
        make_cohort(world, facilitators=[world.sam])
    assert error.value.field == "facilitators"


def test_a_cohort_without_a_current_facilitator_cannot_open(world):
    cohort = make_cohort(world, opened=False, facilitators=[])
    with pytest.raises(DomainError, match="facilitator whose training is current"):
        services.open_cohort(coordinator=world.cora, cohort=cohort)


def test_a_facilitator_whose_training_lapsed_does_not_count(world):
    cohort = make_cohort(world, opened=False)
    RoleGrant.objects.filter(membership__user=world.fay).update(
        trained_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    with pytest.raises(DomainError):
        services.open_cohort(coordinator=world.cora, cohort=cohort)


def test_opening_tells_the_facilitators(world):
    cohort = make_cohort(world)
    assert cohort.status == Cohort.Status.OPEN
    assert Notification.objects.filter(user=world.fay, text__contains="is open").exists()


def test_accredited_facilitators_are_marked(world):
    cohort = make_cohort(world, opened=False)
    services.update_cohort(
        coordinator=world.cora,
        cohort=cohort,
        facilitators=[world.fay],
        accredited=[world.fay.pk],
        **cohort_fields(cohort),
    )
    assert selectors.facilitators_of(cohort)[0].accredited


def test_moving_a_running_cohort_keeps_held_sessions_tells_people_and_updates_calendars(world):
    cohort = make_cohort(world)
    place = join(world.alice, cohort)
    held = hold(cohort, 2)
    before = [s.starts_at for s in held]
    new_day = (cohort.weekday + 2) % 7
    changed = services.update_cohort(
        coordinator=world.cora,
        cohort=cohort,
        facilitators=[world.fay],
        **cohort_fields(cohort, weekday=new_day, start_time=datetime.time(12, 0)),
    )
    assert changed
    cohort.refresh_from_db()
    after = list(selectors.sessions_of(cohort))
    assert [s.starts_at for s in after[:2]] == before[:2]
    zone = selectors.zone_of(cohort)
    assert {s.starts_at.astimezone(zone).weekday() for s in after[2:]} == {new_day}
    assert {s.starts_at.astimezone(zone).time() for s in after[2:]} == {datetime.time(12, 0)}
    assert cohort.schedule_version == 1
    note = Notification.objects.get(user=place.user, text__contains="have changed")
    assert note.url == f"/groups/cohorts/{cohort.pk}/"
    assert Notification.objects.filter(user=world.fay, text__contains="have changed").exists()
    ics = icalendar.Calendar.from_ical(calendar.cohort_file(cohort, list(cohort.sessions.all())))
    events = ics.walk("VEVENT")
    assert {int(e["SEQUENCE"]) for e in events} == {1}
    assert events[0]["UID"] == f"group-{cohort.pk}-session-1.kindred"


def test_fewer_sessions_cancels_the_last_ones_in_the_calendar(world):
    cohort = make_cohort(world)
    services.update_cohort(
        coordinator=world.cora,
        cohort=cohort,
        facilitators=[world.fay],
        **cohort_fields(cohort, session_count=8),
    )
    assert selectors.sessions_of(cohort).count() == 8
    dropped = Session.objects.filter(cohort=cohort, cancelled_at__isnull=False)
    assert sorted(dropped.values_list("number", flat=True)) == [9, 10]
    ics = icalendar.Calendar.from_ical(calendar.cohort_file(cohort, list(cohort.sessions.all())))
    statuses = {str(e["UID"]): str(e["STATUS"]) for e in ics.walk("VEVENT")}
    assert statuses[f"group-{cohort.pk}-session-10.kindred"] == "CANCELLED"


def test_it_refuses_fewer_sessions_than_were_held(world):
    cohort = make_cohort(world)
    hold(cohort, 3)
    with pytest.raises(DomainError) as error:
        services.update_cohort(
            coordinator=world.cora,
            cohort=cohort,
            facilitators=[world.fay],
            **cohort_fields(cohort, session_count=2, start_time=datetime.time(9, 0)),
        )
    assert error.value.field == "session_count"


def test_an_open_cohort_keeps_at_least_one_facilitator(world):
    cohort = make_cohort(world)
    with pytest.raises(DomainError) as error:
        services.update_cohort(
            coordinator=world.cora, cohort=cohort, facilitators=[], **cohort_fields(cohort)
        )
    assert error.value.field == "facilitators"


def test_in_person_needs_a_room(world):
    with pytest.raises(DomainError) as error:
        make_cohort(world, format="in_person", location="")
    assert error.value.field == "location"


def test_changing_the_agreement_asks_people_to_agree_again(world, cohort):
    place = join(world.alice, cohort)
    programme = cohort.programme
    services.save_programme(
        coordinator=world.cora,
        organisation=world.school,
        programme=programme,
        title=programme.title,
        kind=programme.kind,
        audience=programme.audience,
        description=programme.description,
        joining=programme.joining,
        agreement=programme.agreement + "\n- Phones away.",
    )
    programme.refresh_from_db()
    assert programme.agreement_version == 2
    place.refresh_from_db()
    assert place.agreed_version == 1
    assert Notification.objects.filter(user=world.alice, text__contains="agreement").exists()
    session = selectors.sessions_of(cohort).first()
    with pytest.raises(DomainError, match="agreement"):
        services.suggest_topic(participant=world.alice, session=session, text="Rotas")
    services.accept_agreement(member=world.alice, participation=place)
    services.suggest_topic(participant=world.alice, session=session, text="Rotas")


def test_a_draft_whose_dates_passed_is_moved_whole(world):
    cohort = make_cohort(world, opened=False)
    hold(cohort, 2)  # its dates slipped by while it waited to open
    new_start = timezone.localdate() + datetime.timedelta(days=14)
    services.update_cohort(
        coordinator=world.cora,
        cohort=cohort,
        facilitators=[world.fay],
        **cohort_fields(cohort, starts_on=new_start, weekday=new_start.weekday()),
    )
    first = selectors.sessions_of(cohort).first()
    assert first.starts_at.astimezone(selectors.zone_of(cohort)).date() == new_start
    services.open_cohort(coordinator=world.cora, cohort=cohort)
