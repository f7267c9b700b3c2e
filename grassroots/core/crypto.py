"""Encryption at rest for personal identifiers, with a keyed hash so that exact-match search still works."""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet
from django.conf import settings

from . import id_number


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    return Fernet(key.encode())


@lru_cache(maxsize=4)
def _hash_key(key: str) -> bytes:
    # A separate key for hashing, derived from the encryption key.
    return hmac.new(base64.urlsafe_b64decode(key), b"grassroots-id-number-hash", hashlib.sha256).digest()


def encrypt(value: str) -> str:
    return _fernet(settings.ID_NUMBER_KEY).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet(settings.ID_NUMBER_KEY).decrypt(token.encode()).decode()


def keyed_hash(value: str, key: str | None = None) -> str:
    """The keyed hash of `value` under the ID key (or `key`, when a rotation names the new one)."""
    return hmac.new(_hash_key(key or settings.ID_NUMBER_KEY), value.encode(), hashlib.sha256).hexdigest()


def tail_hash(number: str, key: str | None = None) -> str:
    """The keyed hash of an ID number's last four characters (id_number.TAIL_LENGTH), for the search by tail.
    Keyed with its own derivation of the ID key, so that it never equals the hash of a whole number."""
    tail = number[-id_number.TAIL_LENGTH :]
    secret = _hash_key(key or settings.ID_NUMBER_KEY)
    return hmac.new(secret, b"tail:" + tail.encode(), hashlib.sha256).hexdigest()


def generate_key() -> str:
    return Fernet.generate_key().decode()


def protect_id_number(number: str) -> tuple[str, str, str, str]:
    """What a record stores for a normalized ID number: (encrypted, keyed hash, masked form, keyed hash of
    the tail) — the columns id_number_encrypted, id_number_hash, id_number_masked, id_number_tail_hash."""
    return encrypt(number), keyed_hash(number), id_number.mask(number), tail_hash(number)
