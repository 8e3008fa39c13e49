"""Writes for groups: programmes and cohorts, places and waiting lists, topics and votes,
attendance, materials, feedback, reflections, consultations and the facilitator guide.

Each function checks the programme's rule, writes, audits where someone else's data is touched,
and tells people in the app (emails carry no content). Background work lives in tasks.py.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from kindred.accounts.models import Organisation, Role, RoleGrant, User
from kindred.accounts.selectors import partner_ids, roles_of
from kindred.core import audit, guides
from kindred.core.errors import DomainError
from kindred.groups import schedule, selectors
from kindred.groups.models import (
    TOPIC_LIMIT,
    Attendance,
    Cohort,
    CohortFacilitator,
    ConsultationRequest,
    FacilitatorGuidePage,
    FacilitatorGuideVersion,
    Format,
    Material,
    Participation,
    Programme,
    Reflection,
    Session,
    SessionFeedback,
    Topic,
    Vote,
)
from kindred.notifications.models import Notification
from kindred.notifications.services import notify
from kindred.safety import hooks as safety_hooks
from kindred.safety import services as safety
from kindred.safety.models import Escalation, Source

EVENTS = Notification.Category.EVENTS
OFFER_HOURS = 48
SUGGESTIONS_PER_SESSION = 3
HOPES_LIMIT = 1000
FEEDBACK_LIMIT = 1000
REFLECTION_LIMIT = 4000
REMIND_AHEAD = datetime.timedelta(hours=24)
ATTENDANCE_OPENS_BEFORE = datetime.timedelta(minutes=30)
SCHEDULE_FIELDS = ("starts_on", "weekday", "start_time", "duration_minutes", "session_count")
PLACE_FIELDS = ("format", "location", "video_link")
GUIDE_SEED_DIR = Path(__file__).resolve().parent / "seed" / "guide"

S = Participation.Status


class AlreadyIn(DomainError):
    """The person already has a place, an application or a wait in this cohort."""

    def __init__(self, participation: Participation):
        messages = {
            S.JOINED: "You already have a place in this group.",
            S.WAITLISTED: "You are already on the waiting list for this group.",
            S.OFFERED: "You have already been offered a place in this group.",
            S.APPLIED: "You have already applied to this group.",
        }
        super().__init__(messages[participation.status])
        self.participation = participation


@dataclass
class JoinResult:
    participation: Participation
    clashes: list[selectors.Clash]


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def _named(cohort: Cohort) -> str:
    return f"{cohort.programme.title} ({cohort.name})"


def _cohort_url(cohort: Cohort) -> str:
    return f"/groups/cohorts/{cohort.pk}/"


def _when(cohort: Cohort, moment: datetime.datetime) -> str:
    local = moment.astimezone(selectors.zone_of(cohort))
    return f"{local:%A} {local.day} {local:%B} at {local:%H:%M}"


def _coordinator_check(coordinator: User, organisation: Organisation) -> None:
    if not roles_of(coordinator).has(Role.COORDINATOR, organisation.pk):
        raise PermissionDenied


def _facilitator_check(facilitator: User, cohort: Cohort) -> None:
    if not selectors.facilitates(facilitator, cohort):
        raise PermissionDenied


def _tell_facilitators(cohort: Cohort, text: str, url: str = "") -> None:
    for person in selectors.current_facilitators(cohort):
        notify(
            user=person, category=EVENTS, text=text, url=url or f"/groups/cohorts/{cohort.pk}/run/"
        )


def _locked(cohort: Cohort) -> Cohort:
    return Cohort.objects.select_for_update().select_related("programme__host").get(pk=cohort.pk)


# --- programmes


@transaction.atomic
def save_programme(
    *,
    coordinator: User,
    organisation: Organisation,
    programme: Programme | None = None,
    co_hosts: Iterable[Organisation] = (),
    **fields,
) -> Programme:
    """Create or change a programme. Only partners may co-host; a changed group agreement is
    accepted again by each participant before their next session."""
    _coordinator_check(coordinator, organisation)
    co_hosts = list(co_hosts)
    partners = partner_ids(organisation)
    if any(o.pk not in partners for o in co_hosts):
        raise DomainError("Only partner organisations can co-host a programme.", field="co_hosts")
    if not (fields.get("agreement") or "").strip():
        raise DomainError("Write the group agreement members accept.", field="agreement")
    if programme is None:
        programme = Programme(host=organisation, created_by=coordinator)
    elif programme.host_id != organisation.pk:
        raise PermissionDenied
    changed_agreement = bool(programme.pk) and (
        fields["agreement"].strip() != programme.agreement.strip()
    )
    for name, value in fields.items():
        setattr(programme, name, value.strip() if isinstance(value, str) else value)
    if changed_agreement:
        programme.agreement_version += 1
    programme.save()
    programme.co_hosts.set(co_hosts)
    audit.record(
        actor=coordinator,
        subject=None,
        action="saved programme",
        target=f"{programme.title} in {organisation.name}",
        role="coordinator",
    )
    if changed_agreement:
        for place in Participation.objects.filter(
            cohort__programme=programme, status=S.JOINED
        ).select_related("user", "cohort"):
            notify(
                user=place.user,
                category=EVENTS,
                text=f"The group agreement of {programme.title} has changed. "
                "Please read it before your next session.",
                url=f"/groups/cohorts/{place.cohort_id}/agreement/",
            )
    return programme


# --- cohorts


def _check_cohort_fields(fields: dict) -> None:
    if fields.get("format") == Format.IN_PERSON and not (fields.get("location") or "").strip():
        raise DomainError("Say where the group meets: a room and building.", field="location")
    if not 2 <= (fields.get("capacity") or 0) <= 30:
        raise DomainError("Choose between 2 and 30 places.", field="capacity")
    if not 1 <= (fields.get("session_count") or 0) <= 52:
        raise DomainError("Choose between 1 and 52 sessions.", field="session_count")
    if not 15 <= (fields.get("duration_minutes") or 0) <= 480:
        raise DomainError(
            "A session lasts between 15 minutes and 8 hours.", field="duration_minutes"
        )


def _check_facilitators(programme: Programme, facilitators: list[User]) -> None:
    allowed = set(
        selectors.facilitator_choices(
            programme.host, selectors.organisation_ids(programme) - {programme.host_id}
        ).values_list("pk", flat=True)
    )
    for person in facilitators:
        if person.pk not in allowed:
            raise DomainError(
                f"{person.display_name} does not hold a current facilitator role here.",
                field="facilitators",
            )


def _set_facilitators(cohort: Cohort, facilitators: list[User], accredited: set[int]) -> None:
    wanted = {p.pk for p in facilitators}
    cohort.facilitations.exclude(user_id__in=wanted).delete()
    have = {f.user_id: f for f in cohort.facilitations.all()}
    for person in facilitators:
        found = have.get(person.pk)
        if found is None:
            CohortFacilitator.objects.create(
                cohort=cohort, user=person, accredited=person.pk in accredited
            )
        elif found.accredited != (person.pk in accredited):
            found.accredited = person.pk in accredited
            found.save(update_fields=["accredited"])


def _write_sessions(cohort: Cohort, starts: list[datetime.datetime], now: datetime.datetime):
    length = datetime.timedelta(minutes=cohort.duration_minutes)
    existing = {s.number: s for s in cohort.sessions.all()}
    for number, start in enumerate(starts, start=1):
        found = existing.get(number)
        if found is None:
            Session.objects.create(
                cohort=cohort, number=number, starts_at=start, ends_at=start + length
            )
        elif (found.starts_at, found.ends_at, found.cancelled_at) != (start, start + length, None):
            if found.starts_at != start:
                found.reminded_at = None
            found.starts_at, found.ends_at, found.cancelled_at = start, start + length, None
            found.save(update_fields=["starts_at", "ends_at", "cancelled_at", "reminded_at"])
    for number, found in existing.items():
        if number > len(starts) and found.cancelled_at is None:
            found.cancelled_at = now
            found.save(update_fields=["cancelled_at"])


def _starts(cohort: Cohort) -> list[datetime.datetime]:
    return schedule.weekly_starts(
        first_day=cohort.starts_on,
        weekday=cohort.weekday,
        at=cohort.start_time,
        count=cohort.session_count,
        zone=selectors.zone_of(cohort),
    )


@transaction.atomic
def create_cohort(
    *,
    coordinator: User,
    programme: Programme,
    facilitators: Iterable[User] = (),
    accredited: Iterable[int] = (),
    now: datetime.datetime | None = None,
    **fields,
) -> Cohort:
    """A new cohort, not open yet, with its weekly sessions."""
    now = _now(now)
    _coordinator_check(coordinator, programme.host)
    facilitators = list(facilitators)
    _check_cohort_fields(fields)
    _check_facilitators(programme, facilitators)
    cohort = Cohort(programme=programme, **fields)
    starts = _starts(cohort)
    if starts[0] <= now:
        raise DomainError("The first session must be in the future.", field="starts_on")
    cohort.save()
    _write_sessions(cohort, starts, now)
    _set_facilitators(cohort, facilitators, set(accredited))
    audit.record(
        actor=coordinator,
        subject=None,
        action="created cohort",
        target=f"{_named(cohort)} in {programme.host.name}",
        role="coordinator",
    )
    return cohort


@transaction.atomic
def update_cohort(
    *,
    coordinator: User,
    cohort: Cohort,
    facilitators: Iterable[User] = (),
    accredited: Iterable[int] = (),
    now: datetime.datetime | None = None,
    **fields,
) -> bool:
    """Change a cohort; returns whether the times or place changed. Sessions already held keep
    their times. People with a place are told, and their calendar files update in place."""
    now = _now(now)
    _coordinator_check(coordinator, cohort.programme.host)
    facilitators = list(facilitators)
    _check_cohort_fields(fields)
    cohort = _locked(cohort)
    if cohort.status == Cohort.Status.FINISHED:
        raise DomainError("This group has finished, so it cannot change.")
    _check_facilitators(cohort.programme, facilitators)
    if cohort.status == Cohort.Status.OPEN and not facilitators:
        raise DomainError("An open group needs at least one facilitator.", field="facilitators")
    before = {name: getattr(cohort, name) for name in (*SCHEDULE_FIELDS, *PLACE_FIELDS)}
    old_capacity = cohort.capacity
    for name, value in fields.items():
        setattr(cohort, name, value)
    moved = any(before[n] != getattr(cohort, n) for n in SCHEDULE_FIELDS)
    changed = moved or any(before[n] != getattr(cohort, n) for n in PLACE_FIELDS)
    if moved:
        # A cohort that never opened has held nothing, whatever its old dates say.
        current = (
            list(selectors.sessions_of(cohort).values_list("starts_at", flat=True))
            if cohort.status == Cohort.Status.OPEN
            else []
        )
        held = sum(1 for start in current if start <= now)
        if cohort.session_count < held:
            raise DomainError(
                f"{held} sessions have already been held, so keep at least {held}.",
                field="session_count",
            )
        starts = schedule.rescheduled_starts(
            current=current,
            now=now,
            first_day=cohort.starts_on,
            weekday=cohort.weekday,
            at=cohort.start_time,
            count=cohort.session_count,
            zone=selectors.zone_of(cohort),
        )
        if not held and starts[0] <= now:
            raise DomainError("The first session must be in the future.", field="starts_on")
        _write_sessions(cohort, starts, now)
    if changed:
        cohort.schedule_version += 1
    cohort.save()
    _set_facilitators(cohort, facilitators, set(accredited))
    audit.record(
        actor=coordinator,
        subject=None,
        action="changed cohort",
        target=f"{_named(cohort)} in {cohort.programme.host.name}",
        role="coordinator",
    )
    if changed and cohort.status == Cohort.Status.OPEN:
        people = Participation.objects.filter(cohort=cohort, status__in=[S.JOINED, S.OFFERED])
        text = (
            f"The times or place of {_named(cohort)} have changed. "
            "Download the updated calendar file from the group's page."
        )
        for place in people.select_related("user"):
            notify(user=place.user, category=EVENTS, text=text, url=_cohort_url(cohort))
        for person in selectors.current_facilitators(cohort):
            notify(user=person, category=EVENTS, text=text, url=_cohort_url(cohort))
    if cohort.capacity > old_capacity:
        offer_free_places(cohort=cohort, now=now)
    return changed


@transaction.atomic
def open_cohort(*, coordinator: User, cohort: Cohort, now: datetime.datetime | None = None):
    """Members can join once the cohort opens; it needs a facilitator with current training."""
    now = _now(now)
    _coordinator_check(coordinator, cohort.programme.host)
    cohort = _locked(cohort)
    if cohort.status != Cohort.Status.DRAFT:
        raise DomainError("This group is already open.")
    if not selectors.current_facilitators(cohort):
        raise DomainError(
            "A group can open only with a facilitator whose training is current. Add one, or "
            "renew a facilitator's training date on People and roles."
        )
    first = selectors.sessions_of(cohort).first()
    if first is None or first.starts_at <= now:
        raise DomainError("The first session has passed: change the start date first.")
    cohort.status = Cohort.Status.OPEN
    cohort.opened_at = now
    cohort.save(update_fields=["status", "opened_at"])
    audit.record(
        actor=coordinator,
        subject=None,
        action="opened cohort",
        target=f"{_named(cohort)} in {cohort.programme.host.name}",
        role="coordinator",
    )
    _tell_facilitators(cohort, f"{_named(cohort)} is open: members can join now.")
    return cohort


# --- places, applications and the waiting list


def _check_text(value: str, limit: int, field: str) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise DomainError(f"Keep this under {limit:,} characters.", field=field)
    return value


@transaction.atomic
def join_cohort(
    *,
    member: User,
    cohort: Cohort,
    agree: bool,
    hopes: str = "",
    access_needs: str = "",
    now: datetime.datetime | None = None,
) -> JoinResult:
    """Join (or apply to) a cohort. A full cohort puts the person on its waiting list; clashes
    with their other groups are returned as warnings, not refusals."""
    now = _now(now)
    cohort = _locked(cohort)
    programme = cohort.programme
    if not selectors.organisation_ids(programme) & set(roles_of(member).organisations):
        raise DomainError("This group is for members of the organisations that run it.")
    current = Participation.objects.filter(
        cohort=cohort, user=member, status__in=[S.JOINED, S.WAITLISTED, S.OFFERED, S.APPLIED]
    ).first()
    if current is not None:
        raise AlreadyIn(current)
    if CohortFacilitator.objects.filter(cohort=cohort, user=member).exists():
        raise DomainError("You facilitate this group, so you cannot join it as a participant.")
    if not selectors.takes_newcomers(cohort, now):
        raise DomainError("This group is not taking new people now.")
    if not agree:
        raise DomainError(
            "Please read the group agreement and tick to agree, so you can join.", field="agree"
        )
    place = Participation(
        cohort=cohort,
        user=member,
        hopes=_check_text(hopes, HOPES_LIMIT, "hopes"),
        access_needs=_check_text(access_needs, HOPES_LIMIT, "access_needs"),
        agreed_version=programme.agreement_version,
        agreed_at=now,
        applied_at=now,
    )
    clashes = selectors.clashes_for(member, cohort, now=now)
    if programme.joining == Programme.Joining.APPLY:
        place.status = S.APPLIED
        place.save()
        notify(
            user=member,
            category=EVENTS,
            text=f"Thank you for applying to {_named(cohort)}. A facilitator will reply soon.",
            url=_cohort_url(cohort),
        )
        _tell_facilitators(cohort, f"Someone applied to join {_named(cohort)}.")
    else:
        _place_or_wait(place, cohort, now)
    return JoinResult(participation=place, clashes=clashes)


def _place_or_wait(place: Participation, cohort: Cohort, now: datetime.datetime) -> None:
    """A place if one is free and nobody is waiting for it; otherwise the waiting list."""
    counts = selectors.places(cohort)
    if counts.free > 0 and counts.waitlisted == 0:
        place.status, place.joined_at = S.JOINED, now
        place.save()
        first = selectors.next_session(cohort, now)
        notify(
            user=place.user,
            category=EVENTS,
            text=f"You have a place in {_named(cohort)}."
            + (f" The next session is on {_when(cohort, first.starts_at)}." if first else ""),
            url=_cohort_url(cohort),
        )
        _tell_facilitators(cohort, f"Someone joined {_named(cohort)}.")
    else:
        place.status, place.waitlisted_at = S.WAITLISTED, now
        place.save()
        notify(
            user=place.user,
            category=EVENTS,
            text=f"{_named(cohort)} is full, so you are on its waiting list. "
            "We will offer you a place as soon as one is free.",
            url=_cohort_url(cohort),
        )
        offer_free_places(cohort=cohort, now=now)


@transaction.atomic
def answer_application(
    *,
    facilitator: User,
    participation: Participation,
    accept: bool,
    now: datetime.datetime | None = None,
) -> Participation:
    now = _now(now)
    cohort = _locked(participation.cohort)
    _facilitator_check(facilitator, cohort)
    place = Participation.objects.select_for_update().get(pk=participation.pk, cohort=cohort)
    if place.status != S.APPLIED:
        raise DomainError("This application has already been answered.")
    if accept:
        if not selectors.takes_newcomers(cohort, now):
            raise DomainError("This group is no longer taking new people.")
        _place_or_wait(place, cohort, now)
    else:
        place.status, place.ended_at = S.DECLINED, now
        place.save(update_fields=["status", "ended_at"])
        notify(
            user=place.user,
            category=EVENTS,
            text=f"Thank you for applying to {_named(cohort)}. The facilitators cannot offer "
            "you a place this time. Other groups and support are open to you on Kindred.",
            url="/groups/",
        )
    audit.record(
        actor=facilitator,
        subject=place.user,
        action="answered application",
        target=f"your application to {_named(cohort)}",
        role="facilitator",
    )
    return place


def offer_free_places(*, cohort: Cohort, now: datetime.datetime | None = None) -> int:
    """Offer each free place to the next person waiting; the offer holds it for 48 hours."""
    now = _now(now)
    with transaction.atomic():
        cohort = _locked(cohort)
        if not selectors.takes_newcomers(cohort, now):
            return 0
        free = selectors.places(cohort).free
        made = 0
        for place in list(selectors.waiting_list(cohort).select_related("user")[:free]):
            place.status = S.OFFERED
            place.offered_at = now
            place.offer_expires_at = now + datetime.timedelta(hours=OFFER_HOURS)
            place.save(update_fields=["status", "offered_at", "offer_expires_at"])
            notify(
                user=place.user,
                category=EVENTS,
                text=f"A place has come up in {_named(cohort)}. Accept it within "
                f"{OFFER_HOURS} hours, or it goes to the next person waiting.",
                url=_cohort_url(cohort),
            )
            made += 1
    return made


@transaction.atomic
def answer_offer(
    *,
    member: User,
    participation: Participation,
    accept: bool,
    agree: bool = False,
    now: datetime.datetime | None = None,
) -> Participation:
    now = _now(now)
    cohort = _locked(participation.cohort)
    place = Participation.objects.select_for_update().get(pk=participation.pk)
    if place.user_id != member.pk:
        raise PermissionDenied
    if place.status != S.OFFERED or place.offer_expires_at <= now:
        raise DomainError("This offer has passed, and the place has gone to the next person.")
    if not accept:
        place.status, place.ended_at = S.OFFER_LAPSED, now
        place.save(update_fields=["status", "ended_at"])
        offer_free_places(cohort=cohort, now=now)
        return place
    version = cohort.programme.agreement_version
    if place.agreed_version < version:
        if not agree:
            raise DomainError(
                "Please read the group agreement and tick to agree, so you can join.",
                field="agree",
            )
        place.agreed_version, place.agreed_at = version, now
    place.status, place.joined_at = S.JOINED, now
    place.save(update_fields=["status", "joined_at", "agreed_version", "agreed_at"])
    _tell_facilitators(cohort, f"Someone joined {_named(cohort)} from the waiting list.")
    return place


@transaction.atomic
def accept_agreement(
    *, member: User, participation: Participation, now: datetime.datetime | None = None
) -> None:
    if participation.user_id != member.pk:
        raise PermissionDenied
    participation.agreed_version = participation.cohort.programme.agreement_version
    participation.agreed_at = _now(now)
    participation.save(update_fields=["agreed_version", "agreed_at"])


@transaction.atomic
def leave_cohort(
    *, member: User, participation: Participation, now: datetime.datetime | None = None
) -> Participation:
    """Leave a group, a waiting list or an application. No reason is asked for. A freed place
    is offered to the next person waiting."""
    now = _now(now)
    cohort = _locked(participation.cohort)
    place = Participation.objects.select_for_update().get(pk=participation.pk)
    if place.user_id != member.pk:
        raise PermissionDenied
    if not place.is_active:
        raise DomainError("You are not in this group any more.")
    had_place = place.status in (S.JOINED, S.OFFERED)
    was_in = place.status == S.JOINED
    place.status, place.ended_at = S.LEFT, now
    place.save(update_fields=["status", "ended_at"])
    if was_in:
        _tell_facilitators(cohort, f"Someone left {_named(cohort)}.")
    if had_place:
        offer_free_places(cohort=cohort, now=now)
    return place


def expire_overdue_offers(*, now: datetime.datetime | None = None) -> int:
    """Offers not accepted within 48 hours pass to the next person waiting."""
    now = _now(now)
    expired = 0
    due = Participation.objects.filter(status=S.OFFERED, offer_expires_at__lte=now)
    for place in due.select_related("user", "cohort__programme"):
        with transaction.atomic():
            # Claim it first, so two workers never both expire (and re-offer) the same place.
            if not Participation.objects.filter(pk=place.pk, status=S.OFFERED).update(
                status=S.OFFER_LAPSED, ended_at=now
            ):
                continue
            notify(
                user=place.user,
                category=EVENTS,
                text=f"The place in {_named(place.cohort)} was held for {OFFER_HOURS} hours and "
                "has gone to the next person. You can join the waiting list again.",
                url=_cohort_url(place.cohort),
            )
            offer_free_places(cohort=place.cohort, now=now)
        expired += 1
    return expired


def offer_all_free_places(*, now: datetime.datetime | None = None) -> int:
    """Catch up: offer free places in every open cohort with someone waiting."""
    now = _now(now)
    cohorts = Cohort.objects.filter(
        status=Cohort.Status.OPEN, participations__status=S.WAITLISTED
    ).distinct()
    return sum(offer_free_places(cohort=c, now=now) for c in cohorts)


def close_waiting_lists(*, now: datetime.datetime | None = None) -> int:
    """Once a cohort stops taking newcomers, everyone still waiting or applying is told."""
    now = _now(now)
    closed = 0
    cohort_ids = set(
        Participation.objects.filter(status__in=[S.WAITLISTED, S.APPLIED]).values_list(
            "cohort_id", flat=True
        )
    )
    for cohort in Cohort.objects.filter(pk__in=cohort_ids).select_related("programme"):
        if selectors.takes_newcomers(cohort, now):
            continue
        with transaction.atomic():
            waiting = list(
                Participation.objects.select_for_update()
                .filter(cohort=cohort, status__in=[S.WAITLISTED, S.APPLIED])
                .select_related("user")
            )
            for place in waiting:
                place.status, place.ended_at = S.CLOSED, now
                place.save(update_fields=["status", "ended_at"])
                notify(
                    user=place.user,
                    category=EVENTS,
                    text=f"{_named(cohort)} is no longer taking new people, so your place on "
                    "its waiting list has closed. Other groups may suit you.",
                    url="/groups/",
                )
                closed += 1
    return closed


def finish_cohorts(*, now: datetime.datetime | None = None) -> int:
    """A cohort whose last session has ended is finished."""
    now = _now(now)
    finished = 0
    for cohort in Cohort.objects.filter(status=Cohort.Status.OPEN):
        last = selectors.sessions_of(cohort).last()
        if last is not None and last.ends_at <= now:
            finished += Cohort.objects.filter(pk=cohort.pk, status=Cohort.Status.OPEN).update(
                status=Cohort.Status.FINISHED, finished_at=now
            )
    return finished


def send_session_reminders(*, now: datetime.datetime | None = None) -> int:
    """Remind participants and facilitators the day before each session, once."""
    now = _now(now)
    sent = 0
    due = Session.objects.filter(
        cohort__status=Cohort.Status.OPEN,
        cancelled_at__isnull=True,
        reminded_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + REMIND_AHEAD,
    ).select_related("cohort__programme__host")
    for session in due:
        if not Session.objects.filter(pk=session.pk, reminded_at__isnull=True).update(
            reminded_at=now
        ):
            continue
        cohort = session.cohort
        text = (
            f"Reminder: {_named(cohort)} meets on {_when(cohort, session.starts_at)}. "
            "You can suggest and vote for topics until it starts."
        )
        url = f"/groups/sessions/{session.pk}/"
        people = [
            p.user
            for p in Participation.objects.filter(cohort=cohort, status=S.JOINED).select_related(
                "user"
            )
        ]
        for person in people + selectors.current_facilitators(cohort):
            notify(user=person, category=EVENTS, text=text, url=url)
        sent += 1
    return sent


# --- topics and votes


def _place_in(person: User, session: Session) -> Participation:
    place = Participation.objects.filter(
        user=person, cohort_id=session.cohort_id, status=S.JOINED
    ).first()
    if place is None:
        raise PermissionDenied
    if place.agreed_version < session.cohort.programme.agreement_version:
        raise DomainError("Please read and agree to the changed group agreement first.")
    return place


def _before_start(session: Session, now: datetime.datetime, what: str) -> None:
    if session.starts_at <= now:
        raise DomainError(f"{what} closed when the session started.")


@transaction.atomic
def suggest_topic(
    *, participant: User, session: Session, text: str, now: datetime.datetime | None = None
):
    """A participant suggests a topic; the group sees it without their name. Returns the topic
    and the safety assessment of its words. Words that signal high or imminent risk are not
    shown to the group (as in the events' topics and the Q&A): the topic is None then, and the
    caller offers the person help."""
    now = _now(now)
    _place_in(participant, session)
    text = " ".join((text or "").split())
    if not text:
        raise DomainError("Write a few words about the topic.", field="text")
    if len(text) > TOPIC_LIMIT:
        raise DomainError(f"Keep a topic under {TOPIC_LIMIT} characters.", field="text")
    _before_start(session, now, "Suggestions")
    if (
        Topic.objects.filter(session=session, suggested_by=participant).count()
        >= SUGGESTIONS_PER_SESSION
    ):
        raise DomainError(
            f"You can suggest up to {SUGGESTIONS_PER_SESSION} topics for each session. "
            "Vote for others' topics, or withdraw one of yours.",
            field="text",
        )
    assessment = safety_hooks.text_submitted(
        organisation=session.cohort.programme.host, source=Source.GROUP, text=text
    )
    if assessment.at_least("high"):
        return None, assessment
    topic = Topic.objects.create(
        session=session, suggested_by=participant, text=text, created_at=now
    )
    return topic, assessment


@transaction.atomic
def withdraw_topic(*, participant: User, topic: Topic, now: datetime.datetime | None = None):
    if topic.suggested_by_id != participant.pk:
        raise PermissionDenied
    _before_start(topic.session, _now(now), "Changes to topics")
    topic.delete()


@transaction.atomic
def vote(
    *, participant: User, topic: Topic, on: bool = True, now: datetime.datetime | None = None
) -> bool:
    """Vote for a topic (or take the vote back). Voting twice changes nothing; a vote for a
    merged topic counts for the topic it joined. Returns whether anything changed."""
    _place_in(participant, topic.session)
    if topic.merged_into_id:
        topic = Topic.objects.select_related("session").get(pk=topic.merged_into_id)
    _before_start(topic.session, _now(now), "Voting")
    if not on:
        return Vote.objects.filter(topic=topic, voter=participant).delete()[0] > 0
    try:
        with transaction.atomic():
            _, created = Vote.objects.get_or_create(topic=topic, voter=participant)
    except IntegrityError:
        created = False  # the same vote arrived twice at once
    return created


@transaction.atomic
def merge_topics(*, facilitator: User, topic: Topic, into: Topic) -> Topic:
    """Fold a duplicate into another topic: its votes move across (one per person)."""
    _facilitator_check(facilitator, topic.session.cohort)
    if topic.session_id != into.session_id or topic.pk == into.pk:
        raise DomainError("Choose another topic from the same session.", field="into")
    if topic.merged_into_id or into.merged_into_id:
        raise DomainError("That topic has already been merged.", field="into")
    already = set(Vote.objects.filter(topic=into).values_list("voter_id", flat=True))
    Vote.objects.filter(topic=topic).exclude(voter_id__in=already).update(topic=into)
    Vote.objects.filter(topic=topic).delete()
    Topic.objects.filter(merged_into=topic).update(merged_into=into)
    topic.merged_into = into
    topic.save(update_fields=["merged_into"])
    return into


# --- attendance and materials


@transaction.atomic
def record_attendance(
    *,
    facilitator: User,
    session: Session,
    marks: dict[int, str],
    now: datetime.datetime | None = None,
) -> int:
    """Set each person's mark ("" clears it). Seen only by facilitators and the person."""
    now = _now(now)
    _facilitator_check(facilitator, session.cohort)
    if session.starts_at - ATTENDANCE_OPENS_BEFORE > now:
        raise DomainError("You can record attendance from half an hour before the session.")
    sheet = {p.pk for p, _ in selectors.attendance_sheet(session)}
    changed = 0
    for participation_id, mark in marks.items():
        if participation_id not in sheet:
            continue
        if not mark:
            changed += Attendance.objects.filter(
                session=session, participation_id=participation_id
            ).delete()[0]
            continue
        if mark not in Attendance.Mark.values:
            raise DomainError("Choose came, sent apologies, or did not come.")
        Attendance.objects.update_or_create(
            session=session,
            participation_id=participation_id,
            defaults={"mark": mark, "recorded_by": facilitator, "recorded_at": now},
        )
        changed += 1
    return changed


@transaction.atomic
def add_material(*, facilitator: User, session: Session, **fields) -> Material:
    _facilitator_check(facilitator, session.cohort)
    if not (fields.get("body") or "").strip() and not fields.get("link"):
        raise DomainError("Add some words or a link.", field="body")
    return Material.objects.create(session=session, added_by=facilitator, **fields)


@transaction.atomic
def delete_material(*, facilitator: User, material: Material) -> None:
    _facilitator_check(facilitator, material.session.cohort)
    material.delete()


# --- feedback, reflections and consultations


@transaction.atomic
def give_feedback(
    *,
    participant: User,
    session: Session,
    felt_heard: bool | None,
    felt_safe: bool | None,
    would_recommend: bool | None,
    text: str = "",
    now: datetime.datetime | None = None,
):
    """Anonymous feedback on one session. The answers are stored with no link to the person;
    their place only records that they answered, so nobody answers twice. Returns the safety
    assessment of any words written (None without words)."""
    now = _now(now)
    place = (
        Participation.objects.select_for_update()
        .filter(user=participant, cohort_id=session.cohort_id, status=S.JOINED)
        .first()
    )
    if place is None:
        raise PermissionDenied
    if session.pk in place.feedback_sessions:
        raise DomainError("You have already answered for this session. Thank you.")
    if not selectors.can_give_feedback(place, session, now):
        raise DomainError("Feedback for this session is closed.")
    text = _check_text(text, FEEDBACK_LIMIT, "text")
    owner = None
    if text:
        named = selectors.facilitators_of(session.cohort)
        if not named:
            raise DomainError(
                "Written comments cannot be kept for this group right now; your other answers "
                "are welcome.",
                field="text",
            )
        owner = named[0].user
    SessionFeedback.objects.create(
        session=session,
        felt_heard=felt_heard,
        felt_safe=felt_safe,
        would_recommend=would_recommend,
        key_owner=owner,
        text=text,
    )
    place.feedback_sessions = sorted({*place.feedback_sessions, session.pk})
    place.save(update_fields=["feedback_sessions"])
    if not text:
        return None
    return safety_hooks.text_submitted(
        organisation=session.cohort.programme.host, source=Source.GROUP, text=text
    )


@transaction.atomic
def save_reflection(
    *,
    facilitator: User,
    session: Session,
    went_well: str = "",
    was_hard: str = "",
    to_discuss: str = "",
    ask_advisor: bool = False,
    share_with_advisor: bool = False,
    now: datetime.datetime | None = None,
) -> tuple[Reflection, ConsultationRequest | None]:
    """The facilitator's private reflection; optionally, ask an advisor to get in touch."""
    now = _now(now)
    _facilitator_check(facilitator, session.cohort)
    reflection, _ = Reflection.objects.get_or_create(
        session=session, facilitator=facilitator, defaults={"created_at": now}
    )
    reflection.went_well = _check_text(went_well, REFLECTION_LIMIT, "went_well")
    reflection.was_hard = _check_text(was_hard, REFLECTION_LIMIT, "was_hard")
    reflection.to_discuss = _check_text(to_discuss, REFLECTION_LIMIT, "to_discuss")
    reflection.save()
    consultation = None
    if ask_advisor:
        consultation = request_consultation(
            facilitator=facilitator,
            cohort=session.cohort,
            reflection=reflection,
            note=reflection.to_discuss if share_with_advisor else "",
            now=now,
        )
    return reflection, consultation


def _advisors(organisation: Organisation, today: datetime.date) -> list[User]:
    ids = RoleGrant.objects.filter(
        membership__organisation=organisation,
        role=Role.ADVISOR,
        revoked_at__isnull=True,
        trained_until__gte=today,
    ).values_list("membership__user_id", flat=True)
    return list(User.objects.filter(pk__in=ids))


@transaction.atomic
def request_consultation(
    *,
    facilitator: User,
    cohort: Cohort,
    reflection: Reflection | None = None,
    note: str = "",
    now: datetime.datetime | None = None,
) -> ConsultationRequest:
    """Ask the host organisation's advisors to get in touch; they see only the note shared."""
    now = _now(now)
    _facilitator_check(facilitator, cohort)
    if reflection is not None:
        open_one = ConsultationRequest.objects.filter(
            reflection=reflection,
            status__in=[ConsultationRequest.Status.OPEN, ConsultationRequest.Status.TAKEN],
        ).first()
        if open_one is not None:
            return open_one
    organisation = cohort.programme.host
    consultation = ConsultationRequest.objects.create(
        organisation=organisation,
        facilitator=facilitator,
        cohort=cohort,
        reflection=reflection,
        note=_check_text(note, REFLECTION_LIMIT, "to_discuss"),
        created_at=now,
    )
    advisors = _advisors(organisation, timezone.localdate(now))
    for advisor in advisors:
        if advisor.pk != facilitator.pk:
            notify(
                user=advisor,
                category=EVENTS,
                text=f"{facilitator.display_name}, a group facilitator, asked an advisor to "
                "get in touch.",
                url=f"/org/{organisation.slug}/groups/consultations/",
            )
    if not advisors:
        for grant in RoleGrant.objects.filter(
            membership__organisation=organisation, role=Role.COORDINATOR, revoked_at__isnull=True
        ).select_related("membership__user"):
            notify(
                user=grant.membership.user,
                category=EVENTS,
                text="A group facilitator asked for an advisor, but no advisor's training is "
                f"current in {organisation.name}.",
                url=f"/org/{organisation.slug}/groups/",
            )
    return consultation


def _advisor_check(advisor: User, consultation: ConsultationRequest) -> None:
    if not roles_of(advisor).has(Role.ADVISOR, consultation.organisation_id):
        raise PermissionDenied


@transaction.atomic
def take_consultation(
    *, advisor: User, consultation: ConsultationRequest, now: datetime.datetime | None = None
) -> ConsultationRequest:
    _advisor_check(advisor, consultation)
    consultation = ConsultationRequest.objects.select_for_update().get(pk=consultation.pk)
    if consultation.status != ConsultationRequest.Status.OPEN:
        raise DomainError("Another advisor has already taken this request.")
    consultation.status = ConsultationRequest.Status.TAKEN
    consultation.taken_by, consultation.taken_at = advisor, _now(now)
    consultation.save(update_fields=["status", "taken_by", "taken_at"])
    notify(
        user=consultation.facilitator,
        category=EVENTS,
        text=f"{advisor.display_name} (advisor) will get in touch about your request.",
    )
    return consultation


@transaction.atomic
def close_consultation(
    *, advisor: User, consultation: ConsultationRequest, now: datetime.datetime | None = None
) -> ConsultationRequest:
    _advisor_check(advisor, consultation)
    if consultation.status == ConsultationRequest.Status.CLOSED:
        raise DomainError("This request is already done.")
    consultation.status = ConsultationRequest.Status.CLOSED
    consultation.closed_at = _now(now)
    if consultation.taken_by_id is None:
        consultation.taken_by = advisor
    consultation.save(update_fields=["status", "closed_at", "taken_by"])
    return consultation


# --- the facilitator guide


def _read_seed_page(path: Path) -> dict:
    """A seed page: "key: value" lines, a line "---", then Markdown (as the friend guide)."""
    head, _, body = path.read_text(encoding="utf-8").partition("\n---\n")
    meta = {
        name.strip(): value.strip()
        for name, _, value in (line.partition(":") for line in head.splitlines() if ":" in line)
    }
    position, slug = path.stem.split("-", 1)
    return {
        "slug": slug,
        "position": int(position),
        "title": meta["title"],
        "summary": meta.get("summary", ""),
        "body": body.strip() + "\n",
    }


@transaction.atomic
def load_kindred_guide(directory: Path = GUIDE_SEED_DIR) -> int:
    """Add the shipped guide pages that are missing (existing pages and history are kept)."""
    added = 0
    for path in sorted(directory.glob("*.md")):
        seed = _read_seed_page(path)
        page, created = FacilitatorGuidePage.objects.get_or_create(
            organisation=None, slug=seed["slug"], defaults={"position": seed["position"]}
        )
        if created or page.current_id is None:
            page.current = FacilitatorGuideVersion.objects.create(
                page=page,
                number=1,
                title=seed["title"],
                summary=seed["summary"],
                body=seed["body"],
                note="First version",
                author_label="Kindred",
            )
            page.save(update_fields=["current"])
            added += 1
    return added


@transaction.atomic
def save_guide_page(
    *,
    coordinator: User,
    organisation: Organisation,
    slug: str | None,
    title: str,
    summary: str,
    body: str,
    note: str = "",
) -> FacilitatorGuidePage:
    """Save a new version of the organisation's own page. Editing Kindred's page makes the
    organisation's own copy (its people then see that one); no slug makes a new page."""
    _coordinator_check(coordinator, organisation)
    page = guides.save_page(
        page_model=FacilitatorGuidePage,
        organisation=organisation,
        author=coordinator,
        slug=slug,
        title=title,
        summary=summary,
        body=body,
        note=note,
    )
    audit.record(
        actor=coordinator,
        subject=None,
        action="edited facilitator guide page",
        target=f"{title.strip()} in {organisation.name}",
        role="coordinator",
    )
    return page


@transaction.atomic
def restore_guide_version(
    *, coordinator: User, organisation: Organisation, version: FacilitatorGuideVersion
) -> FacilitatorGuidePage:
    """Bring back an older version as the newest one (history is never rewritten)."""
    _coordinator_check(coordinator, organisation)
    return guides.restore_version(organisation=organisation, author=coordinator, version=version)


# --- safety: a facilitator worried about someone in the group


def escalate_about_participant(
    *, facilitator: User, cohort: Cohort, participation_id: int | None, note: str
) -> Escalation:
    """Ask the safety advisor on duty for help, about a named participant or, if the
    facilitator prefers, someone in the group not named. The participant is told."""
    _facilitator_check(facilitator, cohort)
    member = None
    if participation_id is not None:
        place = selectors.participants(cohort).filter(pk=participation_id).first()
        if place is None:
            raise DomainError("Choose someone who is in this group.", field="participant")
        member = place.user
    if not (note or "").strip():
        raise DomainError(
            "Say in a few words what worries you, so the advisor can act quickly.", field="note"
        )
    return safety.escalate(
        raised_by=facilitator,
        organisation=cohort.programme.host,
        source=Source.GROUP,
        member=member,
        note=note,
    )
