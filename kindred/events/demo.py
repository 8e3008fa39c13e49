"""Demo events: a fortnightly speaker series co-hosted with the charity partner, open topic
proposals with votes, and one webinar happening right now whose Q&A is open (the Q&A app's
demo adds questions to it). Running it again changes nothing, except that an ended "live"
webinar is moved to now so the demo always has one."""

import datetime

from django.db import transaction
from django.utils import timezone

from kindred.accounts.models import Organisation, User
from kindred.events import services
from kindred.events.models import Audience, Event, Format, Kind, Series, TopicProposal

LIVE_EVENT_TITLE = "Ask us anything: doctors talk about their own mental health"
SERIES_TITLE = "Fortnightly talks: looking after yourself in medicine"
LIVE_STARTED_AGO = datetime.timedelta(minutes=15)
LIVE_LENGTH = datetime.timedelta(minutes=90)

SPEAKERS = [
    {
        "name": "Dr Priya Raman",
        "role": "FY1 doctor",
        "bio": "Priya had depression in her fourth year of medical school and took a year out. "
        "She talks about asking for help, going back, and what she wishes she had known.",
        "lived_experience": True,
    },
    {
        "name": "Dr Tom Achebe",
        "role": "Clinical psychologist, practitioner health service",
        "bio": "Tom works with doctors and students in distress, and with the services that "
        "support them.",
        "lived_experience": False,
    },
]
LIVE_SPEAKERS = [
    {
        "name": "Dr Hannah Clarke",
        "role": "Consultant psychiatrist",
        "bio": "Hannah has lived with bipolar disorder throughout her training, and speaks about "
        "disclosure, fitness to practise and what really happens.",
        "lived_experience": True,
    },
    {
        "name": "Dr Priya Raman",
        "role": "FY1 doctor",
        "bio": "Priya took a year out of medical school with depression and is now a "
        "foundation doctor.",
        "lived_experience": True,
    },
]
PROPOSALS = [
    ("Imposter syndrome on the first day of foundation", ["member", "member2", "supporter"]),
    ("Sleep and night shifts", ["member2", "facilitator"]),
    ("What fitness to practise really looks at (and what it does not)", ["member"]),
    ("Grief after a patient dies", []),
]
PEOPLE = {
    "member": "member@example.org",
    "member2": "member2@example.org",
    "supporter": "supporter@example.org",
    "facilitator": "facilitator@example.org",
}


def _series(coordinator, school, charity) -> Series:
    found = Series.objects.filter(host=school, title=SERIES_TITLE).first()
    if found is not None:
        return found
    series = services.create_series(
        coordinator=coordinator,
        organisation=school,
        title=SERIES_TITLE,
        kind=Kind.TALK,
        description=(
            "Every other Wednesday evening: a psychologist, a consultant or a foundation doctor "
            "with lived experience talks about one topic members voted for, then answers "
            "anonymous questions.\n\n- In the Medical Library lecture theatre\n- Free, no "
            "need to stay for the whole evening"
        ),
        topics=["stress", "stigma"],
        audience=Audience.PARTNERS,
        format=Format.IN_PERSON,
        location="Lecture theatre 1, Medical Library",
        video_link="",
        capacity=60,
        qa_enabled=True,
        co_hosts=[charity] if charity else [],
        weekday=2,
        start_time=datetime.time(18, 0),
        duration_minutes=75,
        interval_weeks=2,
        starts_on=timezone.localdate() + datetime.timedelta(days=2),
        event_count=6,
        skip_exam_weeks=True,
    )
    first_two = list(series.events.order_by("starts_at")[:2])
    for event, speaker in zip(first_two, SPEAKERS, strict=False):
        services.add_speaker(coordinator=coordinator, event=event, **speaker)
    return series


def _live_event(coordinator, school, charity) -> Event:
    now = timezone.now()
    found = Event.objects.filter(host=school, title=LIVE_EVENT_TITLE).first()
    if found is not None:
        if found.ends_at <= now or found.is_cancelled:
            Event.objects.filter(pk=found.pk).update(
                starts_at=now - LIVE_STARTED_AGO,
                ends_at=now - LIVE_STARTED_AGO + LIVE_LENGTH,
                status=Event.Status.SCHEDULED,
                qa_enabled=True,
                sequence=found.sequence + 1,
            )
            found.refresh_from_db()
        return found
    starts = now - LIVE_STARTED_AGO
    event = services.create_event(
        coordinator=coordinator,
        organisation=school,
        title=LIVE_EVENT_TITLE,
        kind=Kind.WEBINAR,
        description=(
            "A live webinar with two doctors who have lived with mental illness during their "
            "training. Ask the question you would never ask with your name on it: questions are "
            "anonymous unless you choose otherwise."
        ),
        topics=["stigma", "low_mood", "career"],
        audience=Audience.PARTNERS,
        format=Format.VIDEO,
        location="",
        video_link="https://video.example/ask-us-anything",
        capacity=None,
        qa_enabled=True,
        co_hosts=[charity] if charity else [],
        starts_at=starts,
        ends_at=starts + LIVE_LENGTH,
        now=starts - datetime.timedelta(minutes=1),
    )
    for speaker in LIVE_SPEAKERS:
        services.add_speaker(coordinator=coordinator, event=event, **speaker)
    return event


def _proposals(school) -> None:
    people = {key: User.objects.filter(email=email).first() for key, email in PEOPLE.items()}
    for text, voters in PROPOSALS:
        if TopicProposal.objects.filter(organisation=school, text=text).exists():
            continue
        proposer = people.get(voters[0]) if voters else people.get("member")
        if proposer is None:
            continue
        proposed = services.propose_topic(member=proposer, organisation=school, text=text)
        if not voters:
            services.vote_topic(member=proposer, proposal=proposed.proposal, on=False)
        for key in voters[1:]:
            if people.get(key) is not None:
                services.vote_topic(member=people[key], proposal=proposed.proposal)


@transaction.atomic
def seed_demo(stdout) -> None:
    school = Organisation.objects.filter(slug="st-elsewhere").first()
    charity = Organisation.objects.filter(slug="doctors-wellbeing-trust").first()
    coordinator = User.objects.filter(email="coordinator@example.org").first()
    if not (school and coordinator):
        return
    _series(coordinator, school, charity)
    live = _live_event(coordinator, school, charity)
    for email in ("member@example.org", "member2@example.org"):
        person = User.objects.filter(email=email).first()
        if person is not None:
            services.rsvp(member=person, event=live, going=True)
    _proposals(school)
    stdout.write(
        "Events demo: a fortnightly talk series, open topic proposals, and a webinar happening "
        "now with its Q&A open."
    )
