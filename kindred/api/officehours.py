"""Office hours over the API: find open slots, book one (409 with the next free times when it
was just taken), cancel, and list one's own bookings."""

import datetime

from django.conf import settings
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from kindred.accounts.models import Role
from kindred.accounts.selectors import organisations_of, roles_of
from kindred.api.auth import acts_strongly
from kindred.core.errors import DomainError
from kindred.officehours import selectors, services
from kindred.officehours.models import NOTE_LIMIT, Booking, Format, Slot

router = Router(tags=["office hours"])
MAX_RANGE_DAYS = 31


class SlotOut(Schema):
    id: int
    organisation: str
    supporter: str = Field(description="The supporter's display name")
    supporter_id: int = Field(description="The supporter's profile id, for filtering")
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    format: str
    location: str = Field(description="Room and building, for in-person slots")


class BookingIn(Schema):
    slot_id: int
    note: str = Field("", max_length=NOTE_LIMIT)


class BookingOut(Schema):
    id: int
    status: str
    slot: SlotOut
    where: str = Field(description="Room, video link or number to ring")
    note: str
    flagged: bool = Field(description="The supporter cannot hold sessions now: choose another")
    calendar_url: str
    created_at: datetime.datetime
    cancelled_at: datetime.datetime | None


class TakenOut(Schema):
    detail: str
    next_free: list[SlotOut]


def _slot_out(slot: Slot) -> dict:
    return {
        "id": slot.pk,
        "organisation": slot.organisation.slug,
        "supporter": slot.supporter.display_name,
        "supporter_id": slot.profile_id,
        "starts_at": slot.starts_at,
        "ends_at": slot.ends_at,
        "format": slot.format,
        "location": slot.location if slot.format == Format.IN_PERSON else "",
    }


def _booking_out(booking: Booking, *, me) -> dict:
    live = booking.status == Booking.Status.BOOKED
    return {
        "id": booking.pk,
        "status": booking.status,
        "slot": _slot_out(booking.slot),
        "where": booking.slot.where if live else "",
        "note": booking.note if booking.member_id == me.pk else "",
        "flagged": bool(booking.flagged_at) and live,
        "calendar_url": (
            f"{settings.KINDRED_SITE_URL}/office-hours/bookings/{booking.pk}/calendar.ics"
        ),
        "created_at": booking.created_at,
        "cancelled_at": booking.cancelled_at,
    }


@router.get("/slots", response=list[SlotOut], summary="Open slots in my organisations")
def list_slots(
    request,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    format: str = "",
    supporter: int | None = None,
    organisation: str = "",
):
    """Free bookable times from `start` (default today) up to and including `end` (default a
    week later), at most 31 days; filter by `format` and `supporter` (a profile id)."""
    if format and format not in Format.values:
        raise HttpError(400, "format must be one of: " + ", ".join(Format.values))
    orgs = [o for o in organisations_of(request.auth) if not organisation or o.slug == organisation]
    if organisation and not orgs:
        raise HttpError(404, "No such organisation")
    result = []
    for org in orgs:
        zone = selectors.zone_of(org)
        first = start or selectors.local_today(org)
        last = end or first + datetime.timedelta(days=6)
        if last < first:
            raise HttpError(400, "end must be on or after start")
        if (last - first).days >= MAX_RANGE_DAYS:
            raise HttpError(400, f"Ask for {MAX_RANGE_DAYS} days at most")
        slots = selectors.open_slots_for(
            member=request.auth,
            organisation=org,
            start=datetime.datetime.combine(first, datetime.time.min, tzinfo=zone),
            end=datetime.datetime.combine(
                last + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
            ),
            format=format,
            supporter_profile_id=supporter,
        )
        result.extend(_slot_out(s) for s in slots)
    return result


@router.post(
    "/bookings",
    response={201: BookingOut, 409: TakenOut},
    summary="Book a slot",
)
def create_booking(request, payload: BookingIn):
    """201 with the booking, or 409 with the next free slots when someone else just took it."""
    selectors.slot_for_member(request.auth, payload.slot_id)  # 404 outside my organisations
    try:
        booking = services.book_slot(
            member=request.auth, slot_id=payload.slot_id, note=payload.note
        )
    except services.SlotTaken as taken:
        return Status(
            409, {"detail": taken.message, "next_free": [_slot_out(s) for s in taken.next_free]}
        )
    except DomainError as error:
        raise HttpError(400, error.message) from None
    booking = selectors.booking_for(request.auth, booking.pk)
    return Status(201, _booking_out(booking, me=request.auth))


@router.get("/bookings", response=list[BookingOut], summary="My bookings")
def list_bookings(request):
    return [_booking_out(b, me=request.auth) for b in selectors.bookings_of(request.auth)]


@router.delete("/bookings/{booking_id}", response=BookingOut, summary="Cancel a booking")
def cancel_booking(request, booking_id: int, reason: str = ""):
    """Either side may cancel; the other is told. Supporters need a second factor."""
    booking = selectors.booking_for(request.auth, booking_id)
    if booking.slot.supporter_id == request.auth.pk and not (
        roles_of(request.auth).has(Role.SUPPORTER, booking.slot.organisation_id)
        and acts_strongly(request)
    ):
        raise HttpError(403, "Supporter actions need a current supporter role and a second factor.")
    try:
        services.cancel_booking(user=request.auth, booking=booking, reason=reason)
    except DomainError as error:
        raise HttpError(400, error.message) from None
    return _booking_out(selectors.booking_for(request.auth, booking_id), me=request.auth)
