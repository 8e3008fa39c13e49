"""Demo groups: a 10-week group for foundation doctors co-hosted with the charity partner, and a
student group, each with an open cohort that member@example.org can join."""

import datetime

from django.db import transaction
from django.utils import timezone

from kindred.accounts.models import Organisation, User
from kindred.groups import selectors, services
from kindred.groups.models import DEFAULT_AGREEMENT, Cohort, Format, Participation, Programme

FOUNDATION = {
    "title": "Foundation doctors' peer group",
    "kind": Programme.Kind.SUPPORT_GROUP,
    "audience": "Foundation doctors (FY1 and FY2)",
    "joining": Programme.Joining.DIRECT,
    "description": (
        "Ten weekly evening sessions for foundation doctors, run with the Doctors' Wellbeing "
        "Trust by an accredited facilitator.\n\n"
        "There is no set agenda: each week the group chooses what to talk about, from topics "
        "you suggest and vote for anonymously beforehand. Rotas, the first night shift, a death "
        "on the ward, feeling like an impostor: whatever is on your mind.\n\n"
        "- Up to 8 people, the same group each week\n"
        "- On video, with cameras optional\n"
        "- Nothing you say goes to your foundation school or employer"
    ),
}
STUDENTS = {
    "title": "Student peer support group",
    "kind": Programme.Kind.SUPPORT_GROUP,
    "audience": "Medical students in years 3 to 5",
    "joining": Programme.Joining.DIRECT,
    "description": (
        "A near-peer group for clinical-years students, facilitated by a trained junior "
        "doctor. Meet weekly in a small, private room away from the teaching hospital, and talk "
        "about whatever the group chooses: placements, exams, money, home.\n\n"
        "Your medical school is not told who comes."
    ),
}


def _cohort_taking_newcomers(programme: Programme) -> Cohort | None:
    for cohort in programme.cohorts.filter(status=Cohort.Status.OPEN):
        if selectors.takes_newcomers(cohort):
            return cohort
    return None


def _programme(coordinator, school, fields, co_hosts) -> Programme:
    found = Programme.objects.filter(host=school, title=fields["title"]).first()
    if found is not None:
        return found
    return services.save_programme(
        coordinator=coordinator,
        organisation=school,
        co_hosts=co_hosts,
        agreement=DEFAULT_AGREEMENT,
        **fields,
    )


def _open_cohort(coordinator, programme, facilitator, *, weekday, at, accredited, **fields):
    found = _cohort_taking_newcomers(programme)
    if found is not None:
        return found, False
    first_day = timezone.localdate() + datetime.timedelta(days=3)
    cohort = services.create_cohort(
        coordinator=coordinator,
        programme=programme,
        facilitators=[facilitator],
        accredited=[facilitator.pk] if accredited else [],
        name=f"From {first_day:%-d %B %Y}",
        starts_on=first_day,
        weekday=weekday,
        start_time=at,
        duration_minutes=90,
        session_count=10,
        capacity=8,
        **fields,
    )
    services.open_cohort(coordinator=coordinator, cohort=cohort)
    return cohort, True


@transaction.atomic
def seed_demo(stdout) -> None:
    school = Organisation.objects.filter(slug="st-elsewhere").first()
    charity = Organisation.objects.filter(slug="doctors-wellbeing-trust").first()
    coordinator = User.objects.filter(email="coordinator@example.org").first()
    facilitator = User.objects.filter(email="facilitator@example.org").first()
    if not (school and coordinator and facilitator):
        return
    foundation = _programme(coordinator, school, FOUNDATION, [charity] if charity else [])
    students = _programme(coordinator, school, STUDENTS, [])
    _open_cohort(
        coordinator,
        foundation,
        facilitator,
        weekday=1,
        at=datetime.time(18, 30),
        accredited=True,
        format=Format.VIDEO,
        video_link="https://video.example/foundation-group",
    )
    student_cohort, made = _open_cohort(
        coordinator,
        students,
        facilitator,
        weekday=3,
        at=datetime.time(17, 0),
        accredited=False,
        format=Format.IN_PERSON,
        location="Quiet Room 2, Medical Library",
    )
    otter = User.objects.filter(email="member2@example.org").first()
    if made and otter is not None:
        result = services.join_cohort(member=otter, cohort=student_cohort, agree=True)
        if result.participation.status == Participation.Status.JOINED:
            first = selectors.sessions_of(student_cohort).first()
            services.suggest_topic(
                participant=otter, session=first, text="Feeling out of my depth on placement"
            )
    stdout.write("Groups demo: a foundation doctors' group and a student group, both open.")
