"""Factories for tests: people, organisations, memberships and role grants."""

import datetime

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from kindred.accounts.models import (
    Membership,
    Organisation,
    OrganisationDomain,
    RoleGrant,
    User,
)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Medical School {n}")
    slug = factory.Sequence(lambda n: f"school-{n}")
    kind = Organisation.Kind.MEDICAL_SCHOOL
    country = "GB"
    time_zone = "Europe/London"


class DomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationDomain

    organisation = factory.SubFactory(OrganisationFactory)
    domain = factory.Sequence(lambda n: f"school{n}.ac.uk")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    country = "GB"

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    verified_by = Membership.Verification.DEMO


class RoleGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleGrant

    membership = factory.SubFactory(MembershipFactory)
    role = "supporter"
    trained_until = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=180)
    )


def make_profile(user, organisation, **fields):
    from kindred.support.models import SupporterProfile

    defaults = {"topics": ["exams", "placements", "stress"], "languages": ["English"]}
    defaults.update(fields)
    profile, _ = SupporterProfile.objects.update_or_create(
        user=user, organisation=organisation, defaults=defaults
    )
    return profile


def make_conversation(member, supporter, organisation, **fields):
    """An accepted request with an open conversation between these two people."""
    from kindred.support.models import Conversation, SupportRequest

    request = SupportRequest.objects.create(
        member=member, organisation=organisation, status="matched", topics=["exams"]
    )
    return Conversation.objects.create(
        request=request, organisation=organisation, member=member, supporter=supporter, **fields
    )
