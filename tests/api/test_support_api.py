from kindred.accounts.services import create_api_token
from kindred.support.models import Message
from tests.factories import make_conversation, make_profile


def _bearer(user, strong=False):
    _, raw = create_api_token(user=user, name="t", strong=strong)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_member_asks_for_support_and_reads_its_state(client, world):
    make_profile(world.sam, world.school)
    headers = _bearer(world.alice)
    created = client.post(
        "/api/v1/support-requests",
        {"organisation": "st-elsewhere", "topics": ["exams"], "urgency": "today"},
        content_type="application/json",
        **headers,
    )
    assert created.status_code == 201
    body = client.get(f"/api/v1/support-requests/{created.json()['id']}", **headers).json()
    assert body["status"] == "offered"


def test_an_unknown_urgency_is_refused_with_the_reason(client, world):
    response = client.post(
        "/api/v1/support-requests",
        {"organisation": "st-elsewhere", "urgency": "yesterday"},
        content_type="application/json",
        **_bearer(world.alice),
    )
    assert response.status_code == 400
    assert "urgency" in response.json()["detail"]


def test_a_supporter_token_without_a_second_factor_cannot_act_as_supporter(client, world):
    assert client.get("/api/v1/offers", **_bearer(world.sam)).status_code == 403
    assert client.get("/api/v1/offers", **_bearer(world.sam, strong=True)).status_code == 200


def test_a_retried_message_with_the_same_client_id_is_stored_once(client, world):
    talk = make_conversation(world.alice, world.sam, world.school)
    headers = _bearer(world.alice)
    url = f"/api/v1/conversations/{talk.pk}/messages"
    payload = {"body": "hello", "client_id": "retry-1"}
    first = client.post(url, payload, content_type="application/json", **headers)
    again = client.post(url, payload, content_type="application/json", **headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Message.objects.count() == 1


def test_messages_after_an_id_are_what_a_reconnecting_client_missed(client, world):
    talk = make_conversation(world.alice, world.sam, world.school)
    headers = _bearer(world.alice)
    url = f"/api/v1/conversations/{talk.pk}/messages"
    ids = [
        client.post(
            url, {"body": f"m{i}", "client_id": f"c{i}"}, content_type="application/json", **headers
        ).json()["id"]
        for i in range(3)
    ]
    missed = client.get(f"{url}?after={ids[0]}", **headers).json()
    assert [m["body"] for m in missed] == ["m1", "m2"]


def test_a_message_to_a_closed_conversation_is_refused(client, world):
    talk = make_conversation(world.alice, world.sam, world.school, status="closed")
    response = client.post(
        f"/api/v1/conversations/{talk.pk}/messages",
        {"body": "hi", "client_id": "x"},
        content_type="application/json",
        **_bearer(world.alice),
    )
    assert response.status_code == 403


def test_nobody_else_reads_a_conversation_through_the_api(client, world):
    talk = make_conversation(world.alice, world.sam, world.school)
    for persona in (world.bob, world.cora, world.ada):
        response = client.get(
            f"/api/v1/conversations/{talk.pk}/messages", **_bearer(persona, strong=True)
        )
        assert response.status_code == 404
