"""make bench: run every benchmark in this folder and write docs/performance.md.

Each module `bench_*.py` has `run() -> list[tuple[str, str, str]]` returning rows of
(claim, measured figure, target). Benchmarks run on a throwaway SQLite database unless
DATABASE_URL is set. Figures are measurements of this machine, never assertions.
"""

import importlib
import os
import platform
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    workdir = tempfile.mkdtemp(prefix="kindred-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kindred.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    # As Django's test client does: keep one connection so queries can be counted.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)

    call_command("migrate", verbosity=0)
    rows: list[tuple[str, str, str]] = []
    for path in sorted(Path(__file__).parent.glob("bench_*.py")):
        module = importlib.import_module(f"benchmarks.{path.stem}")
        print(f"running {path.stem} …", flush=True)
        rows.extend(module.run())
    database = os.environ["DATABASE_URL"].split(":")[0]
    lines = [
        "# Performance",
        "",
        "Measured by `make bench` (benchmarks/); figures from one run, not guarantees.",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores,"
        f" Python {platform.python_version()}, database {database}."
        f" Run at {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.",
        "",
        "| claim | measured | target |",
        "|---|---|---|",
        *[f"| {claim} | {figure} | {target} |" for claim, figure, target in rows],
        "",
    ]
    (ROOT / "docs" / "performance.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
