"""Reads for groups, scoped to what the person asking may see.

Who sees what: members of the host and co-host organisations see open cohorts; participants see
each other by display name, the ranked topics and their own attendance; facilitators see their
cohorts' people, attendance and pooled feedback; coordinators see numbers only.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from kindred.accounts.models import Organisation, Role, RoleGrant, User
from kindred.accounts.selectors import partner_ids, roles_of
from kindred.core.suppression import suppressed
from kindred.groups import schedule
from kindred.groups.models import (
    Attendance,
    Cohort,
    CohortFacilitator,
    ConsultationRequest,
    FacilitatorGuidePage,
    Participation,
    Programme,
    Reflection,
    Session,
    SessionFeedback,
    Topic,
    Vote,
)

# New people may join (or be offered a place) until this many sessions have been held.
LATE_JOIN_SESSIONS = 2
# Feedback on a session can be given until this long after it ends; facilitators see it after.
FEEDBACK_WINDOW = datetime.timedelta(days=3)
COORDINATOR_THRESHOLD = 10

S = Participation.Status


def zone_of(cohort: Cohort) -> ZoneInfo:
    return ZoneInfo(cohort.programme.host.time_zone)


def organisation_ids(programme: Programme) -> set[int]:
    """The host and co-hosts: their members may join, their facilitators may run it."""
    return {programme.host_id, *(o.pk for o in programme.co_hosts.all())}


def _cohorts() -> QuerySet[Cohort]:
    return Cohort.objects.select_related("programme__host").prefetch_related("programme__co_hosts")


def _visible_to_members(user: User) -> Q:
    mine = set(roles_of(user).organisations)
    return Q(programme__host_id__in=mine) | Q(programme__co_hosts__in=mine)


def annotated_cohorts() -> QuerySet[Cohort]:
    """Cohorts with their places taken, people waiting and first session, in one query."""
    return _cohorts().annotate(
        taken=Count(
            "participations",
            filter=Q(participations__status__in=[S.JOINED, S.OFFERED]),
            distinct=True,
        ),
        waiting=Count(
            "participations", filter=Q(participations__status=S.WAITLISTED), distinct=True
        ),
        first_start=Min("sessions__starts_at", filter=Q(sessions__cancelled_at__isnull=True)),
    )


def open_cohorts_for(user: User) -> QuerySet[Cohort]:
    """Open cohorts the person may join: run or co-hosted by one of their organisations."""
    ids = Cohort.objects.filter(_visible_to_members(user), status=Cohort.Status.OPEN).values("pk")
    return annotated_cohorts().filter(pk__in=ids).order_by("starts_on", "pk")


def cohort_for(user: User, pk: int) -> Cohort:
    """A cohort the person may see: open or finished to members of its organisations, and any
    cohort they take part in or facilitate. Anybody else gets 404."""
    found = _cohorts().filter(pk=pk).first()
    if found is None:
        raise Http404("No such group")
    if facilitates(user, found) or participation_of(user, found) is not None:
        return found
    if found.status == Cohort.Status.DRAFT or not (
        organisation_ids(found.programme) & set(roles_of(user).organisations)
    ):
        raise Http404("No such group")
    return found


def facilitates(user: User, cohort: Cohort) -> bool:
    """Named on the cohort and holding a current facilitator role in one of its organisations."""
    if not getattr(user, "is_authenticated", False):
        return False
    if not CohortFacilitator.objects.filter(cohort=cohort, user=user).exists():
        return False
    roles = roles_of(user)
    return any(roles.has(Role.FACILITATOR, o) for o in organisation_ids(cohort.programme))


def facilitator_organisation_id(user: User, cohort: Cohort) -> int | None:
    """The organisation in which the person holds the facilitator role for this cohort."""
    roles = roles_of(user)
    for org_id in sorted(organisation_ids(cohort.programme)):
        if roles.has(Role.FACILITATOR, org_id):
            return org_id
    return None


def facilitators_of(cohort: Cohort) -> list[CohortFacilitator]:
    return list(cohort.facilitations.select_related("user").order_by("pk"))


def current_facilitators(cohort: Cohort, *, today: datetime.date | None = None) -> list[User]:
    """Named facilitators whose facilitator role is current in one of the cohort's organisations."""
    today = today or timezone.localdate()
    named = facilitators_of(cohort)
    current = set(
        RoleGrant.objects.filter(
            membership__user_id__in=[f.user_id for f in named],
            membership__organisation_id__in=organisation_ids(cohort.programme),
            role=Role.FACILITATOR,
            revoked_at__isnull=True,
            trained_until__gte=today,
        ).values_list("membership__user_id", flat=True)
    )
    return [f.user for f in named if f.user_id in current]


def with_current_facilitator(cohorts) -> set[int]:
    """Ids of the cohorts with a named facilitator whose role is current in one of the
    cohort's organisations (one query for any number of cohorts)."""
    current = RoleGrant.objects.filter(
        Q(membership__organisation_id=OuterRef("cohort__programme__host_id"))
        | Q(membership__organisation__co_hosted_programmes=OuterRef("cohort__programme_id")),
        membership__user_id=OuterRef("user_id"),
        role=Role.FACILITATOR,
        revoked_at__isnull=True,
        trained_until__gte=timezone.localdate(),
    )
    return set(
        CohortFacilitator.objects.filter(cohort__in=cohorts)
        .filter(Exists(current))
        .values_list("cohort_id", flat=True)
    )


def facilitator_choices(organisation: Organisation, co_host_ids: set[int]) -> QuerySet[User]:
    """People with a current facilitator role in the host or a co-host, for the cohort form."""
    return (
        User.objects.filter(
            memberships__organisation_id__in={organisation.pk, *co_host_ids},
            memberships__grants__role=Role.FACILITATOR,
            memberships__grants__revoked_at__isnull=True,
            memberships__grants__trained_until__gte=timezone.localdate(),
        )
        .distinct()
        .order_by("display_name")
    )


def facilitated_cohorts(user: User) -> QuerySet[Cohort]:
    return (
        _cohorts()
        .filter(facilitations__user=user)
        .exclude(status=Cohort.Status.FINISHED, finished_at__lt=timezone.now() - 4 * schedule.WEEK)
        .order_by("starts_on", "pk")
    )


def participation_of(user: User, cohort: Cohort) -> Participation | None:
    """The person's current place, application or wait; else their most recent one."""
    if not getattr(user, "is_authenticated", False):
        return None
    rows = list(
        Participation.objects.filter(user=user, cohort=cohort).order_by("-applied_at", "-pk")
    )
    return next((p for p in rows if p.is_active), rows[0] if rows else None)


def my_participations(user: User) -> QuerySet[Participation]:
    return (
        Participation.objects.filter(user=user)
        .select_related("cohort__programme__host")
        .order_by("-applied_at", "-pk")
    )


@dataclass
class Places:
    capacity: int
    joined: int = 0
    offered: int = 0
    waitlisted: int = 0
    applied: int = 0

    @property
    def taken(self) -> int:
        return self.joined + self.offered

    @property
    def free(self) -> int:
        return max(self.capacity - self.taken, 0)


def places(cohort: Cohort) -> Places:
    counts = dict(
        Participation.objects.filter(cohort=cohort)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return Places(
        capacity=cohort.capacity,
        joined=counts.get(S.JOINED, 0),
        offered=counts.get(S.OFFERED, 0),
        waitlisted=counts.get(S.WAITLISTED, 0),
        applied=counts.get(S.APPLIED, 0),
    )


def participants(cohort: Cohort) -> QuerySet[Participation]:
    """The people in the group, by display name (all anyone else ever sees of them)."""
    return (
        Participation.objects.filter(cohort=cohort, status=S.JOINED)
        .select_related("user")
        .order_by("user__display_name")
    )


def waiting_list(cohort: Cohort) -> QuerySet[Participation]:
    return Participation.objects.filter(cohort=cohort, status=S.WAITLISTED).order_by(
        "waitlisted_at", "pk"
    )


def applications(cohort: Cohort) -> QuerySet[Participation]:
    return (
        Participation.objects.filter(cohort=cohort, status=S.APPLIED)
        .select_related("user")
        .order_by("applied_at", "pk")
    )


def sessions_of(cohort: Cohort) -> QuerySet[Session]:
    return cohort.sessions.filter(cancelled_at__isnull=True).order_by("number")


def joinable_until(cohort: Cohort) -> datetime.datetime | None:
    """When the cohort stops taking new people: the start of the session after the last one a
    newcomer may miss (None when it has no sessions)."""
    starts = list(sessions_of(cohort).values_list("starts_at", flat=True)[: LATE_JOIN_SESSIONS + 1])
    return starts[-1] if starts else None


def takes_newcomers(cohort: Cohort, now: datetime.datetime | None = None) -> bool:
    until = joinable_until(cohort)
    return (
        cohort.status == Cohort.Status.OPEN
        and until is not None
        and (now or timezone.now()) < until
    )


def next_session(cohort: Cohort, now: datetime.datetime | None = None) -> Session | None:
    return sessions_of(cohort).filter(ends_at__gt=now or timezone.now()).first()


def session_for(user: User, pk: int) -> tuple[Session, Participation | None, bool]:
    """A session of a cohort the person is in or facilitates: (session, their place, whether
    they facilitate). Anybody else gets 404."""
    session = (
        Session.objects.select_related("cohort__programme__host")
        .filter(pk=pk, cancelled_at__isnull=True)
        .first()
    )
    if session is None:
        raise Http404("No such session")
    cohort = session.cohort
    if facilitates(user, cohort):
        return session, None, True
    place = Participation.objects.filter(user=user, cohort=cohort, status=S.JOINED).first()
    if place is None:
        raise Http404("No such session")
    return session, place, False


@dataclass
class RankedTopic:
    topic: Topic
    votes: int
    voted: bool
    mine: bool
    merged_count: int = 0


def ranked_topics(session: Session, *, viewer: User) -> list[RankedTopic]:
    """The session's topics, most votes first (merged duplicates count once, with their votes
    moved onto the topic they joined). Nobody is shown who suggested or voted."""
    rows = Topic.objects.filter(session=session, merged_into__isnull=True).annotate(
        n_votes=Count("votes", distinct=True),
        n_merged=Count("merged", distinct=True),
        voted=Exists(Vote.objects.filter(topic=OuterRef("pk"), voter=viewer)),
    )
    by_key = {t.pk: t for t in rows}
    order = schedule.ranked(
        schedule.Tally(key=t.pk, votes=t.n_votes, order=t.pk) for t in by_key.values()
    )
    return [
        RankedTopic(
            topic=by_key[tally.key],
            votes=tally.votes,
            voted=by_key[tally.key].voted,
            mine=by_key[tally.key].suggested_by_id == viewer.pk,
            merged_count=by_key[tally.key].n_merged,
        )
        for tally in order
    ]


def topic_for(user: User, pk: int) -> tuple[Topic, Participation | None, bool]:
    topic = Topic.objects.filter(pk=pk).select_related("session").first()
    if topic is None:
        raise Http404("No such topic")
    session, place, facilitating = session_for(user, topic.session_id)
    topic.session = session
    return topic, place, facilitating


def my_attendance(participation: Participation) -> dict[int, str]:
    """Session id → mark, for the participant themself."""
    return dict(participation.attendance.values_list("session_id", "mark"))


def attendance_sheet(session: Session) -> list[tuple[Participation, str]]:
    """Facilitators only: each person in the group and their mark for this session."""
    marks = dict(Attendance.objects.filter(session=session).values_list("participation_id", "mark"))
    people = (
        Participation.objects.filter(
            Q(status=S.JOINED) | Q(pk__in=marks.keys()), cohort_id=session.cohort_id
        )
        .select_related("user")
        .order_by("user__display_name")
    )
    return [(p, marks.get(p.pk, "")) for p in people]


def feedback_closes_at(session: Session) -> datetime.datetime:
    return session.ends_at + FEEDBACK_WINDOW


@dataclass
class FeedbackSummary:
    label: str
    responses: int
    shown: bool
    felt_heard: tuple[int, int] = (0, 0)  # (yes, answered)
    felt_safe: tuple[int, int] = (0, 0)
    would_recommend: tuple[int, int] = (0, 0)
    comments: list[str] = field(default_factory=list)


def _summarise(label: str, rows: list[SessionFeedback], shown: bool) -> FeedbackSummary:
    summary = FeedbackSummary(label=label, responses=len(rows), shown=shown)
    if not shown:
        return summary
    for name in ("felt_heard", "felt_safe", "would_recommend"):
        answers = [getattr(r, name) for r in rows if getattr(r, name) is not None]
        setattr(summary, name, (sum(1 for a in answers if a), len(answers)))
    comments = [r.text for r in rows if r.text]
    random.shuffle(comments)  # no order to read anything into
    summary.comments = comments
    return summary


@dataclass
class CohortFeedback:
    sessions: list[tuple[Session, FeedbackSummary | None]]
    pooled: FeedbackSummary | None
    pooled_when: datetime.datetime | None


def cohort_feedback(cohort: Cohort, *, now: datetime.datetime | None = None) -> CohortFeedback:
    """What a facilitator may see: each session's answers once its feedback has closed and at
    least 5 people answered; sessions with fewer are pooled once the last one has closed.
    Counts under 5 are never shown, and nothing is shown while answers can still change it."""
    now = now or timezone.now()
    sessions = list(sessions_of(cohort))
    rows: dict[int, list[SessionFeedback]] = {}
    for row in SessionFeedback.objects.filter(session__in=sessions):
        rows.setdefault(row.session_id, []).append(row)
    result, pool = [], []
    for session in sessions:
        answers = rows.get(session.pk, [])
        if feedback_closes_at(session) > now:
            result.append((session, None))
            continue
        shown = schedule.feedback_shown(len(answers))
        if not shown:
            pool.extend(answers)
        result.append((session, _summarise(f"Session {session.number}", answers, shown)))
    pooled, pooled_when = None, None
    if sessions:
        pooled_when = feedback_closes_at(sessions[-1])
        if pooled_when <= now:
            pooled = _summarise("Sessions pooled", pool, schedule.feedback_shown(len(pool)))
    return CohortFeedback(sessions=result, pooled=pooled, pooled_when=pooled_when)


def can_give_feedback(
    participation: Participation, session: Session, now: datetime.datetime | None = None
) -> bool:
    now = now or timezone.now()
    return (
        participation.status == S.JOINED
        and session.starts_at <= now < feedback_closes_at(session)
        and session.pk not in participation.feedback_sessions
    )


def reflection_of(facilitator: User, session: Session) -> Reflection | None:
    return Reflection.objects.filter(facilitator=facilitator, session=session).first()


@dataclass
class Clash:
    cohort: Cohort
    first: datetime.datetime


def clashes_for(user: User, cohort: Cohort, *, now: datetime.datetime | None = None) -> list[Clash]:
    """Other cohorts the person is in, waiting for, or facilitates, whose sessions overlap
    this cohort's coming sessions."""
    now = now or timezone.now()
    others = set(
        Participation.objects.filter(
            user=user, status__in=[S.JOINED, S.OFFERED, S.WAITLISTED, S.APPLIED]
        )
        .exclude(cohort=cohort)
        .values_list("cohort_id", flat=True)
    ) | set(
        CohortFacilitator.objects.filter(user=user)
        .exclude(cohort=cohort)
        .values_list("cohort_id", flat=True)
    )
    if not others:
        return []
    mine = [
        schedule.Span(s.pk, s.starts_at, s.ends_at)
        for s in sessions_of(cohort).filter(ends_at__gt=now)
    ]
    theirs = Session.objects.filter(
        cohort_id__in=others, cancelled_at__isnull=True, ends_at__gt=now
    ).select_related("cohort__programme")
    spans = {s.pk: s for s in theirs}
    first: dict[int, Clash] = {}
    for _mine, other in schedule.overlapping(
        mine, [schedule.Span(s.pk, s.starts_at, s.ends_at) for s in spans.values()]
    ):
        session = spans[other.key]
        clash = first.get(session.cohort_id)
        if clash is None or session.starts_at < clash.first:
            first[session.cohort_id] = Clash(cohort=session.cohort, first=session.starts_at)
    return sorted(first.values(), key=lambda c: c.first)


# --- coordinators


def programmes_of(organisation: Organisation) -> QuerySet[Programme]:
    """Programmes the organisation hosts, with their cohorts."""
    return (
        Programme.objects.filter(host=organisation)
        .prefetch_related(
            "co_hosts",
            Prefetch(
                "cohorts",
                queryset=Cohort.objects.order_by("starts_on", "pk").prefetch_related(
                    Prefetch(
                        "facilitations", queryset=CohortFacilitator.objects.select_related("user")
                    )
                ),
            ),
        )
        .order_by("title")
    )


def programme_of(organisation: Organisation, pk: int) -> Programme:
    found = Programme.objects.filter(host=organisation, pk=pk).first()
    if found is None:
        raise Http404("No such programme")
    return found


def hosted_cohort(organisation: Organisation, pk: int) -> Cohort:
    found = _cohorts().filter(programme__host=organisation, pk=pk).first()
    if found is None:
        raise Http404("No such group")
    return found


def partner_choices(organisation: Organisation) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=partner_ids(organisation)).order_by("name")


@dataclass
class CohortRow:
    cohort: Cohort
    capacity: int
    taken: str
    waiting: str
    has_facilitator: bool


@dataclass
class WeekRow:
    number: int
    attendance: str | None
    felt_heard: str | None
    felt_safe: str | None
    would_recommend: str | None
    responses: str


@dataclass
class ProgrammeInsight:
    programme: Programme
    cohorts: list[CohortRow]
    fill_rate: str | None
    waiting_total: str
    weeks: list[WeekRow]


def insights(
    organisation: Organisation, *, now: datetime.datetime | None = None
) -> list[ProgrammeInsight]:
    """Numbers only, never per person, every count under 10 suppressed: places taken and
    waiting per cohort, and attendance and feedback by week across each programme's cohorts."""
    now = now or timezone.now()
    programmes = list(Programme.objects.filter(host=organisation).order_by("title"))
    cohorts = list(Cohort.objects.filter(programme__in=programmes).order_by("starts_on", "pk"))
    counts: dict[tuple[int, str], int] = {
        (row["cohort_id"], row["status"]): row["n"]
        for row in Participation.objects.filter(cohort__in=cohorts)
        .values("cohort_id", "status")
        .annotate(n=Count("pk"))
    }
    current = with_current_facilitator(cohorts)
    attendance = {
        (row["session__cohort__programme_id"], row["session__number"]): (row["present"], row["n"])
        for row in Attendance.objects.filter(session__cohort__in=cohorts)
        .values("session__cohort__programme_id", "session__number")
        .annotate(n=Count("pk"), present=Count("pk", filter=Q(mark=Attendance.Mark.PRESENT)))
    }
    # Only feedback whose window has closed: the figures never move while someone can answer.
    closed = SessionFeedback.objects.filter(
        session__cohort__in=cohorts, session__ends_at__lte=now - FEEDBACK_WINDOW
    )
    feedback = {
        (row["session__cohort__programme_id"], row["session__number"]): row
        for row in closed.values("session__cohort__programme_id", "session__number").annotate(
            n=Count("pk"),
            heard=Count("pk", filter=Q(felt_heard=True)),
            heard_n=Count("pk", filter=Q(felt_heard__isnull=False)),
            safe=Count("pk", filter=Q(felt_safe=True)),
            safe_n=Count("pk", filter=Q(felt_safe__isnull=False)),
            recommend=Count("pk", filter=Q(would_recommend=True)),
            recommend_n=Count("pk", filter=Q(would_recommend__isnull=False)),
        )
    }
    result = []
    for programme in programmes:
        mine = [c for c in cohorts if c.programme_id == programme.pk]
        rows, taken_total, capacity_total, waiting_total = [], 0, 0, 0
        for c in mine:
            taken = counts.get((c.pk, S.JOINED), 0) + counts.get((c.pk, S.OFFERED), 0)
            waiting = counts.get((c.pk, S.WAITLISTED), 0)
            if c.status != Cohort.Status.DRAFT:
                taken_total += taken
                capacity_total += c.capacity
            waiting_total += waiting
            rows.append(
                CohortRow(
                    cohort=c,
                    capacity=c.capacity,
                    taken=suppressed(taken),
                    waiting=suppressed(waiting),
                    has_facilitator=c.pk in current,
                )
            )
        numbers = sorted(
            {n for (p, n) in attendance if p == programme.pk}
            | {n for (p, n) in feedback if p == programme.pk}
        )
        weeks = []
        for number in numbers:
            present, marked = attendance.get((programme.pk, number), (0, 0))
            row = feedback.get((programme.pk, number), {})
            weeks.append(
                WeekRow(
                    number=number,
                    attendance=schedule.rate(present, marked),
                    felt_heard=schedule.rate(row.get("heard", 0), row.get("heard_n", 0)),
                    felt_safe=schedule.rate(row.get("safe", 0), row.get("safe_n", 0)),
                    would_recommend=schedule.rate(
                        row.get("recommend", 0), row.get("recommend_n", 0)
                    ),
                    responses=suppressed(row.get("n", 0)),
                )
            )
        result.append(
            ProgrammeInsight(
                programme=programme,
                cohorts=rows,
                fill_rate=schedule.rate(taken_total, capacity_total),
                waiting_total=suppressed(waiting_total),
                weeks=weeks,
            )
        )
    return result


# --- advisors


def consultations_for(organisation: Organisation) -> QuerySet[ConsultationRequest]:
    return (
        ConsultationRequest.objects.filter(organisation=organisation)
        .exclude(status=ConsultationRequest.Status.CLOSED)
        .select_related("facilitator", "taken_by", "cohort__programme")
        .order_by("created_at", "pk")
    )


def consultations_of(facilitator: User, session: Session) -> QuerySet[ConsultationRequest]:
    return ConsultationRequest.objects.filter(
        facilitator=facilitator, reflection__session=session
    ).select_related("taken_by")


# --- the facilitator guide


def guide_pages_for(*, user) -> list[FacilitatorGuidePage]:
    """The guide's pages in order: an organisation's own version replaces Kindred's."""
    own = set(roles_of(user).organisations) if getattr(user, "is_authenticated", False) else set()
    pages = (
        FacilitatorGuidePage.objects.filter(
            Q(organisation__isnull=True) | Q(organisation_id__in=own)
        )
        .filter(current__isnull=False)
        .select_related("current", "organisation")
        .order_by("position", "slug", "organisation_id")
    )
    chosen: dict[str, FacilitatorGuidePage] = {}
    for page in pages:
        if page.slug not in chosen or page.organisation_id is not None:
            chosen[page.slug] = page
    return sorted(chosen.values(), key=lambda p: (p.position, p.slug))


def guide_pages_of(
    *, organisation: Organisation
) -> list[tuple[FacilitatorGuidePage, FacilitatorGuidePage | None]]:
    """For a coordinator: each page as (the page their people see, their own version)."""
    pages = FacilitatorGuidePage.objects.filter(
        Q(organisation__isnull=True) | Q(organisation=organisation)
    ).select_related("current")
    kindred = {p.slug: p for p in pages if p.organisation_id is None}
    own = {p.slug: p for p in pages if p.organisation_id == organisation.pk}
    slugs = sorted(set(kindred) | set(own), key=lambda s: ((own.get(s) or kindred[s]).position, s))
    return [(own.get(s) or kindred[s], own.get(s)) for s in slugs]


def editable_guide_page(*, organisation: Organisation, slug: str) -> FacilitatorGuidePage | None:
    return (
        FacilitatorGuidePage.objects.filter(organisation=organisation, slug=slug)
        .select_related("current")
        .first()
    )


def kindred_guide_page(*, slug: str) -> FacilitatorGuidePage | None:
    return (
        FacilitatorGuidePage.objects.filter(organisation__isnull=True, slug=slug)
        .select_related("current")
        .first()
    )
