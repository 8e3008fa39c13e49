"""Writes for events: events and series, speakers, cancelling and moving, RSVPs with a waiting
list, check-in, anonymous feedback, topic proposals and votes, calendar feeds and reminders.

Each function checks the programme's rule, writes, audits where someone else's data is touched,
and tells people in the app in the same transaction (emails, which carry no content, leave
only after commit: see `kindred.notifications.services.notify`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from kindred.accounts.models import Organisation, Role, User
from kindred.accounts.selectors import partner_ids, roles_of
from kindred.core import audit, feeds
from kindred.core.errors import DomainError
from kindred.events import photos, schedule, selectors
from kindred.events.models import (
    EVENT_TOPIC_LABELS,
    PROPOSAL_LIMIT,
    Audience,
    Event,
    EventCalendarFeed,
    EventFeedback,
    EventSpeaker,
    Format,
    Kind,
    Rsvp,
    Series,
    SeriesSchedule,
    TopicProposal,
    TopicVote,
)
from kindred.notifications.models import Notification
from kindred.notifications.services import notify
from kindred.safety import hooks as safety_hooks
from kindred.safety.models import Source

EVENTS = Notification.Category.EVENTS
S = Rsvp.Status
REMIND_DAY = datetime.timedelta(hours=24)
REMIND_HOUR = datetime.timedelta(hours=1)
CHECK_IN_OPENS_BEFORE = datetime.timedelta(minutes=30)
FEEDBACK_OPEN_FOR = datetime.timedelta(days=14)
FEEDBACK_LIMIT = 1000
PROPOSALS_PER_MEMBER = 5
FEED_PREFIX = "kev_"
EVENT_FIELDS = (
    "kind",
    "title",
    "description",
    "topics",
    "audience",
    "format",
    "location",
    "video_link",
    "capacity",
    "qa_enabled",
)


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def event_url(event: Event) -> str:
    return f"/events/{event.pk}/"


def _when(event: Event, moment: datetime.datetime | None = None) -> str:
    local = (moment or event.starts_at).astimezone(selectors.zone_of(event))
    return f"{local:%A} {local.day} {local:%B} at {local:%H:%M}"


def _coordinator_check(coordinator: User, organisation: Organisation) -> None:
    if not roles_of(coordinator).has(Role.COORDINATOR, organisation.pk):
        raise PermissionDenied


def _member_check(member: User, organisation_id: int) -> None:
    if not roles_of(member).has(Role.MEMBER, organisation_id):
        raise PermissionDenied


def _locked(event: Event) -> Event:
    """The event row, locked until the transaction ends: RSVPs to one event queue here."""
    return Event.objects.select_for_update().select_related("host").get(pk=event.pk)


def _tell(people, text: str, url: str) -> None:
    for person in {p.pk: p for p in people}.values():
        notify(user=person, category=EVENTS, text=text, url=url)


# --- events and series


def _check_event_fields(organisation: Organisation, fields: dict, co_hosts) -> dict:
    fields = dict(fields)
    fields["title"] = " ".join((fields.get("title") or "").split())
    if not fields["title"]:
        raise DomainError("Give the event a title.", field="title")
    if fields.get("kind") not in Kind.values:
        raise DomainError("Choose what kind of event it is.", field="kind")
    if fields.get("audience") not in Audience.values:
        raise DomainError("Choose who the event is for.", field="audience")
    unknown = set(fields.get("topics") or []) - set(EVENT_TOPIC_LABELS)
    if unknown:
        raise DomainError("Choose topics from the list.", field="topics")
    fields["location"] = (fields.get("location") or "").strip()
    fields["video_link"] = (fields.get("video_link") or "").strip()
    if fields.get("format") == Format.IN_PERSON and not fields["location"]:
        raise DomainError("Say where people should come.", field="location")
    if fields.get("format") == Format.VIDEO and not fields["video_link"]:
        raise DomainError("Add the video link (only people going will see it).", field="video_link")
    capacity = fields.get("capacity")
    if capacity is not None and capacity < 1:
        raise DomainError("Places must be at least 1, or empty for no limit.", field="capacity")
    allowed = partner_ids(organisation)
    if any(o.pk not in allowed for o in co_hosts):
        raise DomainError("Co-hosts must be partner organisations.", field="co_hosts")
    return fields


def _check_times(starts_at, ends_at, now, *, field: str = "starts_on") -> None:
    if ends_at <= starts_at:
        raise DomainError("The event must end after it starts.", field="end_time")
    if starts_at <= now:
        raise DomainError("Choose a time in the future.", field=field)


def _schedule_proposal(proposal: TopicProposal | None, *, event: Event, series=None) -> None:
    """The topic became an event: close it (and what was merged into it) and tell its voters."""
    if proposal is None:
        return
    proposal = TopicProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.organisation_id != event.host_id:
        raise DomainError("That topic belongs to another organisation.")
    if proposal.status != TopicProposal.Status.OPEN:
        raise DomainError("An event on that topic is already planned.")
    family = [proposal.pk, *proposal.merged.values_list("pk", flat=True)]
    TopicProposal.objects.filter(pk__in=family).update(
        status=TopicProposal.Status.SCHEDULED, event=event, series=series
    )
    voters = User.objects.filter(
        pk__in=TopicVote.objects.filter(proposal_id__in=family).values("voter")
    )
    _tell(
        voters,
        f"A topic you voted for is now an event: {event.title}, {_when(event)}.",
        event_url(event),
    )


@transaction.atomic
def create_event(
    *,
    coordinator: User,
    organisation: Organisation,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    co_hosts=(),
    proposal: TopicProposal | None = None,
    now: datetime.datetime | None = None,
    **fields,
) -> Event:
    """A one-off event hosted by `organisation`. From a topic proposal, its voters are told."""
    _coordinator_check(coordinator, organisation)
    co_hosts = list(co_hosts)
    fields = _check_event_fields(organisation, fields, co_hosts)
    _check_times(starts_at, ends_at, _now(now))
    event = Event.objects.create(
        host=organisation,
        starts_at=starts_at,
        ends_at=ends_at,
        created_by=coordinator,
        check_in_code=schedule.check_in_code(),
        **{k: fields[k] for k in EVENT_FIELDS if k in fields},
    )
    event.co_hosts.set(co_hosts)
    _schedule_proposal(proposal, event=event)
    return event


@dataclass
class UpdateResult:
    event: Event
    moved: bool
    changed: bool
    told: int


@transaction.atomic
def update_event(
    *,
    coordinator: User,
    event: Event,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    co_hosts=(),
    now: datetime.datetime | None = None,
    **fields,
) -> UpdateResult:
    """Edit an event. Moving it (new times) tells everyone who RSVP'd and re-arms reminders; a
    new place tells the people going. Any change raises the calendar SEQUENCE (same UID), so
    calendar files and feeds update in place. More places promote people waiting."""
    now = _now(now)
    event = _locked(event)
    _coordinator_check(coordinator, event.host)
    if event.is_cancelled:
        raise DomainError("This event is cancelled and can no longer be changed.")
    if event.ends_at <= now:
        raise DomainError("This event has ended and can no longer be changed.")
    co_hosts = list(co_hosts)
    fields = _check_event_fields(event.host, fields, co_hosts)
    moved = (starts_at, ends_at) != (event.starts_at, event.ends_at)
    if moved:
        _check_times(starts_at, ends_at, now)
    place_before = (event.format, event.location, event.video_link)
    changed = moved or any(getattr(event, k) != fields[k] for k in EVENT_FIELDS if k in fields)
    changed = changed or {o.pk for o in co_hosts} != {o.pk for o in event.co_hosts.all()}
    if not changed:
        return UpdateResult(event=event, moved=False, changed=False, told=0)
    for name in EVENT_FIELDS:
        if name in fields:
            setattr(event, name, fields[name])
    event.starts_at, event.ends_at = starts_at, ends_at
    event.sequence += 1
    if moved:
        event.reminded_day_at = event.reminded_hour_at = None
    event.save()
    event.co_hosts.set(co_hosts)
    told = 0
    if moved:
        people = selectors.everyone_who_answered(event)
        _tell(people, f"{event.title} has moved to {_when(event)}.", event_url(event))
        told = len(people)
    elif place_before != (event.format, event.location, event.video_link):
        people = selectors.going_people(event)
        _tell(people, f"Where to go for {event.title} has changed.", event_url(event))
        told = len(people)
    _promote_waiting(event, now)
    return UpdateResult(event=event, moved=moved, changed=True, told=told)


@transaction.atomic
def cancel_event(*, coordinator: User, event: Event, now: datetime.datetime | None = None) -> int:
    """Cancel an event: everyone who RSVP'd is told, calendars mark it cancelled (same UID,
    next SEQUENCE). Returns how many people were told."""
    now = _now(now)
    event = _locked(event)
    _coordinator_check(coordinator, event.host)
    if event.is_cancelled:
        raise DomainError("This event is already cancelled.")
    if event.ends_at <= now:
        raise DomainError("This event has already ended.")
    event.status = Event.Status.CANCELLED
    event.sequence += 1
    event.save(update_fields=["status", "sequence"])
    people = selectors.everyone_who_answered(event)
    _tell(people, f"{event.title} on {_when(event)} is cancelled.", event_url(event))
    return len(people)


@transaction.atomic
def create_series(
    *,
    coordinator: User,
    organisation: Organisation,
    weekday: int,
    start_time: datetime.time,
    duration_minutes: int,
    interval_weeks: int,
    starts_on: datetime.date,
    event_count: int | None = None,
    until: datetime.date | None = None,
    skip_exam_weeks: bool = True,
    co_hosts=(),
    proposal: TopicProposal | None = None,
    now: datetime.datetime | None = None,
    **fields,
) -> Series:
    """A recurring series and all its events, skipping weeks with exams in the host's academic
    calendar when asked. From a topic proposal, its voters are told."""
    now = _now(now)
    _coordinator_check(coordinator, organisation)
    co_hosts = list(co_hosts)
    fields = _check_event_fields(organisation, fields, co_hosts)
    if not 1 <= interval_weeks <= 8:
        raise DomainError("Repeat every 1 to 8 weeks.", field="interval_weeks")
    if event_count is None and until is None:
        raise DomainError("Give a number of events or a last date.", field="event_count")
    if event_count is not None and not 1 <= event_count <= schedule.MAX_SERIES_EVENTS:
        raise DomainError(
            f"A series has 1 to {schedule.MAX_SERIES_EVENTS} events.", field="event_count"
        )
    if until is not None and until < starts_on:
        raise DomainError("The last date must be after the first.", field="until")
    if not 15 <= duration_minutes <= 600:
        raise DomainError("Events last 15 minutes to 10 hours.", field="duration_minutes")
    zone = ZoneInfo(organisation.time_zone)
    dates = schedule.series_dates(
        starts_on=starts_on,
        weekday=weekday,
        interval_weeks=interval_weeks,
        count=event_count,
        until=until,
        exams=selectors.exam_periods(organisation) if skip_exam_weeks else (),
    )
    length = datetime.timedelta(minutes=duration_minutes)
    starts = [schedule.at(day, start_time, zone) for day in dates.days]
    if not starts:
        raise DomainError("No dates fall between those days outside exam weeks.", field="starts_on")
    if starts[0] <= now:
        raise DomainError("The first event must be in the future.", field="starts_on")
    series = Series.objects.create(
        host=organisation,
        title=fields["title"],
        description=fields.get("description", ""),
        kind=fields["kind"],
        interval_weeks=interval_weeks,
        skip_exam_weeks=skip_exam_weeks,
        created_by=coordinator,
    )
    SeriesSchedule.objects.create(
        series=series,
        weekday=weekday,
        start_time=start_time,
        duration_minutes=duration_minutes,
        starts_on=starts_on,
        event_count=event_count,
        until=until,
        skipped=[d.isoformat() for d in dates.skipped],
    )
    events = Event.objects.bulk_create(
        Event(
            host=organisation,
            series=series,
            starts_at=start,
            ends_at=start + length,
            created_by=coordinator,
            check_in_code=schedule.check_in_code(),
            **{k: fields[k] for k in EVENT_FIELDS if k in fields},
        )
        for start in starts
    )
    if co_hosts:
        through = Event.co_hosts.through
        through.objects.bulk_create(
            through(event_id=e.pk, organisation_id=o.pk) for e in events for o in co_hosts
        )
    first = Event.objects.select_related("host").get(pk=events[0].pk)
    _schedule_proposal(proposal, event=first, series=series)
    return series


# --- speakers


@transaction.atomic
def add_speaker(
    *,
    coordinator: User,
    event: Event,
    name: str,
    role: str = "",
    bio: str = "",
    lived_experience: bool = False,
    email: str = "",
    photo: bytes = b"",
) -> EventSpeaker:
    """A speaker. With an email that belongs to a member of the host or a co-host, that person
    is invited (audited, and told) to link their account, which lets them moderate the Q&A.
    Nothing here says whether the email belongs to anyone."""
    _coordinator_check(coordinator, event.host)
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("Give the speaker's name.", field="name")
    user = None
    email = (email or "").strip()
    if email:
        user = (
            User.objects.filter(
                email__iexact=email,
                is_active=True,
                memberships__organisation_id__in=selectors.organisations_for(event),
            )
            .distinct()
            .first()
        )
        if user is not None and event.speakers.filter(Q(user=user) | Q(invited=user)).exists():
            user = None  # already a speaker or invited: nothing more to send
    photo_type = ""
    if photo:
        if len(photo) > photos.PHOTO_LIMIT:
            raise DomainError(
                f"The photo is {len(photo) // 1024:,} KB; choose one up to "
                f"{photos.PHOTO_LIMIT // 1024} KB.",
                field="photo",
            )
        photo_type = photos.image_type(photo) or ""
        if not photo_type:
            raise DomainError("The photo must be a JPEG, PNG or WebP image.", field="photo")
        try:
            photo = photos.without_metadata(photo)  # where and with what it was taken
        except photos.UnreadableImage:
            raise DomainError(
                "That image could not be read. Try saving it again as JPEG or PNG.",
                field="photo",
            ) from None
    order = (event.speakers.aggregate(m=Max("order"))["m"] or 0) + 1
    speaker = EventSpeaker.objects.create(
        event=event,
        name=name,
        role=(role or "").strip(),
        bio=(bio or "").strip(),
        lived_experience=lived_experience,
        email_given=bool(email),
        invited=user,
        order=order,
        photo=photo if photo_type else b"",
        photo_type=photo_type,
    )
    if user is not None:
        audit.record(
            actor=coordinator,
            subject=user,
            action="invited",
            target="your account to be linked as a speaker at an event",
            role="coordinator",
        )
        _tell(
            [user],
            f"You are invited to speak at {event.title}, {_when(event)}. Accept on the event "
            "page to be linked, so you can moderate its Q&A.",
            event_url(event),
        )
    return speaker


@transaction.atomic
def accept_speaker_invitation(*, member: User, speaker: EventSpeaker) -> EventSpeaker:
    """The invited person links their account: now they may moderate the event's Q&A."""
    if speaker.invited_id != member.pk:
        raise PermissionDenied
    speaker.user, speaker.invited = member, None
    speaker.save(update_fields=["user", "invited"])
    return speaker


@transaction.atomic
def remove_speaker(*, coordinator: User, speaker: EventSpeaker) -> None:
    _coordinator_check(coordinator, speaker.event.host)
    speaker.delete()


# --- RSVP and the waiting list


@dataclass
class RsvpResult:
    rsvp: Rsvp
    changed: bool

    @property
    def waitlisted(self) -> bool:
        return self.rsvp.status == S.WAITLISTED


def _promote_waiting(event: Event, now: datetime.datetime) -> int:
    """Fill free places from the waiting list, first come first served; the caller holds the
    event's lock."""
    promoted = 0
    while event.capacity is None or selectors.going_count(event) < event.capacity:
        first = selectors.first_waiting(event)
        if first is None:
            break
        first.status = S.GOING
        first.save(update_fields=["status", "updated_at"])
        notify(
            user=first.user,
            category=EVENTS,
            text=f"A place came up: you are going to {event.title}, {_when(event)}.",
            url=event_url(event),
        )
        promoted += 1
    return promoted


@transaction.atomic
def rsvp(
    *, member: User, event: Event, going: bool = True, now: datetime.datetime | None = None
) -> RsvpResult:
    """Going or not going. A full event (or one with people waiting: nobody jumps the list)
    puts the person on the waiting list; when someone stops going, the first person waiting
    gets the place and is told. Saying the same twice changes nothing."""
    now = _now(now)
    event = _locked(event)
    if event.is_cancelled:
        raise DomainError("This event has been cancelled.")
    if event.ends_at <= now:
        raise DomainError("This event has ended.")
    mine = Rsvp.objects.select_for_update().filter(event=event, user=member).first()
    if going:
        if mine is not None and mine.status in (S.GOING, S.WAITLISTED):
            return RsvpResult(rsvp=mine, changed=False)
        full = selectors.is_full(event)
        status = S.WAITLISTED if full else S.GOING
        if mine is None:
            mine = Rsvp.objects.create(event=event, user=member, status=status)
        else:
            mine.status = status
            mine.save(update_fields=["status", "updated_at"])
        return RsvpResult(rsvp=mine, changed=True)
    if mine is not None and mine.status == S.NOT_GOING:
        return RsvpResult(rsvp=mine, changed=False)
    was_going = mine is not None and mine.status == S.GOING
    if mine is None:
        mine = Rsvp.objects.create(event=event, user=member, status=S.NOT_GOING)
    else:
        mine.status = S.NOT_GOING
        mine.save(update_fields=["status", "updated_at"])
    if was_going:
        _promote_waiting(event, now)
    return RsvpResult(rsvp=mine, changed=True)


@transaction.atomic
def check_in(
    *, member: User, event: Event, code: str, now: datetime.datetime | None = None
) -> Rsvp:
    """Mark attendance with the code shown in the room (from half an hour before the start to
    the end). Someone in the room counts as going, whatever they answered before."""
    now = _now(now)
    event = _locked(event)
    if not selectors.check_in_open(event, now):
        raise DomainError(
            "Check-in opens half an hour before the event and closes when it ends.", field="code"
        )
    if schedule.normalise_code(code) != event.check_in_code:
        raise DomainError(
            "That code does not match. Check the code shown in the room.", field="code"
        )
    mine = Rsvp.objects.select_for_update().filter(event=event, user=member).first()
    if mine is None:
        return Rsvp.objects.create(event=event, user=member, status=S.GOING, checked_in_at=now)
    if mine.checked_in_at is None:
        mine.checked_in_at = now
        mine.status = S.GOING
        mine.save(update_fields=["checked_in_at", "status", "updated_at"])
    return mine


@transaction.atomic
def new_check_in_code(*, coordinator: User, event: Event) -> str:
    """A fresh code, for when the old one was shared outside the room."""
    _coordinator_check(coordinator, event.host)
    event.check_in_code = schedule.check_in_code()
    event.save(update_fields=["check_in_code"])
    return event.check_in_code


# --- feedback


@transaction.atomic
def give_feedback(
    *,
    member: User,
    event: Event,
    was_useful: bool | None,
    would_recommend: bool | None,
    text: str = "",
    now: datetime.datetime | None = None,
):
    """Anonymous feedback from someone who was going or checked in. The answers carry no link to
    the person; their RSVP only records that they answered. Returns the safety assessment of
    any words written (None without words)."""
    now = _now(now)
    mine = Rsvp.objects.select_for_update().filter(event=event, user=member).first()
    if mine is not None and mine.feedback_given:
        raise DomainError("You have already answered for this event. Thank you.")
    if not selectors.can_give_feedback(mine, event, now):
        raise DomainError("Feedback is open to people who went, from the start of the event.")
    text = (text or "").strip()
    if len(text) > FEEDBACK_LIMIT:
        raise DomainError(f"Keep it under {FEEDBACK_LIMIT} characters.", field="text")
    if text and event.created_by_id is None:
        raise DomainError(
            "Written comments cannot be kept for this event; your other answers are welcome.",
            field="text",
        )
    EventFeedback.objects.create(
        event=event,
        was_useful=was_useful,
        would_recommend=would_recommend,
        key_owner_id=event.created_by_id if text else None,
        text=text,
    )
    mine.feedback_given = True
    mine.save(update_fields=["feedback_given"])
    if not text:
        return None
    return safety_hooks.text_submitted(organisation=event.host, source=Source.QUESTION, text=text)


# --- topic proposals and votes


@dataclass
class Proposed:
    proposal: TopicProposal | None  # None: held back, because the words signal risk
    created: bool
    assessment: object = None


@transaction.atomic
def propose_topic(*, member: User, organisation: Organisation, text: str) -> Proposed:
    """A member proposes a topic; other members see it without their name, and it starts with
    their vote. The same words as an open topic add their vote to it instead."""
    _member_check(member, organisation.pk)
    text = " ".join((text or "").split())
    if not text:
        raise DomainError("Write a few words about the topic.", field="text")
    if len(text) > PROPOSAL_LIMIT:
        raise DomainError(f"Keep a topic under {PROPOSAL_LIMIT} characters.", field="text")
    # Checked before anything is shown: words that signal high or imminent risk are never
    # published to the organisation (as in the Q&A); the caller offers the person help.
    assessment = safety_hooks.text_submitted(
        organisation=organisation, source=Source.QUESTION, text=text
    )
    if assessment.at_least("high"):
        return Proposed(proposal=None, created=False, assessment=assessment)
    same = TopicProposal.objects.filter(
        organisation=organisation,
        status=TopicProposal.Status.OPEN,
        merged_into__isnull=True,
        text__iexact=text,
    ).first()
    if same is not None:
        _add_vote(same, member)
        return Proposed(proposal=same, created=False)
    mine = TopicProposal.objects.filter(
        organisation=organisation, proposed_by=member, status=TopicProposal.Status.OPEN
    ).count()
    if mine >= PROPOSALS_PER_MEMBER:
        raise DomainError(
            f"You have {PROPOSALS_PER_MEMBER} open topics. Vote for others, or withdraw one of "
            "yours.",
            field="text",
        )
    proposal = TopicProposal.objects.create(
        organisation=organisation, proposed_by=member, text=text
    )
    TopicVote.objects.create(proposal=proposal, voter=member)
    return Proposed(proposal=proposal, created=True, assessment=assessment)


def _add_vote(proposal: TopicProposal, voter: User) -> bool:
    try:
        with transaction.atomic():
            _, created = TopicVote.objects.get_or_create(proposal=proposal, voter=voter)
    except IntegrityError:
        created = False  # the same vote arrived twice at once
    return created


@transaction.atomic
def vote_topic(
    *, member: User, proposal: TopicProposal, on: bool = True
) -> tuple[TopicProposal, bool]:
    """Vote for a topic, or take the vote back. Voting twice changes nothing (not an error); a
    vote for a merged topic counts for the topic it joined. Returns the topic the vote counts
    for and whether anything changed."""
    _member_check(member, proposal.organisation_id)
    if proposal.merged_into_id:
        proposal = TopicProposal.objects.get(pk=proposal.merged_into_id)
    if proposal.status != TopicProposal.Status.OPEN:
        raise DomainError("An event on this topic is already planned, so voting has closed.")
    if not on:
        return proposal, TopicVote.objects.filter(proposal=proposal, voter=member).delete()[0] > 0
    return proposal, _add_vote(proposal, member)


@transaction.atomic
def withdraw_topic(*, member: User, proposal: TopicProposal) -> bool:
    """Withdraw your topic. Returns False when others had voted for it: then it stays for them,
    without your vote and no longer yours."""
    if proposal.proposed_by_id != member.pk:
        raise PermissionDenied
    if proposal.status != TopicProposal.Status.OPEN:
        raise DomainError("An event on this topic is already planned.")
    others = (
        TopicVote.objects.filter(proposal=proposal).exclude(voter=member).exists()
        or TopicProposal.objects.filter(merged_into=proposal).exists()
    )
    if others:
        # Other people's votes (and topics merged into it) stay: only the link to the proposer
        # and their own vote go.
        TopicVote.objects.filter(proposal=proposal, voter=member).delete()
        TopicProposal.objects.filter(pk=proposal.pk).update(proposed_by=None)
        return False
    proposal.delete()
    return True


@transaction.atomic
def merge_topics(
    *, coordinator: User, proposal: TopicProposal, into: TopicProposal
) -> TopicProposal:
    """Fold a duplicate into another topic: its votes move across, once per person."""
    _coordinator_check(coordinator, proposal.organisation)
    if proposal.organisation_id != into.organisation_id or proposal.pk == into.pk:
        raise DomainError("Choose another topic of the same organisation.", field="into")
    if proposal.merged_into_id or into.merged_into_id:
        raise DomainError("That topic has already been merged.", field="into")
    open_ = TopicProposal.Status.OPEN
    if proposal.status != open_ or into.status != open_:
        raise DomainError("Only open topics can be merged.", field="into")
    already = set(TopicVote.objects.filter(proposal=into).values_list("voter_id", flat=True))
    TopicVote.objects.filter(proposal=proposal).exclude(voter_id__in=already).update(proposal=into)
    TopicVote.objects.filter(proposal=proposal).delete()
    TopicProposal.objects.filter(merged_into=proposal).update(merged_into=into)
    proposal.merged_into = into
    proposal.save(update_fields=["merged_into"])
    return into


# --- calendar feeds


def create_event_feed(*, member: User) -> tuple[EventCalendarFeed, str]:
    """A new private feed address; any older one stops working. The secret is shown once."""
    return feeds.create(EventCalendarFeed, member, FEED_PREFIX)


def revoke_event_feeds(*, member: User) -> int:
    return feeds.revoke(EventCalendarFeed, member)


def feed_for(raw: str) -> EventCalendarFeed | None:
    """The live feed with this secret, recording that it was read."""
    return feeds.find(EventCalendarFeed, raw)


# --- reminders


def _remind(due, *, mark: str, now: datetime.datetime, text) -> int:
    sent = 0
    for event in due.select_related("host"):
        # Claim the reminder first, so two upkeep runs at once send it once.
        if not Event.objects.filter(pk=event.pk, **{f"{mark}__isnull": True}).update(**{mark: now}):
            continue
        _tell(selectors.going_people(event), text(event), event_url(event))
        sent += 1
    return sent


@transaction.atomic
def send_event_reminders(*, now: datetime.datetime | None = None) -> int:
    """Remind people going a day before and an hour before, once each."""
    now = _now(now)
    live = Event.objects.filter(status=Event.Status.SCHEDULED, starts_at__gt=now)
    day = _remind(
        live.filter(
            reminded_day_at__isnull=True,
            starts_at__gt=now + REMIND_HOUR,
            starts_at__lte=now + REMIND_DAY,
        ),
        mark="reminded_day_at",
        now=now,
        text=lambda e: f"Reminder: {e.title} is on {_when(e)}.",
    )
    hour = _remind(
        live.filter(reminded_hour_at__isnull=True, starts_at__lte=now + REMIND_HOUR),
        mark="reminded_hour_at",
        now=now,
        text=lambda e: f"Starting soon: {e.title}, {_when(e)}.",
    )
    return day + hour
