"""Writes for peer support: asking, offering, accepting, talking, closing."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from kindred import matching
from kindred.accounts.models import Organisation, Role, RoleGrant, User
from kindred.accounts.selectors import roles_of
from kindred.core import audit
from kindred.core.errors import DomainError
from kindred.notifications.models import Notification
from kindred.notifications.services import notify
from kindred.safety import hooks as safety_hooks
from kindred.support import events, selectors
from kindred.support.models import (
    Block,
    Conversation,
    Feedback,
    Message,
    Offer,
    Referral,
    Report,
    SessionLog,
    SupporterProfile,
    SupportRequest,
    SupportSettings,
)
from kindred.support.vocabulary import DIFFICULT_TOPICS

MESSAGE_LIMIT = 4000
MESSAGES_PER_MINUTE = 20
PRESENT_FOR = datetime.timedelta(minutes=3)  # read within this: "in the conversation now"
SUPPORT = Notification.Category.SUPPORT


# --- supporter profiles


def save_supporter_profile(
    *, supporter: User, organisation: Organisation, **fields
) -> SupporterProfile:
    """Create or update the supporter's profile in one organisation."""
    if not roles_of(supporter).has(Role.SUPPORTER, organisation.pk):
        raise DomainError("Only a supporter with current training can keep a profile here.")
    capacity = fields.get("capacity", 3)
    if not 1 <= capacity <= 15:
        raise DomainError("Choose between 1 and 15 open conversations.", field="capacity")
    profile, _ = SupporterProfile.objects.update_or_create(
        user=supporter, organisation=organisation, defaults=fields
    )
    if profile.status == SupporterProfile.Status.AVAILABLE:
        transaction.on_commit(lambda: match_waiting_requests(organisation=organisation))
    return profile


# --- requests and offers


@transaction.atomic
def request_support(
    *,
    member: User,
    organisation: Organisation,
    excluded_people: Iterable[User] = (),
    year_group: str | None = None,
    placement_group: str | None = None,
    **fields,
) -> SupportRequest:
    """Record the request, then offer it to the best available supporter straight away."""
    membership = member.memberships.filter(organisation=organisation).first()
    if membership is None:
        raise DomainError("Join this organisation before asking for support here.")
    if year_group is not None or placement_group is not None:
        membership.year_group = (year_group or "").strip()
        membership.placement_group = (placement_group or "").strip()
        membership.save(update_fields=["year_group", "placement_group"])
    if fields.get("exclude_my_year") and not membership.year_group:
        raise DomainError(
            "Tell us your year, so we can leave out people in it.", field="year_group"
        )
    if fields.get("exclude_my_placement") and not membership.placement_group:
        raise DomainError(
            "Tell us your placement group, so we can leave out people in it.",
            field="placement_group",
        )
    request = SupportRequest.objects.create(
        member=member,
        organisation=organisation,
        difficult=bool(set(fields.get("topics", ())) & DIFFICULT_TOPICS),
        **fields,
    )
    request.excluded_people.set(list(excluded_people))
    offer_next(request=request)
    return request


def _offer(request: SupportRequest, proposal: matching.Proposal) -> Offer:
    hours = selectors.support_settings_for(request.organisation_id).offer_hours(request.urgency)
    offer = Offer.objects.create(
        request=request,
        supporter_id=proposal.supporter_id,
        score=proposal.score,
        reasons=list(proposal.reasons),
        expires_at=timezone.now() + datetime.timedelta(hours=hours),
    )
    request.status = SupportRequest.Status.OFFERED
    request.save(update_fields=["status"])
    supporter = offer.supporter.user
    notify(
        user=supporter,
        category=SUPPORT,
        text=f"Someone would like support. Please answer within {hours} hours.",
        url="/support/offers/",
    )
    return offer


def offer_next(*, request: SupportRequest) -> Offer | None:
    """Offer an open request to the best eligible supporter, or leave it waiting."""
    if not request.is_open or request.offers.filter(status=Offer.Status.PENDING).exists():
        return None
    supporters = selectors.matching_supporters(
        selectors.allowed_organisation_ids(request.organisation)
    )
    proposals = matching.propose(selectors.as_matching_request(request), supporters, limit=1)
    if not proposals:
        if request.status != SupportRequest.Status.WAITING:
            request.status = SupportRequest.Status.WAITING
            request.save(update_fields=["status"])
        return None
    return _offer(request, proposals[0])


def match_waiting_requests(*, organisation: Organisation) -> int:
    """Batch: an optimal assignment of every waiting request to supporters with room."""
    allowed = selectors.allowed_organisation_ids(organisation)
    waiting = list(
        SupportRequest.objects.filter(
            organisation_id__in=allowed, status=SupportRequest.Status.WAITING
        ).exclude(offers__status=Offer.Status.PENDING)
    )
    if not waiting:
        return 0
    supporters = selectors.matching_supporters(allowed)
    by_id = {r.pk: r for r in waiting}
    proposals = matching.assign([selectors.as_matching_request(r) for r in waiting], supporters)
    made = 0
    with transaction.atomic():
        for proposal in proposals:
            _offer(by_id[proposal.request_id], proposal)
            made += 1
    return made


def _check_offer(supporter: User, offer: Offer) -> None:
    if offer.supporter.user_id != supporter.pk:
        raise PermissionDenied
    if offer.status != Offer.Status.PENDING:
        raise DomainError("This offer has already been answered or has expired.")
    if offer.expires_at <= timezone.now():
        raise DomainError("This offer has expired and has gone to someone else.")


@transaction.atomic
def accept_offer(*, supporter: User, offer: Offer) -> Conversation:
    """The supporter says yes: a conversation opens and the member is told."""
    offer = (
        Offer.objects.select_for_update().select_related("request", "supporter").get(pk=offer.pk)
    )
    _check_offer(supporter, offer)
    if not roles_of(supporter).has(Role.SUPPORTER, offer.supporter.organisation_id):
        raise DomainError("Your supporter training has lapsed, so this offer has been passed on.")
    request = offer.request
    now = timezone.now()
    offer.status = Offer.Status.ACCEPTED
    offer.responded_at = now
    offer.save(update_fields=["status", "responded_at"])
    request.status = SupportRequest.Status.MATCHED
    request.matched_at = now
    request.save(update_fields=["status", "matched_at"])
    conversation = Conversation.objects.create(
        request=request,
        organisation=request.organisation,
        member=request.member,
        supporter=supporter,
    )
    notify(
        user=request.member,
        category=SUPPORT,
        text=f"{supporter.display_name} accepted your request. You can start talking.",
        url=f"/support/conversations/{conversation.pk}/",
    )
    return conversation


@transaction.atomic
def decline_offer(*, supporter: User, offer: Offer) -> Offer | None:
    """The supporter says no (no reason needed); the request goes to the next person."""
    offer = Offer.objects.select_for_update().select_related("request").get(pk=offer.pk)
    _check_offer(supporter, offer)
    return _pass_on(offer, Offer.Status.DECLINED)


def _pass_on(offer: Offer, status: str) -> Offer | None:
    offer.status = status
    offer.responded_at = timezone.now()
    offer.save(update_fields=["status", "responded_at"])
    request = offer.request
    request.declined_by = sorted({*request.declined_by, offer.supporter_id})
    request.status = SupportRequest.Status.WAITING
    request.save(update_fields=["declined_by", "status"])
    following = offer_next(request=request)
    if following is None:
        notify(
            user=request.member,
            category=SUPPORT,
            text="We are still looking for a supporter for you.",
            url=f"/support/requests/{request.pk}/",
        )
    return following


def expire_overdue_offers(*, now: datetime.datetime | None = None) -> int:
    """Time out unanswered offers and withdraw offers to supporters whose training lapsed."""
    now = now or timezone.now()
    changed = 0
    for offer in Offer.objects.filter(
        status=Offer.Status.PENDING, expires_at__lte=now
    ).select_related("request", "supporter"):
        with transaction.atomic():
            _pass_on(offer, Offer.Status.EXPIRED)
        changed += 1
    lapsed_users = set(
        RoleGrant.objects.filter(role=Role.SUPPORTER, revoked_at__isnull=True)
        .filter(trained_until__lt=timezone.localdate())
        .values_list("membership__user_id", flat=True)
    )
    for offer in Offer.objects.filter(
        status=Offer.Status.PENDING, supporter__user_id__in=lapsed_users
    ).select_related("request", "supporter"):
        with transaction.atomic():
            _pass_on(offer, Offer.Status.WITHDRAWN)
        changed += 1
    return changed


@transaction.atomic
def withdraw_request(*, member: User, request: SupportRequest) -> None:
    """The member changed their mind: nothing more happens, and no one is told why."""
    if request.member_id != member.pk:
        raise PermissionDenied
    if not request.is_open:
        raise DomainError("This request is no longer waiting, so there is nothing to withdraw.")
    request.offers.filter(status=Offer.Status.PENDING).update(
        status=Offer.Status.WITHDRAWN, responded_at=timezone.now()
    )
    request.status = SupportRequest.Status.WITHDRAWN
    request.ended_at = timezone.now()
    request.save(update_fields=["status", "ended_at"])


# --- conversations


def _participant(user: User, conversation: Conversation, action: str) -> None:
    if user.pk not in conversation.participants():
        audit.record(
            actor=user,
            subject=None,
            action="was refused",
            target=f"{action} in conversation {conversation.pk}",
        )
        raise PermissionDenied


def _rate_window() -> int:
    return int(timezone.now().timestamp() // 60)


def _rate_limited(user: User) -> bool:
    key = f"kindred:msg-rate:{user.pk}:{_rate_window()}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:
        count = 1
    return count > MESSAGES_PER_MINUTE


def send_message(
    *, sender: User, conversation: Conversation, body: str, client_id: str
) -> tuple[Message, bool]:
    """Store a message (encrypted) once per client id, and tell the other side."""
    _participant(sender, conversation, "send a message")
    if not conversation.is_open:
        audit.record(
            actor=sender,
            subject=None,
            action="was refused",
            target=f"message to closed conversation {conversation.pk}",
        )
        raise PermissionDenied
    body = body.strip()
    if not body:
        raise DomainError("Write something before sending.", field="body")
    if len(body) > MESSAGE_LIMIT:
        raise DomainError(
            f"Messages can be up to {MESSAGE_LIMIT:,} characters; this one has {len(body):,}.",
            field="body",
        )
    client_id = (client_id or "").strip()[:64] or f"server-{timezone.now().timestamp()}"
    existing = Message.objects.filter(
        conversation=conversation, sender=sender, client_id=client_id
    ).first()
    if existing:
        return existing, False
    if _rate_limited(sender):
        raise DomainError("You are sending messages very fast. Wait a moment.", field="body")
    try:
        with transaction.atomic():
            message = Message.objects.create(
                conversation=conversation, sender=sender, body=body, client_id=client_id
            )
    except IntegrityError:
        return Message.objects.get(
            conversation=conversation, sender=sender, client_id=client_id
        ), False
    other = conversation.other_party(sender)
    if (
        not conversation.messages.filter(sender_id=sender.pk, read_at__isnull=True)
        .exclude(pk=message.pk)
        .exists()
    ):
        # One notification per unread run, not per message; no email while they are
        # in the conversation (they read something of ours in the last few minutes).
        present = conversation.messages.filter(
            sender_id=sender.pk, read_at__gte=timezone.now() - PRESENT_FOR
        ).exists()
        notify(
            user=User.objects.get(pk=other),
            category=Notification.Category.MESSAGES,
            text="You have a new message on Kindred.",
            url=f"/support/conversations/{conversation.pk}/",
            email=not present,
        )
    transaction.on_commit(lambda: events.message_sent(conversation.pk, message.pk))
    # After the broadcast, so guidance never arrives before the message it is about.
    # Risk signals and, at imminent level, a page to the advisor on duty; never fails a send.
    transaction.on_commit(lambda: safety_hooks.message_stored(message.pk), robust=True)
    return message, True


def mark_read(*, reader: User, conversation: Conversation) -> int:
    _participant(reader, conversation, "read messages")
    count = (
        conversation.messages.filter(read_at__isnull=True)
        .exclude(sender=reader)
        .update(read_at=timezone.now())
    )
    if count:
        transaction.on_commit(lambda: events.messages_read(conversation.pk, reader.pk))
    return count


@transaction.atomic
def close_conversation(*, user: User, conversation: Conversation) -> None:
    _participant(user, conversation, "close")
    if not conversation.is_open:
        return
    now = timezone.now()
    conversation.status = Conversation.Status.CLOSED
    conversation.closed_at = now
    conversation.closed_by = user
    conversation.save(update_fields=["status", "closed_at", "closed_by"])
    SupportRequest.objects.filter(pk=conversation.request_id).update(
        status=SupportRequest.Status.CLOSED, ended_at=now
    )
    other = User.objects.get(pk=conversation.other_party(user))
    notify(
        user=other,
        category=SUPPORT,
        text=f"{user.display_name} closed your conversation.",
        url=f"/support/conversations/{conversation.pk}/",
    )
    transaction.on_commit(lambda: events.conversation_closed(conversation.pk))
    transaction.on_commit(lambda: match_waiting_requests(organisation=conversation.organisation))


def delete_conversation(*, member: User, conversation: Conversation) -> None:
    """The member removes the conversation and every message in it."""
    if member.pk != conversation.member_id:
        raise PermissionDenied
    with transaction.atomic():
        if conversation.is_open:
            close_conversation(user=member, conversation=conversation)
        conversation.request.delete()


def keep_conversation(*, member: User, conversation: Conversation, keep: bool) -> None:
    if member.pk != conversation.member_id:
        raise PermissionDenied
    conversation.keep = keep
    conversation.save(update_fields=["keep"])


def purge_closed_conversations(*, now: datetime.datetime | None = None) -> int:
    """Retention: delete closed conversations older than the period, unless the member kept them."""
    now = now or timezone.now()
    own = dict(SupportSettings.objects.values_list("organisation_id", "retention_days"))
    default = SupportSettings._meta.get_field("retention_days").default

    def closed_before(days: int) -> Q:
        return Q(conversation__closed_at__lt=now - datetime.timedelta(days=days))

    past_retention = Q(closed_before(default), ~Q(organisation_id__in=own))
    for organisation_id, days in own.items():
        past_retention |= Q(closed_before(days), organisation_id=organisation_id)
    doomed = SupportRequest.objects.filter(
        past_retention,
        conversation__status=Conversation.Status.CLOSED,
        conversation__keep=False,
    )
    count = doomed.count()
    doomed.delete()
    return count


@transaction.atomic
def report_conversation(
    *, reporter: User, conversation: Conversation, message: Message | None = None
) -> Report:
    """Close the conversation and tell the coordinators only that a report was made."""
    _participant(reporter, conversation, "report")
    if message is not None and message.conversation_id != conversation.pk:
        raise PermissionDenied
    report = Report.objects.create(
        conversation=conversation,
        organisation=conversation.organisation,
        reporter=reporter,
        attached_text=message.body if message else "",
        about=message.sender if message else None,
    )
    close_conversation(user=reporter, conversation=conversation)
    coordinators = User.objects.filter(
        memberships__organisation=conversation.organisation,
        memberships__grants__role=Role.COORDINATOR,
        memberships__grants__revoked_at__isnull=True,
    ).distinct()
    for coordinator in coordinators:
        notify(
            user=coordinator,
            category=SUPPORT,
            text="A report was made in peer support.",
            url=f"/org/{conversation.organisation.slug}/support/reports/",
        )
    return report


@transaction.atomic
def block_other_party(*, blocker: User, conversation: Conversation) -> Block:
    _participant(blocker, conversation, "block")
    block = Block.objects.create(blocker=blocker, blocked_id=conversation.other_party(blocker))
    close_conversation(user=blocker, conversation=conversation)
    return block


@transaction.atomic
def leave_feedback(
    *,
    member: User,
    conversation: Conversation,
    helpful: bool | None,
    felt_safe: bool | None,
    would_use_again: bool | None,
) -> Feedback:
    """Anonymous: the feedback row has no link to the member or the conversation."""
    if member.pk != conversation.member_id:
        raise PermissionDenied
    if conversation.is_open:
        raise DomainError("You can leave feedback once the conversation is closed.")
    if conversation.feedback_given:
        raise DomainError("You have already left feedback for this conversation. Thank you.")
    conversation.feedback_given = True
    conversation.save(update_fields=["feedback_given"])
    return Feedback.objects.create(
        organisation=conversation.organisation,
        month=timezone.localdate().replace(day=1),
        helpful=helpful,
        felt_safe=felt_safe,
        would_use_again=would_use_again,
    )


def write_session_log(*, supporter: User, conversation: Conversation, **fields) -> SessionLog:
    if supporter.pk != conversation.supporter_id:
        raise PermissionDenied
    minutes = fields.get("duration_minutes") or 0
    if not 1 <= minutes <= 600:
        raise DomainError(
            "Give the length in minutes, between 1 and 600.", field="duration_minutes"
        )
    return SessionLog.objects.create(conversation=conversation, supporter=supporter, **fields)


# --- referrals and warm handover

FOLLOW_UP_DAYS = 7


def suggest_service(*, supporter: User, conversation: Conversation, service_id: int) -> Referral:
    """Suggest a service from the directory; the member sees it as a card in the conversation."""
    from kindred.navigator.selectors import services_for_referral

    if supporter.pk != conversation.supporter_id:
        raise PermissionDenied
    if not conversation.is_open:
        raise DomainError("The conversation is closed.")
    service = (
        services_for_referral(organisation=conversation.organisation).filter(pk=service_id).first()
    )
    if service is None:
        raise DomainError("Choose a service from the directory.", field="service")
    referral, created = Referral.objects.get_or_create(
        conversation=conversation,
        service=service,
        defaults={"follow_up_due": timezone.now() + datetime.timedelta(days=FOLLOW_UP_DAYS)},
    )
    if created:
        notify(
            user=conversation.member,
            category=SUPPORT,
            text=f"{supporter.display_name} suggested a service that might help.",
            url=f"/support/conversations/{conversation.pk}/",
        )
    return referral


def record_referral_outcome(
    *, member: User, referral: Referral, outcome: str, share: bool
) -> Referral:
    """The member's private answer; the supporter sees it only if the member shares it."""
    if referral.conversation.member_id != member.pk:
        raise PermissionDenied
    if outcome not in {
        Referral.Outcome.REACHED,
        Referral.Outcome.NOT_YET,
        Referral.Outcome.NOT_FOR_ME,
    }:
        raise DomainError("Choose one of the answers.", field="outcome")
    referral.outcome = outcome
    referral.share_outcome = share
    referral.save(update_fields=["outcome", "share_outcome"])
    return referral


def send_referral_follow_ups(*, now: datetime.datetime | None = None) -> int:
    """A week after a suggestion, ask the member privately whether they reached the service."""
    now = now or timezone.now()
    due = Referral.objects.filter(
        follow_up_due__lte=now, follow_up_sent=False, outcome=""
    ).select_related("conversation", "service")
    count = 0
    for referral in due:
        notify(
            user=referral.conversation.member,
            category=SUPPORT,
            text=f"Did you manage to get in touch with {referral.service.name}? Only you see this.",
            url=f"/support/conversations/{referral.conversation_id}/#referrals",
        )
        count += 1
    Referral.objects.filter(pk__in=[r.pk for r in due]).update(follow_up_sent=True)
    return count


# --- the organisation's deadlines and retention


@transaction.atomic
def save_support_settings(
    *,
    coordinator: User,
    organisation: Organisation,
    offer_hours_today: int,
    offer_hours_later: int,
    retention_days: int,
) -> SupportSettings:
    if not roles_of(coordinator).has(Role.COORDINATOR, organisation.pk):
        raise PermissionDenied
    found, _ = SupportSettings.objects.update_or_create(
        organisation=organisation,
        defaults={
            "offer_hours_today": offer_hours_today,
            "offer_hours_later": offer_hours_later,
            "retention_days": retention_days,
        },
    )
    audit.record(
        actor=coordinator,
        subject=None,
        action="changed peer support settings",
        target=f"{organisation.name}",
        role="coordinator",
    )
    return found
