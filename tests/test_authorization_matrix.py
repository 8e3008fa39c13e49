"""Who may reach every URL: anonymous, the owner, another member, another organisation.

Another organisation's objects answer 404, never 403, so nothing about them leaks.
Adding a URL without a row here fails `test_every_url_has_an_entry_in_the_matrix`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, path, reverse

from kindred.accounts.models import RoleGrant
from kindred.accounts.services import create_api_token
from kindred.accounts.views import demo_sign_in_token
from tests.conftest import sign_in
from tests.events import urls_for_matrix as events_matrix
from tests.factories import make_conversation, make_profile
from tests.groups import urls_for_matrix as grp
from tests.navigator import urls_for_matrix as nav
from tests.officehours import urls_for_matrix as oh
from tests.qanda import urls_for_matrix as qanda_matrix
from tests.safety import urls_for_matrix as safe

LOGIN = "login"  # 302 to the sign-in page


@dataclass
class Row:
    name: str
    url: Callable  # world -> path
    expect: dict[str, int | str]
    method: str = "get"
    data: dict = field(default_factory=dict)
    json: bool = False


def _alice_token(world):
    token, _ = create_api_token(user=world.alice, name="calendar")
    return reverse("revoke_token", args=[token.pk])


def _conversation(world):
    return make_conversation(world.alice, world.sam, world.school)


def _conversation_url(name):
    return lambda w: reverse(name, args=[_conversation(w).pk])


def _alice_request(world):
    from kindred.support.models import SupportRequest

    found = SupportRequest.objects.create(member=world.alice, organisation=world.school)
    return reverse("support_request", args=[found.pk])


def _alice_open_request(name):
    def build(world):
        from kindred.support.models import SupportRequest

        found = SupportRequest.objects.create(member=world.alice, organisation=world.school)
        return reverse(name, args=[found.pk])

    return build


def _sams_offer(answer):
    def build(world):
        import datetime

        from django.utils import timezone

        from kindred.support.models import Offer, SupportRequest

        found = SupportRequest.objects.create(
            member=world.alice, organisation=world.school, status="offered"
        )
        offer = Offer.objects.create(
            request=found,
            supporter=make_profile(world.sam, world.school),
            expires_at=timezone.now() + datetime.timedelta(hours=4),
        )
        return reverse("answer_offer", args=[offer.pk, answer])

    return build


def _api_offer(answer):
    def build(world):
        path = _sams_offer(answer)(world)
        offer_id = path.split("/")[-3]
        return reverse(f"api:{answer}_offer", args=[offer_id])

    return build


def _api_messages(world):
    return reverse("api:list_messages", args=[_conversation(world).pk])


def _suggest(world):
    return reverse("suggest_service", args=[_conversation(world).pk])


def _referral(world):
    from kindred.support.services import suggest_service
    from tests.navigator.factories import make_service

    referral = suggest_service(
        supporter=world.sam, conversation=_conversation(world), service_id=make_service().pk
    )
    return reverse("referral_outcome", args=[referral.pk])


def _closed_conversation_url(name):
    def build(world):
        return reverse(name, args=[_conversation(world).pk])

    return build


# Participants only: coordinators, advisors and other members get 404, like strangers.
CONVERSATION = {
    "anon": LOGIN,
    "alice": 200,
    "sam": 200,
    "bob": 404,
    "cora": 404,
    "ada": 404,
    "olga": 404,
}
CONVERSATION_POST = {"anon": LOGIN, "alice": 302, "bob": 404, "cora": 404, "ada": 404, "olga": 404}


def _sams_grant(world):
    grant = RoleGrant.objects.get(membership__user=world.sam, role="supporter")
    return reverse("revoke_role", args=[world.school.slug, grant.pk])


MATRIX = [
    Row("home", lambda w: reverse("home"), {"anon": 200, "alice": 200, "cora": 200, "olga": 200}),
    Row("confidence", lambda w: reverse("confidence"), {"anon": 200, "alice": 200}),
    Row("crisis_lines", lambda w: reverse("crisis_lines"), {"anon": 200, "alice": 200}),
    Row("healthz", lambda w: reverse("healthz"), {"anon": 200, "alice": 200}),
    Row("account", lambda w: reverse("account"), {"anon": LOGIN, "alice": 200}),
    Row("download_my_data", lambda w: reverse("download_my_data"), {"anon": LOGIN, "alice": 200}),
    Row("delete_account", lambda w: reverse("delete_account"), {"anon": LOGIN, "alice": 200}),
    Row(
        "who_has_seen_my_data",
        lambda w: reverse("who_has_seen_my_data"),
        {"anon": LOGIN, "alice": 200},
    ),
    Row(
        "notification_settings",
        lambda w: reverse("notification_settings"),
        {"anon": LOGIN, "alice": 200},
    ),
    Row(
        "create_token",
        lambda w: reverse("create_token"),
        {"anon": LOGIN, "alice": 302},
        method="post",
        data={"name": "calendar"},
    ),
    Row(
        "revoke_token",
        _alice_token,
        {"anon": LOGIN, "alice": 302, "bob": 404, "olga": 404},
        method="post",
    ),
    Row("join_organisation", lambda w: reverse("join_organisation"), {"anon": LOGIN, "alice": 200}),
    Row(
        "join_organisation_confirm",
        lambda w: reverse("join_organisation_confirm"),
        {"anon": LOGIN, "alice": 302},
    ),
    Row(
        "people_and_roles",
        lambda w: reverse("people_and_roles"),
        {"anon": LOGIN, "alice": 403, "cora": 302, "oscar": 302},
    ),
    Row(
        "people_and_roles_for",
        lambda w: reverse("people_and_roles_for", args=[w.school.slug]),
        {"anon": LOGIN, "alice": 403, "sam": 403, "cora": 200, "oscar": 404, "olga": 404},
    ),
    Row(
        "revoke_role",
        _sams_grant,
        {"anon": LOGIN, "alice": 403, "sam": 403, "cora": 302, "oscar": 404},
        method="post",
    ),
    Row(
        "demo_sign_in",
        lambda w: reverse("demo_sign_in", args=[demo_sign_in_token(w.alice.email)]),
        {"anon": 302, "bob": 302},
    ),
    Row(
        "support_home", lambda w: reverse("support_home"), {"anon": LOGIN, "alice": 200, "sam": 200}
    ),
    Row(
        "ask_for_support",
        lambda w: reverse("ask_for_support"),
        {"anon": LOGIN, "alice": 200, "olga": 200},
    ),
    Row(
        "support_request",
        _alice_request,
        {"anon": LOGIN, "alice": 200, "bob": 404, "sam": 404, "cora": 404, "olga": 404},
    ),
    Row(
        "withdraw_request",
        _alice_open_request("withdraw_request"),
        {"anon": LOGIN, "alice": 302, "bob": 404, "cora": 404, "olga": 404},
        method="post",
    ),
    Row("offers", lambda w: reverse("offers"), {"anon": LOGIN, "sam": 200, "alice": 403}),
    Row(
        "answer_offer",
        _sams_offer("decline"),
        {"anon": LOGIN, "sam": 302, "alice": 403, "bob": 403, "fay": 403},
        method="post",
    ),
    Row("conversation", _conversation_url("conversation"), CONVERSATION),
    Row("conversation_messages", _conversation_url("conversation_messages"), CONVERSATION),
    Row(
        "close_conversation",
        _conversation_url("close_conversation"),
        {**CONVERSATION_POST, "sam": 302},
        method="post",
    ),
    Row(
        "delete_conversation",
        _conversation_url("delete_conversation"),
        {**CONVERSATION_POST, "sam": 403},
        method="post",
    ),
    Row(
        "keep_conversation",
        _conversation_url("keep_conversation"),
        {**CONVERSATION_POST, "sam": 403},
        method="post",
        data={"keep": "yes"},
    ),
    Row(
        "report_conversation",
        _conversation_url("report_conversation"),
        {**CONVERSATION_POST, "sam": 302},
        method="post",
    ),
    Row("block", _conversation_url("block"), {**CONVERSATION_POST, "sam": 302}, method="post"),
    Row(
        "conversation_feedback",
        _conversation_url("conversation_feedback"),
        {**CONVERSATION, "sam": 404},
    ),
    Row("session_log", _conversation_url("session_log"), {**CONVERSATION, "alice": 404}),
    Row(
        "suggest_service",
        _suggest,
        {**CONVERSATION_POST, "sam": 302, "alice": 404},
        method="post",
    ),
    Row(
        "referral_outcome",
        _referral,
        {**CONVERSATION_POST, "sam": 404},
        method="post",
        data={"outcome": "helped"},
    ),
    Row(
        "supporter_profile",
        lambda w: reverse("supporter_profile", args=[w.school.slug]),
        {"anon": LOGIN, "sam": 200, "alice": 403, "cora": 403, "olga": 404},
    ),
    Row(
        "support_queue",
        lambda w: reverse("support_queue", args=[w.school.slug]),
        {"anon": LOGIN, "cora": 200, "alice": 403, "sam": 403, "oscar": 404},
    ),
    Row(
        "run_assignment",
        lambda w: reverse("run_assignment", args=[w.school.slug]),
        {"anon": LOGIN, "cora": 302, "alice": 403, "oscar": 404},
        method="post",
    ),
    Row(
        "support_reports",
        lambda w: reverse("support_reports", args=[w.school.slug]),
        {"anon": LOGIN, "cora": 200, "ada": 403, "alice": 403, "oscar": 404},
    ),
    Row(
        "support_settings",
        lambda w: reverse("support_settings", args=[w.school.slug]),
        {"anon": LOGIN, "cora": 200, "sam": 403, "alice": 403, "oscar": 404},
    ),
    Row("notifications", lambda w: reverse("notifications"), {"anon": LOGIN, "alice": 200}),
    Row(
        "notifications_mark_read",
        lambda w: reverse("notifications_mark_read"),
        {"anon": LOGIN, "alice": 302},
        method="post",
    ),
    # Navigator: public pages work signed out; an organisation's own things answer 404 outside it.
    Row("service_directory", lambda w: reverse("service_directory"), {"anon": 200, "alice": 200}),
    Row(
        "service_detail",
        nav.service_detail,
        {"anon": 404, "alice": 200, "cora": 200, "olga": 404, "oscar": 404},
    ),
    Row("finder", lambda w: reverse("finder"), {"anon": 200, "alice": 200, "olga": 200}),
    Row(
        "save_finder_answers",
        lambda w: reverse("save_finder_answers"),
        {"anon": LOGIN, "alice": 302},
        method="post",
        data={"urgency": "week"},
    ),
    Row(
        "forget_finder_answers",
        lambda w: reverse("forget_finder_answers"),
        {"anon": LOGIN, "alice": 302},
        method="post",
    ),
    Row("friend_guide", lambda w: reverse("friend_guide"), {"anon": 200, "alice": 200}),
    Row(
        "guide_page",
        lambda w: reverse("guide_page", args=["listening"]),
        {"anon": 200, "alice": 200, "olga": 200},
    ),
    Row(
        "manage_services",
        nav.school_url("manage_services"),
        {"anon": LOGIN, "alice": 403, "sam": 403, "cora": 200, "oscar": 404, "olga": 404},
    ),
    Row(
        "create_service",
        nav.school_url("create_service"),
        {"anon": LOGIN, "alice": 403, "cora": 200, "oscar": 404},
    ),
    Row(
        "edit_service",
        nav.school_service_url("edit_service"),
        {"anon": LOGIN, "alice": 403, "cora": 200, "oscar": 404},
    ),
    Row(
        "retire_service",
        nav.school_service_url("retire_service"),
        {"anon": LOGIN, "alice": 403, "cora": 302, "oscar": 404},
        method="post",
    ),
    Row(
        "mark_service_reviewed",
        nav.school_service_url("mark_service_reviewed"),
        {"anon": LOGIN, "alice": 403, "cora": 302, "oscar": 404},
        method="post",
    ),
    Row(
        "export_services",
        nav.school_url("export_services", "csv"),
        {"anon": LOGIN, "alice": 403, "cora": 200, "oscar": 404},
    ),
    Row(
        "import_services",
        nav.school_url("import_services"),
        {"anon": LOGIN, "alice": 403, "cora": 200, "oscar": 404},
    ),
    Row(
        "manage_guide",
        nav.school_url("manage_guide"),
        {"anon": LOGIN, "alice": 403, "cora": 200, "oscar": 404},
    ),
    Row(
        "new_guide_page",
        nav.school_url("new_guide_page"),
        {"anon": LOGIN, "alice": 403, "cora": 200, "oscar": 404},
    ),
    Row(
        "edit_guide_page",
        nav.school_url("edit_guide_page", "listening"),
        {"anon": LOGIN, "alice": 403, "cora": 200, "oscar": 404},
    ),
    Row(
        "guide_page_history",
        nav.school_url("guide_page_history", "listening"),
        {"anon": LOGIN, "alice": 403, "cora": 404, "oscar": 404},
    ),
    Row(
        "restore_guide_version",
        nav.restore_guide_version,
        {"anon": LOGIN, "alice": 403, "cora": 302, "oscar": 404},
        method="post",
    ),
    Row("api:list_services", lambda w: reverse("api:list_services"), {"anon": 200, "alice": 200}),
    Row("api:get_service", nav.api_service, {"anon": 404, "alice": 200, "olga": 404}),
    Row("api:me", lambda w: reverse("api:me"), {"anon": 401, "alice": 200}),
    Row(
        "api:create_support_request",
        lambda w: reverse("api:create_support_request"),
        {"anon": 401, "alice": 201, "olga": 404},
        method="post",
        data={"organisation": "st-elsewhere", "topics": ["exams"]},
        json=True,
    ),
    Row(
        "api:get_support_request",
        lambda w: (
            _alice_request(w).replace("/support/requests/", "/api/v1/support-requests/").rstrip("/")
        ),
        {"anon": 401, "alice": 200, "bob": 404, "sam": 404, "cora": 404},
    ),
    Row(
        "api:list_offers",
        lambda w: reverse("api:list_offers"),
        {"anon": 401, "sam": 200, "alice": 403},
    ),
    Row(
        "api:accept_offer",
        _api_offer("accept"),
        {"anon": 401, "sam": 200, "alice": 403, "fay": 403},
        method="post",
    ),
    Row(
        "api:decline_offer",
        _api_offer("decline"),
        {"anon": 401, "sam": 200, "alice": 403},
        method="post",
    ),
    Row(
        "api:list_conversations",
        lambda w: reverse("api:list_conversations"),
        {"anon": 401, "alice": 200},
    ),
    Row(
        "api:list_messages",
        _api_messages,
        {"anon": 401, "alice": 200, "sam": 200, "bob": 404, "cora": 404, "ada": 404},
    ),
    Row(
        "api:post_message",
        _api_messages,
        {"anon": 401, "alice": 201, "sam": 201, "bob": 404, "cora": 404, "olga": 404},
        method="post",
        data={"body": "hello", "client_id": "m1"},
        json=True,
    ),
    # Office hours: members book in their own organisation; a booking is its two people's.
    Row(
        "office_hours",
        lambda w: reverse("office_hours"),
        {"anon": LOGIN, "alice": 200, "olga": 200},
    ),
    Row(
        "book_slot",
        oh.slot("book_slot"),
        {"anon": LOGIN, "alice": 200, "sam": 200, "olga": 404, "oscar": 404},
    ),
    Row("my_bookings", lambda w: reverse("my_bookings"), {"anon": LOGIN, "alice": 200}),
    Row("booking", oh.booking("booking"), oh.BOOKING),
    Row("booking_calendar_file", oh.booking("booking_calendar_file"), oh.BOOKING),
    Row("cancel_booking", oh.booking("cancel_booking"), oh.BOOKING),
    Row(
        "move_booking",
        oh.booking("move_booking"),
        {"anon": LOGIN, "alice": 302, "sam": 404, "bob": 404, "cora": 404, "olga": 404},
        method="post",
    ),
    Row(
        "mark_no_show",
        oh.booking("mark_no_show", started=True),
        {"anon": LOGIN, "sam": 302, "alice": 404, "bob": 404, "cora": 404},
        method="post",
    ),
    Row(
        "walk_in",
        oh.walk_in("walk_in"),
        {"anon": LOGIN, "alice": 200, "bob": 200, "olga": 404, "oscar": 404},
    ),
    Row("queue_place", oh.walk_in("queue_place"), {"anon": LOGIN, "alice": 200, "olga": 404}),
    Row(
        "join_queue",
        oh.walk_in("join_queue"),
        {"anon": LOGIN, "alice": 302, "olga": 404},
        method="post",
    ),
    Row(
        "leave_queue",
        oh.walk_in("leave_queue"),
        {"anon": LOGIN, "alice": 302, "olga": 404},
        method="post",
    ),
    Row("availability", oh.school("availability"), oh.SUPPORTER_PAGE),
    Row("new_rule", oh.school("new_rule"), oh.SUPPORTER_PAGE),
    Row("edit_rule", oh.rule("edit_rule"), {**oh.SUPPORTER_PAGE, "fay": 403}),
    Row("delete_rule", oh.rule("delete_rule"), oh.SUPPORTER_POST, method="post"),
    Row("new_time_off", oh.school("new_time_off"), oh.SUPPORTER_PAGE),
    Row("delete_time_off", oh.time_off("delete_time_off"), oh.SUPPORTER_POST, method="post"),
    Row("supporter_sessions", oh.school("supporter_sessions"), oh.SUPPORTER_PAGE),
    Row("run_queue", oh.queue("run_queue"), oh.SUPPORTER_PAGE),
    Row("queue_list", oh.queue("queue_list"), oh.SUPPORTER_PAGE),
    Row("call_next", oh.queue("call_next"), oh.SUPPORTER_POST, method="post"),
    Row("calendar_feed_settings", oh.school("calendar_feed_settings"), oh.SUPPORTER_PAGE),
    Row(
        "revoke_calendar_feed",
        oh.school("revoke_calendar_feed"),
        oh.SUPPORTER_POST,
        method="post",
    ),
    Row("office_hours_coverage", oh.school("office_hours_coverage"), oh.COORDINATOR_PAGE),
    Row("academic_calendar", oh.school("academic_calendar"), oh.COORDINATOR_PAGE),
    Row(
        "delete_milestone",
        oh.milestone("delete_milestone"),
        {"anon": LOGIN, "cora": 302, "alice": 403, "oscar": 404},
        method="post",
    ),
    # The secret in a calendar feed's address is its only key (calendar apps cannot sign in).
    Row("calendar_feed", oh.calendar_feed, {"anon": 200, "alice": 200}),
    Row("api:list_slots", lambda w: reverse("api:list_slots"), {"anon": 401, "alice": 200}),
    # No such slot in their organisations (the happy path is in tests/officehours/test_api.py).
    Row(
        "api:create_booking",
        lambda w: reverse("api:create_booking"),
        {"anon": 401, "alice": 404, "olga": 404},
        method="post",
        data={"slot_id": 0},
        json=True,
    ),
    Row("api:list_bookings", lambda w: reverse("api:list_bookings"), {"anon": 401, "alice": 200}),
    Row(
        "api:cancel_booking",
        oh.api_booking,
        {"anon": 401, "alice": 200, "sam": 200, "bob": 404, "cora": 404, "olga": 404},
        method="delete",
    ),
    # Safety: escalations are their advisors' and their raiser's; plans are their owner's.
    Row("safety_conversation_panel", safe.conversation("safety_conversation_panel"), CONVERSATION),
    Row(
        "escalate",
        safe.conversation("escalate"),
        {**CONVERSATION_POST, "sam": 302, "alice": 404},
        method="post",
    ),
    Row("escalation", safe.escalation("escalation"), safe.ESCALATION),
    Row(
        "acknowledge_escalation",
        safe.escalation("acknowledge_escalation"),
        safe.ADVISOR_POST,
        method="post",
    ),
    Row(
        "escalation_action",
        safe.escalation("escalation_action", acknowledged=True),
        safe.ADVISOR_POST,
        method="post",
        data={"kind": "spoke_to_supporter"},
    ),
    Row(
        "close_escalation",
        safe.escalation("close_escalation", acknowledged=True),
        safe.ADVISOR_POST,
        method="post",
        data={"outcome": "supporter_guided"},
    ),
    Row(
        "escalations_about_me",
        lambda w: reverse("escalations_about_me"),
        {"anon": LOGIN, "alice": 200, "olga": 200},
    ),
    Row("safety_plan", lambda w: reverse("safety_plan"), {"anon": LOGIN, "alice": 200}),
    Row("edit_safety_plan", lambda w: reverse("edit_safety_plan"), {"anon": LOGIN, "alice": 200}),
    Row(
        "delete_safety_plan",
        lambda w: reverse("delete_safety_plan"),
        {"anon": LOGIN, "alice": 302},
        method="post",
    ),
    Row(
        "advisor_escalations",
        safe.school("advisor_escalations"),
        {"anon": LOGIN, "ada": 200, "alice": 403, "sam": 403, "cora": 403, "oscar": 404},
    ),
    Row(
        "safety_rota",
        safe.school("safety_rota"),
        {"anon": LOGIN, "cora": 200, "ada": 403, "alice": 403, "oscar": 404, "olga": 404},
    ),
    Row(
        "remove_duty_shift",
        safe.duty_shift,
        {"anon": LOGIN, "cora": 302, "ada": 403, "alice": 403, "oscar": 404},
        method="post",
    ),
    Row(
        "safety_supervision",
        safe.school("safety_supervision"),
        {"anon": LOGIN, "cora": 200, "ada": 200, "alice": 403, "sam": 403, "oscar": 404},
    ),
    Row(
        "api:get_safety_plan", lambda w: reverse("api:get_safety_plan"), {"anon": 401, "alice": 200}
    ),
    Row(
        "api:put_safety_plan",
        lambda w: reverse("api:put_safety_plan"),
        {"anon": 401, "alice": 200},
        method="put",
        data={"warning_signs": "Not sleeping"},
        json=True,
    ),
    Row(
        "api:list_escalations",
        lambda w: reverse("api:list_escalations"),
        {"anon": 401, "ada": 200, "alice": 403, "sam": 403},
    ),
    # Groups: a group's pages are its participants' and facilitators'; coordinators see numbers.
    Row(
        "groups_home", lambda w: reverse("groups_home"), {"anon": LOGIN, "alice": 200, "olga": 200}
    ),
    Row(
        "cohort",
        grp.cohort("cohort"),
        {"anon": LOGIN, "alice": 200, "bob": 200, "cora": 200, "olga": 404, "oscar": 404},
    ),
    Row(
        "join_cohort",
        grp.cohort("join_cohort"),
        {"anon": LOGIN, "bob": 200, "alice": 302, "olga": 404, "oscar": 404},
    ),
    Row(
        "leave_cohort",
        grp.cohort("leave_cohort"),
        {"anon": LOGIN, "alice": 200, "bob": 404, "cora": 404, "olga": 404},
    ),
    Row(
        "answer_place_offer",
        grp.offered,
        {"anon": LOGIN, "alice": 302, "bob": 404, "olga": 404},
        method="post",
        data={"answer": "accept"},
    ),
    Row(
        "group_agreement",
        grp.cohort("group_agreement"),
        {"anon": LOGIN, "alice": 200, "bob": 200, "olga": 404},
    ),
    Row(
        "cohort_calendar_file",
        grp.cohort("cohort_calendar_file"),
        {"anon": LOGIN, "alice": 200, "fay": 200, "bob": 404, "cora": 404, "olga": 404},
    ),
    Row("group_session", grp.session("group_session"), grp.PARTICIPANT_PAGE),
    Row(
        "suggest_topic",
        grp.session("suggest_topic"),
        grp.PARTICIPANT_POST,
        method="post",
        data={"text": "Rotas"},
    ),
    Row(
        "session_feedback",
        grp.session("session_feedback", held=True),
        {**grp.PARTICIPANT_PAGE, "fay": 404},
    ),
    Row("vote_topic", grp.topic("vote_topic"), grp.PARTICIPANT_POST, method="post"),
    Row("withdraw_topic", grp.topic("withdraw_topic"), grp.PARTICIPANT_POST, method="post"),
    Row(
        "facilitator_guide",
        lambda w: reverse("facilitator_guide"),
        {"anon": LOGIN, "alice": 200, "fay": 200, "olga": 200},
    ),
    Row(
        "facilitator_guide_page",
        lambda w: reverse("facilitator_guide_page", args=["opening"]),
        {"anon": LOGIN, "alice": 200, "fay": 200},
    ),
    Row(
        "facilitating",
        lambda w: reverse("facilitating"),
        {"anon": LOGIN, "fay": 200, "alice": 403, "cora": 403},
    ),
    Row("run_cohort", grp.cohort("run_cohort"), grp.FACILITATOR_PAGE),
    Row("escalate_from_group", grp.cohort("escalate_from_group"), grp.FACILITATOR_PAGE),
    Row("cohort_feedback", grp.cohort("cohort_feedback"), grp.FACILITATOR_PAGE),
    Row("answer_application", grp.application, grp.FACILITATOR_POST, method="post"),
    Row("attendance", grp.session("attendance", held=True), grp.FACILITATOR_PAGE),
    Row("add_material", grp.session("add_material"), grp.FACILITATOR_PAGE),
    Row("reflection", grp.session("reflection", held=True), grp.FACILITATOR_PAGE),
    Row("merge_topic", grp.topic("merge_topic"), grp.FACILITATOR_POST, method="post"),
    Row("delete_material", grp.material, grp.FACILITATOR_POST, method="post"),
    Row("group_consultations", grp.school("group_consultations"), grp.ADVISOR_PAGE),
    Row(
        "consultation_action",
        grp.consultation,
        {"anon": LOGIN, "ada": 302, "alice": 403, "cora": 403, "oscar": 404},
        method="post",
    ),
    Row("manage_groups", grp.school("manage_groups"), grp.COORDINATOR_PAGE),
    Row("group_insights", grp.school("group_insights"), grp.COORDINATOR_PAGE),
    Row("new_programme", grp.school("new_programme"), grp.COORDINATOR_PAGE),
    Row("edit_programme", grp.programme("edit_programme"), grp.COORDINATOR_PAGE),
    Row("new_cohort", grp.programme("new_cohort"), grp.COORDINATOR_PAGE),
    Row("edit_cohort", grp.hosted("edit_cohort"), grp.COORDINATOR_PAGE),
    Row(
        "open_cohort",
        grp.hosted("open_cohort", opened=False),
        grp.COORDINATOR_POST,
        method="post",
    ),
    Row(
        "manage_facilitator_guide",
        grp.school("manage_facilitator_guide"),
        grp.COORDINATOR_PAGE,
    ),
    Row(
        "new_facilitator_guide_page",
        grp.school("new_facilitator_guide_page"),
        grp.COORDINATOR_PAGE,
    ),
    Row(
        "edit_facilitator_guide_page",
        grp.guide_page("edit_facilitator_guide_page"),
        grp.COORDINATOR_PAGE,
    ),
    Row("facilitator_guide_history", grp.guide_history, grp.COORDINATOR_PAGE),
    Row(
        "restore_facilitator_guide_version",
        grp.guide_restore,
        grp.COORDINATOR_POST,
        method="post",
    ),
    Row("api:list_cohorts", lambda w: reverse("api:list_cohorts"), {"anon": 401, "alice": 200}),
    Row(
        "api:join_cohort",
        grp.api_cohort("api:join_cohort"),
        {"anon": 401, "bob": 201, "alice": 409, "olga": 404, "oscar": 404},
        method="post",
        data={"agree_to_group_agreement": True},
        json=True,
    ),
    Row(
        "api:list_topics",
        grp.api_session("api:list_topics"),
        {"anon": 401, "alice": 200, "fay": 200, "bob": 404, "cora": 404, "olga": 404},
    ),
    Row(
        "api:suggest_topic",
        grp.api_session("api:suggest_topic"),
        {"anon": 401, "alice": 201, "fay": 403, "bob": 404, "olga": 404},
        method="post",
        data={"text": "Rotas"},
        json=True,
    ),
    Row(
        "api:vote_topic",
        grp.api_topic("api:vote_topic"),
        {"anon": 401, "alice": 200, "bob": 404, "fay": 403, "olga": 404},
        method="post",
        json=True,
    ),
    Row("api:api-root", lambda w: reverse("api:api-root"), {"anon": 404, "alice": 404}),
    Row("api:openapi-json", lambda w: reverse("api:openapi-json"), {"anon": 200, "alice": 200}),
    Row("api:openapi-view", lambda w: reverse("api:openapi-view"), {"anon": 200, "alice": 200}),
]

MATRIX += events_matrix.rows(Row) + qanda_matrix.rows(Row)

THIRD_PARTY_NAMESPACES = {"admin"}  # Django's admin checks is_staff itself


def project_url_names(patterns, namespace: str = "") -> set[str]:
    """Names of the project's own URL patterns (third-party sign-in and admin excluded)."""
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in THIRD_PARTY_NAMESPACES:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= project_url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            module = getattr(pattern.callback, "__module__", "") or ""
            if module.startswith("allauth."):
                continue  # allauth's sign-in pages are tested by allauth and tests/accounts
            names.add(f"{namespace}{pattern.name or pattern.pattern}")
    return names


def uncovered(patterns) -> set[str]:
    return project_url_names(patterns) - {row.name for row in MATRIX}


def test_every_url_has_an_entry_in_the_matrix():
    assert uncovered(get_resolver().url_patterns) == set()


def test_the_matrix_check_catches_a_url_added_without_an_entry():
    def new_view(request):
        raise AssertionError("never called")

    patterns = [*get_resolver().url_patterns, path("new-feature/", new_view, name="new_feature")]
    assert uncovered(patterns) == {"new_feature"}


def test_the_matrix_check_catches_an_unnamed_url():
    def new_view(request):
        raise AssertionError("never called")

    patterns = [*get_resolver().url_patterns, path("unnamed/", new_view)]
    assert uncovered(patterns) == {"unnamed/"}


CASES = [(row, persona) for row in MATRIX for persona in row.expect]


@pytest.mark.parametrize(
    ("row", "persona"), CASES, ids=[f"{row.name}-{persona}" for row, persona in CASES]
)
def test_who_may_reach_each_url(client, world, row, persona):
    url = row.url(world)
    if persona != "anon":
        sign_in(client, getattr(world, persona))
    if row.json:
        response = getattr(client, row.method)(url, row.data, content_type="application/json")
    else:
        response = getattr(client, row.method)(url, row.data)
    expected = row.expect[persona]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected, response.content[:500]
