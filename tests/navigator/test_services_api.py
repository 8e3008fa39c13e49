from kindred.accounts.services import create_api_token
from tests.conftest import sign_in
from tests.navigator.factories import make_service


def test_a_visitor_lists_national_services_with_the_same_filters(client, db):
    response = client.get("/api/v1/services", {"cost": "free", "q": "text"})
    assert response.status_code == 200
    body = response.json()
    names = {item["name"] for item in body["items"]}
    assert "Shout" in names
    shout = next(item for item in body["items"] if item["name"] == "Shout")
    assert shout["sms"] == "sms:85258?&body=SHOUT"
    assert shout["transparency"]["tells_school"] == "never"
    assert body["notices"] == []


def test_unknown_filter_values_are_ignored_with_a_notice(client, db):
    body = client.get("/api/v1/services", {"topic": "dragons", "open_now": "perhaps"}).json()
    assert body["count"] > 0
    assert any("dragons" in notice for notice in body["notices"])
    assert any("perhaps" in notice for notice in body["notices"])


def test_a_member_with_a_token_also_gets_their_organisations_services(client, world):
    service = make_service(name="St Elsewhere counselling", organisation=world.school)
    _, raw = create_api_token(user=world.alice, name="script")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    body = client.get("/api/v1/services", {"q": "counselling"}, **headers).json()
    assert "St Elsewhere counselling" in {item["name"] for item in body["items"]}
    one = client.get(f"/api/v1/services/{service.pk}", **headers)
    assert one.status_code == 200
    assert one.json()["organisation"] == "St Elsewhere Medical School"


def test_another_organisations_service_is_not_found(client, world):
    service = make_service(organisation=world.school)
    assert client.get(f"/api/v1/services/{service.pk}").status_code == 404
    assert sign_in(client, world.olga).get(f"/api/v1/services/{service.pk}").status_code == 404


def test_limit_and_offset_page_through_results(client, db):
    first = client.get("/api/v1/services", {"limit": 2}).json()
    second = client.get("/api/v1/services", {"limit": 2, "offset": 2}).json()
    assert len(first["items"]) == 2
    assert first["items"][0]["id"] != second["items"][0]["id"]
    assert first["count"] == second["count"]


def test_the_openapi_schema_lists_services(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/services" in paths
    assert "/api/v1/services/{service_id}" in paths
