"""The audit chain's arithmetic: the keyed hash of an event over every stored field, and its keys.

An event's hash is HMAC-SHA256, under the audit key named by its `key_id`, of a canonical JSON list of every
stored field of the event — id, time, actor id and label, action, target type, id and label, org id, changes,
the previous event's hash and the key id itself. Without the key nobody can compute a hash that verifies, so a
forged row, an edited one or a re-hashed suffix shows. The keys live outside the database
(settings.GRASSROOTS_AUDIT_KEYS, id → secret; the current one, settings.GRASSROOTS_AUDIT_KEY_ID, signs).

No reads here: `services.record` and the verifier read the rows, this module computes (and takes the lock).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from typing import Any

from django.conf import settings
from django.db import connection

GENESIS = "0" * 64
# The stored fields an event's hash covers, in the order they enter it (`hash` itself aside).
FIELDS = (
    "id",
    "at",
    "actor_id",
    "actor_label",
    "action",
    "target_type",
    "target_id",
    "target_label",
    "org_id",
    "changes",
    "prev_hash",
    "key_id",
)


def lock() -> None:
    """Serialize appends so the chain stays linear (SQLite writers are serialized already)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [0x6772_6173])


_AT, _CHANGES = FIELDS.index("at"), FIELDS.index("changes")


class UnknownKey(LookupError):
    """An event or a checkpoint names an audit key that is not configured."""


def current_key_id() -> str:
    return settings.GRASSROOTS_AUDIT_KEY_ID


def key_for(key_id: str) -> bytes:
    secret = settings.GRASSROOTS_AUDIT_KEYS.get(key_id)
    if not secret:
        raise UnknownKey(key_id)
    return secret.encode()


def _canonical_value(value: Any) -> Any:
    """JSON values as the database gives them back: PostgreSQL's jsonb writes a float such as 1e20 as the
    integer it equals, so such floats enter the hash as integers on both engines."""
    if isinstance(value, float) and value.is_integer() and "e" in repr(value):
        return int(value)
    if isinstance(value, dict):
        return {str(k): _canonical_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical_value(v) for v in value]
    return value


def _at(value: dt.datetime | str) -> str:
    if isinstance(value, str):
        return value
    return value.astimezone(dt.UTC).isoformat()


def canonical(row: dict[str, Any]) -> bytes:
    """The bytes an event's hash is computed over: every stored field of `row` (a dict with FIELDS' keys)."""
    values = [row[name] for name in FIELDS]
    values[_AT] = _at(row["at"])
    values[_CHANGES] = row["changes"] or {}
    body = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    if "e+" in body:  # a float written with an exponent, perhaps: the slow, exact path
        values[_CHANGES] = _canonical_value(values[_CHANGES])
        body = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return body.encode()


def event_hash(row: dict[str, Any]) -> str:
    """The keyed hash of one event (row: FIELDS' values), under the key its `key_id` names."""
    return hmac.new(key_for(row["key_id"]), canonical(row), hashlib.sha256).hexdigest()


def unkeyed_hashes(row: dict[str, Any]) -> set[str]:
    """Hashes someone without the key could have written for this row: plain SHA-256 of the same fields
    (alone or after the previous hash) and the trail's former scheme. A stored hash among them is forged."""
    body = canonical(row)
    legacy = json.dumps(
        {
            "at": _at(row["at"]),
            "actor": row["actor_id"],
            "action": row["action"],
            "target": [row["target_type"], row["target_id"]],
            "org": row["org_id"],
            "changes": row["changes"] or {},
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return {
        hashlib.sha256(body).hexdigest(),
        hashlib.sha256(row["prev_hash"].encode() + body).hexdigest(),
        hashlib.sha256((row["prev_hash"] + legacy).encode()).hexdigest(),
    }


def sign(data: dict[str, Any], key_id: str) -> str:
    """HMAC-SHA256 of a JSON-ready dict (a checkpoint) under the named audit key."""
    body = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    return hmac.new(key_for(key_id), body, hashlib.sha256).hexdigest()


def digest(body: bytes, key_id: str) -> str:
    """HMAC-SHA256 of `body` under the named audit key: the keyed digest other apps seal their records with
    (meetings: each frozen part of finalized minutes). UnknownKey when the key is not configured."""
    return hmac.new(key_for(key_id), body, hashlib.sha256).hexdigest()


def sign_unkeyed(data: dict[str, Any]) -> str:
    """Plain SHA-256 of the same JSON body `sign` keys: what someone without the key could have written."""
    body = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    return hashlib.sha256(body).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
