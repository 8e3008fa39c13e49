"""The office-hours API: slots, booking (201 or 409 with the next free slots), cancelling."""

import datetime

from django.urls import reverse

from kindred.accounts.services import create_api_token
from kindred.officehours import selectors
from kindred.officehours.models import Booking
from tests.conftest import sign_in
from tests.officehours.builders import make_booking, make_slot

HOUR = datetime.timedelta(hours=1)


def _bearer(user, *, strong=False):
    _token, raw = create_api_token(user=user, name="test", strong=strong)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_slots_are_listed_with_filters(client, world):
    video = make_slot(world.sam, world.school, starts_in=2 * HOUR)
    room = make_slot(
        world.sam, world.school, starts_in=3 * HOUR, format="in_person", location="Room 3"
    )
    make_booking(world.bob, make_slot(world.sam, world.school, starts_in=4 * HOUR))
    url = reverse("api:list_slots")
    everything = client.get(url, **_bearer(world.alice)).json()
    assert [s["id"] for s in everything] == [video.pk, room.pk]
    assert everything[1]["location"] == "Room 3" and everything[0]["location"] == ""
    assert everything[0]["supporter"] == "Sam"
    in_person = client.get(url, {"format": "in_person"}, **_bearer(world.alice)).json()
    assert [s["id"] for s in in_person] == [room.pk]
    assert client.get(url, {"format": "carrier pigeon"}, **_bearer(world.alice)).status_code == 400
    profile = video.profile_id
    assert len(client.get(url, {"supporter": profile}, **_bearer(world.alice)).json()) == 2


def test_slots_are_filtered_by_date_range(client, world):
    soon = make_slot(world.sam, world.school, starts_in=2 * HOUR)
    later = make_slot(world.sam, world.school, starts_in=datetime.timedelta(days=10))
    day = later.starts_at.astimezone(selectors.zone_of(world.school)).date()
    found = client.get(
        reverse("api:list_slots"),
        {"start": day.isoformat(), "end": day.isoformat()},
        **_bearer(world.alice),
    ).json()
    assert [s["id"] for s in found] == [later.pk]
    too_long = client.get(
        reverse("api:list_slots"),
        {"start": "2030-01-01", "end": "2030-03-01"},
        **_bearer(world.alice),
    )
    assert too_long.status_code == 400
    assert soon.pk not in [s["id"] for s in found]


def test_another_organisations_member_sees_no_slots(client, world):
    make_slot(world.sam, world.school)
    assert client.get(reverse("api:list_slots"), **_bearer(world.olga)).json() == []


def test_booking_returns_201_with_the_booking(client, world):
    slot = make_slot(world.sam, world.school)
    response = client.post(
        reverse("api:create_booking"),
        {"slot_id": slot.pk, "note": "hello"},
        content_type="application/json",
        **_bearer(world.alice),
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "booked" and body["slot"]["id"] == slot.pk
    assert body["where"] == slot.video_link and body["note"] == "hello"
    assert body["calendar_url"].endswith(f"/office-hours/bookings/{body['id']}/calendar.ics")


def test_booking_a_taken_slot_returns_409_with_the_next_free_slots(client, world):
    slot = make_slot(world.sam, world.school, starts_in=2 * HOUR)
    following = make_slot(world.sam, world.school, starts_in=3 * HOUR)
    make_booking(world.bob, slot)
    response = client.post(
        reverse("api:create_booking"),
        {"slot_id": slot.pk},
        content_type="application/json",
        **_bearer(world.alice),
    )
    assert response.status_code == 409
    body = response.json()
    assert body["detail"].startswith("This slot has just been taken.")
    assert [s["id"] for s in body["next_free"]] == [following.pk]


def test_booking_refusals_are_clear(client, world):
    past = make_slot(world.sam, world.school, starts_in=-HOUR)
    response = client.post(
        reverse("api:create_booking"),
        {"slot_id": past.pk},
        content_type="application/json",
        **_bearer(world.alice),
    )
    assert response.status_code == 400
    assert "already started or passed" in response.json()["detail"]
    outside = client.post(
        reverse("api:create_booking"),
        {"slot_id": make_slot(world.sam, world.school, starts_in=2 * HOUR).pk},
        content_type="application/json",
        **_bearer(world.olga),
    )
    assert outside.status_code == 404


def test_my_bookings_and_cancelling_one(client, world):
    booking = make_booking(world.alice, make_slot(world.sam, world.school), note="mine")
    make_booking(world.bob, make_slot(world.sam, world.school, starts_in=2 * HOUR))
    listed = client.get(reverse("api:list_bookings"), **_bearer(world.alice)).json()
    assert [b["id"] for b in listed] == [booking.pk]
    url = reverse("api:cancel_booking", args=[booking.pk])
    assert client.delete(url, **_bearer(world.bob)).status_code == 404
    response = client.delete(url + "?reason=better+now", **_bearer(world.alice))
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    booking.refresh_from_db()
    assert booking.cancel_reason == "better now"
    assert client.delete(url, **_bearer(world.alice)).status_code == 400


def test_a_supporter_cancels_only_with_a_strong_token(client, world):
    booking = make_booking(world.alice, make_slot(world.sam, world.school))
    url = reverse("api:cancel_booking", args=[booking.pk])
    assert client.delete(url, **_bearer(world.sam)).status_code == 403
    assert client.delete(url, **_bearer(world.sam, strong=True)).status_code == 200
    assert Booking.objects.get().cancelled_by == world.sam


def test_the_session_works_too(client, world):
    sign_in(client, world.alice)
    assert client.get(reverse("api:list_bookings")).status_code == 200
