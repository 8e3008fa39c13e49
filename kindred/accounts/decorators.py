"""View guards: another organisation's things answer 404, so nothing about them leaks."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from kindred.accounts.models import Organisation
from kindred.accounts.selectors import can_act_as


def organisation_role_required(role: str):
    """The view gets `organisation` from the URL's slug; the person must act in `role` there."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, slug, *args, **kwargs):
            organisation = get_object_or_404(Organisation, slug=slug)
            if not request.user.has_perm("accounts.act_as_member", organisation):
                raise Http404("No such organisation")
            if not request.user.has_perm(f"accounts.act_as_{role}", organisation):
                return render(
                    request,
                    "accounts/role_needed.html",
                    {"role": role, "organisation": organisation},
                    status=403,
                )
            if not can_act_as(request, role, organisation.pk):
                return render(
                    request,
                    "accounts/mfa_needed.html",
                    {"role": role, "organisation": organisation},
                    status=403,
                )
            return view(request, organisation, *args, **kwargs)

        return wrapped

    return decorator
