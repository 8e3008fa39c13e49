"""Reads for events; `kindred.qanda` relies on `is_attendee` and `can_moderate`."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from kindred.accounts.models import Organisation, Role, User
from kindred.accounts.selectors import partner_ids, partners_of_all, roles_of
from kindred.events import schedule
from kindred.events.models import (
    Audience,
    Event,
    EventCalendarFeed,
    EventFeedback,
    Rsvp,
    TopicProposal,
    TopicVote,
)


def organisations_for(event: Event) -> set[int]:
    """The host and co-hosts."""
    return {event.host_id, *(o.pk for o in event.co_hosts.all())}


def visible_events(user: User) -> QuerySet[Event]:
    """Events a person may see: their organisations' (host or co-host), their partners' when the
    audience includes partners, and every public one."""
    mine = set(Organisation.objects.filter(memberships__user=user).values_list("pk", flat=True))
    partners = partners_of_all(mine)
    return (
        Event.objects.filter(
            Q(audience=Audience.PUBLIC)
            | Q(host_id__in=mine)
            | Q(co_hosts__in=mine)
            | Q(audience=Audience.PARTNERS, host_id__in=partners)
            | Q(audience=Audience.PARTNERS, co_hosts__in=partners)
        )
        .distinct()
        .select_related("host")
    )


def event_for(user: User, pk: int) -> Event:
    """An event the person may see; 404 otherwise (existence does not leak)."""
    from django.http import Http404

    found = visible_events(user).filter(pk=pk).first()
    if found is None:
        raise Http404("No such event")
    return found


def is_attendee(user: User, event: Event) -> bool:
    """Going (RSVP'd and not waitlisted) or checked in."""
    return Rsvp.objects.filter(
        Q(status=Rsvp.Status.GOING) | Q(checked_in_at__isnull=False), event=event, user=user
    ).exists()


def is_organiser(user: User, event: Event) -> bool:
    """A current coordinator of the host or a co-host."""
    roles = roles_of(user)
    return any(roles.has(Role.COORDINATOR, org_id) for org_id in organisations_for(event))


def can_moderate(user: User, event: Event) -> bool:
    """Organisers and the event's speakers who have a Kindred account."""
    if is_organiser(user, event):
        return True
    return event.speakers.filter(user=user).exists()


# --- beyond what kindred.qanda relies on

UPCOMING_LIMIT = 100


def zone_of(event: Event) -> ZoneInfo:
    return ZoneInfo(event.host.time_zone)


def upcoming_for(
    user: User,
    *,
    kind: str = "",
    topic: str = "",
    now: datetime.datetime | None = None,
    limit: int = UPCOMING_LIMIT,
) -> list[Event]:
    """Events the person may see that have not ended, soonest first; cancelled ones stay listed
    (marked) so people who planned to go see it."""
    now = now or timezone.now()
    found = (
        visible_events(user)
        .filter(ends_at__gt=now)
        .prefetch_related("co_hosts")
        .annotate(
            n_going=Count("rsvps", filter=Q(rsvps__status=Rsvp.Status.GOING), distinct=True),
            n_waiting=Count("rsvps", filter=Q(rsvps__status=Rsvp.Status.WAITLISTED), distinct=True),
        )
        .order_by("starts_at", "pk")
    )
    if kind:
        found = found.filter(kind=kind)
    events = list(found[: limit * 2 if topic else limit])
    if topic:
        # JSON containment is not portable to SQLite; the list is bounded, so filter here.
        events = [e for e in events if topic in (e.topics or [])][:limit]
    for event in events:
        # As is_full: an RSVP now would wait (no place, or people already waiting).
        event.full = bool(event.capacity) and (
            event.n_going >= event.capacity or event.n_waiting > 0
        )
    return events


def rsvps_of(user: User, events: list[Event]) -> dict[int, Rsvp]:
    return {r.event_id: r for r in Rsvp.objects.filter(user=user, event__in=events)}


def rsvp_of(user: User, event: Event) -> Rsvp | None:
    return Rsvp.objects.filter(user=user, event=event).first()


def going_count(event: Event) -> int:
    return Rsvp.objects.filter(event=event, status=Rsvp.Status.GOING).count()


def is_full(event: Event, going: int | None = None) -> bool:
    if event.capacity is None:
        return False
    going = going_count(event) if going is None else going
    return going >= event.capacity or waiting_count(event) > 0


def waiting_count(event: Event) -> int:
    return Rsvp.objects.filter(event=event, status=Rsvp.Status.WAITLISTED).count()


def waiting_position(rsvp: Rsvp) -> int:
    """1 for the first person waiting."""
    return (
        Rsvp.objects.filter(event_id=rsvp.event_id, status=Rsvp.Status.WAITLISTED)
        .filter(Q(updated_at__lt=rsvp.updated_at) | Q(updated_at=rsvp.updated_at, pk__lt=rsvp.pk))
        .count()
        + 1
    )


def first_waiting(event: Event) -> Rsvp | None:
    return (
        Rsvp.objects.filter(event=event, status=Rsvp.Status.WAITLISTED)
        .select_related("user")
        .order_by("updated_at", "pk")
        .first()
    )


def everyone_who_answered(event: Event) -> list[User]:
    """Everyone who RSVP'd, whatever they answered: told when the event is moved or cancelled."""
    return [r.user for r in Rsvp.objects.filter(event=event).select_related("user")]


def going_people(event: Event) -> list[User]:
    return [
        r.user
        for r in Rsvp.objects.filter(event=event, status=Rsvp.Status.GOING).select_related("user")
    ]


def hosted_events(
    organisation: Organisation, *, past: bool = False, now: datetime.datetime | None = None
) -> QuerySet[Event]:
    """A host's events with counts (shown suppressed: see views)."""
    now = now or timezone.now()
    found = Event.objects.filter(host=organisation).annotate(
        n_going=Count("rsvps", filter=Q(rsvps__status=Rsvp.Status.GOING), distinct=True),
        n_waiting=Count("rsvps", filter=Q(rsvps__status=Rsvp.Status.WAITLISTED), distinct=True),
        n_checked_in=Count("rsvps", filter=Q(rsvps__checked_in_at__isnull=False), distinct=True),
    )
    if past:
        return found.filter(ends_at__lte=now).order_by("-starts_at", "-pk")
    return found.filter(ends_at__gt=now).order_by("starts_at", "pk")


def hosted_event(organisation: Organisation, pk: int) -> Event:
    """One of the host's events; another organisation's answer 404."""
    found = Event.objects.filter(host=organisation, pk=pk).select_related("host").first()
    if found is None:
        raise Http404("No such event")
    return found


def partner_choices(organisation: Organisation) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=partner_ids(organisation)).order_by("name")


def exam_periods(organisation: Organisation) -> list[tuple[datetime.date, datetime.date]]:
    from kindred.officehours.models import Milestone

    return list(
        Milestone.objects.filter(organisation=organisation, kind=Milestone.Kind.EXAMS).values_list(
            "first_day", "last_day"
        )
    )


@dataclass
class RankedProposal:
    proposal: TopicProposal
    votes: int
    voted: bool
    mine: bool
    merged_count: int


def ranked_proposals(
    organisations: Iterable[Organisation | int], *, viewer: User, status: str = "open"
) -> list[RankedProposal]:
    """Open topic proposals of these organisations, most votes first (then oldest). Nobody is
    shown who proposed or voted, except the viewer's own."""
    ids = [o if isinstance(o, int) else o.pk for o in organisations]
    rows = (
        TopicProposal.objects.filter(
            organisation_id__in=ids, merged_into__isnull=True, status=status
        )
        .select_related("organisation")
        .annotate(
            n_votes=Count("votes", distinct=True),
            n_merged=Count("merged", distinct=True),
            voted=Exists(TopicVote.objects.filter(proposal=OuterRef("pk"), voter=viewer)),
        )
        .order_by("-n_votes", "created_at", "pk")
    )
    return [
        RankedProposal(
            proposal=p,
            votes=p.n_votes,
            voted=p.voted,
            mine=p.proposed_by_id == viewer.pk,
            merged_count=p.n_merged,
        )
        for p in rows[:200]
    ]


def proposal_for(user: User, pk: int) -> TopicProposal:
    """A proposal of one of the person's organisations; 404 otherwise."""
    found = (
        TopicProposal.objects.filter(pk=pk, organisation__memberships__user=user)
        .select_related("organisation")
        .first()
    )
    if found is None:
        raise Http404("No such topic")
    return found


def hosted_proposal(organisation: Organisation, pk: int) -> TopicProposal:
    found = TopicProposal.objects.filter(pk=pk, organisation=organisation).first()
    if found is None:
        raise Http404("No such topic")
    return found


def vote_count(proposal: TopicProposal) -> int:
    return TopicVote.objects.filter(proposal=proposal).count()


def live_feeds_of(user: User) -> QuerySet[EventCalendarFeed]:
    return EventCalendarFeed.objects.filter(user=user, revoked_at__isnull=True)


def feed_events(user: User, *, days_back: int = 30) -> list[Event]:
    """What a member's feed shows: events they are going to and may still see (someone who
    left the organisation stops getting its places and links), from a month ago on (cancelled
    ones too, so calendars remove them)."""
    since = timezone.now() - datetime.timedelta(days=days_back)
    return list(
        visible_events(user)
        .filter(rsvps__user=user, rsvps__status=Rsvp.Status.GOING, ends_at__gte=since)
        .order_by("starts_at", "pk")
    )


@dataclass
class FeedbackSummary:
    responses: int
    shown: bool
    was_useful: tuple[int, int] = (0, 0)
    would_recommend: tuple[int, int] = (0, 0)
    comments: list[str] = field(default_factory=list)


def _tally(rows: list[EventFeedback], name: str) -> tuple[int, int]:
    answered = [getattr(r, name) for r in rows if getattr(r, name) is not None]
    return sum(1 for a in answered if a), len(answered)


def feedback_summary(event: Event) -> FeedbackSummary:
    """Coordinators see answers only once at least FEEDBACK_THRESHOLD people answered;
    comments in no particular order (sorted by their random id)."""
    rows = list(EventFeedback.objects.filter(event=event).order_by("id"))
    if not schedule.feedback_shown(len(rows)):
        return FeedbackSummary(responses=len(rows), shown=False)
    return FeedbackSummary(
        responses=len(rows),
        shown=True,
        was_useful=_tally(rows, "was_useful"),
        would_recommend=_tally(rows, "would_recommend"),
        comments=[r.text for r in rows if r.text],
    )


def can_give_feedback(
    rsvp: Rsvp | None, event: Event, now: datetime.datetime | None = None
) -> bool:
    from kindred.events.services import FEEDBACK_OPEN_FOR

    now = now or timezone.now()
    return (
        rsvp is not None
        and not event.is_cancelled
        and (rsvp.status == Rsvp.Status.GOING or rsvp.checked_in_at is not None)
        and not rsvp.feedback_given
        and event.starts_at <= now < event.ends_at + FEEDBACK_OPEN_FOR
    )


def check_in_open(event: Event, now: datetime.datetime | None = None) -> bool:
    from kindred.events.services import CHECK_IN_OPENS_BEFORE

    now = now or timezone.now()
    return not event.is_cancelled and event.starts_at - CHECK_IN_OPENS_BEFORE <= now < event.ends_at
