"""The services directory, the support-a-friend guide, and finder answers a person saved."""

import datetime
import zoneinfo
from functools import cached_property

from django.conf import settings
from django.db import models
from django.utils import timezone

from kindred.accounts.models import COUNTRIES
from kindred.core.encryption import EncryptedTextField
from kindred.navigator import hours

REVIEW_AFTER_DAYS = 365
COUNTRY_TIME_ZONES = {
    "GB": "Europe/London",
    "IE": "Europe/Dublin",
    "US": "America/New_York",
    "CA": "America/Toronto",
    "AU": "Australia/Sydney",
}


class Topic(models.TextChoices):
    ANYTHING = "anything", "Anything on your mind"
    LOW_MOOD = "low_mood", "Low mood or depression"
    ANXIETY = "anxiety", "Anxiety and stress"
    SUICIDAL_THOUGHTS = "suicidal_thoughts", "Thoughts of suicide or self-harm"
    EXAMS = "exams", "Exams and study"
    BURNOUT = "burnout", "Burnout and workload"
    PLACEMENTS = "placements", "Placements and clinical work"
    BULLYING = "bullying", "Bullying, harassment or discrimination"
    MONEY = "money", "Money worries"
    RELATIONSHIPS = "relationships", "Relationships and family"
    GRIEF = "grief", "Grief and loss"
    ALCOHOL_DRUGS = "alcohol_drugs", "Alcohol or drugs"
    EATING = "eating", "Eating and body image"
    HEALTH = "health", "Physical health or disability"
    FITNESS_TO_PRACTISE = "fitness_to_practise", "Fitness to practise or complaints"
    CAREER = "career", "Career and training decisions"
    HOUSING = "housing", "Housing"


class Audience(models.TextChoices):
    ANYONE = "anyone", "Anyone"
    STUDENTS = "students", "Medical students"
    DOCTORS_IN_TRAINING = "doctors_in_training", "Doctors in training"
    ALL_DOCTORS = "all_doctors", "All doctors"


class Cost(models.TextChoices):
    FREE = "free", "Free"
    LOW_COST = "low_cost", "Low cost"
    PAID = "paid", "Paid"


class AccessRoute(models.TextChoices):
    SELF_REFERRAL = "self_referral", "Contact them yourself"
    GP_REFERRAL = "gp_referral", "Referral by a GP"
    SCHOOL_REFERRAL = "school_referral", "Referral by your school"


class Wait(models.TextChoices):
    IMMEDIATE = "immediate", "No wait: they answer straight away"
    SAME_DAY = "same_day", "The same day"
    DAYS = "days", "A few days"
    WEEKS = "weeks", "A few weeks"
    MONTHS = "months", "A month or more"


class Format(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video call"
    TEXT = "text", "Text message"
    ONLINE = "online", "Online chat or email"


class Helpers(models.TextChoices):
    PEERS = "peers", "Peers: students or doctors"
    VOLUNTEERS = "volunteers", "Trained volunteers"
    PROFESSIONALS = "professionals", "Professionals"


class WhoFindsOut(models.TextChoices):
    NEVER = "never", "No"
    EXCEPTIONAL = "exceptional", "Only with your agreement, or in the rare cases below"
    YES = "yes", "Yes"


class Service(models.Model):
    """One support service, with a transparency card saying exactly who finds out."""

    key = models.SlugField(max_length=80, help_text="Stable name used by import and export")
    name = models.CharField(max_length=160)
    run_by = models.CharField("who runs it", max_length=160)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="services",
        help_text="Empty for a national service",
    )
    country = models.CharField(max_length=2, choices=COUNTRIES)
    summary = models.CharField("what it is for", max_length=300)
    description = models.TextField(blank=True)
    topics = models.JSONField(default=list, blank=True)
    audiences = models.JSONField("who can use it", default=list, blank=True)
    cost = models.CharField(max_length=20, choices=Cost.choices, default=Cost.FREE)
    cost_note = models.CharField(max_length=200, blank=True)
    access_routes = models.JSONField("how to access it", default=list, blank=True)
    wait = models.CharField("typical wait", max_length=20, choices=Wait.choices)
    wait_note = models.CharField(max_length=200, blank=True)
    opening_hours = models.JSONField(default=list, blank=True)
    time_zone = models.CharField(max_length=60, default="Europe/London")
    hours_note = models.CharField(max_length=200, blank=True)
    formats = models.JSONField(default=list, blank=True)
    helpers = models.CharField(
        "who you talk to", max_length=20, choices=Helpers.choices, default=Helpers.PROFESSIONALS
    )
    phone = models.CharField(max_length=40, blank=True)
    text_number = models.CharField(max_length=40, blank=True)
    text_keyword = models.CharField(max_length=40, blank=True)
    website = models.URLField(max_length=300, blank=True)
    email = models.EmailField(blank=True)
    languages = models.JSONField(default=list, blank=True)
    # The transparency card.
    tells_school = models.CharField(
        "does your school find out", max_length=20, choices=WhoFindsOut.choices
    )
    tells_regulator = models.CharField(
        "is anything shared with the regulator", max_length=20, choices=WhoFindsOut.choices
    )
    confidentiality_limits = models.TextField("when confidentiality is broken")
    records_kept = models.TextField("what records are kept, and for how long")
    independent_of_school = models.BooleanField("run independently of your school")
    source_url = models.URLField("source", max_length=300)
    last_reviewed = models.DateField()
    is_crisis_line = models.BooleanField(default=False)
    crisis_rank = models.PositiveSmallIntegerField(
        default=100, help_text="Order on the crisis panel, lowest first"
    )
    search_text = models.TextField(blank=True, editable=False)
    retired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="unique_service_key"),
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(organisation__isnull=True),
                name="unique_national_service_key",
            ),
        ]
        indexes = [
            models.Index(fields=["country", "is_crisis_line", "crisis_rank"]),
            models.Index(fields=["organisation", "retired_at"]),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        super().save(*args, **kwargs)

    def build_search_text(self) -> str:
        """Everything search looks at besides the name (kept in a column for full-text search)."""
        labels = dict(Topic.choices)
        return " ".join(
            [
                self.run_by,
                self.summary,
                self.description,
                " ".join(labels.get(t, t) for t in self.topics),
                " ".join(dict(Format.choices).get(f, f) for f in self.formats),
            ]
        )

    @property
    def is_national(self) -> bool:
        return self.organisation_id is None

    @property
    def tel(self) -> str:
        return "tel:" + "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")

    @property
    def sms(self) -> str:
        number = "".join(ch for ch in self.text_number if ch.isdigit() or ch == "+")
        return f"sms:{number}" + (f"?&body={self.text_keyword}" if self.text_keyword else "")

    @property
    def text_instruction(self) -> str:
        """What to do to text them, in words: "Text SHOUT to 85258" or "Text 988"."""
        if not self.text_number:
            return ""
        if self.text_keyword:
            return f"Text {self.text_keyword} to {self.text_number}"
        return f"Text {self.text_number}"

    @property
    def hours_text(self) -> str:
        return hours.format_hours(self.opening_hours)

    @property
    def hours_description(self) -> str:
        return hours.describe_hours(self.opening_hours)

    @cached_property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def is_open_at(self, moment: datetime.datetime) -> bool:
        return hours.is_open(self.opening_hours, moment.astimezone(self.zone))

    @property
    def is_open_now(self) -> bool:
        return self.is_open_at(timezone.now())

    @property
    def is_always_open(self) -> bool:
        return self.hours_text == "24/7"

    @property
    def open_outside_working_hours(self) -> bool:
        return hours.open_outside_working_hours(self.opening_hours)

    def review_due(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.last_reviewed <= today - datetime.timedelta(days=REVIEW_AFTER_DAYS)

    def topic_labels(self) -> list[str]:
        labels = dict(Topic.choices)
        return [labels.get(t, t) for t in self.topics]

    def audience_labels(self) -> list[str]:
        labels = dict(Audience.choices)
        return [labels.get(a, a) for a in self.audiences]

    def format_labels(self) -> list[str]:
        labels = dict(Format.choices)
        return [labels.get(f, f) for f in self.formats]

    def access_labels(self) -> list[str]:
        labels = dict(AccessRoute.choices)
        return [labels.get(a, a) for a in self.access_routes]


class GuidePage(models.Model):
    """One page of the support-a-friend guide; national (no organisation) or an organisation's
    own version, which its members see instead of the national page with the same slug."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="guide_pages",
    )
    slug = models.SlugField(max_length=80)
    position = models.PositiveSmallIntegerField(default=100)
    current = models.ForeignKey(
        "GuidePageVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["position", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="unique_guide_page"),
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(organisation__isnull=True),
                name="unique_national_guide_page",
            ),
        ]

    def __str__(self) -> str:
        return self.current.title if self.current_id else self.slug


class GuidePageVersion(models.Model):
    """Every saved version of a guide page is kept: the history coordinators can restore."""

    page = models.ForeignKey(GuidePage, on_delete=models.CASCADE, related_name="versions")
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
            models.UniqueConstraint(fields=["page", "number"], name="unique_guide_version")
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.number})"


class SavedFinderAnswers(models.Model):
    """Finder answers a signed-in person chose to keep; encrypted with their own key."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_finder_answers"
    )
    answers = EncryptedTextField(owner_field="user")
    saved_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"finder answers of {self.user_id}"
