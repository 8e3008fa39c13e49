"""Events: members find events, RSVP, check in and give feedback, and propose and vote for
topics; coordinators create events and series, cancel or move them, and see numbers only."""

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from kindred.accounts.decorators import organisation_role_required
from kindred.accounts.models import Role
from kindred.accounts.selectors import organisations_of, roles_of
from kindred.core.errors import DomainError
from kindred.core.suppression import suppressed
from kindred.events import calendar, photos, schedule, selectors, services
from kindred.events.forms import (
    CheckInForm,
    EventForm,
    FeedbackForm,
    ProposalForm,
    SeriesForm,
    SpeakerForm,
)
from kindred.events.models import (
    EVENT_TOPIC_LABELS,
    EVENT_TOPICS,
    EventSpeaker,
    Kind,
    Rsvp,
    TopicProposal,
)
from kindred.navigator.rendering import render_markdown
from kindred.safety import hooks as safety_hooks

S = Rsvp.Status
NEW_FEED_SESSION_KEY = "events_new_feed"


# --- members: finding events


@login_required
def events_home(request):
    kind = request.GET.get("kind", "")
    topic = request.GET.get("topic", "")
    kind = kind if kind in Kind.values else ""
    topic = topic if topic in dict(EVENT_TOPICS) else ""
    events = selectors.upcoming_for(request.user, kind=kind, topic=topic)
    mine = selectors.rsvps_of(request.user, events)
    return render(
        request,
        "events/home.html",
        {
            "rows": [(e, mine.get(e.pk)) for e in events],
            "kinds": Kind.choices,
            "topics": EVENT_TOPICS,
            "kind": kind,
            "topic": topic,
            "has_organisation": organisations_of(request.user).exists(),
        },
    )


def _event_page(request, event, *, check_in_form=None, status=200):
    now = timezone.now()
    mine = selectors.rsvp_of(request.user, event)
    going = mine is not None and mine.status == S.GOING
    return render(
        request,
        "events/event.html",
        {
            "event": event,
            "description": render_markdown(event.description),
            "speakers": list(event.speakers.defer("photo")),
            "co_hosts": list(event.co_hosts.all()),
            "topic_labels": [EVENT_TOPIC_LABELS.get(t, t) for t in event.topics or []],
            "rsvp": mine,
            "going": going,
            "position": selectors.waiting_position(mine)
            if mine is not None and mine.status == S.WAITLISTED
            else None,
            "full": selectors.is_full(event),
            "ended": event.ends_at <= now,
            "check_in_open": selectors.check_in_open(event, now)
            and not (mine and mine.checked_in_at),
            "check_in_form": check_in_form or CheckInForm(),
            "can_give_feedback": selectors.can_give_feedback(mine, event, now),
            "runs_it": roles_of(request.user).has(Role.COORDINATOR, event.host_id),
        },
        status=status,
    )


@login_required
def event_detail(request, pk: int):
    return _event_page(request, selectors.event_for(request.user, pk))


@login_required
@require_POST
def rsvp_event(request, pk: int):
    event = selectors.event_for(request.user, pk)
    going = request.POST.get("going", "yes") != "no"
    try:
        result = services.rsvp(member=request.user, event=event, going=going)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if result.waitlisted:
            messages.info(
                request,
                "This event is full, so you are on the waiting list. If a place comes up, it is "
                "yours and we tell you.",
            )
        elif going:
            messages.success(request, "You are going. Where to go is below.")
        else:
            messages.success(request, "Thank you for letting us know you are not going.")
    return redirect("event_detail", pk=event.pk)


@login_required
def event_calendar_file(request, pk: int):
    event = selectors.event_for(request.user, pk)
    mine = selectors.rsvp_of(request.user, event)
    response = HttpResponse(
        calendar.event_file(event, going=mine is not None and mine.status == S.GOING),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response


@login_required
@require_POST
def check_in(request, pk: int):
    event = selectors.event_for(request.user, pk)
    form = CheckInForm(request.POST)
    if form.is_valid():
        try:
            services.check_in(member=request.user, event=event, code=form.cleaned_data["code"])
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "You are checked in. Welcome.")
            return redirect("event_detail", pk=event.pk)
    return _event_page(request, event, check_in_form=form, status=400)


@login_required
def event_feedback(request, pk: int):
    event = selectors.event_for(request.user, pk)
    mine = selectors.rsvp_of(request.user, event)
    form = FeedbackForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.give_feedback(member=request.user, event=event, **form.answers())
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Thank you. Your answers are anonymous.")
            safety_hooks.offer_help(request, assessment)
            return redirect("event_detail", pk=event.pk)
    return render(
        request,
        "events/feedback.html",
        {
            "event": event,
            "form": form,
            "open": selectors.can_give_feedback(mine, event),
            "answered": mine is not None and mine.feedback_given,
        },
        status=400 if form.errors else 200,
    )


# --- members: topics


def _topics_page(request, form, status=200):
    organisations = list(organisations_of(request.user))
    return render(
        request,
        "events/topics.html",
        {
            "proposals": selectors.ranked_proposals(
                [o.pk for o in organisations], viewer=request.user
            ),
            "form": form,
            "several": len(organisations) > 1,
            "has_organisation": bool(organisations),
            "limit": services.PROPOSALS_PER_MEMBER,
        },
        status=status,
    )


@login_required
def topic_proposals(request):
    organisations = organisations_of(request.user)
    form = ProposalForm(
        request.POST if request.method == "POST" else None, organisations=organisations
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                proposed = services.propose_topic(
                    member=request.user,
                    organisation=form.cleaned_data["organisation"],
                    text=form.cleaned_data["text"],
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                if proposed.proposal is None:
                    safety_hooks.offer_help(
                        request,
                        proposed.assessment,
                        before="We have not added this as a topic for everyone to see.",
                    )
                    return redirect("topic_proposals")
                if proposed.created:
                    messages.success(
                        request, "Added, with your vote. Other members see it without your name."
                    )
                else:
                    messages.info(
                        request, "Someone proposed that already, so your vote went to it."
                    )
                return redirect("topic_proposals")
        return _topics_page(request, form, status=400)
    return _topics_page(request, form)


@login_required
@require_POST
def vote_proposal(request, pk: int):
    proposal = selectors.proposal_for(request.user, pk)
    on = request.POST.get("vote", "yes") != "no"
    try:
        services.vote_topic(member=request.user, proposal=proposal, on=on)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Vote added." if on else "Vote taken back.")
    return redirect("topic_proposals")


@login_required
@require_POST
def withdraw_proposal(request, pk: int):
    proposal = selectors.proposal_for(request.user, pk)
    if proposal.proposed_by_id != request.user.pk:
        raise Http404("No such topic")
    try:
        deleted = services.withdraw_topic(member=request.user, proposal=proposal)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            "Your topic is withdrawn."
            if deleted
            else "Others had voted for it, so it stays for them; it is no longer linked to you.",
        )
    return redirect("topic_proposals")


# --- members: the private calendar feed


@login_required
def event_feed_settings(request):
    if request.method == "POST":
        _feed, raw = services.create_event_feed(member=request.user)
        request.session[NEW_FEED_SESSION_KEY] = raw
        messages.success(request, "Your new calendar address is ready. Any older one has stopped.")
        return redirect("event_feed_settings")
    raw = request.session.pop(NEW_FEED_SESSION_KEY, None)
    return render(
        request,
        "events/calendar_feed.html",
        {
            "feeds": list(selectors.live_feeds_of(request.user)),
            "new_url": request.build_absolute_uri(f"/events/feed/{raw}.ics") if raw else "",
        },
    )


@login_required
@require_POST
def revoke_event_feed(request):
    services.revoke_event_feeds(member=request.user)
    messages.success(request, "Your events calendar address has stopped working.")
    return redirect("event_feed_settings")


def events_calendar_feed(request, token: str):
    """A member's private feed: the secret in the address is the only key."""
    feed = services.feed_for(token)
    if feed is None:
        raise Http404("No such calendar")
    response = HttpResponse(
        calendar.member_feed(selectors.feed_events(feed.user)),
        content_type="text/calendar; charset=utf-8",
    )
    response["X-Robots-Tag"] = "noindex"
    return response


# --- coordinators


def _counts(event) -> dict:
    return {
        "going": suppressed(event.n_going),
        "waiting": suppressed(event.n_waiting),
        "checked_in": suppressed(event.n_checked_in),
    }


@organisation_role_required(Role.COORDINATOR)
def manage_events(request, organisation):
    upcoming = list(selectors.hosted_events(organisation)[:100])
    past = list(selectors.hosted_events(organisation, past=True)[:20])
    return render(
        request,
        "events/manage.html",
        {
            "organisation": organisation,
            "upcoming": [(e, _counts(e)) for e in upcoming],
            "past": [(e, _counts(e)) for e in past],
            "top_topics": selectors.ranked_proposals([organisation], viewer=request.user)[:3],
        },
    )


def _proposal_from(request, organisation) -> TopicProposal | None:
    pk = request.GET.get("topic") or request.POST.get("topic")
    if not pk:
        return None
    found = selectors.hosted_proposal(organisation, int(pk) if str(pk).isdigit() else 0)
    return found if found.status == TopicProposal.Status.OPEN else None


def _initial_from(proposal) -> dict:
    initial = {"kind": Kind.TALK, "audience": "organisation", "format": "in_person"}
    initial["qa_enabled"] = True
    if proposal is not None:
        initial["title"] = proposal.text[:160]
    return initial


@organisation_role_required(Role.COORDINATOR)
def new_event(request, organisation):
    proposal = _proposal_from(request, organisation)
    form = EventForm(
        request.POST or None,
        initial=_initial_from(proposal),
        partners=selectors.partner_choices(organisation),
        zone=ZoneInfo(organisation.time_zone),
    )
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.times()
        try:
            event = services.create_event(
                coordinator=request.user,
                organisation=organisation,
                starts_at=starts_at,
                ends_at=ends_at,
                proposal=proposal,
                **form.event_fields(),
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request,
                f"“{event.title}” is saved and members can see it. Add its speakers now."
                + (" Everyone who voted for the topic has been told." if proposal else ""),
            )
            return redirect("event_speakers", slug=organisation.slug, pk=event.pk)
    return render(
        request,
        "events/event_form.html",
        {"organisation": organisation, "form": form, "event": None, "proposal": proposal},
        status=400 if form.errors else 200,
    )


@organisation_role_required(Role.COORDINATOR)
def new_series(request, organisation):
    proposal = _proposal_from(request, organisation)
    initial = _initial_from(proposal)
    initial.update({"interval_weeks": 2, "duration_minutes": 60, "weekday": 2})
    initial["skip_exam_weeks"] = True
    form = SeriesForm(
        request.POST or None, initial=initial, partners=selectors.partner_choices(organisation)
    )
    if request.method == "POST" and form.is_valid():
        try:
            series = services.create_series(
                coordinator=request.user,
                organisation=organisation,
                proposal=proposal,
                **form.series_fields(),
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            made = series.events.count()
            skipped = len(series.schedule.skipped)
            messages.success(
                request,
                f"“{series.title}”: {made} event{'s' if made != 1 else ''} saved"
                + (f", {skipped} exam week{'s' if skipped != 1 else ''} skipped" if skipped else "")
                + ". Add speakers to each event from the list."
                + (" Everyone who voted for the topic has been told." if proposal else ""),
            )
            return redirect("manage_events", slug=organisation.slug)
    return render(
        request,
        "events/series_form.html",
        {"organisation": organisation, "form": form, "proposal": proposal},
        status=400 if form.errors else 200,
    )


def _edit_initial(event) -> dict:
    zone = selectors.zone_of(event)
    start, end = event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)
    initial = {name: getattr(event, name) for name in services.EVENT_FIELDS}
    initial.update(
        starts_on=start.date(),
        start_time=start.time(),
        end_time=end.time(),
        co_hosts=list(event.co_hosts.all()),
    )
    return initial


@organisation_role_required(Role.COORDINATOR)
def edit_event(request, organisation, pk: int):
    event = selectors.hosted_event(organisation, pk)
    form = EventForm(
        request.POST or None,
        initial=_edit_initial(event),
        partners=selectors.partner_choices(organisation),
        zone=selectors.zone_of(event),
    )
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.times()
        try:
            result = services.update_event(
                coordinator=request.user,
                event=event,
                starts_at=starts_at,
                ends_at=ends_at,
                **form.event_fields(),
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            if not result.changed:
                messages.info(request, "Nothing changed.")
            elif result.moved:
                messages.success(
                    request,
                    f"Moved. {result.told} {'people who' if result.told != 1 else 'person who'} "
                    "answered were told, and calendar files now update.",
                )
            else:
                messages.success(request, "Saved. Calendar files now update.")
            return redirect("run_event", slug=organisation.slug, pk=event.pk)
    return render(
        request,
        "events/event_form.html",
        {"organisation": organisation, "form": form, "event": event, "proposal": None},
        status=400 if form.errors else 200,
    )


@require_POST
@organisation_role_required(Role.COORDINATOR)
def cancel_event(request, organisation, pk: int):
    event = selectors.hosted_event(organisation, pk)
    try:
        told = services.cancel_event(coordinator=request.user, event=event)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"“{event.title}” is cancelled. Everyone who answered ({told}) was told."
        )
    return redirect("run_event", slug=organisation.slug, pk=event.pk)


@organisation_role_required(Role.COORDINATOR)
def run_event(request, organisation, pk: int):
    event = selectors.hosted_event(organisation, pk)
    found = selectors.hosted_events(organisation, past=event.ends_at <= timezone.now()).get(
        pk=event.pk
    )
    return render(
        request,
        "events/run.html",
        {
            "organisation": organisation,
            "event": found,
            "counts": _counts(found),
            "check_in_open": selectors.check_in_open(found),
            "speakers": list(found.speakers.defer("photo")),
            "feedback": selectors.feedback_summary(found),
            "threshold": schedule.FEEDBACK_THRESHOLD,
        },
    )


@require_POST
@organisation_role_required(Role.COORDINATOR)
def new_check_in_code(request, organisation, pk: int):
    event = selectors.hosted_event(organisation, pk)
    services.new_check_in_code(coordinator=request.user, event=event)
    messages.success(request, "A new check-in code is ready. The old one no longer works.")
    return redirect("run_event", slug=organisation.slug, pk=event.pk)


@organisation_role_required(Role.COORDINATOR)
def event_speakers(request, organisation, pk: int):
    event = selectors.hosted_event(organisation, pk)
    form = SpeakerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        upload = fields.pop("photo", None)
        try:
            speaker = services.add_speaker(
                coordinator=request.user,
                event=event,
                photo=upload.read(photos.PHOTO_LIMIT + 1) if upload else b"",
                **fields,
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request,
                f"{speaker.name} is added."
                + (
                    " If that email belongs to someone in the host or co-host organisations, "
                    "they are asked to accept being linked; then they can moderate the Q&A."
                    if speaker.email_given
                    else ""
                ),
            )
            return redirect("event_speakers", slug=organisation.slug, pk=event.pk)
    return render(
        request,
        "events/speakers.html",
        {
            "organisation": organisation,
            "event": event,
            "speakers": list(event.speakers.select_related("user").defer("photo")),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@require_POST
@organisation_role_required(Role.COORDINATOR)
def remove_speaker(request, organisation, pk: int, speaker_pk: int):
    event = selectors.hosted_event(organisation, pk)
    speaker = event.speakers.filter(pk=speaker_pk).first()
    if speaker is None:
        raise Http404("No such speaker")
    services.remove_speaker(coordinator=request.user, speaker=speaker)
    messages.success(request, f"{speaker.name} is removed.")
    return redirect("event_speakers", slug=organisation.slug, pk=event.pk)


@organisation_role_required(Role.COORDINATOR)
def manage_topics(request, organisation):
    return render(
        request,
        "events/manage_topics.html",
        {
            "organisation": organisation,
            "proposals": selectors.ranked_proposals([organisation], viewer=request.user),
        },
    )


@require_POST
@organisation_role_required(Role.COORDINATOR)
def merge_proposal(request, organisation, pk: int):
    proposal = selectors.hosted_proposal(organisation, pk)
    into = TopicProposal.objects.filter(
        organisation=organisation, pk=request.POST.get("into") or 0
    ).first()
    if into is None:
        messages.error(request, "Choose the topic to merge it into.")
    else:
        try:
            services.merge_topics(coordinator=request.user, proposal=proposal, into=into)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Merged. Its votes now count for the other topic, once each.")
    return redirect("manage_topics", slug=organisation.slug)


@login_required
def speaker_photo(request, pk: int):
    """A speaker's photo, for people who can see the event (404 for everyone else)."""
    speaker = get_object_or_404(EventSpeaker.objects.only("event_id", "photo", "photo_type"), pk=pk)
    selectors.event_for(request.user, speaker.event_id)
    if not speaker.photo_type:
        raise Http404("No photo")
    response = HttpResponse(bytes(speaker.photo), content_type=speaker.photo_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


@login_required
@require_POST
def accept_speaker_invitation(request, pk: int):
    speaker = get_object_or_404(EventSpeaker.objects.defer("photo"), pk=pk, invited=request.user)
    event = selectors.event_for(request.user, speaker.event_id)
    services.accept_speaker_invitation(member=request.user, speaker=speaker)
    messages.success(request, "You are linked as a speaker: you can moderate this event's Q&A.")
    return redirect("event_detail", pk=event.pk)
