"""Everything events hold about one person, for "Download my data".

Anonymous feedback is not here: it carries no link to the person, so it cannot be found.
"""

from kindred.events.models import EventCalendarFeed, EventSpeaker, Rsvp, TopicProposal, TopicVote


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def export_personal_data(user) -> dict:
    return {
        "event_answers": [
            {
                "event": r.event.title,
                "run_by": r.event.host.name,
                "starts": _iso(r.event.starts_at),
                "my_answer": r.status,
                "answered": _iso(r.created_at),
                "last_changed": _iso(r.updated_at),
                "checked_in": _iso(r.checked_in_at),
                "gave_anonymous_feedback": r.feedback_given,
            }
            for r in Rsvp.objects.filter(user=user).select_related("event__host")
        ],
        "event_topics_i_proposed": [
            {
                "organisation": p.organisation.name,
                "topic": p.text,
                "status": p.status,
                "proposed": _iso(p.created_at),
            }
            for p in TopicProposal.objects.filter(proposed_by=user).select_related("organisation")
        ],
        "event_topic_votes": TopicVote.objects.filter(voter=user).count(),
        "events_i_speak_at": [
            {"event": s.event.title, "starts": _iso(s.event.starts_at), "as": s.name}
            for s in EventSpeaker.objects.filter(user=user).select_related("event")
        ],
        "events_calendar_feeds": [
            {
                "address_starts": f.prefix,
                "made": _iso(f.created_at),
                "last_read": _iso(f.last_used_at),
                "turned_off": _iso(f.revoked_at),
            }
            for f in EventCalendarFeed.objects.filter(user=user)
        ],
    }
