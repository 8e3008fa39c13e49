"""Peer support over the API: each person reaches only their own requests, offers and talks."""

import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from kindred.accounts.models import Organisation, Role
from kindred.accounts.selectors import roles_of
from kindred.api.auth import acts_strongly
from kindred.core.errors import DomainError
from kindred.support import selectors, services
from kindred.support.models import SupportRequest
from kindred.support.services import MESSAGE_LIMIT

router = Router(tags=["peer support"])


class SupportRequestIn(Schema):
    organisation: str = Field(description="The organisation's slug")
    body: str = Field("", max_length=MESSAGE_LIMIT)
    topics: list[str] = []
    urgency: str = "this_week"
    ways_to_talk: list[str] = []
    anyone: bool = False
    preferred_stages: list[str] = []
    preferred_identities: list[str] = []
    preferred_languages: list[str] = []
    preferred_gender: str = ""
    share_topics: bool = False
    share_message: bool = False


class SupportRequestOut(Schema):
    id: int
    organisation: str
    status: str
    status_text: str
    urgency: str
    topics: list[str]
    created_at: datetime.datetime
    conversation_id: int | None


class OfferOut(Schema):
    id: int
    status: str
    urgency: str
    member: str
    topics: list[str] | None
    message: str | None
    reasons: list[str]
    expires_at: datetime.datetime


class ConversationOut(Schema):
    id: int
    status: str
    with_person: str
    role: str
    unread: int
    opened_at: datetime.datetime


class MessageIn(Schema):
    body: str
    client_id: str = Field(..., min_length=1, max_length=64)


class MessageOut(Schema):
    id: int
    sender: str
    mine: bool
    body: str
    client_id: str
    sent_at: datetime.datetime
    read_at: datetime.datetime | None


def _request_out(r: SupportRequest) -> dict:
    conversation = getattr(r, "conversation", None) if r.status in {"matched", "closed"} else None
    return {
        "id": r.pk,
        "organisation": r.organisation.slug,
        "status": r.status,
        "status_text": r.get_status_display(),
        "urgency": r.urgency,
        "topics": r.topics,
        "created_at": r.created_at,
        "conversation_id": conversation.pk if conversation else None,
    }


def _domain(error: DomainError):
    raise HttpError(400, error.message)


@router.post("/support-requests", response={201: SupportRequestOut}, summary="Ask for support")
def create_support_request(request, payload: SupportRequestIn):
    organisation = get_object_or_404(Organisation, slug=payload.organisation)
    if not roles_of(request.auth).has(Role.MEMBER, organisation.pk):
        raise HttpError(404, "No such organisation")
    data = payload.dict(exclude={"organisation"})
    if data["urgency"] not in SupportRequest.Urgency.values:
        raise HttpError(400, "urgency must be one of: today, this_week, no_rush")
    try:
        created = services.request_support(member=request.auth, organisation=organisation, **data)
    except DomainError as error:
        _domain(error)
    return Status(201, _request_out(created))


@router.get("/support-requests/{request_id}", response=SupportRequestOut)
def get_support_request(request, request_id: int):
    return _request_out(selectors.request_of(request.auth, request_id))


def _require_supporter(request) -> None:
    if not roles_of(request.auth).has(Role.SUPPORTER) or not acts_strongly(request):
        raise HttpError(403, "Supporter actions need a current supporter role and a second factor.")


@router.get("/offers", response=list[OfferOut], summary="Requests offered to me")
def list_offers(request):
    _require_supporter(request)
    services.expire_overdue_offers()
    result = []
    for offer in selectors.offers_for(request.auth).filter(status="pending"):
        r = offer.request
        result.append(
            {
                "id": offer.pk,
                "status": offer.status,
                "urgency": r.urgency,
                "member": r.member.display_name,
                "topics": r.topics if r.share_topics else None,
                "message": r.body if r.share_message else None,
                "reasons": offer.reasons,
                "expires_at": offer.expires_at,
            }
        )
    return result


def _answer(request, offer_id: int, accept: bool):
    _require_supporter(request)
    offer = selectors.offer_for(request.auth, offer_id)
    try:
        if accept:
            conversation = services.accept_offer(supporter=request.auth, offer=offer)
            return {"status": "accepted", "conversation_id": conversation.pk}
        services.decline_offer(supporter=request.auth, offer=offer)
        return {"status": "declined", "conversation_id": None}
    except DomainError as error:
        _domain(error)


class AnswerOut(Schema):
    status: str
    conversation_id: int | None


@router.post("/offers/{offer_id}/accept", response=AnswerOut)
def accept_offer(request, offer_id: int):
    return _answer(request, offer_id, accept=True)


@router.post("/offers/{offer_id}/decline", response=AnswerOut)
def decline_offer(request, offer_id: int):
    return _answer(request, offer_id, accept=False)


@router.get("/conversations", response=list[ConversationOut])
def list_conversations(request):
    me = request.auth
    return [
        {
            "id": c.pk,
            "status": c.status,
            "with_person": (c.supporter if c.member_id == me.pk else c.member).display_name,
            "role": "member" if c.member_id == me.pk else "supporter",
            "unread": c.unread,
            "opened_at": c.opened_at,
        }
        for c in selectors.conversations_of(me)
    ]


def _message_out(message, me) -> dict:
    return {
        "id": message.pk,
        "sender": message.sender.display_name,
        "mine": message.sender_id == me.pk,
        "body": message.body,
        "client_id": message.client_id,
        "sent_at": message.sent_at,
        "read_at": message.read_at,
    }


def _my_conversation(request, conversation_id: int):
    conversation = selectors.conversation_of(request.auth, conversation_id)
    if conversation.supporter_id == request.auth.pk:
        _require_supporter(request)
    return conversation


@router.get("/conversations/{conversation_id}/messages", response=list[MessageOut])
def list_messages(request, conversation_id: int, after: int = 0):
    conversation = _my_conversation(request, conversation_id)
    items = list(selectors.messages_in(conversation, after=after))
    services.mark_read(reader=request.auth, conversation=conversation)
    return [_message_out(m, request.auth) for m in items]


@router.post(
    "/conversations/{conversation_id}/messages", response={201: MessageOut, 200: MessageOut}
)
def post_message(request, conversation_id: int, payload: MessageIn):
    """Send a message; repeating a client_id returns the stored message instead of a copy."""
    conversation = _my_conversation(request, conversation_id)
    try:
        message, created = services.send_message(
            sender=request.auth,
            conversation=conversation,
            body=payload.body,
            client_id=payload.client_id,
        )
    except DomainError as error:
        _domain(error)
    except PermissionDenied:
        raise HttpError(403, "This conversation is closed.") from None
    return Status(201 if created else 200, _message_out(message, request.auth))
