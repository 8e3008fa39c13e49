"""Envelope encryption: per-owner data keys, erasure, key rotation and the encrypted field."""

import base64
import io
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.test import override_settings
from django.test.utils import isolate_apps
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from kindred import settings as kindred_settings
from kindred.core import encryption
from kindred.core.encryption import (
    CACHE_TTL_SECONDS,
    ERASED_TEXT,
    EncryptedTextField,
    InvalidTokenError,
    UnknownMasterKeyError,
    data_key_for,
    decrypt,
    destroy_data_key,
    encrypt_for,
    forget_cached_keys,
    generate_master_key,
    parse_master_keys,
    rewrap_all_data_keys,
)
from kindred.core.models import DataKey


def _entry(key_id: str, key: bytes) -> str:
    return f"{key_id}:{base64.urlsafe_b64encode(key).decode()}"


# Fixed test keys: parametrize ids must be identical in every xdist worker.
OLD_KEY = _entry("old", b"old-master-key-for-tests-only-32")
NEW_KEY = _entry("new", b"new-master-key-for-tests-only-32")


@pytest.fixture(autouse=True)
def _empty_key_cache():
    # Rolled-back tests reuse owner and key ids, so no cached key may outlive a test.
    forget_cached_keys()
    yield
    forget_cached_keys()


def make_owner():
    return get_user_model().objects.create(email=f"owner-{uuid.uuid4().hex[:12]}@example.org")


def _with_owner_and_key(token: str, owner_id: int, key_ref: int) -> str:
    prefix, _owner, _ref, sealed = token.split(":")
    return f"{prefix}:{owner_id}:{key_ref}:{sealed}"


# --- text round trips


@pytest.mark.django_db
def test_it_round_trips_text_for_an_owner():
    owner = make_owner()
    token = encrypt_for(owner_id=owner.pk, plaintext="I keep thinking about the ward round.")
    assert decrypt(token) == "I keep thinking about the ward round."


@pytest.mark.django_db
def test_the_token_names_the_owner_but_does_not_contain_the_plaintext():
    owner = make_owner()
    plaintext = "confidential: I failed my OSCE"
    token = encrypt_for(owner_id=owner.pk, plaintext=plaintext)
    assert token.startswith(f"kv1:{owner.pk}:")
    assert plaintext not in token
    assert "OSCE" not in token
    assert base64.urlsafe_b64encode(plaintext.encode()).decode()[:12] not in token


@pytest.mark.django_db
def test_encrypting_the_same_text_twice_gives_different_tokens():
    owner = make_owner()
    first = encrypt_for(owner_id=owner.pk, plaintext="same")
    second = encrypt_for(owner_id=owner.pk, plaintext="same")
    assert first != second
    assert decrypt(first) == decrypt(second) == "same"


@pytest.mark.django_db
def test_any_text_round_trips():
    owner = make_owner()

    @given(st.text())
    @hypothesis_settings(max_examples=75, deadline=None)
    def check(text):
        assert decrypt(encrypt_for(owner_id=owner.pk, plaintext=text)) == text

    check()


# --- data keys


@pytest.mark.django_db
def test_each_owner_gets_one_data_key_of_their_own():
    alice, bob = make_owner(), make_owner()
    assert data_key_for(alice.pk) == data_key_for(alice.pk)
    assert data_key_for(alice.pk) != data_key_for(bob.pk)
    assert len(data_key_for(alice.pk)) == 32
    assert DataKey.objects.filter(owner=alice).count() == 1
    assert DataKey.objects.count() == 2


@pytest.mark.django_db
def test_the_stored_data_key_is_wrapped_not_plain():
    owner = make_owner()
    key = data_key_for(owner.pk)
    row = DataKey.objects.get(owner=owner)
    assert row.wrapping_key_id == "dev"
    assert base64.urlsafe_b64encode(key).decode().rstrip("=") not in row.wrapped_key


@pytest.mark.django_db
def test_it_uses_the_existing_key_when_another_request_creates_it_first(monkeypatch):
    owner = make_owner()
    existing = data_key_for(owner.pk)
    real_fetch = encryption._fetch
    calls = []

    def fetch_that_misses_once(owner_id):
        calls.append(owner_id)
        return None if len(calls) == 1 else real_fetch(owner_id)

    # The first read misses, as if the other request's row were not yet visible.
    monkeypatch.setattr(encryption, "_fetch", fetch_that_misses_once)
    assert data_key_for(owner.pk) == existing
    assert DataKey.objects.filter(owner=owner).count() == 1


@pytest.mark.django_db
def test_a_token_moved_to_another_owner_does_not_decrypt():
    alice, bob = make_owner(), make_owner()
    token = encrypt_for(owner_id=alice.pk, plaintext="alice's words")
    data_key_for(bob.pk)
    bob_key_ref = DataKey.objects.get(owner=bob).pk
    with pytest.raises(InvalidTokenError):
        decrypt(_with_owner_and_key(token, bob.pk, bob_key_ref))


@pytest.mark.django_db
def test_a_tampered_token_fails_clearly():
    owner = make_owner()
    token = encrypt_for(owner_id=owner.pk, plaintext="something private")
    flipped = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
    with pytest.raises(InvalidTokenError):
        decrypt(flipped)
    with pytest.raises(InvalidTokenError):
        decrypt("not a token")


@pytest.mark.django_db
def test_listing_many_texts_of_one_owner_costs_at_most_one_query(
    django_assert_max_num_queries,
):
    owner = make_owner()
    tokens = [encrypt_for(owner_id=owner.pk, plaintext=f"message {n}") for n in range(20)]
    forget_cached_keys()
    with django_assert_max_num_queries(1):
        assert [decrypt(token) for token in tokens] == [f"message {n}" for n in range(20)]


# --- erasure


@pytest.mark.django_db
def test_it_cannot_read_text_after_the_owner_key_is_destroyed():
    owner = make_owner()
    token = encrypt_for(owner_id=owner.pk, plaintext="please forget this")
    destroy_data_key(owner_id=owner.pk)
    assert not DataKey.objects.filter(owner=owner).exists()
    assert decrypt(token) is None


@pytest.mark.django_db
def test_deleting_the_owner_erases_their_text_at_once():
    owner = make_owner()
    token = encrypt_for(owner_id=owner.pk, plaintext="my account, my words")
    owner.delete()
    assert decrypt(token) is None


@pytest.mark.django_db
def test_erased_text_stays_erased_when_the_owner_writes_again():
    owner = make_owner()
    old = encrypt_for(owner_id=owner.pk, plaintext="before")
    destroy_data_key(owner_id=owner.pk)
    new = encrypt_for(owner_id=owner.pk, plaintext="after")
    assert decrypt(old) is None
    assert decrypt(new) == "after"


@pytest.mark.django_db
def test_listing_many_erased_texts_costs_at_most_one_query(django_assert_max_num_queries):
    owner = make_owner()
    tokens = [encrypt_for(owner_id=owner.pk, plaintext=f"message {n}") for n in range(20)]
    destroy_data_key(owner_id=owner.pk)
    with django_assert_max_num_queries(1):
        assert [decrypt(token) for token in tokens] == [None] * 20


@pytest.mark.django_db
def test_a_key_destroyed_elsewhere_stops_working_once_the_cache_ttl_passes(monkeypatch):
    now = [1_000.0]
    monkeypatch.setattr(encryption, "_clock", lambda: now[0])
    owner = make_owner()
    token = encrypt_for(owner_id=owner.pk, plaintext="cached for a while")
    # Another process deletes the row (raw SQL: no signal reaches this process's cache).
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {DataKey._meta.db_table} WHERE owner_id = %s", [owner.pk])
    assert decrypt(token) == "cached for a while"
    now[0] += CACHE_TTL_SECONDS + 1
    assert decrypt(token) is None


# --- master keys and rotation


@pytest.mark.django_db
def test_rotation_rewraps_data_keys_and_old_text_still_decrypts():
    with override_settings(KINDRED_ENCRYPTION_KEYS=OLD_KEY):
        owner = make_owner()
        token = encrypt_for(owner_id=owner.pk, plaintext="written before rotation")
        before = DataKey.objects.get(owner=owner)
    with override_settings(KINDRED_ENCRYPTION_KEYS=f"{NEW_KEY},{OLD_KEY}"):
        assert rewrap_all_data_keys() == 1
        after = DataKey.objects.get(owner=owner)
        assert (before.wrapping_key_id, after.wrapping_key_id) == ("old", "new")
        assert after.wrapped_key != before.wrapped_key
        assert rewrap_all_data_keys() == 0
        assert decrypt(token) == "written before rotation"
    with override_settings(KINDRED_ENCRYPTION_KEYS=NEW_KEY):
        assert decrypt(token) == "written before rotation"


@pytest.mark.django_db
def test_new_data_keys_are_wrapped_by_the_newest_master_key():
    with override_settings(KINDRED_ENCRYPTION_KEYS=f"{NEW_KEY},{OLD_KEY}"):
        owner = make_owner()
        data_key_for(owner.pk)
    assert DataKey.objects.get(owner=owner).wrapping_key_id == "new"


@pytest.mark.django_db
def test_a_token_whose_master_key_is_no_longer_listed_fails_clearly():
    with override_settings(KINDRED_ENCRYPTION_KEYS=OLD_KEY):
        owner = make_owner()
        token = encrypt_for(owner_id=owner.pk, plaintext="orphaned")
    with override_settings(KINDRED_ENCRYPTION_KEYS=NEW_KEY):
        with pytest.raises(UnknownMasterKeyError, match="'old'"):
            decrypt(token)
        with pytest.raises(ImproperlyConfigured):
            rewrap_all_data_keys()


@pytest.mark.parametrize(
    "value",
    [
        "",
        " , ",
        "no-key-id",
        _entry("", b"k" * 32),
        "k1:not base64!",
        _entry("k1", b"sixteen-byte-key"),
        "k1:" + base64.b64encode(b"\xfb" * 32).decode(),  # standard, not urlsafe, alphabet
        _entry("k 1", b"k" * 32),
        f"{OLD_KEY},{OLD_KEY}",
    ],
)
def test_a_malformed_key_setting_is_improperly_configured(value):
    with pytest.raises(ImproperlyConfigured) as raised:
        parse_master_keys(value)
    for entry in value.split(","):
        secret = entry.partition(":")[2].strip()
        if len(secret) > 8:
            assert secret not in str(raised.value)


def test_the_development_key_is_a_valid_setting():
    keys = parse_master_keys(kindred_settings.DEVELOPMENT_ENCRYPTION_KEY)
    assert [key.key_id for key in keys] == ["dev"]
    assert len(keys[0].key) == 32


def test_keys_are_listed_newest_first_and_never_shown_in_repr():
    keys = parse_master_keys(f"{NEW_KEY}, {OLD_KEY},")
    assert [key.key_id for key in keys] == ["new", "old"]
    assert NEW_KEY.partition(":")[2] not in repr(keys)


def test_generated_master_keys_are_fresh_and_parse():
    first, second = generate_master_key(), generate_master_key()
    assert first != second
    assert len(parse_master_keys(f"{first}")) == 1
    with pytest.raises(ValueError):
        generate_master_key("bad:id")


def test_the_rotate_command_prints_a_new_key_entry():
    out = io.StringIO()
    call_command("rotate_encryption_keys", "--generate", "--key-id", "k9", stdout=out)
    (key,) = parse_master_keys(out.getvalue().strip())
    assert key.key_id == "k9"


@pytest.mark.django_db
def test_the_rotate_command_rewraps_and_reports_the_count():
    with override_settings(KINDRED_ENCRYPTION_KEYS=OLD_KEY):
        owner = make_owner()
        data_key_for(owner.pk)
    out = io.StringIO()
    with override_settings(KINDRED_ENCRYPTION_KEYS=f"{NEW_KEY},{OLD_KEY}"):
        call_command("rotate_encryption_keys", stdout=out)
    assert "Re-wrapped 1 data key(s) with master key 'new'" in out.getvalue()


# --- the model field


@pytest.fixture
def note_model():
    with isolate_apps("kindred.core"):

        class Note(models.Model):
            author = models.ForeignKey(get_user_model(), on_delete=models.CASCADE, related_name="+")
            body = EncryptedTextField(owner_field="author", null=True, blank=True)

            class Meta:
                app_label = "core"
                db_table = "test_encryption_note"

            def __str__(self) -> str:
                return f"note {self.pk}"

        yield Note


@pytest.mark.django_db
def test_the_field_stores_a_token_and_reads_back_plaintext(note_model):
    owner = make_owner()
    note = note_model(author=owner, body="I am struggling")
    field = note_model._meta.get_field("body")
    token = field.pre_save(note, add=True)
    assert token.startswith(f"kv1:{owner.pk}:") and "struggling" not in token
    assert note.body == "I am struggling"
    assert field.from_db_value(token, None, connection) == "I am struggling"
    assert field.from_db_value(None, None, connection) is None


@pytest.mark.django_db
def test_the_field_reads_erased_text_after_the_key_is_destroyed(note_model):
    owner = make_owner()
    field = note_model._meta.get_field("body")
    token = field.pre_save(note_model(author=owner, body="gone soon"), add=True)
    destroy_data_key(owner_id=owner.pk)
    assert field.from_db_value(token, None, connection) is ERASED_TEXT


@pytest.mark.django_db
def test_resaving_erased_text_keeps_it_erased_without_a_new_key(note_model):
    owner = make_owner()
    field = note_model._meta.get_field("body")
    token = field.pre_save(note_model(author=owner, body="gone"), add=True)
    destroy_data_key(owner_id=owner.pk)
    loaded = note_model(author=owner, body=field.from_db_value(token, None, connection))
    assert field.from_db_value(field.pre_save(loaded, add=False), None, connection) is ERASED_TEXT
    assert not DataKey.objects.filter(owner=owner).exists()


def test_the_field_needs_an_owner_before_it_can_encrypt(note_model):
    with pytest.raises(ValueError, match="author"):
        note_model._meta.get_field("body").pre_save(note_model(body="orphan"), add=True)


def test_the_field_cannot_be_searched_except_for_null(note_model):
    for lookup in ("body", "body__exact", "body__icontains", "body__in", "body__lower"):
        with pytest.raises(FieldError, match="encrypted"):
            note_model.objects.filter(**{lookup: "x"})
    assert "IS NULL" in str(note_model.objects.filter(body__isnull=True).query)


def test_the_field_refuses_plaintext_that_bypasses_save(note_model):
    with pytest.raises(FieldError, match="encrypted"):
        note_model._meta.get_field("body").get_prep_value("plaintext")


def test_the_field_deconstructs_with_its_owner_field(note_model):
    field = note_model._meta.get_field("body")
    name, path, args, kwargs = field.deconstruct()
    assert (name, path) == ("body", "kindred.core.encryption.EncryptedTextField")
    assert kwargs["owner_field"] == "author"
    assert EncryptedTextField(*args, **kwargs).owner_field == "author"


def test_the_field_checks_that_its_owner_field_is_a_user_foreign_key(note_model):
    assert note_model._meta.get_field("body").check() == []
    with isolate_apps("kindred.core"):

        class Broken(models.Model):
            body = EncryptedTextField(owner_field="author")

            class Meta:
                app_label = "core"

            def __str__(self) -> str:
                return "broken"

        errors = Broken._meta.get_field("body").check()
    assert [error.id for error in errors] == ["kindred_encryption.E001"]


@pytest.fixture
def note_table(note_model, transactional_db):
    with connection.schema_editor() as editor:
        editor.create_model(note_model)
    yield note_model
    with connection.schema_editor() as editor:
        editor.delete_model(note_model)


def test_saved_models_keep_only_ciphertext_in_the_database(note_table):
    owner = make_owner()
    note = note_table.objects.create(author=owner, body="I failed my OSCE")
    assert note.body == "I failed my OSCE"
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM test_encryption_note WHERE id = %s", [note.pk])
        (stored,) = cursor.fetchone()
    assert stored.startswith(f"kv1:{owner.pk}:") and "OSCE" not in stored
    assert note_table.objects.get(pk=note.pk).body == "I failed my OSCE"

    note.body = "edited"
    note.save()
    note.refresh_from_db()
    assert note.body == "edited"
    with pytest.raises(FieldError, match="encrypted"):
        note_table.objects.update(body="plaintext via update")

    destroy_data_key(owner_id=owner.pk)
    erased = note_table.objects.get(pk=note.pk)
    assert erased.body is ERASED_TEXT
    erased.save()
    assert note_table.objects.get(pk=note.pk).body is ERASED_TEXT
    assert not DataKey.objects.filter(owner=owner).exists()
    assert note_table.objects.filter(body__isnull=True).count() == 0


@pytest.mark.django_db
def test_the_rotate_command_explains_a_missing_master_key():
    with override_settings(KINDRED_ENCRYPTION_KEYS=OLD_KEY):
        data_key_for(make_owner().pk)
    with (
        override_settings(KINDRED_ENCRYPTION_KEYS=NEW_KEY),
        pytest.raises(CommandError, match="'old'"),
    ):
        call_command("rotate_encryption_keys", stdout=io.StringIO())
