"""Envelope encryption of personal text: per-owner data keys wrapped by configured master keys.

Scheme (see docs/encryption.md):

* KINDRED_ENCRYPTION_KEYS lists master keys, newest first: "k2:BASE64,k1:BASE64".
* Each owner (a user) has one random 256-bit data key, stored in a DataKey row wrapped with
  AES-256-GCM by a master key; the row records which master key wrapped it.
* Text is encrypted with AES-256-GCM under the owner's data key and stored as the token
  "kv1:<owner_id>:<data key row id>:<base64url(nonce + ciphertext)>".
* Deleting the owner's DataKey row (destroy_data_key) erases every text encrypted for them.
"""

from __future__ import annotations

import base64
import binascii
import functools
import os
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core import checks
from django.core.exceptions import FieldDoesNotExist, FieldError, ImproperlyConfigured
from django.db import IntegrityError, models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from kindred.core.models import DataKey

TOKEN_PREFIX = "kv1"
# Seconds an unwrapped data key (or a known-destroyed key) is trusted without asking the database.
CACHE_TTL_SECONDS = 60.0
_CACHE_MAX_ENTRIES = 10_000
_REWRAP_BATCH = 500
_KEY_BYTES = 32
_NONCE_BYTES = 12
_TAG_BYTES = 16
_KEY_ID_RE = re.compile(r"[A-Za-z0-9_.-]{1,40}")  # fits DataKey.wrapping_key_id
_B64URL_RE = re.compile(r"[A-Za-z0-9_-]+={0,2}")
_TOKEN_RE = re.compile(r"kv1:([0-9]+):([0-9]+):([A-Za-z0-9_-]+={0,2})")
# What a field on an instance whose ciphertext was erased is set to when it is saved again.
_ERASED_TOKEN = "kv1:erased"


class ErasedText(str):
    """The text shown in place of content whose owner's data key was destroyed."""

    __slots__ = ()


ERASED_TEXT = ErasedText("[erased]")


class InvalidTokenError(ValueError):
    """A stored token is malformed or fails authentication (tampered or moved between owners)."""


class UnknownMasterKeyError(ImproperlyConfigured):
    """A data key is wrapped by a master key that KINDRED_ENCRYPTION_KEYS no longer lists."""


@dataclass(frozen=True)
class MasterKey:
    """One entry of KINDRED_ENCRYPTION_KEYS."""

    key_id: str
    key: bytes = field(repr=False)


# --- master keys


@functools.lru_cache(maxsize=8)
def parse_master_keys(value: str) -> tuple[MasterKey, ...]:
    """Parse a KINDRED_ENCRYPTION_KEYS value into master keys, newest first."""
    entries = [entry.strip() for entry in value.split(",") if entry.strip()]
    if not entries:
        raise ImproperlyConfigured(
            "KINDRED_ENCRYPTION_KEYS is empty; set it to 'keyid:base64key' "
            "(python manage.py rotate_encryption_keys --generate makes one)."
        )
    keys: list[MasterKey] = []
    for position, entry in enumerate(entries, start=1):
        key_id, sep, encoded = entry.partition(":")
        key_id, encoded = key_id.strip(), encoded.strip()
        # Messages name the entry's position and id but never echo key material.
        if not sep or not _KEY_ID_RE.fullmatch(key_id):
            raise ImproperlyConfigured(
                f"KINDRED_ENCRYPTION_KEYS entry {position} must be 'keyid:base64key' with a key id "
                "of 1-40 letters, digits, '.', '_' or '-'."
            )
        if any(existing.key_id == key_id for existing in keys):
            raise ImproperlyConfigured(f"KINDRED_ENCRYPTION_KEYS lists key id {key_id!r} twice.")
        key = _decode_key(encoded)
        if key is None:
            raise ImproperlyConfigured(
                f"KINDRED_ENCRYPTION_KEYS key {key_id!r} is not 32 bytes of urlsafe base64."
            )
        keys.append(MasterKey(key_id=key_id, key=key))
    return tuple(keys)


def _decode_key(encoded: str) -> bytes | None:
    if not _B64URL_RE.fullmatch(encoded):
        return None
    unpadded = encoded.rstrip("=")
    try:
        key = base64.urlsafe_b64decode(unpadded + "=" * (-len(unpadded) % 4))
    except (binascii.Error, ValueError):
        return None
    return key if len(key) == _KEY_BYTES else None


def master_keys() -> tuple[MasterKey, ...]:
    """The configured master keys, newest first."""
    return parse_master_keys(settings.KINDRED_ENCRYPTION_KEYS)


def _master_key(key_id: str, *, owner_id: int) -> MasterKey:
    for candidate in master_keys():
        if candidate.key_id == key_id:
            return candidate
    raise UnknownMasterKeyError(
        f"The data key of owner {owner_id} is wrapped by master key {key_id!r}, which "
        "KINDRED_ENCRYPTION_KEYS does not list. Add that key back (after the newest) and run "
        "manage.py rotate_encryption_keys before removing it."
    )


def generate_master_key(key_id: str | None = None) -> str:
    """Return a new 'keyid:base64key' entry to prepend to KINDRED_ENCRYPTION_KEYS."""
    key_id = key_id or timezone.now().strftime("k%Y%m%d%H%M%S")
    if not _KEY_ID_RE.fullmatch(key_id):
        raise ValueError("A key id is 1-40 letters, digits, '.', '_' or '-'.")
    return f"{key_id}:{base64.urlsafe_b64encode(os.urandom(_KEY_BYTES)).decode('ascii')}"


# --- data keys


def _wrap_aad(owner_id: int) -> bytes:
    # Binding the owner means a wrapped key copied onto another owner's row will not unwrap.
    return f"kindred:datakey:v1:{owner_id}".encode()


def _text_aad(owner_id: int, key_ref: int) -> bytes:
    # Binding owner and key row means a token edited to name another owner fails authentication.
    return f"kindred:text:v1:{owner_id}:{key_ref}".encode()


def _seal(key: bytes, plaintext: bytes, aad: bytes) -> str:
    nonce = os.urandom(_NONCE_BYTES)
    return base64.urlsafe_b64encode(nonce + AESGCM(key).encrypt(nonce, plaintext, aad)).decode()


def _open(key: bytes, sealed: str, aad: bytes) -> bytes:
    """Decrypt _seal output; raises InvalidTag or binascii.Error."""
    raw = base64.urlsafe_b64decode(sealed)
    if len(raw) < _NONCE_BYTES + _TAG_BYTES:
        raise InvalidTag
    return AESGCM(key).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], aad)


@dataclass(frozen=True)
class _Unwrapped:
    key_ref: int  # the DataKey row's pk, which changes if a key is destroyed and recreated
    key: bytes = field(repr=False)


def _unwrap(row: DataKey) -> _Unwrapped:
    master = _master_key(row.wrapping_key_id, owner_id=row.owner_id)
    try:
        key = _open(master.key, row.wrapped_key, _wrap_aad(row.owner_id))
    except (InvalidTag, binascii.Error, ValueError):
        raise InvalidTokenError(
            f"The data key of owner {row.owner_id} does not unwrap with master key "
            f"{row.wrapping_key_id!r}: the row or the configured key is wrong."
        ) from None
    return _Unwrapped(key_ref=row.pk, key=key)


class _KeyCache:
    """Unwrapped data keys per owner, and keys known to be destroyed, each trusted for a TTL."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: dict[int, tuple[float, str, _Unwrapped]] = {}
        self._destroyed: dict[tuple[int, int], float] = {}

    def get(self, owner_id: int) -> _Unwrapped | None:
        with self._lock:
            entry = self._keys.get(owner_id)
        # Entries made under other master-key settings are ignored so a removed key stops working.
        if entry and entry[0] > _clock() and entry[1] == settings.KINDRED_ENCRYPTION_KEYS:
            return entry[2]
        return None

    def put(self, owner_id: int, unwrapped: _Unwrapped) -> None:
        with self._lock:
            self._trim(self._keys)
            self._keys[owner_id] = (
                _clock() + CACHE_TTL_SECONDS,
                settings.KINDRED_ENCRYPTION_KEYS,
                unwrapped,
            )

    def is_destroyed(self, owner_id: int, key_ref: int) -> bool:
        with self._lock:
            expires = self._destroyed.get((owner_id, key_ref))
        return expires is not None and expires > _clock()

    def mark_destroyed(self, owner_id: int, key_ref: int) -> None:
        with self._lock:
            self._trim(self._destroyed)
            self._destroyed[(owner_id, key_ref)] = _clock() + CACHE_TTL_SECONDS

    def drop(self, owner_id: int) -> None:
        with self._lock:
            self._keys.pop(owner_id, None)

    def clear(self) -> None:
        with self._lock:
            self._keys.clear()
            self._destroyed.clear()

    @staticmethod
    def _trim(entries: dict) -> None:
        if len(entries) >= _CACHE_MAX_ENTRIES:
            entries.clear()  # crude, but bounds memory; the next reads refill it


_clock = time.monotonic
_cache = _KeyCache()


def forget_cached_keys() -> None:
    """Drop every cached data key from this process."""
    _cache.clear()


def _fetch(owner_id: int) -> _Unwrapped | None:
    """Read the owner's data key from the database (None if destroyed) and cache it."""
    row = DataKey.objects.filter(owner_id=owner_id).first()
    if row is None:
        _cache.drop(owner_id)
        return None
    unwrapped = _unwrap(row)
    _cache.put(owner_id, unwrapped)
    return unwrapped


def _current_data_key(owner_id: int) -> _Unwrapped:
    """Fetch or create the owner's data key; always asks the database so writes never go stale."""
    unwrapped = _fetch(owner_id)
    if unwrapped is not None:
        return unwrapped
    newest = master_keys()[0]
    data_key = AESGCM.generate_key(bit_length=256)
    try:
        # The savepoint keeps a lost race from breaking the caller's transaction.
        with transaction.atomic():
            row = DataKey.objects.create(
                owner_id=owner_id,
                wrapping_key_id=newest.key_id,
                wrapped_key=_seal(newest.key, data_key, _wrap_aad(owner_id)),
            )
    except IntegrityError:
        # Another request created the owner's key first; use theirs.
        unwrapped = _fetch(owner_id)
        if unwrapped is None:
            raise
        return unwrapped
    unwrapped = _Unwrapped(key_ref=row.pk, key=data_key)
    _cache.put(owner_id, unwrapped)
    return unwrapped


@sensitive_variables()
def data_key_for(owner_id: int) -> bytes:
    """Return the owner's data key, creating (and wrapping) it on first use."""
    return _current_data_key(owner_id).key


def destroy_data_key(*, owner_id: int) -> None:
    """Delete the owner's data key, making everything encrypted for them unreadable."""
    DataKey.objects.filter(owner_id=owner_id).delete()
    _cache.drop(owner_id)


@receiver(post_delete, sender=DataKey, dispatch_uid="kindred.core.encryption.drop_deleted_key")
def _drop_deleted_key(sender: type[DataKey], instance: DataKey, **kwargs: Any) -> None:
    # Cascades (deleting a user) bypass destroy_data_key; keep this process's cache honest.
    _cache.drop(instance.owner_id)


@sensitive_variables()
def rewrap_all_data_keys() -> int:
    """Re-wrap every data key not wrapped by the newest master key; return how many changed."""
    newest = master_keys()[0]
    stale = DataKey.objects.exclude(wrapping_key_id=newest.key_id)
    # Ids first, then batches: no cursor stays open on the table while its rows are updated.
    pks = list(stale.order_by("pk").values_list("pk", flat=True))
    changed = 0
    for start in range(0, len(pks), _REWRAP_BATCH):
        for row in stale.filter(pk__in=pks[start : start + _REWRAP_BATCH]):
            unwrapped = _unwrap(row)
            # Conditional update: a row destroyed or re-wrapped meanwhile is left alone.
            changed += DataKey.objects.filter(
                pk=row.pk, wrapping_key_id=row.wrapping_key_id, wrapped_key=row.wrapped_key
            ).update(
                wrapping_key_id=newest.key_id,
                wrapped_key=_seal(newest.key, unwrapped.key, _wrap_aad(row.owner_id)),
            )
    return changed


# --- text


@sensitive_variables()
def encrypt_for(*, owner_id: int, plaintext: str) -> str:
    """Encrypt text under the owner's data key and return the token to store."""
    if not isinstance(owner_id, int) or isinstance(owner_id, bool):
        raise TypeError("owner_id must be an int.")
    unwrapped = _current_data_key(owner_id)
    sealed = _seal(unwrapped.key, plaintext.encode(), _text_aad(owner_id, unwrapped.key_ref))
    return f"{TOKEN_PREFIX}:{owner_id}:{unwrapped.key_ref}:{sealed}"


@sensitive_variables()
def decrypt(token: str) -> str | None:
    """Return the text in a token, or None if the owner's data key was destroyed (erased)."""
    if token == _ERASED_TOKEN:
        return None
    match = _TOKEN_RE.fullmatch(token) if isinstance(token, str) else None
    if match is None:
        raise InvalidTokenError("Not an encrypted-text token.")
    owner_id, key_ref, sealed = int(match[1]), int(match[2]), match[3]
    if _cache.is_destroyed(owner_id, key_ref):
        return None
    aad = _text_aad(owner_id, key_ref)
    cached = _cache.get(owner_id)
    if cached is not None and cached.key_ref == key_ref:
        try:
            return _open(cached.key, sealed, aad).decode()
        except (InvalidTag, binascii.Error, ValueError):
            pass  # the cached key may be stale (e.g. a rolled-back row); ask the database
    current = _fetch(owner_id)
    if current is None or current.key_ref != key_ref:
        _cache.mark_destroyed(owner_id, key_ref)
        return None
    try:
        return _open(current.key, sealed, aad).decode()
    except (InvalidTag, binascii.Error, ValueError):
        raise InvalidTokenError(f"A token of owner {owner_id} fails authentication.") from None


# --- model field


class _Token(str):
    """Ciphertext produced by pre_save; the only str get_prep_value lets reach the database."""

    __slots__ = ()


class EncryptedTextField(models.TextField):
    """A TextField stored encrypted for the owner named by owner_field; reads give plaintext."""

    description = "Text encrypted under its owner's data key"

    def __init__(self, *args: Any, owner_field: str, **kwargs: Any) -> None:
        self.owner_field = owner_field
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[Any, str, list[Any], dict[str, Any]]:
        """Include owner_field so migrations can rebuild the field."""
        name, _path, args, kwargs = super().deconstruct()
        kwargs["owner_field"] = self.owner_field
        return name, "kindred.core.encryption.EncryptedTextField", args, kwargs

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        """Add a check that owner_field is a foreign key to the user model."""
        return [*super().check(**kwargs), *self._check_owner_field()]

    def _check_owner_field(self) -> list[checks.CheckMessage]:
        try:
            owner = self.model._meta.get_field(self.owner_field)
        except FieldDoesNotExist:
            owner = None
        related = getattr(owner, "related_model", None)
        if (
            owner is None
            or not (owner.many_to_one or owner.one_to_one)
            or not isinstance(related, type)
            or related._meta.label_lower != settings.AUTH_USER_MODEL.lower()
        ):
            return [
                checks.Error(
                    f"owner_field {self.owner_field!r} must name a foreign key to "
                    f"{settings.AUTH_USER_MODEL} on {self.model._meta.label}.",
                    obj=self,
                    id="kindred_encryption.E001",
                )
            ]
        return []

    def _label(self) -> str:
        model = getattr(self, "model", None)
        return f"{model._meta.label}.{self.name}" if model else f"EncryptedTextField {self.name}"

    def _owner_id(self, model_instance: models.Model) -> int | None:
        attname = model_instance._meta.get_field(self.owner_field).attname
        return getattr(model_instance, attname)

    def pre_save(self, model_instance: models.Model, add: bool) -> str | None:
        """Return the token to store; the instance attribute keeps its plaintext."""
        value = getattr(model_instance, self.attname)
        if value is None or value == "":
            # Empty text is stored as "" (its length leaks nothing the token would hide), so
            # blank defaults and AddField migrations work and no data key is made for it.
            return None if value is None else _Token("")
        if isinstance(value, ErasedText):
            # Re-saving erased content keeps it erased and creates no new key for the owner.
            return _Token(_ERASED_TOKEN)
        owner_id = self._owner_id(model_instance)
        if owner_id is None:
            raise ValueError(
                f"{self._label()} needs {self.owner_field} set before it can be encrypted."
            )
        return _Token(encrypt_for(owner_id=owner_id, plaintext=str(value)))

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        """Decrypt a stored token; erased content reads as ERASED_TEXT."""
        if value is None or value == "":
            return value
        plaintext = decrypt(value)
        return ERASED_TEXT if plaintext is None else plaintext

    def get_prep_value(self, value: Any) -> Any:
        """Pass only tokens from pre_save, so update() or raw saves cannot store plaintext."""
        if value is None or value == "" or isinstance(value, _Token):
            return value
        raise FieldError(
            f"{self._label()} is encrypted: set it on an instance and "
            "call save() (QuerySet.update(), bulk_update() and fixtures cannot encrypt it)."
        )

    def get_lookup(self, lookup_name: str) -> Any:
        """Allow only isnull: ciphertext cannot be compared or searched."""
        if lookup_name != "isnull":
            raise FieldError(
                f"{self._label()} is encrypted and cannot be searched "
                f"with {lookup_name!r}; only isnull works."
            )
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name: str) -> Any:
        """Refuse transforms (lower, etc.), which would operate on ciphertext."""
        raise FieldError(
            f"{self._label()} is encrypted and cannot be searched "
            f"with {lookup_name!r}; only isnull works."
        )
