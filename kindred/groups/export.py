"""Everything groups hold about one person, for "Download my data".

Anonymous feedback is not here: it carries no link to the person, so it cannot be found.
"""

from kindred.groups.models import ConsultationRequest, Participation, Reflection, Topic, Vote


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def export_personal_data(user) -> dict:
    places = list(
        Participation.objects.filter(user=user)
        .select_related("cohort__programme__host")
        .prefetch_related("attendance__session")
    )
    return {
        "group_places_and_applications": [
            {
                "programme": p.cohort.programme.title,
                "cohort": p.cohort.name,
                "run_by": p.cohort.programme.host.name,
                "status": p.status,
                "what_i_hoped_for": p.hopes,
                "my_access_needs": p.access_needs,
                "applied": _iso(p.applied_at),
                "joined": _iso(p.joined_at),
                "waiting_since": _iso(p.waitlisted_at),
                "offered": _iso(p.offered_at),
                "offer_expires": _iso(p.offer_expires_at),
                "ended": _iso(p.ended_at),
                "agreed_to_group_agreement": _iso(p.agreed_at),
                "my_attendance": [
                    {"session": a.session.number, "mark": a.mark}
                    for a in sorted(p.attendance.all(), key=lambda a: a.session.number)
                ],
                "answered_feedback_for_sessions": len(p.feedback_sessions),
            }
            for p in places
        ],
        "topics_i_suggested": [
            {
                "programme": t.session.cohort.programme.title,
                "session": t.session.number,
                "topic": t.text,
                "suggested": _iso(t.created_at),
            }
            for t in Topic.objects.filter(suggested_by=user).select_related(
                "session__cohort__programme"
            )
        ],
        "topic_votes": Vote.objects.filter(voter=user).count(),
        "my_facilitator_reflections": [
            {
                "programme": r.session.cohort.programme.title,
                "session": r.session.number,
                "went_well": r.went_well,
                "was_hard": r.was_hard,
                "to_discuss": r.to_discuss,
                "updated": _iso(r.updated_at),
            }
            for r in Reflection.objects.filter(facilitator=user).select_related(
                "session__cohort__programme"
            )
        ],
        "my_consultation_requests": [
            {
                "asked": _iso(c.created_at),
                "status": c.status,
                "note_shared_with_advisors": c.note,
            }
            for c in ConsultationRequest.objects.filter(facilitator=user)
        ],
    }
