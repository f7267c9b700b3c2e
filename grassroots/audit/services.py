"""The audit trail: every service records its write here, inside the same transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import json
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from grassroots.core.scoping import unscoped

from . import chain, checkpoints, verify
from .chain import GENESIS
from .models import AuditEvent

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


def event_row(event: AuditEvent) -> dict[str, Any]:
    """An event's stored fields as the chain hashes them."""
    return {name: getattr(event, name) for name in chain.FIELDS}


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
    chain.lock()
    with unscoped():
        head = AuditEvent.objects.unscoped_all().order_by("-id").values_list("id", "hash").first()
    prev_id, prev = head or (0, GENESIS)
    actor_id = getattr(actor, "pk", None)
    event = AuditEvent(
        # Ids follow the chain (the previous event's + 1, under the chain's lock), so a gap is a removed row.
        id=prev_id + 1,
        at=timezone.now(),
        actor_id=actor_id,
        actor_label=(str(actor) if actor_id else "system")[:150],
        action=action,
        target_type=target._meta.label_lower,
        target_id=target.pk,
        target_label=(label or str(target))[:200],
        org_id=org_id,
        # As the database gives it back (string keys, lists), so that the hash made now verifies later.
        changes=json.loads(json.dumps(changes or {})),
        prev_hash=prev,
        key_id=chain.current_key_id(),
    )
    event.hash = chain.event_hash(event_row(event))
    event.save(force_insert=True)
    every = settings.GRASSROOTS_AUDIT_CHECKPOINT_EVERY
    if every > 0 and event.id % every == 0:
        transaction.on_commit(checkpoints.checkpoint_write_quietly)
    return event


def verify_chain() -> tuple[int, int | None]:
    """Walk the whole trail; return (events checked, id of the first event found tampered, or None).
    The full report, checkpoints included, is `verify.verify()` (`grassroots audit_verify`)."""
    report = verify.verify(use_checkpoints=False)
    first = next((f.event_id for f in report.findings if f.event_id is not None), None)
    return report.checked, first
