"""Two app processes sharing Redis: what is sent through one reaches a client of the other.

Two daphne subprocesses serve kindred.asgi on one SQLite file with the channels_redis pub/sub
layer, as a deployment with several ASGI servers behind one proxy would. Skipped when Redis is
not reachable (it runs in `make test-postgres`, where Redis is up).
"""

import asyncio
import json
import os
import sqlite3
import urllib.parse
import urllib.request
import uuid
from contextlib import ExitStack
from http.cookiejar import CookieJar

import pytest
from django.urls import reverse

from tests.asgi import daphne, demo_environment, prepare_demo_database, redis_is_up

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
MEMBER = "member@example.org"
SUPPORTER = "supporter@example.org"
EVENT_SECONDS = 5


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory):
    """Two daphne processes, A and B, on one database and one Redis; yields their base URLs."""
    if not redis_is_up(REDIS_URL):
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: start it to test two processes")
    folder = tmp_path_factory.mktemp("two-processes")
    database = folder / "kindred.sqlite3"
    env = demo_environment(database, REDIS_URL=REDIS_URL)
    prepare_demo_database(env)
    with ExitStack() as stack:
        urls = [stack.enter_context(daphne(env, folder / f"daphne-{name}.log")) for name in "ab"]
        with sqlite3.connect(database) as connection:
            [(conversation_id,)] = connection.execute(
                "SELECT c.id FROM support_conversation c"
                " JOIN accounts_user m ON m.id = c.member_id"
                " JOIN accounts_user s ON s.id = c.supporter_id"
                " WHERE c.status = 'open' AND m.email = ? AND s.email = ?",
                (MEMBER, SUPPORTER),
            ).fetchall()
        yield urls[0], urls[1], conversation_id


class Browser:
    """A person's cookies on one server, signed in through the development demo link."""

    def __init__(self, base_url: str, email: str):
        from kindred.accounts.views import demo_sign_in_token

        self.base_url = base_url
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.get(reverse("demo_sign_in", args=[demo_sign_in_token(email)]))
        assert self.cookie("sessionid"), f"signing in as {email} set no session cookie"

    def cookie(self, name: str) -> str:
        return next((c.value for c in self.jar if c.name == name), "")

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)

    def get(self, path: str) -> str:
        with self.opener.open(self.base_url + path, timeout=10) as response:
            return response.read().decode()

    def post(self, path: str, fields: dict) -> int:
        request = urllib.request.Request(
            self.base_url + path,
            data=urllib.parse.urlencode(fields).encode(),
            headers={"X-CSRFToken": self.cookie("csrftoken"), "HX-Request": "true"},
        )
        with self.opener.open(request, timeout=10) as response:
            return response.status


class Socket:
    """A websocket client with the person's cookies, reading one event at a time."""

    def __init__(self, connection):
        self.connection = connection

    @classmethod
    async def open(cls, base_url: str, path: str, cookies: str) -> "Socket":
        from websockets.asyncio.client import connect

        connection = await connect(
            "ws" + base_url.removeprefix("http") + path,
            origin=base_url,
            additional_headers={"Cookie": cookies},
            compression=None,
            proxy=None,
            open_timeout=EVENT_SECONDS,
        )
        return cls(connection)

    async def send(self, data: dict) -> None:
        await self.connection.send(json.dumps(data))

    async def next(self, kind: str) -> dict:
        """The next event of this type (others are skipped)."""
        async with asyncio.timeout(EVENT_SECONDS):
            while True:
                event = json.loads(await self.connection.recv())
                if event["type"] == kind:
                    return event

    async def close(self) -> None:
        await self.connection.close()


def test_a_message_sent_through_one_process_reaches_a_client_of_the_other(two_servers):
    server_a, server_b, conversation_id = two_servers
    assert server_a != server_b
    page = reverse("conversation", args=[conversation_id])
    socket_path = f"/ws/conversations/{conversation_id}/"
    member = Browser(server_a, MEMBER)
    member.get(page)  # sets the CSRF cookie, as opening the page does
    supporter = Browser(server_b, SUPPORTER)
    typed = f"Sent through A at {uuid.uuid4()}"
    replied = f"Answered through B at {uuid.uuid4()}"

    async def scenario():
        on_b = await Socket.open(server_b, socket_path, supporter.cookie_header())
        on_a = await Socket.open(server_a, socket_path, member.cookie_header())
        try:
            # The member posts the form to process A; the supporter's socket on B gets it.
            status = await asyncio.to_thread(
                member.post,
                reverse("conversation_messages", args=[conversation_id]),
                {"body": typed, "client_id": str(uuid.uuid4())},
            )
            assert status == 204
            arrived_on_b = await on_b.next("message")
            # The supporter answers over the socket on B; the member's socket on A gets it.
            await on_b.send({"type": "send", "body": replied, "client_id": str(uuid.uuid4())})
            arrived_on_a = await on_a.next("message")
            while typed in arrived_on_a["html"]:  # the member's own message, echoed first
                arrived_on_a = await on_a.next("message")
            # Reading on B marks the member's messages read on A.
            await on_b.send({"type": "read"})
            read_on_a = await on_a.next("read")
        finally:
            await on_a.close()
            await on_b.close()
        return arrived_on_b, arrived_on_a, read_on_a

    arrived_on_b, arrived_on_a, read_on_a = asyncio.run(scenario())

    assert typed in arrived_on_b["html"] and not arrived_on_b["mine"]
    assert replied in arrived_on_a["html"] and not arrived_on_a["mine"]
    assert read_on_a == {"type": "read"}
