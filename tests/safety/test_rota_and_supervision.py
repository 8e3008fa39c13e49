"""The advisor rota (coordinators) and the weekly counts (coordinators and advisors)."""

import datetime

from django.urls import reverse

from kindred.safety import risk, selectors, services
from kindred.safety.models import DutyShift, RiskSignal
from tests.conftest import sign_in
from tests.safety.conftest import on_duty


def test_a_shift_past_midnight_covers_the_next_morning():
    shift = DutyShift(weekday=0, starts=datetime.time(22), ends=datetime.time(6))
    assert shift.covers(0, datetime.time(23))
    assert shift.covers(1, datetime.time(5, 59))
    assert not shift.covers(1, datetime.time(6))
    assert not shift.covers(0, datetime.time(21))
    assert DutyShift(weekday=6, starts=datetime.time(22), ends=datetime.time(6)).covers(
        0, datetime.time(1)
    )
    assert DutyShift(weekday=3, starts=datetime.time(0), ends=datetime.time(0)).covers(
        3, datetime.time(12)
    )


def test_the_rota_page_lists_gaps_until_the_week_is_covered(client, world):
    sign_in(client, world.cora)
    page = client.get(reverse("safety_rota", args=[world.school.slug])).content.decode()
    assert "Monday 00:00 to midnight" in page
    response = client.post(
        reverse("safety_rota", args=[world.school.slug]),
        {
            "advisor": world.ada.pk,
            "weekdays": [str(d) for d in range(7)],
            "starts": "00:00",
            "ends": "00:00",
            "order": 1,
        },
    )
    assert response.status_code == 302
    assert DutyShift.objects.count() == 7
    page = client.get(reverse("safety_rota", args=[world.school.slug])).content.decode()
    assert "Every hour of the week is covered" in page


def test_gaps_are_computed_to_the_minute(world):
    on_duty(world.school, world.ada, starts=datetime.time(9), ends=datetime.time(17), days=[0])
    gaps = [str(g) for g in selectors.rota_gaps(world.school)]
    assert gaps[:2] == ["Monday 00:00 to 09:00", "Monday 17:00 to midnight"]


def test_a_bad_shift_keeps_what_was_typed_and_says_why(client, world):
    sign_in(client, world.cora)
    response = client.post(
        reverse("safety_rota", args=[world.school.slug]),
        {"advisor": world.sam.pk, "starts": "09:00", "ends": "", "order": 1},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert 'value="09:00"' in text
    assert "Select a valid choice" in text  # sam is not an advisor
    assert not DutyShift.objects.exists()


def test_removing_a_shift(client, world):
    [shift] = on_duty(world.school, world.ada, days=[2])
    sign_in(client, world.cora)
    client.post(reverse("remove_duty_shift", args=[world.school.slug, shift.pk]))
    assert not DutyShift.objects.exists()


def test_supervision_counts_are_weekly_and_suppressed(client, world):
    week = selectors.week_of(world.school)
    for _ in range(12):
        RiskSignal.objects.create(
            organisation=world.school, source="conversation", level="concern", week=week
        )
    RiskSignal.objects.create(
        organisation=world.school, source="conversation", level="high", week=week
    )
    services.record_signal(
        organisation=world.other_school,
        source="conversation",
        assessment=risk.assess("I want to die"),
    )
    weeks, totals = selectors.weekly_counts(world.school)
    assert weeks[0].monday == week
    assert (weeks[0].concern, weeks[0].high, weeks[0].imminent) == ("12", "fewer than 10", "none")
    assert totals["high"] == "fewer than 10"
    for persona in (world.cora, world.ada):
        page = sign_in(client, persona).get(reverse("safety_supervision", args=[world.school.slug]))
        assert page.status_code == 200
        assert "fewer than 10" in page.content.decode()
