"""Joining: a place while there is room, the waiting list when full, applications where the
programme asks for them, a warning for overlapping groups, and leaving that frees a place."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from kindred.core.errors import DomainError
from kindred.groups import selectors, services
from kindred.groups.models import Participation, Programme
from kindred.notifications.models import Notification
from tests.groups.builders import (
    cohort_fields,
    fill,
    hold,
    join,
    make_cohort,
    make_programme,
    person,
)

S = Participation.Status


def test_a_member_joins_while_there_is_room(world, cohort):
    result = services.join_cohort(member=world.alice, cohort=cohort, agree=True)
    assert result.participation.status == S.JOINED
    assert result.clashes == []
    assert Notification.objects.filter(
        user=world.alice, text__startswith="You have a place"
    ).exists()
    assert Notification.objects.filter(user=world.fay, text__startswith="Someone joined").exists()


def test_joining_a_full_cohort_puts_you_on_the_waiting_list_and_says_so(world):
    cohort = make_cohort(world, capacity=2)
    fill(cohort, world.school, 2)
    place = join(world.alice, cohort)
    assert place.status == S.WAITLISTED
    note = Notification.objects.get(user=world.alice)
    assert "full, so you are on its waiting list" in note.text


def test_nobody_jumps_the_waiting_list(world):
    cohort = make_cohort(world, capacity=2)
    first, second = fill(cohort, world.school, 2)
    waiting = join(world.bob, cohort)
    services.leave_cohort(member=first.user, participation=first)
    waiting.refresh_from_db()
    assert waiting.status == S.OFFERED
    late = join(world.alice, cohort)
    assert late.status == S.WAITLISTED


def test_it_refuses_a_second_place_with_409_material(world, cohort):
    join(world.alice, cohort)
    with pytest.raises(services.AlreadyIn, match="already have a place"):
        join(world.alice, cohort)


def test_the_group_agreement_must_be_accepted(world, cohort):
    with pytest.raises(DomainError) as error:
        services.join_cohort(member=world.alice, cohort=cohort, agree=False)
    assert error.value.field == "agree"
    assert not Participation.objects.exists()


def test_joining_records_the_agreement_version(world, cohort):
    place = join(world.alice, cohort)
    assert place.agreed_version == cohort.programme.agreement_version
    assert place.agreed_at is not None


def test_another_organisations_member_cannot_join(world, cohort):
    with pytest.raises(DomainError, match="organisations that run it"):
        join(world.olga, cohort)


def test_a_co_hosts_member_can_join(world):
    from kindred.accounts.models import Partnership

    Partnership.objects.create(from_organisation=world.school, to_organisation=world.other_school)
    cohort = make_cohort(world, make_programme(world, co_hosts=[world.other_school]))
    assert join(world.olga, cohort).status == S.JOINED


def test_a_facilitator_cannot_join_their_own_group(world, cohort):
    with pytest.raises(DomainError, match="facilitate"):
        join(world.fay, cohort)


def test_joining_two_overlapping_cohorts_warns(world):
    first = make_cohort(world, name="Tuesdays")
    second = make_cohort(world, make_programme(world, title="Writing"), name="Also Tuesdays")
    join(world.alice, first)
    result = services.join_cohort(member=world.alice, cohort=second, agree=True)
    assert result.participation.status == S.JOINED
    assert [c.cohort.pk for c in result.clashes] == [first.pk]


def test_cohorts_at_different_times_do_not_warn(world):
    first = make_cohort(world)
    other = make_cohort(world, make_programme(world, title="Lunch"), at=datetime.time(12))
    join(world.alice, first)
    assert services.join_cohort(member=world.alice, cohort=other, agree=True).clashes == []


def test_a_draft_cohort_cannot_be_joined(world):
    cohort = make_cohort(world, opened=False)
    with pytest.raises(DomainError, match="not taking new people"):
        join(world.alice, cohort)


def test_newcomers_may_join_until_two_sessions_have_been_held(world, cohort):
    hold(cohort, 2)
    join(world.alice, cohort)
    hold(cohort, 3)
    with pytest.raises(DomainError, match="not taking new people"):
        join(world.bob, cohort)


# --- applications


@pytest.fixture
def applying(world):
    return make_cohort(world, make_programme(world, joining=Programme.Joining.APPLY))


def test_an_application_waits_for_a_facilitator(world, applying):
    place = join(world.alice, applying, hopes="To feel less alone", access_needs="Captions")
    assert place.status == S.APPLIED
    assert Notification.objects.filter(user=world.fay, text__startswith="Someone applied").exists()
    place.refresh_from_db()
    assert place.hopes == "To feel less alone"


def test_a_facilitator_offers_a_place_to_an_applicant(world, applying):
    place = join(world.alice, applying)
    answered = services.answer_application(facilitator=world.fay, participation=place, accept=True)
    assert answered.status == S.JOINED


def test_an_accepted_applicant_waits_when_the_group_is_full(world):
    cohort = make_cohort(world, make_programme(world, joining="apply"), capacity=2)
    for p in fill(cohort, world.school, 2):
        services.answer_application(facilitator=world.fay, participation=p, accept=True)
    place = join(world.alice, cohort)
    answered = services.answer_application(facilitator=world.fay, participation=place, accept=True)
    assert answered.status == S.WAITLISTED


def test_a_declined_applicant_is_told_kindly(world, applying):
    place = join(world.alice, applying)
    services.answer_application(facilitator=world.fay, participation=place, accept=False)
    place.refresh_from_db()
    assert place.status == S.DECLINED
    assert Notification.objects.filter(user=world.alice, text__contains="cannot offer").exists()


def test_only_the_groups_facilitator_answers_applications(world, applying):
    other = person(world.school, "felix", role="facilitator")
    place = join(world.alice, applying)
    with pytest.raises(PermissionDenied):
        services.answer_application(facilitator=other, participation=place, accept=True)


# --- leaving and offers


def test_leaving_offers_the_place_to_the_first_person_waiting(world):
    cohort = make_cohort(world, capacity=2)
    first, _second = fill(cohort, world.school, 2)
    waiting_bob = join(world.bob, cohort)
    waiting_alice = join(world.alice, cohort)
    services.leave_cohort(member=first.user, participation=first)
    waiting_bob.refresh_from_db()
    waiting_alice.refresh_from_db()
    assert waiting_bob.status == S.OFFERED
    assert waiting_alice.status == S.WAITLISTED
    assert Notification.objects.filter(user=world.bob, text__contains="within 48 hours").exists()


def test_accepting_an_offer_gives_the_place(world):
    cohort = make_cohort(world, capacity=2)
    first, _ = fill(cohort, world.school, 2)
    waiting = join(world.bob, cohort)
    services.leave_cohort(member=first.user, participation=first)
    waiting.refresh_from_db()
    services.answer_offer(member=world.bob, participation=waiting, accept=True)
    waiting.refresh_from_db()
    assert waiting.status == S.JOINED
    assert selectors.places(cohort).joined == 2


def test_declining_an_offer_passes_it_on(world):
    cohort = make_cohort(world, capacity=2)
    first, _ = fill(cohort, world.school, 2)
    bob, alice = join(world.bob, cohort), join(world.alice, cohort)
    services.leave_cohort(member=first.user, participation=first)
    bob.refresh_from_db()
    services.answer_offer(member=world.bob, participation=bob, accept=False)
    bob.refresh_from_db()
    alice.refresh_from_db()
    assert bob.status == S.OFFER_LAPSED
    assert alice.status == S.OFFERED


def test_nobody_else_answers_your_offer(world):
    cohort = make_cohort(world, capacity=2)
    first, _ = fill(cohort, world.school, 2)
    bob = join(world.bob, cohort)
    services.leave_cohort(member=first.user, participation=first)
    bob.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.answer_offer(member=world.alice, participation=bob, accept=True)


def test_leaving_the_waiting_list_frees_nothing(world):
    cohort = make_cohort(world, capacity=2)
    fill(cohort, world.school, 2)
    bob = join(world.bob, cohort)
    alice = join(world.alice, cohort)
    services.leave_cohort(member=world.bob, participation=bob)
    alice.refresh_from_db()
    assert alice.status == S.WAITLISTED


def test_more_places_are_offered_to_the_waiting_list(world):
    cohort = make_cohort(world, capacity=2)
    fill(cohort, world.school, 2)
    bob = join(world.bob, cohort)
    services.update_cohort(
        coordinator=world.cora,
        cohort=cohort,
        facilitators=[world.fay],
        **cohort_fields(cohort, capacity=3),
    )
    bob.refresh_from_db()
    assert bob.status == S.OFFERED


def test_you_can_join_again_after_leaving(world, cohort):
    place = join(world.alice, cohort)
    services.leave_cohort(member=world.alice, participation=place)
    assert join(world.alice, cohort).status == S.JOINED
