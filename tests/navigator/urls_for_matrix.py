"""URLs of the navigator for tests/test_authorization_matrix.py: each makes what it needs."""

from django.urls import reverse

from kindred.navigator import services
from tests.navigator.factories import make_service


def school_service(world):
    return make_service(organisation=world.school, name="St Elsewhere counselling")


def service_detail(world):
    return reverse("service_detail", args=[school_service(world).pk])


def national_service_detail(world):
    return reverse("service_detail", args=[make_service(name="National line").pk])


def school_service_url(name: str):
    def url(world):
        return reverse(name, args=[world.school.slug, school_service(world).pk])

    return url


def school_url(name: str, *args):
    def url(world):
        return reverse(name, args=[world.school.slug, *args])

    return url


def restore_guide_version(world):
    services.save_guide_page(
        coordinator=world.cora,
        organisation=world.school,
        slug="listening",
        title="Listening",
        summary="",
        body="Ours.",
    )
    return reverse("restore_guide_version", args=[world.school.slug, "listening", 1])


def api_service(world):
    return reverse("api:get_service", args=[school_service(world).pk])
