"""Support groups and programmes: programmes, cohorts, sessions, places and waiting lists,
topics and votes, attendance, anonymous feedback, facilitator reflections, consultations, and
the facilitator guide."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from kindred.accounts.models import Organisation
from kindred.core.encryption import EncryptedTextField
from kindred.groups import schedule

DEFAULT_AGREEMENT = """\
We agree to look after each other in this group.

- **What is said here stays here.** Take away what you learnt, never who said what or
  anything that could tell someone who it was.
- **You choose what to share.** You can pass, stay quiet, or leave at any time, and no one
  will ask why.
- **Respect.** Listen without interrupting, speak from your own experience, and offer advice
  only when someone asks for it. No judgement.
- **The limits of confidentiality.** Facilitators keep what you say to themselves. The one
  exception: if they believe someone is at serious risk of harm, they will talk with that
  person first wherever they can, and may ask a Kindred safety advisor to help. Your medical
  school, employer and regulator are not told.
- **If someone is at risk,** the facilitator will stay with them, check they are safe now,
  share crisis lines, and if needed contact the safety advisor on duty. The person is always
  told what happens next.
- **Outside the group,** you may meet each other on placement or in teaching. Do not bring up
  what someone shared unless they do.
- **Let the facilitator know** if you cannot come to a session. You do not need to say why.
"""


class Format(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Video call"


class Programme(models.Model):
    """A support group, online programme or workshop series, run by one organisation and
    optionally co-hosted with its partners."""

    class Kind(models.TextChoices):
        SUPPORT_GROUP = "support_group", "Support group"
        ONLINE_PROGRAMME = "online_programme", "Online programme"
        WORKSHOP_SERIES = "workshop_series", "Workshop series"

    class Joining(models.TextChoices):
        APPLY = "apply", "Members apply, and a facilitator offers them a place"
        DIRECT = "direct", "Members join straight away while there is room"

    host = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="programmes")
    co_hosts = models.ManyToManyField(Organisation, blank=True, related_name="co_hosted_programmes")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SUPPORT_GROUP)
    title = models.CharField(max_length=120)
    description = models.TextField(help_text="Markdown")
    audience = models.CharField(max_length=160, help_text='e.g. "Foundation doctors"')
    joining = models.CharField(max_length=10, choices=Joining.choices, default=Joining.APPLY)
    agreement = models.TextField(default=DEFAULT_AGREEMENT, help_text="Markdown")
    agreement_version = models.PositiveSmallIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Cohort(models.Model):
    """One run of a programme: weekly sessions, a capacity, facilitators, participants."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Not open yet"
        OPEN = "open", "Open"
        FINISHED = "finished", "Finished"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(max_length=80, help_text='e.g. "Spring 2026"')
    starts_on = models.DateField(help_text="The first session is on the first chosen day from here")
    weekday = models.PositiveSmallIntegerField(choices=list(enumerate(schedule.WEEKDAYS)))
    start_time = models.TimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=90)
    session_count = models.PositiveSmallIntegerField(default=10)
    format = models.CharField(max_length=20, choices=Format.choices, default=Format.VIDEO)
    location = models.CharField(max_length=160, blank=True, help_text="Room and building")
    video_link = models.URLField(max_length=300, blank=True)
    capacity = models.PositiveSmallIntegerField(default=8)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The iCalendar SEQUENCE: raised on every schedule change so calendars update in place.
    schedule_version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=2, capacity__lte=30), name="cohort_capacity_sensible"
            ),
            models.CheckConstraint(
                condition=Q(session_count__gte=1, session_count__lte=52),
                name="cohort_session_count_sensible",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=15, duration_minutes__lte=480),
                name="cohort_duration_sensible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.title}: {self.name}"

    @property
    def where(self) -> str:
        return self.location if self.format == Format.IN_PERSON else self.video_link

    def describe_schedule(self) -> str:
        day = schedule.WEEKDAYS[self.weekday]
        count = self.session_count
        return f"{day}s at {self.start_time:%H:%M}, {count} session{'s' if count != 1 else ''}"


class CohortFacilitator(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="facilitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="facilitations"
    )
    accredited = models.BooleanField(default=False)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "user"], name="one_facilitation_per_cohort")
        ]

    def __str__(self) -> str:
        return f"facilitation {self.pk}"


class Session(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    # Kept when a schedule change drops it, so calendar files can cancel it.
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "number"], name="unique_session_number"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_it_starts"
            ),
        ]
        indexes = [models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        return f"session {self.number} of cohort {self.cohort_id}"


ACTIVE_STATUSES = ("applied", "joined", "waitlisted", "offered")


class Participation(models.Model):
    """A person's place (or application, or wait) in one cohort."""

    class Status(models.TextChoices):
        APPLIED = "applied", "Applied: a facilitator will reply"
        JOINED = "joined", "In the group"
        WAITLISTED = "waitlisted", "On the waiting list"
        OFFERED = "offered", "Offered a place"
        DECLINED = "declined", "Not offered a place this time"
        LEFT = "left", "Left the group"
        OFFER_LAPSED = "offer_lapsed", "The offer of a place passed"
        CLOSED = "closed", "The waiting list closed"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_participations"
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    hopes = EncryptedTextField(owner_field="user", blank=True)
    access_needs = EncryptedTextField(owner_field="user", blank=True)
    agreed_version = models.PositiveSmallIntegerField(default=0)
    agreed_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(default=timezone.now)
    joined_at = models.DateTimeField(null=True, blank=True)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # Sessions this person answered feedback for: stops double answers; the answers themselves
    # carry no link back (see docs/groups.md).
    feedback_sessions = models.JSONField(default=list)

    class Meta:
        ordering = ["applied_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "user"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="one_active_participation",
            )
        ]
        indexes = [models.Index(fields=["cohort", "status"])]

    def __str__(self) -> str:
        return f"participation {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class Attendance(models.Model):
    """Recorded by a facilitator; seen only by facilitators and the participant."""

    class Mark(models.TextChoices):
        PRESENT = "present", "Came"
        APOLOGIES = "apologies", "Sent apologies"
        ABSENT = "absent", "Did not come"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="attendance"
    )
    mark = models.CharField(max_length=10, choices=Mark.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participation"], name="one_attendance_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"attendance {self.pk}"


TOPIC_LIMIT = 200


class Topic(models.Model):
    """A topic a participant suggested for a session. Everyone sees it; nobody sees who."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="topics")
    # Never shown to anyone: kept so the author can withdraw it and find it in their data.
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = EncryptedTextField(owner_field="suggested_by")
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"topic {self.pk}"


class Vote(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "voter"], name="one_vote_each")]

    def __str__(self) -> str:
        return f"vote {self.pk}"


class Material(models.Model):
    """A prompt, reading or exercise attached to a session."""

    class Kind(models.TextChoices):
        PROMPT = "prompt", "Prompt"
        READING = "reading", "Reading"
        EXERCISE = "exercise", "Exercise"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PROMPT)
    title = models.CharField(max_length=120)
    body = models.TextField(blank=True, help_text="Markdown")
    link = models.URLField(max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class SessionFeedback(models.Model):
    """Anonymous: no link to the participant, no time, and a random id (so no insertion order).
    Free text is encrypted under the cohort's first facilitator's key (see docs/groups.md)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="feedback")
    felt_heard = models.BooleanField(null=True)
    felt_safe = models.BooleanField(null=True)
    would_recommend = models.BooleanField(null=True)
    key_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = EncryptedTextField(owner_field="key_owner", blank=True)

    def __str__(self) -> str:
        return "session feedback"


class Reflection(models.Model):
    """A facilitator's private notes on a session: nobody else ever reads them."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="reflections")
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    went_well = EncryptedTextField(owner_field="facilitator", blank=True)
    was_hard = EncryptedTextField(owner_field="facilitator", blank=True)
    to_discuss = EncryptedTextField(owner_field="facilitator", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "facilitator"], name="one_reflection_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"reflection {self.pk}"


class ConsultationRequest(models.Model):
    """A facilitator asks an advisor of the host organisation to talk something through."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for an advisor"
        TAKEN = "taken", "An advisor is getting in touch"
        CLOSED = "closed", "Done"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consultation_requests"
    )
    cohort = models.ForeignKey(
        Cohort, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reflection = models.ForeignKey(
        Reflection, null=True, blank=True, on_delete=models.SET_NULL, related_name="consultations"
    )
    # Only what the facilitator chose to share with the advisor.
    note = EncryptedTextField(owner_field="facilitator", blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    taken_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"consultation request {self.pk}"


class FacilitatorGuidePage(models.Model):
    """One page of the facilitator guide: Kindred's own (no organisation) or an organisation's
    version, which its people see instead of Kindred's page with the same slug."""

    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="facilitator_guide_pages",
    )
    slug = models.SlugField(max_length=80)
    position = models.PositiveSmallIntegerField(default=100)
    current = models.ForeignKey(
        "FacilitatorGuideVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["position", "slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "slug"], name="unique_facilitator_guide_page"
            ),
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(organisation__isnull=True),
                name="unique_kindred_facilitator_guide_page",
            ),
        ]

    def __str__(self) -> str:
        return self.current.title if self.current_id else self.slug


class FacilitatorGuideVersion(models.Model):
    """Every saved version is kept: the history coordinators can restore."""

    page = models.ForeignKey(
        FacilitatorGuidePage, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=120)
    summary = models.CharField(max_length=240, blank=True)
    body = models.TextField(help_text="Markdown")
    note = models.CharField("what changed", max_length=200, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_label = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "number"], name="unique_facilitator_guide_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.number})"
