"""Demo Q&A: a handful of anonymous questions, with votes, on the event whose Q&A is open
(`kindred.events.demo.LIVE_EVENT_TITLE`); one pinned, one answered. Idempotent."""

from django.db import transaction

from kindred.accounts.models import User
from kindred.events.models import Event
from kindred.qanda.models import Question, QuestionVote

# (asker's demo email, question, voters' demo emails, pinned, answered)
QUESTIONS = [
    (
        "member2@example.org",
        "How did you decide to tell your supervisor you were struggling, and what happened?",
        [
            "member@example.org",
            "supporter@example.org",
            "supporter2@example.org",
            "facilitator@example.org",
        ],
        True,
        False,
    ),
    (
        "supporter@example.org",
        "Does seeing a GP about my mental health get reported to the GMC or my medical school?",
        ["member@example.org", "member2@example.org", "supporter2@example.org"],
        False,
        False,
    ),
    (
        "supporter2@example.org",
        "What helped you sleep after night shifts when your head would not switch off?",
        ["member2@example.org", "facilitator@example.org"],
        False,
        True,
    ),
    (
        "facilitator@example.org",
        "Is it normal to feel nothing after a patient dies, and then fall apart weeks later?",
        ["member@example.org", "member2@example.org"],
        False,
        False,
    ),
    (
        "member2@example.org",
        "How do you say no to extra shifts without feeling you are letting the team down?",
        ["supporter@example.org"],
        False,
        False,
    ),
]


def seed_demo(stdout) -> None:
    try:
        from kindred.events.demo import LIVE_EVENT_TITLE
    except ImportError:
        stdout.write("Q&A demo skipped: the events demo has no live event yet.")
        return
    event = Event.objects.filter(title=LIVE_EVENT_TITLE).order_by("-starts_at").first()
    if event is None:
        stdout.write(f"Q&A demo skipped: no event called {LIVE_EVENT_TITLE!r}.")
        return
    if Question.objects.filter(event=event).exists():
        return
    emails = {e for row in QUESTIONS for e in (row[0], *row[2])}
    people = {u.email: u for u in User.objects.filter(email__in=emails)}
    with transaction.atomic():
        if not event.qa_enabled:
            Event.objects.filter(pk=event.pk).update(qa_enabled=True)
        added = 0
        for asker, text, voters, pinned, answered in QUESTIONS:
            if asker not in people:
                continue
            question = Question.objects.create(
                event=event, author=people[asker], text=text, pinned=pinned, answered=answered
            )
            QuestionVote.objects.bulk_create(
                [QuestionVote(question=question, user=people[e]) for e in voters if e in people]
            )
            question.votes = question.upvotes.count()
            question.save(update_fields=["votes"])
            added += 1
    stdout.write(f"Q&A demo: {added} questions on “{event.title}”.")
