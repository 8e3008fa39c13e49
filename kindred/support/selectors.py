"""Reads for peer support, always scoped to the person asking."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Min, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from kindred import matching
from kindred.accounts.models import Membership, Organisation, Role, RoleGrant, User
from kindred.accounts.selectors import partner_ids
from kindred.support.models import (
    Block,
    Conflict,
    Conversation,
    Message,
    Offer,
    SupporterProfile,
    SupportRequest,
    SupportSettings,
)

RECENT_LOAD_DAYS = 30


def requests_of(member: User) -> QuerySet[SupportRequest]:
    return SupportRequest.objects.filter(member=member).select_related("organisation")


def request_of(member: User, pk: int) -> SupportRequest:
    """The member's own request, or 404 for anybody else's."""
    found = requests_of(member).filter(pk=pk).first()
    if found is None:
        raise Http404("No such request")
    return found


def profiles_of(user: User) -> QuerySet[SupporterProfile]:
    return SupporterProfile.objects.filter(user=user).select_related("organisation")


def offers_for(user: User) -> QuerySet[Offer]:
    return (
        Offer.objects.filter(supporter__user=user)
        .select_related("request__member", "request__organisation", "supporter")
        .order_by("-created_at")
    )


def offer_for(user: User, pk: int) -> Offer:
    found = offers_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404("No such offer")
    return found


def conversations_of(user: User) -> QuerySet[Conversation]:
    return (
        Conversation.objects.filter(Q(member=user) | Q(supporter=user))
        .select_related("member", "supporter", "organisation", "request")
        .annotate(
            unread=Count(
                "messages", filter=Q(messages__read_at__isnull=True) & ~Q(messages__sender=user)
            )
        )
    )


def conversation_of(user: User, pk: int) -> Conversation:
    """A conversation the person takes part in; 404 for everyone else, coordinators included."""
    found = conversations_of(user).filter(pk=pk).first()
    if found is None:
        raise Http404("No such conversation")
    return found


def messages_in(conversation: Conversation, *, after: int = 0) -> QuerySet[Message]:
    return conversation.messages.filter(id__gt=after).select_related("sender").order_by("id")


def open_conversation_counts(profile_user_ids: list[int]) -> dict[int, int]:
    """Open conversations per supporter, counting an unanswered offer as one (it holds a place)."""
    counts: dict[int, int] = {}
    for row in (
        Conversation.objects.filter(supporter_id__in=profile_user_ids, status="open")
        .values("supporter_id")
        .annotate(n=Count("id"))
    ):
        counts[row["supporter_id"]] = row["n"]
    for row in (
        Offer.objects.filter(supporter__user_id__in=profile_user_ids, status="pending")
        .values("supporter__user_id")
        .annotate(n=Count("id"))
    ):
        user_id = row["supporter__user_id"]
        counts[user_id] = counts.get(user_id, 0) + row["n"]
    return counts


def _trained_user_ids(organisation_ids: set[int], today: datetime.date) -> set[int]:
    return set(
        RoleGrant.objects.filter(
            membership__organisation_id__in=organisation_ids,
            role=Role.SUPPORTER,
            revoked_at__isnull=True,
            trained_until__gte=today,
        ).values_list("membership__user_id", flat=True)
    )


def matching_supporters(organisation_ids: set[int]) -> list[matching.Supporter]:
    """Every supporter profile in these organisations, as the matching engine sees them."""
    today = timezone.localdate()
    since = timezone.now() - datetime.timedelta(days=RECENT_LOAD_DAYS)
    profiles = list(
        SupporterProfile.objects.filter(organisation_id__in=organisation_ids).select_related("user")
    )
    user_ids = [p.user_id for p in profiles]
    trained = _trained_user_ids(organisation_ids, today)
    open_counts = open_conversation_counts(user_ids)
    groups = {
        (m.user_id, m.organisation_id): (m.year_group, m.placement_group)
        for m in Membership.objects.filter(
            user_id__in=user_ids, organisation_id__in=organisation_ids
        )
    }
    recent = {
        row["supporter_id"]: (row["n"], row["hard"])
        for row in Conversation.objects.filter(supporter_id__in=user_ids, opened_at__gte=since)
        .values("supporter_id")
        .annotate(n=Count("id"), hard=Count("id", filter=Q(request__difficult=True)))
    }
    result = []
    for p in profiles:
        year, placement = groups.get((p.user_id, p.organisation_id), ("", ""))
        load, hard = recent.get(p.user_id, (0, 0))
        result.append(
            matching.Supporter(
                id=p.pk,
                user_id=p.user_id,
                organisation_id=p.organisation_id,
                topics=frozenset(p.topics),
                languages=frozenset(p.languages),
                stage=p.stage,
                year_group=year,
                placement_group=placement,
                identities=frozenset(p.identities),
                gender=p.gender,
                capacity=p.capacity,
                open_conversations=open_counts.get(p.user_id, 0),
                available=p.status == SupporterProfile.Status.AVAILABLE,
                training_current=p.user_id in trained,
                available_today=p.available_today,
                recent_load=float(load),
                recent_difficult=hard,
            )
        )
    return result


def allowed_organisation_ids(organisation: Organisation) -> set[int]:
    return {organisation.pk} | partner_ids(organisation)


def as_matching_request(request: SupportRequest) -> matching.Request:
    """The request as the matching engine sees it: preferences, exclusions and conflicts."""
    membership = Membership.objects.filter(
        user_id=request.member_id, organisation_id=request.organisation_id
    ).first()
    excluded_users = set(request.excluded_people.values_list("pk", flat=True))
    excluded_users |= set(
        Block.objects.filter(blocker_id=request.member_id).values_list("blocked_id", flat=True)
    )
    excluded_users |= set(
        Block.objects.filter(blocked_id=request.member_id).values_list("blocker_id", flat=True)
    )
    excluded_profiles = set(
        SupporterProfile.objects.filter(user_id__in=excluded_users).values_list("pk", flat=True)
    )
    excluded_profiles |= set(request.declined_by)
    waited = int((timezone.now() - request.created_at).total_seconds() // 60)
    return matching.Request(
        id=request.pk,
        member_id=request.member_id,
        allowed_organisation_ids=frozenset(allowed_organisation_ids(request.organisation)),
        topics=frozenset(request.topics),
        urgency=request.urgency,
        languages=frozenset(request.preferred_languages),
        preferred_stages=frozenset(request.preferred_stages),
        preferred_identities=frozenset(request.preferred_identities),
        preferred_gender=request.preferred_gender,
        excluded_year_group=membership.year_group if membership and request.exclude_my_year else "",
        excluded_placement_group=membership.placement_group
        if membership and request.exclude_my_placement
        else "",
        excluded_supporter_ids=frozenset(excluded_profiles),
        conflict_user_ids=frozenset(
            Conflict.objects.filter(member_id=request.member_id).values_list("other_id", flat=True)
        ),
        difficult=request.difficult,
        anyone=request.anyone,
        waited_minutes=max(waited, 0),
    )


def people_met(member: User) -> QuerySet[User]:
    """People this member has talked with on Kindred (for "not these people")."""
    ids = set(Conversation.objects.filter(member=member).values_list("supporter_id", flat=True))
    ids |= set(Conversation.objects.filter(supporter=member).values_list("member_id", flat=True))
    return User.objects.filter(pk__in=ids).order_by("display_name")


@dataclass
class QueueSummary:
    waiting: int
    longest_wait: datetime.timedelta | None
    offers_outstanding: int
    supporters_at_capacity: int
    supporters: int


def queue_summary(organisation: Organisation) -> QueueSummary:
    """The queue in numbers only: no content, no identities."""
    open_requests = SupportRequest.objects.filter(
        organisation=organisation, status__in=["waiting", "offered"]
    ).aggregate(n=Count("id"), oldest=Min("created_at"))
    offers = Offer.objects.filter(
        request__organisation=organisation, status=Offer.Status.PENDING
    ).count()
    profiles = list(
        SupporterProfile.objects.filter(organisation=organisation).values("user_id", "capacity")
    )
    counts = open_conversation_counts([p["user_id"] for p in profiles])
    at_capacity = sum(1 for p in profiles if counts.get(p["user_id"], 0) >= p["capacity"])
    oldest = open_requests["oldest"]
    return QueueSummary(
        waiting=open_requests["n"],
        longest_wait=timezone.now() - oldest if oldest else None,
        offers_outstanding=offers,
        supporters_at_capacity=at_capacity,
        supporters=len(profiles),
    )


def last_message_ids(conversations: list[Conversation]) -> dict[int, int]:
    rows = (
        Message.objects.filter(conversation__in=conversations)
        .values("conversation_id")
        .annotate(last=Max("id"))
    )
    return {row["conversation_id"]: row["last"] for row in rows}


def support_settings_for(organisation_id: int) -> SupportSettings:
    """The organisation's settings, or the defaults (unsaved) when it never changed them."""
    found = SupportSettings.objects.filter(organisation_id=organisation_id).first()
    return found or SupportSettings(organisation_id=organisation_id)
