"""Reads about people, organisations and roles."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from kindred.accounts.models import (
    PRIVILEGED_ROLES,
    Membership,
    Organisation,
    OrganisationDomain,
    Role,
    RoleGrant,
    User,
)
from kindred.core.models import AuditEntry

_CACHE_ATTR = "_kindred_roles"


@dataclass
class RoleSet:
    """The roles one person holds, per organisation, split into current and lapsed."""

    current: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    lapsed: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    organisations: dict[int, Organisation] = field(default_factory=dict)

    def has(self, role: str, organisation_id: int | None = None) -> bool:
        if organisation_id is None:
            return any(role in roles for roles in self.current.values())
        return role in self.current.get(organisation_id, set())

    def all_current(self) -> set[str]:
        return set().union(*self.current.values()) if self.current else set()

    def orgs_where(self, role: str) -> list[Organisation]:
        return [self.organisations[o] for o, roles in self.current.items() if role in roles]


def forget_roles(user: User) -> None:
    """Drop the roles memoised on this user object (a websocket keeps one for hours)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def roles_of(user: User, *, today: datetime.date | None = None) -> RoleSet:
    """All roles a person holds (memoised on the user object for the request)."""
    if not getattr(user, "is_authenticated", False):
        return RoleSet()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None and today is None:
        return cached
    today = today or timezone.localdate()
    result = RoleSet()
    memberships = Membership.objects.filter(user=user).select_related("organisation")
    grants = RoleGrant.objects.filter(membership__user=user, revoked_at__isnull=True)
    for membership in memberships:
        result.organisations[membership.organisation_id] = membership.organisation
        result.current[membership.organisation_id].add(Role.MEMBER)
    for grant in grants.select_related("membership"):
        org_id = grant.membership.organisation_id
        bucket = result.current if grant.is_current(today) else result.lapsed
        bucket[org_id].add(grant.role)
    setattr(user, _CACHE_ATTR, result)
    return result


def holds_privileged_role(user: User) -> bool:
    """True when the person holds any role beyond member, current or lapsed."""
    roles = roles_of(user)
    held = roles.all_current() | {role for lapsed in roles.lapsed.values() for role in lapsed}
    return bool(held & PRIVILEGED_ROLES)


def session_passed_mfa(request) -> bool:
    """Did this session sign in with a second factor (or a development-only demo link)?"""
    from allauth.account.internal.flows.login import get_authentication_records

    methods = {r.get("method") for r in get_authentication_records(request, request.user)}
    if "mfa" in methods:
        return True
    return settings.KINDRED_DEMO_SIGN_IN and "demo" in methods


def user_has_mfa(user: User) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


def can_act_as(request, role: str, organisation_id: int | None = None) -> bool:
    """A role may act only while current; privileged roles also need a second factor."""
    if not roles_of(request.user).has(role, organisation_id):
        return False
    if role in PRIVILEGED_ROLES:
        return session_passed_mfa(request)
    return True


def organisations_of(user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(memberships__user=user).order_by("name")


def partner_ids(organisation: Organisation) -> set[int]:
    return partners_of_all({organisation.pk})


def partners_of_all(organisation_ids: set[int]) -> set[int]:
    """Every partner of any of these organisations (in one query), the organisations excluded."""
    if not organisation_ids:
        return set()
    pairs = Organisation.partners.through.objects.filter(
        Q(from_organisation_id__in=organisation_ids) | Q(to_organisation_id__in=organisation_ids)
    ).values_list("from_organisation_id", "to_organisation_id")
    return {o for pair in pairs for o in pair} - set(organisation_ids)


def organisation_for_domain(domain: str) -> Organisation | None:
    row = (
        OrganisationDomain.objects.filter(domain=domain.strip().lower())
        .select_related("organisation")
        .first()
    )
    return row.organisation if row else None


def role_holders(organisation: Organisation) -> QuerySet[RoleGrant]:
    """Everyone holding a role beyond member in the organisation (for its coordinators)."""
    return (
        RoleGrant.objects.filter(membership__organisation=organisation, revoked_at__isnull=True)
        .select_related("membership__user", "granted_by")
        .order_by("role", "membership__user__display_name")
    )


def member_count(organisation: Organisation) -> int:
    return Membership.objects.filter(organisation=organisation).count()


def reads_of_my_data(user: User) -> QuerySet[AuditEntry]:
    """Audit entries where someone else touched this person's data."""
    return AuditEntry.objects.filter(subject=user).exclude(actor=user).order_by("-at", "-id")
