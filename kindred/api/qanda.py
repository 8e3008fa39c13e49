"""Live Q&A over the API: list an event's questions with their votes, ask one (anonymous unless
show_name), upvote one (idempotent: 201 the first time, 200 after, nothing changes)."""

from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from kindred.api.auth import acts_strongly
from kindred.core.errors import DomainError
from kindred.qanda import selectors, services
from kindred.qanda.models import QUESTION_LIMIT, Question

router = Router(tags=["qanda"])


class QuestionIn(Schema):
    text: str = Field(..., description=f"Up to {QUESTION_LIMIT} characters")
    show_name: bool = Field(False, description="Show your display name with the question")


class QuestionOut(Schema):
    id: int
    text: str
    votes: int
    asked_by: str | None = Field(description="The asker's display name, if they chose to show it")
    pinned: bool
    answered: bool
    merged_in: int = Field(description="Similar questions a moderator merged into this one")
    voted: bool = Field(description="You upvoted it")
    mine: bool = Field(description="You asked it (only you are told)")


class AskedOut(Schema):
    id: int
    status: str = Field(description="visible, or held: kept out of the room for your safety")
    message: str
    help_url: str | None = Field(description="When held: crisis lines and a peer supporter")


class VoteOut(Schema):
    question_id: int = Field(description="The question the vote counts for (after any merge)")
    votes: int
    voted: bool


def _room(request, event_id: int):
    event = selectors.event_for(request.auth, event_id)
    access = selectors.access_to(request, event)
    strong_organiser = access.organiser_needs_second_factor and acts_strongly(request)
    if not (access.allowed or strong_organiser):
        raise HttpError(403, "The Q&A is for people going to this event and its moderators.")
    return event


def _out(question: Question) -> dict:
    return {
        "id": question.pk,
        "text": question.text,
        "votes": question.votes,
        "asked_by": question.author.display_name if question.show_name else None,
        "pinned": question.pinned,
        "answered": question.answered,
        "merged_in": question.merged_count,
        "voted": question.voted,
        "mine": question.mine,
    }


@router.get(
    "/events/{event_id}/questions", response=list[QuestionOut], summary="An event's questions"
)
def list_questions(request, event_id: int):
    """Shown questions, pinned first, then most votes, then oldest; answered ones last."""
    event = _room(request, event_id)
    room = selectors.room(event, viewer=request.auth)
    return [_out(q) for q in [*room.waiting, *room.answered]]


@router.post("/events/{event_id}/questions", response={201: AskedOut}, summary="Ask a question")
def ask_question(request, event_id: int, payload: QuestionIn):
    """400 with a message when the text is empty or over the limit, or the Q&A is closed."""
    event = _room(request, event_id)
    try:
        question, _assessment = services.ask_question(
            asker=request.auth, event=event, text=payload.text, show_name=payload.show_name
        )
    except DomainError as error:
        raise HttpError(400, error.message) from None
    if question.status == Question.Status.HELD:
        return Status(
            201,
            {
                "id": question.pk,
                "status": "held",
                "message": "Thank you for writing this. We have kept your question out of the "
                "room: nobody else sees it. You do not have to face this alone: crisis lines "
                "are free and confidential, and a peer supporter can talk with you.",
                "help_url": "/help-now/",
            },
        )
    return Status(
        201,
        {
            "id": question.pk,
            "status": "visible",
            "message": "Posted. The room sees your question"
            + (" with your display name." if question.show_name else " without your name."),
            "help_url": None,
        },
    )


@router.post(
    "/questions/{question_id}/vote",
    response={200: VoteOut, 201: VoteOut},
    summary="Upvote a question",
)
def vote_question(request, question_id: int):
    """201 when your vote was added; 200 when you had already voted (nothing changes)."""
    question = selectors.question_for(request.auth, question_id)
    _room(request, question.event_id)
    try:
        counted, changed = services.vote(voter=request.auth, question=question)
    except DomainError as error:
        raise HttpError(400, error.message) from None
    return Status(
        201 if changed else 200,
        {"question_id": counted.pk, "votes": counted.votes, "voted": True},
    )
