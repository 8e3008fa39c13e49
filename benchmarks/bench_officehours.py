"""Office hours: a week of open slots for 200 supporters, and a rush of bookings.

`make bench` measures the database it runs on (SQLite by default). Set
KINDRED_BENCH_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/kindred_bench; the database
is created if missing) to measure PostgreSQL too, in a child process, in the same table.
Run alone: `.venv/bin/python benchmarks/bench_officehours.py`.
"""

import datetime
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

SUPPORTERS = 200
MEMBERS = 2_000
BOOKED_SHARE = 0.4
PAGE_REQUESTS = 30
RUSH_SLOTS = 50
RUSH_ATTEMPTS = 200
RUSH_CLIENTS = 64  # concurrent connections (PostgreSQL here allows 100 in all)
ORG_SLUG = "bench-office-hours"


def _setup():
    from django.utils import timezone

    from kindred.accounts.models import Membership, Organisation, RoleGrant, User
    from kindred.officehours import services
    from kindred.officehours.models import AvailabilityRule, Booking, Slot
    from kindred.support.models import SupporterProfile

    org, created = Organisation.objects.get_or_create(
        slug=ORG_SLUG,
        defaults={"name": "Bench Office Hours", "kind": "medical_school", "country": "GB"},
    )
    member = User.objects.filter(email="oh-member0@example.org").first()
    if not created and member is not None:
        _analyze()
        return org, member
    users = User.objects.bulk_create(
        [
            User(email=f"oh-s{i}@example.org", display_name=f"OH Supporter {i}")
            for i in range(SUPPORTERS)
        ]
        + [
            User(email=f"oh-member{i}@example.org", display_name=f"OH Member {i}")
            for i in range(MEMBERS)
        ]
    )
    memberships = Membership.objects.bulk_create(
        [Membership(user=u, organisation=org, verified_by="demo") for u in users]
    )
    until = timezone.localdate() + datetime.timedelta(days=365)
    RoleGrant.objects.bulk_create(
        [
            RoleGrant(membership=m, role="supporter", trained_until=until)
            for m in memberships[:SUPPORTERS]
        ]
    )
    profiles = SupporterProfile.objects.bulk_create(
        [
            SupporterProfile(
                user=u, organisation=org, topics=["exams", "stress"], languages=["English"]
            )
            for u in users[:SUPPORTERS]
        ]
    )
    place = {"format": "video", "video_link": "https://meet.example.org/bench"}
    rules = []
    for i, profile in enumerate(profiles):
        # Two bookable blocks of two hours a week, and one walk-in block.
        rules += [
            AvailabilityRule(
                profile=profile,
                weekday=i % 5,
                start_time=datetime.time(9 + i % 4, 0),
                end_time=datetime.time(11 + i % 4, 0),
                slot_minutes=30,
                **place,
            ),
            AvailabilityRule(
                profile=profile,
                weekday=(i + 2) % 5,
                start_time=datetime.time(14, 0),
                end_time=datetime.time(16, 0),
                slot_minutes=30,
                **place,
            ),
            AvailabilityRule(
                profile=profile,
                weekday=(i + 4) % 7,
                start_time=datetime.time(12, 30),
                end_time=datetime.time(13, 30),
                slot_minutes=15,
                walk_in=True,
                format="in_person",
                location="Student Centre",
            ),
        ]
    AvailabilityRule.objects.bulk_create(rules)
    for profile in SupporterProfile.objects.filter(organisation=org).select_related("organisation"):
        services.regenerate_slots(profile=profile)
    members = users[SUPPORTERS:]
    slots = list(Slot.objects.filter(organisation=org, walk_in=False).order_by("starts_at"))
    every = round(1 / BOOKED_SHARE)
    Booking.objects.bulk_create(
        [
            Booking(slot=slot, member=members[i % len(members)], organisation=org)
            for i, slot in enumerate(slots)
            if i % every == 0
        ]
    )
    _analyze()
    return org, User.objects.get(email="oh-member0@example.org")


def _analyze() -> None:
    """Fresh planner statistics after the bulk load, as autovacuum would soon make."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _signed_in_client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def _page_figures(client, url: str) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    times = []
    for _ in range(PAGE_REQUESTS):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], len(queries)


def _rush(org) -> tuple[float, float, float, int, int]:
    """RUSH_ATTEMPTS bookings over RUSH_SLOTS fresh slots, from RUSH_CLIENTS threads at once."""
    from django.db import connection, connections
    from django.db.models import Count
    from django.utils import timezone

    from kindred.accounts.models import User
    from kindred.officehours import services
    from kindred.officehours.models import Booking, Slot
    from kindred.support.models import SupporterProfile

    profile = SupporterProfile.objects.filter(organisation=org).first()
    base = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=400)
    Slot.objects.filter(profile=profile, starts_at__gte=base - datetime.timedelta(days=1)).delete()
    slots = Slot.objects.bulk_create(
        [
            Slot(
                organisation=org,
                profile=profile,
                supporter_id=profile.user_id,
                starts_at=base + datetime.timedelta(minutes=30 * i),
                ends_at=base + datetime.timedelta(minutes=30 * i + 30),
                format="video",
                video_link="https://meet.example.org/bench",
            )
            for i in range(RUSH_SLOTS)
        ]
    )
    slot_ids = [s.pk for s in slots]
    member_ids = list(
        User.objects.filter(email__startswith="oh-member")
        .exclude(office_hour_bookings__status="booked")
        .values_list("pk", flat=True)[:RUSH_ATTEMPTS]
    )
    members = list(User.objects.filter(pk__in=member_ids))
    attempts = [(members[i], slot_ids[i % RUSH_SLOTS]) for i in range(RUSH_ATTEMPTS)]
    latencies: list[float] = []
    outcomes = {"won": 0, "taken": 0, "other": 0}
    lock = threading.Lock()
    ready = threading.Barrier(RUSH_CLIENTS)
    next_attempt = iter(range(RUSH_ATTEMPTS))

    def client() -> None:
        connection.ensure_connection()
        ready.wait()
        while True:
            with lock:
                i = next(next_attempt, None)
            if i is None:
                break
            member, slot_id = attempts[i]
            start = time.perf_counter()
            try:
                services.book_slot(member=member, slot_id=slot_id)
                outcome = "won"
            except services.SlotTaken:
                outcome = "taken"
            except Exception:  # noqa: BLE001 - counted and reported
                outcome = "other"
            with lock:
                latencies.append((time.perf_counter() - start) * 1000)
                outcomes[outcome] += 1
        connections.close_all()

    threads = [threading.Thread(target=client) for _ in range(RUSH_CLIENTS)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    doubles = (
        Booking.objects.filter(slot_id__in=slot_ids, status__in=Booking.HOLDING)
        .values("slot_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    latencies.sort()
    p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)]
    assert outcomes["won"] == RUSH_SLOTS and outcomes["other"] == 0, outcomes
    return RUSH_ATTEMPTS / seconds, statistics.median(latencies), p99, doubles, outcomes["won"]


def measure() -> list[tuple[str, str, str]]:
    from django.conf import settings
    from django.db import connection

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # quiet notices
    database = connection.vendor
    org, member = _setup()
    client = _signed_in_client(member)
    rows = []
    median, p95, queries = _page_figures(client, "/office-hours/")
    rows.append(
        (
            f"Office hours page: a week of open slots, {SUPPORTERS} supporters "
            f"(40 a page), {database}",
            f"median {median:.1f} ms, p95 {p95:.1f} ms, {queries} queries",
            "median < 100 ms, bounded queries",
        )
    )
    median, p95, queries = _page_figures(client, "/api/v1/slots")
    count = len(client.get("/api/v1/slots").json())
    rows.append(
        (
            f"GET /api/v1/slots: a week, all {count} open slots of {SUPPORTERS} supporters, "
            f"{database}",
            f"median {median:.1f} ms, p95 {p95:.1f} ms, {queries} queries",
            "bounded queries",
        )
    )
    per_second, median, p99, doubles, won = _rush(org)
    rows.append(
        (
            f"{RUSH_ATTEMPTS} booking attempts at once over {RUSH_SLOTS} slots, "
            f"{RUSH_CLIENTS} concurrent clients, {database}",
            f"{per_second:.0f} attempts/s, median {median:.1f} ms, p99 {p99:.1f} ms; "
            f"{won} booked, {doubles} double bookings",
            "0 double bookings",
        )
    )
    return rows


def _postgres_rows(url: str) -> list[tuple[str, str, str]]:
    """Measure PostgreSQL in a child process (Django binds to one database per process)."""
    _ensure_database(url)
    env = {**os.environ, "DATABASE_URL": url, "KINDRED_BENCH_POSTGRES_URL": ""}
    result = subprocess.run(  # noqa: S603 - our own script, with our own interpreter
        [sys.executable, str(Path(__file__)), "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return [tuple(row) for row in json.loads(result.stdout.strip().splitlines()[-1])]


def _ensure_database(url: str) -> None:
    from urllib.parse import urlsplit

    import psycopg

    name = urlsplit(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def run() -> list[tuple[str, str, str]]:
    rows = measure()
    url = os.environ.get("KINDRED_BENCH_POSTGRES_URL", "")
    if url:
        rows += _postgres_rows(url)
    return rows


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kindred.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    if not os.environ.get("DATABASE_URL"):
        import tempfile

        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    call_command("migrate", verbosity=0)
    measured = measure()
    if "--json" in sys.argv:
        print(json.dumps(measured))
    else:
        for row in measured:
            print(" | ".join(row))
