"""Reads for live Q&A: who may take part, and the ranked list each person sees."""

import datetime
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db.models import Count
from django.http import Http404
from django.utils import timezone

from kindred.accounts.models import Role, User
from kindred.accounts.selectors import can_act_as
from kindred.events import selectors as events
from kindred.events.models import Event
from kindred.qanda.models import Question

# A room rarely has more; beyond this the oldest low-voted questions are not drawn.
MOST_SHOWN = 200

OPEN = "open"
OFF = "off"
ENDED = "ended"
CANCELLED = "cancelled"


@dataclass(frozen=True)
class Access:
    """What one person may do in an event's Q&A."""

    attendee: bool = False
    speaker: bool = False
    # A current coordinator of the host or a co-host who has passed a second factor.
    organiser: bool = False
    # A coordinator of the event who has not passed a second factor in this session.
    organiser_needs_second_factor: bool = False

    @property
    def moderator(self) -> bool:
        return self.organiser or self.speaker

    @property
    def allowed(self) -> bool:
        return self.attendee or self.moderator


def access_to(request, event: Event) -> Access:
    """Attendee (going or checked in), speaker with an account, organiser with a second factor.
    `request` needs `.user` and `.session` (a consumer passes its scope)."""
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return Access()
    coordinator = events.is_organiser(user, event)
    organiser = coordinator and any(
        can_act_as(request, Role.COORDINATOR, org_id) for org_id in events.organisations_for(event)
    )
    return Access(
        attendee=events.is_attendee(user, event),
        speaker=event.speakers.filter(user=user).exists(),
        organiser=organiser,
        organiser_needs_second_factor=coordinator and not organiser,
    )


def access_from_scope(scope, event: Event) -> Access:
    shim = SimpleNamespace(user=scope.get("user"), session=scope.get("session") or {})
    return access_to(shim, event)


def event_for(user: User, pk: int) -> Event:
    """An event the person may see; 404 otherwise."""
    return events.event_for(user, pk)


def question_for(user: User, pk: int) -> Question:
    """A question of an event the person may see; 404 otherwise (held ones included: the
    services refuse what may not be done to them)."""
    question = Question.objects.filter(pk=pk).first()
    if question is None:
        raise Http404("No such question")
    question.event = events.event_for(user, question.event_id)
    return question


def state_of(event: Event, now: datetime.datetime | None = None) -> str:
    """open, off (organisers turned it off), ended or cancelled."""
    if event.is_cancelled:
        return CANCELLED
    if (now or timezone.now()) >= event.ends_at:
        return ENDED
    if not event.qa_enabled:
        return OFF
    return OPEN


def visible_count(event: Event) -> int:
    return Question.objects.filter(event=event, status=Question.Status.VISIBLE).count()


@dataclass
class Room:
    """The list as one person sees it."""

    event: Event
    state: str
    waiting: list = field(default_factory=list)  # not yet answered: pinned, votes, oldest
    answered: list = field(default_factory=list)
    hidden: list = field(default_factory=list)  # moderators only
    merged_in: dict = field(default_factory=dict)  # question id -> how many were merged in
    voted: set = field(default_factory=set)
    mine: set = field(default_factory=set)
    moderator: bool = False
    total: int = 0

    @property
    def is_open(self) -> bool:
        return self.state == OPEN


def room(
    event: Event,
    *,
    viewer: User | None = None,
    moderator: bool = False,
    now: datetime.datetime | None = None,
) -> Room:
    """The ranked list: pinned first, then most votes, then oldest; answered apart. Held
    questions appear to nobody, their words not even to moderators. With no viewer, the list is
    the same for everyone in the room (the live broadcast); the page marks the person's own
    votes and questions. Four queries at most."""
    statuses = [Question.Status.VISIBLE]
    if moderator:
        statuses.append(Question.Status.HIDDEN)
    questions = Question.objects.filter(event=event, status__in=statuses).select_related("author")
    if moderator:
        questions = questions.annotate(report_count=Count("reports"))
    questions = list(questions.order_by("-pinned", "-votes", "created_at", "pk")[:MOST_SHOWN])
    found = Room(event=event, state=state_of(event, now), moderator=moderator)
    for question in questions:
        if question.status == Question.Status.HIDDEN:
            found.hidden.append(question)
        elif question.answered:
            found.answered.append(question)
        else:
            found.waiting.append(question)
    found.total = len(found.waiting) + len(found.answered)
    found.merged_in = dict(
        Question.objects.filter(event=event, status=Question.Status.MERGED)
        .values_list("merged_into_id")
        .annotate(n=Count("pk"))
        .values_list("merged_into_id", "n")
    )
    if viewer is not None:
        found.voted, found.mine = personal_marks(event, viewer)
    for question in questions:
        question.merged_count = found.merged_in.get(question.pk, 0)
        question.voted = question.pk in found.voted
        question.mine = question.pk in found.mine
        if not moderator:
            question.report_count = 0
    return found


def personal_marks(event: Event, viewer: User) -> tuple[set[int], set[int]]:
    """The questions this person voted for and asked (visible ones), in one query each."""
    voted = set(
        Question.objects.filter(event=event, upvotes__user=viewer).values_list("pk", flat=True)
    )
    mine = set(
        Question.objects.filter(event=event, author=viewer)
        .exclude(status=Question.Status.HELD)
        .values_list("pk", flat=True)
    )
    return voted, mine


def questions_for_export(event: Event) -> list[Question]:
    """Shown questions, answered or not, in ranked order (text and votes only leave Kindred)."""
    return list(
        Question.objects.filter(event=event, status=Question.Status.VISIBLE).order_by(
            "-votes", "created_at", "pk"
        )
    )
