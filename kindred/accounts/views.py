"""Home pages, the account page, joining an organisation and managing roles."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from kindred.accounts import selectors, services
from kindred.accounts.decorators import organisation_role_required
from kindred.accounts.forms import (
    ApiTokenForm,
    DeleteAccountForm,
    GrantRoleForm,
    JoinConfirmForm,
    JoinStartForm,
    NotificationSettingsForm,
    ProfileForm,
)
from kindred.accounts.models import (
    PRIVILEGED_ROLES,
    ApiToken,
    NotificationSettings,
    Organisation,
    Role,
    RoleGrant,
)
from kindred.core import audit
from kindred.core.errors import DomainError
from kindred.core.suppression import suppressed

PENDING_JOIN_KEY = "kindred_pending_join"
DEMO_SALT = "kindred.demo-sign-in"


def home(request):
    """One home page that shows each role its own section."""
    if not request.user.is_authenticated:
        return render(request, "accounts/home_public.html")
    roles = selectors.roles_of(request.user)
    mfa_passed = selectors.session_passed_mfa(request)
    sections = []
    for org_id, org in roles.organisations.items():
        current = roles.current.get(org_id, set())
        lapsed = roles.lapsed.get(org_id, set()) - current
        sections.append(
            {
                "organisation": org,
                "roles": sorted(current - {Role.MEMBER}),
                "lapsed": sorted(lapsed),
                "member_count": suppressed(selectors.member_count(org))
                if Role.COORDINATOR in current and mfa_passed
                else None,
            }
        )
    privileged = roles.all_current() & PRIVILEGED_ROLES
    return render(
        request,
        "accounts/home.html",
        {
            "sections": sections,
            "privileged": sorted(privileged),
            "mfa_passed": mfa_passed,
            "has_mfa": selectors.user_has_mfa(request.user) if privileged else False,
        },
    )


@login_required
def account(request):
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                services.update_profile(user=user, **form.cleaned_data)
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(
                    request, f"Saved. Other people now see you as {user.display_name}."
                )
                return redirect("account")
    else:
        form = ProfileForm(
            initial={
                "display_name": user.display_name,
                "real_name": user.real_name,
                "country": user.country,
            }
        )
    return render(
        request,
        "accounts/account.html",
        {
            "form": form,
            "memberships": user.memberships.select_related("organisation"),
            "tokens": user.api_tokens.filter(revoked_at__isnull=True),
            "token_form": ApiTokenForm(),
            "delete_form": DeleteAccountForm(),
            "new_token": request.session.pop("kindred_new_token", None),
        },
    )


@login_required
def download_my_data(request):
    data = services.export_data(user=request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="kindred-my-data-{stamp}.json"'
    return response


@login_required
def delete_account(request):
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.erase_account(user=user)
        messages.success(request, "Your account and everything in it has been deleted.")
        return redirect("home")
    return render(request, "accounts/delete_account.html", {"form": form})


@login_required
def who_has_seen_my_data(request):
    entries = selectors.reads_of_my_data(request.user).select_related(None)[:200]
    return render(request, "accounts/who_has_seen.html", {"entries": entries})


@login_required
def notification_settings(request):
    prefs, _ = NotificationSettings.objects.get_or_create(user=request.user)
    form = NotificationSettingsForm(request.POST or None, instance=prefs)
    if request.method == "POST" and form.is_valid():
        services.update_notification_settings(user=request.user, **form.cleaned_data)
        messages.success(request, "Saved your email settings.")
        return redirect("notification_settings")
    return render(request, "accounts/notifications.html", {"form": form})


@login_required
def join_organisation(request):
    form = JoinStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pending = services.start_joining(
                user=request.user,
                organisation=form.cleaned_data["organisation"],
                address=form.cleaned_data["address"],
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            request.session[PENDING_JOIN_KEY] = pending.as_session()
            messages.info(request, "We emailed you a 6-digit code. It works for 15 minutes.")
            return redirect("join_organisation_confirm")
    return render(request, "accounts/join.html", {"form": form})


@login_required
def join_organisation_confirm(request):
    stored = request.session.get(PENDING_JOIN_KEY)
    if not stored:
        messages.info(request, "Start by choosing your organisation.")
        return redirect("join_organisation")
    pending = services.PendingJoin(**stored)
    organisation = get_object_or_404(Organisation, pk=pending.organisation_id)
    form = JoinConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_joining(
                user=request.user, pending=pending, code=form.cleaned_data["code"]
            )
        except DomainError as error:
            request.session[PENDING_JOIN_KEY] = pending.as_session()
            form.add_domain_error(error)
        else:
            del request.session[PENDING_JOIN_KEY]
            messages.success(
                request,
                f"You are now a member of {organisation.name}. We did not keep the address, "
                f"and {organisation.name} was not told who you are.",
            )
            return redirect("home")
    return render(
        request, "accounts/join_confirm.html", {"form": form, "organisation": organisation}
    )


@login_required
@require_POST
def create_token(request):
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        _, raw = services.create_api_token(
            user=request.user,
            name=form.cleaned_data["name"],
            strong=selectors.session_passed_mfa(request),
        )
        request.session["kindred_new_token"] = raw
        messages.success(request, "Token created. Copy it now: we show it only once.")
    else:
        messages.error(request, "Give the token a name of up to 80 characters.")
    return redirect("account")


@login_required
@require_POST
def revoke_token(request, token_id: int):
    token = ApiToken.objects.filter(pk=token_id).first()
    if not request.user.has_perm("accounts.revoke_token", token):
        raise Http404("No such token")
    services.revoke_api_token(user=request.user, token=token)
    messages.success(request, f"Revoked “{token.name}”. It no longer works.")
    return redirect("account")


@login_required
def coordinate(request):
    """Send a coordinator to the people page of their (first) organisation."""
    orgs = selectors.roles_of(request.user).orgs_where(Role.COORDINATOR)
    if not orgs:
        return render(
            request,
            "accounts/role_needed.html",
            {"role": Role.COORDINATOR, "organisation": None},
            status=403,
        )
    return redirect("people_and_roles_for", slug=orgs[0].slug)


@organisation_role_required(Role.COORDINATOR)
def people_and_roles(request, organisation):
    form = GrantRoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.grant_role(
                coordinator=request.user, organisation=organisation, **form.cleaned_data
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request,
                f"{grant.membership.user.display_name} is now a {grant.get_role_display().lower()}"
                f" in {organisation.name}.",
            )
            return redirect("people_and_roles_for", slug=organisation.slug)
    grants = list(selectors.role_holders(organisation))
    audit.record_reads(
        actor=request.user,
        subjects=[g.membership.user for g in grants],
        target=f"role record in {organisation.name}",
        role="coordinator",
    )
    today = timezone.localdate()
    return render(
        request,
        "accounts/people_and_roles.html",
        {
            "organisation": organisation,
            "rows": [(g, g.is_current(today)) for g in grants],
            "form": form,
            "member_count": suppressed(selectors.member_count(organisation)),
            "partners": Organisation.objects.filter(pk__in=selectors.partner_ids(organisation)),
        },
    )


@require_POST
@organisation_role_required(Role.COORDINATOR)
def revoke_role(request, organisation, grant_id: int):
    grant = get_object_or_404(
        RoleGrant.objects.select_related("membership__user", "membership__organisation"),
        pk=grant_id,
        membership__organisation=organisation,
        revoked_at__isnull=True,
    )
    try:
        services.revoke_role(coordinator=request.user, grant=grant)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"{grant.membership.user.display_name} no longer holds the "
            f"{grant.get_role_display().lower()} role.",
        )
    return redirect("people_and_roles_for", slug=organisation.slug)


def demo_sign_in_token(email: str) -> str:
    return signing.dumps(email, salt=DEMO_SALT)


def demo_sign_in(request, token: str):
    """Development only: a one-step sign-in link for a demo account (counts as a second factor)."""
    from allauth.account.internal.flows.login import record_authentication

    if not settings.KINDRED_DEMO_SIGN_IN:
        raise Http404("Demo sign-in is off")
    try:
        email = signing.loads(token, salt=DEMO_SALT)
    except signing.BadSignature:
        raise Http404("Unknown demo link") from None
    user = get_user_model().objects.filter(email=email, is_active=True).first()
    if user is None:
        raise Http404("Unknown demo account")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    record_authentication(request, user, "demo")
    messages.info(request, f"Signed in as the demo account {user.display_name}.")
    return redirect("home")
