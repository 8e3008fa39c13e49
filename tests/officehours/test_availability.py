"""Supporters publish weekly times, extra sessions and time off; slots follow."""

import datetime

import pytest
from django.urls import reverse

from kindred.accounts.models import RoleGrant
from kindred.core.errors import DomainError
from kindred.notifications.models import Notification
from kindred.officehours import selectors, services
from kindred.officehours.models import AvailabilityRule, Slot
from tests.conftest import sign_in
from tests.factories import OrganisationFactory, make_profile
from tests.officehours.builders import add_rule, make_booking

T = datetime.time


def _tomorrow(world):
    return selectors.local_today(world.school) + datetime.timedelta(days=1)


def _open(profile_user):
    return Slot.objects.filter(supporter=profile_user, status="open").order_by("starts_at")


def test_weekly_availability_makes_slots_for_the_next_four_weeks(world):
    tomorrow = _tomorrow(world)
    add_rule(world.sam, world.school, weekday=tomorrow.weekday())
    slots = list(_open(world.sam))
    assert len(slots) == 4 * 4  # four 30-minute slots a week, four weeks ahead
    first = slots[0].starts_at.astimezone(selectors.zone_of(world.school))
    assert (first.date(), first.time()) == (tomorrow, T(10, 0))
    assert {s.format for s in slots} == {"video"}


def test_an_overlapping_time_is_refused_with_the_overlap_named(world):
    add_rule(world.sam, world.school, weekday=0, start_time=T(10, 0), end_time=T(12, 0))
    with pytest.raises(DomainError) as refused:
        add_rule(world.sam, world.school, weekday=0, start_time=T(11, 30), end_time=T(13, 0))
    assert "overlaps your bookable time on Mondays 10:00–12:00" in refused.value.message
    assert refused.value.field == "start_time"
    assert AvailabilityRule.objects.count() == 1


def test_an_extra_session_on_top_of_a_weekly_walk_in_block_is_refused(world):
    tomorrow = _tomorrow(world)
    add_rule(
        world.sam,
        world.school,
        weekday=tomorrow.weekday(),
        start_time=T(12, 30),
        end_time=T(14, 0),
        walk_in=True,
        format="in_person",
        location="Room 3",
    )
    with pytest.raises(DomainError, match="overlaps your walk-in block"):
        add_rule(
            world.sam,
            world.school,
            repeats="once",
            date=tomorrow,
            start_time=T(13, 0),
            end_time=T(15, 0),
        )


def test_another_supporters_times_never_count_as_an_overlap(world):
    from tests.factories import RoleGrantFactory

    fay_membership = world.fay.memberships.get()
    RoleGrantFactory(membership=fay_membership, role="supporter")
    add_rule(world.sam, world.school, weekday=0)
    add_rule(world.fay, world.school, weekday=0)
    assert AvailabilityRule.objects.count() == 2


@pytest.mark.parametrize(
    ("place", "field"),
    [
        ({"format": "in_person", "location": " "}, "location"),
        ({"format": "video", "video_link": "http://meet.example.org/x"}, "video_link"),
        ({"format": "phone", "phone_number": ""}, "phone_number"),
    ],
)
def test_each_format_needs_its_place(world, place, field):
    with pytest.raises(DomainError) as refused:
        add_rule(world.sam, world.school, **place)
    assert refused.value.field == field


def test_only_the_place_in_use_is_kept(world):
    rule = add_rule(
        world.sam,
        world.school,
        format="in_person",
        location="Room 3",
        video_link="https://meet.example.org/old",
        phone_number="0161 496 0000",
    )
    assert (rule.location, rule.video_link, rule.phone_number) == ("Room 3", "", "")


def test_a_supporter_whose_training_lapsed_cannot_publish(world):
    RoleGrant.objects.filter(membership__user=world.sam).update(
        trained_until=datetime.date(2020, 1, 1)
    )
    with pytest.raises(DomainError, match="current training"):
        add_rule(world.sam, world.school)


def test_changing_a_time_moves_free_slots_and_keeps_booked_ones_as_they_were(world):
    tomorrow = _tomorrow(world)
    rule = add_rule(world.sam, world.school, weekday=tomorrow.weekday())
    booked = _open(world.sam)[1]  # 10:30 tomorrow
    make_booking(world.alice, booked)
    services.save_rule(
        supporter=world.sam,
        organisation=world.school,
        rule=rule,
        start_time=T(14, 0),
        end_time=T(15, 0),
    )
    zone = selectors.zone_of(world.school)
    tomorrows = [
        s.starts_at.astimezone(zone).time()
        for s in _open(world.sam)
        if s.starts_at.astimezone(zone).date() == tomorrow
    ]
    assert tomorrows == [T(10, 30), T(14, 0), T(14, 30)]
    booked.refresh_from_db()
    assert (booked.status, booked.format) == ("open", "video")
    assert not Notification.objects.filter(user=world.alice).exists()


def test_changing_the_place_of_a_booked_time_tells_the_member(world):
    rule = add_rule(world.sam, world.school, weekday=_tomorrow(world).weekday())
    booked = _open(world.sam).first()
    make_booking(world.alice, booked)
    services.save_rule(
        supporter=world.sam,
        organisation=world.school,
        rule=rule,
        format="in_person",
        location="Room 3",
    )
    booked.refresh_from_db()
    assert (booked.format, booked.location, booked.video_link) == ("in_person", "Room 3", "")
    told = Notification.objects.get(user=world.alice)
    assert "place for your session" in told.text


def test_removing_a_time_keeps_its_booked_slots(world):
    rule = add_rule(world.sam, world.school, weekday=_tomorrow(world).weekday())
    booked = _open(world.sam).first()
    make_booking(world.alice, booked)
    kept = services.delete_rule(supporter=world.sam, rule=rule)
    assert kept == 1
    assert list(_open(world.sam)) == [booked]


def test_time_off_closes_slots_and_removing_it_opens_them_again(world):
    tomorrow = _tomorrow(world)
    add_rule(world.sam, world.school, weekday=tomorrow.weekday())
    time_off = services.add_time_off(
        supporter=world.sam, organisation=world.school, first_day=tomorrow, label="holiday"
    )
    assert _open(world.sam).count() == 12
    assert Slot.objects.filter(status="cancelled", cancelled_by="schedule").count() == 4
    services.delete_time_off(supporter=world.sam, time_off=time_off)
    assert _open(world.sam).count() == 16


def test_time_off_over_a_booking_is_refused_with_the_booking_named(world):
    tomorrow = _tomorrow(world)
    add_rule(world.sam, world.school, weekday=tomorrow.weekday())
    make_booking(world.alice, _open(world.sam).first())
    with pytest.raises(DomainError) as refused:
        services.add_time_off(
            supporter=world.sam,
            organisation=world.school,
            first_day=tomorrow,
            start_time=T(9, 0),
            end_time=T(11, 0),
        )
    assert "Alice has booked" in refused.value.message
    assert "10:00" in refused.value.message


def test_a_time_the_supporter_cancelled_stays_cancelled_when_slots_are_made_again(world):
    rule = add_rule(world.sam, world.school, weekday=_tomorrow(world).weekday())
    slot = _open(world.sam).first()
    slot.status, slot.cancelled_by = "cancelled", "supporter"
    slot.save()
    services.regenerate_slots(profile=rule.profile)
    slot.refresh_from_db()
    assert slot.status == "cancelled"


def test_times_are_in_the_organisations_own_time_zone(world):
    boston = OrganisationFactory(slug="boston", time_zone="America/New_York")
    from tests.factories import MembershipFactory, RoleGrantFactory

    RoleGrantFactory(membership=MembershipFactory(user=world.sam, organisation=boston))
    make_profile(world.sam, boston)
    add_rule(world.sam, boston, weekday=2, start_time=T(9, 0), end_time=T(9, 30))
    slot = Slot.objects.filter(organisation=boston).first()
    local = slot.starts_at.astimezone(selectors.zone_of(boston))
    assert (local.weekday(), local.time()) == (2, T(9, 0))


# --- pages


def _rule_post(**overrides):
    data = {
        "repeats": "weekly",
        "weekday": "0",
        "date": "",
        "start_time": "10:00",
        "end_time": "12:00",
        "walk_in": "no",
        "slot_minutes": "30",
        "format": "in_person",
        "location": "Room 3, Student Centre",
        "video_link": "",
        "phone_number": "",
        "starts_on": "",
        "ends_on": "",
    }
    data.update(overrides)
    return data


def test_a_supporter_adds_a_time_on_the_page(client, world):
    tomorrow = _tomorrow(world)
    sign_in(client, world.sam)
    response = client.post(
        reverse("new_rule", args=[world.school.slug]),
        _rule_post(weekday=str(tomorrow.weekday())),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("availability", args=[world.school.slug])
    page = client.get(response["Location"])
    assert f"{tomorrow:%A}s 10:00–12:00" in page.content.decode()
    assert Slot.objects.filter(supporter=world.sam).count() == 16


def test_the_form_keeps_what_was_typed_and_names_the_overlap(client, world):
    add_rule(world.sam, world.school, weekday=0)
    sign_in(client, world.sam)
    response = client.post(
        reverse("new_rule", args=[world.school.slug]),
        _rule_post(start_time="11:00", end_time="13:00", location="Room 9"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "overlaps your bookable time on Mondays 10:00–12:00" in html
    assert 'value="Room 9"' in html
    assert 'value="11:00"' in html
    assert 'aria-invalid="true"' in html


def test_a_missing_day_is_explained_next_to_the_field(client, world):
    sign_in(client, world.sam)
    response = client.post(
        reverse("new_rule", args=[world.school.slug]), _rule_post(weekday="", end_time="09:00")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose a day of the week." in html


def test_a_supporter_changes_and_removes_a_time(client, world):
    rule = add_rule(world.sam, world.school, weekday=0)
    sign_in(client, world.sam)
    edit = reverse("edit_rule", args=[world.school.slug, rule.pk])
    assert 'value="10:00"' in client.get(edit).content.decode()
    client.post(edit, _rule_post(start_time="15:00", end_time="16:00"))
    rule.refresh_from_db()
    assert rule.start_time == T(15, 0)
    client.post(reverse("delete_rule", args=[world.school.slug, rule.pk]))
    assert not AvailabilityRule.objects.exists()


def test_nobody_else_can_touch_a_supporters_time(client, world):
    from tests.factories import RoleGrantFactory

    RoleGrantFactory(membership=world.fay.memberships.get(), role="supporter")
    rule = add_rule(world.sam, world.school, weekday=0)
    sign_in(client, world.fay)
    assert client.get(reverse("edit_rule", args=[world.school.slug, rule.pk])).status_code == 404
    client.post(reverse("delete_rule", args=[world.school.slug, rule.pk]))
    assert AvailabilityRule.objects.filter(pk=rule.pk).exists()


def test_a_supporter_takes_time_off_on_the_page(client, world):
    tomorrow = _tomorrow(world)
    add_rule(world.sam, world.school, weekday=tomorrow.weekday())
    sign_in(client, world.sam)
    response = client.post(
        reverse("new_time_off", args=[world.school.slug]),
        {"first_day": tomorrow.isoformat(), "label": "holiday"},
    )
    assert response.status_code == 302
    page = client.get(reverse("availability", args=[world.school.slug])).content.decode()
    assert "(holiday)" in page
    assert _open(world.sam).count() == 12


def test_the_availability_page_costs_a_bounded_number_of_queries(
    client, world, django_assert_max_num_queries
):
    for weekday in range(7):
        add_rule(world.sam, world.school, weekday=weekday)
    sign_in(client, world.sam)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("availability", args=[world.school.slug]))
    assert response.status_code == 200
