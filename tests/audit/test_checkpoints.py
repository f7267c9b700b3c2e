"""Signed checkpoints of the trail's head, kept in a file outside the database, and their printed form."""

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from grassroots.audit import checkpoints
from grassroots.audit.models import AuditEvent
from grassroots.audit.services import record, verify_chain
from grassroots.core.scoping import unscoped
from grassroots.demo import seeder


@pytest.fixture
def folder(settings, tmp_path):
    settings.GRASSROOTS_AUDIT_CHECKPOINT_DIR = str(tmp_path / "checkpoints")
    return tmp_path / "checkpoints"


def _head():
    with unscoped():
        return AuditEvent.objects.unscoped_all().order_by("-id").first()


def test_checkpoint_command_appends_a_signed_line_naming_the_head(tree, folder):
    out = io.StringIO()
    call_command("audit_checkpoint", "--note", "nightly", stdout=out)
    call_command("audit_checkpoint", stdout=out)
    lines = (folder / "checkpoints.jsonl").read_text().splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    head = _head()
    assert (first["event_id"], first["hash"], first["note"], first["kind"]) == (
        head.pk,
        head.hash,
        "nightly",
        "checkpoint",
    )
    with unscoped():
        assert first["count"] == AuditEvent.objects.unscoped_all().count()
    assert len(first["signature"]) == 64
    assert f"event {head.pk}" in out.getvalue()
    reading = checkpoints.read()
    assert len(reading.checkpoints) == 2 and not reading.bad_lines


def test_checkpoint_of_an_empty_trail_verifies(db, folder):
    entry = checkpoints.checkpoint_write()
    assert entry["event_id"] is None and entry["count"] == 0
    assert checkpoints.read().checkpoints[0].count == 0
    call_command("audit_verify", stdout=io.StringIO())


def test_checkpoint_signed_with_a_retired_key_still_reads(tree, folder, settings):
    checkpoints.checkpoint_write()
    settings.GRASSROOTS_AUDIT_KEYS = settings.GRASSROOTS_AUDIT_KEYS | {"k2": "the-new-key"}
    settings.GRASSROOTS_AUDIT_KEY_ID = "k2"
    checkpoints.checkpoint_write()
    assert [p.key_id for p in checkpoints.read().checkpoints] == ["k1", "k2"]
    settings.GRASSROOTS_AUDIT_KEYS = {"k2": "the-new-key"}
    reading = checkpoints.read()
    assert reading.bad_lines == [(1, "unknown key k1")]


def test_restart_line_supersedes_earlier_checkpoints_and_needs_an_existing_file(tree, folder):
    assert checkpoints.checkpoint_restart(note="seed") is None
    assert not folder.exists()
    checkpoints.checkpoint_write()
    checkpoints.checkpoint_write()
    restart = checkpoints.checkpoint_restart(note="seed tiny #1")
    points = checkpoints.read().checkpoints
    assert [(p.kind, p.note) for p in points] == [("restart", "seed tiny #1")]
    assert points[0].event_id == restart["event_id"] == _head().pk


def test_print_shows_the_latest_checkpoints_as_text_and_html(tree, folder):
    for n in range(3):
        checkpoints.checkpoint_write(note=f"n{n}")
    text = io.StringIO()
    call_command("audit_checkpoint", "--print", "--last", "2", stdout=text)
    head = _head()
    assert "n0" not in text.getvalue() and "n1" in text.getvalue() and "n2" in text.getvalue()
    assert head.hash[:8] + " " + head.hash[8:16] in text.getvalue()
    page = io.StringIO()
    call_command("audit_checkpoint", "--print", "--html", stdout=page)
    assert page.getvalue().startswith("<!doctype html>") and page.getvalue().count("<tr>") == 4
    assert (folder / "checkpoints.jsonl").read_text().count("\n") == 3  # printing writes nothing


def test_a_checkpoint_every_n_events_after_the_commit(
    tree, folder, settings, django_capture_on_commit_callbacks
):
    settings.GRASSROOTS_AUDIT_CHECKPOINT_EVERY = 2
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for _ in range(4):
            record(actor=None, action="org.update", target=tree.county, org_id=tree.county.pk)
    points = checkpoints.read().checkpoints
    assert len(points) == 2 and all(p.note == "every 2 events" for p in points)
    assert points[-1].event_id == _head().pk  # written after the commit: the head of the committed trail


def test_a_checkpoint_that_cannot_be_written_leaves_the_committed_write(tree, settings, caplog):
    settings.GRASSROOTS_AUDIT_CHECKPOINT_DIR = "/proc/no-such-dir"
    checkpoints.checkpoint_write_quietly()
    assert "audit checkpoint not written" in caplog.text


SEED_DAY = dt.date(2026, 6, 30)


def test_demo_seed_and_setup_produce_a_verifying_chain(
    db, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.DATA_DIR = tmp_path
    settings.GRASSROOTS_AUDIT_CHECKPOINT_DIR = ""
    call_command("demo_setup", "--scale", "tiny", "--seed", "1", stdout=io.StringIO())
    checked, broken = verify_chain()
    assert checked >= 2 and broken is None
    call_command("audit_checkpoint", stdout=io.StringIO())
    assert (tmp_path / "audit-checkpoints" / "checkpoints.jsonl").exists()
    # Seeding again wipes the trail on purpose: a signed restart line keeps the checkpoints consistent.
    with django_capture_on_commit_callbacks(execute=True):
        seeder.seed(scale="tiny", seed=2, replace=True, as_of=SEED_DAY, out=lambda _m: None)
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "audit chain intact: 1 events" in out.getvalue()
    assert checkpoints.read().checkpoints[0].note == "seed tiny #2"


def test_restart_command_accepts_a_restored_older_trail(tree, folder):
    """A backup restored to an earlier point reads as truncated until a restart checkpoint accounts for it."""
    call_command("audit_checkpoint", stdout=io.StringIO())
    with unscoped():
        AuditEvent.objects.unscoped_all().filter(pk=_head().pk).delete()
    with pytest.raises(CommandError):
        call_command("audit_verify", stdout=io.StringIO())
    call_command("audit_checkpoint", "--restart", "--note", "restored 2026-12-01", stdout=io.StringIO())
    call_command("audit_verify", stdout=io.StringIO())
    assert [p.kind for p in checkpoints.read().checkpoints] == ["restart"]
