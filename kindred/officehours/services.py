"""Writes for office hours: availability, slots, booking, cancelling, the walk-in queue."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from kindred.accounts.models import Organisation, Role, RoleGrant, User
from kindred.accounts.selectors import roles_of
from kindred.core import audit, feeds
from kindred.core.errors import DomainError
from kindred.notifications.models import Notification
from kindred.notifications.services import notify
from kindred.officehours import events, schedule, selectors
from kindred.officehours.models import (
    NOTE_LIMIT,
    AvailabilityRule,
    Booking,
    CalendarFeed,
    Format,
    Milestone,
    QueueEntry,
    Slot,
    TimeOff,
)
from kindred.support.models import Conversation, SupporterProfile, SupportRequest

WINDOW_DAYS = 28  # slots exist this far ahead; the upkeep task rolls the window on
MAX_UPCOMING_BOOKINGS = 3
REASON_LIMIT = 280
FEED_PREFIX = "kcal_"
BOOKINGS = Notification.Category.BOOKINGS
TAKEN = "This slot has just been taken."


class SlotTaken(DomainError):
    """Someone else booked it first; `next_free` holds the next times the member could book."""

    def __init__(self, next_free: list[Slot]):
        super().__init__(TAKEN + (" Here are the next free times." if next_free else ""))
        self.next_free = next_free


def _when(slot: Slot) -> str:
    local = timezone.localtime(slot.starts_at, selectors.zone_of(slot.organisation))
    return f"{local:%a} {local.day} {local:%b} at {local:%H:%M}"


def _supporter_check(supporter: User, organisation: Organisation) -> SupporterProfile:
    if not roles_of(supporter).has(Role.SUPPORTER, organisation.pk):
        raise DomainError("Only a supporter with current training can offer office hours here.")
    profile, _ = SupporterProfile.objects.get_or_create(user=supporter, organisation=organisation)
    return profile


# --- availability


def _check_place(fields: dict) -> None:
    kind = fields.get("format")
    if kind == Format.IN_PERSON and not fields.get("location", "").strip():
        raise DomainError("Say where to come: a room and building.", field="location")
    if kind == Format.VIDEO:
        link = fields.get("video_link", "").strip()
        if not link.startswith("https://"):
            raise DomainError("Give a video link starting https://.", field="video_link")
    if kind == Format.PHONE and not fields.get("phone_number", "").strip():
        raise DomainError("Give the number members should ring.", field="phone_number")


@transaction.atomic
def save_rule(
    *,
    supporter: User,
    organisation: Organisation,
    rule: AvailabilityRule | None = None,
    **fields,
) -> AvailabilityRule:
    """Create or change a block of availability, refusing one that overlaps another."""
    profile = _supporter_check(supporter, organisation)
    if rule is not None and rule.profile_id != profile.pk:
        raise DomainError("That availability is not yours.")
    rule = rule or AvailabilityRule(profile=profile)
    for name, value in fields.items():
        setattr(rule, name, value)
    if rule.repeats == AvailabilityRule.Repeats.WEEKLY:
        rule.date = None
        if rule.weekday is None:
            raise DomainError("Choose a day of the week.", field="weekday")
        if rule.starts_on and rule.ends_on and rule.ends_on < rule.starts_on:
            raise DomainError("The last day must be after the first day.", field="ends_on")
    else:
        rule.weekday = rule.starts_on = rule.ends_on = None
        if rule.date is None:
            raise DomainError("Choose the date of this extra session.", field="date")
        if rule.date < selectors.local_today(organisation):
            raise DomainError("That date has passed.", field="date")
    if rule.end_time <= rule.start_time:
        raise DomainError("The end time must be after the start time.", field="end_time")
    if not 10 <= rule.slot_minutes <= 240:
        raise DomainError("Choose between 10 and 240 minutes.", field="slot_minutes")
    if not rule.walk_in and rule.slot_minutes > _minutes_between(rule.start_time, rule.end_time):
        raise DomainError(
            "The block is shorter than one slot. Make it longer or the slots shorter.",
            field="slot_minutes",
        )
    _check_place(rule.place_fields())
    _keep_only_the_place_in_use(rule)
    others = list(AvailabilityRule.objects.filter(profile=profile).exclude(pk=rule.pk))
    # An unsaved rule's key is None, which matches no saved rule's key.
    clash = schedule.overlapping_rule(rule.as_spec(), [o.as_spec() for o in others])
    if clash is not None:
        other = next(o for o in others if o.pk == clash.key)
        raise DomainError(
            f"This overlaps your {other.describe()}. Change the times, or change that one.",
            field="start_time",
        )
    rule.save()
    regenerate_slots(profile=profile)
    return rule


def _keep_only_the_place_in_use(rule: AvailabilityRule) -> None:
    """A room, link or number the supporter no longer uses is not kept (or shown) by mistake."""
    used = {
        Format.IN_PERSON: "location",
        Format.VIDEO: "video_link",
        Format.PHONE: "phone_number",
    }[rule.format]
    for name in ("location", "video_link", "phone_number"):
        setattr(rule, name, getattr(rule, name).strip() if name == used else "")


def _minutes_between(start: datetime.time, end: datetime.time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


@transaction.atomic
def delete_rule(*, supporter: User, rule: AvailabilityRule) -> int:
    """Remove a block; its future times go, except those already booked, which stand."""
    if rule.profile.user_id != supporter.pk:
        raise DomainError("That availability is not yours.")
    profile = rule.profile
    rule.delete()
    return regenerate_slots(profile=profile).kept_booked


@transaction.atomic
def add_time_off(
    *,
    supporter: User,
    organisation: Organisation,
    first_day: datetime.date,
    last_day: datetime.date | None = None,
    start_time: datetime.time | None = None,
    end_time: datetime.time | None = None,
    label: str = "",
) -> TimeOff:
    """Take days (or part of days) off; refused while someone has a booking in that time."""
    profile = _supporter_check(supporter, organisation)
    last_day = last_day or first_day
    if last_day < first_day:
        raise DomainError("The last day must be on or after the first day.", field="last_day")
    if (start_time is None) != (end_time is None):
        raise DomainError("Give both times, or neither for whole days.", field="end_time")
    if start_time and end_time <= start_time:
        raise DomainError("The end time must be after the start time.", field="end_time")
    time_off = TimeOff(
        profile=profile,
        first_day=first_day,
        last_day=last_day,
        start_time=start_time,
        end_time=end_time,
        label=label.strip(),
    )
    spec = time_off.as_spec()
    zone = selectors.zone_of(organisation)
    booked = [
        b
        for b in Booking.objects.filter(
            slot__profile=profile,
            status=Booking.Status.BOOKED,
            slot__starts_at__gt=timezone.now(),
        ).select_related("slot", "member")
        if _local_covered(spec, b.slot, zone)
    ]
    if booked:
        first = booked[0]
        more = f" and {len(booked) - 1} more" if len(booked) > 1 else ""
        raise DomainError(
            f"{first.member.display_name} has booked {_when(first.slot)}{more}. Cancel "
            "those bookings first (each member is told), then take the time off.",
            field="first_day",
        )
    time_off.save()
    regenerate_slots(profile=profile)
    return time_off


def _local_covered(spec: schedule.TimeOffSpec, slot: Slot, zone) -> bool:
    start = slot.starts_at.astimezone(zone)
    end = slot.ends_at.astimezone(zone)
    end_time = end.time() if end.date() == start.date() else datetime.time.max
    return spec.covers(start.date(), start.time(), end_time)


@transaction.atomic
def delete_time_off(*, supporter: User, time_off: TimeOff) -> None:
    if time_off.profile.user_id != supporter.pk:
        raise DomainError("That time off is not yours.")
    profile = time_off.profile
    time_off.delete()
    regenerate_slots(profile=profile)


@dataclass
class Regenerated:
    created: int = 0
    cancelled: int = 0
    reopened: int = 0
    kept_booked: int = 0
    changed_place: list[int] = field(default_factory=list)


def regenerate_slots(
    *, profile: SupporterProfile, now: datetime.datetime | None = None
) -> Regenerated:
    """Make the profile's slots for the coming weeks match its rules and time off.

    Booked times always stand; the member is told if the place changes. Times the supporter
    cancelled by hand stay cancelled; times removed by a change of availability come back if
    the availability does.
    """
    now = now or timezone.now()
    organisation = profile.organisation
    first_day = now.astimezone(selectors.zone_of(organisation)).date()
    rules = {r.pk: r for r in profile.availability_rules.all()}
    planned = [
        p
        for p in schedule.plan_slots(
            [r.as_spec() for r in rules.values()],
            [t.as_spec() for t in profile.time_off.all()],
            first_day=first_day,
            last_day=first_day + datetime.timedelta(days=WINDOW_DAYS - 1),
            time_zone=organisation.time_zone,
        )
        if p.starts_at > now
    ]
    existing = {
        s.starts_at: s
        for s in Slot.objects.filter(profile=profile, ends_at__gt=now).annotate(
            is_booked=Exists(
                Booking.objects.filter(slot=OuterRef("pk"), status__in=Booking.HOLDING)
            ),
            has_queue=Exists(QueueEntry.objects.filter(slot=OuterRef("pk"))),
        )
    }
    held = [s for s in existing.values() if s.is_booked or s.has_queue]
    result = Regenerated()
    to_create, to_update = [], []
    for plan in planned:
        rule = rules[plan.key]
        slot = existing.pop(plan.starts_at, None)
        if slot is None:
            if any(h.starts_at < plan.ends_at and plan.starts_at < h.ends_at for h in held):
                continue  # a booked time from the old availability stands in the way
            to_create.append(
                Slot(
                    organisation=organisation,
                    profile=profile,
                    supporter_id=profile.user_id,
                    rule=rule,
                    starts_at=plan.starts_at,
                    ends_at=plan.ends_at,
                    walk_in=plan.walk_in,
                    per_person_minutes=rule.slot_minutes,
                    **rule.place_fields(),
                )
            )
            continue
        if slot.is_booked or slot.has_queue:
            if slot.status == Slot.Status.OPEN and slot.place_fields() != rule.place_fields():
                for name, value in rule.place_fields().items():
                    setattr(slot, name, value)
                result.changed_place.append(slot.pk)
                to_update.append(slot)
            continue
        changed = False
        if slot.status == Slot.Status.CANCELLED:
            if slot.cancelled_by != Slot.CancelledBy.SCHEDULE:
                continue
            slot.status, slot.cancelled_by = Slot.Status.OPEN, ""
            result.reopened += 1
            changed = True
        wanted = {
            "rule_id": rule.pk,
            "ends_at": plan.ends_at,
            "walk_in": plan.walk_in,
            "per_person_minutes": rule.slot_minutes,
            **rule.place_fields(),
        }
        for name, value in wanted.items():
            if getattr(slot, name) != value:
                setattr(slot, name, value)
                changed = True
        if changed:
            to_update.append(slot)
    for slot in existing.values():
        if slot.starts_at <= now or slot.status != Slot.Status.OPEN:
            continue
        if slot.is_booked or slot.has_queue:
            result.kept_booked += 1
            continue
        slot.status, slot.cancelled_by = Slot.Status.CANCELLED, Slot.CancelledBy.SCHEDULE
        to_update.append(slot)
        result.cancelled += 1
    Slot.objects.bulk_create(to_create)
    result.created = len(to_create)
    if to_update:
        Slot.objects.bulk_update(
            to_update,
            [
                "rule",
                "ends_at",
                "walk_in",
                "per_person_minutes",
                "status",
                "cancelled_by",
                "format",
                "location",
                "video_link",
                "phone_number",
            ],
        )
    if result.changed_place:
        for booking in Booking.objects.filter(
            slot_id__in=result.changed_place, status=Booking.Status.BOOKED
        ).select_related("slot__organisation"):
            notify(
                user=booking.member,
                category=BOOKINGS,
                text=f"The place for your session on {_when(booking.slot)} has changed.",
                url=f"/office-hours/bookings/{booking.pk}/",
            )
    return result


# --- booking


def _refuse_unless_bookable(member: User, slot: Slot, now: datetime.datetime) -> None:
    if slot.walk_in:
        raise DomainError("This is a walk-in block: join its queue instead of booking.")
    if slot.status != Slot.Status.OPEN:
        raise DomainError("This time has been cancelled by the supporter. Choose another time.")
    if slot.starts_at <= now:
        raise DomainError("This time has already started or passed. Choose a later time.")
    if slot.supporter_id == member.pk:
        raise DomainError("This is one of your own times.")
    if not roles_of(slot.supporter).has(Role.SUPPORTER, slot.organisation_id):
        raise DomainError("This supporter is not taking bookings at the moment.")
    if slot.supporter_id in selectors.blocked_user_ids(member):
        raise DomainError("This time is not available to you.")


def _refuse_if_too_many(member: User, slot: Slot, now: datetime.datetime, ignore: int = 0):
    upcoming = list(
        Booking.objects.filter(member=member, status=Booking.Status.BOOKED, slot__starts_at__gt=now)
        .exclude(pk=ignore)
        .select_related("slot")
    )
    if any(b.slot.starts_at < slot.ends_at and slot.starts_at < b.slot.ends_at for b in upcoming):
        raise DomainError("You already have a session booked at this time.")
    if len(upcoming) >= MAX_UPCOMING_BOOKINGS:
        raise DomainError(
            f"You can hold {MAX_UPCOMING_BOOKINGS} upcoming sessions at a time, so that everyone "
            "can get one. Cancel one you no longer need, or join a walk-in queue."
        )


def book_slot(*, member: User, slot_id: int, note: str = "", ignore_booking: int = 0) -> Booking:
    """Book a time: exactly one member wins a slot, however many try at once.

    The slot row is locked (PostgreSQL) or the write transaction is taken at its start
    (SQLite, `transaction_mode=IMMEDIATE`), and a partial unique index on live bookings per
    slot backs both up. The loser gets `SlotTaken` with the next free times.
    """
    note = (note or "").strip()
    if len(note) > NOTE_LIMIT:
        raise DomainError(f"Notes can be up to {NOTE_LIMIT} characters.", field="note")
    organisation_ids = selectors.member_organisation_ids(member)
    with transaction.atomic():
        slot = (
            Slot.objects.select_for_update(of=("self",))
            .select_related("organisation", "supporter")
            .filter(pk=slot_id, organisation_id__in=organisation_ids)
            .first()
        )
        if slot is None:
            raise DomainError("This time is not offered in your organisation.")
        now = timezone.now()
        _refuse_unless_bookable(member, slot, now)
        if Booking.objects.filter(slot=slot, status__in=Booking.HOLDING).exists():
            raise _taken(member, slot)
        _refuse_if_too_many(member, slot, now, ignore=ignore_booking)
        try:
            with transaction.atomic():
                booking = Booking.objects.create(
                    slot=slot, member=member, organisation=slot.organisation, note=note
                )
        except IntegrityError:
            raise _taken(member, slot) from None
        notify(
            user=slot.supporter,
            category=BOOKINGS,
            text=f"{member.display_name} booked your time on {_when(slot)}.",
            url=f"/office-hours/bookings/{booking.pk}/",
        )
    return booking


def _taken(member: User, slot: Slot) -> SlotTaken:
    return SlotTaken(
        selectors.next_free_slots(
            member=member, organisation=slot.organisation, after=slot.starts_at, exclude=slot.pk
        )
    )


@transaction.atomic
def cancel_booking(*, user: User, booking: Booking, reason: str = "") -> Booking:
    """Either side cancels; the other is told. A member's cancelled time is free again; a
    supporter's cancelled time is closed (they cannot make it)."""
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("slot__supporter", "slot__organisation", "member")
        .get(pk=booking.pk)
    )
    slot = booking.slot
    by_member = booking.member_id == user.pk
    if not by_member and slot.supporter_id != user.pk:
        raise DomainError("That booking is not yours.")
    if booking.status != Booking.Status.BOOKED:
        raise DomainError("This booking is already cancelled or has happened.")
    if slot.starts_at <= timezone.now():
        raise DomainError("This session has already started, so it cannot be cancelled.")
    reason = (reason or "").strip()
    if len(reason) > REASON_LIMIT:
        raise DomainError(f"Keep the reason under {REASON_LIMIT} characters.", field="reason")
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.cancelled_by = user
    booking.cancel_reason = reason
    booking.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason"])
    other = slot.supporter if by_member else booking.member
    if not by_member:
        slot.status, slot.cancelled_by = Slot.Status.CANCELLED, Slot.CancelledBy.SUPPORTER
        slot.save(update_fields=["status", "cancelled_by"])
    notify(
        user=other,
        category=BOOKINGS,
        text=f"{user.display_name} cancelled the session on {_when(slot)}."
        + ("" if by_member else " You can book another time."),
        url=f"/office-hours/bookings/{booking.pk}/",
    )
    return booking


@transaction.atomic
def move_booking(*, member: User, booking: Booking, slot_id: int, note: str | None = None):
    """Swap a booking for another time in one step: the old one goes only if the new one holds."""
    if booking.member_id != member.pk:
        raise DomainError("That booking is not yours.")
    if booking.status != Booking.Status.BOOKED:
        raise DomainError("This booking is already cancelled or has happened.")
    new = book_slot(
        member=member,
        slot_id=slot_id,
        note=booking.note if note is None else note,
        ignore_booking=booking.pk,
    )
    cancel_booking(user=member, booking=booking, reason="Moved to another time.")
    return new


@transaction.atomic
def mark_no_show(*, supporter: User, booking: Booking) -> Booking:
    """The member did not come. Only coordinators see counts of these, never names."""
    booking = (
        Booking.objects.select_for_update(of=("self",)).select_related("slot").get(pk=booking.pk)
    )
    if booking.slot.supporter_id != supporter.pk:
        raise DomainError("Only the supporter of this session can say it was missed.")
    if booking.slot.starts_at > timezone.now():
        raise DomainError("You can mark a session as missed once it has started.")
    if booking.status == Booking.Status.CANCELLED:
        raise DomainError("This booking was cancelled.")
    booking.status = Booking.Status.NO_SHOW
    booking.save(update_fields=["status"])
    return booking


# --- the walk-in queue


def _close_stale_places(member: User, now: datetime.datetime) -> None:
    QueueEntry.objects.filter(
        member=member, status=QueueEntry.Status.WAITING, slot__ends_at__lte=now
    ).update(status=QueueEntry.Status.ENDED, left_at=now)


def join_queue(*, member: User, block: Slot) -> QueueEntry:
    """Take a place at the back of a walk-in block's queue."""
    now = timezone.now()
    with transaction.atomic():
        block = (
            Slot.objects.select_for_update(of=("self",))
            .select_related("organisation", "supporter")
            .get(pk=block.pk)
        )
        if not block.walk_in:
            raise DomainError("This time is for booking ahead, not walking in.")
        if block.organisation_id not in selectors.member_organisation_ids(member):
            raise DomainError("This walk-in block is not in your organisation.")
        if block.status != Slot.Status.OPEN:
            raise DomainError("This walk-in block has been cancelled.")
        if block.supporter_id == member.pk:
            raise DomainError("This is your own walk-in block.")
        if not roles_of(block.supporter).has(Role.SUPPORTER, block.organisation_id):
            raise DomainError("This walk-in block is not running at the moment.")
        if block.ends_at <= now:
            raise DomainError("This walk-in block has ended. Try another one, or book a time.")
        opens = block.starts_at - datetime.timedelta(minutes=selectors.QUEUE_OPENS_MINUTES)
        if now < opens:
            local = timezone.localtime(opens, selectors.zone_of(block.organisation))
            raise DomainError(f"The queue opens at {local:%H:%M}. Come back then.")
        _close_stale_places(member, now)
        current = QueueEntry.objects.filter(member=member, status=QueueEntry.Status.WAITING)
        if current.filter(slot=block).exists():
            return current.get(slot=block)
        if current.exists():
            raise DomainError("You are already in another queue. Leave it first.")
        try:
            with transaction.atomic():
                entry = QueueEntry.objects.create(slot=block, member=member, joined_at=now)
        except IntegrityError:
            raise DomainError("You are already in a queue.") from None
    events.queue_changed(block.pk)
    return entry


def leave_queue(*, member: User, block: Slot) -> bool:
    """One tap: give up the place. Nobody is told who left."""
    with transaction.atomic():
        left = QueueEntry.objects.filter(
            slot=block, member=member, status=QueueEntry.Status.WAITING
        ).update(status=QueueEntry.Status.LEFT, left_at=timezone.now())
    if left:
        events.queue_changed(block.pk)
    return bool(left)


def call_next(*, supporter: User, block: Slot) -> QueueEntry | None:
    """Call the first person waiting: in person they see the room; otherwise a conversation
    opens for the two of you."""
    with transaction.atomic():
        block = (
            Slot.objects.select_for_update(of=("self",))
            .select_related("organisation", "supporter")
            .get(pk=block.pk)
        )
        if block.supporter_id != supporter.pk:
            raise DomainError("Only the supporter running this block can call people.")
        if not roles_of(supporter).has(Role.SUPPORTER, block.organisation_id):
            raise DomainError("Your supporter training has lapsed, so you cannot call people.")
        entry = (
            QueueEntry.objects.select_for_update(of=("self",))
            .filter(slot=block, status=QueueEntry.Status.WAITING)
            .select_related("member")
            .order_by("joined_at", "id")
            .first()
        )
        if entry is None:
            return None
        entry.status = QueueEntry.Status.CALLED
        entry.called_at = timezone.now()
        if block.format != Format.IN_PERSON:
            entry.conversation = open_walk_in_conversation(
                supporter=supporter, member=entry.member, organisation=block.organisation
            )
        entry.save(update_fields=["status", "called_at", "conversation"])
        notify(
            user=entry.member,
            category=BOOKINGS,
            text=f"It is your turn: {supporter.display_name} is ready for you.",
            url=f"/office-hours/walk-in/{block.pk}/",
        )
    events.queue_changed(block.pk)
    return entry


def open_walk_in_conversation(
    *, supporter: User, member: User, organisation: Organisation
) -> Conversation:
    """A matched request and an open conversation, as if the supporter accepted an offer.

    Written here rather than in kindred.support so that peer support's matching flow stays as
    it is; it creates the same rows `support.services.accept_offer` does.
    """
    now = timezone.now()
    request = SupportRequest.objects.create(
        member=member,
        organisation=organisation,
        urgency=SupportRequest.Urgency.TODAY,
        ways_to_talk=["chat"],
        anyone=True,
        status=SupportRequest.Status.MATCHED,
        matched_at=now,
    )
    return Conversation.objects.create(
        request=request, organisation=organisation, member=member, supporter=supporter
    )


def close_ended_queues(*, now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    return QueueEntry.objects.filter(
        status=QueueEntry.Status.WAITING, slot__ends_at__lte=now
    ).update(status=QueueEntry.Status.ENDED, left_at=now)


# --- calendar feeds


def create_calendar_feed(*, supporter: User) -> tuple[CalendarFeed, str]:
    """A new private feed address; any older one stops working. The secret is shown once."""
    return feeds.create(CalendarFeed, supporter, FEED_PREFIX)


def revoke_calendar_feeds(*, supporter: User) -> int:
    return feeds.revoke(CalendarFeed, supporter)


def feed_for(raw: str) -> CalendarFeed | None:
    """The live feed with this secret, recording that it was read."""
    return feeds.find(CalendarFeed, raw)


# --- the academic calendar


def _coordinator_check(coordinator: User, organisation: Organisation) -> None:
    if not roles_of(coordinator).has(Role.COORDINATOR, organisation.pk):
        raise DomainError("Only a coordinator of this organisation can change its calendar.")


def add_milestone(
    *,
    coordinator: User,
    organisation: Organisation,
    kind: str,
    title: str,
    first_day: datetime.date,
    last_day: datetime.date | None = None,
) -> Milestone:
    _coordinator_check(coordinator, organisation)
    last_day = last_day or first_day
    if last_day < first_day:
        raise DomainError("The last day must be on or after the first day.", field="last_day")
    milestone = Milestone.objects.create(
        organisation=organisation,
        kind=kind,
        title=title.strip(),
        first_day=first_day,
        last_day=last_day,
        created_by=coordinator,
    )
    audit.record(
        actor=coordinator, subject=None, action="added", target=f"calendar date {milestone.pk}"
    )
    return milestone


def delete_milestone(*, coordinator: User, milestone: Milestone) -> None:
    _coordinator_check(coordinator, milestone.organisation)
    milestone.delete()


# --- upkeep: the rolling window, reminders, lapsed training


def regenerate_all(*, now: datetime.datetime | None = None) -> int:
    made = 0
    profiles = SupporterProfile.objects.filter(
        pk__in=AvailabilityRule.objects.values("profile_id")
    ).select_related("organisation")
    for profile in profiles:
        with transaction.atomic():
            made += regenerate_slots(profile=profile, now=now).created
    return made


# (field, how long before, until how long before): a reminder is not sent once the next one
# is due, so a late upkeep never says "a day before" half an hour before.
REMINDERS = [
    ("reminded_day_before_at", datetime.timedelta(hours=24), datetime.timedelta(hours=1)),
    ("reminded_hour_before_at", datetime.timedelta(hours=1), datetime.timedelta(0)),
]


def send_due_reminders(*, now: datetime.datetime | None = None) -> int:
    """Remind both sides 24 hours and 1 hour before; each reminder is sent once.

    A reminder whose moment passed before the booking was made is skipped (booking at 10:00
    for 11:00 gets the one-hour reminder only if there was an hour to go).
    """
    now = now or timezone.now()
    sent = 0
    for attribute, ahead, until in REMINDERS:
        due = Booking.objects.filter(
            status=Booking.Status.BOOKED,
            slot__starts_at__gt=now + until,
            slot__starts_at__lte=now + ahead,
            **{f"{attribute}__isnull": True},
        ).select_related("slot__supporter", "slot__organisation", "member")
        for booking in due:
            # Claim it first, so two workers never both send the same reminder.
            claimed = Booking.objects.filter(pk=booking.pk, **{f"{attribute}__isnull": True})
            if not claimed.update(**{attribute: now}):
                continue
            if booking.created_at > booking.slot.starts_at - ahead:
                continue
            local = timezone.localtime(
                booking.slot.starts_at, selectors.zone_of(booking.slot.organisation)
            )
            when = (
                f"soon, at {local:%H:%M}"
                if ahead <= datetime.timedelta(hours=1)
                else f"on {local:%A} at {local:%H:%M}"
            )
            for person in (booking.member, booking.slot.supporter):
                notify(
                    user=person,
                    category=BOOKINGS,
                    text=f"Reminder: your office hours session is {when}.",
                    url=f"/office-hours/bookings/{booking.pk}/",
                )
            sent += 1
    return sent


def flag_bookings_of_lapsed_supporters(*, now: datetime.datetime | None = None) -> int:
    """A supporter's training lapsed: flag their future bookings for the coordinator and offer
    each member another time."""
    now = now or timezone.now()
    today = timezone.localdate()
    current = RoleGrant.objects.filter(
        membership__user=OuterRef("slot__supporter"),
        membership__organisation=OuterRef("organisation"),
        role=Role.SUPPORTER,
        revoked_at__isnull=True,
        trained_until__gte=today,
    )
    flagged = 0
    for booking in (
        Booking.objects.filter(
            status=Booking.Status.BOOKED, slot__starts_at__gt=now, flagged_at__isnull=True
        )
        .exclude(Exists(current))
        .select_related("slot__organisation", "member")
    ):
        if not Booking.objects.filter(pk=booking.pk, flagged_at__isnull=True).update(
            flagged_at=now
        ):
            continue
        notify(
            user=booking.member,
            category=BOOKINGS,
            text=f"Your session on {_when(booking.slot)} may not go ahead. "
            "Choose another time if you can.",
            url=f"/office-hours/bookings/{booking.pk}/",
        )
        flagged += 1
    # Training renewed: the flag goes, the booking was never touched.
    Booking.objects.filter(flagged_at__isnull=False, slot__starts_at__gt=now).filter(
        Exists(current)
    ).update(flagged_at=None)
    return flagged
