"""Writes about people, organisations and roles."""

import datetime
import hashlib
import hmac
import secrets
import time
from dataclasses import asdict, dataclass

from django.apps import apps
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from kindred.accounts.models import (
    TRAINED_ROLES,
    ApiToken,
    Membership,
    NotificationSettings,
    Organisation,
    Role,
    RoleGrant,
    User,
    VerifiedAddress,
)
from kindred.accounts.selectors import roles_of
from kindred.core import audit
from kindred.core.errors import DomainError

JOIN_CODE_TTL_SECONDS = 15 * 60
JOIN_CODE_MAX_ATTEMPTS = 5
TOKEN_PREFIX = "kdr_"


def _keyed_hash(value: str, purpose: str) -> str:
    key = (settings.KINDRED_ADDRESS_HASH_KEY or settings.SECRET_KEY).encode()
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def address_digest(address: str) -> str:
    """Keyed hash of an institutional address, so the address itself need not be kept."""
    return _keyed_hash(address.strip().lower(), "address")


@dataclass
class PendingJoin:
    """What a session remembers while someone proves an address: no address, only hashes."""

    organisation_id: int
    digest: str
    code_digest: str
    expires_at: float
    attempts: int = 0

    def as_session(self) -> dict:
        return asdict(self)


def start_joining(*, user: User, organisation: Organisation, address: str) -> PendingJoin:
    """Email a code to an address at one of the organisation's domains."""
    address = address.strip().lower()
    local, _, domain = address.rpartition("@")
    domains = set(organisation.domains.values_list("domain", flat=True))
    if not local or domain not in domains:
        listed = ", ".join(sorted(f"@{d}" for d in domains)) or "no domains yet"
        raise DomainError(
            f"{organisation.name} accepts addresses ending {listed}. Check the address.",
            field="address",
        )
    if Membership.objects.filter(user=user, organisation=organisation).exists():
        raise DomainError(f"You are already a member of {organisation.name}.", field="address")
    digest = address_digest(address)
    if VerifiedAddress.objects.filter(digest=digest).exclude(user=user).exists():
        raise DomainError(
            "This address already verified another Kindred account. Sign in with that account, "
            "or ask your coordinator for help.",
            field="address",
        )
    code = f"{secrets.randbelow(10**6):06d}"
    send_mail(
        subject=f"Kindred: your code to join {organisation.name}",
        message=(
            f"Your code is {code}. It works for 15 minutes.\n\n"
            "We use this address only to check that you belong to "
            f"{organisation.name}. Kindred does not keep it, and {organisation.name} is not told."
        ),
        from_email=None,
        recipient_list=[address],
    )
    return PendingJoin(
        organisation_id=organisation.pk,
        digest=digest,
        code_digest=_keyed_hash(code, "join-code"),
        expires_at=time.time() + JOIN_CODE_TTL_SECONDS,
    )


@transaction.atomic
def confirm_joining(*, user: User, pending: PendingJoin, code: str) -> Membership:
    """Check the emailed code; on success record the membership and the address hash."""
    if time.time() > pending.expires_at:
        raise DomainError("That code has expired. Ask for a new one.", field="code")
    if pending.attempts >= JOIN_CODE_MAX_ATTEMPTS:
        raise DomainError("Too many wrong codes. Ask for a new one.", field="code")
    given = _keyed_hash(code.strip().replace(" ", ""), "join-code")
    if not hmac.compare_digest(given, pending.code_digest):
        pending.attempts += 1
        raise DomainError("That code is not right. Check the email and try again.", field="code")
    organisation = Organisation.objects.get(pk=pending.organisation_id)
    try:
        with transaction.atomic():
            VerifiedAddress.objects.create(
                digest=pending.digest, user=user, organisation=organisation
            )
    except IntegrityError:
        if not VerifiedAddress.objects.filter(digest=pending.digest, user=user).exists():
            raise DomainError(
                "This address already verified another Kindred account.", field="code"
            ) from None
    membership, _ = Membership.objects.get_or_create(
        user=user,
        organisation=organisation,
        defaults={"verified_by": Membership.Verification.EMAIL_DOMAIN},
    )
    if not user.country:
        user.country = organisation.country
        user.save(update_fields=["country"])
    audit.record(actor=user, subject=user, action="joined", target=f"{organisation.name}")
    return membership


def _coordinator_check(coordinator: User, organisation: Organisation) -> None:
    if not roles_of(coordinator).has(Role.COORDINATOR, organisation.pk):
        raise DomainError("Only a coordinator of this organisation can change roles.")


@transaction.atomic
def grant_role(
    *,
    coordinator: User,
    organisation: Organisation,
    email: str,
    role: str,
    trained_until: datetime.date | None,
) -> RoleGrant:
    """Give a member of the organisation a role; trained roles need a training date."""
    _coordinator_check(coordinator, organisation)
    if role not in {Role.SUPPORTER, Role.FACILITATOR, Role.ADVISOR, Role.COORDINATOR}:
        raise DomainError("Choose a role.", field="role")
    if role in TRAINED_ROLES:
        if trained_until is None:
            raise DomainError("Give the date their training runs until.", field="trained_until")
        if trained_until < timezone.localdate():
            raise DomainError(
                "That date has passed: their training must be current.", field="trained_until"
            )
    membership = (
        Membership.objects.filter(organisation=organisation, user__email=email.strip().lower())
        .select_related("user")
        .first()
    )
    if membership is None:
        raise DomainError(
            f"No member of {organisation.name} uses that contact email. Ask them to join first "
            "and to tell you the contact email on their account page.",
            field="email",
        )
    grant = RoleGrant.objects.filter(membership=membership, role=role, revoked_at=None).first()
    if grant is None:
        grant = RoleGrant(membership=membership, role=role)
    grant.trained_until = trained_until if role in TRAINED_ROLES else None
    grant.granted_by = coordinator
    grant.save()
    audit.record(
        actor=coordinator,
        subject=membership.user,
        action="granted role",
        target=f"{grant.get_role_display()} in {organisation.name}",
        role="coordinator",
    )
    return grant


@transaction.atomic
def revoke_role(*, coordinator: User, grant: RoleGrant) -> None:
    organisation = grant.membership.organisation
    _coordinator_check(coordinator, organisation)
    if grant.role == Role.COORDINATOR and grant.membership.user_id == coordinator.pk:
        raise DomainError("You cannot remove your own coordinator role.")
    grant.revoked_at = timezone.now()
    grant.save(update_fields=["revoked_at"])
    audit.record(
        actor=coordinator,
        subject=grant.membership.user,
        action="removed role",
        target=f"{grant.get_role_display()} in {organisation.name}",
        role="coordinator",
    )


def update_profile(*, user: User, display_name: str, real_name: str, country: str) -> User:
    display_name = " ".join(display_name.split())
    if User.objects.filter(display_name__iexact=display_name).exclude(pk=user.pk).exists():
        raise DomainError("Someone already uses that name. Try another.", field="display_name")
    if "@" in display_name:
        raise DomainError("A display name cannot contain an email address.", field="display_name")
    user.display_name = display_name
    user.real_name = real_name.strip()
    user.country = country
    user.save(update_fields=["display_name", "real_name", "country"])
    return user


def update_notification_settings(*, user: User, **values) -> NotificationSettings:
    prefs, _ = NotificationSettings.objects.get_or_create(user=user)
    for name, value in values.items():
        setattr(prefs, name, value)
    prefs.save()
    return prefs


def export_data(*, user: User) -> dict:
    """Everything Kindred holds about a person, as plain data (the "download my data" file)."""
    from kindred.accounts.selectors import reads_of_my_data

    prefs = NotificationSettings.objects.filter(user=user).first()
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "display_name": user.display_name,
            "contact_email": user.email,
            "real_name": user.real_name,
            "country": user.country,
            "joined": user.date_joined.isoformat(),
        },
        "memberships": [
            {
                "organisation": m.organisation.name,
                "joined": m.joined_at.isoformat(),
                "verified_by": m.get_verified_by_display(),
                "roles": [
                    {
                        "role": g.role,
                        "trained_until": g.trained_until.isoformat() if g.trained_until else None,
                        "granted": g.granted_at.isoformat(),
                        "revoked": g.revoked_at.isoformat() if g.revoked_at else None,
                    }
                    for g in m.grants.all()
                ],
            }
            for m in user.memberships.select_related("organisation").prefetch_related("grants")
        ],
        "notification_settings": {
            "email_messages": prefs.email_messages,
            "email_bookings": prefs.email_bookings,
            "email_events": prefs.email_events,
            "email_programme_news": prefs.email_programme_news,
            "frequency": prefs.frequency,
            "quiet_hours_start": str(prefs.quiet_hours_start or ""),
            "quiet_hours_end": str(prefs.quiet_hours_end or ""),
        }
        if prefs
        else None,
        "api_tokens": [
            {"name": t.name, "created": t.created_at.isoformat(), "revoked": bool(t.revoked_at)}
            for t in user.api_tokens.all()
        ],
        "who_has_seen_my_data": [
            {"when": e.at.isoformat(), "who": e.actor_label, "what": e.action, "of": e.target}
            for e in reads_of_my_data(user)
        ],
        # Each feature app adds what it holds: `export_personal_data(user)` on its AppConfig.
        **{
            config.label: config.export_personal_data(user)
            for config in apps.get_app_configs()
            if callable(getattr(config, "export_personal_data", None))
        },
    }


@transaction.atomic
def erase_account(*, user: User) -> None:
    """Delete the person and destroy their data key (encrypted backups become unreadable)."""
    from kindred.core.encryption import destroy_data_key

    destroy_data_key(owner_id=user.pk)
    user.delete()


def create_api_token(*, user: User, name: str, strong: bool = False) -> tuple[ApiToken, str]:
    """Make a personal token; the raw value is returned once and never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        strong=strong,
        name=name.strip() or "Personal token",
        prefix=raw[: len(TOKEN_PREFIX) + 6],
        digest=hashlib.sha256(raw.encode()).hexdigest(),
    )
    return token, raw


def revoke_api_token(*, user: User, token: ApiToken) -> None:
    if token.user_id != user.pk:
        raise DomainError("That token is not yours.")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])


def token_for(raw: str) -> ApiToken | None:
    """The live token with this value (its user is active), recording that it was used."""
    token = (
        ApiToken.objects.filter(
            digest=hashlib.sha256(raw.encode()).hexdigest(), revoked_at__isnull=True
        )
        .select_related("user")
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token
