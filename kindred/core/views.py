"""Pages that belong to no feature: the confidence promise, health and errors."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache


def confidence(request):
    """How Kindred keeps your confidence: plain words, readable signed out."""
    return render(request, "core/confidence.html")


@never_cache
def healthz(request):
    """Checks the database, and Redis when configured; 503 when either is down."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - any failure means unhealthy
        checks["database"] = "unavailable"
    if settings.REDIS_URL:
        try:
            import redis

            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
            checks["redis"] = "ok"
        except Exception:  # noqa: BLE001
            checks["redis"] = "unavailable"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )


def _error(request, status: int, title: str, advice: str):
    return render(
        request,
        "core/error.html",
        {"status": status, "title": title, "advice": advice},
        status=status,
    )


def bad_request(request, exception=None):
    return _error(
        request,
        400,
        "We could not read that request",
        "Go back, check what you entered and try again.",
    )


def permission_denied(request, exception=None):
    return _error(
        request,
        403,
        "This page is not open to you",
        "You may need to sign in, or to use a role you hold. Your home page shows what you can do.",
    )


def page_not_found(request, exception=None):
    return _error(
        request,
        404,
        "We cannot find that page",
        "It may have moved or been closed. Start again from your home page.",
    )


def server_error(request):
    return _error(
        request,
        500,
        "Something went wrong on our side",
        "Nothing you sent was half-saved. Wait a moment and try again. If you need help now, "
        "use the crisis lines below.",
    )


def csrf_failure(request, reason=""):
    return _error(
        request,
        403,
        "This form had expired",
        "For your safety, forms stop working after a while or after you sign in or out. "
        "Go back, reload the page, and send it again.",
    )
