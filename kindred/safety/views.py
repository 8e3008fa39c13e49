"""Safety pages: the conversation panel, escalations, the advisor rota, supervision, plans."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from kindred.accounts.decorators import organisation_role_required
from kindred.accounts.models import Organisation, Role
from kindred.accounts.selectors import can_act_as, roles_of
from kindred.core import audit
from kindred.core.errors import DomainError
from kindred.safety import selectors, services
from kindred.safety.forms import (
    ActionForm,
    CloseForm,
    DutyShiftForm,
    EscalateForm,
    SafetyPlanForm,
)
from kindred.safety.models import DutyShift, Escalation, SafetyPlan

LIST_LIMIT = 50


# --- the panel in a conversation


def _conversation(request, pk: int):
    """A conversation this person is in; the supporter side needs a second factor."""
    from kindred.support.selectors import conversation_of

    found = conversation_of(request.user, pk)
    if found.supporter_id == request.user.pk and not can_act_as(
        request, Role.SUPPORTER, found.organisation_id
    ):
        raise PermissionDenied
    return found


@login_required
def conversation_panel(request, pk: int):
    """The panel alone, fetched again by safety.js when a new message arrives."""
    found = _conversation(request, pk)
    return render(
        request,
        "safety/partials/conversation_panel.html",
        {
            "conversation": found,
            "safety_panel": selectors.conversation_panel(viewer=request.user, conversation=found),
        },
    )


@login_required
@require_POST
def escalate(request, pk: int):
    found = _conversation(request, pk)
    if found.supporter_id != request.user.pk:
        raise Http404("No such conversation")
    panel = selectors.conversation_panel(viewer=request.user, conversation=found)
    form = EscalateForm(request.POST, choices=panel["choices"])
    if not form.is_valid():
        messages.error(request, "Choose only messages from the list. Nothing was sent.")
        return redirect("conversation", pk=found.pk)
    try:
        escalation = services.escalate_from_conversation(
            supporter=request.user,
            conversation=found,
            attached_message_ids=form.cleaned_data["messages"],
            note=form.cleaned_data["note"],
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("conversation", pk=found.pk)
    if escalation.status == Escalation.Status.CRISIS_ROUTE:
        messages.warning(
            request,
            "No safety advisor is on duty right now, and the coordinator has been told. "
            "Help the member reach a crisis line now: the lines are on the Need help now page.",
        )
    else:
        messages.success(
            request,
            "The advisor on duty has been paged. You will see here when they acknowledge. "
            "Stay with the member if you can.",
        )
    return redirect("conversation", pk=found.pk)


# --- escalations


def _escalation(request, pk: int, *, advisor_only: bool = False):
    """The escalation and how it is seen; a 403 response when the session lacks a factor."""
    found, seen_as = selectors.escalation_for(request.user, pk)
    if advisor_only and seen_as != "advisor":
        raise Http404("No such escalation")
    role = Role.ADVISOR if seen_as == "advisor" else Role.SUPPORTER
    if not can_act_as(request, role, found.organisation_id):
        denied = render(
            request,
            "accounts/mfa_needed.html",
            {"role": role, "organisation": found.organisation},
            status=403,
        )
        return found, seen_as, denied
    return found, seen_as, None


def _escalation_page(request, found, seen_as, *, action_form=None, close_form=None, status=200):
    if seen_as == "advisor" and found.member_id:
        audit.record_reads(
            actor=request.user,
            subjects=[found.member],
            target=f"safety escalation {found.pk} (what was shared with the advisor)",
            role="advisor",
        )
    return render(
        request,
        "safety/escalation.html",
        {
            "escalation": found,
            "seen_as": seen_as,
            "attached": selectors.attached_messages(found) if seen_as == "advisor" else [],
            "pages": list(found.pages.select_related("advisor")),
            "actions": list(found.actions.select_related("by")) if seen_as == "advisor" else [],
            "action_form": action_form or ActionForm(),
            "close_form": close_form or CloseForm(),
        },
        status=status,
    )


@login_required
def escalation(request, pk: int):
    found, seen_as, denied = _escalation(request, pk)
    return denied or _escalation_page(request, found, seen_as)


@login_required
@require_POST
def acknowledge(request, pk: int):
    found, _, denied = _escalation(request, pk, advisor_only=True)
    if denied:
        return denied
    try:
        services.acknowledge(advisor=request.user, escalation=found)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Acknowledged. Paging has stopped and the supporter is told.")
    return redirect("escalation", pk=found.pk)


@login_required
@require_POST
def record_action(request, pk: int):
    found, seen_as, denied = _escalation(request, pk, advisor_only=True)
    if denied:
        return denied
    form = ActionForm(request.POST)
    if form.is_valid():
        try:
            services.record_action(advisor=request.user, escalation=found, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Recorded.")
            return redirect("escalation", pk=found.pk)
    return _escalation_page(request, found, seen_as, action_form=form, status=400)


@login_required
@require_POST
def close_escalation(request, pk: int):
    found, seen_as, denied = _escalation(request, pk, advisor_only=True)
    if denied:
        return denied
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.close_escalation(
                advisor=request.user, escalation=found, outcome=form.cleaned_data["outcome"]
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Closed. The supporter has been told.")
            return redirect("advisor_escalations", slug=found.organisation.slug)
    return _escalation_page(request, found, seen_as, close_form=form, status=400)


@organisation_role_required(Role.ADVISOR)
def advisor_escalations(request, organisation: Organisation):
    found = selectors.escalations_for_advisor(organisation)
    return render(
        request,
        "safety/escalations.html",
        {
            "organisation": organisation,
            "open": list(found.exclude(status=Escalation.Status.CLOSED)[:LIST_LIMIT]),
            "closed": list(found.filter(status=Escalation.Status.CLOSED)[:20]),
            "on_duty": selectors.advisors_on_duty(organisation),
            "my_shifts": list(
                DutyShift.objects.filter(organisation=organisation, advisor=request.user)
            ),
        },
    )


@login_required
def about_me(request):
    """Escalations about this person, and what an escalation means."""
    return render(
        request,
        "safety/about_me.html",
        {"escalations": list(selectors.escalations_about(request.user)[:LIST_LIMIT])},
    )


# --- the rota


@organisation_role_required(Role.COORDINATOR)
def rota(request, organisation: Organisation):
    advisors = selectors.advisor_choices(organisation)
    form = DutyShiftForm(request.POST or None, advisors=advisors)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.add_duty_shifts(
                coordinator=request.user, organisation=organisation, **form.cleaned_data
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request,
                f"Added {len(made)} duty shift{'s' if len(made) != 1 else ''} for "
                f"{form.cleaned_data['advisor'].display_name}.",
            )
            return redirect("safety_rota", slug=organisation.slug)
    return render(
        request,
        "safety/rota.html",
        {
            "organisation": organisation,
            "form": form,
            "shifts": list(selectors.rota_of(organisation)[:200]),
            "gaps": selectors.rota_gaps(organisation),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@organisation_role_required(Role.COORDINATOR)
def remove_duty_shift(request, organisation: Organisation, shift_id: int):
    shift = get_object_or_404(DutyShift, pk=shift_id, organisation=organisation)
    services.remove_duty_shift(coordinator=request.user, shift=shift)
    messages.success(request, "Removed the duty shift.")
    return redirect("safety_rota", slug=organisation.slug)


# --- supervision


def coordinator_or_advisor(view):
    """Like organisation_role_required, for a page both coordinators and advisors may see."""

    @login_required
    @wraps(view)
    def wrapped(request, slug, *args, **kwargs):
        organisation = get_object_or_404(Organisation, slug=slug)
        roles = roles_of(request.user)
        if not roles.has(Role.MEMBER, organisation.pk):
            raise Http404("No such organisation")
        held = [r for r in (Role.COORDINATOR, Role.ADVISOR) if roles.has(r, organisation.pk)]
        if not held:
            return render(
                request,
                "accounts/role_needed.html",
                {"role": "coordinator or advisor", "organisation": organisation},
                status=403,
            )
        if not any(can_act_as(request, r, organisation.pk) for r in held):
            return render(
                request,
                "accounts/mfa_needed.html",
                {"role": held[0], "organisation": organisation},
                status=403,
            )
        return view(request, organisation, *args, **kwargs)

    return wrapped


@coordinator_or_advisor
def supervision(request, organisation: Organisation):
    weeks, totals = selectors.weekly_counts(organisation)
    return render(
        request,
        "safety/supervision.html",
        {"organisation": organisation, "weeks": weeks, "totals": totals},
    )


# --- safety plans


@login_required
def safety_plan(request):
    return render(request, "safety/plan.html", {"plan": selectors.safety_plan_of(request.user)})


@login_required
def edit_safety_plan(request):
    plan = selectors.safety_plan_of(request.user)
    initial = {name: getattr(plan, name) for name in SafetyPlan.SECTIONS} if plan else {}
    form = SafetyPlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_safety_plan(user=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Saved. Only you can see your safety plan.")
            return redirect("safety_plan")
    return render(
        request,
        "safety/plan_edit.html",
        {"form": form, "plan": plan},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def delete_safety_plan(request):
    services.delete_safety_plan(user=request.user)
    messages.success(request, "Your safety plan is deleted. You can write a new one at any time.")
    return redirect("safety_plan")
