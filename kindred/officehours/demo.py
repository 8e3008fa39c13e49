"""Demo office hours: two weeks of availability for the demo supporters, a walk-in block every
day, a booking for the demo member, and exam dates in the academic calendar."""

import datetime

from django.db import transaction

from kindred.accounts.models import Organisation, User
from kindred.officehours import selectors, services
from kindred.officehours.models import AvailabilityRule, Booking, Format, Milestone, Slot
from kindred.support.models import SupporterProfile

DAYS = 14
KESTREL = "supporter@example.org"
WREN = "supporter2@example.org"
T = datetime.time

# (supporter, weekdays, start, end, minutes, walk-in, place)
VIDEO = {"format": Format.VIDEO, "video_link": "https://meet.example.org/kindred-warm-kestrel"}
ROOM = {"format": Format.IN_PERSON, "location": "Wellbeing room 2, Student Centre"}
PHONE = {"format": Format.PHONE, "phone_number": "0161 496 0000"}
CAFE = {"format": Format.IN_PERSON, "location": "Quiet room, Medical Library, level 1"}
AVAILABILITY = [
    (KESTREL, [0, 1, 2, 3, 4], T(10, 0), T(12, 0), 30, False, VIDEO),
    (KESTREL, [1, 3], T(16, 0), T(17, 0), 30, False, PHONE),
    (WREN, [0, 2, 4], T(14, 0), T(16, 0), 45, False, ROOM),
    (
        WREN,
        [5],
        T(10, 0),
        T(11, 30),
        30,
        False,
        VIDEO | {"video_link": "https://meet.example.org/kindred-patient-wren"},
    ),
    # One walk-in block every day, the two supporters taking turns.
    (KESTREL, [0, 2, 4, 6], T(12, 30), T(14, 0), 15, True, CAFE),
    (WREN, [1, 3, 5], T(12, 30), T(14, 0), 15, True, CAFE),
]


def seed_demo(stdout) -> None:
    school = Organisation.objects.filter(slug="st-elsewhere").first()
    people = {u.email: u for u in User.objects.filter(email__in=[KESTREL, WREN])}
    if school is None or len(people) < 2:
        return
    today = selectors.local_today(school)
    until = today + datetime.timedelta(days=DAYS - 1)
    with transaction.atomic():
        profiles = {}
        for email, user in people.items():
            profiles[email], _ = SupporterProfile.objects.get_or_create(
                user=user, organisation=school
            )
        for email, weekdays, start, end, minutes, walk_in, place in AVAILABILITY:
            for weekday in weekdays:
                AvailabilityRule.objects.update_or_create(
                    profile=profiles[email],
                    repeats=AvailabilityRule.Repeats.WEEKLY,
                    weekday=weekday,
                    start_time=start,
                    defaults={
                        "end_time": end,
                        "slot_minutes": minutes,
                        "walk_in": walk_in,
                        "starts_on": None,
                        "ends_on": until,
                        "location": "",
                        "video_link": "",
                        "phone_number": "",
                        **place,
                    },
                )
        for profile in profiles.values():
            services.regenerate_slots(profile=profile)
        _demo_booking(school)
        _demo_calendar(school, today)
    stdout.write(
        f"Office hours demo: {DAYS} days of availability, a walk-in block each day, one booking."
    )


def _demo_booking(school: Organisation) -> None:
    member = User.objects.filter(email="member@example.org").first()
    if member is None or Booking.objects.filter(member=member, status="booked").exists():
        return
    slot = (
        Slot.objects.filter(
            organisation=school, supporter__email=KESTREL, walk_in=False, status="open"
        )
        .exclude(bookings__status__in=Booking.HOLDING)
        .order_by("starts_at")
        .first()
    )
    if slot is not None:
        services.book_slot(member=member, slot_id=slot.pk, note="Exams are getting on top of me.")


def _demo_calendar(school: Organisation, today: datetime.date) -> None:
    if Milestone.objects.filter(organisation=school).exists():
        return
    days = datetime.timedelta
    for kind, title, first, last in [
        (Milestone.Kind.EXAMS, "Year 3 written finals", today + days(24), today + days(28)),
        (Milestone.Kind.EXAMS, "Year 5 OSCEs", today + days(45), today + days(47)),
        (Milestone.Kind.RESULTS, "Year 3 results day", today + days(52), today + days(52)),
        (Milestone.Kind.PLACEMENT, "Year 4 placements start", today + days(10), today + days(10)),
    ]:
        Milestone.objects.create(
            organisation=school, kind=kind, title=title, first_day=first, last_day=last
        )
