"""Page cost as data grows: the coordinator's home and people pages stay bounded."""

import datetime
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kindred.accounts.models import Membership, Organisation, RoleGrant, User

MEMBERS = 2_000
ROLE_HOLDERS = 200
REQUESTS = 30


def _setup():
    org, _ = Organisation.objects.get_or_create(
        slug="bench-school",
        defaults={"name": "Bench School", "kind": "medical_school", "country": "GB"},
    )
    if Membership.objects.filter(organisation=org).count() < MEMBERS:
        users = User.objects.bulk_create(
            [User(email=f"b{i}@example.org", display_name=f"Bench {i}") for i in range(MEMBERS)]
        )
        memberships = Membership.objects.bulk_create(
            [Membership(user=u, organisation=org, verified_by="demo") for u in users]
        )
        until = timezone.localdate() + datetime.timedelta(days=100)
        RoleGrant.objects.bulk_create(
            [
                RoleGrant(membership=m, role="supporter", trained_until=until)
                for m in memberships[:ROLE_HOLDERS]
            ]
        )
        coordinator = memberships[-1]
        RoleGrant.objects.create(membership=coordinator, role="coordinator")
    return org, User.objects.get(email=f"b{MEMBERS - 1}@example.org")


def _measure(client: Client, url: str) -> tuple[float, int]:
    client.get(url)
    connection.queries_log.clear()  # the log is capped; a full one would count nothing
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    start = time.perf_counter()
    for _ in range(REQUESTS):
        response = client.get(url)
        assert response.status_code == 200, response.status_code
    return (time.perf_counter() - start) / REQUESTS * 1000, len(queries)


def run() -> list[tuple[str, str, str]]:
    org, coordinator = _setup()
    client = Client()
    client.force_login(coordinator)
    session = client.session
    session["account_authentication_methods"] = [{"method": "mfa", "at": time.time()}]
    session["account_authentication_methods_user"] = str(coordinator.pk)
    session.save()
    rows = []
    for label, url in [
        ("Coordinator home page", "/"),
        (
            f"People and roles page, {ROLE_HOLDERS} role holders (audits each)",
            f"/org/{org.slug}/people/",
        ),
        ("Crisis lines page", "/help-now/"),
    ]:
        ms, queries = _measure(client, url)
        rows.append(
            (
                f"{label}, {MEMBERS} members",
                f"{ms:.1f} ms, {queries} queries",
                "< 150 ms, bounded queries",
            )
        )
    return rows
