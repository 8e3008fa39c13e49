"""Run work in many threads at once, each with its own database connection.

On SQLite, Django's test database lives in memory with a shared cache, where a second writer
fails at once with "database table is locked" instead of waiting its turn: not how Kindred
runs. So for these tests the database is copied to a file and every connection opened in the
meantime uses it, with the same options as production (`transaction_mode=IMMEDIATE`, a busy
timeout). On PostgreSQL the threads use the test database as it is; a lock file keeps two
test processes (pytest-xdist) from holding 50 connections each at the same moment.
"""

import fcntl
import sqlite3
import tempfile
import threading
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from django.db import connection, connections

LOCK_FILE = Path(tempfile.gettempdir()) / "kindred-concurrency-tests.lock"


@contextmanager
def one_test_process_at_a_time():
    with open(LOCK_FILE, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def shared_database(tmp_path: Path):
    """A database every thread can really share (see the module docstring)."""
    if connection.vendor != "sqlite":
        with one_test_process_at_a_time():
            yield
        return
    memory = connections["default"]
    memory.ensure_connection()
    copy = tmp_path / "concurrency.sqlite3"
    target = sqlite3.connect(copy)
    memory.connection.backup(target)
    target.close()
    shared_settings = connections.settings["default"]
    original_name = shared_settings["NAME"]
    shared_settings["NAME"] = str(copy)
    on_file = connections.create_connection("default")
    connections["default"] = on_file
    try:
        yield
    finally:
        on_file.close()
        shared_settings["NAME"] = original_name
        connections["default"] = memory


def run_at_once(work: Callable[[int], object], count: int) -> list[object]:
    """Call work(i) for i in range(count), each in its own thread, all released together.

    Returns each call's result, or the exception it raised.
    """
    results: list[object] = [None] * count
    ready = threading.Barrier(count)

    def run(i: int) -> None:
        try:
            connection.ensure_connection()
            ready.wait()
            results[i] = work(i)
        except Exception as error:  # noqa: BLE001 - the test inspects what each thread got
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results
