"""The facilitator guide: a complete first version ships with Kindred; coordinators adapt pages
for their organisation, with every version kept and restorable."""

from kindred.groups import services
from kindred.groups.models import FacilitatorGuidePage, FacilitatorGuideVersion
from tests.conftest import sign_in

SECTIONS = [
    "Opening a session",
    "The group agreement",
    "Letting the group choose",
    "Managing silence and dominant voices",
    "Handling disclosures and risk",
    "Closing a session",
    "Looking after yourself",
]


def test_the_whole_guide_ships_in_order(client, world):
    sign_in(client, world.fay)
    text = client.get("/groups/guide/").text
    positions = [text.index(title) for title in SECTIONS]
    assert positions == sorted(positions)
    page = client.get("/groups/guide/disclosures-and-risk/")
    assert page.status_code == 200
    assert "<h2>When someone is at risk</h2>" in page.text
    assert "Next: </span>Closing a session" in page.text


def test_loading_again_adds_nothing_and_keeps_history(db):
    assert services.load_kindred_guide() == 0
    assert FacilitatorGuidePage.objects.filter(organisation__isnull=True).count() == 7


def test_an_unknown_page_is_not_found(client, world):
    sign_in(client, world.alice)
    assert client.get("/groups/guide/nothing-here/").status_code == 404


def test_a_coordinator_adapts_a_page_and_only_their_organisation_sees_it(client, world):
    sign_in(client, world.cora)
    url = "/org/st-elsewhere/groups/guide/closing/edit/"
    assert "Closing a session" in client.get(url).text
    response = client.post(
        url, {"title": "Closing, our way", "body": "End with a breath.", "note": "Ours"}
    )
    assert response.status_code == 302
    assert "End with a breath." in sign_in(client, world.fay).get("/groups/guide/closing/").text
    assert (
        "End with a breath." not in sign_in(client, world.olga).get("/groups/guide/closing/").text
    )


def test_history_keeps_every_version_and_restores_one(client, world):
    sign_in(client, world.cora)
    edit = "/org/st-elsewhere/groups/guide/opening/edit/"
    client.post(edit, {"title": "Opening", "body": "Version one of ours."})
    client.post(edit, {"title": "Opening", "body": "Version two of ours.", "note": "Shorter"})
    history = client.get("/org/st-elsewhere/groups/guide/opening/history/?version=1")
    assert "Version one of ours." in history.text and "Shorter" in history.text
    response = client.post("/org/st-elsewhere/groups/guide/opening/history/1/restore/")
    assert response.status_code == 302
    page = FacilitatorGuidePage.objects.get(organisation=world.school, slug="opening")
    assert page.current.number == 3 and page.current.body == "Version one of ours."
    assert FacilitatorGuideVersion.objects.filter(page=page).count() == 3


def test_a_new_page_and_its_form_keep_what_was_typed(client, world):
    sign_in(client, world.cora)
    response = client.post("/org/st-elsewhere/groups/guide/new/", {"title": "Online groups"})
    assert response.status_code == 400
    assert "Online groups" in response.text
    response = client.post(
        "/org/st-elsewhere/groups/guide/new/",
        {"title": "Online groups", "body": "Cameras optional."},
    )
    assert response.status_code == 302
    assert (
        "Cameras optional." in sign_in(client, world.fay).get("/groups/guide/online-groups/").text
    )


def test_html_in_a_page_is_shown_as_text(client, world):
    sign_in(client, world.cora)
    client.post(
        "/org/st-elsewhere/groups/guide/new/",
        {"title": "Sneaky", "body": "<script>alert(1)</script> [x](javascript:alert(1))"},
    )
    text = sign_in(client, world.fay).get("/groups/guide/sneaky/").text
    assert "<script>alert(1)</script>" not in text and 'href="javascript' not in text
