"""Named personas: alice and bob are members of St Elsewhere; sam supports, fay facilitates,
ada advises, cora coordinates; olga belongs to another organisation (Northgate)."""

import os
import time
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client

from kindred.core.encryption import forget_cached_keys
from tests.factories import (
    DomainFactory,
    MembershipFactory,
    OrganisationFactory,
    RoleGrantFactory,
    UserFactory,
)


def pytest_configure(config):
    """Each xdist worker gets its own Redis database, so one worker's cache.clear()
    (a FLUSHDB) cannot wipe another's rate counters mid-test."""
    from django.conf import settings

    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    location = settings.CACHES["default"].get("LOCATION", "")
    if worker.startswith("gw") and str(location).startswith("redis://"):
        base = location.rsplit("/", 1)[0] if location.count("/") > 2 else location
        settings.CACHES["default"]["LOCATION"] = f"{base}/{1 + int(worker[2:]) % 15}"


@pytest.fixture(autouse=True)
def _fresh_key_cache():
    # Rolled-back tests reuse ids: remembered data keys and rate counters must not leak.
    forget_cached_keys()
    cache.clear()
    yield
    forget_cached_keys()


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.ACCOUNT_RATE_LIMITS = False
    settings.KINDRED_QUICK_EXIT_URL = "https://www.bbc.co.uk/weather"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def sign_in(client: Client, user, *, mfa: bool = True) -> Client:
    """Sign in as `user`; with mfa=True the session counts as having passed a second factor."""
    client.force_login(user)
    if mfa:
        session = client.session
        session["account_authentication_methods"] = [
            {"method": "mfa", "type": "totp", "at": time.time()}
        ]
        session["account_authentication_methods_user"] = str(user.pk)
        session.save()
    return client


@dataclass
class World:
    school: object
    other_school: object
    alice: object
    bob: object
    sam: object
    fay: object
    ada: object
    cora: object
    olga: object
    oscar: object  # coordinator of the other organisation


def _person(name, org, role=None):
    user = UserFactory(email=f"{name}@example.org", display_name=name.title())
    membership = MembershipFactory(user=user, organisation=org)
    if role == "coordinator":
        RoleGrantFactory(membership=membership, role=role, trained_until=None)
    elif role:
        RoleGrantFactory(membership=membership, role=role)
    return user


@pytest.fixture
def world(db) -> World:
    school = OrganisationFactory(name="St Elsewhere Medical School", slug="st-elsewhere")
    DomainFactory(organisation=school, domain="st-elsewhere.ac.uk")
    other = OrganisationFactory(name="Northgate Medical School", slug="northgate")
    DomainFactory(organisation=other, domain="northgate.ac.uk")
    return World(
        school=school,
        other_school=other,
        alice=_person("alice", school),
        bob=_person("bob", school),
        sam=_person("sam", school, "supporter"),
        fay=_person("fay", school, "facilitator"),
        ada=_person("ada", school, "advisor"),
        cora=_person("cora", school, "coordinator"),
        olga=_person("olga", other),
        oscar=_person("oscar", other, "coordinator"),
    )
