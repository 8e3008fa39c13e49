"""People, organisations, memberships and the roles they hold."""

import datetime
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone

COUNTRIES = [
    ("GB", "United Kingdom"),
    ("IE", "Ireland"),
    ("US", "United States"),
    ("CA", "Canada"),
    ("AU", "Australia"),
]
TIME_ZONES = sorted((name, name) for name in zoneinfo.available_timezones() if "/" in name)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        user = self.create_user(email, is_staff=True, is_superuser=True, **extra)
        if password:
            user.set_password(password)
            user.save(update_fields=["password"])
        return user

    def create(self, **kwargs):
        email = kwargs.pop("email", "")
        return self.create_user(email, **kwargs)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Others only ever see the display name."""

    email = models.EmailField("contact email", unique=True)
    display_name = models.CharField(max_length=40, unique=True)
    real_name = models.CharField(
        max_length=120, blank=True, help_text="Optional. Never shown to other members."
    )
    country = models.CharField(
        max_length=2, choices=COUNTRIES, blank=True, help_text="Chooses your crisis lines."
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    def __str__(self) -> str:
        return self.display_name or f"person {self.pk}"

    def save(self, *args, **kwargs):
        if not self.display_name:
            from kindred.accounts.names import unique_display_name

            self.display_name = unique_display_name(
                lambda name: User.objects.filter(display_name=name).exists()
            )
        super().save(*args, **kwargs)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MEDICAL_SCHOOL = "medical_school", "Medical school"
        FOUNDATION_SCHOOL = "foundation_school", "Foundation school"
        CHARITY = "charity", "Charity"
        STUDENT_SOCIETY = "student_society", "Student society"
        PROFESSIONAL_BODY = "professional_body", "Professional body"

    name = models.CharField(max_length=160)
    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    country = models.CharField(max_length=2, choices=COUNTRIES)
    time_zone = models.CharField(max_length=60, default="Europe/London", help_text="IANA name")
    partners = models.ManyToManyField("self", through="Partnership", symmetrical=False, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationDomain(models.Model):
    """An email domain whose addresses prove membership of the organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(max_length=120, unique=True)

    def __str__(self) -> str:
        return self.domain

    def save(self, *args, **kwargs):
        self.domain = self.domain.strip().lower().lstrip("@")
        super().save(*args, **kwargs)


class Partnership(models.Model):
    """Two organisations that co-host groups and events."""

    from_organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="partnerships_made"
    )
    to_organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="partnerships_received"
    )
    since = models.DateField(default=datetime.date.today)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["from_organisation", "to_organisation"], name="unique_partnership"
            ),
            models.CheckConstraint(
                condition=~models.Q(from_organisation=models.F("to_organisation")),
                name="partnership_not_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_organisation} + {self.to_organisation}"


class Membership(models.Model):
    """A person belongs to an organisation; every member holds the member role."""

    class Verification(models.TextChoices):
        EMAIL_DOMAIN = "email_domain", "Address at the organisation's domain"
        COORDINATOR = "coordinator", "Added by a coordinator"
        DEMO = "demo", "Demo data"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    verified_by = models.CharField(max_length=20, choices=Verification.choices)
    joined_at = models.DateTimeField(auto_now_add=True)
    # The person's own labels, used only for "not someone in my year / placement group".
    year_group = models.CharField(max_length=40, blank=True)
    placement_group = models.CharField(max_length=40, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="unique_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organisation}"


class Role(models.TextChoices):
    MEMBER = "member", "Member"
    SUPPORTER = "supporter", "Supporter"
    FACILITATOR = "facilitator", "Facilitator"
    ADVISOR = "advisor", "Advisor"
    COORDINATOR = "coordinator", "Coordinator"


PRIVILEGED_ROLES = frozenset({Role.SUPPORTER, Role.FACILITATOR, Role.ADVISOR, Role.COORDINATOR})
TRAINED_ROLES = frozenset({Role.SUPPORTER, Role.FACILITATOR, Role.ADVISOR})


class RoleGrant(models.Model):
    """A role beyond member, granted by a coordinator; trained roles lapse with their training."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(max_length=20, choices=[c for c in Role.choices if c[0] != "member"])
    trained_until = models.DateField(null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "role"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_active_grant_per_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.role} for {self.membership}"

    def is_current(self, today: datetime.date | None = None) -> bool:
        if self.revoked_at is not None:
            return False
        if self.role not in TRAINED_ROLES:
            return True
        today = today or timezone.localdate()
        return self.trained_until is not None and self.trained_until >= today


class VerifiedAddress(models.Model):
    """A keyed hash of an institutional address: stops duplicate accounts, keeps no address."""

    digest = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verified_addresses"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    verified_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"verified address for {self.user_id}"


class NotificationSettings(models.Model):
    class Frequency(models.TextChoices):
        IMMEDIATELY = "immediately", "As they happen"
        DAILY = "daily", "One email a day"
        WEEKLY = "weekly", "One email a week"
        NEVER = "never", "Never"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    email_messages = models.BooleanField("New messages in my conversations", default=True)
    email_bookings = models.BooleanField("Bookings and reminders", default=True)
    email_events = models.BooleanField("Groups and events I joined", default=True)
    email_programme_news = models.BooleanField("News from my programme", default=False)
    frequency = models.CharField(
        max_length=20, choices=Frequency.choices, default=Frequency.IMMEDIATELY
    )
    quiet_hours_start = models.TimeField(null=True, blank=True)
    quiet_hours_end = models.TimeField(null=True, blank=True)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"notification settings for {self.user_id}"

    def is_quiet_at(self, moment: datetime.time) -> bool:
        start, end = self.quiet_hours_start, self.quiet_hours_end
        if start is None or end is None or start == end:
            return False
        if start < end:
            return start <= moment < end
        return moment >= start or moment < end


class ApiToken(models.Model):
    """A personal API token; only its hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    # Made in a session that passed a second factor (or by an operator): may act in any role.
    strong = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
