"""Everything live Q&A holds about one person, for "Download my data"."""

from kindred.qanda.models import Question, QuestionReport, QuestionVote


def export_personal_data(user) -> dict:
    return {
        "questions_i_asked": [
            {
                "event": q.event.title,
                "question": q.text,
                "showed_my_name": q.show_name,
                "status": q.get_status_display(),
                "votes": q.votes,
                "answered": q.answered,
                "asked": q.created_at.isoformat(),
            }
            for q in Question.objects.filter(author=user).select_related("event")
        ],
        "questions_i_upvoted": QuestionVote.objects.filter(user=user).count(),
        "questions_i_reported": QuestionReport.objects.filter(reporter=user).count(),
    }
