"""The audit trail: every service records its write here, inside the same transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from grassroots.core.scoping import unscoped

from .models import AuditEvent

GENESIS = "0" * 64
REDACTED = "＊＊＊"
# Fields whose values never enter the trail in clear.
SENSITIVE_FIELDS = frozenset({"id_number", "id_number_encrypted", "id_number_hash", "password"})


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """The values of `fields` (FKs by id) as JSON-ready values."""
    out = {}
    for name in fields:
        f = instance._meta.get_field(name)
        out[name] = _plain(getattr(instance, f.attname))
    return out


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for the fields that changed; sensitive values are redacted."""
    out = {}
    for key in sorted(set(before) | set(after)):
        b, a = _plain(before.get(key)), _plain(after.get(key))
        if b != a:
            out[key] = [REDACTED, REDACTED] if key in SENSITIVE_FIELDS else [b, a]
    return out


def _event_hash(prev_hash: str, payload: dict[str, Any]) -> str:
    body = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


def _payload(event: AuditEvent) -> dict[str, Any]:
    return {
        "at": event.at.isoformat(),
        "actor": event.actor_id,
        "action": event.action,
        "target": [event.target_type, event.target_id],
        "org": event.org_id,
        "changes": event.changes,
    }


def _lock_chain() -> None:
    """Serialize appends so the chain stays linear (SQLite writers are serialized already)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [0x6772_6173])


def record(
    *,
    actor,
    action: str,
    target: models.Model,
    org_id: int | None,
    changes: dict[str, Any] | None = None,
    label: str | None = None,
) -> AuditEvent:
    """Append one event. Must run inside the transaction of the change it describes."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record() must run inside the writing transaction")
    _lock_chain()
    with unscoped():
        prev = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS
    actor_id = getattr(actor, "pk", None)
    event = AuditEvent(
        at=timezone.now(),
        actor_id=actor_id,
        actor_label=str(actor) if actor_id else "system",
        action=action,
        target_type=target._meta.label_lower,
        target_id=target.pk,
        target_label=(label or str(target))[:200],
        org_id=org_id,
        changes=changes or {},
        prev_hash=prev,
    )
    event.hash = _event_hash(prev, _payload(event))
    event.save(force_insert=True)
    return event


def verify_chain() -> tuple[int, int | None]:
    """Walk the trail in order; return (events checked, id of the first broken event or None)."""
    prev = GENESIS
    checked = 0
    with unscoped():
        for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
            checked += 1
            if event.prev_hash != prev or _event_hash(prev, _payload(event)) != event.hash:
                return checked, event.pk
            prev = event.hash
    return checked, None
