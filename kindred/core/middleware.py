"""Privacy middleware: private pages are never cached."""

PUBLIC_CACHEABLE_PREFIXES = ("/static/", "/healthz")


class PrivateByDefaultMiddleware:
    """Every page may hold personal data unless it is a static asset: send no-store."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(PUBLIC_CACHEABLE_PREFIXES):
            response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response
