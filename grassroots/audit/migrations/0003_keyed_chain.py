"""The keyed audit chain: events carry the id of the audit key their hash is made with, and the events stored
under the former scheme (plain SHA-256 over some of the fields) are re-chained with the keyed hash over every
stored field (audit.chain), in batches. The re-chaining is itself recorded: one `audit.rechain` event at the
head, and a signed restart checkpoint in the checkpoint file when its directory can be written."""

import datetime as dt
import json
import sys
from pathlib import Path

from django.conf import settings
from django.db import migrations, models

from grassroots.audit import chain

BATCH = 2000
FIELDS = [*chain.FIELDS, "hash"]


def _row(event) -> dict:
    return {name: getattr(event, name) for name in chain.FIELDS}


def rechain(apps, schema_editor):
    model = apps.get_model("audit", "AuditEvent")
    events = model._base_manager.order_by("pk")
    key_id = chain.current_key_id()
    prev, last, count = chain.GENESIS, 0, 0
    while True:
        batch = list(events.filter(pk__gt=last)[:BATCH])
        if not batch:
            break
        for event in batch:
            event.key_id = key_id
            event.prev_hash = prev
            event.hash = chain.event_hash(_row(event))
            prev = event.hash
        model._base_manager.bulk_update(batch, ["key_id", "prev_hash", "hash"])
        last, count = batch[-1].pk, count + len(batch)
    if not count:
        return
    note = f"re-chained {count} events with the keyed hash (key {key_id})"
    event = model(
        id=last + 1,
        at=dt.datetime.now(dt.UTC),
        actor_id=None,
        actor_label="system",
        action="audit.rechain",
        target_type="audit.auditevent",
        target_id=last,
        target_label=note[:200],
        org_id=None,
        changes={"events": [None, count], "key_id": [None, key_id]},
        prev_hash=prev,
        key_id=key_id,
    )
    event.hash = chain.event_hash(_row(event))
    event.save(force_insert=True)
    _checkpoint(event, count + 1, note)


def _checkpoint(event, count: int, note: str) -> None:
    """The restart line anchoring the re-chained trail (audit.checkpoints' format); skipped, with a word on
    stderr, when the directory cannot be written — then run `grassroots audit_checkpoint` after the migration."""
    configured = settings.GRASSROOTS_AUDIT_CHECKPOINT_DIR
    folder = Path(configured) if configured else Path(settings.DATA_DIR) / "audit-checkpoints"
    entry = {
        "kind": "restart",
        "event_id": event.id,
        "hash": event.hash,
        "count": count,
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "key_id": event.key_id,
        "note": note,
    }
    entry["signature"] = chain.sign(entry, entry["key_id"])
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / "checkpoints.jsonl", "a", encoding="utf-8") as out:
            out.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
    except OSError as error:
        sys.stderr.write(f"\naudit checkpoint not written ({error}): run `grassroots audit_checkpoint`\n")


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(default="", max_length=16),
            preserve_default=False,
        ),
        migrations.RunPython(rechain, migrations.RunPython.noop),
    ]
