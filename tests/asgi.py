"""Daphne serving kindred.asgi in a subprocess, on the demo data in a SQLite file of its own.

Real time needs websockets, which pytest-django's `live_server` (WSGI) cannot serve. The test
process can read the same SQLite file to check what was stored. The benchmarks use it too, so
it raises RuntimeError rather than failing a test.
"""

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STARTUP_SECONDS = 30


@dataclass
class Server:
    url: str
    database: Path

    def query(self, sql: str, *params) -> list[tuple]:
        with sqlite3.connect(self.database, timeout=20) as connection:
            return connection.execute(sql, params).fetchall()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_is_up(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except (redis.RedisError, OSError):
        return False


def demo_environment(database: Path, **overrides: str) -> dict:
    """The environment of a demo server on `database`: demo sign-in links on, no Redis (the
    in-memory layer) unless `REDIS_URL` is given."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kindred.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "KINDRED_DEMO_SIGN_IN": "true",
        "EMAIL_URL": "console:",
    }
    # The async-safety switch is for the test process only.
    for name in ("REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    env.update(overrides)
    return env


def run_python(env: dict, *args: str, timeout: int = 300) -> str:
    """`python ARGS` from the project folder in this environment; its output."""
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if done.returncode:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def manage(env: dict, *args: str) -> str:
    return run_python(env, "manage.py", *args, timeout=120)


def prepare_demo_database(env: dict) -> None:
    manage(env, "migrate", "--noinput")
    manage(env, "seed_demo")


@contextmanager
def daphne(env: dict, log_path: Path):
    """Start daphne on a free port, wait until /healthz answers, yield its base URL, stop it."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port)]
            + ["kindred.asgi:application"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + STARTUP_SECONDS
            while True:
                try:
                    with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"daphne at {url} did not start:\n{log_path.read_text()}")
                time.sleep(0.1)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def demo_server(folder: Path):
    """One daphne on freshly seeded demo data (in-memory channel layer)."""
    database = folder / "kindred.sqlite3"
    env = demo_environment(database)
    prepare_demo_database(env)
    with daphne(env, folder / "daphne.log") as url:
        yield Server(url=url, database=database)
