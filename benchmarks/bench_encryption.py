"""Envelope encryption: cost of encrypting and reading messages."""

import time

from kindred.accounts.models import User
from kindred.core.encryption import decrypt, encrypt_for, forget_cached_keys

MESSAGES = 5_000
TEXT = "I have not slept properly since the exam results and I keep thinking I am behind. " * 6


def run() -> list[tuple[str, str, str]]:
    owner, _ = User.objects.get_or_create(email="bench-owner@example.org")
    forget_cached_keys()
    start = time.perf_counter()
    tokens = [encrypt_for(owner_id=owner.pk, plaintext=TEXT) for _ in range(MESSAGES)]
    encrypt_seconds = time.perf_counter() - start
    start = time.perf_counter()
    for token in tokens:
        decrypt(token)
    decrypt_seconds = time.perf_counter() - start
    per_encrypt = encrypt_seconds / MESSAGES * 1e6
    per_decrypt = decrypt_seconds / MESSAGES * 1e6
    return [
        (
            f"Encrypt a {len(TEXT)}-character message (incl. fetching the data key)",
            f"{per_encrypt:.0f} µs each",
            "< 1 ms",
        ),
        (
            f"Decrypt {MESSAGES} messages of one owner (cached data key)",
            f"{per_decrypt:.0f} µs each, {decrypt_seconds * 1000:.0f} ms in all",
            "< 100 µs each",
        ),
    ]
