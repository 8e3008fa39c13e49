"""Support groups: members join and take part, facilitators run sessions, advisors answer
consultation requests, coordinators set up programmes and see numbers only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kindred.accounts.decorators import organisation_role_required
from kindred.accounts.models import Role
from kindred.accounts.selectors import can_act_as, roles_of
from kindred.core import audit, guides
from kindred.core.errors import DomainError
from kindred.groups import calendar, schedule, selectors, services
from kindred.groups.forms import (
    AgreementForm,
    AttendanceForm,
    CohortForm,
    EscalationForm,
    FeedbackForm,
    GuidePageForm,
    JoinForm,
    MaterialForm,
    ProgrammeForm,
    ReflectionForm,
    TopicForm,
)
from kindred.groups.models import (
    Cohort,
    ConsultationRequest,
    FacilitatorGuideVersion,
    Material,
    Participation,
    Programme,
)
from kindred.navigator.rendering import render_markdown
from kindred.safety import hooks as safety_hooks

S = Participation.Status


def _facilitator_refusal(request, cohort: Cohort):
    """None when the person runs this cohort in a session with a second factor; otherwise the
    page to show. People who do not run it get 404, like strangers."""
    if not selectors.facilitates(request.user, cohort):
        raise Http404("No such group")
    organisation_id = selectors.facilitator_organisation_id(request.user, cohort)
    if not can_act_as(request, Role.FACILITATOR, organisation_id):
        return render(
            request,
            "accounts/mfa_needed.html",
            {
                "role": "facilitator",
                "organisation": roles_of(request.user).organisations.get(organisation_id),
            },
            status=403,
        )
    return None


def _cohort_as_facilitator(request, pk: int):
    cohort = selectors.cohort_for(request.user, pk)
    return cohort, _facilitator_refusal(request, cohort)


# --- members


@login_required
def groups_home(request):
    user = request.user
    places = list(selectors.my_participations(user)[:50])
    active = [p for p in places if p.is_active]
    mine = {p.cohort_id for p in active}
    return render(
        request,
        "groups/home.html",
        {
            "active": active,
            "past": [p for p in places if not p.is_active][:10],
            "open_cohorts": [c for c in selectors.open_cohorts_for(user) if c.pk not in mine],
            "facilitates": roles_of(user).has(Role.FACILITATOR),
            "has_organisation": bool(roles_of(user).organisations),
        },
    )


@login_required
def cohort(request, pk: int):
    found = selectors.cohort_for(request.user, pk)
    place = selectors.participation_of(request.user, found)
    sessions = list(selectors.sessions_of(found))
    joined = place is not None and place.status == S.JOINED
    attendance = selectors.my_attendance(place) if place else {}
    now = timezone.now()
    feedback_open = (
        {s.pk for s in sessions if selectors.can_give_feedback(place, s, now)} if joined else set()
    )
    return render(
        request,
        "groups/cohort.html",
        {
            "cohort": found,
            "programme": found.programme,
            "description": render_markdown(found.programme.description),
            "place": place,
            "joined": joined,
            "needs_agreement": joined and place.agreed_version < found.programme.agreement_version,
            "sessions": [(s, attendance.get(s.pk, "")) for s in sessions],
            "feedback_open": feedback_open,
            "places": selectors.places(found),
            "takes_newcomers": selectors.takes_newcomers(found),
            "facilitators": selectors.facilitators_of(found),
            "participants": list(selectors.participants(found)) if joined else [],
            "runs_it": selectors.facilitates(request.user, found),
        },
    )


@login_required
def join_cohort(request, pk: int):
    found = selectors.cohort_for(request.user, pk)
    programme = found.programme
    place = selectors.participation_of(request.user, found)
    if place is not None and place.is_active:
        messages.info(request, services.AlreadyIn(place).message)
        return redirect("cohort", pk=found.pk)
    applying = programme.joining == Programme.Joining.APPLY
    form = JoinForm(request.POST or None, applying=applying)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.join_cohort(member=request.user, cohort=found, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            for clash in result.clashes:
                messages.warning(request, _clash_text(found, clash))
            messages.success(request, _joined_text(result.participation))
            return redirect("cohort", pk=found.pk)
    return render(
        request,
        "groups/join.html",
        {
            "cohort": found,
            "programme": programme,
            "form": form,
            "applying": applying,
            "agreement": render_markdown(programme.agreement),
            "places": selectors.places(found),
            "clashes": [_clash_text(found, c) for c in selectors.clashes_for(request.user, found)],
            "takes_newcomers": selectors.takes_newcomers(found),
        },
        status=400 if form.errors else 200,
    )


def _clash_text(cohort: Cohort, clash) -> str:
    local = clash.first.astimezone(selectors.zone_of(cohort))
    return (
        f"This group meets at the same time as {clash.cohort.programme.title} "
        f"({clash.cohort.name}), first on {local:%A} {local.day} {local:%B}. "
        "You can still join: just check you can make both."
    )


def _joined_text(place: Participation) -> str:
    return {
        S.JOINED: "You have a place. We will remind you the day before each session.",
        S.WAITLISTED: "The group is full, so you are on the waiting list. We will tell you as "
        "soon as a place is free, and hold it for you for 48 hours.",
        S.APPLIED: "Thank you for applying. A facilitator will reply; we will tell you here.",
        S.OFFERED: "A place is yours if you accept it within 48 hours.",
    }[place.status]


@login_required
def leave_cohort(request, pk: int):
    found = selectors.cohort_for(request.user, pk)
    place = selectors.participation_of(request.user, found)
    if place is None or not place.is_active:
        raise Http404("You are not in this group")
    if request.method == "POST":
        try:
            services.leave_cohort(member=request.user, participation=place)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                "You have left the group. Nobody asks why. You are welcome back any time."
                if place.status == S.JOINED
                else "Done: you are no longer waiting for this group.",
            )
        return redirect("groups_home")
    return render(request, "groups/leave.html", {"cohort": found, "place": place})


@login_required
@require_POST
def answer_place_offer(request, pk: int):
    found = selectors.cohort_for(request.user, pk)
    place = selectors.participation_of(request.user, found)
    if place is None or place.status != S.OFFERED:
        raise Http404("No offer")
    accept = request.POST.get("answer") == "accept"
    try:
        services.answer_offer(
            member=request.user,
            participation=place,
            accept=accept,
            agree=request.POST.get("agree") == "on",
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            "Welcome: the place is yours. We will remind you the day before each session."
            if accept
            else "Thank you for letting us know. The place goes to the next person waiting.",
        )
    return redirect("cohort", pk=found.pk)


@login_required
def group_agreement(request, pk: int):
    found = selectors.cohort_for(request.user, pk)
    place = selectors.participation_of(request.user, found)
    agreed = place is not None and place.agreed_version >= found.programme.agreement_version
    form = AgreementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and place is not None and place.is_active:
        if form.is_valid() and form.cleaned_data["agree"]:
            services.accept_agreement(member=request.user, participation=place)
            messages.success(request, "Thank you. See you at the next session.")
            return redirect("cohort", pk=found.pk)
        form.add_error("agree", "Tick the box to agree, or leave the group if it is not for you.")
    return render(
        request,
        "groups/agreement.html",
        {
            "cohort": found,
            "place": place,
            "agreed": agreed,
            "form": form,
            "agreement": render_markdown(found.programme.agreement),
        },
        status=400 if form.errors else 200,
    )


@login_required
def cohort_calendar_file(request, pk: int):
    found = selectors.cohort_for(request.user, pk)
    place = selectors.participation_of(request.user, found)
    if not selectors.facilitates(request.user, found) and (
        place is None or place.status not in (S.JOINED, S.OFFERED)
    ):
        raise Http404("No calendar for you here")
    response = HttpResponse(
        calendar.cohort_file(found, list(found.sessions.order_by("number"))),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="group-{found.pk}.ics"'
    return response


@login_required
def group_session(request, pk: int):
    session, place, facilitating = selectors.session_for(request.user, pk)
    cohort = session.cohort
    if facilitating:
        refusal = _facilitator_refusal(request, cohort)
        if refusal:
            return refusal
    return _session_page(request, session, place, facilitating, TopicForm())


def _session_page(request, session, place, facilitating, form, status=200):
    now = timezone.now()
    topics = selectors.ranked_topics(session, viewer=request.user)
    return render(
        request,
        "groups/session.html",
        {
            "session": session,
            "cohort": session.cohort,
            "place": place,
            "facilitating": facilitating,
            "topics": topics,
            "open_for_topics": session.starts_at > now,
            "form": form,
            "my_count": sum(1 for t in topics if t.mine),
            "limit": services.SUGGESTIONS_PER_SESSION,
            "materials": [
                (m, render_markdown(m.body)) for m in session.materials.order_by("created_at", "pk")
            ],
            "can_give_feedback": place is not None
            and selectors.can_give_feedback(place, session, now),
            "needs_agreement": place is not None
            and place.agreed_version < session.cohort.programme.agreement_version,
        },
        status=status,
    )


@login_required
@require_POST
def suggest_topic(request, pk: int):
    session, place, facilitating = selectors.session_for(request.user, pk)
    if facilitating:
        raise Http404("Topics come from participants")
    form = TopicForm(request.POST)
    if form.is_valid():
        try:
            topic, assessment = services.suggest_topic(
                participant=request.user, session=session, text=form.cleaned_data["text"]
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            if topic is None:
                safety_hooks.offer_help(
                    request, assessment, before="We have not added this to the group's topics."
                )
            else:
                messages.success(request, "Added. The group sees your topic without your name.")
            return redirect("group_session", pk=session.pk)
    return _session_page(request, session, place, False, form, status=400)


@login_required
@require_POST
def vote_topic(request, pk: int):
    topic, place, facilitating = selectors.topic_for(request.user, pk)
    if facilitating:
        raise Http404("Votes come from participants")
    on = request.POST.get("vote", "yes") != "no"
    try:
        services.vote(participant=request.user, topic=topic, on=on)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Vote added." if on else "Vote taken back.")
    return redirect(f"{_session_url(topic.session_id)}#topics")


def _session_url(pk: int) -> str:
    return reverse("group_session", args=[pk])


@login_required
@require_POST
def withdraw_topic(request, pk: int):
    topic, place, facilitating = selectors.topic_for(request.user, pk)
    if facilitating or topic.suggested_by_id != request.user.pk:
        raise Http404("No such topic")
    try:
        services.withdraw_topic(participant=request.user, topic=topic)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Your topic is withdrawn.")
    return redirect("group_session", pk=topic.session_id)


@login_required
def session_feedback(request, pk: int):
    session, place, facilitating = selectors.session_for(request.user, pk)
    if facilitating:
        raise Http404("Feedback comes from participants")
    form = FeedbackForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.give_feedback(
                participant=request.user, session=session, **form.answers()
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Thank you. Your answers are anonymous.")
            safety_hooks.offer_help(request, assessment)
            return redirect("cohort", pk=session.cohort_id)
    return render(
        request,
        "groups/feedback.html",
        {
            "session": session,
            "cohort": session.cohort,
            "form": form,
            "open": selectors.can_give_feedback(place, session),
            "answered": session.pk in place.feedback_sessions,
        },
        status=400 if form.errors else 200,
    )


# --- facilitators


@login_required
def facilitating(request):
    if not roles_of(request.user).has(Role.FACILITATOR):
        return render(request, "accounts/role_needed.html", {"role": "facilitator"}, status=403)
    if not can_act_as(request, Role.FACILITATOR):
        return render(
            request,
            "accounts/mfa_needed.html",
            {
                "role": "facilitator",
                "organisation": roles_of(request.user).orgs_where(Role.FACILITATOR)[0],
            },
            status=403,
        )
    cohorts = list(selectors.facilitated_cohorts(request.user))
    return render(request, "groups/facilitating.html", {"cohorts": cohorts})


@login_required
def run_cohort(request, pk: int):
    found, refusal = _cohort_as_facilitator(request, pk)
    if refusal:
        return refusal
    people = list(selectors.participants(found))
    applications = list(selectors.applications(found))
    audit.record_reads(
        actor=request.user,
        subjects=[p.user for p in people + applications],
        target=f"your place in {found.programme.title} ({found.name})",
        role="facilitator",
    )
    return render(
        request,
        "groups/run_cohort.html",
        {
            "cohort": found,
            "programme": found.programme,
            "people": people,
            "applications": applications,
            "places": selectors.places(found),
            "sessions": list(selectors.sessions_of(found)),
            "facilitators": selectors.facilitators_of(found),
        },
    )


@login_required
def escalate_from_group(request, pk: int):
    found, refusal = _cohort_as_facilitator(request, pk)
    if refusal:
        return refusal
    people = list(selectors.participants(found))
    form = EscalationForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            escalation = services.escalate_about_participant(
                facilitator=request.user,
                cohort=found,
                participation_id=form.participation_id(),
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request,
                "The safety advisor on duty has been asked to help."
                if escalation.pages.exists()
                else "No safety advisor is on duty right now. Help the person reach a crisis "
                "line now (under “Need help now?”); an advisor can still pick this up.",
            )
            return redirect("escalation", pk=escalation.pk)
    return render(
        request,
        "groups/escalate.html",
        {"cohort": found, "programme": found.programme, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def answer_application(request, pk: int, answer: str):
    if answer not in {"accept", "decline"}:
        raise Http404("No such answer")
    place = get_object_or_404(Participation.objects.select_related("cohort", "user"), pk=pk)
    found, refusal = _cohort_as_facilitator(request, place.cohort_id)
    if refusal:
        return refusal
    try:
        place = services.answer_application(
            facilitator=request.user, participation=place, accept=answer == "accept"
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        name = place.user.display_name
        messages.success(
            request,
            {
                S.JOINED: f"{name} has a place and has been told.",
                S.WAITLISTED: f"The group is full, so {name} is on the waiting list.",
                S.DECLINED: f"{name} has been told, kindly, that there is no place this time.",
            }.get(place.status, "Done."),
        )
    return redirect("run_cohort", pk=found.pk)


@login_required
def attendance(request, pk: int):
    session, _place, facilitating_it = selectors.session_for(request.user, pk)
    if not facilitating_it:
        raise Http404("No such session")
    refusal = _facilitator_refusal(request, session.cohort)
    if refusal:
        return refusal
    sheet = selectors.attendance_sheet(session)
    audit.record_reads(
        actor=request.user,
        subjects=[p.user for p, _ in sheet],
        target=f"your attendance in {session.cohort.programme.title}",
        role="facilitator",
    )
    form = AttendanceForm(request.POST if request.method == "POST" else None, sheet=sheet)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_attendance(
                facilitator=request.user, session=session, marks=form.marks()
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request, "Attendance saved. Only facilitators and each person can see it."
            )
            return redirect("run_cohort", pk=session.cohort_id)
    return render(
        request,
        "groups/attendance.html",
        {"session": session, "cohort": session.cohort, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def merge_topic(request, pk: int):
    topic, _place, facilitating_it = selectors.topic_for(request.user, pk)
    if not facilitating_it:
        raise Http404("No such topic")
    refusal = _facilitator_refusal(request, topic.session.cohort)
    if refusal:
        return refusal
    into = topic.session.topics.filter(pk=request.POST.get("into") or 0).first()
    if into is None:
        messages.error(request, "Choose the topic to merge it into.")
    else:
        try:
            services.merge_topics(facilitator=request.user, topic=topic, into=into)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Merged. Its votes now count for the other topic.")
    return redirect("group_session", pk=topic.session_id)


@login_required
def add_material(request, pk: int):
    session, _place, facilitating_it = selectors.session_for(request.user, pk)
    if not facilitating_it:
        raise Http404("No such session")
    refusal = _facilitator_refusal(request, session.cohort)
    if refusal:
        return refusal
    form = MaterialForm(request.POST or None, initial={"kind": Material.Kind.PROMPT})
    if request.method == "POST" and form.is_valid():
        try:
            services.add_material(facilitator=request.user, session=session, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Added. The group sees it on the session page.")
            return redirect("group_session", pk=session.pk)
    return render(
        request,
        "groups/material_form.html",
        {"session": session, "cohort": session.cohort, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def delete_material(request, pk: int):
    material = get_object_or_404(Material.objects.select_related("session"), pk=pk)
    session, _place, facilitating_it = selectors.session_for(request.user, material.session_id)
    if not facilitating_it:
        raise Http404("No such material")
    refusal = _facilitator_refusal(request, session.cohort)
    if refusal:
        return refusal
    services.delete_material(facilitator=request.user, material=material)
    messages.success(request, "Removed.")
    return redirect("group_session", pk=session.pk)


@login_required
def reflection(request, pk: int):
    session, _place, facilitating_it = selectors.session_for(request.user, pk)
    if not facilitating_it:
        raise Http404("No such session")
    refusal = _facilitator_refusal(request, session.cohort)
    if refusal:
        return refusal
    saved = selectors.reflection_of(request.user, session)
    initial = (
        {"went_well": saved.went_well, "was_hard": saved.was_hard, "to_discuss": saved.to_discuss}
        if saved
        else {}
    )
    form = ReflectionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            _saved, consultation = services.save_reflection(
                facilitator=request.user, session=session, **form.cleaned_data
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Saved. Only you can read your reflection.")
            if consultation is not None:
                messages.success(
                    request,
                    f"We have asked the advisors of {session.cohort.programme.host.name} to get "
                    "in touch. You will see here when one picks it up.",
                )
            return redirect("reflection", pk=session.pk)
    return render(
        request,
        "groups/reflection.html",
        {
            "session": session,
            "cohort": session.cohort,
            "form": form,
            "saved": saved,
            "consultations": list(selectors.consultations_of(request.user, session)),
        },
        status=400 if form.errors else 200,
    )


@login_required
def cohort_feedback(request, pk: int):
    found, refusal = _cohort_as_facilitator(request, pk)
    if refusal:
        return refusal
    return render(
        request,
        "groups/cohort_feedback.html",
        {
            "cohort": found,
            "feedback": selectors.cohort_feedback(found),
            "threshold": schedule.FEEDBACK_THRESHOLD,
        },
    )


# --- advisors


@organisation_role_required(Role.ADVISOR)
def consultations(request, organisation):
    items = list(selectors.consultations_for(organisation)[:100])
    audit.record_reads(
        actor=request.user,
        subjects=[c.facilitator for c in items if c.note],
        target="a consultation request you shared with advisors",
        role="advisor",
    )
    return render(
        request, "groups/consultations.html", {"organisation": organisation, "items": items}
    )


@require_POST
@organisation_role_required(Role.ADVISOR)
def consultation_action(request, organisation, pk: int, action: str):
    if action not in {"take", "close"}:
        raise Http404("No such action")
    found = get_object_or_404(ConsultationRequest, pk=pk, organisation=organisation)
    try:
        if action == "take":
            services.take_consultation(advisor=request.user, consultation=found)
            messages.success(
                request,
                f"Thank you. {found.facilitator.display_name} has been told you will get in touch.",
            )
        else:
            services.close_consultation(advisor=request.user, consultation=found)
            messages.success(request, "Marked as done.")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("group_consultations", slug=organisation.slug)


# --- coordinators


@organisation_role_required(Role.COORDINATOR)
def manage_groups(request, organisation):
    programmes = list(selectors.programmes_of(organisation))
    current = selectors.with_current_facilitator(
        [c for programme in programmes for c in programme.cohorts.all()]
    )
    return render(
        request,
        "groups/manage.html",
        {"organisation": organisation, "programmes": programmes, "with_facilitator": current},
    )


def _programme_form(request, organisation, programme=None):
    initial = {}
    if programme is not None:
        initial = {
            "title": programme.title,
            "kind": programme.kind,
            "audience": programme.audience,
            "description": programme.description,
            "joining": programme.joining,
            "co_hosts": list(programme.co_hosts.all()),
            "agreement": programme.agreement,
        }
    else:
        initial = {"kind": Programme.Kind.SUPPORT_GROUP, "joining": Programme.Joining.APPLY}
    form = ProgrammeForm(
        request.POST or None, initial=initial, partners=selectors.partner_choices(organisation)
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            saved = services.save_programme(
                coordinator=request.user,
                organisation=organisation,
                programme=programme,
                co_hosts=data.pop("co_hosts", None) or [],
                **data,
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            if programme is None:
                messages.success(request, f"“{saved.title}” is saved. Now add its first cohort.")
                return redirect("new_cohort", slug=organisation.slug, pk=saved.pk)
            messages.success(request, f"“{saved.title}” is saved.")
            return redirect("manage_groups", slug=organisation.slug)
    return render(
        request,
        "groups/programme_form.html",
        {"organisation": organisation, "form": form, "programme": programme},
        status=400 if form.errors else 200,
    )


@organisation_role_required(Role.COORDINATOR)
def new_programme(request, organisation):
    return _programme_form(request, organisation)


@organisation_role_required(Role.COORDINATOR)
def edit_programme(request, organisation, pk: int):
    return _programme_form(request, organisation, selectors.programme_of(organisation, pk))


def _cohort_form(request, organisation, programme, cohort=None):
    co_hosts = selectors.organisation_ids(programme) - {organisation.pk}
    if cohort is not None:
        facilitations = selectors.facilitators_of(cohort)
        initial = {
            name: getattr(cohort, name)
            for name in (
                "name",
                "starts_on",
                "weekday",
                "start_time",
                "duration_minutes",
                "session_count",
                "format",
                "location",
                "video_link",
                "capacity",
            )
        }
        initial["facilitators"] = [f.user for f in facilitations]
        initial["accredited"] = [f.user for f in facilitations if f.accredited]
    else:
        initial = {"weekday": 1, "session_count": 10, "capacity": 8, "duration_minutes": 90}
    form = CohortForm(
        request.POST or None,
        initial=initial,
        facilitator_choices=selectors.facilitator_choices(organisation, co_hosts),
    )
    if request.method == "POST" and form.is_valid():
        people = list(form.cleaned_data["facilitators"])
        accredited = [p.pk for p in form.cleaned_data["accredited"]]
        try:
            if cohort is None:
                saved = services.create_cohort(
                    coordinator=request.user,
                    programme=programme,
                    facilitators=people,
                    accredited=accredited,
                    **form.cohort_fields(),
                )
                messages.success(
                    request,
                    f"Saved “{saved.name}” with {saved.session_count} sessions. Open it when you "
                    "are ready for members to join.",
                )
            else:
                changed = services.update_cohort(
                    coordinator=request.user,
                    cohort=cohort,
                    facilitators=people,
                    accredited=accredited,
                    **form.cohort_fields(),
                )
                messages.success(
                    request,
                    "Saved. Everyone with a place has been told about the new times, and their "
                    "calendar files now update."
                    if changed and cohort.status == Cohort.Status.OPEN
                    else "Saved.",
                )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            return redirect("manage_groups", slug=organisation.slug)
    return render(
        request,
        "groups/cohort_form.html",
        {"organisation": organisation, "programme": programme, "form": form, "cohort": cohort},
        status=400 if form.errors else 200,
    )


@organisation_role_required(Role.COORDINATOR)
def new_cohort(request, organisation, pk: int):
    return _cohort_form(request, organisation, selectors.programme_of(organisation, pk))


@organisation_role_required(Role.COORDINATOR)
def edit_cohort(request, organisation, pk: int):
    found = selectors.hosted_cohort(organisation, pk)
    return _cohort_form(request, organisation, found.programme, found)


@require_POST
@organisation_role_required(Role.COORDINATOR)
def open_cohort(request, organisation, pk: int):
    found = selectors.hosted_cohort(organisation, pk)
    try:
        services.open_cohort(coordinator=request.user, cohort=found)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"“{found.name}” is open. Members can find it under Groups.")
    return redirect("manage_groups", slug=organisation.slug)


@organisation_role_required(Role.COORDINATOR)
def group_insights(request, organisation):
    return render(
        request,
        "groups/insights.html",
        {"organisation": organisation, "programmes": selectors.insights(organisation)},
    )


# --- the facilitator guide


@login_required
def facilitator_guide(request):
    return render(
        request,
        "groups/guide.html",
        {"pages": selectors.guide_pages_for(user=request.user)},
    )


@login_required
def facilitator_guide_page(request, page_slug: str):
    pages = selectors.guide_pages_for(user=request.user)
    index = next((i for i, p in enumerate(pages) if p.slug == page_slug), None)
    if index is None:
        raise Http404("No such page")
    page = pages[index]
    return render(
        request,
        "groups/guide_page.html",
        {
            "page": page,
            "version": page.current,
            "body": render_markdown(page.current.body),
            "previous": pages[index - 1] if index > 0 else None,
            "next": pages[index + 1] if index + 1 < len(pages) else None,
        },
    )


@organisation_role_required(Role.COORDINATOR)
def manage_facilitator_guide(request, organisation):
    return render(
        request,
        "groups/manage_guide.html",
        {"organisation": organisation, "rows": selectors.guide_pages_of(organisation=organisation)},
    )


def _guide_form(request, organisation, *, slug=None, start=None):
    initial = {}
    if start is not None:
        initial = {"title": start.title, "summary": start.summary, "body": start.body}
    form = GuidePageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            page = services.save_guide_page(
                coordinator=request.user, organisation=organisation, slug=slug, **form.cleaned_data
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request,
                f"Saved version {page.current.number} of “{page.current.title}”. "
                f"Facilitators in {organisation.name} see it now.",
            )
            return redirect("manage_facilitator_guide", slug=organisation.slug)
    return render(
        request,
        "groups/guide_form.html",
        {"organisation": organisation, "form": form, "start": start},
        status=400 if form.errors else 200,
    )


@organisation_role_required(Role.COORDINATOR)
def new_facilitator_guide_page(request, organisation):
    return _guide_form(request, organisation)


@organisation_role_required(Role.COORDINATOR)
def edit_facilitator_guide_page(request, organisation, page_slug: str):
    page = selectors.editable_guide_page(
        organisation=organisation, slug=page_slug
    ) or selectors.kindred_guide_page(slug=page_slug)
    if page is None or page.current is None:
        raise Http404("No such page")
    return _guide_form(request, organisation, slug=page_slug, start=page.current)


@organisation_role_required(Role.COORDINATOR)
def facilitator_guide_history(request, organisation, page_slug: str):
    page = selectors.editable_guide_page(organisation=organisation, slug=page_slug)
    if page is None:
        raise Http404("No such page")
    versions, shown = guides.history(page, request.GET.get("version", ""))
    return render(
        request,
        "groups/guide_history.html",
        {
            "organisation": organisation,
            "page": page,
            "versions": versions,
            "shown": shown,
            "shown_body": render_markdown(shown.body) if shown else "",
        },
    )


@require_POST
@organisation_role_required(Role.COORDINATOR)
def restore_facilitator_guide_version(request, organisation, page_slug: str, number: int):
    version = get_object_or_404(
        FacilitatorGuideVersion.objects.select_related("page"),
        page__organisation=organisation,
        page__slug=page_slug,
        number=number,
    )
    page = services.restore_guide_version(
        coordinator=request.user, organisation=organisation, version=version
    )
    messages.success(
        request, f"Restored version {number} as version {page.current.number}. Nothing was lost."
    )
    return redirect("facilitator_guide_history", slug=organisation.slug, page_slug=page_slug)
