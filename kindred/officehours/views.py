"""Office-hours pages. Views parse, authorise, call a service, render."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from kindred.accounts.decorators import organisation_role_required
from kindred.accounts.models import Role
from kindred.accounts.selectors import can_act_as, organisations_of
from kindred.core import audit
from kindred.core.errors import DomainError
from kindred.core.suppression import suppressed
from kindred.officehours import calendar, selectors, services
from kindred.officehours.forms import (
    AvailabilityRuleForm,
    BookingForm,
    CancelForm,
    MilestoneForm,
    SlotFilterForm,
    TimeOffForm,
)
from kindred.officehours.models import AvailabilityRule, Booking, Milestone, TimeOff

SLOTS_PER_PAGE = 40
NEW_FEED_SESSION_KEY = "officehours_new_feed"


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- members: finding and booking a time


def _chosen_organisation(request, organisations):
    wanted = request.GET.get("organisation") or request.POST.get("organisation")
    return next((o for o in organisations if o.slug == wanted), organisations[0])


def _by_day(slots, zone):
    days: list[tuple[datetime.date, list]] = []
    for slot in slots:
        day = slot.starts_at.astimezone(zone).date()
        if not days or days[-1][0] != day:
            days.append((day, []))
        days[-1][1].append(slot)
    return days


@login_required
def office_hours(request):
    organisations = list(organisations_of(request.user))
    if not organisations:
        messages.info(request, "Join your organisation first, then you can book office hours.")
        return redirect("join_organisation")
    organisation = _chosen_organisation(request, organisations)
    zone = selectors.zone_of(organisation)
    today = selectors.local_today(organisation)
    # Always bound, so the form shows the day and span it is showing.
    data = request.GET.copy()
    data.setdefault("date", today.isoformat())
    data.setdefault("span", "week")
    form = SlotFilterForm(data)
    filters = form.cleaned_data if form.is_valid() else {}
    day = filters.get("date") or today
    span = filters.get("span") or "week"
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
    end = start + datetime.timedelta(days=1 if span == "day" else 7)
    blocked = selectors.blocked_user_ids(request.user)
    slots = selectors.open_slots_for(
        member=request.user,
        organisation=organisation,
        start=start,
        end=end,
        format=filters.get("format") or "",
        topic=filters.get("topic") or "",
        blocked=blocked,
    )
    page = Paginator(slots, SLOTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "officehours/office_hours.html",
        {
            "organisation": organisation,
            "organisations": organisations,
            "form": form,
            "page": page,
            "days": _by_day(page.object_list, zone),
            "walk_ins": selectors.walk_in_blocks_for(
                member=request.user, organisation=organisation, blocked=blocked
            ),
            "query": query.urlencode(),
            "start_day": day,
            "end_day": (end - datetime.timedelta(days=1)).date(),
        },
    )


@login_required
def book_slot(request, pk: int):
    slot = selectors.slot_for_member(request.user, pk)
    if slot.walk_in:
        return redirect("walk_in", pk=slot.pk)
    form = BookingForm(request.POST or None)
    next_free, status = [], 200
    gone = selectors.why_unbookable(slot) if request.method == "GET" else ""
    if gone:
        next_free = selectors.next_free_slots(
            member=request.user,
            organisation=slot.organisation,
            after=slot.starts_at,
            exclude=slot.pk,
        )
    if request.method == "POST" and form.is_valid():
        try:
            booking = services.book_slot(
                member=request.user, slot_id=slot.pk, note=form.cleaned_data["note"]
            )
        except services.SlotTaken as taken:
            form.add_error(None, taken.message)
            next_free, status = taken.next_free, 409
        except DomainError as error:
            form.add_domain_error(error)
            status = 400
        else:
            messages.success(
                request,
                f"Booked. We have told {slot.supporter.display_name}. "
                "Add it to your calendar below; we will remind you the day before.",
            )
            return redirect("booking", pk=booking.pk)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "officehours/book.html",
        {"slot": slot, "form": form, "next_free": next_free, "gone": gone},
        status=status,
    )


@login_required
def my_bookings(request):
    now = timezone.now()
    bookings = list(selectors.bookings_of(request.user))
    upcoming = [b for b in bookings if b.is_live and b.slot.ends_at > now]
    earlier = [b for b in bookings if b not in upcoming][-20:]
    return render(
        request,
        "officehours/my_bookings.html",
        {"upcoming": upcoming, "earlier": list(reversed(earlier))},
    )


def _booking_for(request, pk: int) -> tuple[Booking, bool]:
    """The booking and whether the person is its supporter (who needs a second factor)."""
    booking = selectors.booking_for(request.user, pk)
    as_supporter = booking.slot.supporter_id == request.user.pk
    if as_supporter and not can_act_as(request, Role.SUPPORTER, booking.slot.organisation_id):
        raise PermissionDenied
    return booking, as_supporter


@login_required
def booking(request, pk: int):
    found, as_supporter = _booking_for(request, pk)
    if as_supporter and found.note:
        audit.record_reads(
            actor=request.user,
            subjects=[found.member],
            target=f"your note on booking {found.pk}",
            role="supporter",
        )
    alternatives = []
    needs_new_time = not as_supporter and (
        (found.is_live and found.flagged_at)
        or (
            found.status == Booking.Status.CANCELLED
            and found.cancelled_by_id == found.slot.supporter_id
        )
    )
    if needs_new_time and found.slot.starts_at > timezone.now():
        alternatives = selectors.next_free_slots(
            member=request.user,
            organisation=found.slot.organisation,
            after=found.slot.starts_at - datetime.timedelta(days=1),
            exclude=found.slot_id,
        )
    return render(
        request,
        "officehours/booking.html",
        {
            "booking": found,
            "slot": found.slot,
            "as_supporter": as_supporter,
            "other": found.member if as_supporter else found.slot.supporter,
            "started": found.slot.starts_at <= timezone.now(),
            "alternatives": alternatives,
        },
    )


@login_required
def booking_calendar_file(request, pk: int):
    found, as_supporter = _booking_for(request, pk)
    if found.status == Booking.Status.CANCELLED:
        raise Http404("This booking was cancelled")
    content = calendar.booking_file(found, for_supporter=as_supporter)
    return _ics(content, f"office-hours-{found.pk}.ics")


@login_required
def cancel_booking(request, pk: int):
    found, as_supporter = _booking_for(request, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_booking(
                user=request.user, booking=found, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            other = found.member if as_supporter else found.slot.supporter
            messages.success(
                request,
                f"Cancelled. We have told {other.display_name}."
                + ("" if as_supporter else " The time is free for someone else now."),
            )
            if as_supporter:
                return redirect("supporter_sessions", slug=found.slot.organisation.slug)
            return redirect("my_bookings")
    return render(
        request,
        "officehours/cancel.html",
        {"booking": found, "slot": found.slot, "form": form, "as_supporter": as_supporter},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def move_booking(request, pk: int):
    found, as_supporter = _booking_for(request, pk)
    if as_supporter:
        raise Http404("Only the member can move a booking")
    try:
        slot_id = int(request.POST.get("slot", ""))
    except ValueError:
        slot_id = 0
    try:
        new = services.move_booking(member=request.user, booking=found, slot_id=slot_id)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("booking", pk=found.pk)
    messages.success(request, "Moved. Your old time is cancelled and both supporters are told.")
    return redirect("booking", pk=new.pk)


@login_required
@require_POST
def mark_no_show(request, pk: int):
    found, as_supporter = _booking_for(request, pk)
    if not as_supporter:
        raise Http404("Only the supporter can mark a session as missed")
    try:
        services.mark_no_show(supporter=request.user, booking=found)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Marked as missed. Coordinators see only totals, never names.")
    return redirect("booking", pk=found.pk)


# --- members: walk-in queues


def _queue_context(block, user) -> dict:
    return {"walk_in_block": block, "place": selectors.queue_place(block, user)}


@login_required
def walk_in(request, pk: int):
    block = selectors.walk_in_block_for_member(request.user, pk)
    return render(request, "officehours/walk_in.html", _queue_context(block, request.user))


@login_required
def queue_place(request, pk: int):
    """The member's place, for polling when the websocket is not available."""
    block = selectors.walk_in_block_for_member(request.user, pk)
    return render(
        request, "officehours/partials/queue_place.html", _queue_context(block, request.user)
    )


@login_required
@require_POST
def join_queue(request, pk: int):
    block = selectors.walk_in_block_for_member(request.user, pk)
    try:
        services.join_queue(member=request.user, block=block)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "You are in the queue. This page updates by itself.")
    return redirect("walk_in", pk=block.pk)


@login_required
@require_POST
def leave_queue(request, pk: int):
    block = selectors.walk_in_block_for_member(request.user, pk)
    if services.leave_queue(member=request.user, block=block):
        messages.success(request, "You have left the queue. Nobody else is told.")
    return redirect("office_hours")


# --- supporters: availability, sessions, the queue, the calendar feed


@organisation_role_required(Role.SUPPORTER)
def availability(request, organisation):
    profile = selectors.supporter_profile(request.user, organisation)
    today = selectors.local_today(organisation)
    return render(
        request,
        "officehours/availability.html",
        {
            "organisation": organisation,
            "profile": profile,
            "rules": list(profile.availability_rules.all()) if profile else [],
            "time_off": list(profile.time_off.filter(last_day__gte=today)) if profile else [],
        },
    )


def _rule_form(request, organisation, rule=None):
    initial = AvailabilityRuleForm.initial_for(rule) if rule else {}
    form = AvailabilityRuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_rule(
                supporter=request.user, organisation=organisation, rule=rule, **form.cleaned_data
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request,
                "Saved. Members can see your times now."
                if not form.cleaned_data["walk_in"]
                else "Saved. Your walk-in block shows on the office hours page on its day.",
            )
            return redirect("availability", slug=organisation.slug)
    return render(
        request,
        "officehours/rule_form.html",
        {"organisation": organisation, "form": form, "rule": rule},
        status=400 if form.errors else 200,
    )


@organisation_role_required(Role.SUPPORTER)
def new_rule(request, organisation):
    return _rule_form(request, organisation)


def _my_rule(request, organisation, pk: int) -> AvailabilityRule:
    return get_object_or_404(
        AvailabilityRule.objects.select_related("profile"),
        pk=pk,
        profile__user=request.user,
        profile__organisation=organisation,
    )


@organisation_role_required(Role.SUPPORTER)
def edit_rule(request, organisation, pk: int):
    return _rule_form(request, organisation, _my_rule(request, organisation, pk))


@require_POST
@organisation_role_required(Role.SUPPORTER)
def delete_rule(request, organisation, pk: int):
    kept = services.delete_rule(supporter=request.user, rule=_my_rule(request, organisation, pk))
    messages.success(
        request,
        "Removed."
        + (
            f" {kept} booked time{'s' if kept != 1 else ''} still stand; cancel "
            f"{'them' if kept != 1 else 'it'} from Your sessions if you cannot make "
            f"{'them' if kept != 1 else 'it'}."
            if kept
            else ""
        ),
    )
    return redirect("availability", slug=organisation.slug)


@organisation_role_required(Role.SUPPORTER)
def new_time_off(request, organisation):
    form = TimeOffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_time_off(
                supporter=request.user, organisation=organisation, **form.cleaned_data
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Time off saved. No one can book you then.")
            return redirect("availability", slug=organisation.slug)
    return render(
        request,
        "officehours/time_off_form.html",
        {"organisation": organisation, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@organisation_role_required(Role.SUPPORTER)
def delete_time_off(request, organisation, pk: int):
    found = get_object_or_404(
        TimeOff, pk=pk, profile__user=request.user, profile__organisation=organisation
    )
    services.delete_time_off(supporter=request.user, time_off=found)
    messages.success(request, "Time off removed. Your usual times are open again.")
    return redirect("availability", slug=organisation.slug)


@organisation_role_required(Role.SUPPORTER)
def supporter_sessions(request, organisation):
    bookings, blocks = selectors.sessions_of_supporter(request.user, organisation)
    return render(
        request,
        "officehours/supporter_sessions.html",
        {
            "organisation": organisation,
            "bookings": bookings,
            "blocks": blocks,
            "now": timezone.now(),
        },
    )


def _supporter_queue_context(block) -> dict:
    waiting, called = selectors.queue_for_supporter(block)
    return {"walk_in_block": block, "waiting": waiting, "called": called}


@organisation_role_required(Role.SUPPORTER)
def run_queue(request, organisation, pk: int):
    block = selectors.walk_in_block_for_supporter(request.user, organisation, pk)
    return render(
        request,
        "officehours/run_queue.html",
        {"organisation": organisation, **_supporter_queue_context(block)},
    )


@organisation_role_required(Role.SUPPORTER)
def queue_list(request, organisation, pk: int):
    block = selectors.walk_in_block_for_supporter(request.user, organisation, pk)
    return render(request, "officehours/partials/queue_list.html", _supporter_queue_context(block))


@require_POST
@organisation_role_required(Role.SUPPORTER)
def call_next(request, organisation, pk: int):
    block = selectors.walk_in_block_for_supporter(request.user, organisation, pk)
    try:
        entry = services.call_next(supporter=request.user, block=block)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("run_queue", slug=organisation.slug, pk=block.pk)
    if entry is None:
        messages.info(request, "Nobody is waiting right now.")
    elif entry.conversation_id:
        messages.success(
            request, f"You called {entry.member.display_name}. Your conversation is open."
        )
        return redirect("conversation", pk=entry.conversation_id)
    else:
        messages.success(
            request, f"You called {entry.member.display_name}. They can see where to come now."
        )
    return redirect("run_queue", slug=organisation.slug, pk=block.pk)


@organisation_role_required(Role.SUPPORTER)
def calendar_feed_settings(request, organisation):
    if request.method == "POST":
        _feed, raw = services.create_calendar_feed(supporter=request.user)
        request.session[NEW_FEED_SESSION_KEY] = raw
        messages.success(request, "Your new calendar address is ready. Any older one has stopped.")
        return redirect("calendar_feed_settings", slug=organisation.slug)
    raw = request.session.pop(NEW_FEED_SESSION_KEY, None)
    return render(
        request,
        "officehours/calendar_feed.html",
        {
            "organisation": organisation,
            "feeds": list(selectors.live_feeds_of(request.user)),
            "new_url": request.build_absolute_uri(f"/calendar/{raw}.ics") if raw else "",
        },
    )


@require_POST
@organisation_role_required(Role.SUPPORTER)
def revoke_calendar_feed(request, organisation):
    services.revoke_calendar_feeds(supporter=request.user)
    messages.success(request, "Your calendar address has stopped working.")
    return redirect("calendar_feed_settings", slug=organisation.slug)


def calendar_feed(request, token: str):
    """A supporter's private feed: the secret in the address is the only key."""
    feed = services.feed_for(token)
    if feed is None:
        raise Http404("No such calendar")
    response = HttpResponse(
        calendar.supporter_feed(selectors.feed_bookings(feed.user)),
        content_type="text/calendar; charset=utf-8",
    )
    response["X-Robots-Tag"] = "noindex"
    return response


# --- coordinators: coverage and the academic calendar


@organisation_role_required(Role.COORDINATOR)
def coverage(request, organisation):
    found = selectors.coverage_for(organisation)
    for week in found.weeks:
        week.booked_shown = suppressed(week.booked)
    return render(
        request,
        "officehours/coverage.html",
        {
            "organisation": organisation,
            "coverage": found,
            "people_seen": suppressed(found.people_seen_walk_in),
            "waits_shown": found.people_seen_walk_in >= 10,
            "no_shows": suppressed(found.no_shows),
            "repeated": suppressed(found.members_missing_repeatedly),
        },
    )


@organisation_role_required(Role.COORDINATOR)
def academic_calendar(request, organisation):
    form = MilestoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_milestone(
                coordinator=request.user, organisation=organisation, **form.cleaned_data
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Added to the calendar.")
            return redirect("academic_calendar", slug=organisation.slug)
    return render(
        request,
        "officehours/academic_calendar.html",
        {
            "organisation": organisation,
            "form": form,
            "milestones": list(selectors.milestones_of(organisation)),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@organisation_role_required(Role.COORDINATOR)
def delete_milestone(request, organisation, pk: int):
    found = get_object_or_404(Milestone, pk=pk, organisation=organisation)
    services.delete_milestone(coordinator=request.user, milestone=found)
    messages.success(request, f"Removed {found.title}.")
    return redirect("academic_calendar", slug=organisation.slug)
