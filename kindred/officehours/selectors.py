"""Reads for office hours, scoped to the person asking."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from kindred.accounts.models import Membership, Organisation, Role, RoleGrant, User
from kindred.officehours import schedule
from kindred.officehours.models import (
    AvailabilityRule,
    Booking,
    CalendarFeed,
    Milestone,
    QueueEntry,
    Slot,
    TimeOff,
)
from kindred.support.models import Block, SupporterProfile

# How early a member may join a walk-in queue before the block starts.
QUEUE_OPENS_MINUTES = 15
NEXT_FREE_COUNT = 5


def zone_of(organisation: Organisation) -> ZoneInfo:
    return ZoneInfo(organisation.time_zone)


def local_today(organisation: Organisation) -> datetime.date:
    return timezone.now().astimezone(zone_of(organisation)).date()


def member_organisation_ids(user: User) -> set[int]:
    return set(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))


def _current_supporter():
    """Subquery: the slot's supporter holds a current supporter role in its organisation."""
    return Exists(
        RoleGrant.objects.filter(
            membership__user=OuterRef("supporter"),
            membership__organisation=OuterRef("organisation"),
            role=Role.SUPPORTER,
            revoked_at__isnull=True,
            trained_until__gte=timezone.localdate(),
        )
    )


def _booked():
    return Exists(Booking.objects.filter(slot=OuterRef("pk"), status__in=Booking.HOLDING))


def blocked_user_ids(user: User) -> set[int]:
    """People this person blocked or was blocked by: they never see each other's times."""
    pairs = Block.objects.filter(Q(blocker=user) | Q(blocked=user)).values_list(
        "blocker_id", "blocked_id"
    )
    return {person for pair in pairs for person in pair} - {user.pk}


def offered_slots(organisation_ids) -> QuerySet[Slot]:
    """Open slots of supporters who are trained and not on a break (booked or not)."""
    return (
        Slot.objects.filter(
            organisation_id__in=organisation_ids,
            status=Slot.Status.OPEN,
            profile__status=SupporterProfile.Status.AVAILABLE,
        )
        .filter(_current_supporter())
        .select_related("supporter", "organisation")
    )


def open_slots_for(
    *,
    member: User,
    organisation: Organisation,
    start: datetime.datetime,
    end: datetime.datetime,
    format: str = "",
    topic: str = "",
    supporter_profile_id: int | None = None,
    blocked: set[int] | None = None,
) -> QuerySet[Slot]:
    """Bookable times a member could take now, earliest first (`blocked`: people this member
    must not see, if the caller already knows them)."""
    slots = (
        offered_slots([organisation.pk])
        .filter(
            walk_in=False,
            starts_at__gte=max(start, timezone.now()),
            starts_at__lt=end,
        )
        .exclude(_booked())
        .exclude(supporter=member)
    )
    blocked = blocked_user_ids(member) if blocked is None else blocked
    if blocked:
        slots = slots.exclude(supporter_id__in=blocked)
    if format:
        slots = slots.filter(format=format)
    if supporter_profile_id:
        slots = slots.filter(profile_id=supporter_profile_id)
    if topic:
        # Topics are a JSON list; SQLite cannot search inside one, and an organisation has a
        # few hundred supporters at most, so pick them out here.
        profiles = SupporterProfile.objects.filter(organisation=organisation).values_list(
            "pk", "topics"
        )
        slots = slots.filter(profile_id__in=[pk for pk, topics in profiles if topic in topics])
    return slots.order_by("starts_at", "supporter__display_name", "pk")


def next_free_slots(
    *, member: User, organisation: Organisation, after: datetime.datetime, exclude: int = 0
) -> list[Slot]:
    """The next few bookable times from `after` (or from now, if that has passed)."""
    slots = open_slots_for(
        member=member,
        organisation=organisation,
        start=after,
        end=after + datetime.timedelta(days=28),
    ).exclude(pk=exclude)
    return list(slots[:NEXT_FREE_COUNT])


def slot_for_member(member: User, pk: int) -> Slot:
    """A slot in one of the member's organisations, or 404."""
    found = (
        Slot.objects.filter(pk=pk, organisation_id__in=member_organisation_ids(member))
        .select_related("supporter", "organisation", "profile")
        .first()
    )
    if found is None:
        raise Http404("No such time")
    return found


def why_unbookable(slot: Slot) -> str:
    """Why a time can no longer be booked, in words fit to show; "" while it can."""
    if slot.status != Slot.Status.OPEN:
        return "This time has been cancelled by the supporter. Choose another time."
    if slot.starts_at <= timezone.now():
        return "This time has already started or passed. Choose a later time."
    if slot.bookings.filter(status__in=Booking.HOLDING).exists():
        return "This slot has just been taken. Here are the next free times."
    return ""


def walk_in_blocks_for(
    *,
    member: User,
    organisation: Organisation,
    day: datetime.date | None = None,
    blocked: set[int] | None = None,
) -> list[Slot]:
    """Walk-in blocks still to come or running on a local day (today by default)."""
    zone = zone_of(organisation)
    day = day or local_today(organisation)
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
    blocks = offered_slots([organisation.pk]).filter(
        walk_in=True,
        ends_at__gt=timezone.now(),
        starts_at__gte=start,
        starts_at__lt=start + datetime.timedelta(days=1),
    )
    blocked = blocked_user_ids(member) if blocked is None else blocked
    return [b for b in blocks.order_by("starts_at") if b.supporter_id not in blocked]


def bookings_of(member: User) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(member=member)
        .select_related("slot__supporter", "slot__organisation", "slot__profile")
        .order_by("slot__starts_at", "pk")
    )


def booking_for(user: User, pk: int) -> Booking:
    """A booking the person is part of (as member or supporter); 404 for everyone else."""
    found = (
        Booking.objects.filter(pk=pk)
        .filter(Q(member=user) | Q(slot__supporter=user))
        .select_related("slot__supporter", "slot__organisation", "slot__profile", "member")
        .first()
    )
    if found is None:
        raise Http404("No such booking")
    return found


def sessions_of_supporter(
    supporter: User, organisation: Organisation, *, days: int = 28
) -> tuple[list[Booking], list[Slot]]:
    """A supporter's booked sessions and walk-in blocks from today, earliest first."""
    start = datetime.datetime.combine(
        local_today(organisation), datetime.time.min, tzinfo=zone_of(organisation)
    )
    end = start + datetime.timedelta(days=days)
    bookings = list(
        Booking.objects.filter(
            slot__supporter=supporter,
            slot__organisation=organisation,
            slot__starts_at__gte=start,
            slot__starts_at__lt=end,
        )
        .exclude(status=Booking.Status.CANCELLED)
        .select_related("slot", "member")
        .order_by("slot__starts_at")
    )
    blocks = list(
        Slot.objects.filter(
            supporter=supporter,
            organisation=organisation,
            walk_in=True,
            status=Slot.Status.OPEN,
            ends_at__gt=timezone.now(),
            starts_at__lt=end,
        )
        .annotate(waiting=Exists(QueueEntry.objects.filter(slot=OuterRef("pk"), status="waiting")))
        .order_by("starts_at")
    )
    return bookings, blocks


def walk_in_block_for_supporter(supporter: User, organisation: Organisation, pk: int) -> Slot:
    found = (
        Slot.objects.filter(pk=pk, supporter=supporter, organisation=organisation, walk_in=True)
        .select_related("organisation", "supporter")
        .first()
    )
    if found is None:
        raise Http404("No such walk-in block")
    return found


def walk_in_block_for_member(member: User, pk: int) -> Slot:
    found = slot_for_member(member, pk)
    if not found.walk_in:
        raise Http404("No such walk-in block")
    return found


@dataclass
class QueuePlace:
    """What a member in a queue sees: their place and an honest estimate."""

    entry: QueueEntry | None
    position: int  # 1 = next
    ahead: int
    waiting: int
    estimate_minutes: int
    may_run_out: bool  # the block may end before their turn

    @property
    def is_waiting(self) -> bool:
        return self.entry is not None and self.entry.status == QueueEntry.Status.WAITING

    @property
    def is_called(self) -> bool:
        return self.entry is not None and self.entry.status == QueueEntry.Status.CALLED


def waiting_in(block: Slot) -> QuerySet[QueueEntry]:
    return block.queue.filter(status=QueueEntry.Status.WAITING).select_related("member")


def queue_place(block: Slot, member: User, *, now: datetime.datetime | None = None) -> QueuePlace:
    """The member's place in the block's queue (two queries)."""
    now = now or timezone.now()
    entries = list(
        block.queue.filter(
            Q(status=QueueEntry.Status.WAITING) | Q(member=member) | Q(called_at__isnull=False)
        ).order_by("joined_at", "id")
    )
    waiting = [e for e in entries if e.status == QueueEntry.Status.WAITING]
    mine = [e for e in entries if e.member_id == member.pk]
    entry = mine[-1] if mine else None
    calls = [e.called_at for e in entries if e.called_at]
    ahead = len(waiting)
    if entry is not None and entry.status == QueueEntry.Status.WAITING:
        ahead = next(i for i, e in enumerate(waiting) if e.pk == entry.pk)
    estimate = estimate_for(block, ahead=ahead, calls=calls, now=now)
    ends_in = (block.ends_at - now).total_seconds() / 60
    return QueuePlace(
        entry=entry,
        position=ahead + 1,
        ahead=ahead,
        waiting=len(waiting),
        estimate_minutes=estimate,
        may_run_out=estimate >= ends_in,
    )


def estimate_for(
    block: Slot, *, ahead: int, calls: list[datetime.datetime], now: datetime.datetime
) -> int:
    per_person = schedule.per_person_minutes(calls, block.per_person_minutes)
    since_last = (now - max(calls)).total_seconds() / 60 if calls else None
    return schedule.estimate_wait_minutes(
        ahead=ahead,
        per_person_minutes=per_person,
        minutes_since_last_call=since_last,
        minutes_until_start=max(0.0, (block.starts_at - now).total_seconds() / 60),
    )


def queue_for_supporter(block: Slot) -> tuple[list[QueueEntry], list[QueueEntry]]:
    """The people waiting, in order, and those already called in this block."""
    entries = list(
        block.queue.filter(status__in=[QueueEntry.Status.WAITING, QueueEntry.Status.CALLED])
        .select_related("member", "conversation")
        .order_by("joined_at", "id")
    )
    waiting = [e for e in entries if e.status == QueueEntry.Status.WAITING]
    called = sorted(
        (e for e in entries if e.status == QueueEntry.Status.CALLED),
        key=lambda e: e.called_at,
        reverse=True,
    )
    return waiting, called


def live_feeds_of(user: User) -> QuerySet[CalendarFeed]:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True)


def feed_bookings(supporter: User, *, days_back: int = 30) -> QuerySet[Booking]:
    """What a supporter's calendar feed shows: live bookings from a month ago on."""
    return (
        Booking.objects.filter(
            slot__supporter=supporter,
            status=Booking.Status.BOOKED,
            slot__starts_at__gte=timezone.now() - datetime.timedelta(days=days_back),
        )
        .select_related("slot__supporter", "member")
        .order_by("slot__starts_at")
    )


def milestones_of(organisation: Organisation) -> QuerySet[Milestone]:
    return Milestone.objects.filter(organisation=organisation).order_by("first_day", "pk")


def supporter_profile(user: User, organisation: Organisation) -> SupporterProfile | None:
    return SupporterProfile.objects.filter(user=user, organisation=organisation).first()


# --- coverage, for coordinators: numbers only, never who booked or queued

COVERAGE_PAST_WEEKS = 4
COVERAGE_FUTURE_WEEKS = 8
GAP_LEAD_DAYS = 14  # demand builds in the fortnight before exams
NO_SHOW_DAYS = 90


@dataclass
class WeekCoverage:
    week_start: datetime.date
    hours_offered: float = 0.0
    walk_in_hours: float = 0.0
    bookable_slots: int = 0
    booked: int = 0
    planned: bool = False  # from availability rules beyond the slots made so far
    milestones: list = None
    when: str = ""  # "past", "this week" or "ahead"


@dataclass
class MilestoneGap:
    milestone: object
    uncovered_days: list[datetime.date]
    weekdays_checked: int


@dataclass
class Coverage:
    weeks: list[WeekCoverage]
    gaps: list[MilestoneGap]
    people_seen_walk_in: int
    median_wait_minutes: int | None
    longest_wait_minutes: int | None
    no_shows: int
    members_missing_repeatedly: int
    flagged_supporters: list[tuple[str, datetime.datetime]]


def _week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def coverage_for(organisation: Organisation, *, now: datetime.datetime | None = None) -> Coverage:
    """Hours offered and booked per week, queue waits, no-shows, and exam-time gaps."""
    from kindred.officehours.services import WINDOW_DAYS  # services import selectors

    now = now or timezone.now()
    zone = zone_of(organisation)
    today = now.astimezone(zone).date()
    first_week = _week_start(today) - datetime.timedelta(weeks=COVERAGE_PAST_WEEKS)
    last_day = (
        _week_start(today)
        + datetime.timedelta(weeks=COVERAGE_FUTURE_WEEKS)
        - (datetime.timedelta(days=1))
    )
    made_until = today + datetime.timedelta(days=WINDOW_DAYS - 1)
    this_week = _week_start(today)
    weeks = {}
    for i in range(COVERAGE_PAST_WEEKS + COVERAGE_FUTURE_WEEKS):
        start = first_week + datetime.timedelta(weeks=i)
        when = "past" if start < this_week else "this week" if start == this_week else "ahead"
        weeks[start] = WeekCoverage(start, milestones=[], when=when)
    covered_days: set[datetime.date] = set()

    def count(day, starts_at, ends_at, walk_in, booked, planned=False):
        week = weeks.get(_week_start(day))
        if week is None:
            return
        hours = (ends_at - starts_at).total_seconds() / 3600
        week.hours_offered += hours
        if walk_in:
            week.walk_in_hours += hours
        else:
            week.bookable_slots += 1
            week.booked += int(booked)
        week.planned = week.planned or planned
        covered_days.add(day)

    range_start = datetime.datetime.combine(first_week, datetime.time.min, tzinfo=zone)
    range_end = datetime.datetime.combine(
        made_until + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    rows = (
        Slot.objects.filter(
            organisation=organisation, starts_at__gte=range_start, starts_at__lt=range_end
        )
        .annotate(booked=_booked(), current=_current_supporter())
        .filter(Q(status=Slot.Status.OPEN) | Q(booked=True))
        .values_list("starts_at", "ends_at", "walk_in", "booked", "current")
    )
    for starts_at, ends_at, walk_in, booked, current in rows:
        if starts_at >= now and not (current or booked):
            continue  # a lapsed supporter's open times are not on offer
        count(starts_at.astimezone(zone).date(), starts_at, ends_at, walk_in, booked)

    # Beyond the slots made so far, plan from the rules of supporters who are current.
    if last_day > made_until:
        trained = set(
            RoleGrant.objects.filter(
                membership__organisation=organisation,
                role=Role.SUPPORTER,
                revoked_at__isnull=True,
                trained_until__gte=timezone.localdate(),
            ).values_list("membership__user_id", flat=True)
        )
        rules = list(
            AvailabilityRule.objects.filter(
                profile__organisation=organisation,
                profile__status=SupporterProfile.Status.AVAILABLE,
                profile__user_id__in=trained,
            )
        )
        time_off: dict[int, list] = {}
        for off in TimeOff.objects.filter(
            profile_id__in={r.profile_id for r in rules}, last_day__gt=made_until
        ):
            time_off.setdefault(off.profile_id, []).append(off.as_spec())
        by_profile: dict[int, list] = {}
        for rule in rules:
            by_profile.setdefault(rule.profile_id, []).append(rule.as_spec())
        for profile_id, specs in by_profile.items():
            for plan in schedule.plan_slots(
                specs,
                time_off.get(profile_id, []),
                first_day=made_until + datetime.timedelta(days=1),
                last_day=last_day,
                time_zone=organisation.time_zone,
            ):
                count(plan.local_day, plan.starts_at, plan.ends_at, plan.walk_in, False, True)

    milestones = list(
        Milestone.objects.filter(
            organisation=organisation,
            last_day__gte=first_week,
            first_day__lte=last_day + datetime.timedelta(days=GAP_LEAD_DAYS),
        )
    )
    gaps = []
    for milestone in milestones:
        for week in weeks.values():
            week_end = week.week_start + datetime.timedelta(days=6)
            if milestone.first_day <= week_end and milestone.last_day >= week.week_start:
                week.milestones.append(milestone)
        if milestone.kind != Milestone.Kind.EXAMS or milestone.last_day < today:
            continue
        window_start = max(today, milestone.first_day - datetime.timedelta(days=GAP_LEAD_DAYS))
        window_end = min(milestone.last_day, last_day)
        days = [
            window_start + datetime.timedelta(days=i)
            for i in range((window_end - window_start).days + 1)
        ]
        weekdays = [d for d in days if d.weekday() < 5]
        gaps.append(
            MilestoneGap(
                milestone=milestone,
                uncovered_days=[d for d in weekdays if d not in covered_days],
                weekdays_checked=len(weekdays),
            )
        )

    waits = sorted(
        (called - joined).total_seconds() / 60
        for joined, called in QueueEntry.objects.filter(
            slot__organisation=organisation,
            status=QueueEntry.Status.CALLED,
            called_at__gte=range_start,
        ).values_list("joined_at", "called_at")
    )
    no_show_members = list(
        Booking.objects.filter(
            organisation=organisation,
            status=Booking.Status.NO_SHOW,
            slot__starts_at__gte=now - datetime.timedelta(days=NO_SHOW_DAYS),
        ).values_list("member_id", flat=True)
    )
    repeated = {m for m in no_show_members if no_show_members.count(m) >= 2}
    flagged: dict[str, datetime.datetime] = {}
    for name, starts_at in (
        Booking.objects.filter(
            organisation=organisation,
            status=Booking.Status.BOOKED,
            flagged_at__isnull=False,
            slot__starts_at__gt=now,
        )
        .order_by("slot__starts_at")
        .values_list("slot__supporter__display_name", "slot__starts_at")
    ):
        flagged.setdefault(name, starts_at)
    return Coverage(
        weeks=sorted(weeks.values(), key=lambda w: w.week_start),
        gaps=gaps,
        people_seen_walk_in=len(waits),
        median_wait_minutes=round(waits[len(waits) // 2]) if waits else None,
        longest_wait_minutes=round(waits[-1]) if waits else None,
        no_shows=len(no_show_members),
        members_missing_repeatedly=len(repeated),
        flagged_supporters=sorted(flagged.items(), key=lambda kv: kv[1]),
    )
