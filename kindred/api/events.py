"""Events over the API: list upcoming events, RSVP (201 going, 202 waiting list, 200 not
going), propose topics and vote for them (a second vote changes nothing and answers 200).
Nobody is shown who proposed, voted or is going. The Q&A endpoints live in kindred/api/qanda.py.
"""

import datetime

from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from kindred.accounts.selectors import organisations_of
from kindred.core.errors import DomainError
from kindred.events import selectors, services
from kindred.events.models import PROPOSAL_LIMIT, Event, Format, Rsvp
from kindred.safety import hooks as safety_hooks

router = Router(tags=["events"])
S = Rsvp.Status


class EventOut(Schema):
    id: int
    title: str
    kind: str
    topics: list[str]
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    run_by: list[str] = Field(description="Host first, then co-hosts")
    audience: str
    format: str
    cancelled: bool
    full: bool = Field(description="Saying you are going puts you on the waiting list")
    my_status: str | None = Field(description="going, waitlisted, not_going or null")
    where: str | None = Field(description="Room or video link: only when you are going")
    url: str


class RsvpIn(Schema):
    going: bool = True


class RsvpOut(Schema):
    event_id: int
    status: str
    status_text: str


class ProposalIn(Schema):
    text: str = Field(..., min_length=1, max_length=PROPOSAL_LIMIT)
    organisation: str | None = Field(
        None, description="Slug of one of your organisations; needed if you have several"
    )


class ProposalOut(Schema):
    id: int
    text: str
    votes: int
    voted: bool
    mine: bool = Field(description="You proposed it (only you are told)")


def _event_out(event: Event, mine: Rsvp | None) -> dict:
    going = mine is not None and mine.status == S.GOING
    return {
        "id": event.pk,
        "title": event.title,
        "kind": event.kind,
        "topics": list(event.topics or []),
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "run_by": [event.host.name, *(o.name for o in event.co_hosts.all())],
        "audience": event.audience,
        "format": event.format,
        "cancelled": event.is_cancelled,
        "full": event.full,
        "my_status": mine.status if mine else None,
        "where": (event.location if event.format == Format.IN_PERSON else event.video_link)
        if going
        else None,
        "url": services.event_url(event),
    }


@router.get("/events", response=list[EventOut], summary="Upcoming events I can go to")
def list_events(request, kind: str = "", topic: str = ""):
    events = selectors.upcoming_for(request.auth, kind=kind, topic=topic)
    mine = selectors.rsvps_of(request.auth, events)
    return [_event_out(e, mine.get(e.pk)) for e in events]


@router.post(
    "/events/{event_id}/rsvp",
    response={200: RsvpOut, 201: RsvpOut, 202: RsvpOut},
    summary="Going or not going",
)
def rsvp_event(request, event_id: int, payload: RsvpIn):
    """201 going; 202 on the waiting list (the event is full); 200 not going. 400 when the
    event is cancelled or over."""
    event = selectors.event_for(request.auth, event_id)
    try:
        result = services.rsvp(member=request.auth, event=event, going=payload.going)
    except DomainError as error:
        raise HttpError(400, error.message) from None
    status = result.rsvp.status
    code = {S.GOING: 201, S.WAITLISTED: 202}.get(status, 200)
    return Status(
        code,
        {
            "event_id": event.pk,
            "status": status,
            "status_text": result.rsvp.get_status_display(),
        },
    )


def _organisation(request, slug: str | None):
    mine = list(organisations_of(request.auth))
    if slug:
        found = next((o for o in mine if o.slug == slug), None)
        if found is None:
            raise HttpError(404, "No such organisation")
        return found
    if len(mine) != 1:
        raise HttpError(400, "Say which of your organisations the topic is for.")
    return mine[0]


@router.post(
    "/topic-proposals",
    response={200: ProposalOut, 201: ProposalOut},
    summary="Propose a topic for events",
)
def propose_event_topic(request, payload: ProposalIn):
    """201 with a new topic (it starts with your vote); 200 when an open topic already has the
    same words: your vote goes to it."""
    organisation = _organisation(request, payload.organisation)
    try:
        proposed = services.propose_topic(
            member=request.auth, organisation=organisation, text=payload.text
        )
    except DomainError as error:
        raise HttpError(400, error.message) from None
    proposal = proposed.proposal
    if proposal is None:
        raise HttpError(400, "This topic was not published. " + safety_hooks.HELP_NOW_API)
    return Status(
        201 if proposed.created else 200,
        {
            "id": proposal.pk,
            "text": proposal.text,
            "votes": selectors.vote_count(proposal),
            "voted": True,
            "mine": proposal.proposed_by_id == request.auth.pk,
        },
    )


@router.post(
    "/topic-proposals/{proposal_id}/vote",
    response={200: ProposalOut, 201: ProposalOut},
    summary="Vote for a proposed topic",
)
def vote_event_topic(request, proposal_id: int):
    """Idempotent: 201 when your vote is counted, 200 when it already was. 400 once an event
    on the topic is planned."""
    proposal = selectors.proposal_for(request.auth, proposal_id)
    try:
        counted, changed = services.vote_topic(member=request.auth, proposal=proposal)
    except DomainError as error:
        raise HttpError(400, error.message) from None
    return Status(
        201 if changed else 200,
        {
            "id": counted.pk,
            "text": counted.text,
            "votes": selectors.vote_count(counted),
            "voted": True,
            "mine": counted.proposed_by_id == request.auth.pk,
        },
    )
