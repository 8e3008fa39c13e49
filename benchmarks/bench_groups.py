"""Groups: the plain-Python overlap check, a session's ranked topics, and the coordinators'
numbers for an organisation with many cohorts.

Part of `make bench` (`run()` returns rows of claim, figure, target). Run alone, always on a
throwaway SQLite database: `.venv/bin/python -m benchmarks.bench_groups`.
"""

import datetime
import random
import statistics
import time

PROGRAMMES = 5
COHORTS_PER_PROGRAMME = 10
PEOPLE_PER_COHORT = 10
TOPICS = 200
VOTERS = 60
REPEATS = 15
ORG_SLUG = "bench-groups"


def _median_ms(action, repeats=REPEATS) -> float:
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def _overlaps() -> tuple[str, str, str]:
    from kindred.groups import schedule

    base = datetime.datetime(2026, 1, 5, 18, tzinfo=datetime.UTC)
    rng = random.Random(6)

    def spans(n):
        return [
            schedule.Span(i, start, start + datetime.timedelta(minutes=90))
            for i in range(n)
            for start in [base + datetime.timedelta(hours=rng.randrange(24 * 7 * 20))]
        ]

    mine, theirs = spans(2_000), spans(2_000)
    ms = _median_ms(lambda: schedule.overlapping(mine, theirs), repeats=5)
    return ("Overlap check, 2,000 sessions against 2,000 (plain Python)", f"{ms:.1f} ms", "< 50 ms")


def _setup():
    from django.utils import timezone

    from kindred.accounts.models import Membership, Organisation, RoleGrant, User
    from kindred.groups.models import (
        Attendance,
        Cohort,
        CohortFacilitator,
        Participation,
        Programme,
        Session,
    )

    org, created = Organisation.objects.get_or_create(
        slug=ORG_SLUG, defaults={"name": "Bench Groups", "kind": "charity", "country": "GB"}
    )
    if not created and Cohort.objects.filter(programme__host=org).exists():
        return org
    facilitator = User.objects.create(email="bench-fac@example.org", display_name="Bench Fac")
    membership = Membership.objects.create(user=facilitator, organisation=org, verified_by="demo")
    RoleGrant.objects.create(
        membership=membership,
        role="facilitator",
        trained_until=timezone.localdate() + datetime.timedelta(days=365),
    )
    total = PROGRAMMES * COHORTS_PER_PROGRAMME * PEOPLE_PER_COHORT
    people = User.objects.bulk_create(
        [User(email=f"bench-g{i}@example.org", display_name=f"Bench G {i}") for i in range(total)]
    )
    Membership.objects.bulk_create(
        [Membership(user=u, organisation=org, verified_by="demo") for u in people]
    )
    start = timezone.now() - datetime.timedelta(weeks=12)
    n = 0
    for p in range(PROGRAMMES):
        programme = Programme.objects.create(
            host=org, title=f"Bench programme {p}", description="x", audience="x"
        )
        for c in range(COHORTS_PER_PROGRAMME):
            cohort = Cohort.objects.create(
                programme=programme,
                name=f"C{c}",
                starts_on=start.date(),
                weekday=start.weekday(),
                start_time=datetime.time(18),
                capacity=PEOPLE_PER_COHORT,
                status="open",
            )
            CohortFacilitator.objects.create(cohort=cohort, user=facilitator)
            sessions = Session.objects.bulk_create(
                [
                    Session(
                        cohort=cohort,
                        number=i + 1,
                        starts_at=start + datetime.timedelta(weeks=i),
                        ends_at=start + datetime.timedelta(weeks=i, minutes=90),
                    )
                    for i in range(10)
                ]
            )
            places = Participation.objects.bulk_create(
                [
                    Participation(cohort=cohort, user=u, status="joined")
                    for u in people[n : n + PEOPLE_PER_COHORT]
                ]
            )
            n += PEOPLE_PER_COHORT
            Attendance.objects.bulk_create(
                [
                    Attendance(
                        session=s, participation=pl, mark="present" if (i + j) % 4 else "absent"
                    )
                    for i, s in enumerate(sessions)
                    for j, pl in enumerate(places)
                ]
            )
    return org


def _topics(org):
    from kindred.accounts.models import User
    from kindred.groups import selectors
    from kindred.groups.models import Cohort, Session, Topic, Vote

    cohort = Cohort.objects.filter(programme__host=org).first()
    session = Session.objects.filter(cohort=cohort).order_by("-number").first()
    if not Topic.objects.filter(session=session).exists():
        voters = list(User.objects.filter(email__startswith="bench-g")[:VOTERS])
        topics = [
            Topic(session=session, suggested_by=voters[i % VOTERS], text=f"Topic {i}")
            for i in range(TOPICS)
        ]
        for topic in topics:
            topic.save()  # encrypted text needs save(), not bulk_create
        rng = random.Random(7)
        Vote.objects.bulk_create(
            [Vote(topic=t, voter=v) for v in voters for t in rng.sample(topics, 10)]
        )
    viewer = User.objects.filter(email__startswith="bench-g").first()
    ms = _median_ms(lambda: selectors.ranked_topics(session, viewer=viewer))
    return (
        f"Ranked topics for a session with {TOPICS} topics and {VOTERS * 10} votes",
        f"{ms:.1f} ms",
        "< 100 ms",
    )


def _insights(org):
    from kindred.groups import selectors

    cohorts = PROGRAMMES * COHORTS_PER_PROGRAMME
    marks = cohorts * PEOPLE_PER_COHORT * 10
    ms = _median_ms(lambda: selectors.insights(org))
    return (
        f"Groups in numbers: {cohorts} cohorts, {marks:,} attendance marks",
        f"{ms:.1f} ms",
        "< 300 ms",
    )


def run() -> list[tuple[str, str, str]]:
    org = _setup()
    return [_overlaps(), _topics(org), _insights(org)]


if __name__ == "__main__":
    import os
    import tempfile

    # Always a throwaway database: never the development one.
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kindred.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    for claim, figure, target in run():
        print(f"{claim}: {figure} (target {target})")
