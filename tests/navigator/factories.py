"""Services for tests: one at a time (saved, so search sees it) or many at once."""

import datetime
import itertools

from django.utils import timezone

from kindred.navigator.models import Service

_numbers = itertools.count(1)


def service_values(**overrides) -> dict:
    n = next(_numbers)
    values = {
        "key": f"test-service-{n}",
        "name": f"Test service {n}",
        "run_by": "A charity",
        "organisation": None,
        "country": "GB",
        "summary": "Listens to students.",
        "topics": ["anxiety"],
        "audiences": ["students"],
        "cost": "free",
        "access_routes": ["self_referral"],
        "wait": "days",
        "opening_hours": [],
        "time_zone": "Europe/London",
        "formats": ["phone"],
        "helpers": "professionals",
        "phone": "0800 000 0000",
        "tells_school": "never",
        "tells_regulator": "never",
        "confidentiality_limits": "Confidential unless someone is at serious risk.",
        "records_kept": "Notes for six years.",
        "independent_of_school": True,
        "source_url": "https://example.org/service",
        "last_reviewed": timezone.localdate() - datetime.timedelta(days=30),
    }
    values.update(overrides)
    if values["organisation"] is not None and "country" not in overrides:
        values["country"] = values["organisation"].country
    return values


def make_service(**overrides) -> Service:
    service = Service(**service_values(**overrides))
    service.save()
    return service


def make_services(count: int, **overrides) -> list[Service]:
    """Many services in one insert (the SQLite search index follows by trigger)."""
    services = []
    for _ in range(count):
        service = Service(**service_values(**overrides))
        service.search_text = service.build_search_text()
        services.append(service)
    return Service.objects.bulk_create(services, batch_size=500)
