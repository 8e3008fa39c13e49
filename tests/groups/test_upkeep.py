"""Background work, with time frozen (by passing `now`, and once by freezing the clock the task
reads): a waiting-list offer is held for 48 hours, then passes to the next person; reminders go
once; waiting lists close; groups finish."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from kindred.core.errors import DomainError
from kindred.groups import selectors, services, tasks
from kindred.groups.models import Cohort, Participation
from kindred.notifications.models import Notification
from tests.groups.builders import fill, hold, join, make_cohort

S = Participation.Status
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def full(world):
    """A full group of two with Bob, then Alice, waiting."""
    cohort = make_cohort(world, capacity=2)
    first, second = fill(cohort, world.school, 2)
    return cohort, first, join(world.bob, cohort), join(world.alice, cohort)


def _leave_at(place, now):
    services.leave_cohort(member=place.user, participation=place, now=now)


def test_an_offer_is_held_for_48_hours(world, full):
    cohort, first, bob, alice = full
    now = timezone.now()
    _leave_at(first, now)
    bob.refresh_from_db()
    assert bob.offer_expires_at == now + 48 * HOUR
    assert services.expire_overdue_offers(now=now + 47 * HOUR) == 0
    bob.refresh_from_db()
    assert bob.status == S.OFFERED


def test_an_expired_offer_goes_to_the_next_person(world, full):
    cohort, first, bob, alice = full
    now = timezone.now()
    _leave_at(first, now)
    later = now + 48 * HOUR
    assert services.expire_overdue_offers(now=later) == 1
    bob.refresh_from_db()
    alice.refresh_from_db()
    assert bob.status == S.OFFER_LAPSED
    assert alice.status == S.OFFERED
    assert alice.offer_expires_at == later + 48 * HOUR
    assert Notification.objects.filter(
        user=world.bob, text__contains="has gone to the next"
    ).exists()
    assert Notification.objects.filter(
        user=world.alice, text__contains="A place has come up"
    ).exists()


def test_accepting_after_the_deadline_is_refused(world, full):
    cohort, first, bob, _alice = full
    now = timezone.now()
    _leave_at(first, now)
    bob.refresh_from_db()
    with pytest.raises(DomainError, match="has passed"):
        services.answer_offer(member=world.bob, participation=bob, accept=True, now=now + 49 * HOUR)


def test_expiring_twice_changes_nothing(world, full):
    cohort, first, bob, alice = full
    now = timezone.now()
    _leave_at(first, now)
    assert services.expire_overdue_offers(now=now + 49 * HOUR) == 1
    assert services.expire_overdue_offers(now=now + 49 * HOUR) == 0
    alice.refresh_from_db()
    assert alice.status == S.OFFERED


def test_with_nobody_left_waiting_the_place_stays_free(world, full):
    cohort, first, bob, alice = full
    now = timezone.now()
    _leave_at(first, now)
    services.expire_overdue_offers(now=now + 49 * HOUR)
    services.expire_overdue_offers(now=now + 98 * HOUR)
    assert selectors.places(cohort).free == 1
    assert join(world.sam, cohort, now=now + 99 * HOUR).status == S.JOINED


def test_the_task_catches_up_free_places(world, full):
    cohort, first, bob, _alice = full
    # A place freed without an offer (e.g. by an operator in the admin).
    Participation.objects.filter(pk=first.pk).update(status=S.LEFT)
    assert services.offer_all_free_places() == 1
    bob.refresh_from_db()
    assert bob.status == S.OFFERED


def test_no_offers_once_the_group_stops_taking_newcomers(world, full):
    cohort, first, bob, alice = full
    hold(cohort, 3)
    _leave_at(first, timezone.now())
    bob.refresh_from_db()
    assert bob.status == S.WAITLISTED
    assert services.close_waiting_lists() == 2
    bob.refresh_from_db()
    assert bob.status == S.CLOSED
    assert Notification.objects.filter(
        user=world.bob, text__contains="waiting list has closed"
    ).exists()


def test_reminders_go_the_day_before_and_only_once(world, cohort):
    join(world.alice, cohort)
    first = selectors.sessions_of(cohort).first()
    assert services.send_session_reminders(now=first.starts_at - 25 * HOUR) == 0
    assert services.send_session_reminders(now=first.starts_at - 23 * HOUR) == 1
    assert services.send_session_reminders(now=first.starts_at - 22 * HOUR) == 0
    reminded = set(
        Notification.objects.filter(text__startswith="Reminder").values_list("user", flat=True)
    )
    assert reminded == {world.alice.pk, world.fay.pk}


def test_moving_a_session_reminds_again(world, cohort):
    from tests.groups.builders import cohort_fields

    first = selectors.sessions_of(cohort).first()
    services.send_session_reminders(now=first.starts_at - 23 * HOUR)
    services.update_cohort(
        coordinator=world.cora,
        cohort=cohort,
        facilitators=[world.fay],
        **cohort_fields(cohort, start_time=datetime.time(19, 30)),
    )
    first.refresh_from_db()
    assert first.reminded_at is None


def test_a_group_finishes_after_its_last_session(world, cohort):
    last = selectors.sessions_of(cohort).last()
    assert services.finish_cohorts(now=last.ends_at - HOUR) == 0
    assert services.finish_cohorts(now=last.ends_at + HOUR) == 1
    cohort.refresh_from_db()
    assert cohort.status == Cohort.Status.FINISHED


def test_the_upkeep_task_and_command_run_everything(world, full):
    cohort, first, bob, _alice = full
    Participation.objects.filter(pk=first.pk).update(status=S.LEFT)
    result = tasks.groups_upkeep.call()
    assert result["places_offered"] == 1
    out = io.StringIO()
    call_command("groups_upkeep", stdout=out)
    assert "offers expired: 0" in out.getvalue()


def test_the_background_task_passes_an_offer_on_when_the_clock_reaches_48_hours(
    world, full, monkeypatch
):
    """The task as the worker runs it, reading the clock itself, with the clock frozen."""
    cohort, first, bob, alice = full
    start = timezone.now()
    _leave_at(first, start)
    monkeypatch.setattr(timezone, "now", lambda: start + 47 * HOUR)
    tasks.groups_upkeep.call()
    bob.refresh_from_db()
    assert bob.status == S.OFFERED
    monkeypatch.setattr(timezone, "now", lambda: start + 48 * HOUR + datetime.timedelta(seconds=1))
    tasks.groups_upkeep.call()
    bob.refresh_from_db()
    alice.refresh_from_db()
    assert bob.status == S.OFFER_LAPSED
    assert alice.status == S.OFFERED
