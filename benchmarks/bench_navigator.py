"""Navigator: the directory, search and the finder stay fast with 1,000 services."""

import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kindred.navigator import finder
from kindred.navigator.models import Service

SERVICES = 1_000
REQUESTS = 20


def _setup() -> None:
    if Service.objects.filter(key__startswith="bench-").count() >= SERVICES:
        return
    topics = ["exams", "money", "anxiety", "low_mood", "burnout", "grief"]
    rows = []
    for i in range(SERVICES):
        service = Service(
            key=f"bench-{i}",
            name=f"Bench service {i}",
            run_by="A charity",
            country="GB",
            summary=f"Support with {topics[i % 6]} for students and doctors.",
            topics=[topics[i % 6], topics[(i + 1) % 6]],
            audiences=["students"],
            cost=["free", "low_cost", "paid"][i % 3],
            access_routes=["self_referral"],
            wait="days",
            opening_hours=[[d, "09:00", "17:00"] for d in range(5)],
            formats=["phone", "online"],
            tells_school=["never", "exceptional", "yes"][i % 3],
            tells_regulator="never",
            confidentiality_limits="Serious risk only.",
            records_kept="Notes.",
            independent_of_school=bool(i % 2),
            source_url="https://example.org/",
            last_reviewed=timezone.localdate(),
        )
        service.search_text = service.build_search_text()
        rows.append(service)
    Service.objects.bulk_create(rows, batch_size=500)


def _page(client: Client, url: str, data=None, method="get") -> tuple[float, int]:
    send = getattr(client, method)
    send(url, data or {})
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        send(url, data or {})
    start = time.perf_counter()
    for _ in range(REQUESTS):
        assert send(url, data or {}).status_code == 200
    return (time.perf_counter() - start) / REQUESTS * 1000, len(queries)


def _rank_ms() -> float:
    candidates = [
        finder.Candidate(
            id=i,
            name=f"s{i}",
            topics=frozenset({"exams"} if i % 2 else {"money"}),
            tells_school=["never", "exceptional", "yes"][i % 3],
            open_now=bool(i % 4),
        )
        for i in range(SERVICES)
    ]
    answers = finder.Answers(topics=frozenset({"exams"}), urgency="now", school_must_not_know=True)
    start = time.perf_counter()
    for _ in range(REQUESTS):
        finder.rank(candidates, answers)
    return (time.perf_counter() - start) / REQUESTS * 1000


def run() -> list[tuple[str, str, str]]:
    _setup()
    client = Client()
    rows = []
    for label, url, data, method in [
        ("Directory page", "/services/", None, "get"),
        ("Directory search", "/services/", {"q": "exams students"}, "get"),
        ("Directory, open now", "/services/", {"open_now": "yes"}, "get"),
        (
            "Finder results",
            "/find/",
            {"topics": ["exams"], "urgency": "week", "free": "on"},
            "post",
        ),
        ("Crisis panel", "/help-now/", None, "get"),
    ]:
        ms, queries = _page(client, url, data, method)
        rows.append(
            (
                f"{label}, {SERVICES} services, signed out",
                f"{ms:.1f} ms, {queries} queries",
                "< 150 ms, bounded queries",
            )
        )
    rows.append(
        (f"Finder ranking of {SERVICES} services (plain Python)", f"{_rank_ms():.1f} ms", "< 20 ms")
    )
    return rows
