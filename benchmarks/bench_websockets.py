"""Message delivery over websockets: 500 connected sockets (250 conversations) on one machine.

One daphne process serves kindred.asgi on a SQLite file of its own (migrated and seeded in
subprocesses, so the database of the other benchmarks is left alone). This process opens a
websocket for each side of each conversation (the websockets package, signed in with sessions
made in the database) and behaves as the conversation page does: it says "read" when its socket
opens and whenever the other side's message arrives. In round 1 every member sends a message,
in round 2 every supporter answers, the sends spread evenly at RATE a second in all, as if all
250 conversations were under way at once. Each message is timed from the moment one side sends
it over its socket until the other side receives the "message" event. First with channels_redis's
pub/sub layer (REDIS_URL, or Redis on 127.0.0.1:6379), then with the in-memory layer.

Each message is a few SQLite commits, and a daphne process runs every synchronous consumer on
one thread, so the figures depend on the disk's fsync and on the rate: at 20 messages a second
on a 2-core machine, messages queued and the delay grew by the second.
"""

import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from tests.asgi import daphne, demo_environment, manage, redis_is_up, run_python

ROOT = Path(__file__).resolve().parent.parent
CONVERSATIONS = 250
# Messages a second across all conversations: each one every 25 s, turn about, so each
# person sends one about every 50 s, a brisk chat.
RATE = 10
OPEN_AT_ONCE = 50  # websocket handshakes in flight at a time
SETTLE_SECONDS = 15  # how long to wait for the last deliveries
TARGET = "p50 < 50 ms, p99 < 300 ms"
BODY = "Thank you, that helps. Can we talk again tomorrow evening after the ward round?"


def run() -> list[tuple[str, str, str]]:
    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    sockets = 2 * CONVERSATIONS
    load = f"{sockets} websockets ({CONVERSATIONS} conversations), {RATE} messages/s"
    with tempfile.TemporaryDirectory(prefix="kindred-bench-ws-") as folder:
        env = demo_environment(
            Path(folder) / "websockets.sqlite3",
            DEBUG="false",
            EMAIL_URL="locmem:",
            LOG_LEVEL="WARNING",
        )
        manage(env, "migrate", "--noinput")
        pairs = json.loads(
            run_python(env, "-m", "benchmarks.bench_websockets", "seed").splitlines()[-1]
        )
        rows = []
        claim = f"Message delivery, send to other side, Redis pub/sub layer: {load}"
        if redis_is_up(redis_url):
            figures = _measure({**env, "REDIS_URL": redis_url}, pairs, Path(folder) / "redis")
            rows.append((claim, figures, TARGET))
        else:
            rows.append((claim, f"not measured: Redis not reachable at {redis_url}", TARGET))
        figures = _measure(env, pairs, Path(folder) / "memory")
        rows.append(
            (
                f"Message delivery, send to other side, in-memory layer: {load}",
                figures,
                "beside the Redis figures (one process only)",
            )
        )
    return rows


def _measure(env: dict[str, str], pairs: list[dict], log_base: Path) -> str:
    """Start daphne with this environment, time the deliveries, stop it; the figures as text."""
    with daphne(env, log_base.with_suffix(".log")) as base_url:
        latencies, sent = asyncio.run(_deliveries(base_url, pairs))
    if len(latencies) < 2:
        return f"{len(latencies)} of {sent} delivered (see the daphne log)"
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    lost = sent - len(latencies)
    return (
        f"p50 {cuts[49] * 1000:.0f} ms, p95 {cuts[94] * 1000:.0f} ms, "
        f"p99 {cuts[98] * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms "
        f"({len(latencies)} of {sent} delivered{'' if not lost else f', {lost} lost'})"
    )


async def _deliveries(base_url: str, pairs: list[dict]) -> tuple[list[float], int]:
    """Open a socket for each side of each conversation, send round by round, and return the
    delivery times in seconds and how many messages were sent."""
    from websockets.asyncio.client import connect

    loop = asyncio.get_running_loop()
    sent_at: dict[str, float] = {}
    latencies: list[float] = []
    gate = asyncio.Semaphore(OPEN_AT_ONCE)
    read = json.dumps({"type": "read"})

    async def open_socket(conversation: int, session_key: str):
        async with gate:
            socket = await connect(
                f"ws{base_url.removeprefix('http')}/ws/conversations/{conversation}/",
                origin=base_url,
                additional_headers={"Cookie": f"sessionid={session_key}"},
                compression=None,
                proxy=None,
                open_timeout=60,
                ping_interval=None,
            )
        await socket.send(read)  # as the page does when its socket opens
        return socket

    async def listen(socket) -> None:
        async for raw in socket:
            at = time.perf_counter()
            event = json.loads(raw)
            if event.get("type") != "message" or event.get("mine"):
                continue
            started = sent_at.pop(event["client_id"], None)
            if started is not None:
                latencies.append(at - started)
            await socket.send(read)  # as the page does when the other side's message arrives

    members = await asyncio.gather(*(open_socket(p["conversation"], p["member"]) for p in pairs))
    supporters = await asyncio.gather(
        *(open_socket(p["conversation"], p["supporter"]) for p in pairs)
    )
    listeners = [asyncio.create_task(listen(socket)) for socket in (*members, *supporters)]
    # One message first, not timed: once it is through, so is the work of every opening.
    warm_up = str(uuid.uuid4())
    sent_at[warm_up] = time.perf_counter()
    await members[-1].send(json.dumps({"type": "send", "body": BODY, "client_id": warm_up}))
    async with asyncio.timeout(60):
        while warm_up in sent_at:
            await asyncio.sleep(0.05)
    latencies.clear()
    count = 0
    start = loop.time()
    for senders in (members, supporters):
        for socket in senders:
            await asyncio.sleep(max(0.0, start + count / RATE - loop.time()))
            client_id = str(uuid.uuid4())
            sent_at[client_id] = time.perf_counter()
            await socket.send(json.dumps({"type": "send", "body": BODY, "client_id": client_id}))
            count += 1
    deadline = loop.time() + SETTLE_SECONDS
    while sent_at and loop.time() < deadline:
        await asyncio.sleep(0.05)
    await asyncio.gather(*(socket.close() for socket in (*members, *supporters)))
    await asyncio.gather(*listeners, return_exceptions=True)
    return latencies, count


def _seed() -> list[dict]:
    """Make CONVERSATIONS open conversations with a little history, each member and supporter
    signed in with a session of their own; return the ids and session keys."""
    import datetime

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction
    from django.utils import timezone

    from kindred.accounts.models import Membership, Organisation, RoleGrant, User
    from kindred.support.models import Conversation, Message, SupportRequest

    with transaction.atomic():
        school = Organisation.objects.create(
            slug="websocket-bench",
            name="Websocket Bench School",
            kind="medical_school",
            country="GB",
        )
        people = User.objects.bulk_create(
            [
                User(email=f"ws{i}@example.org", display_name=f"Bench Talker {i}", country="GB")
                for i in range(2 * CONVERSATIONS)
            ]
        )
        memberships = Membership.objects.bulk_create(
            [Membership(user=user, organisation=school, verified_by="demo") for user in people]
        )
        until = timezone.localdate() + datetime.timedelta(days=365)
        RoleGrant.objects.bulk_create(
            [
                RoleGrant(membership=membership, role="supporter", trained_until=until)
                for membership in memberships[CONVERSATIONS:]
            ]
        )
        now = time.time()
        pairs = []
        for member, supporter in zip(people[:CONVERSATIONS], people[CONVERSATIONS:], strict=True):
            request = SupportRequest.objects.create(
                member=member, organisation=school, status="matched", topics=["exams"]
            )
            conversation = Conversation.objects.create(
                request=request, organisation=school, member=member, supporter=supporter
            )
            for sender, text in ((member, "Hello"), (supporter, "Hi, I am here.")):
                Message.objects.create(
                    conversation=conversation, sender=sender, body=text, client_id="seed"
                )
            keys = {}
            for role, person in (("member", member), ("supporter", supporter)):
                data = {
                    SESSION_KEY: str(person.pk),
                    BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                    HASH_SESSION_KEY: person.get_session_auth_hash(),
                }
                if role == "supporter":  # as after signing in with a second factor
                    data["account_authentication_methods"] = [
                        {"method": "mfa", "type": "totp", "at": now}
                    ]
                    data["account_authentication_methods_user"] = str(person.pk)
                session = SessionStore()
                session.update(data)
                session.create()
                keys[role] = session.session_key
            pairs.append({"conversation": conversation.pk, **keys})
    return pairs


if __name__ == "__main__" and sys.argv[1:] == ["seed"]:
    import django

    django.setup()
    print(json.dumps(_seed()))
