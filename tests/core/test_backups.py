"""`grassroots backup` / `grassroots restore` (core.backups): a round trip that verifies row counts, file
checksums and the audit chain, on SQLite and on PostgreSQL; a damaged backup or restore is refused."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from grassroots.audit.models import AuditEvent
from grassroots.core import backups
from grassroots.core.scoping import unscoped
from grassroots.members.models import Member
from tests.factories import make_member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def data(tmp_path, tree):
    """A data directory as production has it: documents, other files, the keys, collected static files.
    (The audit checkpoints it also holds are written by the audit chain itself: any here would be forged.)"""
    root = tmp_path / "data"
    (root / "documents" / "2026" / "12").mkdir(parents=True)
    (root / "documents" / "2026" / "12" / "letter.pdf").write_bytes(b"%PDF-1.7 " + bytes(range(256)) * 40)
    (root / "exports").mkdir()  # any other file the data directory keeps
    (root / "exports" / "note.txt").write_text("备份")
    (root / "secrets.env").write_text("GRASSROOTS_ID_KEY=not-in-backups\n")
    (root / "staticfiles").mkdir()
    (root / "staticfiles" / "app.css").write_text("body{}")
    for i in range(3):
        make_member(tree.a, f"备份{i}")
    # (STATIC_ROOT is not overridden: that would reset the storages other tests hold; "staticfiles" is left
    # out of backups by name.)
    with override_settings(DATA_DIR=root, DOCUMENTS_DIR=root / "documents"):
        yield root


def back_up(tmp_path) -> Path:
    call_command("backup", "--to", str(tmp_path / "backups"))
    (made,) = (tmp_path / "backups").iterdir()
    return made


def restore(source: Path, url: str, target: Path, *extra: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("restore", str(source), "--database-url", url, "--data-dir", str(target), *extra, stdout=out)
    return out.getvalue()


def rows_in_use() -> dict[str, int]:
    with unscoped():
        return {"members": Member.objects.unscoped_all().count(), "events": AuditEvent.objects.count()}


def assert_round_trip(tmp_path, url: str, *extra: str) -> dict:
    made = back_up(tmp_path)
    manifest = json.loads((made / "manifest.json").read_text())
    assert manifest["engine"] == connection.vendor
    assert manifest["tables"]["members_member"] == rows_in_use()["members"] >= 3
    assert manifest["tables"]["audit_auditevent"] == rows_in_use()["events"] > 0
    assert set(manifest["files"]) == {
        "data/documents/2026/12/letter.pdf",
        "data/exports/note.txt",
    }  # neither the keys nor the collected static files
    target = tmp_path / "restored"
    out = restore(made, url, target, *extra)
    assert "restored and verified" in out and "audit chain intact" in out
    assert (target / "documents" / "2026" / "12" / "letter.pdf").read_bytes().startswith(b"%PDF-1.7 ")
    assert not (target / "secrets.env").exists()
    assert backups.table_counts(url) == manifest["tables"]
    return manifest


def test_sqlite_backup_and_restore_round_trip_verifies_rows_files_and_the_audit_chain(tmp_path, data):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite round trip")
    assert_round_trip(tmp_path, f"sqlite:///{tmp_path / 'restored.sqlite3'}")


def test_postgresql_backup_and_restore_round_trip_into_a_scratch_database(tmp_path, data):
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL round trip (DATABASE_URL names PostgreSQL)")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump/pg_restore are not on PATH")
    scratch = connection.settings_dict["NAME"] + "_restore"  # beside this run's own test database
    url = backups.url_of().rsplit("/", 1)[0] + "/" + scratch
    admin = backups.url_of().rsplit("/", 1)[0] + "/postgres"
    with backups._pg_connect(admin) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        db.execute(f'CREATE DATABASE "{scratch}"')
    try:
        assert_round_trip(tmp_path, url)
        # A second restore over the filled database is refused unless asked for.
        (made,) = (tmp_path / "backups").iterdir()
        with pytest.raises(CommandError, match="not empty"):
            restore(made, url, tmp_path / "again")
        assert "restored and verified" in restore(made, url, tmp_path / "again", "--force")
    finally:
        with backups._pg_connect(admin) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def test_a_restore_refuses_a_backup_whose_files_were_altered(tmp_path, data):
    made = back_up(tmp_path)
    letter = made / "files" / "data" / "documents" / "2026" / "12" / "letter.pdf"
    letter.write_bytes(letter.read_bytes()[:-1] + b"X")
    url = sqlite_url_or_skip(tmp_path)
    with pytest.raises(CommandError, match=r"letter\.pdf: missing or altered"):
        restore(made, url, tmp_path / "restored")
    assert not (tmp_path / "restored").exists()  # refused before anything was written


def test_a_restore_refuses_a_non_empty_target_without_force(tmp_path, data):
    made = back_up(tmp_path)
    url = sqlite_url_or_skip(tmp_path)
    restore(made, url, tmp_path / "restored")
    with pytest.raises(CommandError, match="not empty"):
        restore(made, url, tmp_path / "restored")
    assert "restored and verified" in restore(made, url, tmp_path / "restored", "--force")


def test_row_counts_that_differ_from_the_manifest_are_reported_by_table(tmp_path, data):
    made = back_up(tmp_path)
    url = sqlite_url_or_skip(tmp_path)
    restore(made, url, tmp_path / "restored")
    manifest = backups.read_manifest(made)
    assert backups.verify_database(manifest, url) == []
    db = sqlite3.connect(tmp_path / "restored.sqlite3")
    db.execute("DELETE FROM members_member WHERE id = (SELECT MAX(id) FROM members_member)")
    db.commit()
    db.close()
    n = manifest["tables"]["members_member"]
    assert backups.verify_database(manifest, url) == [
        f"table members_member: {n - 1} rows, {n} in the backup"
    ]


def test_a_restore_runs_audit_verify_and_fails_on_a_tampered_chain(tmp_path, data):
    """A backup altered together with its manifest's checksum still fails: the audit chain does not verify."""
    made = back_up(tmp_path)
    url = sqlite_url_or_skip(tmp_path)
    if connection.vendor != "sqlite":
        pytest.skip("edits the SQLite file of the backup")
    database = made / "database.sqlite3"
    db = sqlite3.connect(database)
    db.execute(
        "UPDATE audit_auditevent SET action = 'forged' WHERE id = (SELECT MIN(id) FROM audit_auditevent)"
    )
    db.commit()
    db.close()
    manifest = json.loads((made / "manifest.json").read_text())
    manifest["database"]["sha256"] = hashlib.sha256(database.read_bytes()).hexdigest()
    (made / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="audit_verify failed on the restored database"):
        restore(made, url, tmp_path / "restored")


def sqlite_url_or_skip(tmp_path) -> str:
    if connection.vendor != "sqlite":
        pytest.skip("restores into an SQLite file")
    return f"sqlite:///{tmp_path / 'restored.sqlite3'}"


def test_audit_checkpoints_are_copied_before_the_database_is_dumped(tmp_path, data, monkeypatch):
    """A checkpoint never names events the dump lacks: the checkpoints are taken first, documents after."""
    (data / "audit-checkpoints").mkdir()
    (data / "audit-checkpoints" / "0001.json").write_text("{}")
    seen = {}
    dump = backups._backup_sqlite if connection.vendor == "sqlite" else backups._backup_postgresql
    name = dump.__name__

    def spy(alias, target):
        files = target.parent / "files" / "data"
        seen["checkpoint"] = (files / "audit-checkpoints" / "0001.json").exists()
        seen["document"] = (files / "documents" / "2026" / "12" / "letter.pdf").exists()
        return dump(alias, target)

    monkeypatch.setattr(backups, name, spy)
    made = back_up(tmp_path)
    assert seen == {"checkpoint": True, "document": False}
    assert "data/audit-checkpoints/0001.json" in backups.read_manifest(made)["files"]
