"""Re-encryption of stored ID numbers under a new key (`grassroots id_key_rotate`, docs/operations.md).

The same cipher and keyed hash as core.crypto, with the key named explicitly instead of read from settings.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken

from . import crypto


def check_key(key: str) -> str:
    """The key itself when it is a Fernet key (urlsafe base64 of 32 bytes); ValueError otherwise."""
    Fernet(key.encode())
    return key


def keyed_hash(value: str, key: str) -> str:
    return crypto.keyed_hash(value, key)


def reencrypt(token: str, *, old_key: str, new_key: str) -> tuple[str, str, str] | None:
    """(token, keyed hash, keyed hash of the tail) under `new_key` for a token under `old_key`; None when the
    token is already under `new_key` (a run that was interrupted and started again). InvalidToken when neither
    key opens it."""
    try:
        crypto._fernet(new_key).decrypt(token.encode())
    except InvalidToken:
        plain = crypto._fernet(old_key).decrypt(token.encode()).decode()
    else:
        return None
    token = crypto._fernet(new_key).encrypt(plain.encode()).decode()
    return token, crypto.keyed_hash(plain, new_key), crypto.tail_hash(plain, new_key)
