"""Safety: risk signals, the advisors' duty rota, escalations and pages, members' safety plans."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from kindred.accounts.models import Organisation
from kindred.core.encryption import EncryptedTextField
from kindred.safety import risk

LEVEL_CHOICES = [(level, level.title()) for level in risk.LEVELS]


class Source(models.TextChoices):
    CONVERSATION = "conversation", "Peer support conversation"
    CHECK_IN = "check_in", "Check-in"
    GROUP = "group", "Support group"
    QUESTION = "question", "Anonymous question"
    AUTOMATIC = "automatic", "Kindred (imminent risk)"


class RiskSignal(models.Model):
    """A minimal record that some text showed risk: never the text, never who wrote it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=20, choices=Source.choices)
    # Kept for the supporter's session log; a deleted conversation leaves the count.
    conversation = models.ForeignKey(
        "support.Conversation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    level = models.CharField(max_length=10, choices=LEVEL_CHOICES)
    reasons = models.JSONField(default=list)
    week = models.DateField(help_text="Monday of the week it was noticed")

    class Meta:
        indexes = [models.Index(fields=["organisation", "week"])]

    def __str__(self) -> str:
        return f"{self.level} signal {self.pk}"

    def reason_labels(self) -> list[str]:
        return [risk.label_for(r) for r in self.reasons]


class DutyShift(models.Model):
    """An advisor is on duty every week on this day between these times (organisation's time).

    An end at or before the start runs past midnight; an equal start and end is the whole day.
    """

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="duty_shifts"
    )
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="duty_shifts"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts = models.TimeField()
    ends = models.TimeField()
    order = models.PositiveSmallIntegerField(
        default=1, help_text="Who is paged first when two advisors are on duty (1 first)"
    )

    class Meta:
        ordering = ["weekday", "starts", "order"]

    def __str__(self) -> str:
        return f"duty shift {self.pk}"

    def covers(self, weekday: int, moment: datetime.time) -> bool:
        """On duty at this local weekday and time?"""
        if self.starts == self.ends:
            return weekday == self.weekday
        if self.starts < self.ends:
            return weekday == self.weekday and self.starts <= moment < self.ends
        if weekday == self.weekday:
            return moment >= self.starts
        return weekday == (self.weekday + 1) % 7 and moment < self.ends


class Escalation(models.Model):
    """Someone asked the advisor on duty to help with a person at risk."""

    class Status(models.TextChoices):
        PAGING = "paging", "Waiting for an advisor"
        ACKNOWLEDGED = "acknowledged", "An advisor is on it"
        CRISIS_ROUTE = "crisis_route", "No advisor on duty: crisis lines"
        CLOSED = "closed", "Closed"

    class Outcome(models.TextChoices):
        SUPPORTER_GUIDED = "supporter_guided", "Advised the supporter; the member is safe for now"
        MEMBER_CONTACTED = "member_contacted", "Spoke with the member"
        CRISIS_SERVICE = "crisis_service", "The member is in touch with a crisis service"
        EMERGENCY = "emergency", "Emergency services were called"
        NOT_NEEDED = "not_needed", "No risk on review"
        OTHER = "other", "Something else (see the actions)"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="escalations_about",
        help_text="The person at risk, when known",
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="escalations_raised",
    )
    source = models.CharField(max_length=20, choices=Source.choices)
    conversation = models.ForeignKey(
        "support.Conversation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    level = models.CharField(max_length=10, choices=LEVEL_CHOICES)
    reasons = models.JSONField(default=list)
    # The member's own words the raiser chose to attach: JSON, encrypted with the member's key.
    attached = EncryptedTextField(owner_field="member", blank=True)
    note = EncryptedTextField(owner_field="raised_by", blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PAGING)
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    coordinator_told_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"escalation {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    def reason_labels(self) -> list[str]:
        return [risk.label_for(r) for r in self.reasons]


class Page(models.Model):
    """One advisor paged for one escalation: in the app at once, by email (retried)."""

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="pages")
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safety_pages"
    )
    paged_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(help_text="Acknowledge by then, or the next advisor is paged")
    answered_at = models.DateTimeField(null=True, blank=True)
    timed_out_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["paged_at", "id"]

    def __str__(self) -> str:
        return f"page {self.pk}"


class EscalationAction(models.Model):
    """What the advisor did, in order."""

    class Kind(models.TextChoices):
        SPOKE_TO_SUPPORTER = "spoke_to_supporter", "Spoke with the supporter"
        SPOKE_TO_MEMBER = "spoke_to_member", "Spoke with the member"
        SHARED_CRISIS_LINES = "shared_crisis_lines", "Shared crisis lines"
        CALLED_EMERGENCY = "called_emergency", "Called emergency services"
        ARRANGED_FOLLOW_UP = "arranged_follow_up", "Arranged a follow-up"
        OTHER = "other", "Other"

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="actions")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    note = EncryptedTextField(owner_field="by", blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"action {self.pk}"


class SafetyPlan(models.Model):
    """A member's own plan for hard moments. Only they can read it; all of it is encrypted."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safety_plan"
    )
    warning_signs = EncryptedTextField(owner_field="user", blank=True)
    coping_strategies = EncryptedTextField(owner_field="user", blank=True)
    people_and_places = EncryptedTextField(owner_field="user", blank=True)
    professionals = EncryptedTextField(owner_field="user", blank=True)
    safe_environment = EncryptedTextField(owner_field="user", blank=True)
    reasons_to_live = EncryptedTextField(owner_field="user", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    SECTIONS = [
        "warning_signs",
        "coping_strategies",
        "people_and_places",
        "professionals",
        "safe_environment",
        "reasons_to_live",
    ]

    def __str__(self) -> str:
        return f"safety plan {self.pk}"

    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in self.SECTIONS)
