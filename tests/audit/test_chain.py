"""The keyed hash of an event (audit.chain) and how `record()` appends to the chain."""

import datetime as dt
import hashlib
import importlib

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from grassroots.audit import chain, checkpoints
from grassroots.audit.models import AuditEvent
from grassroots.audit.services import event_row, record, verify_chain
from grassroots.core.scoping import unscoped

ROW = {
    "id": 7,
    "at": dt.datetime(2026, 12, 1, 8, 30, 5, 120000, tzinfo=dt.UTC),
    "actor_id": 3,
    "actor_label": "王书记",
    "action": "member.update",
    "target_type": "members.member",
    "target_id": 42,
    "target_label": "张三",
    "org_id": 5,
    "changes": {"phone": ["1", "2"]},
    "prev_hash": "a" * 64,
    "key_id": "k1",
}


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


OTHER = {
    "id": 8,
    "at": dt.datetime(2026, 12, 1, 8, 30, 6, tzinfo=dt.UTC),
    "actor_id": 4,
    "actor_label": "李四",
    "action": "member.create",
    "target_type": "members.transfer",
    "target_id": 43,
    "target_label": "李四",
    "org_id": 6,
    "changes": {"phone": ["1", "3"]},
    "prev_hash": "b" * 64,
    "key_id": "k2",
}


def test_every_stored_field_but_the_hash_is_listed():
    stored = {f.attname for f in AuditEvent._meta.concrete_fields} - {"hash"}
    assert set(chain.FIELDS) == stored


@pytest.mark.parametrize("name", chain.FIELDS)
def test_hash_changes_with_each_stored_field(name, settings):
    settings.GRASSROOTS_AUDIT_KEYS = {"k1": "one-key", "k2": "another-key"}
    assert chain.event_hash(ROW) != chain.event_hash(ROW | {name: OTHER[name]})


def test_hash_depends_on_the_key(settings):
    settings.GRASSROOTS_AUDIT_KEYS = {"k1": "one-key"}
    first = chain.event_hash(ROW)
    settings.GRASSROOTS_AUDIT_KEYS = {"k1": "another-key"}
    assert chain.event_hash(ROW) != first


def test_hash_of_an_unknown_key_is_refused(settings):
    settings.GRASSROOTS_AUDIT_KEYS = {"k2": "another-key"}
    with pytest.raises(chain.UnknownKey):
        chain.event_hash(ROW)


def test_hash_is_the_same_for_the_time_in_another_zone_and_for_json_as_stored():
    shanghai = dt.timezone(dt.timedelta(hours=8))
    same = ROW | {"at": ROW["at"].astimezone(shanghai), "changes": {"phone": ("1", "2")}}
    assert chain.event_hash(same) == chain.event_hash(ROW)
    # jsonb gives 1e20 back as the integer it equals.
    assert chain.event_hash(ROW | {"changes": {"n": 1e20}}) == chain.event_hash(
        ROW | {"changes": {"n": 10**20}}
    )
    assert chain.event_hash(ROW | {"changes": {"n": 1.5}}) != chain.event_hash(ROW | {"changes": {"n": 1}})


def test_recorded_events_verify_after_reading_back_on_this_engine(tree):
    with transaction.atomic():
        event = record(
            actor=None,
            action="org.update",
            target=tree.county,
            org_id=tree.county.pk,
            changes={"n": [1e20, 0.1], "name": ("甲", "乙"), 10: [1, 2], 9: [None, "2026-12-01"]},
        )
    with unscoped():
        stored = AuditEvent.objects.unscoped_all().get(pk=event.pk)
    assert chain.event_hash(event_row(stored)) == stored.hash == event.hash
    assert verify_chain() == (stored.pk, None)


def test_record_numbers_events_after_the_previous_one_and_links_them(tree):
    with transaction.atomic():
        first = record(actor=None, action="org.update", target=tree.county, org_id=tree.county.pk)
        second = record(actor=None, action="org.update", target=tree.county, org_id=tree.county.pk)
    assert second.pk == first.pk + 1
    assert second.prev_hash == first.hash
    assert second.key_id == first.key_id == "k1"


def test_record_is_one_select_and_one_insert(tree):
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        record(actor=None, action="org.update", target=tree.county, org_id=tree.county.pk)
    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    lock = ["SELECT"] if connection.vendor == "postgresql" else []  # the chain's advisory lock
    assert statements == [*lock, "SELECT", "INSERT"]


def test_the_migration_rechains_events_hashed_the_former_way(tree, settings, tmp_path):
    """Events stored under the former scheme (plain SHA-256, no key id) are re-chained with the keyed hash, and
    the re-chaining is recorded: an audit.rechain event and a signed restart checkpoint."""
    settings.GRASSROOTS_AUDIT_CHECKPOINT_DIR = str(tmp_path)
    with unscoped():
        events = AuditEvent.objects.unscoped_all()
        before = events.count()
        events.update(key_id="", prev_hash="0" * 64)
        for event in events.order_by("id"):  # unique hashes, as the former scheme left them
            events.filter(pk=event.pk).update(hash=_sha(str(event.pk)))
    assert verify_chain()[1] is not None
    migration = importlib.import_module("grassroots.audit.migrations.0003_keyed_chain")
    migration.rechain(apps, None)
    assert verify_chain() == (before + 1, None)
    with unscoped():
        last = AuditEvent.objects.unscoped_all().order_by("-id").first()
    assert last.action == "audit.rechain" and last.changes["events"] == [None, before]
    reading = checkpoints.read()
    assert not reading.bad_lines
    assert [(p.kind, p.event_id, p.count) for p in reading.checkpoints] == [("restart", last.pk, before + 1)]
