"""Backups that a restore can verify: the database and the data directory's files, with a manifest.

A backup is one directory `grassroots-<UTC time>/` holding
- `database.dump` (PostgreSQL, `pg_dump -Fc`) or `database.sqlite3` (SQLite, the sqlite3 backup API);
- `files/data/…` the non-database files of the data directory (`GRASSROOTS_DATA_DIR`: the audit
  checkpoints, the documents when they live there, …) and `files/documents/…` the documents directory when
  it lives elsewhere;
- `manifest.json`: the engine, the number of rows of every table *in the dump* (counted in the dump's own
  snapshot), the SHA-256 of every file and of the database file, the migrations applied.

Left out: the secret keys (`secrets.env` — kept apart from the dumps, docs/operations.md), collected static
files (rebuilt by `collectstatic`), the live SQLite files themselves and the backup directory.

A restore first checks every checksum of the backup, then restores the database and the files, then compares
the row count of every table and the checksum of every file restored with the manifest; `audit_verify` is
then run against the restored database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote

import dj_database_url
from django.db import connections, transaction

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.dump"
FORMAT = 1
# Never copied from the data directory: the keys (kept apart from the backups), files rebuilt at deployment.
EXCLUDED_NAMES = {"secrets.env", "staticfiles"}
CHUNK = 1 << 20
# Copied before the database is dumped (see backup()).
BEFORE_DATABASE = ("data/audit-checkpoints/",)


class BackupError(Exception):
    """A backup or restore that cannot go on, or a restore that does not verify."""


@dataclass
class Roots:
    """Where the files of a backup come from, or go to on restore."""

    data_dir: Path
    documents_dir: Path
    exclude: list[Path] = field(default_factory=list)

    def items(self) -> list[tuple[str, Path]]:
        roots = [("data", self.data_dir)]
        if not _inside(self.documents_dir, self.data_dir):
            roots.append(("documents", self.documents_dir))
        return roots


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _inside(path: Path, parent: Path) -> bool:
    try:
        path.resolve().relative_to(parent.resolve())
    except ValueError:
        return False
    return True


# --- databases: one URL names the source or the target --------------------------------------------------------


def url_of(alias: str = "default") -> str:
    """The DATABASE_URL of a configured connection (the target of a restore unless another is named)."""
    s = connections[alias].settings_dict
    if connections[alias].vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = quote(s.get("USER") or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    host = s.get("HOST") or "localhost"
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{auth + '@' if auth else ''}{host}{port}/{quote(s['NAME'], safe='')}"


def _pg_args(url: str) -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump/pg_restore (the password through the environment, not the command)."""
    c = dj_database_url.parse(url)
    args = ["--dbname", c["NAME"]]
    if c.get("HOST"):
        args += ["--host", c["HOST"]]
    if c.get("PORT"):
        args += ["--port", str(c["PORT"])]
    if c.get("USER"):
        args += ["--username", c["USER"]]
    env = {**os.environ}
    if c.get("PASSWORD"):
        env["PGPASSWORD"] = c["PASSWORD"]
    return args, env


def _engine(url: str) -> str:
    engine = dj_database_url.parse(url)["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(f"unsupported database engine: {engine}")


def _sqlite_path(url: str) -> str:
    return unquote(dj_database_url.parse(url)["NAME"])


def _count_rows(cursor, tables: list[str], quote_name) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote_name(table)}")  # a table name, quoted
        counts[table] = cursor.fetchone()[0]
    return counts


def _sqlite_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_counts(path: str) -> dict[str, int]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [
            r[0]
            for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return _count_rows(db.cursor(), names, _sqlite_quote)
    finally:
        db.close()


def _pg_connect(url: str):
    import psycopg

    c = dj_database_url.parse(url)
    return psycopg.connect(
        dbname=c["NAME"],
        user=c.get("USER") or None,
        password=c.get("PASSWORD") or None,
        host=c.get("HOST") or None,
        port=c.get("PORT") or None,
        autocommit=True,
    )


def _pg_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


PG_TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"


def _pg_counts(url: str) -> dict[str, int]:
    with _pg_connect(url) as db, db.cursor() as cursor:
        cursor.execute(PG_TABLES)
        return _count_rows(cursor, [r[0] for r in cursor.fetchall()], _pg_quote)


def table_counts(url: str) -> dict[str, int]:
    """The rows of every table of the database at `url`."""
    return _sqlite_counts(_sqlite_path(url)) if _engine(url) == "sqlite" else _pg_counts(url)


def _require(binary: str) -> str:
    found = shutil.which(binary)
    if not found:
        raise BackupError(f"{binary} is not on PATH (install the PostgreSQL client of the server's version)")
    return found


def _backup_sqlite(alias: str, target: Path) -> dict[str, int]:
    connection = connections[alias]
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)  # a consistent copy, safe while the site is serving
    finally:
        copy.close()
    return _sqlite_counts(str(target))


def _backup_postgresql(alias: str, target: Path) -> dict[str, int]:
    """pg_dump in the snapshot where the rows were counted, so that the manifest describes the dump exactly."""
    connection = connections[alias]
    if connection.in_atomic_block:
        raise BackupError("a backup cannot run inside a transaction")
    args, env = _pg_args(url_of(alias))
    pg_dump = _require("pg_dump")
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        cursor.execute(PG_TABLES)
        counts = _count_rows(cursor, [r[0] for r in cursor.fetchall()], connection.ops.quote_name)
        done = subprocess.run(
            [
                pg_dump,
                "--format=custom",
                "--no-owner",
                f"--snapshot={snapshot}",
                "--file",
                str(target),
                *args,
            ],
            env=env,
            capture_output=True,
            text=True,
        )
    if done.returncode:
        raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    return counts


def _applied_migrations(alias: str) -> dict[str, str]:
    from django.db.migrations.recorder import MigrationRecorder

    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connections[alias]).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


# --- files --------------------------------------------------------------------------------------------------


def _files_of(roots: Roots, skip: list[Path]) -> list[tuple[str, Path]]:
    """(name in the backup, source path) of every regular file under the roots, skipping what is excluded."""
    found = []
    for label, root in roots.items():
        if not root.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            here = Path(dirpath)
            dirnames[:] = sorted(
                d
                for d in dirnames
                if not (here == root and d in EXCLUDED_NAMES) and not any(_inside(here / d, s) for s in skip)
            )
            for name in sorted(filenames):
                path = here / name
                if here == root and name in EXCLUDED_NAMES:
                    continue
                if any(path.resolve() == s.resolve() or _inside(path, s) for s in skip) or not path.is_file():
                    continue
                found.append((f"{label}/{path.relative_to(root).as_posix()}", path))
    return found


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)


def _copy_all(found: list[tuple[str, Path]], target: Path, files: dict[str, str]) -> None:
    for name, source in found:
        _copy(source, target / "files" / name)
        files[name] = sha256(target / "files" / name)


# --- backup -------------------------------------------------------------------------------------------------


def backup(destination: Path, roots: Roots, *, alias: str = "default") -> tuple[Path, dict]:
    """Write a backup directory under `destination`; return it and its manifest."""
    connection = connections[alias]
    engine = connection.vendor
    if engine not in ("sqlite", "postgresql"):
        raise BackupError(f"unsupported database engine: {engine}")
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = destination / f"grassroots-{stamp}"
    target.mkdir(parents=True, mode=0o700)
    skip = [destination, *roots.exclude]
    if engine == "sqlite":
        name = connection.settings_dict["NAME"]
        if name and not str(name).startswith(("file:", ":memory:")):
            skip += [Path(f"{name}{suffix}") for suffix in ("", "-wal", "-shm", "-journal")]
    # The audit checkpoints are copied before the dump, the other files after it: a checkpoint must not name
    # events the dump lacks (audit_verify would call that truncation), and a document newer than the dump
    # is merely unreferenced, while a record without its file would be refused on download.
    files: dict[str, str] = {}
    first = [(n, p) for n, p in _files_of(roots, skip) if n.startswith(BEFORE_DATABASE)]
    _copy_all(first, target, files)
    if engine == "sqlite":
        database = target / SQLITE_FILE
        tables = _backup_sqlite(alias, database)
    else:
        database = target / PG_FILE
        tables = _backup_postgresql(alias, database)
    _copy_all([(n, p) for n, p in _files_of(roots, skip) if n not in files], target, files)
    manifest = {
        "format": FORMAT,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "engine": engine,
        "database": {"file": database.name, "sha256": sha256(database)},
        "tables": tables,
        "migrations": _applied_migrations(alias),
        "files": files,
    }
    (target / MANIFEST).write_text(
        json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return target, manifest


# --- restore ------------------------------------------------------------------------------------------------


def read_manifest(source: Path) -> dict:
    path = source / MANIFEST
    if not path.is_file():
        raise BackupError(f"{source} is not a backup: no {MANIFEST}")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def check_backup(source: Path, manifest: dict) -> None:
    """Every file of the backup is there with the checksum written at backup time."""
    problems = []
    database = source / manifest["database"]["file"]
    if not database.is_file() or sha256(database) != manifest["database"]["sha256"]:
        problems.append(f"database file {database.name}: missing or altered")
    for name, digest in manifest["files"].items():
        path = source / "files" / name
        if not path.is_file() or sha256(path) != digest:
            problems.append(f"file {name}: missing or altered")
    if problems:
        raise BackupError("the backup does not match its manifest:\n  " + "\n  ".join(problems))


def _target_is_empty(url: str) -> bool:
    if _engine(url) == "sqlite":
        path = Path(_sqlite_path(url))
        return not path.exists() or path.stat().st_size == 0 or not _sqlite_counts(str(path))
    with _pg_connect(url) as db, db.cursor() as cursor:
        cursor.execute(PG_TABLES)
        return cursor.fetchone() is None


def _restore_database(source: Path, manifest: dict, url: str) -> None:
    engine = _engine(url)
    if engine != manifest["engine"]:
        raise BackupError(f"a {manifest['engine']} backup cannot be restored into {engine}")
    database = source / manifest["database"]["file"]
    if engine == "sqlite":
        path = Path(_sqlite_path(url))
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        backup_db, target_db = sqlite3.connect(f"file:{database}?mode=ro", uri=True), sqlite3.connect(path)
        try:
            backup_db.backup(target_db)
        finally:
            backup_db.close()
            target_db.close()
        return
    args, env = _pg_args(url)
    done = subprocess.run(
        [
            _require("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *args,
            str(database),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()}")


def verify_database(manifest: dict, url: str) -> list[str]:
    """The differences between the restored database's row counts and the manifest's (none when whole)."""
    found = table_counts(url)
    expected = manifest["tables"]
    problems = [
        f"table {t}: {found.get(t, 'missing')} rows, {n} in the backup"
        for t, n in sorted(expected.items())
        if found.get(t) != n
    ]
    problems += [f"table {t}: not in the backup" for t in sorted(set(found) - set(expected))]
    return problems


def verify_files(manifest: dict, roots: Roots) -> list[str]:
    places = dict(roots.items())
    places.setdefault("documents", roots.documents_dir)
    problems = []
    for name, digest in manifest["files"].items():
        label, rel = name.split("/", 1)
        path = places[label] / rel
        if not path.is_file() or sha256(path) != digest:
            problems.append(f"file {name}: missing or altered after restore")
    return problems


def restore(source: Path, roots: Roots, url: str, *, force: bool = False) -> dict:
    """Restore a backup into the database at `url` and the roots; raise BackupError unless it verifies."""
    manifest = read_manifest(source)
    check_backup(source, manifest)
    if not force and not _target_is_empty(url):
        raise BackupError("the target database is not empty (pass --force to replace its contents)")
    if url == url_of() and manifest["engine"] == "sqlite":
        connections["default"].close()  # the file is replaced under this process's connection
    _restore_database(source, manifest, url)
    places = dict(roots.items())
    places.setdefault("documents", roots.documents_dir)
    for name in manifest["files"]:
        label, rel = name.split("/", 1)
        _copy(source / "files" / name, places[label] / rel)
    problems = verify_database(manifest, url) + verify_files(manifest, roots)
    if problems:
        raise BackupError("the restore does not match the backup:\n  " + "\n  ".join(problems))
    return manifest
