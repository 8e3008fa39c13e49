"""Office hours: availability rules, time off, materialised slots, bookings, the walk-in queue,
private calendar feeds, and the academic calendar that coverage is read against."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from kindred.accounts.models import Organisation
from kindred.core.encryption import EncryptedTextField
from kindred.core.feeds import PrivateFeed
from kindred.officehours import schedule
from kindred.support.models import SupporterProfile

NOTE_LIMIT = 280


class Format(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Video call"
    PHONE = "phone", "Phone call"


class Place(models.Model):
    """Where a session happens: a room, a video link or a number to ring."""

    format = models.CharField(max_length=20, choices=Format.choices, default=Format.VIDEO)
    location = models.CharField(max_length=160, blank=True, help_text="Room and building")
    video_link = models.URLField(max_length=300, blank=True)
    phone_number = models.CharField(max_length=40, blank=True)

    class Meta:
        abstract = True

    @property
    def where(self) -> str:
        if self.format == Format.IN_PERSON:
            return self.location
        if self.format == Format.VIDEO:
            return self.video_link
        return self.phone_number

    def place_fields(self) -> dict:
        return {
            "format": self.format,
            "location": self.location,
            "video_link": self.video_link,
            "phone_number": self.phone_number,
        }


class AvailabilityRule(Place):
    """A block of time a supporter offers, every week or once, in the organisation's time zone."""

    class Repeats(models.TextChoices):
        WEEKLY = "weekly", "Every week"
        ONCE = "once", "Once (an extra session)"

    profile = models.ForeignKey(
        SupporterProfile, on_delete=models.CASCADE, related_name="availability_rules"
    )
    repeats = models.CharField(max_length=10, choices=Repeats.choices, default=Repeats.WEEKLY)
    weekday = models.PositiveSmallIntegerField(
        null=True, blank=True, choices=list(enumerate(schedule.WEEKDAYS))
    )
    date = models.DateField(null=True, blank=True, help_text="One-off sessions only")
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    start_time = models.TimeField()
    end_time = models.TimeField()
    slot_minutes = models.PositiveSmallIntegerField(default=30)
    walk_in = models.BooleanField(default=False, help_text="Walk-in only: no booking ahead")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["repeats", "weekday", "date", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="rule_ends_after_it_starts"
            ),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=10, slot_minutes__lte=240),
                name="rule_slot_length_sensible",
            ),
            models.CheckConstraint(
                condition=(Q(repeats="weekly") & Q(weekday__isnull=False))
                | (Q(repeats="once") & Q(date__isnull=False)),
                name="rule_has_its_day",
            ),
        ]

    def __str__(self) -> str:
        return f"availability rule {self.pk}"

    def as_spec(self) -> schedule.RuleSpec:
        weekly = self.repeats == self.Repeats.WEEKLY
        return schedule.RuleSpec(
            key=self.pk,
            start=self.start_time,
            end=self.end_time,
            slot_minutes=self.slot_minutes,
            walk_in=self.walk_in,
            weekday=self.weekday if weekly else None,
            on=None if weekly else self.date,
            starts_on=self.starts_on if weekly else None,
            ends_on=self.ends_on if weekly else None,
        )

    def describe(self) -> str:
        kind = "walk-in block" if self.walk_in else "bookable time"
        return f"{kind} on {schedule.describe(self.as_spec())}"


class TimeOff(models.Model):
    """Days a supporter is away (a holiday), all day or between two times."""

    profile = models.ForeignKey(SupporterProfile, on_delete=models.CASCADE, related_name="time_off")
    first_day = models.DateField()
    last_day = models.DateField()
    start_time = models.TimeField(null=True, blank=True)
    end_time = models.TimeField(null=True, blank=True)
    label = models.CharField(max_length=80, blank=True, help_text="Only you see this")

    class Meta:
        ordering = ["first_day", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")), name="time_off_ends_after_it_starts"
            ),
        ]

    def __str__(self) -> str:
        return f"time off {self.pk}"

    def as_spec(self) -> schedule.TimeOffSpec:
        return schedule.TimeOffSpec(self.first_day, self.last_day, self.start_time, self.end_time)


class Slot(Place):
    """One bookable time, or one walk-in block, made from a rule for the coming weeks."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CANCELLED = "cancelled", "Cancelled"

    class CancelledBy(models.TextChoices):
        NOBODY = "", "Not cancelled"
        SUPPORTER = "supporter", "The supporter cancelled it"
        SCHEDULE = "schedule", "The supporter changed their availability"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    profile = models.ForeignKey(SupporterProfile, on_delete=models.CASCADE, related_name="slots")
    supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    rule = models.ForeignKey(
        AvailabilityRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="slots"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    walk_in = models.BooleanField(default=False)
    per_person_minutes = models.PositiveSmallIntegerField(default=30)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    cancelled_by = models.CharField(max_length=10, choices=CancelledBy.choices, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "starts_at"], name="one_slot_per_start"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_it_starts"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "walk_in", "status", "starts_at"]),
            models.Index(fields=["supporter", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"slot {self.pk}"

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    def is_running(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.starts_at <= now < self.ends_at


class Booking(models.Model):
    """A member holds a slot. At most one live booking per slot: the database says so."""

    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        CANCELLED = "cancelled", "Cancelled"
        NO_SHOW = "no_show", "Marked as missed"

    HOLDING = (Status.BOOKED, Status.NO_SHOW)

    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="bookings")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="office_hour_bookings"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    note = EncryptedTextField(owner_field="member", blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancel_reason = EncryptedTextField(owner_field="cancelled_by", blank=True)
    reminded_day_before_at = models.DateTimeField(null=True, blank=True)
    reminded_hour_before_at = models.DateTimeField(null=True, blank=True)
    # Set when the supporter's training lapsed: coordinators see it, the member is offered
    # another time.
    flagged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["slot__starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(status__in=["booked", "no_show"]),
                name="one_live_booking_per_slot",
            )
        ]
        indexes = [models.Index(fields=["member", "status"])]

    def __str__(self) -> str:
        return f"booking {self.pk}"

    @property
    def is_live(self) -> bool:
        return self.status == self.Status.BOOKED


class QueueEntry(models.Model):
    """A member's place in a walk-in block's queue."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        CALLED = "called", "Called"
        LEFT = "left", "Left the queue"
        ENDED = "ended", "The session ended before their turn"

    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="queue")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    joined_at = models.DateTimeField(default=timezone.now)
    called_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    conversation = models.ForeignKey(
        "support.Conversation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(status="waiting"),
                name="one_queue_place_at_a_time",
            )
        ]
        indexes = [models.Index(fields=["slot", "status", "joined_at"])]

    def __str__(self) -> str:
        return f"queue entry {self.pk}"


class CalendarFeed(PrivateFeed):
    """A supporter's private calendar address; only a hash of its secret is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )

    def __str__(self) -> str:
        return f"calendar feed {self.pk}"


class Milestone(models.Model):
    """A date in the academic calendar that demand gathers around: exams, placements, results."""

    class Kind(models.TextChoices):
        EXAMS = "exams", "Exams"
        PLACEMENT = "placement", "Placement starts"
        RESULTS = "results", "Results day"
        OTHER = "other", "Other"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="milestones"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.EXAMS)
    title = models.CharField(max_length=120)
    first_day = models.DateField()
    last_day = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["first_day", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")), name="milestone_ends_after_it_starts"
            )
        ]

    def __str__(self) -> str:
        return self.title
