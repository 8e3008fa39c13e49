"""What every page needs: the person's roles for navigation and their crisis-line country."""

from django.conf import settings

from kindred.accounts.selectors import roles_of


def kindred(request) -> dict:
    user = getattr(request, "user", None)
    roles = roles_of(user) if user is not None else None
    current = roles.all_current() if roles else set()
    country = getattr(user, "country", "") if user and user.is_authenticated else ""
    return {
        "my_roles": current,
        "crisis_country": country,
        "quick_exit_url": settings.KINDRED_QUICK_EXIT_URL,
    }
