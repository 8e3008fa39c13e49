"""GET /api/v1/services and /api/v1/services/{id}: the directory, signed in or not."""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from ninja import Query, Router, Schema

from kindred.api.auth import API_AUTH
from kindred.navigator import selectors
from kindred.navigator.forms import read_directory_filters

MAX_LIMIT = 100


def anyone(request):
    """The directory is public: with no token or session, answer as a signed-out visitor."""
    request.user = AnonymousUser()
    return request.user


router = Router(tags=["services"], auth=[*API_AUTH, anyone])


class TransparencyOut(Schema):
    tells_school: str
    tells_regulator: str
    confidentiality_limits: str
    records_kept: str
    independent_of_school: bool


class ServiceOut(Schema):
    id: int
    name: str
    run_by: str
    scope: str
    organisation: str | None
    country: str
    summary: str
    description: str
    topics: list[str]
    audiences: list[str]
    cost: str
    cost_note: str
    access_routes: list[str]
    wait: str
    wait_note: str
    opening_hours: str
    time_zone: str
    hours_note: str
    open_now: bool
    formats: list[str]
    helpers: str
    phone: str
    tel: str
    text_instruction: str
    sms: str
    website: str
    email: str
    languages: list[str]
    transparency: TransparencyOut
    is_crisis_line: bool
    source_url: str
    last_reviewed: datetime.date
    review_due: bool


class ServiceListOut(Schema):
    count: int
    country: str
    notices: list[str]
    items: list[ServiceOut]


def _out(service) -> dict:
    return {
        **{
            name: getattr(service, name)
            for name in [
                "id",
                "name",
                "run_by",
                "country",
                "summary",
                "description",
                "topics",
                "audiences",
                "cost",
                "cost_note",
                "access_routes",
                "wait",
                "wait_note",
                "time_zone",
                "hours_note",
                "formats",
                "helpers",
                "phone",
                "text_instruction",
                "website",
                "email",
                "languages",
                "is_crisis_line",
                "source_url",
                "last_reviewed",
            ]
        },
        "scope": "national" if service.is_national else "organisation",
        "organisation": None if service.is_national else service.organisation.name,
        "opening_hours": service.hours_text,
        "open_now": service.is_open_now,
        "tel": service.tel if service.phone else "",
        "sms": service.sms if service.text_number else "",
        "transparency": {
            "tells_school": service.tells_school,
            "tells_regulator": service.tells_regulator,
            "confidentiality_limits": service.confidentiality_limits,
            "records_kept": service.records_kept,
            "independent_of_school": service.independent_of_school,
        },
        "review_due": service.review_due(),
    }


class ListParams(Schema):
    q: str = ""
    topic: list[str] = []
    cost: list[str] = []
    format: list[str] = []
    confidential: str = ""
    open_now: str = ""
    country: str = ""
    limit: int = 50
    offset: int = 0


@router.get("/services", response=ServiceListOut, summary="Services in the directory")
def list_services(request, params: Query[ListParams]):
    """The same search and filters as the directory page. Unknown filter values are ignored
    and named in `notices`. Signed out, only national services are listed."""
    raw = params.dict()
    filters, notices = read_directory_filters(raw)
    wanted = params.country
    if wanted and wanted.upper() not in selectors.COUNTRY_NAMES:
        notices.append(f"We do not list services for “{wanted[:20]}” yet, so we show the UK.")
    country = selectors.country_for(request.user, wanted)
    found = selectors.directory(user=request.user, country=country, filters=filters)
    limit = min(max(params.limit, 1), MAX_LIMIT)
    offset = max(params.offset, 0)
    count = found.count()
    page = found[offset : offset + limit]
    return {
        "count": count,
        "country": country,
        "notices": notices,
        "items": [_out(service) for service in page],
    }


@router.get("/services/{service_id}", response=ServiceOut, summary="One service")
def get_service(request, service_id: int):
    service = selectors.service_for(user=request.user, pk=service_id)
    if service is None:
        raise Http404("No such service")
    return _out(service)
