"""Demo data for a newcomer: idempotent, safe to run on every `make run`.

This command makes the organisations and people; every feature app then adds its own demo
content through `seed_demo(stdout)` on its AppConfig (called in INSTALLED_APPS order).
"""

import datetime

from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from kindred.accounts.models import (
    Membership,
    NotificationSettings,
    Organisation,
    OrganisationDomain,
    Partnership,
    Role,
    RoleGrant,
    User,
)

# Privileged demo accounts share this TOTP secret so a newcomer can pass the second step
# with any authenticator app (or the one-step demo links). Development data only.
DEMO_TOTP_SECRET = "KINDREDDEMOKINDREDDEMOKINDREDDEMO"

DEMO_PEOPLE = [
    # email, display name, role in the medical school, country
    ("member@example.org", "Quiet Heron", Role.MEMBER),
    ("member2@example.org", "Steady Otter", Role.MEMBER),
    ("supporter@example.org", "Warm Kestrel", Role.SUPPORTER),
    ("supporter2@example.org", "Patient Wren", Role.SUPPORTER),
    ("facilitator@example.org", "Bright Lark", Role.FACILITATOR),
    ("advisor@example.org", "Calm Badger", Role.ADVISOR),
    ("coordinator@example.org", "Clear Harbour Owl", Role.COORDINATOR),
]


class Command(BaseCommand):
    help = "Create (or refresh) the demo organisations and accounts."

    @transaction.atomic
    def handle(self, *args, **options):
        school, _ = Organisation.objects.update_or_create(
            slug="st-elsewhere",
            defaults={
                "name": "St Elsewhere Medical School",
                "kind": Organisation.Kind.MEDICAL_SCHOOL,
                "country": "GB",
                "time_zone": "Europe/London",
            },
        )
        charity, _ = Organisation.objects.update_or_create(
            slug="doctors-wellbeing-trust",
            defaults={
                "name": "Doctors' Wellbeing Trust",
                "kind": Organisation.Kind.CHARITY,
                "country": "GB",
                "time_zone": "Europe/London",
            },
        )
        OrganisationDomain.objects.get_or_create(domain="st-elsewhere.ac.uk", organisation=school)
        OrganisationDomain.objects.get_or_create(domain="nhs.example", organisation=school)
        OrganisationDomain.objects.get_or_create(domain="dwt.example", organisation=charity)
        Partnership.objects.get_or_create(from_organisation=school, to_organisation=charity)

        trained_until = timezone.localdate() + datetime.timedelta(days=365)
        coordinator = None
        for email, name, role in DEMO_PEOPLE:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email, display_name=name, country="GB")
            EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            membership, _ = Membership.objects.get_or_create(
                user=user, organisation=school, defaults={"verified_by": "demo"}
            )
            NotificationSettings.objects.get_or_create(user=user)
            if role == Role.COORDINATOR:
                coordinator = user
            if role != Role.MEMBER:
                RoleGrant.objects.update_or_create(
                    membership=membership,
                    role=role,
                    revoked_at=None,
                    defaults={
                        "trained_until": None if role == Role.COORDINATOR else trained_until,
                    },
                )
                self._ensure_totp(user)
        RoleGrant.objects.filter(membership__organisation=school, granted_by=None).update(
            granted_by=coordinator
        )
        # Each feature app adds its own demo content: an AppConfig method `seed_demo(stdout)`.
        for config in apps.get_app_configs():
            seed = getattr(config, "seed_demo", None)
            if callable(seed):
                seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))

    def _ensure_totp(self, user: User) -> None:
        from allauth.mfa.models import Authenticator
        from allauth.mfa.totp.internal.auth import TOTP

        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)
