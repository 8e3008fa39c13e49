"""Reads: which services a person may see, search, filters, crisis lines, the guide."""

import json
import re
import zoneinfo

from django.db import connection
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.utils import timezone

from kindred.accounts.models import COUNTRIES, Organisation, Role
from kindred.accounts.selectors import roles_of
from kindred.navigator import finder, hours
from kindred.navigator.forms import DirectoryFilters
from kindred.navigator.models import (
    REVIEW_AFTER_DAYS,
    GuidePage,
    SavedFinderAnswers,
    Service,
    Topic,
    WhoFindsOut,
)

DEFAULT_COUNTRY = "GB"
COUNTRY_NAMES = dict(COUNTRIES)
_FTS_BEST = (
    "SELECT rowid FROM navigator_service_fts WHERE navigator_service_fts MATCH %s"
    " ORDER BY rank LIMIT %s"
)
SEARCH_LIMIT = 500  # nobody reads further than this; it bounds the ordering expression


def active_services() -> QuerySet[Service]:
    return Service.objects.filter(retired_at__isnull=True).select_related("organisation")


def country_for(user, wanted: str = "") -> str:
    """The country whose services to show: the one asked for, the person's, or the UK."""
    for code in (wanted, getattr(user, "country", "") or ""):
        code = (code or "").upper()
        if code in COUNTRY_NAMES:
            return code
    if getattr(user, "is_authenticated", False):
        for organisation in roles_of(user).organisations.values():
            return organisation.country
    return DEFAULT_COUNTRY


def member_organisation_ids(user) -> set[int]:
    return set(roles_of(user).organisations) if getattr(user, "is_authenticated", False) else set()


def visible_services(*, user, country: str) -> QuerySet[Service]:
    """National services of a country, plus those of the person's own organisations there."""
    scope = Q(organisation__isnull=True, country=country)
    own = member_organisation_ids(user)
    if own:
        scope |= Q(organisation_id__in=own, country=country)
    return active_services().filter(scope)


def services_for_referral(*, organisation: Organisation) -> QuerySet[Service]:
    """Services open to an organisation's members: its own plus national ones for its country."""
    return active_services().filter(
        Q(organisation=organisation) | Q(organisation__isnull=True, country=organisation.country)
    )


def service_for(*, user, pk: int) -> Service | None:
    """One active service the person may see, or None (another organisation's answers None)."""
    service = active_services().filter(pk=pk).first()
    if service is None or not user.has_perm("navigator.view_service", service):
        return None
    return service


def crisis_lines_for(country: str) -> tuple[str, list[Service]]:
    """The country shown (unknown codes fall back to the UK) and its crisis lines, in order."""
    code = (country or "").upper()
    if code not in COUNTRY_NAMES:
        code = DEFAULT_COUNTRY
    lines = list(
        Service.objects.filter(
            retired_at__isnull=True, organisation__isnull=True, country=code, is_crisis_line=True
        ).order_by("crisis_rank", "name")
    )
    return code, lines


def _words(query: str) -> list[str]:
    return re.findall(r"\w+", query.lower())[:12]


def search_services(*, query: str, services: QuerySet[Service] | None = None) -> QuerySet[Service]:
    """Full-text search over names, descriptions and topics, best match first.

    PostgreSQL uses its own full-text search; SQLite an FTS5 table kept in step by triggers.
    Each word matches as a prefix ("exam" finds "exams").
    """
    services = active_services() if services is None else services
    words = _words(query)
    if not words:
        return services
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = SearchVector("name", weight="A", config="english") + SearchVector(
            "search_text", weight="B", config="english"
        )
        tsquery = SearchQuery(
            " & ".join(f"{word}:*" for word in words), search_type="raw", config="english"
        )
        return (
            services.annotate(search=vector)
            .filter(search=tsquery)
            .annotate(relevance=SearchRank(vector, tsquery))
            .order_by("-relevance", "name", "id")
        )
    match = " ".join(f'"{word}"*' for word in words)
    with connection.cursor() as cursor:
        cursor.execute(_FTS_BEST, [match, SEARCH_LIMIT])
        best = [row[0] for row in cursor.fetchall()]
    # One query gives the best matches in order; the page then keeps that order.
    position = Case(*[When(pk=pk, then=Value(i)) for i, pk in enumerate(best)], default=Value(0))
    return services.filter(pk__in=best).annotate(relevance=position).order_by("relevance", "name")


def _contains_any(field: str, values: list[str]) -> Q:
    """A JSON list holding any of the values (works on SQLite and PostgreSQL alike)."""
    condition = Q()
    for value in values:
        condition |= Q(**{f"{field}__icontains": json.dumps(value)})
    return condition


def _open_now(services: QuerySet[Service]) -> list[int]:
    """Ids of the services open now, each in its own time zone (reads three columns only)."""
    now = timezone.now()
    return [
        pk
        for pk, periods, zone in services.values_list("pk", "opening_hours", "time_zone")
        if hours.is_open(periods, now.astimezone(zoneinfo.ZoneInfo(zone)))
    ]


def directory(*, user, country: str, filters: DirectoryFilters) -> QuerySet[Service]:
    """The directory for a person: search and filters applied, best first."""
    services = visible_services(user=user, country=country)
    if filters.topics:
        services = services.filter(_contains_any("topics", filters.topics))
    if filters.costs:
        services = services.filter(cost__in=filters.costs)
    if filters.formats:
        services = services.filter(_contains_any("formats", filters.formats))
    if filters.confidential:
        services = services.exclude(tells_school=WhoFindsOut.YES)
    if filters.query:
        services = search_services(query=filters.query, services=services)
    else:
        services = services.order_by(F("organisation").asc(nulls_last=True), "name", "id")
    if filters.open_now:
        services = services.filter(pk__in=_open_now(services.order_by()))
    return services


CANDIDATE_FIELDS = [
    "pk",
    "name",
    "topics",
    "cost",
    "tells_school",
    "independent_of_school",
    "formats",
    "helpers",
    "wait",
    "is_crisis_line",
    "opening_hours",
    "time_zone",
]


def _candidate(row: dict, now) -> finder.Candidate:
    periods = row["opening_hours"]
    return finder.Candidate(
        id=row["pk"],
        name=row["name"],
        topics=frozenset(row["topics"]),
        cost=row["cost"],
        tells_school=row["tells_school"],
        independent=row["independent_of_school"],
        formats=frozenset(row["formats"]),
        helpers=row["helpers"],
        wait=row["wait"],
        is_crisis_line=row["is_crisis_line"],
        open_now=hours.is_open(periods, now.astimezone(zoneinfo.ZoneInfo(row["time_zone"]))),
        outside_working_hours=hours.open_outside_working_hours(periods),
    )


def find_services(
    *, user, country: str, answers: finder.Answers, limit: int = 8
) -> tuple[list[tuple[Service, finder.Ranked]], int]:
    """The finder's best `limit` results as (service, ranked) pairs, and how many were ranked.
    Ranking reads only the columns it needs; only the shown services are loaded whole."""
    visible = visible_services(user=user, country=country)
    now = timezone.now()
    candidates = [_candidate(row, now) for row in visible.values(*CANDIDATE_FIELDS)]
    ranked = finder.rank(candidates, answers, topic_labels=dict(Topic.choices))
    best = ranked[:limit]
    services = visible.in_bulk([item.candidate.id for item in best])
    return [(services[item.candidate.id], item) for item in best], len(ranked)


def saved_answers_of(user) -> dict | None:
    if not getattr(user, "is_authenticated", False):
        return None
    saved = SavedFinderAnswers.objects.filter(user=user).first()
    if saved is None:
        return None
    try:
        return json.loads(saved.answers)
    except ValueError:
        return None  # erased or unreadable: as if nothing was saved


def organisation_services(*, organisation: Organisation) -> QuerySet[Service]:
    """Every service of one organisation, retired ones too (for its coordinators)."""
    return Service.objects.filter(organisation=organisation).order_by(
        F("retired_at").asc(nulls_first=True), "name", "id"
    )


def services_due_for_review(*, organisation: Organisation | None) -> QuerySet[Service]:
    """Active entries not reviewed for 12 months (national ones when organisation is None)."""
    cutoff = timezone.localdate() - timezone.timedelta(days=REVIEW_AFTER_DAYS)
    return Service.objects.filter(
        organisation=organisation, retired_at__isnull=True, last_reviewed__lte=cutoff
    ).order_by("last_reviewed", "name")


def guide_pages_for(*, user) -> list[GuidePage]:
    """The guide's pages in order: an organisation's own version replaces the national one."""
    own = member_organisation_ids(user)
    pages = (
        GuidePage.objects.filter(Q(organisation__isnull=True) | Q(organisation_id__in=own))
        .filter(current__isnull=False)
        .select_related("current")
        .order_by("position", "slug", F("organisation").asc(nulls_first=True))
    )
    chosen: dict[str, GuidePage] = {}
    for page in pages:
        if page.slug not in chosen or page.organisation_id is not None:
            chosen[page.slug] = page
    return sorted(chosen.values(), key=lambda p: (p.position, p.slug))


def guide_pages_of(*, organisation: Organisation) -> list[tuple[GuidePage, GuidePage | None]]:
    """For a coordinator: each page as (the page their members see, their own version)."""
    pages = GuidePage.objects.filter(
        Q(organisation__isnull=True) | Q(organisation=organisation)
    ).select_related("current")
    national = {p.slug: p for p in pages if p.organisation_id is None}
    own = {p.slug: p for p in pages if p.organisation_id == organisation.pk}
    slugs = sorted(
        set(national) | set(own), key=lambda s: ((own.get(s) or national[s]).position, s)
    )
    return [(own.get(s) or national[s], own.get(s)) for s in slugs]


def editable_guide_page(*, organisation: Organisation, slug: str) -> GuidePage | None:
    return (
        GuidePage.objects.filter(organisation=organisation, slug=slug)
        .select_related("current")
        .first()
    )


def national_guide_page(*, slug: str) -> GuidePage | None:
    return (
        GuidePage.objects.filter(organisation__isnull=True, slug=slug)
        .select_related("current")
        .first()
    )


def coordinates(user, organisation: Organisation) -> bool:
    return roles_of(user).has(Role.COORDINATOR, organisation.pk)
