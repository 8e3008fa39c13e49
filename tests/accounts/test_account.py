import json

from kindred.accounts.models import ApiToken, NotificationSettings, User
from kindred.core.models import AuditEntry
from tests.conftest import sign_in


def test_a_member_changes_their_display_name(client, world):
    response = sign_in(client, world.alice).post(
        "/account/", {"display_name": "Gentle Puffin", "real_name": "", "country": "IE"}
    )
    assert response.status_code == 302
    world.alice.refresh_from_db()
    assert world.alice.display_name == "Gentle Puffin"
    assert world.alice.country == "IE"


def test_a_display_name_someone_else_uses_is_refused_and_the_form_keeps_the_input(client, world):
    response = sign_in(client, world.alice).post(
        "/account/", {"display_name": "bob", "real_name": "Alice R", "country": "GB"}
    )
    assert response.status_code == 200
    assert "Someone already uses that name" in response.text
    assert 'value="Alice R"' in response.text
    assert 'aria-invalid="true"' in response.text


def test_a_display_name_cannot_be_an_email_address(client, world):
    response = sign_in(client, world.alice).post(
        "/account/", {"display_name": "alice@uni.ac.uk", "real_name": "", "country": "GB"}
    )
    assert "cannot contain an email address" in response.text


def test_download_my_data_returns_everything_as_json(client, world):
    AuditEntry.objects.create(
        actor=world.cora,
        actor_label="Cora (coordinator)",
        subject=world.alice,
        action="viewed",
        target="role record",
    )
    response = sign_in(client, world.alice).get("/account/my-data.json")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["contact_email"] == "alice@example.org"
    assert data["memberships"][0]["organisation"] == "St Elsewhere Medical School"
    assert data["who_has_seen_my_data"][0]["who"] == "Cora (coordinator)"


def test_deleting_an_account_needs_the_words_typed(client, world):
    response = sign_in(client, world.alice).post("/account/delete/", {"confirm": "yes"})
    assert response.status_code == 200
    assert "Type the words “delete my account” exactly." in response.text
    assert User.objects.filter(pk=world.alice.pk).exists()


def test_deleting_an_account_erases_the_person_and_signs_them_out(client, world):
    sign_in(client, world.alice)
    response = client.post("/account/delete/", {"confirm": "Delete my account"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=world.alice.pk).exists()
    assert client.get("/account/").status_code == 302


def test_who_has_seen_my_data_lists_reads_by_others_but_not_by_me(client, world):
    AuditEntry.objects.create(
        actor=world.cora,
        actor_label="Cora (coordinator)",
        subject=world.alice,
        action="viewed",
        target="role record in St Elsewhere",
    )
    AuditEntry.objects.create(
        actor=world.alice, actor_label="Alice", subject=world.alice, action="joined", target="x"
    )
    AuditEntry.objects.create(
        actor=world.cora,
        actor_label="Cora (coordinator)",
        subject=world.bob,
        action="viewed",
        target="bob's record",
    )
    response = sign_in(client, world.alice).get("/account/who-has-seen-my-data/")
    assert "Cora (coordinator)" in response.text
    assert "role record in St Elsewhere" in response.text
    assert "bob&#x27;s record" not in response.text
    assert "joined" not in response.text


def test_notification_settings_are_saved(client, world):
    response = sign_in(client, world.alice).post(
        "/account/notifications/",
        {
            "email_messages": "on",
            "frequency": "daily",
            "quiet_hours_start": "22:00",
            "quiet_hours_end": "07:00",
        },
    )
    assert response.status_code == 302
    prefs = NotificationSettings.objects.get(user=world.alice)
    assert prefs.frequency == "daily"
    assert not prefs.email_bookings
    import datetime

    assert prefs.is_quiet_at(datetime.time(23, 30))
    assert not prefs.is_quiet_at(datetime.time(12, 0))


def test_quiet_hours_need_both_ends(client, world):
    response = sign_in(client, world.alice).post(
        "/account/notifications/", {"frequency": "daily", "quiet_hours_start": "22:00"}
    )
    assert "Give both a start and an end" in response.text


def test_a_person_creates_a_token_sees_it_once_and_revokes_it(client, world):
    sign_in(client, world.alice)
    client.post("/account/tokens/new/", {"name": "my calendar"})
    first = client.get("/account/").text
    assert "kdr_" in first
    token = ApiToken.objects.get(user=world.alice)
    assert token.digest not in first
    client.post(f"/account/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_new_token_is_shown_only_once(client, world):
    sign_in(client, world.alice)
    client.post("/account/tokens/new/", {"name": "my calendar"})
    assert "shown once" in client.get("/account/").text
    assert "shown once" not in client.get("/account/").text


def test_download_my_data_includes_my_requests_and_conversations(client, world):
    from kindred.support import services as support
    from tests.factories import make_conversation

    support.request_support(
        member=world.alice, organisation=world.school, body="my own words", topics=["exams"]
    )
    talk = make_conversation(world.alice, world.sam, world.school)
    support.send_message(sender=world.sam, conversation=talk, body="hello alice", client_id="1")
    data = json.loads(sign_in(client, world.alice).get("/account/my-data.json").content)
    written = [r["what_i_wrote"] for r in data["support"]["support_requests"]]
    assert "my own words" in written
    conversation = data["support"]["conversations"][0]
    assert conversation["with"] == "Sam"
    assert conversation["messages"][0] == {
        "from": "Sam",
        "sent": conversation["messages"][0]["sent"],
        "read": None,
        "text": "hello alice",
    }
    assert "notifications" in data["notifications"]
