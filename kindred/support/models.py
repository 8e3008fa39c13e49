"""Peer support: supporter profiles, requests, offers, conversations and what follows them."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from kindred.accounts.models import Organisation
from kindred.core.encryption import EncryptedTextField
from kindred.support.vocabulary import TOPIC_LABELS


class SupporterProfile(models.Model):
    """What a supporter feels able to help with, and how much they can take on."""

    class Status(models.TextChoices):
        AVAILABLE = "available", "Available"
        BREAK = "break", "Taking a break"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supporter_profiles"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    topics = models.JSONField(default=list)
    languages = models.JSONField(default=list)
    stage = models.CharField(max_length=40, blank=True)
    identities = models.JSONField(
        default=list, help_text="Self-disclosed; members may ask for them"
    )
    gender = models.CharField(max_length=20, blank=True)
    capacity = models.PositiveSmallIntegerField(default=3)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.AVAILABLE)
    available_today = models.BooleanField(
        default=True, help_text="Usually able to reply within the day"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_profile_per_org")
        ]

    def __str__(self) -> str:
        return f"supporter profile {self.pk}"

    def topic_labels(self) -> list[str]:
        return [TOPIC_LABELS.get(t, t) for t in self.topics]


class Conflict(models.Model):
    """A recorded conflict of interest: this supporter assesses or tutors this member."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40, default="assessor or tutor")

    def __str__(self) -> str:
        return f"conflict {self.pk}"


class Block(models.Model):
    """One person blocked another: they are never matched or put in touch again."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"block {self.pk}"


class SupportRequest(models.Model):
    class Urgency(models.TextChoices):
        TODAY = "today", "Today"
        THIS_WEEK = "this_week", "This week"
        NO_RUSH = "no_rush", "No rush"

    class Status(models.TextChoices):
        WAITING = "waiting", "Looking for a supporter"
        OFFERED = "offered", "Waiting for a supporter to accept"
        MATCHED = "matched", "Matched"
        WITHDRAWN = "withdrawn", "Withdrawn"
        CLOSED = "closed", "Closed"

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="support_requests"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    body = EncryptedTextField(owner_field="member", blank=True)
    topics = models.JSONField(default=list)
    urgency = models.CharField(max_length=20, choices=Urgency.choices, default=Urgency.THIS_WEEK)
    ways_to_talk = models.JSONField(default=list)
    anyone = models.BooleanField(default=False)
    preferred_stages = models.JSONField(default=list)
    preferred_identities = models.JSONField(default=list)
    preferred_languages = models.JSONField(default=list)
    preferred_gender = models.CharField(max_length=20, blank=True)
    exclude_my_year = models.BooleanField(default=False)
    exclude_my_placement = models.BooleanField(default=False)
    excluded_people = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    difficult = models.BooleanField(
        default=False, help_text="A heavy topic: spread across supporters"
    )
    share_topics = models.BooleanField(default=False)
    share_message = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)
    declined_by = models.JSONField(default=list, help_text="Supporter profile ids that said no")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    matched_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"support request {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in {self.Status.WAITING, self.Status.OFFERED}

    def topic_labels(self) -> list[str]:
        return [TOPIC_LABELS.get(t, t) for t in self.topics]


class Offer(models.Model):
    """A request offered to one supporter, who accepts or declines before the deadline."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        EXPIRED = "expired", "Expired"
        WITHDRAWN = "withdrawn", "Withdrawn"

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="offers")
    supporter = models.ForeignKey(SupporterProfile, on_delete=models.CASCADE, related_name="offers")
    score = models.FloatField(default=0)
    reasons = models.JSONField(default=list)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=models.Q(status="pending"),
                name="one_pending_offer_per_request",
            )
        ]

    def __str__(self) -> str:
        return f"offer {self.pk}"


class Conversation(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    request = models.OneToOneField(
        SupportRequest, on_delete=models.CASCADE, related_name="conversation"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    keep = models.BooleanField(default=False, help_text="The member chose to keep it")
    feedback_given = models.BooleanField(default=False)

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"conversation {self.pk}"

    def participants(self) -> tuple[int, int]:
        return (self.member_id, self.supporter_id)

    def other_party(self, user) -> int:
        return self.supporter_id if user.pk == self.member_id else self.member_id

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = EncryptedTextField(owner_field="sender")
    client_id = models.CharField(max_length=64)
    sent_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "sender", "client_id"], name="idempotent_message"
            )
        ]

    def __str__(self) -> str:
        return f"message {self.pk}"


class SessionLog(models.Model):
    """The supporter's private, minimal record of a session."""

    # Kept (minimal, encrypted) when the member deletes the conversation.
    conversation = models.ForeignKey(
        Conversation, null=True, on_delete=models.SET_NULL, related_name="session_logs"
    )
    supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    date = models.DateField(default=timezone.localdate)
    duration_minutes = models.PositiveSmallIntegerField()
    topics = models.JSONField(default=list)
    risk_came_up = models.BooleanField(default=False)
    referral_made = models.BooleanField(default=False)
    note = EncryptedTextField(owner_field="supporter", blank=True)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"session log {self.pk}"


class Report(models.Model):
    """Someone reported the conversation; coordinators learn only that it happened."""

    conversation = models.ForeignKey(
        Conversation, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    attached_text = EncryptedTextField(owner_field="reporter", blank=True)
    # Whose words the attached message was: never shown, only used for their audit log.
    about = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    seen_by_coordinator = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"report {self.pk}"


class Feedback(models.Model):
    """Anonymous: no link to the member, the supporter or the conversation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="First day of the month it was given")
    helpful = models.BooleanField(null=True)
    felt_safe = models.BooleanField(null=True)
    would_use_again = models.BooleanField(null=True)

    def __str__(self) -> str:
        return f"feedback {self.pk}"


class Referral(models.Model):
    """A service the supporter suggested; the member later says privately whether they got there."""

    class Outcome(models.TextChoices):
        UNKNOWN = "", "Not asked yet"
        REACHED = "reached", "I got in touch"
        NOT_YET = "not_yet", "Not yet"
        NOT_FOR_ME = "not_for_me", "It was not right for me"

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="referrals"
    )
    service = models.ForeignKey("navigator.Service", on_delete=models.CASCADE, related_name="+")
    suggested_at = models.DateTimeField(default=timezone.now)
    follow_up_due = models.DateTimeField()
    follow_up_sent = models.BooleanField(default=False)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    share_outcome = models.BooleanField(default=False)

    class Meta:
        ordering = ["suggested_at"]

    def __str__(self) -> str:
        return f"referral {self.pk}"


class SupportSettings(models.Model):
    """An organisation's own deadlines and retention; without a row, the defaults apply."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="support_settings"
    )
    offer_hours_today = models.PositiveSmallIntegerField(
        "Hours a supporter has to answer an offer for “today”",
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    offer_hours_later = models.PositiveSmallIntegerField(
        "Hours a supporter has to answer any other offer",
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(168)],
    )
    retention_days = models.PositiveSmallIntegerField(
        "Days a closed conversation is kept (unless the member keeps it)",
        default=90,
        validators=[MinValueValidator(7), MaxValueValidator(730)],
    )

    class Meta:
        verbose_name_plural = "support settings"

    def __str__(self) -> str:
        return f"support settings for {self.organisation_id}"

    def offer_hours(self, urgency: str) -> int:
        return self.offer_hours_today if urgency == "today" else self.offer_hours_later
