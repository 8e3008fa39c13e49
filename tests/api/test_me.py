from django.core.management import call_command

from kindred.accounts.services import create_api_token, revoke_api_token
from tests.conftest import sign_in


def test_me_answers_for_the_signed_in_session(client, world):
    response = sign_in(client, world.cora).get("/api/v1/me")
    body = response.json()
    assert body["display_name"] == "Cora"
    assert body["memberships"][0]["roles"] == ["coordinator", "member"]
    assert "email" not in body


def test_me_accepts_a_personal_bearer_token(client, world):
    _, raw = create_api_token(user=world.alice, name="script")
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json()["display_name"] == "Alice"


def test_a_revoked_token_no_longer_works(client, world):
    token, raw = create_api_token(user=world.alice, name="script")
    revoke_api_token(user=world.alice, token=token)
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401


def test_a_made_up_token_is_refused(client, db):
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer kdr_madeup")
    assert response.status_code == 401


def test_operators_can_print_a_token_for_a_person(world, capsys, client):
    call_command("create_api_token", "alice@example.org")
    raw = capsys.readouterr().out.strip()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


def test_the_openapi_schema_lists_me(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/me" in schema["paths"]
