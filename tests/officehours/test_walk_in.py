"""The walk-in queue: join, see your place and an honest wait, leave in one tap, get called."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from kindred.core.errors import DomainError
from kindred.notifications.models import Notification
from kindred.officehours import selectors, services
from kindred.officehours.models import QueueEntry
from kindred.support.models import Conversation
from tests.conftest import sign_in
from tests.factories import MembershipFactory, UserFactory
from tests.officehours.builders import make_walk_in

MINUTE = datetime.timedelta(minutes=1)


def _member(world, name):
    return MembershipFactory(
        user=UserFactory(email=f"{name}@example.org", display_name=name.title()),
        organisation=world.school,
    ).user


def test_members_queue_in_the_order_they_join_with_a_wait_for_each(world):
    block = make_walk_in(world.sam, world.school, per_person_minutes=15)
    for member in (world.alice, world.bob):
        services.join_queue(member=member, block=block)
    alice, bob = selectors.queue_place(block, world.alice), selectors.queue_place(block, world.bob)
    assert (alice.position, alice.ahead, alice.estimate_minutes) == (1, 0, 0)
    assert (bob.position, bob.ahead, bob.estimate_minutes) == (2, 1, 15)
    assert bob.waiting == 2 and not bob.may_run_out


def test_the_wait_warns_when_the_block_may_end_first(world):
    block = make_walk_in(world.sam, world.school, started_ago=60, minutes=80, per_person_minutes=15)
    people = [_member(world, f"person{i}") for i in range(3)]
    for person in people:
        services.join_queue(member=person, block=block)
    assert selectors.queue_place(block, people[2]).may_run_out


def test_joining_twice_keeps_one_place_and_one_queue_at_a_time(world):
    block = make_walk_in(world.sam, world.school)
    first = services.join_queue(member=world.alice, block=block)
    assert services.join_queue(member=world.alice, block=block) == first
    from tests.factories import RoleGrantFactory

    RoleGrantFactory(membership=world.fay.memberships.get(), role="supporter")
    other = make_walk_in(world.fay, world.school)
    with pytest.raises(DomainError, match="already in another queue"):
        services.join_queue(member=world.alice, block=other)


def test_a_place_in_a_block_that_ended_does_not_stop_joining_another(world):
    ended = make_walk_in(world.sam, world.school, started_ago=120, minutes=130)
    services.join_queue(member=world.alice, block=ended)
    QueueEntry.objects.update(joined_at=timezone.now() - 30 * MINUTE)
    from kindred.officehours.models import Slot

    Slot.objects.filter(pk=ended.pk).update(ends_at=timezone.now() - MINUTE)
    fresh = make_walk_in(world.sam, world.school, started_ago=0)
    services.join_queue(member=world.alice, block=fresh)
    assert QueueEntry.objects.get(slot=ended).status == "ended"


@pytest.mark.parametrize(
    ("block_fields", "message"),
    [
        ({"started_ago": -60}, "The queue opens at"),
        ({"started_ago": 100, "minutes": 90}, "has ended"),
        ({"status": "cancelled"}, "has been cancelled"),
    ],
)
def test_joining_outside_the_block_is_refused_with_the_reason(world, block_fields, message):
    block = make_walk_in(world.sam, world.school, **block_fields)
    with pytest.raises(DomainError, match=message):
        services.join_queue(member=world.alice, block=block)


def test_another_organisations_member_cannot_join(world):
    block = make_walk_in(world.sam, world.school)
    with pytest.raises(DomainError, match="not in your organisation"):
        services.join_queue(member=world.olga, block=block)


def test_leaving_is_one_step_and_moves_everyone_up(world):
    block = make_walk_in(world.sam, world.school)
    services.join_queue(member=world.alice, block=block)
    services.join_queue(member=world.bob, block=block)
    assert services.leave_queue(member=world.alice, block=block)
    assert selectors.queue_place(block, world.bob).position == 1
    assert selectors.queue_place(block, world.alice).entry.status == "left"


def test_calling_the_next_person_in_person_shows_them_the_room(world):
    block = make_walk_in(world.sam, world.school, location="Room 3, Student Centre")
    services.join_queue(member=world.alice, block=block)
    services.join_queue(member=world.bob, block=block)
    called = services.call_next(supporter=world.sam, block=block)
    assert called.member == world.alice and called.conversation is None
    assert selectors.queue_place(block, world.alice).is_called
    assert selectors.queue_place(block, world.bob).position == 1
    assert "your turn" in Notification.objects.get(user=world.alice).text


def test_calling_the_next_person_for_a_video_block_opens_a_conversation(world):
    block = make_walk_in(
        world.sam, world.school, format="video", location="", video_link="https://meet.example/x"
    )
    services.join_queue(member=world.alice, block=block)
    called = services.call_next(supporter=world.sam, block=block)
    conversation = Conversation.objects.get()
    assert called.conversation == conversation
    assert (conversation.member, conversation.supporter, conversation.status) == (
        world.alice,
        world.sam,
        "open",
    )
    assert conversation.request.status == "matched"


def test_only_the_blocks_supporter_calls_and_an_empty_queue_calls_nobody(world):
    block = make_walk_in(world.sam, world.school)
    assert services.call_next(supporter=world.sam, block=block) is None
    services.join_queue(member=world.alice, block=block)
    with pytest.raises(DomainError, match="Only the supporter"):
        services.call_next(supporter=world.bob, block=block)


def test_ended_queues_are_closed_by_upkeep(world):
    block = make_walk_in(world.sam, world.school)
    services.join_queue(member=world.alice, block=block)
    assert services.close_ended_queues(now=block.ends_at + MINUTE) == 1
    assert QueueEntry.objects.get().status == "ended"


# --- pages


def test_a_member_joins_sees_their_place_and_leaves_on_the_page(client, world):
    block = make_walk_in(world.sam, world.school)
    services.join_queue(member=world.bob, block=block)
    sign_in(client, world.alice)
    page = client.get(reverse("walk_in", args=[block.pk])).content.decode()
    assert "1 person is waiting now" in page
    client.post(reverse("join_queue", args=[block.pk]))
    place = client.get(reverse("queue_place", args=[block.pk])).content.decode()
    assert "You are number <strong>2</strong>" in place
    assert "1 person is ahead of you" in place
    response = client.post(reverse("leave_queue", args=[block.pk]))
    assert response["Location"] == reverse("office_hours")
    assert QueueEntry.objects.get(member=world.alice).status == "left"


def test_a_called_member_sees_the_room_on_the_page(client, world):
    block = make_walk_in(world.sam, world.school, location="Room 3, Student Centre")
    services.join_queue(member=world.alice, block=block)
    services.call_next(supporter=world.sam, block=block)
    sign_in(client, world.alice)
    html = client.get(reverse("queue_place", args=[block.pk])).content.decode()
    assert "It is your turn" in html and "Room 3, Student Centre" in html


def test_the_supporter_runs_the_queue_and_a_video_call_opens_the_conversation(client, world):
    block = make_walk_in(
        world.sam, world.school, format="video", location="", video_link="https://meet.example/x"
    )
    services.join_queue(member=world.alice, block=block)
    sign_in(client, world.sam)
    page = client.get(reverse("run_queue", args=[world.school.slug, block.pk])).content.decode()
    assert "Alice" in page and "1</strong> person waiting" in page
    response = client.post(reverse("call_next", args=[world.school.slug, block.pk]))
    assert response["Location"] == reverse("conversation", args=[Conversation.objects.get().pk])


def test_a_supporter_cannot_run_someone_elses_queue(client, world):
    from tests.factories import RoleGrantFactory

    RoleGrantFactory(membership=world.fay.memberships.get(), role="supporter")
    block = make_walk_in(world.sam, world.school)
    sign_in(client, world.fay)
    assert client.get(reverse("run_queue", args=[world.school.slug, block.pk])).status_code == 404
    assert client.post(reverse("call_next", args=[world.school.slug, block.pk])).status_code == 404


def test_the_queue_pages_cost_a_bounded_number_of_queries(
    client, world, django_assert_max_num_queries
):
    block = make_walk_in(world.sam, world.school)
    for i in range(12):
        services.join_queue(member=_member(world, f"walker{i}"), block=block)
    sign_in(client, world.sam)
    with django_assert_max_num_queries(14):
        client.get(reverse("run_queue", args=[world.school.slug, block.pk]))
    sign_in(client, world.alice)
    with django_assert_max_num_queries(14):
        client.get(reverse("walk_in", args=[block.pk]))
