"""Writes for live Q&A. Each change tells the room after commit (kindred.qanda.events)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from kindred.accounts.models import User
from kindred.core import audit
from kindred.core.errors import DomainError
from kindred.events import selectors as event_selectors
from kindred.events.models import Event
from kindred.qanda import events as live
from kindred.qanda import selectors
from kindred.qanda.models import QUESTION_LIMIT, Question, QuestionReport, QuestionVote
from kindred.safety import hooks as safety_hooks
from kindred.safety import risk
from kindred.safety.models import Source

S = Question.Status
CLOSED = {
    selectors.OFF: "Q&A is off for this event: the organisers turned it off.",
    selectors.ENDED: "Q&A closed when the event ended.",
    selectors.CANCELLED: "This event was cancelled.",
}


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def _must_be_open(event: Event, now: datetime.datetime) -> None:
    state = selectors.state_of(event, now)
    if state != selectors.OPEN:
        raise DomainError(CLOSED[state])


def _in_the_room(user: User, event: Event) -> None:
    if not (event_selectors.is_attendee(user, event) or event_selectors.can_moderate(user, event)):
        raise PermissionDenied


def _moderating(user: User, event: Event) -> None:
    if not event_selectors.can_moderate(user, event):
        raise PermissionDenied


def clean_text(text: str) -> str:
    """Collapse runs of spaces; refuse empty and over-long questions with a clear message."""
    text = " ".join((text or "").split())
    if not text:
        raise DomainError("Write your question first.", field="text")
    if len(text) > QUESTION_LIMIT:
        raise DomainError(
            f"Keep your question to {QUESTION_LIMIT} characters: it has {len(text)}. "
            "Your words are still in the box, so you can shorten them.",
            field="text",
        )
    return text


@transaction.atomic
def ask_question(
    *,
    asker: User,
    event: Event,
    text: str,
    show_name: bool = False,
    now: datetime.datetime | None = None,
) -> tuple[Question, risk.Assessment]:
    """Ask a question, without a name unless show_name. Words that signal high or imminent risk
    hold it back from the room (moderators included); the caller offers the asker help."""
    now = _now(now)
    _in_the_room(asker, event)
    text = clean_text(text)
    _must_be_open(event, now)
    assessment = safety_hooks.text_submitted(
        organisation=event.host, source=Source.QUESTION, text=text
    )
    held = assessment.at_least(risk.HIGH)
    question = Question.objects.create(
        event=event,
        author=asker,
        text=text,
        show_name=show_name,
        status=S.HELD if held else S.VISIBLE,
        created_at=now,
    )
    if not held:
        live.questions_changed(event.pk, {"user": asker.pk, "asked": question.pk})
    return question, assessment


def _locked(pk: int) -> Question:
    return Question.objects.select_for_update().select_related("event").get(pk=pk)


@transaction.atomic
def vote(
    *, voter: User, question: Question, on: bool = True, now: datetime.datetime | None = None
) -> tuple[Question, bool]:
    """Upvote a question (or take the vote back). Voting twice changes nothing; a vote for a
    merged question counts for the one it joined. Returns the question counted and whether
    anything changed. The question row is locked, so `votes` stays exact under any load."""
    now = _now(now)
    _in_the_room(voter, question.event)
    counted = _locked(question.pk)
    if counted.status == S.MERGED and counted.merged_into_id:
        counted = _locked(counted.merged_into_id)
    if counted.status != S.VISIBLE:
        raise DomainError("This question is no longer shown to the room.")
    _must_be_open(counted.event, now)
    if on:
        try:
            with transaction.atomic():
                QuestionVote.objects.create(question=counted, user=voter, created_at=now)
        except IntegrityError:
            return counted, False
        change = 1
    else:
        if not QuestionVote.objects.filter(question=counted, user=voter).delete()[0]:
            return counted, False
        change = -1
    Question.objects.filter(pk=counted.pk).update(votes=F("votes") + change)
    counted.refresh_from_db(fields=["votes"])
    live.questions_changed(counted.event_id, {"user": voter.pk, "voted": counted.pk, "on": on})
    return counted, True


@transaction.atomic
def report_question(*, reporter: User, question: Question) -> bool:
    """Tell the moderators a question should not be there; once per person. Returns whether
    this was a new report."""
    _in_the_room(reporter, question.event)
    if question.status != S.VISIBLE:
        return False
    _, created = QuestionReport.objects.get_or_create(question=question, reporter=reporter)
    if created:
        live.questions_changed(question.event_id, {})
    return created


def _moderate(moderator: User, question: Question, **changes) -> Question:
    _moderating(moderator, question.event)
    locked = _locked(question.pk)
    if locked.status in (S.HELD, S.MERGED):
        raise DomainError("This question is no longer in the list.")
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(changes))
    live.questions_changed(locked.event_id, {})  # nobody's own votes or questions change
    return locked


@transaction.atomic
def hide_question(*, moderator: User, question: Question, hidden: bool = True) -> Question:
    """Hide a question from the room (or show it again)."""
    return _moderate(moderator, question, status=S.HIDDEN if hidden else S.VISIBLE)


@transaction.atomic
def pin_question(*, moderator: User, question: Question, pinned: bool = True) -> Question:
    return _moderate(moderator, question, pinned=pinned)


@transaction.atomic
def mark_answered(*, moderator: User, question: Question, answered: bool = True) -> Question:
    return _moderate(moderator, question, answered=answered)


@transaction.atomic
def merge_questions(*, moderator: User, question: Question, into: Question) -> Question:
    """Fold a duplicate into another question: votes combine, one per person."""
    _moderating(moderator, question.event)
    if question.event_id != into.event_id or question.pk == into.pk:
        raise DomainError("Choose another question from this event.", field="into")
    first, second = sorted((question.pk, into.pk))
    locked = {pk: _locked(pk) for pk in (first, second)}  # in pk order: no deadlock
    source, target = locked[question.pk], locked[into.pk]
    if source.status != S.VISIBLE or target.status != S.VISIBLE:
        raise DomainError("Only questions shown to the room can be merged.", field="into")
    already = QuestionVote.objects.filter(question=target).values_list("user_id", flat=True)
    QuestionVote.objects.filter(question=source).exclude(user_id__in=list(already)).update(
        question=target
    )
    QuestionVote.objects.filter(question=source).delete()
    Question.objects.filter(merged_into=source).update(merged_into=target)
    source.status, source.merged_into, source.votes, source.pinned = S.MERGED, target, 0, False
    source.save(update_fields=["status", "merged_into", "votes", "pinned"])
    target.votes = QuestionVote.objects.filter(question=target).count()
    target.save(update_fields=["votes"])
    live.questions_changed(target.event_id)
    return target


@transaction.atomic
def set_qanda(*, organiser: User, event: Event, enabled: bool) -> Event:
    """Organisers turn Q&A off when no moderator is present, and on again."""
    if not event_selectors.is_organiser(organiser, event):
        raise PermissionDenied
    Event.objects.filter(pk=event.pk).update(qa_enabled=enabled)
    event.qa_enabled = enabled
    live.questions_changed(event.pk, {})
    return event


def export_questions(
    *, organiser: User, event: Event, now: datetime.datetime | None = None
) -> list[Question]:
    """The shown questions for the organisers' records, after the event: text and votes only.
    Each asker can see in their log that their words were exported."""
    if not event_selectors.is_organiser(organiser, event):
        raise PermissionDenied
    if _now(now) < event.ends_at:
        raise DomainError("You can export the questions once the event has ended.")
    questions = selectors.questions_for_export(event)
    audit.record_reads(
        actor=organiser,
        subjects=[User(pk=q.author_id) for q in questions],
        target=f"questions asked at {event.title}",
        role="coordinator",
        reason="Q&A export after the event (words and votes only)",
    )
    return questions
