"""Bulk loading for the seed: COPY on PostgreSQL (psycopg 3), executemany in one transaction on SQLite."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection


def _sqlite_value(v):
    if isinstance(v, dt.datetime):
        # Django keeps aware datetimes on SQLite as naive UTC text.
        return v.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
    return v


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[tuple]) -> int:
    """Load rows into `table`; returns the number of rows. Runs inside the caller's transaction."""
    n = 0
    if connection.vendor == "postgresql":
        cols = ", ".join(connection.ops.quote_name(c) for c in columns)
        with connection.cursor() as cur:
            pg_cursor = cur.cursor
            with pg_cursor.copy(f"COPY {connection.ops.quote_name(table)} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    n += 1
        return n
    connection.ensure_connection()
    raw = connection.connection
    cols = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    has_datetime = any(c.endswith("_at") for c in columns)

    def counted():
        nonlocal n
        for row in rows:
            n += 1
            yield tuple(_sqlite_value(v) for v in row) if has_datetime else row

    raw.executemany(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', counted())
    return n


def tune_session() -> None:
    """Per-connection settings that make a bulk load faster without weakening what is committed."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET LOCAL synchronous_commit = off")
            cur.execute("SET LOCAL maintenance_work_mem = '256MB'")
        else:
            cur.execute("PRAGMA cache_size = -1000000")


def org_dependent_models() -> list:
    """Every model whose rows hang (directly or through others) off the org tree, dependants first."""
    org = apps.get_model("orgs", "Org")
    user = apps.get_model("accounts", "User")
    found: list = [org]
    frontier = [org]
    while frontier:
        model = frontier.pop()
        # Hidden relations too (related_name="+"): a row that keeps its org without a reverse accessor still
        # hangs off the tree.
        relations = [
            f for f in model._meta.get_fields(include_hidden=True) if f.auto_created and not f.concrete
        ]
        for rel in relations:
            related = rel.related_model
            if related is user or related in found or related._meta.proxy:
                continue
            found.append(related)
            frontier.append(related)
    # The audit trail refers to orgs; it is wiped whole so that its hash chain starts again cleanly.
    audit = apps.get_model("audit", "AuditEvent")
    if audit not in found:
        found.append(audit)
    # Order: a model is deleted before every model it references.
    ordered: list = []
    remaining = list(found)
    while remaining:
        for model in remaining:
            referenced_by = [
                m
                for m in remaining
                if m is not model
                and any(
                    f.is_relation and f.related_model is model and f.concrete for f in m._meta.get_fields()
                )
            ]
            if not referenced_by:
                ordered.append(model)
                remaining.remove(model)
                break
        else:  # a cycle: delete the rest in any order (PostgreSQL defers FK checks to commit)
            ordered.extend(remaining)
            break
    return ordered


def wipe() -> list[str]:
    """Delete the org tree and everything hanging off it (users stay). Returns the tables emptied."""
    models = org_dependent_models()
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            quoted = ", ".join(connection.ops.quote_name(t) for t in tables)
            # Rows inserted earlier in this transaction may have deferred FK checks pending; TRUNCATE refuses
            # to run over those, so fire them first.
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
            cur.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            for table in tables:
                cur.execute(f'DELETE FROM "{table}"')
    return tables


def reset_sequences(models) -> None:
    with connection.cursor() as cur:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cur.execute(sql)


def analyze(tables: Sequence[str]) -> None:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # Outside a transaction VACUUM also sets the visibility map, so that counts can be answered by
            # index-only scans on member(org_id, status, sex) right after a seed; inside one (tests), ANALYZE.
            verb = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            for table in tables:
                cur.execute(f"{verb} {connection.ops.quote_name(table)}")
        else:
            cur.execute("PRAGMA analysis_limit = 2000")
            cur.execute("ANALYZE")
