"""Live Q&A pages. Views parse, authorise, call a service, render."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from kindred.core.errors import DomainError
from kindred.navigator.selectors import country_for, crisis_lines_for
from kindred.qanda import selectors, services
from kindred.qanda.forms import QuestionForm
from kindred.safety.models import SafetyPlan

HELD_SESSION_KEY = "qanda_held"


def _is_htmx(request) -> bool:
    return bool(request.headers.get("HX-Request"))


def _refusal(request, event, access, *, organisers_only: bool = False):
    """None when the person may do this (be in the room, or organise it); otherwise the 403
    page to show."""
    if access.organiser if organisers_only else access.allowed:
        return None
    if access.organiser_needs_second_factor:
        return render(
            request,
            "accounts/mfa_needed.html",
            {"role": "coordinator", "organisation": event.host},
            status=403,
        )
    return render(
        request,
        "qanda/not_attending.html",
        {"event": event, "organisers_only": organisers_only},
        status=403,
    )


def _in_room(request, pk: int):
    event = selectors.event_for(request.user, pk)
    access = selectors.access_to(request, event)
    return event, access, _refusal(request, event, access)


def _page_url(event_id: int, anchor: str = "questions") -> str:
    return f"{reverse('questions', args=[event_id])}#{anchor}"


def _list_response(request, event, access, status_text: str = "", status: int = 200):
    room = selectors.room(event, viewer=request.user, moderator=access.moderator)
    return render(
        request,
        "qanda/partials/list_response.html",
        {"room": room, "event": event, "status_text": status_text},
        status=status,
    )


def _held_help(user) -> dict:
    _, lines = crisis_lines_for(country_for(user))
    return {"lines": lines[:3], "has_plan": SafetyPlan.objects.filter(user=user).exists()}


@login_required
def questions(request, pk: int):
    event, access, refusal = _in_room(request, pk)
    if refusal:
        return refusal
    return _page(request, event, access, QuestionForm())


def _page(request, event, access, form, status: int = 200):
    held = request.session.pop(HELD_SESSION_KEY, None) == event.pk
    return render(
        request,
        "qanda/questions.html",
        {
            "event": event,
            "access": access,
            "room": selectors.room(event, viewer=request.user, moderator=access.moderator),
            "form": form,
            "held": _held_help(request.user) if held else None,
        },
        status=status,
    )


@login_required
def question_list(request, pk: int):
    """The list alone, for polling when the websocket is down."""
    event, access, refusal = _in_room(request, pk)
    if refusal:
        return refusal
    room = selectors.room(event, viewer=request.user, moderator=access.moderator)
    return render(request, "qanda/partials/list.html", {"room": room, "event": event})


@login_required
@require_POST
def ask_question(request, pk: int):
    event, access, refusal = _in_room(request, pk)
    if refusal:
        return refusal
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            question, assessment = services.ask_question(
                asker=request.user,
                event=event,
                text=form.cleaned_data["text"],
                show_name=form.cleaned_data["show_name"],
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            if question.status == question.Status.HELD:
                # In place of "posted": the question stays out of the room and the asker is
                # offered help, gently, on the next page.
                request.session[HELD_SESSION_KEY] = event.pk
                return redirect(_page_url(event.pk, "held"))
            messages.success(
                request,
                "Posted. The room sees your question with your display name."
                if question.show_name
                else "Posted. The room sees your question without your name.",
            )
            return redirect(_page_url(event.pk, f"question-{question.pk}"))
    return _page(request, event, access, form, status=400)


def _question(request, pk: int):
    question = selectors.question_for(request.user, pk)
    access = selectors.access_to(request, question.event)
    return question, access, _refusal(request, question.event, access)


def _after(request, question, access, done: str, error: DomainError | None):
    """htmx: the refreshed list with a status line; otherwise back to the page."""
    if _is_htmx(request):
        return _list_response(
            request,
            question.event,
            access,
            error.message if error else done,
            status=400 if error else 200,
        )
    if error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect(_page_url(question.event_id))


@login_required
@require_POST
def vote_question(request, pk: int):
    question, access, refusal = _question(request, pk)
    if refusal:
        return refusal
    on = request.POST.get("vote", "yes") != "no"
    try:
        services.vote(voter=request.user, question=question, on=on)
    except DomainError as error:
        return _after(request, question, access, "", error)
    return _after(request, question, access, "Vote added." if on else "Vote taken back.", None)


@login_required
@require_POST
def report_question(request, pk: int):
    question, access, refusal = _question(request, pk)
    if refusal:
        return refusal
    services.report_question(reporter=request.user, question=question)
    return _after(
        request,
        question,
        access,
        "Thank you. The moderators will look at it. Nobody is told who reported it.",
        None,
    )


MODERATION = {
    "hide": (services.hide_question, {"hidden": True}, "Hidden from the room."),
    "show": (services.hide_question, {"hidden": False}, "Shown to the room again."),
    "pin": (services.pin_question, {"pinned": True}, "Pinned to the top."),
    "unpin": (services.pin_question, {"pinned": False}, "Unpinned."),
    "answered": (services.mark_answered, {"answered": True}, "Marked answered."),
    "unanswered": (services.mark_answered, {"answered": False}, "Moved back to the questions."),
}


def _moderator_refusal(request, question, access):
    refusal = _refusal(request, question.event, access)
    if refusal:
        return refusal
    if not access.moderator:
        if access.organiser_needs_second_factor:
            return render(
                request,
                "accounts/mfa_needed.html",
                {"role": "coordinator", "organisation": question.event.host},
                status=403,
            )
        return render(
            request,
            "qanda/not_attending.html",
            {"event": question.event, "moderators_only": True},
            status=403,
        )
    return None


@login_required
@require_POST
def moderate_question(request, pk: int):
    question, access, _ = _question(request, pk)
    refusal = _moderator_refusal(request, question, access)
    if refusal:
        return refusal
    action = MODERATION.get(request.POST.get("action", ""))
    if action is None:
        return _after(request, question, access, "", DomainError("Choose what to do."))
    service, flags, done = action
    try:
        service(moderator=request.user, question=question, **flags)
    except DomainError as error:
        return _after(request, question, access, "", error)
    return _after(request, question, access, done, None)


@login_required
@require_POST
def merge_question(request, pk: int):
    question, access, _ = _question(request, pk)
    refusal = _moderator_refusal(request, question, access)
    if refusal:
        return refusal
    into = (
        question.event.questions.filter(pk=request.POST.get("into") or 0).first()
        if (request.POST.get("into") or "").isdigit()
        else None
    )
    try:
        if into is None:
            raise DomainError("Choose the question to merge it into.")
        services.merge_questions(moderator=request.user, question=question, into=into)
    except DomainError as error:
        return _after(request, question, access, "", error)
    return _after(request, question, access, "Merged: the votes now count together.", None)


@login_required
@require_POST
def switch_qanda(request, pk: int):
    event = selectors.event_for(request.user, pk)
    access = selectors.access_to(request, event)
    refusal = _refusal(request, event, access, organisers_only=True)
    if refusal:
        return refusal
    enabled = request.POST.get("on") == "yes"
    services.set_qanda(organiser=request.user, event=event, enabled=enabled)
    messages.success(
        request,
        "Q&A is on: people going can ask and vote."
        if enabled
        else "Q&A is off: nobody can ask or vote until you turn it on again.",
    )
    return redirect(_page_url(event.pk, "organisers"))


@login_required
def export_questions(request, pk: int):
    event = selectors.event_for(request.user, pk)
    access = selectors.access_to(request, event)
    refusal = _refusal(request, event, access, organisers_only=True)
    if refusal:
        return refusal
    try:
        found = services.export_questions(organiser=request.user, event=event)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_page_url(event.pk, "organisers"))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = slugify(event.title)[:60] or "event"
    response["Content-Disposition"] = f'attachment; filename="{name}-questions.csv"'
    writer = csv.writer(response)
    writer.writerow(["question", "votes"])
    for question in found:
        writer.writerow([_safe_cell(question.text), question.votes])
    return response


def _safe_cell(text: str) -> str:
    """Spreadsheets run cells that start like a formula; a leading apostrophe stops that."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
