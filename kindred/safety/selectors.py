"""Reads for safety: who is on duty, what an escalation shows, counts for supervision."""

import datetime
import json
import zoneinfo
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from kindred.accounts.models import Organisation, Role, RoleGrant, User
from kindred.accounts.selectors import roles_of
from kindred.core.suppression import suppressed
from kindred.safety import risk
from kindred.safety.models import DutyShift, Escalation, RiskSignal, SafetyPlan

RECENT_MESSAGES = 5  # the member's latest messages that decide whether the panel shows
SUPERVISION_WEEKS = 12


def local_now(organisation: Organisation, now: datetime.datetime | None = None):
    now = now or timezone.now()
    try:
        zone = zoneinfo.ZoneInfo(organisation.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("Europe/London")
    return now.astimezone(zone)


def week_of(organisation: Organisation, now: datetime.datetime | None = None) -> datetime.date:
    """The Monday of the organisation's current week."""
    today = local_now(organisation, now).date()
    return today - datetime.timedelta(days=today.weekday())


def current_advisor_ids(organisation: Organisation, today: datetime.date) -> set[int]:
    grants = RoleGrant.objects.filter(
        membership__organisation=organisation,
        role=Role.ADVISOR,
        revoked_at__isnull=True,
        trained_until__gte=today,
    )
    return set(grants.values_list("membership__user_id", flat=True))


def advisors_on_duty(
    organisation: Organisation, *, now: datetime.datetime | None = None
) -> list[User]:
    """Advisors whose shift covers this moment and whose role is current, in paging order."""
    moment = local_now(organisation, now)
    shifts = DutyShift.objects.filter(organisation=organisation).select_related("advisor")
    current = current_advisor_ids(organisation, moment.date())
    ordered: dict[int, User] = {}
    for shift in sorted(shifts, key=lambda s: (s.order, s.pk)):
        if shift.advisor_id in current and shift.covers(moment.weekday(), moment.time()):
            ordered.setdefault(shift.advisor_id, shift.advisor)
    return list(ordered.values())


@dataclass(frozen=True)
class Gap:
    weekday: str
    starts: datetime.time
    ends: datetime.time | None  # None: until midnight

    def __str__(self) -> str:
        ends = self.ends.strftime("%H:%M") if self.ends else "midnight"
        return f"{self.weekday} {self.starts:%H:%M} to {ends}"


def rota_gaps(organisation: Organisation) -> list[Gap]:
    """The hours of the week (organisation time) when no advisor is on duty, by the minute."""
    shifts = list(DutyShift.objects.filter(organisation=organisation))
    today = local_now(organisation).date()
    current = current_advisor_ids(organisation, today)
    shifts = [s for s in shifts if s.advisor_id in current]
    # Coverage only changes where a shift starts or ends, so test those moments.
    marks = sorted({datetime.time()} | {s.starts for s in shifts} | {s.ends for s in shifts})
    gaps: list[Gap] = []
    for day, name in DutyShift.Weekday.choices:
        start = None
        for mark in marks:
            covered = any(s.covers(day, mark) for s in shifts)
            if not covered and start is None:
                start = mark
            elif covered and start is not None:
                gaps.append(Gap(name, start, mark))
                start = None
        if start is not None:
            gaps.append(Gap(name, start, None))
    return gaps


def rota_of(organisation: Organisation) -> QuerySet[DutyShift]:
    return DutyShift.objects.filter(organisation=organisation).select_related("advisor")


def advisor_choices(organisation: Organisation) -> QuerySet[User]:
    """People who hold a current advisor role in the organisation."""
    return User.objects.filter(
        pk__in=current_advisor_ids(organisation, timezone.localdate())
    ).order_by("display_name")


# --- conversations


def _recent_member_messages(conversation, messages=None) -> list:
    """The member's latest RECENT_MESSAGES messages in a conversation, newest first."""
    from kindred.support.models import Message

    if messages is None:
        return list(
            Message.objects.filter(
                conversation=conversation, sender_id=conversation.member_id
            ).order_by("-id")[:RECENT_MESSAGES]
        )
    mine = [m for m in messages if m.sender_id == conversation.member_id]
    return mine[::-1][:RECENT_MESSAGES]


def _highest_assessment(newest_first: list) -> risk.Assessment:
    # At the highest level the newest message's reasons lead, and the reasons of older
    # messages at that level follow.
    best = risk.Assessment()
    for message in newest_first:
        found = risk.assess(message.body)
        if found.rank > best.rank:
            best = found
        elif found.rank == best.rank and found.assessed and best.rank:
            best = risk.Assessment(best.level, tuple(dict.fromkeys(best.reasons + found.reasons)))
    return best


def recent_member_assessment(conversation, messages=None) -> risk.Assessment:
    """The highest assessment among the member's latest messages in a conversation."""
    return _highest_assessment(_recent_member_messages(conversation, messages))


def open_escalation_for(conversation) -> Escalation | None:
    return (
        Escalation.objects.filter(conversation=conversation)
        .exclude(status=Escalation.Status.CLOSED)
        .select_related("acknowledged_by")
        .prefetch_related("pages__advisor")
        .first()
    )


def signals_in(conversation) -> QuerySet[RiskSignal]:
    return RiskSignal.objects.filter(conversation=conversation).order_by("-week", "-id")[:20]


# --- escalations


def escalation_for(user: User, pk: int) -> tuple[Escalation, str]:
    """An escalation and how this person may see it: "advisor" or "raiser"; else 404."""
    escalation = (
        Escalation.objects.select_related(
            "organisation", "member", "raised_by", "acknowledged_by", "closed_by", "conversation"
        )
        .filter(pk=pk)
        .first()
    )
    if escalation is None:
        raise Http404("No such escalation")
    if roles_of(user).has(Role.ADVISOR, escalation.organisation_id):
        return escalation, "advisor"
    if escalation.raised_by_id == user.pk:
        return escalation, "raiser"
    raise Http404("No such escalation")


def escalations_for_advisor(organisation: Organisation) -> QuerySet[Escalation]:
    return Escalation.objects.filter(organisation=organisation).select_related(
        "member", "raised_by", "acknowledged_by"
    )


def escalations_about(user: User) -> QuerySet[Escalation]:
    return (
        Escalation.objects.filter(member=user)
        .select_related("organisation", "raised_by", "acknowledged_by")
        .prefetch_related("actions")
    )


def attached_messages(escalation: Escalation) -> list[dict]:
    if not escalation.attached:
        return []
    try:
        items = json.loads(escalation.attached)
    except (TypeError, ValueError):
        return []
    return [i for i in items if isinstance(i, dict)]


def safety_plan_of(user: User) -> SafetyPlan | None:
    return SafetyPlan.objects.filter(user=user).first()


# --- supervision


@dataclass(frozen=True)
class Week:
    monday: datetime.date
    concern: str
    high: str
    imminent: str
    escalations: str


def weekly_counts(
    organisation: Organisation, *, weeks: int = SUPERVISION_WEEKS, now=None
) -> tuple[list[Week], dict[str, str]]:
    """Counts per week (small numbers suppressed) and totals over the period."""
    this_week = week_of(organisation, now)
    first = this_week - datetime.timedelta(weeks=weeks - 1)
    signals = (
        RiskSignal.objects.filter(organisation=organisation, week__gte=first)
        .values("week", "level")
        .annotate(n=Count("id"))
    )
    by_week: dict[datetime.date, dict[str, int]] = {}
    for row in signals:
        by_week.setdefault(row["week"], {})[row["level"]] = row["n"]
    escalated: dict[datetime.date, int] = {}
    start = datetime.datetime.combine(first, datetime.time(), tzinfo=local_now(organisation).tzinfo)
    for created in Escalation.objects.filter(
        organisation=organisation, created_at__gte=start
    ).values_list("created_at", flat=True):
        monday = week_of(organisation, created)
        escalated[monday] = escalated.get(monday, 0) + 1
    rows = []
    for offset in range(weeks):
        monday = this_week - datetime.timedelta(weeks=offset)
        counts = by_week.get(monday, {})
        rows.append(
            Week(
                monday=monday,
                concern=suppressed(counts.get(risk.CONCERN, 0)),
                high=suppressed(counts.get(risk.HIGH, 0)),
                imminent=suppressed(counts.get(risk.IMMINENT, 0)),
                escalations=suppressed(escalated.get(monday, 0)),
            )
        )
    totals = {
        level: suppressed(sum(c.get(level, 0) for c in by_week.values()))
        for level in (risk.CONCERN, risk.HIGH, risk.IMMINENT)
    }
    totals["escalations"] = suppressed(sum(escalated.values()))
    return rows, totals


def open_escalation_count(organisation: Organisation) -> int:
    return Escalation.objects.filter(
        Q(organisation=organisation) & ~Q(status=Escalation.Status.CLOSED)
    ).count()


# --- the panel in a conversation


def conversation_panel(*, viewer: User, conversation, messages=None) -> dict:
    """What the safety panel in a conversation shows this person (see the partial)."""
    is_member = viewer.pk == conversation.member_id
    recent = _recent_member_messages(conversation, messages)  # newest first
    assessment = _highest_assessment(recent)
    urgent = assessment.at_least(risk.HIGH) and conversation.is_open
    escalation = open_escalation_for(conversation)
    panel = {
        "is_member": is_member,
        "assessment": assessment,
        "labels": [risk.label_for(r) for r in assessment.reasons if assessment.assessed],
        "urgent": urgent,
        "imminent": assessment.level == risk.IMMINENT,
        "escalation": escalation,
        # The page swaps the panel when this changes (safety.js): a new level, new reasons,
        # a new message to attach, or the escalation moving on.
        "state": f"{assessment.level}:{'+'.join(assessment.reasons)}:"
        f"{escalation.status if escalation else ''}:{escalation.pk if escalation else ''}",
    }
    if is_member:
        if urgent or escalation:
            from kindred.navigator.selectors import country_for, crisis_lines_for

            _, lines = crisis_lines_for(country_for(viewer))
            panel["lines"] = lines[:3]
            panel["has_plan"] = SafetyPlan.objects.filter(user=viewer).exists()
        return panel
    panel["choices"] = [
        (str(m.pk), f"{timezone.localtime(m.sent_at):%H:%M}: {m.body[:80]}")
        for m in reversed(recent)
    ]
    panel["state"] += ":" + ",".join(value for value, _ in panel["choices"])
    panel["signals"] = list(signals_in(conversation))
    if escalation:
        panel["pages"] = list(escalation.pages.all())
    return panel
