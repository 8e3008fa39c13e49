"""Events and webinars: series, events, speakers, RSVPs with a waiting list.

Live Q&A for an event lives in `kindred.qanda`, which relies on `Event.qa_enabled`,
`Event.host`/`co_hosts`, `EventSpeaker.user` and `Rsvp` (see `selectors.is_attendee` and
`selectors.can_moderate`)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from kindred.accounts.models import Organisation
from kindred.core.encryption import EncryptedTextField
from kindred.core.feeds import PrivateFeed
from kindred.support.vocabulary import TOPICS as SUPPORT_TOPICS


class Kind(models.TextChoices):
    TALK = "talk", "Talk"
    WEBINAR = "webinar", "Webinar"
    WELLNESS = "wellness", "Wellness session"
    SOCIAL = "social", "Social"


class Audience(models.TextChoices):
    ORGANISATION = "organisation", "Members of the host organisation"
    PARTNERS = "partners", "Members of the host, co-hosts and partners"
    PUBLIC = "public", "All Kindred members"


class Format(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Online (video)"


class Series(models.Model):
    """A recurring run of events, e.g. every other Wednesday in term time."""

    host = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="event_series")
    title = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.TALK)
    interval_weeks = models.PositiveSmallIntegerField(default=2)
    skip_exam_weeks = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "series"
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Event(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    host = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="events")
    co_hosts = models.ManyToManyField(Organisation, blank=True, related_name="co_hosted_events")
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.TALK)
    title = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    topics = models.JSONField(default=list, blank=True)
    audience = models.CharField(
        max_length=20, choices=Audience.choices, default=Audience.ORGANISATION
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    format = models.CharField(max_length=20, choices=Format.choices, default=Format.IN_PERSON)
    # Shown only to people who RSVP'd "going".
    location = models.CharField(max_length=200, blank=True)
    video_link = models.URLField(max_length=300, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True, help_text="Empty: no limit")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    # The iCalendar UID stays; SEQUENCE rises on every change so calendars update in place.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    check_in_code = models.CharField(max_length=12, blank=True)
    # Live Q&A (kindred.qanda): organisers turn it off when no moderator is present.
    qa_enabled = models.BooleanField(default=True)
    reminded_day_at = models.DateTimeField(null=True, blank=True)
    reminded_hour_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["host", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED


class EventSpeaker(models.Model):
    """A speaker at one event. `user` is set when the speaker has a Kindred account: then
    they may moderate the event's Q&A."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(max_length=120)
    role = models.CharField(max_length=160, blank=True, help_text='e.g. "Consultant psychiatrist"')
    bio = models.TextField(blank=True, max_length=1000)
    lived_experience = models.BooleanField(
        default=False, help_text="Speaks from their own experience of mental illness"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    order = models.PositiveSmallIntegerField(default=0)
    # Linking by email is an invitation the person accepts, so the page looks the same whether
    # or not the address belongs to anyone (a coordinator learns nothing about who uses Kindred).
    email_given = models.BooleanField(default=False)
    invited = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # An optional photo, kept in the database (small, checked to be JPEG, PNG or WebP) and served
    # only to people who can see the event; lists defer it.
    photo = models.BinaryField(blank=True, default=b"", editable=False)
    photo_type = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def has_photo(self) -> bool:
        return bool(self.photo_type)


class Rsvp(models.Model):
    class Status(models.TextChoices):
        GOING = "going", "Going"
        WAITLISTED = "waitlisted", "On the waiting list"
        NOT_GOING = "not_going", "Not going"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_rsvps"
    )
    status = models.CharField(max_length=12, choices=Status.choices)
    # Waiting-list order: earliest first.
    updated_at = models.DateTimeField(auto_now=True)
    created_at = models.DateTimeField(auto_now_add=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    # Only that they answered the anonymous feedback, so nobody answers twice.
    feedback_given = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_rsvp_per_person")
        ]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self) -> str:
        return f"rsvp {self.pk}"


# Words members choose event topics from: the programme's support topics plus two of events'.
EVENT_TOPICS = [
    *SUPPORT_TOPICS,
    ("wellness", "Wellness and self-care"),
    ("stigma", "Stigma and speaking up"),
]
EVENT_TOPIC_LABELS = dict(EVENT_TOPICS)
PROPOSAL_LIMIT = 200


class SeriesSchedule(models.Model):
    """When a series meets: every `interval_weeks` on a weekday at a time, from a date, for a
    number of events or until a date (exam weeks of the academic calendar skipped)."""

    series = models.OneToOneField(Series, on_delete=models.CASCADE, related_name="schedule")
    weekday = models.PositiveSmallIntegerField(help_text="0 is Monday")
    start_time = models.TimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    starts_on = models.DateField()
    event_count = models.PositiveSmallIntegerField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)
    skipped = models.JSONField(default=list, blank=True, help_text="ISO dates left out")

    def __str__(self) -> str:
        return f"schedule of {self.series}"


class TopicProposal(models.Model):
    """A topic a member would like an event about. Members see it without the proposer's name.

    The text is not encrypted under the proposer's key: it is shown to every member of the
    organisation and may become an event's title, and must survive the proposer's erasure."""

    class Status(models.TextChoices):
        OPEN = "open", "Open for votes"
        SCHEDULED = "scheduled", "An event is planned"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="event_topic_proposals"
    )
    # Never shown to other members: kept so the proposer sees "proposed by you" and can withdraw.
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.CharField(max_length=PROPOSAL_LIMIT)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="from_proposals"
    )
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.SET_NULL, related_name="from_proposals"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"topic proposal {self.pk}"


class TopicVote(models.Model):
    proposal = models.ForeignKey(TopicProposal, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "voter"], name="one_topic_vote_each")
        ]

    def __str__(self) -> str:
        return f"topic vote {self.pk}"


class EventFeedback(models.Model):
    """Anonymous: no link to the person, no time, a random id (so no insertion order). The
    person's Rsvp only records that they answered. Comments are encrypted under the key of
    the coordinator who created the event."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="feedback")
    was_useful = models.BooleanField(null=True)
    would_recommend = models.BooleanField(null=True)
    key_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = EncryptedTextField(owner_field="key_owner", blank=True)

    def __str__(self) -> str:
        return "event feedback"


class EventCalendarFeed(PrivateFeed):
    """A member's private address for the events they are going to; only a hash is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_feeds"
    )

    def __str__(self) -> str:
        return f"event calendar feed {self.pk}"
