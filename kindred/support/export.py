"""Everything peer support holds about one person, for "Download my data"."""

from django.db.models import Q

from kindred.support.models import (
    Conversation,
    Message,
    SessionLog,
    SupporterProfile,
    SupportRequest,
)


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def export_personal_data(user) -> dict:
    conversations = Conversation.objects.filter(Q(member=user) | Q(supporter=user)).select_related(
        "member", "supporter"
    )
    messages = Message.objects.filter(conversation__in=conversations).select_related("sender")
    by_conversation: dict[int, list] = {}
    for m in messages:
        by_conversation.setdefault(m.conversation_id, []).append(
            {
                "from": "me" if m.sender_id == user.pk else m.sender.display_name,
                "sent": _iso(m.sent_at),
                "read": _iso(m.read_at),
                "text": m.body,
            }
        )
    return {
        "support_requests": [
            {
                "made": _iso(r.created_at),
                "status": r.status,
                "what_i_wrote": r.body,
                "topics": r.topics,
                "urgency": r.urgency,
                "shared_topics": r.share_topics,
                "shared_what_i_wrote": r.share_message,
            }
            for r in SupportRequest.objects.filter(member=user)
        ],
        "conversations": [
            {
                "with": (c.supporter if c.member_id == user.pk else c.member).display_name,
                "my_role": "member" if c.member_id == user.pk else "supporter",
                "opened": _iso(c.opened_at),
                "closed": _iso(c.closed_at),
                "messages": by_conversation.get(c.pk, []),
            }
            for c in conversations
        ],
        "supporter_profiles": [
            {
                "topics": p.topics,
                "languages": p.languages,
                "stage": p.stage,
                "identities": p.identities,
                "capacity": p.capacity,
                "status": p.status,
            }
            for p in SupporterProfile.objects.filter(user=user)
        ],
        "my_session_logs": [
            {
                "date": _iso(log.date),
                "minutes": log.duration_minutes,
                "topics": log.topics,
                "risk_came_up": log.risk_came_up,
                "referral_made": log.referral_made,
                "note": log.note,
            }
            for log in SessionLog.objects.filter(supporter=user)
        ],
    }
