"""Q&A URLs for tests/test_authorization_matrix.py: each builds what it needs.

The event is St Elsewhere's and under way; Alice is going, Bob (a member) is not, so he is
refused with 403; Cora coordinates St Elsewhere and organises it; Olga and Oscar belong to
Northgate, which cannot see the event, so they get 404.
"""

from django.urls import reverse

from tests.qanda.builders import ask, ended_event, going, live_room

ROOM_PAGE = {
    "anon": "login",
    "alice": 200,
    "cora": 200,
    "bob": 403,
    "sam": 403,
    "olga": 404,
    "oscar": 404,
}
ROOM_POST = {"anon": "login", "alice": 302, "bob": 403, "olga": 404, "oscar": 404}
MODERATOR_POST = {"anon": "login", "cora": 302, "alice": 403, "bob": 403, "olga": 404}
ORGANISER_POST = {"anon": "login", "cora": 302, "alice": 403, "bob": 403, "oscar": 404}


def _event(name):
    return lambda w: reverse(name, args=[live_room(w).pk])


def _question(name):
    def url(w):
        event = live_room(w)
        return reverse(name, args=[ask(w.bob, event).pk])

    return url


def _merge(w):
    event = live_room(w)
    first = ask(w.bob, event)
    ask(w.alice, event, "And the second night?")
    return reverse("merge_question", args=[first.pk])


def _export(w):
    event = ended_event(w)
    going(w.alice, event)
    return reverse("export_questions", args=[event.pk])


def _api_event(name):
    return lambda w: reverse(name, args=[live_room(w).pk])


def rows(Row) -> list:  # noqa: N803 - the Row dataclass is passed in to avoid an import cycle
    return [
        Row("questions", _event("questions"), ROOM_PAGE),
        Row("question_list", _event("question_list"), ROOM_PAGE),
        Row(
            "ask_question",
            _event("ask_question"),
            {**ROOM_POST, "cora": 302},
            method="post",
            data={"text": "How do you switch off after a shift?"},
        ),
        Row("vote_question", _question("vote_question"), ROOM_POST, method="post"),
        Row("report_question", _question("report_question"), ROOM_POST, method="post"),
        Row(
            "moderate_question",
            _question("moderate_question"),
            MODERATOR_POST,
            method="post",
            data={"action": "pin"},
        ),
        Row("merge_question", _merge, MODERATOR_POST, method="post"),
        Row(
            "switch_qanda",
            _event("switch_qanda"),
            ORGANISER_POST,
            method="post",
            data={"on": "no"},
        ),
        Row(
            "export_questions",
            _export,
            {"anon": "login", "cora": 200, "alice": 403, "bob": 403, "oscar": 404, "olga": 404},
        ),
        Row(
            "api:list_questions",
            _api_event("api:list_questions"),
            {"anon": 401, "alice": 200, "cora": 200, "bob": 403, "olga": 404},
        ),
        Row(
            "api:ask_question",
            _api_event("api:ask_question"),
            {"anon": 401, "alice": 201, "bob": 403, "olga": 404},
            method="post",
            data={"text": "What helped you most in your first year?", "show_name": False},
            json=True,
        ),
        Row(
            "api:vote_question",
            lambda w: reverse("api:vote_question", args=[ask(w.bob, live_room(w)).pk]),
            {"anon": 401, "alice": 201, "bob": 403, "olga": 404},
            method="post",
            json=True,
        ),
    ]
