"""Writes for safety: noting risk, escalating, paging and re-paging advisors, the rota, plans."""

from __future__ import annotations

import datetime
import json
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from kindred.accounts.models import Organisation, Role, User
from kindred.accounts.selectors import roles_of
from kindred.core import audit
from kindred.core.errors import DomainError
from kindred.notifications.models import Notification
from kindred.notifications.services import notify
from kindred.safety import risk, selectors
from kindred.safety.models import (
    DutyShift,
    Escalation,
    EscalationAction,
    Page,
    RiskSignal,
    SafetyPlan,
    Source,
)

logger = logging.getLogger(__name__)

ACKNOWLEDGE_MINUTES = 15
EMAIL_ATTEMPTS = 5
NOTE_LIMIT = 2000
PLAN_LIMIT = 4000
SUPPORT = Notification.Category.SUPPORT
PAGE_EMAIL_SUBJECT = "Kindred: you have been paged as the advisor on duty"


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


# --- risk signals


def record_signal(
    *,
    organisation: Organisation,
    source: str,
    assessment: risk.Assessment,
    conversation=None,
    now: datetime.datetime | None = None,
) -> RiskSignal | None:
    """Note a concern-or-above assessment: level, reason codes and week only, never the text."""
    if not assessment.at_least(risk.CONCERN):
        return None
    return RiskSignal.objects.create(
        organisation=organisation,
        source=source,
        conversation=conversation,
        level=assessment.level,
        reasons=list(assessment.reasons),
        week=selectors.week_of(organisation, now),
    )


# --- escalations


def _coordinators(organisation: Organisation):
    return User.objects.filter(
        memberships__organisation=organisation,
        memberships__grants__role=Role.COORDINATOR,
        memberships__grants__revoked_at__isnull=True,
    ).distinct()


def _tell_coordinators(escalation: Escalation, text: str, now: datetime.datetime) -> None:
    """Content-free, once per escalation: the coordinators learn the rota failed, not who."""
    if escalation.coordinator_told_at is not None:
        return
    for coordinator in _coordinators(escalation.organisation):
        notify(
            user=coordinator,
            category=SUPPORT,
            text=text,
            url=f"/org/{escalation.organisation.slug}/safety/rota/",
        )
    escalation.coordinator_told_at = now
    escalation.save(update_fields=["coordinator_told_at"])


def _tell_raiser(escalation: Escalation, text: str) -> None:
    if escalation.raised_by_id:
        notify(
            user=escalation.raised_by,
            category=SUPPORT,
            text=text,
            url=f"/safety/escalations/{escalation.pk}/",
        )


def _crisis_route(escalation: Escalation, now: datetime.datetime, *, why: str) -> None:
    escalation.status = Escalation.Status.CRISIS_ROUTE
    escalation.save(update_fields=["status"])
    _tell_raiser(
        escalation,
        f"{why} Help the person reach a crisis line now; an advisor can still pick this up.",
    )
    when = selectors.local_now(escalation.organisation, now)
    _tell_coordinators(
        escalation,
        f"A safety escalation at {when:%a %H:%M} found no advisor to answer. "
        "The advisor rota has a gap.",
        now,
    )


def _page(escalation: Escalation, advisor: User, now: datetime.datetime) -> Page:
    page = Page.objects.create(
        escalation=escalation,
        advisor=advisor,
        paged_at=now,
        due_at=now + datetime.timedelta(minutes=ACKNOWLEDGE_MINUTES),
    )
    # In the app at once; the email is sent here (not through notify) because a page must be
    # sent whatever the advisor's email settings and quiet hours, and is retried if it fails.
    Notification.objects.create(
        user=advisor,
        category=SUPPORT,
        text=f"Safety page: please acknowledge within {ACKNOWLEDGE_MINUTES} minutes.",
        url=f"/safety/escalations/{escalation.pk}/",
    )
    transaction.on_commit(lambda: send_page_email(page.pk), robust=True)
    return page


def send_page_email(page_id: int) -> bool:
    """Email one page (no content). False, and counted, when it cannot be sent; upkeep retries."""
    page = Page.objects.select_related("advisor").filter(pk=page_id).first()
    if page is None or page.emailed_at is not None:
        return page is not None
    try:
        send_mail(
            subject=PAGE_EMAIL_SUBJECT,
            message=(
                "Hello,\n\nYou have been paged as the advisor on duty for a safety escalation. "
                f"Please acknowledge it within {ACKNOWLEDGE_MINUTES} minutes:\n"
                f"{settings.KINDRED_SITE_URL}/safety/escalations/{page.escalation_id}/\n\n"
                "We never put what anyone wrote in an email.\n\nKindred"
            ),
            from_email=None,
            recipient_list=[page.advisor.email],
            fail_silently=False,
        )
    except Exception:  # noqa: BLE001 - any mail failure: shown in the app, retried by upkeep
        Page.objects.filter(pk=page.pk).update(email_attempts=page.email_attempts + 1)
        logger.warning("Could not email safety page %s; it will be retried", page.pk)
        return False
    Page.objects.filter(pk=page.pk).update(
        emailed_at=timezone.now(), email_attempts=page.email_attempts + 1
    )
    return True


def _attachments(conversation, member: User, message_ids: Iterable) -> list[dict]:
    from kindred.support.models import Message

    wanted = {int(i) for i in message_ids if str(i).isdigit()}
    if not wanted:
        return []
    found = list(
        Message.objects.filter(conversation=conversation, sender=member, pk__in=wanted).order_by(
            "id"
        )
    )
    if len(found) != len(wanted):
        raise DomainError("Attach only messages the member sent in this conversation.")
    return [{"sent": m.sent_at.isoformat(), "text": m.body} for m in found]


@transaction.atomic
def escalate(
    *,
    raised_by: User | None,
    organisation: Organisation,
    source: str,
    member: User | None = None,
    conversation=None,
    assessment: risk.Assessment | None = None,
    attached: list[dict] | None = None,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Escalation:
    """Open an escalation and page the advisor on duty, or route to crisis lines if none is."""
    now = _now(now)
    note = (note or "").strip()
    if len(note) > NOTE_LIMIT:
        raise DomainError(f"Keep the note under {NOTE_LIMIT:,} characters.", field="note")
    if raised_by is None:
        note = ""
    assessment = assessment or risk.Assessment()
    level, reasons = assessment.level, list(assessment.reasons)
    if not assessment.at_least(risk.CONCERN):
        level, reasons = risk.CONCERN, ["raised_by_judgement"]
    escalation = Escalation.objects.create(
        organisation=organisation,
        member=member,
        raised_by=raised_by,
        source=source,
        conversation=conversation,
        level=level,
        reasons=reasons,
        attached=json.dumps(attached or []) if member and attached else "",
        note=note,
        created_at=now,
    )
    role = {Source.CONVERSATION: "supporter", Source.GROUP: "facilitator"}.get(source, "")
    if member is not None:
        audit.record(
            actor=raised_by,
            subject=member,
            action="escalated",
            target=f"a safety concern to the advisor on duty (escalation {escalation.pk})",
            role=role,
            reason="Kindred's confidentiality policy: a risk to your safety",
        )
        notify(
            user=member,
            category=SUPPORT,
            text="Someone asked a Kindred safety advisor to help keep you safe. "
            "Read what this means.",
            url="/safety/about-me/",
        )
    on_duty = selectors.advisors_on_duty(organisation, now=now)
    if on_duty:
        _page(escalation, on_duty[0], now)
    else:
        _crisis_route(escalation, now, why="No safety advisor is on duty right now.")
    return escalation


def escalate_from_conversation(
    *,
    supporter: User,
    conversation,
    attached_message_ids: Iterable = (),
    note: str = "",
    now: datetime.datetime | None = None,
) -> Escalation:
    """The supporter's one tap: carries the assessment and only the messages they chose."""
    if supporter.pk != conversation.supporter_id:
        raise PermissionDenied
    if not roles_of(supporter).has(Role.SUPPORTER, conversation.organisation_id):
        raise DomainError("Only a supporter with current training can escalate.")
    existing = selectors.open_escalation_for(conversation)
    if existing is not None:
        raise DomainError("This conversation already has an open escalation.")
    attached = _attachments(conversation, conversation.member, attached_message_ids)
    return escalate(
        raised_by=supporter,
        organisation=conversation.organisation,
        source=Source.CONVERSATION,
        member=conversation.member,
        conversation=conversation,
        assessment=selectors.recent_member_assessment(conversation),
        attached=attached,
        note=note,
        now=now,
    )


def _advisor_of(advisor: User, escalation: Escalation) -> None:
    if not roles_of(advisor).has(Role.ADVISOR, escalation.organisation_id):
        raise PermissionDenied


@transaction.atomic
def acknowledge(
    *, advisor: User, escalation: Escalation, now: datetime.datetime | None = None
) -> Escalation:
    """An advisor takes the escalation: re-paging stops and the raiser is told."""
    _advisor_of(advisor, escalation)
    now = _now(now)
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if escalation.status == Escalation.Status.CLOSED:
        raise DomainError("This escalation is closed.")
    if escalation.status == Escalation.Status.ACKNOWLEDGED:
        return escalation
    escalation.status = Escalation.Status.ACKNOWLEDGED
    escalation.acknowledged_at = now
    escalation.acknowledged_by = advisor
    escalation.save(update_fields=["status", "acknowledged_at", "acknowledged_by"])
    escalation.pages.filter(answered_at__isnull=True, timed_out_at__isnull=True).update(
        answered_at=now
    )
    if escalation.member_id:
        audit.record(
            actor=advisor,
            subject=escalation.member,
            action="acknowledged",
            target=f"safety escalation {escalation.pk}",
            role="advisor",
        )
    _tell_raiser(escalation, f"{advisor.display_name}, a safety advisor, is on it.")
    return escalation


def record_action(
    *, advisor: User, escalation: Escalation, kind: str, note: str = "", now=None
) -> EscalationAction:
    _advisor_of(advisor, escalation)
    escalation.refresh_from_db(fields=["status"])
    if escalation.status != Escalation.Status.ACKNOWLEDGED:
        raise DomainError("Acknowledge the escalation before recording what you did.")
    if kind not in EscalationAction.Kind.values:
        raise DomainError("Choose what you did.", field="kind")
    note = (note or "").strip()
    if len(note) > NOTE_LIMIT:
        raise DomainError(f"Keep the note under {NOTE_LIMIT:,} characters.", field="note")
    return EscalationAction.objects.create(
        escalation=escalation, by=advisor, kind=kind, note=note, at=_now(now)
    )


@transaction.atomic
def close_escalation(
    *, advisor: User, escalation: Escalation, outcome: str, now=None
) -> Escalation:
    _advisor_of(advisor, escalation)
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if escalation.status != Escalation.Status.ACKNOWLEDGED:
        raise DomainError("Acknowledge the escalation before closing it.")
    if outcome not in Escalation.Outcome.values:
        raise DomainError("Choose an outcome.", field="outcome")
    now = _now(now)
    escalation.status = Escalation.Status.CLOSED
    escalation.outcome = outcome
    escalation.closed_at = now
    escalation.closed_by = advisor
    escalation.save(update_fields=["status", "outcome", "closed_at", "closed_by"])
    if escalation.member_id:
        audit.record(
            actor=advisor,
            subject=escalation.member,
            action="closed",
            target=f"safety escalation {escalation.pk}",
            role="advisor",
        )
    _tell_raiser(escalation, "The safety advisor has closed the escalation.")
    return escalation


def repage_overdue(*, now: datetime.datetime | None = None) -> int:
    """Escalations not acknowledged in time page the next advisor on duty (or go to crisis)."""
    now = _now(now)
    overdue = Page.objects.filter(
        answered_at__isnull=True,
        timed_out_at__isnull=True,
        due_at__lte=now,
        escalation__status=Escalation.Status.PAGING,
    ).select_related("escalation__organisation", "escalation__raised_by")
    count = 0
    for page in overdue:
        with transaction.atomic():
            escalation = Escalation.objects.select_for_update().get(pk=page.escalation_id)
            if escalation.status != Escalation.Status.PAGING:
                continue
            page.timed_out_at = now
            page.save(update_fields=["timed_out_at"])
            _page_next(escalation, page, now)
            count += 1
    return count


def _page_next(escalation: Escalation, timed_out: Page, now: datetime.datetime) -> None:
    on_duty = selectors.advisors_on_duty(escalation.organisation, now=now)
    if not on_duty:
        _crisis_route(
            escalation, now, why="No safety advisor acknowledged in time, and none is on duty."
        )
        return
    already = set(escalation.pages.values_list("advisor_id", flat=True))
    fresh = [a for a in on_duty if a.pk not in already]
    if fresh:
        _page(escalation, fresh[0], now)
        return
    # Everyone on duty has been paged once: go round again, starting after the last one.
    ids = [a.pk for a in on_duty]
    after = ids.index(timed_out.advisor_id) + 1 if timed_out.advisor_id in ids else 0
    _page(escalation, on_duty[after % len(on_duty)], now)
    _tell_coordinators(
        escalation,
        "A safety escalation has not been acknowledged by any advisor on duty. "
        "We are paging them again.",
        now,
    )


def retry_page_emails(*, now: datetime.datetime | None = None) -> int:
    """Send again the page emails that failed (pages of open escalations, a few tries each)."""
    sent = 0
    for page_id in Page.objects.filter(
        emailed_at__isnull=True,
        email_attempts__gt=0,
        email_attempts__lt=EMAIL_ATTEMPTS,
        answered_at__isnull=True,
    ).values_list("pk", flat=True):
        sent += send_page_email(page_id)
    return sent


# --- the rota


def _coordinator_of(coordinator: User, organisation: Organisation) -> None:
    if not roles_of(coordinator).has(Role.COORDINATOR, organisation.pk):
        raise PermissionDenied


@transaction.atomic
def add_duty_shifts(
    *,
    coordinator: User,
    organisation: Organisation,
    advisor: User,
    weekdays: Iterable[int],
    starts: datetime.time,
    ends: datetime.time,
    order: int = 1,
) -> list[DutyShift]:
    """Put an advisor on the rota for these days each week."""
    _coordinator_of(coordinator, organisation)
    if not selectors.advisor_choices(organisation).filter(pk=advisor.pk).exists():
        raise DomainError("Choose someone with a current advisor role here.", field="advisor")
    days = sorted({int(d) for d in weekdays})
    if not days or any(d not in DutyShift.Weekday.values for d in days):
        raise DomainError("Choose at least one day.", field="weekdays")
    made = [
        DutyShift.objects.create(
            organisation=organisation,
            advisor=advisor,
            weekday=day,
            starts=starts,
            ends=ends,
            order=order,
        )
        for day in days
    ]
    audit.record(
        actor=coordinator,
        subject=advisor,
        action="put on the advisor rota",
        target=f"{len(made)} duty shift(s) in {organisation.name}",
        role="coordinator",
    )
    return made


def remove_duty_shift(*, coordinator: User, shift: DutyShift) -> None:
    _coordinator_of(coordinator, shift.organisation)
    audit.record(
        actor=coordinator,
        subject=shift.advisor,
        action="took off the advisor rota",
        target=f"a duty shift in {shift.organisation.name}",
        role="coordinator",
    )
    shift.delete()


# --- safety plans


def save_safety_plan(*, user: User, **sections: str) -> SafetyPlan:
    """The member's own plan; every section is optional and private to them."""
    unknown = set(sections) - set(SafetyPlan.SECTIONS)
    if unknown:
        raise DomainError(f"Unknown section: {', '.join(sorted(unknown))}.")
    for name, text in sections.items():
        if len(text or "") > PLAN_LIMIT:
            raise DomainError(f"Keep each part under {PLAN_LIMIT:,} characters.", field=name)
    plan = SafetyPlan.objects.filter(user=user).first() or SafetyPlan(user=user)
    for name, text in sections.items():
        setattr(plan, name, (text or "").strip())
    plan.save()
    return plan


def delete_safety_plan(*, user: User) -> bool:
    deleted, _ = SafetyPlan.objects.filter(user=user).delete()
    return bool(deleted)
