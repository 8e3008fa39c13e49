from kindred.navigator.models import GuidePage, GuidePageVersion
from kindred.navigator.rendering import render_markdown
from tests.conftest import sign_in

GUIDE = "/support-a-friend/"
SEVEN = [
    "Noticing that a friend is struggling",
    "Starting the conversation",
    "Listening well",
    "What not to promise",
    "Helping them find support",
    "When and how to get urgent help",
    "Looking after yourself",
]


def test_a_visitor_reads_the_whole_guide_in_order(client, db):
    text = client.get(GUIDE).text
    positions = [text.index(title) for title in SEVEN]
    assert positions == sorted(positions)
    page = client.get("/support-a-friend/confidentiality/")
    assert page.status_code == 200
    assert "<h2>Do not promise to keep everything secret</h2>" in page.text
    assert "Next: </span>Helping them find support" in page.text


def test_an_unknown_page_is_not_found(client, db):
    assert client.get("/support-a-friend/nothing-here/").status_code == 404


def test_markdown_is_rendered_without_authors_html_or_unsafe_links():
    html = render_markdown(
        "# Title\n\n<script>alert(1)</script>\n\n[ok](https://a.example) "
        "[bad](javascript:alert(1)) <b>bold</b>\n\n- one\n- two"
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>" not in html
    assert 'href="javascript' not in html
    assert '<a href="https://a.example" rel="noreferrer">ok</a>' in html
    assert "<h2>Title</h2>" in html
    assert "<li>one</li>" in html


def test_a_coordinator_adapts_a_page_and_only_their_members_see_it(client, world):
    sign_in(client, world.cora)
    url = "/org/st-elsewhere/guide/listening/edit/"
    assert "Listening well" in client.get(url).text
    response = client.post(
        url, {"title": "Listening, St Elsewhere style", "body": "Just listen.", "note": "Ours"}
    )
    assert response.status_code == 302
    assert "Just listen." in client.get("/support-a-friend/listening/").text
    client.logout()
    assert "Just listen." in sign_in(client, world.alice).get("/support-a-friend/listening/").text
    client.logout()
    assert "Just listen." not in client.get("/support-a-friend/listening/").text
    assert (
        "Just listen." not in sign_in(client, world.olga).get("/support-a-friend/listening/").text
    )


def test_every_save_is_a_new_version_and_an_old_one_can_be_restored(client, world):
    sign_in(client, world.cora)
    url = "/org/st-elsewhere/guide/listening/edit/"
    client.post(url, {"title": "Listening", "body": "Version one."})
    client.post(url, {"title": "Listening", "body": "Version two.", "note": "Shorter"})
    page = GuidePage.objects.get(organisation=world.school, slug="listening")
    assert list(page.versions.values_list("number", flat=True)) == [2, 1]
    history = client.get("/org/st-elsewhere/guide/listening/history/?version=1").text
    assert "Version one." in history and "Shorter" in history
    client.post("/org/st-elsewhere/guide/listening/history/1/restore/")
    page.refresh_from_db()
    assert page.current.number == 3
    assert page.current.body == "Version one."
    assert page.current.note == "Restored version 1"


def test_a_coordinator_adds_a_new_page(client, world):
    sign_in(client, world.cora).post(
        "/org/st-elsewhere/guide/new/", {"title": "Exam season", "body": "Be kind."}
    )
    assert "Exam season" in client.get(GUIDE).text


def test_a_page_needs_a_title_and_text_and_keeps_what_was_typed(client, world):
    response = sign_in(client, world.cora).post(
        "/org/st-elsewhere/guide/new/", {"title": "", "body": "Some words"}
    )
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert "Some words" in response.text
    assert not GuidePageVersion.objects.filter(body="Some words").exists()


def test_national_history_is_not_open_to_coordinators(client, world):
    response = sign_in(client, world.cora).get("/org/st-elsewhere/guide/listening/history/")
    assert response.status_code == 404


def test_another_organisations_coordinator_cannot_edit(client, world):
    response = sign_in(client, world.oscar).get("/org/st-elsewhere/guide/listening/edit/")
    assert response.status_code == 404
