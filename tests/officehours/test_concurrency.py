"""No double booking, ever: 50 people try for one slot at the same moment, and one gets it.

Runs on SQLite (`make test`, a real file with the production options) and PostgreSQL
(`make test-postgres`, with `select_for_update`), with a partial unique index behind both.
"""

import datetime

import pytest
from django.db import connection

from kindred.officehours import services
from kindred.officehours.models import Booking
from tests.factories import MembershipFactory, UserFactory
from tests.officehours.builders import make_slot
from tests.officehours.concurrency import run_at_once, shared_database

pytestmark = pytest.mark.django_db(transaction=True)
ATTEMPTS = 50


def test_fifty_people_booking_one_slot_at_once_gives_it_to_exactly_one(world, tmp_path):
    slot = make_slot(world.sam, world.school, starts_in=datetime.timedelta(hours=2))
    later = [
        make_slot(world.sam, world.school, starts_in=datetime.timedelta(hours=3 + i))
        for i in range(6)
    ]
    members = [
        MembershipFactory(
            user=UserFactory(email=f"rush{i}@example.org", display_name=f"Rush {i}"),
            organisation=world.school,
        ).user
        for i in range(ATTEMPTS)
    ]

    with shared_database(tmp_path):
        results = run_at_once(
            lambda i: services.book_slot(member=members[i], slot_id=slot.pk), ATTEMPTS
        )
        won = [r for r in results if isinstance(r, Booking)]
        taken = [r for r in results if isinstance(r, services.SlotTaken)]
        other = [r for r in results if r not in won and r not in taken]
        stored = list(Booking.objects.filter(slot_id=slot.pk).values_list("member_id", flat=True))

    assert other == [], f"unexpected results on {connection.vendor}: {other[:3]}"
    assert len(won) == 1
    assert len(taken) == ATTEMPTS - 1
    assert stored == [won[0].member_id]
    for refusal in taken:
        assert refusal.message == "This slot has just been taken. Here are the next free times."
        assert [s.pk for s in refusal.next_free] == [s.pk for s in later[:5]]


def test_the_database_itself_refuses_a_second_live_booking_for_a_slot(world):
    from django.db import IntegrityError, transaction

    slot = make_slot(world.sam, world.school)
    Booking.objects.create(slot=slot, member=world.alice, organisation=world.school)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(slot=slot, member=world.bob, organisation=world.school)
    Booking.objects.filter(slot=slot).update(status="cancelled")
    Booking.objects.create(slot=slot, member=world.bob, organisation=world.school)
