"""Groups over the API: find cohorts, join one (201 with a place, 202 waiting or applied, 409
when already in), suggest topics and vote for them. Nobody is shown who suggested or voted."""

import datetime

from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from kindred.api.auth import acts_strongly
from kindred.core.errors import DomainError
from kindred.groups import selectors, services
from kindred.groups.models import TOPIC_LIMIT, Cohort, Participation
from kindred.groups.services import HOPES_LIMIT
from kindred.safety import hooks as safety_hooks

router = Router(tags=["groups"])
S = Participation.Status


class CohortOut(Schema):
    id: int
    programme: str
    kind: str
    audience: str
    cohort: str
    run_by: list[str] = Field(description="Host first, then co-hosts")
    schedule: str
    first_session: datetime.datetime | None
    format: str
    full: bool = Field(description="New people join the waiting list")
    joining: str = Field(description="apply or direct")
    my_status: str | None = Field(description="joined, waitlisted, offered, applied, … or null")
    url: str


class JoinIn(Schema):
    agree_to_group_agreement: bool
    hopes: str = Field("", max_length=HOPES_LIMIT)
    access_needs: str = Field("", max_length=HOPES_LIMIT)


class JoinOut(Schema):
    cohort_id: int
    status: str
    status_text: str
    offer_expires_at: datetime.datetime | None
    warnings: list[str]


class TopicIn(Schema):
    text: str = Field(..., min_length=1, max_length=TOPIC_LIMIT)


class TopicOut(Schema):
    id: int
    text: str
    votes: int
    voted: bool = Field(description="You voted for it")
    mine: bool = Field(description="You suggested it (only you are told)")
    merged_in: int = Field(description="Similar topics a facilitator merged into this one")


class VoteOut(Schema):
    topic_id: int = Field(description="The topic the vote counts for (after any merge)")
    votes: int
    voted: bool


def _cohort_out(cohort: Cohort, place: Participation | None) -> dict:
    programme = cohort.programme
    return {
        "id": cohort.pk,
        "programme": programme.title,
        "kind": programme.kind,
        "audience": programme.audience,
        "cohort": cohort.name,
        "run_by": [programme.host.name, *(o.name for o in programme.co_hosts.all())],
        "schedule": cohort.describe_schedule(),
        "first_session": cohort.first_start,
        "format": cohort.format,
        "full": cohort.taken >= cohort.capacity or cohort.waiting > 0,
        "joining": programme.joining,
        "my_status": place.status if place else None,
        "url": f"/groups/cohorts/{cohort.pk}/",
    }


@router.get("/cohorts", response=list[CohortOut], summary="Groups I can join or am in")
def list_cohorts(request):
    me = request.auth
    mine = {
        p.cohort_id: p
        for p in selectors.my_participations(me).filter(
            status__in=[S.JOINED, S.WAITLISTED, S.OFFERED, S.APPLIED]
        )
    }
    cohorts = {c.pk: c for c in selectors.open_cohorts_for(me)}
    missing = set(mine) - set(cohorts)
    if missing:
        cohorts.update({c.pk: c for c in selectors.annotated_cohorts().filter(pk__in=missing)})
    return [_cohort_out(c, mine.get(c.pk)) for c in cohorts.values()]


@router.post(
    "/cohorts/{cohort_id}/join",
    response={201: JoinOut, 202: JoinOut},
    summary="Join a group (or its waiting list)",
)
def join_cohort(request, cohort_id: int, payload: JoinIn):
    """201 with a place; 202 on the waiting list, or applied where a facilitator offers places;
    409 when you are already in, waiting or applied; 400 without agreeing to the agreement."""
    cohort = selectors.cohort_for(request.auth, cohort_id)
    try:
        result = services.join_cohort(
            member=request.auth,
            cohort=cohort,
            agree=payload.agree_to_group_agreement,
            hopes=payload.hopes,
            access_needs=payload.access_needs,
        )
    except services.AlreadyIn as error:
        raise HttpError(409, error.message) from None
    except DomainError as error:
        raise HttpError(400, error.message) from None
    place = result.participation
    local = selectors.zone_of(cohort)
    return Status(
        201 if place.status == S.JOINED else 202,
        {
            "cohort_id": cohort.pk,
            "status": place.status,
            "status_text": place.get_status_display(),
            "offer_expires_at": place.offer_expires_at,
            "warnings": [
                f"Overlaps with {c.cohort.programme.title} ({c.cohort.name}) from "
                f"{timezone.localtime(c.first, local):%Y-%m-%d %H:%M}"
                for c in result.clashes
            ],
        },
    )


def _session(request, session_id: int):
    session, place, facilitating = selectors.session_for(request.auth, session_id)
    if facilitating and not acts_strongly(request):
        raise HttpError(403, "Facilitator actions need a second factor or a strong token.")
    return session, place, facilitating


def _topic_out(ranked) -> dict:
    return {
        "id": ranked.topic.pk,
        "text": ranked.topic.text,
        "votes": ranked.votes,
        "voted": ranked.voted,
        "mine": ranked.mine,
        "merged_in": ranked.merged_count,
    }


@router.get("/sessions/{session_id}/topics", response=list[TopicOut], summary="Ranked topics")
def list_topics(request, session_id: int):
    session, _place, _facilitating = _session(request, session_id)
    return [_topic_out(t) for t in selectors.ranked_topics(session, viewer=request.auth)]


@router.post("/sessions/{session_id}/topics", response={201: TopicOut}, summary="Suggest a topic")
def suggest_topic(request, session_id: int, payload: TopicIn):
    session, _place, facilitating = _session(request, session_id)
    if facilitating:
        raise HttpError(403, "Topics come from the group's participants.")
    try:
        topic, _assessment = services.suggest_topic(
            participant=request.auth, session=session, text=payload.text
        )
    except DomainError as error:
        raise HttpError(400, error.message) from None
    if topic is None:
        raise HttpError(400, "This topic was not shown to the group. " + safety_hooks.HELP_NOW_API)
    return Status(
        201,
        {
            "id": topic.pk,
            "text": topic.text,
            "votes": 0,
            "voted": False,
            "mine": True,
            "merged_in": 0,
        },
    )


@router.post("/topics/{topic_id}/vote", response=VoteOut, summary="Vote for a topic")
def vote_topic(request, topic_id: int):
    """Idempotent: voting again changes nothing and answers the same."""
    topic, _place, facilitating = selectors.topic_for(request.auth, topic_id)
    if facilitating:
        raise HttpError(403, "Votes come from the group's participants.")
    try:
        services.vote(participant=request.auth, topic=topic)
    except DomainError as error:
        raise HttpError(400, error.message) from None
    counted = topic.merged_into_id or topic.pk
    return {
        "topic_id": counted,
        "votes": topic.session.topics.get(pk=counted).votes.count(),
        "voted": True,
    }
