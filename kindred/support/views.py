"""Peer support pages: ask, offers, conversations. Views parse, authorise, call, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from kindred.accounts.decorators import organisation_role_required
from kindred.accounts.models import Organisation, Role
from kindred.accounts.selectors import can_act_as, organisations_of, roles_of
from kindred.core import audit
from kindred.core.errors import DomainError
from kindred.core.suppression import suppressed
from kindred.safety.selectors import conversation_panel
from kindred.safety.selectors import signals_in as safety_signals_in
from kindred.support import selectors, services
from kindred.support.forms import (
    FeedbackForm,
    MessageForm,
    SessionLogForm,
    SupporterProfileForm,
    SupportRequestForm,
    SupportSettingsForm,
)
from kindred.support.models import Message, Offer, Referral, Report, SupporterProfile


@login_required
def support_home(request):
    user = request.user
    roles = roles_of(user)
    conversations = list(selectors.conversations_of(user))
    return render(
        request,
        "support/home.html",
        {
            "requests": [r for r in selectors.requests_of(user) if r.is_open],
            "member_conversations": [c for c in conversations if c.member_id == user.pk],
            "supporter_conversations": [c for c in conversations if c.supporter_id == user.pk],
            "supporter_orgs": roles.orgs_where(Role.SUPPORTER),
            "can_support": can_act_as(request, Role.SUPPORTER),
            "pending_offers": selectors.offers_for(user).filter(status=Offer.Status.PENDING).count()
            if roles.has(Role.SUPPORTER)
            else 0,
            "has_organisation": bool(roles.organisations),
        },
    )


@login_required
def ask_for_support(request):
    organisations = list(organisations_of(request.user))
    if not organisations:
        messages.info(request, "Join your organisation first, then you can ask for support.")
        return redirect("join_organisation")
    chosen = organisations[0]
    wanted = request.POST.get("organisation") or request.GET.get("organisation")
    if wanted:
        chosen = next((o for o in organisations if str(o.pk) == wanted), chosen)
    membership = request.user.memberships.get(organisation=chosen)
    form = SupportRequestForm(
        request.POST or None,
        people_met=selectors.people_met(request.user),
        initial={
            "year_group": membership.year_group,
            "placement_group": membership.placement_group,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            support_request = services.request_support(
                member=request.user,
                organisation=chosen,
                excluded_people=data.pop("excluded_people", None) or [],
                **data,
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            return redirect("support_request", pk=support_request.pk)
    return render(
        request,
        "support/ask.html",
        {"form": form, "organisations": organisations, "organisation": chosen},
    )


@login_required
def support_request(request, pk: int):
    found = selectors.request_of(request.user, pk)
    offer = found.offers.filter(status=Offer.Status.PENDING).first()
    conversation = getattr(found, "conversation", None) if found.status != "waiting" else None
    return render(
        request,
        "support/request.html",
        {"support_request": found, "offer": offer, "conversation": conversation},
    )


@login_required
@require_POST
def withdraw_request(request, pk: int):
    found = selectors.request_of(request.user, pk)
    try:
        services.withdraw_request(member=request.user, request=found)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Your request is withdrawn. Nobody will contact you about it.")
    return redirect("support_home")


@organisation_role_required(Role.SUPPORTER)
def supporter_profile(request, organisation):
    profile = SupporterProfile.objects.filter(user=request.user, organisation=organisation).first()
    initial = (
        {
            "status": profile.status,
            "topics": profile.topics,
            "languages": profile.languages,
            "stage": profile.stage,
            "identities": profile.identities,
            "gender": profile.gender,
            "capacity": profile.capacity,
            "available_today": profile.available_today,
        }
        if profile
        else {
            "status": "available",
            "capacity": 3,
            "languages": ["English"],
            "available_today": True,
        }
    )
    form = SupporterProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_supporter_profile(
                supporter=request.user, organisation=organisation, **form.cleaned_data
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Saved your supporter profile.")
            return redirect("support_home")
    return render(
        request,
        "support/profile.html",
        {"form": form, "organisation": organisation, "profile": profile},
    )


def _supporter_session(request) -> None:
    if not can_act_as(request, Role.SUPPORTER):
        raise PermissionDenied


def _my_conversation(request, pk: int):
    """A conversation the person is in; the supporter side needs a second factor in session."""
    found = selectors.conversation_of(request.user, pk)
    if found.supporter_id == request.user.pk:
        _supporter_session(request)
    return found


@login_required
def offers(request):
    if (
        not roles_of(request.user).has(Role.SUPPORTER)
        and not selectors.offers_for(request.user).exists()
    ):
        raise PermissionDenied
    _supporter_session(request)
    services.expire_overdue_offers()
    items = list(selectors.offers_for(request.user)[:50])
    pending = [o for o in items if o.status == Offer.Status.PENDING]
    audit.record_reads(
        actor=request.user,
        subjects=[o.request.member for o in pending],
        target="support request (as offered to them)",
        role="supporter",
    )
    return render(request, "support/offers.html", {"pending": pending, "past": items[:20]})


@login_required
@require_POST
def answer_offer(request, pk: int, answer: str):
    if answer not in {"accept", "decline"}:
        raise Http404("No such answer")
    _supporter_session(request)
    offer = selectors.offer_for(request.user, pk)
    try:
        if answer == "accept":
            conversation = services.accept_offer(supporter=request.user, offer=offer)
            messages.success(request, "Thank you. The member has been told you accepted.")
            return redirect("conversation", pk=conversation.pk)
        services.decline_offer(supporter=request.user, offer=offer)
        messages.info(request, "No problem. We have passed it to someone else.")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("offers")


@login_required
def conversation(request, pk: int):
    found = _my_conversation(request, pk)
    services.mark_read(reader=request.user, conversation=found)
    items = list(selectors.messages_in(found))
    other = found.supporter if found.member_id == request.user.pk else found.member
    audit.record_reads(
        actor=request.user,
        subjects=[other] if found.member_id != request.user.pk else [],
        target=f"conversation {found.pk}",
        role="supporter",
    )
    return render(
        request,
        "support/conversation.html",
        {
            "conversation": found,
            "items": items,
            "other": other,
            "is_member": found.member_id == request.user.pk,
            "form": MessageForm(),
            "last_id": items[-1].pk if items else 0,
            "limit": services.MESSAGE_LIMIT,
            "retention_days": selectors.support_settings_for(found.organisation_id).retention_days,
            **_referral_context(request, found),
            "safety_panel": conversation_panel(
                viewer=request.user, conversation=found, messages=items
            ),
        },
    )


def _referral_context(request, conversation) -> dict:
    from kindred.navigator.selectors import services_for_referral

    referrals = list(conversation.referrals.select_related("service", "service__organisation"))
    is_supporter = conversation.supporter_id == request.user.pk
    return {
        "referrals": referrals,
        "outcomes": Referral.Outcome.choices[1:],
        "referral_choices": services_for_referral(organisation=conversation.organisation)
        .order_by("name")
        .values("pk", "name")
        if is_supporter and conversation.is_open
        else [],
    }


@login_required
def conversation_messages(request, pk: int):
    """GET: messages after ?after=<id> (polling and catch-up). POST: send one."""
    found = _my_conversation(request, pk)
    if request.method == "POST":
        form = MessageForm(request.POST)
        if form.is_valid():
            try:
                services.send_message(
                    sender=request.user,
                    conversation=found,
                    body=form.cleaned_data["body"],
                    client_id=form.cleaned_data["client_id"],
                )
            except DomainError as error:
                form.add_domain_error(error)
        if not form.is_valid() or form.errors:
            status = 400
            if request.headers.get("HX-Request"):
                return render(
                    request,
                    "support/partials/message_form.html",
                    {"form": form, "conversation": found, "limit": services.MESSAGE_LIMIT},
                    status=status,
                )
            items = list(selectors.messages_in(found))
            return render(
                request,
                "support/conversation.html",
                {
                    "conversation": found,
                    "items": items,
                    "other": found.supporter
                    if found.member_id == request.user.pk
                    else found.member,
                    "is_member": found.member_id == request.user.pk,
                    "form": form,
                    "last_id": items[-1].pk if items else 0,
                    "limit": services.MESSAGE_LIMIT,
                },
                status=status,
            )
        if request.headers.get("HX-Request"):
            return HttpResponse(status=204)
        return redirect("conversation", pk=found.pk)
    try:
        after = int(request.GET.get("after", "0"))
    except ValueError:
        after = 0
    items = list(selectors.messages_in(found, after=after))
    if items:
        services.mark_read(reader=request.user, conversation=found)
    return render(
        request,
        "support/partials/message_list.html",
        {"items": items, "viewer": request.user, "conversation": found},
    )


@login_required
@require_POST
def close_conversation(request, pk: int):
    found = _my_conversation(request, pk)
    services.close_conversation(user=request.user, conversation=found)
    messages.success(request, "The conversation is closed. You can still read it.")
    if found.member_id == request.user.pk:
        return redirect("conversation_feedback", pk=found.pk)
    return redirect("conversation", pk=found.pk)


@login_required
@require_POST
def suggest_service(request, pk: int):
    found = _my_conversation(request, pk)
    if found.supporter_id != request.user.pk:
        raise Http404("No such conversation")
    try:
        referral = services.suggest_service(
            supporter=request.user, conversation=found, service_id=request.POST.get("service", 0)
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Suggested {referral.service.name}. The member sees it here.")
    return redirect("conversation", pk=found.pk)


@login_required
@require_POST
def referral_outcome(request, pk: int):
    referral = get_object_or_404(
        Referral.objects.select_related("conversation", "service"),
        pk=pk,
        conversation__member=request.user,
    )
    try:
        services.record_referral_outcome(
            member=request.user,
            referral=referral,
            outcome=request.POST.get("outcome", ""),
            share=request.POST.get("share") == "yes",
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            "Thank you. Your supporter can see your answer."
            if referral.share_outcome
            else "Thank you. Only you can see your answer.",
        )
    return redirect("conversation", pk=referral.conversation_id)


@login_required
@require_POST
def delete_conversation(request, pk: int):
    found = _my_conversation(request, pk)
    services.delete_conversation(member=request.user, conversation=found)
    messages.success(request, "The conversation and all its messages are deleted.")
    return redirect("support_home")


@login_required
@require_POST
def keep_conversation(request, pk: int):
    found = _my_conversation(request, pk)
    keep = request.POST.get("keep") == "yes"
    services.keep_conversation(member=request.user, conversation=found, keep=keep)
    messages.success(
        request,
        "We will keep this conversation until you delete it."
        if keep
        else "This conversation will be deleted 90 days after it closes.",
    )
    return redirect("conversation", pk=found.pk)


@login_required
@require_POST
def report_conversation(request, pk: int):
    found = _my_conversation(request, pk)
    message = None
    if request.POST.get("message"):
        message = get_object_or_404(Message, pk=request.POST["message"], conversation=found)
    services.report_conversation(reporter=request.user, conversation=found, message=message)
    if request.POST.get("block") == "yes":
        services.block_other_party(blocker=request.user, conversation=found)
    messages.success(
        request,
        "Thank you for telling us. The conversation is closed, and a coordinator has been told "
        "that a report was made.",
    )
    return redirect("support_home")


@login_required
@require_POST
def block(request, pk: int):
    found = _my_conversation(request, pk)
    services.block_other_party(blocker=request.user, conversation=found)
    messages.success(request, "Blocked. You will not be matched or put in touch again.")
    return redirect("support_home")


@login_required
def conversation_feedback(request, pk: int):
    found = _my_conversation(request, pk)
    if found.member_id != request.user.pk:
        raise Http404("No such conversation")
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.leave_feedback(member=request.user, conversation=found, **form.answers())
        except DomainError as error:
            messages.info(request, error.message)
        else:
            messages.success(request, "Thank you. Your answers are anonymous.")
        return redirect("support_home")
    return render(request, "support/feedback.html", {"form": form, "conversation": found})


@login_required
def session_log(request, pk: int):
    found = _my_conversation(request, pk)
    if found.supporter_id != request.user.pk:
        raise Http404("No such conversation")
    _supporter_session(request)
    logs = list(found.session_logs.filter(supporter=request.user))
    signals = list(safety_signals_in(found))
    # Kindred noticed risk since the last entry: tick "risk came up" for the supporter to confirm.
    since = logs[0].date if logs else None
    noticed = any(since is None or signal.week >= since for signal in signals)
    form = SessionLogForm(request.POST or None, initial={"risk_came_up": noticed})
    if request.method == "POST" and form.is_valid():
        try:
            services.write_session_log(
                supporter=request.user, conversation=found, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, "Saved to your private log.")
            return redirect("session_log", pk=found.pk)
    return render(
        request,
        "support/session_log.html",
        {"form": form, "conversation": found, "logs": logs, "signals": signals},
    )


@organisation_role_required(Role.COORDINATOR)
def queue(request, organisation):
    services.expire_overdue_offers()
    summary = selectors.queue_summary(organisation)
    return render(
        request,
        "support/queue.html",
        {
            "organisation": organisation,
            "summary": summary,
            "waiting": suppressed(summary.waiting),
            "offers_outstanding": suppressed(summary.offers_outstanding),
            "at_capacity": suppressed(summary.supporters_at_capacity),
            "supporters": suppressed(summary.supporters),
            "longest_wait": _duration(summary.longest_wait),
        },
    )


def _duration(delta) -> str:
    if delta is None:
        return "—"
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{hours // 24} days"


@require_POST
@organisation_role_required(Role.COORDINATOR)
def run_assignment(request, organisation):
    made = services.match_waiting_requests(organisation=organisation)
    messages.success(
        request,
        f"Matching ran: {made} new offer{'s' if made != 1 else ''} sent."
        if made
        else "Matching ran: no new offers could be made right now.",
    )
    return redirect("support_queue", slug=organisation.slug)


@organisation_role_required(Role.COORDINATOR)
def support_settings(request, organisation: Organisation):
    current = selectors.support_settings_for(organisation.pk)
    form = SupportSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        services.save_support_settings(
            coordinator=request.user, organisation=organisation, **form.cleaned_data
        )
        messages.success(request, "Saved. New offers and the retention clean-up use these now.")
        return redirect("support_settings", slug=organisation.slug)
    return render(
        request,
        "support/settings.html",
        {"organisation": organisation, "form": form},
        status=400 if form.errors else 200,
    )


@organisation_role_required(Role.COORDINATOR)
def reports(request, organisation: Organisation):
    items = list(
        Report.objects.filter(organisation=organisation)
        .select_related("about")
        .order_by("-at")[:100]
    )
    audit.record_reads(
        actor=request.user,
        subjects=[r.about for r in items if r.attached_text and r.about],
        target="a reported message you sent (without your name)",
        role="coordinator",
    )
    return render(request, "support/reports.html", {"organisation": organisation, "items": items})
