"""Hand-written statements behind the recruitment to-do and board, built once per process (as
members/figures.py does for the member figures).

No permission checks here: the selectors check the caller's scope first and pass the subtree paths it may read
(`prefixes`: None for the whole tree, an empty list for nothing). Both engines run the same SQL; a subtree is
`LIKE 'p%'` on PostgreSQL (pattern-ops index) and a binary range on SQLite, as core.scoping.subtree_q does.

Why written out: through the ORM, the to-do was one query that sorted every due dossier of the subtree with
its stored steps (wide rows) to count them in a window, and compiling that query cost more than running it for
a small subtree. Here the due dossiers' narrow columns (id, deadline, pinyin) are picked once, counted, and the
wide columns (name, stored steps, org) are read only for the few rows shown.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection

from grassroots.orgs.models import Org

from .models import Applicant


def _in_model_order(model, names: set[str]) -> tuple[str, ...]:
    """Column names in the model's field order, as `Model.from_db` expects the values of a partial row."""
    return tuple(f.attname for f in model._meta.concrete_fields if f.attname in names)


# What a to-do item shows of its org (Org instances are built from these columns, the rest deferred).
ORG_COLUMNS = _in_model_order(Org, {"id", "path", "code", "name", "short_name", "kind", "depth"})


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def paths_sql(alias: str, prefixes: Sequence[str] | None) -> tuple[str, list[str]]:
    """`alias.path` inside any of the subtrees at `prefixes` (None: the whole tree; []: nothing)."""
    if prefixes is None:
        return "1 = 1", []
    if not prefixes:
        return "1 = 0", []
    parts, params = [], []
    for prefix in prefixes:
        if connection.vendor == "postgresql":
            parts.append(f"{alias}.path LIKE %s")
            params.append(prefix + "%")
        else:
            parts.append(f"({alias}.path >= %s AND {alias}.path < %s)")
            params += [prefix, prefix + "~"]
    return "(" + " OR ".join(parts) + ")", params


def _orgs_then(table: str) -> str:
    """`orgs_org o` joined to `table a` by the org, the orgs read first. SQLite has no range statistics and
    takes any path range for a narrow one, or the other way round: there CROSS JOIN fixes the order (the
    subtree's orgs by path, then each org's rows by an (org_id, …) index), which serves a branch and the root
    alike. PostgreSQL plans the plain join from its statistics."""
    join = "CROSS JOIN" if connection.vendor == "sqlite" else "JOIN"
    return f"{_q(Org._meta.db_table)} o {join} {table} a ON a.org_id = o.id"


@functools.cache
def _due_sql(vendor: str, paths: str, stages: int, limited: bool) -> str:
    applicant, org = _q(Applicant._meta.db_table), _q(Org._meta.db_table)
    marks = ", ".join(["%s"] * stages)
    org_cols = ", ".join(f"o.{_q(c)}" for c in ORG_COLUMNS)
    return (
        # The due dossiers of the subtree, narrow: what ordering and counting need.
        f"WITH due AS (SELECT a.id, a.next_due_on, a.name_sort FROM {_orgs_then(applicant)} "
        f"WHERE {paths} AND a.stage IN ({marks}) AND a.next_due_on <= %s), "
        "top AS (SELECT id FROM due ORDER BY next_due_on, name_sort, id"
        + (" LIMIT %s" if limited else "")
        + ") "
        # The rows shown, wide, with the counts of all.
        f"SELECT a.id, a.name, a.next_steps, a.next_due_on, {org_cols}, "
        "(SELECT COUNT(*) FROM due), (SELECT COUNT(*) FROM due WHERE next_due_on < %s) "
        f"FROM top t JOIN {applicant} a ON a.id = t.id JOIN {org} o ON o.id = a.org_id "
        "ORDER BY a.next_due_on, a.name_sort, a.id"
    )


@dataclass(frozen=True)
class DueRow:
    id: int
    name: str
    next_steps: list[dict[str, Any]]
    next_due_on: dt.date
    org: Org


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _json(value) -> Any:
    """A JSON column as read through a plain cursor: text on SQLite (and from Django's PostgreSQL loader)."""
    return json.loads(value) if isinstance(value, str | bytes) else value


def due(
    *,
    prefixes: Sequence[str] | None,
    stages: Sequence[str],
    today: dt.date,
    horizon: dt.date,
    limit: int | None,
) -> tuple[list[DueRow], int, int]:
    """Open dossiers (at `stages`) of the subtrees with a deadline on or before `horizon`: the `limit` most
    urgent (deadline, pinyin, id), how many in all and how many overdue (deadline before `today`). One
    statement."""
    paths, path_params = paths_sql("o", prefixes)
    sql = _due_sql(connection.vendor, paths, len(stages), limit is not None)
    params: list[Any] = [*path_params, *stages, horizon]
    if limit is not None:
        params.append(limit)
    params.append(today)
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    if not rows:
        return [], 0, 0
    width = len(ORG_COLUMNS)
    out = [
        DueRow(
            id=row[0],
            name=row[1],
            next_steps=_json(row[2]),
            next_due_on=_date(row[3]),
            org=Org.from_db(connection.alias, ORG_COLUMNS, row[4 : 4 + width]),
        )
        for row in rows
    ]
    return out, int(rows[0][4 + width]), int(rows[0][5 + width])


# What a board card reads of a dossier (selectors.card_of), besides its org.
CARD_COLUMNS = _in_model_order(
    Applicant, {"id", "name", "name_sort", "stage", "applied_on", "next_steps", "next_due_on", "org_id"}
)


@functools.cache
def _top_sql(vendor: str, paths: str, stages: int, overdue_only: bool) -> str:
    applicant, org = _q(Applicant._meta.db_table), _q(Org._meta.db_table)
    overdue = " AND a.next_due_on < %s" if overdue_only else ""
    # One subquery per stage, each in the board's order (deadline, no deadline last, pinyin, id) and cut at the
    # limit: an index walk of (stage, next_due_on, name_sort) for a large subtree, the org's own rows for a
    # small one. NULLS LAST is PostgreSQL's default for ASC, so there it is the index's order.
    per_stage = (
        "SELECT * FROM (SELECT a.id FROM {applicant} a JOIN {org} o ON o.id = a.org_id "
        "WHERE {paths} AND a.stage = %s{overdue} "
        "ORDER BY a.next_due_on ASC NULLS LAST, a.name_sort, a.id LIMIT %s) s{n}"
    )
    union = " UNION ALL ".join(
        per_stage.format(applicant=applicant, org=org, paths=paths, overdue=overdue, n=n)
        for n in range(stages)
    )
    cols = ", ".join(f"a.{_q(c)}" for c in CARD_COLUMNS)
    org_cols = ", ".join(f"o.{_q(c)}" for c in ORG_COLUMNS)
    return (
        f"SELECT {cols}, {org_cols} FROM ({union}) t "
        f"JOIN {applicant} a ON a.id = t.id JOIN {org} o ON o.id = a.org_id"
    )


def top_per_stage(
    *, prefixes: Sequence[str] | None, stages: Sequence[str], limit: int, overdue_before: dt.date | None
) -> list[Applicant]:
    """The `limit` most urgent open dossiers of each of `stages` in the subtrees (only those with a deadline
    before `overdue_before` when given), as Applicant instances with their org (the card's columns only; the
    others deferred), in no particular order across stages. One statement."""
    paths, path_params = paths_sql("o", prefixes)
    sql = _top_sql(connection.vendor, paths, len(stages), overdue_before is not None)
    params: list[Any] = []
    for stage in stages:
        params += [*path_params, stage]
        if overdue_before is not None:
            params.append(overdue_before)
        params.append(limit)
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    width = len(CARD_COLUMNS)
    out = []
    for row in rows:
        values = dict(zip(CARD_COLUMNS, row[:width], strict=True))
        values["applied_on"] = _date(values["applied_on"])
        values["next_steps"] = _json(values["next_steps"])
        values["next_due_on"] = _date(values["next_due_on"]) if values["next_due_on"] is not None else None
        applicant = Applicant.from_db(connection.alias, CARD_COLUMNS, list(values.values()))
        applicant.org = Org.from_db(connection.alias, ORG_COLUMNS, row[width:])
        out.append(applicant)
    return out


@functools.cache
def _counts_sql(vendor: str, paths: str, stages: int, child_len: int | None) -> str:
    applicant = _q(Applicant._meta.db_table)
    child = f"SUBSTR(o.path, 1, {int(child_len)})" if child_len else "''"
    marks = ", ".join(["%s"] * stages)
    return (
        f"SELECT {child}, a.stage, COUNT(*), SUM(CASE WHEN a.next_due_on < %s THEN 1 ELSE 0 END) "
        f"FROM {_orgs_then(applicant)} WHERE {paths} AND a.stage IN ({marks}) GROUP BY 1, 2"
    )


def stage_counts(
    *, prefixes: Sequence[str] | None, stages: Sequence[str], today: dt.date, child_len: int | None
) -> list[tuple[str, str, int, int]]:
    """Open dossiers (at `stages`) of the subtrees as (child, stage, count, overdue count), where child is the
    first `child_len` characters of the org's path ("" without `child_len`) and overdue means a deadline
    before `today`. One grouped statement, the orgs read first."""
    paths, path_params = paths_sql("o", prefixes)
    sql = _counts_sql(connection.vendor, paths, len(stages), child_len)
    with connection.cursor() as cur:
        cur.execute(sql, [today, *path_params, *stages])
        return [(child, stage, int(n), int(overdue or 0)) for child, stage, n, overdue in cur.fetchall()]
