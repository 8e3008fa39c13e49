"""Live Q&A with 500 connected attendees: time from an upvote to every client seeing the new order.

One daphne process serves kindred.asgi on a SQLite file of its own (migrated and seeded in
subprocesses, so the database of the other benchmarks is left alone), as in bench_websockets.
This process opens the Q&A websocket for each of 500 attendees of one event (signed in with
sessions made in the database). Two questions are on the list; VOTES attendees in turn upvote
the one that is behind, over the API, so each vote puts the other question first. Each vote is
timed from just before its HTTP request until each socket receives a list whose first question
is the one just voted up: p50 and p99 over every (vote, attendee) pair, and the median over
votes of the time until the last of the 500 saw it. First with channels_redis's pub/sub layer
(REDIS_URL, or Redis on 127.0.0.1:6379), then with the in-memory layer.

The list is drawn once per change for the whole room; each of the 500 consumers then adds the
person's own marks, which it keeps in memory (no query), and sends it, all on daphne's one
consumer thread, so the last attendee waits for the 499 before them.
"""

import asyncio
import contextlib
import json
import os
import re
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tests.asgi import daphne, demo_environment, manage, redis_is_up, run_python

ROOT = Path(__file__).resolve().parent.parent
ATTENDEES = 500
VOTES = 10
OPEN_AT_ONCE = 50  # websocket handshakes in flight at a time
ROUND_TIMEOUT = 20  # seconds to wait for every attendee to see one vote
TARGET = "p50 < 250 ms, p99 < 1 s to every attendee"
FIRST_QUESTION = re.compile(r'data-question="(\d+)"')


def run() -> list[tuple[str, str, str]]:
    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    load = f"{ATTENDEES} connected attendees, {VOTES} upvotes one after another"
    with tempfile.TemporaryDirectory(prefix="kindred-bench-qanda-") as folder:
        env = demo_environment(
            Path(folder) / "qanda.sqlite3", DEBUG="false", EMAIL_URL="locmem:", LOG_LEVEL="WARNING"
        )
        manage(env, "migrate", "--noinput")
        room = json.loads(run_python(env, "-m", "benchmarks.bench_qanda", "seed").splitlines()[-1])
        rows = []
        claim = f"Live Q&A, upvote to new order on every client, Redis pub/sub layer: {load}"
        if redis_is_up(redis_url):
            figures = _measure(
                {**env, "REDIS_URL": redis_url}, room, Path(folder) / "redis", voters=0
            )
            rows.append((claim, figures, TARGET))
        else:
            rows.append((claim, f"not measured: Redis not reachable at {redis_url}", TARGET))
        # Other voters: the first run's have voted already, and a repeat vote changes nothing.
        figures = _measure(env, room, Path(folder) / "memory", voters=VOTES)
        rows.append(
            (
                f"Live Q&A, upvote to new order on every client, in-memory layer: {load}",
                figures,
                "beside the Redis figures (one process only)",
            )
        )
    return rows


def _measure(env: dict[str, str], room: dict, log_base: Path, *, voters: int) -> str:
    """Start daphne with this environment, time the votes, stop it; the figures as text."""
    with daphne(env, log_base.with_suffix(".log")) as base_url:
        latencies, last, votes = asyncio.run(
            _votes(base_url, room, room["tokens"][voters : voters + VOTES])
        )
    expected = votes * ATTENDEES
    if len(latencies) < 2:
        return f"{len(latencies)} of {expected} seen (see the daphne log)"
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    missed = expected - len(latencies)
    return (
        f"p50 {cuts[49] * 1000:.0f} ms, p99 {cuts[98] * 1000:.0f} ms, "
        f"last of {ATTENDEES} (median over votes) {statistics.median(last) * 1000:.0f} ms, "
        f"max {max(latencies) * 1000:.0f} ms ({len(latencies)} of {expected} seen"
        f"{'' if not missed else f', {missed} missed'})"
    )


def _vote(base_url: str, question: int, token: str) -> int:
    request = urllib.request.Request(
        f"{base_url}/api/v1/questions/{question}/vote",
        method="POST",
        data=b"",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status


async def _votes(
    base_url: str, room: dict, tokens: list[str]
) -> tuple[list[float], list[float], int]:
    """Open every attendee's socket, vote VOTES times, and return each attendee's time to see
    the new order (seconds), the time until the last one saw each vote, and the votes made."""
    from websockets.asyncio.client import connect

    gate = asyncio.Semaphore(OPEN_AT_ONCE)
    first_question: list[int | None] = [None] * ATTENDEES
    changed = asyncio.Event()

    async def open_socket(session_key: str):
        async with gate:
            socket = await connect(
                f"ws{base_url.removeprefix('http')}/ws/events/{room['event']}/questions/",
                origin=base_url,
                additional_headers={"Cookie": f"sessionid={session_key}"},
                compression=None,
                proxy=None,
                open_timeout=120,
                ping_interval=None,
                max_size=None,
            )
            await socket.recv()  # the list as it is when the socket opens
        return socket

    async def listen(index: int, socket) -> None:
        async for raw in socket:
            at = time.perf_counter()
            found = FIRST_QUESTION.search(json.loads(raw).get("html", ""))
            first_question[index] = int(found.group(1)) if found else None
            seen_at[index].append((at, first_question[index]))
            changed.set()

    sockets = await asyncio.gather(*(open_socket(key) for key in room["sessions"]))
    seen_at: list[list[tuple[float, int | None]]] = [[] for _ in sockets]
    listeners = [asyncio.create_task(listen(i, s)) for i, s in enumerate(sockets)]
    latencies: list[float] = []
    last: list[float] = []
    questions = room["questions"]  # [older, newer]: the older one leads a tie
    leader = questions[0]
    loop = asyncio.get_running_loop()
    for round_number in range(VOTES):
        behind = questions[1] if leader == questions[0] else questions[0]
        for seen in seen_at:
            seen.clear()
        started = time.perf_counter()
        status = await asyncio.to_thread(_vote, base_url, behind, tokens[round_number])
        if status not in (200, 201):
            raise RuntimeError(f"vote answered {status}")
        deadline = loop.time() + ROUND_TIMEOUT
        while loop.time() < deadline and not all(
            any(q == behind for _, q in seen) for seen in seen_at
        ):
            changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), timeout=0.5)
        times = [
            next(at for at, q in seen if q == behind) - started
            for seen in seen_at
            if any(q == behind for _, q in seen)
        ]
        latencies.extend(times)
        if len(times) == len(sockets):
            last.append(max(times))
        leader = behind
        await asyncio.sleep(0.2)  # let stragglers' later messages drain before the next vote
    await asyncio.gather(*(socket.close() for socket in sockets))
    await asyncio.gather(*listeners, return_exceptions=True)
    return latencies, last or [float("nan")], VOTES


def _seed() -> dict:
    """One event under way with ATTENDEES people going, each signed in with a session, the first
    2 * VOTES with a personal API token; two questions on the list."""
    import datetime

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction
    from django.utils import timezone

    from kindred.accounts.models import Membership, Organisation, User
    from kindred.accounts.services import create_api_token
    from kindred.events.models import Event, Rsvp
    from kindred.qanda.models import Question

    with transaction.atomic():
        school = Organisation.objects.create(
            slug="qanda-bench", name="Q&A Bench School", kind="medical_school", country="GB"
        )
        people = User.objects.bulk_create(
            [
                User(email=f"qa{i}@example.org", display_name=f"Bench Asker {i}", country="GB")
                for i in range(ATTENDEES)
            ]
        )
        Membership.objects.bulk_create(
            [Membership(user=user, organisation=school, verified_by="demo") for user in people]
        )
        now = timezone.now()
        event = Event.objects.create(
            host=school,
            title="Benchmark webinar",
            starts_at=now - datetime.timedelta(minutes=5),
            ends_at=now + datetime.timedelta(hours=6),
        )
        Rsvp.objects.bulk_create([Rsvp(event=event, user=user, status="going") for user in people])
        questions = [
            Question.objects.create(
                event=event,
                author=people[-1 - i],
                text=text,
                created_at=now - datetime.timedelta(minutes=2 - i),
            )
            for i, text in enumerate(
                [
                    "How did you ask for help the first time, and who did you tell?",
                    "What do you wish you had known in your first clinical year?",
                ]
            )
        ]
        sessions = []
        for person in people:
            session = SessionStore()
            session.update(
                {
                    SESSION_KEY: str(person.pk),
                    BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                    HASH_SESSION_KEY: person.get_session_auth_hash(),
                }
            )
            session.create()
            sessions.append(session.session_key)
        tokens = [create_api_token(user=person, name="bench")[1] for person in people[: 2 * VOTES]]
    return {
        "event": event.pk,
        "questions": [q.pk for q in questions],
        "sessions": sessions,
        "tokens": tokens,
    }


if __name__ == "__main__" and sys.argv[1:] == ["seed"]:
    import django

    django.setup()
    print(json.dumps(_seed()))
