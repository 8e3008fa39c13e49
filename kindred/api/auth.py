"""API authentication: the browser session (with CSRF) or a personal Bearer token."""

from ninja.security import HttpBearer, SessionAuth

from kindred.accounts.selectors import session_passed_mfa
from kindred.accounts.services import token_for


class PersonalToken(HttpBearer):
    def authenticate(self, request, token):
        found = token_for(token)
        if found is None:
            return None
        request.user = found.user
        request.kindred_strong = found.strong
        return found.user


class Session(SessionAuth):
    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user:
            request.kindred_strong = session_passed_mfa(request)
        return user


def acts_strongly(request) -> bool:
    """May this API caller use privileged roles (second factor in session, or a strong token)?"""
    return bool(getattr(request, "kindred_strong", False))


API_AUTH = [PersonalToken(), Session()]
