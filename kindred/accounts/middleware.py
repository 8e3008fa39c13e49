"""Sessions of people who hold privileged roles end after 30 idle minutes."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect

from kindred.accounts.selectors import holds_privileged_role

LAST_SEEN_KEY = "kindred_last_seen"
# Write the timestamp at most once a minute so most requests do not save the session.
TOUCH_EVERY_SECONDS = 60


class PrivilegedIdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(LAST_SEEN_KEY)
            idle_limit = settings.KINDRED_PRIVILEGED_IDLE_SECONDS
            if last_seen and now - last_seen > idle_limit and holds_privileged_role(user):
                logout(request)
                messages.info(
                    request, "You were signed out after 30 minutes without activity. Sign in again."
                )
                return redirect(settings.LOGIN_URL)
            if not last_seen or now - last_seen > TOUCH_EVERY_SECONDS:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)
