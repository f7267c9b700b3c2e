"""Tampering with the stored audit trail, as someone with write access to the database (not to the key) would:
each kind makes `grassroots audit_verify` fail and name the event it happened at."""

import datetime as dt
import hashlib
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from grassroots.audit import chain, checkpoints, verify
from grassroots.audit.models import AuditEvent
from grassroots.audit.services import event_row, record
from grassroots.core.scoping import unscoped


@pytest.fixture
def trail(tree, settings, tmp_path):
    """The persona tree's events (eight or more), checkpoints kept in a fresh directory, one written now."""
    settings.GRASSROOTS_AUDIT_CHECKPOINT_DIR = str(tmp_path / "checkpoints")
    checkpoints.checkpoint_write(note="test")
    events = _events()
    assert len(events) >= 8
    return events


def _events() -> list[AuditEvent]:
    with unscoped():
        return list(AuditEvent.objects.unscoped_all().order_by("id"))


def _update(pk: int, **fields) -> None:
    with unscoped():
        assert AuditEvent.objects.unscoped_all().filter(pk=pk).update(**fields) == 1


def _delete(*pks: int) -> None:
    with unscoped():
        AuditEvent.objects.unscoped_all().filter(pk__in=pks).delete()


def _verify(*args: str) -> tuple[bool, str]:
    out = io.StringIO()
    try:
        call_command("audit_verify", *args, stdout=out, stderr=io.StringIO())
    except CommandError as error:
        return False, out.getvalue() + str(error)
    return True, out.getvalue()


def _names(output: str, kind: str, event_id: int) -> bool:
    return f"{kind}: event {event_id}:" in output or (
        kind == verify.TRUNCATED and f"{kind}: event {event_id} named by checkpoint" in output
    )


def _legacy_hash(prev: str, event: AuditEvent) -> str:
    """The trail's former scheme: plain SHA-256 over the previous hash and some of the fields."""
    payload = {
        "at": event.at.isoformat(),
        "actor": event.actor_id,
        "action": event.action,
        "target": [event.target_type, event.target_id],
        "org": event.org_id,
        "changes": event.changes,
    }
    body = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev + body).encode()).hexdigest()


def _plain_hash(event: AuditEvent) -> str:
    """What someone who read the code but lacks the key computes: SHA-256 over the same canonical fields."""
    return hashlib.sha256(event.prev_hash.encode() + chain.canonical(event_row(event))).hexdigest()


def test_untouched_trail_verifies_with_its_checkpoint(trail):
    ok, output = _verify()
    assert ok, output
    assert "audit chain intact" in output and "1 checkpoints" in output


def test_edited_actor_label_fails_naming_the_event(trail):
    """The reported attack: 操作人 edited in the store showed on the member page and verified intact."""
    target = trail[3]
    _update(target.pk, actor_label="张三")
    ok, output = _verify()
    assert not ok
    assert _names(output, verify.EDITED, target.pk)


@pytest.mark.parametrize(
    "field, value",
    [
        ("target_label", "另一个人"),
        ("changes", {"phone": ["x", "y"]}),
        ("action", "member.update"),
        ("target_id", 999999),
        ("at", dt.datetime(2020, 1, 1, tzinfo=dt.UTC)),
        ("key_id", "k1 "),
    ],
)
def test_edited_stored_field_fails_naming_the_event(trail, field, value):
    target = trail[4]
    assert getattr(target, field) != value
    _update(target.pk, **{field: value})
    ok, output = _verify()
    assert not ok
    assert _names(output, verify.EDITED, target.pk) or _names(output, verify.UNKNOWN_KEY, target.pk), output


def test_deleted_tail_fails_naming_the_checkpointed_event(trail):
    last = trail[-1]
    _delete(last.pk, trail[-2].pk)
    ok, output = _verify()
    assert not ok
    assert _names(output, verify.TRUNCATED, last.pk)
    assert f"the trail ends at event {trail[-3].pk}" in output


def test_deleted_tail_then_new_events_fail_at_the_checkpointed_event(trail, tree):
    """Truncate, then let the application append again: the checkpoint's event id is reused with another hash."""
    last = trail[-1]
    _delete(last.pk, trail[-2].pk)
    with transaction.atomic():
        for _ in range(3):
            record(actor=None, action="org.update", target=tree.county, org_id=tree.county.pk)
    ok, output = _verify()
    assert not ok
    assert _names(output, verify.CHECKPOINT_MISMATCH, last.pk)


def test_deleted_middle_row_fails_naming_the_gap(trail):
    gone = trail[5]
    _delete(gone.pk)
    ok, output = _verify()
    assert not ok
    assert _names(output, verify.MISSING, trail[6].pk)
    assert f"events {gone.pk}–{gone.pk}" in output
    # The checkpoint counted one event more than there are now up to its event.
    assert _names(output, verify.COUNT_MISMATCH, trail[-1].pk)


def test_deleted_first_row_fails(trail):
    _delete(trail[0].pk)
    ok, output = _verify("--no-checkpoints")
    assert not ok
    assert _names(output, verify.MISSING, trail[1].pk)


@pytest.mark.parametrize("scheme", [_legacy_hash, _plain_hash], ids=["former-scheme", "plain-sha256"])
def test_forged_appended_row_with_recomputed_hash_fails(trail, tree, scheme):
    last = trail[-1]
    forged = AuditEvent(
        id=last.pk + 1,
        at=timezone.now(),
        actor_id=None,
        actor_label="system",
        action="member.update",
        target_type="members.member",
        target_id=1,
        target_label="伪造",
        org_id=tree.county.pk,
        changes={"status": ["正式党员", "预备党员"]},
        prev_hash=last.hash,
        key_id=chain.current_key_id(),
    )
    forged.hash = scheme(last.hash, forged) if scheme is _legacy_hash else scheme(forged)
    with unscoped():
        forged.save(force_insert=True)
    ok, output = _verify()
    assert not ok
    assert _names(output, verify.FORGED, forged.pk)


def test_row_signed_with_a_guessed_key_fails(trail, settings):
    last = trail[-1]
    row = event_row(last) | {"target_label": "改过"}
    real = settings.GRASSROOTS_AUDIT_KEYS
    settings.GRASSROOTS_AUDIT_KEYS = {chain.current_key_id(): "a-guessed-key"}
    guessed = chain.event_hash(row)
    settings.GRASSROOTS_AUDIT_KEYS = real
    _update(last.pk, target_label="改过", hash=guessed)
    ok, output = _verify()
    assert not ok
    assert _names(output, verify.EDITED, last.pk)


def test_edited_row_with_every_later_row_rehashed_fails_from_that_row(trail):
    """Edit an event, then recompute its hash and every later event's link and hash without the key."""
    start = 4
    prev = trail[start - 1].hash
    for index, event in enumerate(trail[start:], start=start):
        if index == start:
            event.actor_label = "张三"
        event.prev_hash = prev
        event.hash = _plain_hash(event)
        _update(event.pk, actor_label=event.actor_label, prev_hash=event.prev_hash, hash=event.hash)
        prev = event.hash
    ok, output = _verify("--no-checkpoints")
    assert not ok
    for event in trail[start:]:
        assert _names(output, verify.FORGED, event.pk), event.pk
    assert not _names(output, verify.FORGED, trail[start - 1].pk)
    # With the checkpoint, the head differs from what was signed, too.
    ok, output = _verify()
    assert _names(output, verify.CHECKPOINT_MISMATCH, trail[-1].pk)


def test_every_finding_is_reported_not_only_the_first(trail):
    _update(trail[2].pk, actor_label="甲")
    _update(trail[6].pk, target_label="乙")
    ok, output = _verify()
    assert not ok
    assert _names(output, verify.EDITED, trail[2].pk) and _names(output, verify.EDITED, trail[6].pk)
    assert "edited 2" in output


def test_checkpoint_with_a_bad_signature_fails(trail):
    path = Path(checkpoints.checkpoint_file())
    line = json.loads(path.read_text().splitlines()[0])
    line["count"] -= 2  # someone hides the two events they are about to delete
    path.write_text(json.dumps(line) + "\n")
    ok, output = _verify()
    assert not ok
    assert "bad-checkpoint: checkpoint line 1: bad signature" in output


def test_unknown_key_fails_naming_the_event(trail):
    _update(trail[1].pk, key_id="k0")
    ok, output = _verify("--no-checkpoints")
    assert not ok
    assert _names(output, verify.UNKNOWN_KEY, trail[1].pk)


def test_events_signed_with_a_retired_key_verify_after_rotation(trail, tree, settings):
    old = dict(settings.GRASSROOTS_AUDIT_KEYS)
    settings.GRASSROOTS_AUDIT_KEYS = old | {"k2": "the-new-audit-key-0123456789abcdef"}
    settings.GRASSROOTS_AUDIT_KEY_ID = "k2"
    with transaction.atomic():
        event = record(actor=None, action="org.update", target=tree.county, org_id=tree.county.pk)
    assert event.key_id == "k2"
    checkpoints.checkpoint_write()
    ok, output = _verify()
    assert ok, output
    # The retired key removed from the configuration: the events it signed no longer verify.
    settings.GRASSROOTS_AUDIT_KEYS = {"k2": "the-new-audit-key-0123456789abcdef"}
    ok, output = _verify("--no-checkpoints")
    assert not ok and _names(output, verify.UNKNOWN_KEY, trail[0].pk)
    assert not _names(output, verify.UNKNOWN_KEY, event.pk)


def test_since_checkpoint_reads_only_the_events_after_it(trail, tree):
    with transaction.atomic():
        for _ in range(3):
            record(actor=None, action="org.update", target=tree.county, org_id=tree.county.pk)
    ok, output = _verify("--since-checkpoint")
    assert ok, output
    assert f"3 events read after checkpoint line 1 (event {trail[-1].pk})" in output
    after = _events()[-2]
    _update(after.pk, actor_label="张三")
    ok, output = _verify("--since-checkpoint")
    assert not ok and _names(output, verify.EDITED, after.pk)


def test_since_checkpoint_falls_back_when_the_checkpointed_event_was_rewritten(trail):
    _update(trail[-1].pk, hash="f" * 64)
    ok, output = _verify("--since-checkpoint")
    assert not ok
    assert _names(output, verify.CHECKPOINT_MISMATCH, trail[-1].pk)
    assert f"{len(trail)} events read up to" in output  # from the start


def test_findings_beyond_the_shown_are_counted(trail, monkeypatch):
    from grassroots.audit.management.commands import audit_verify

    monkeypatch.setattr(audit_verify, "SHOWN", 2)
    for event in trail[:5]:
        _update(event.pk, actor_label="甲")
    ok, output = _verify("--no-checkpoints")
    assert not ok
    assert "… and 3 more findings" in output and "edited 5" in output
