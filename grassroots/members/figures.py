"""The maintained member figures (`OrgMemberFigures`): the SQL that keeps them, fills them and checks them.

No permission checks and no audit here: callers are the member services (inside their transaction), the seed
and the refresh service/selector, which check the caller's scope first. Every statement is set-based:
a change is one upsert per org touched (`n = n + delta`, never read-modify-write in Python), a fill is one
`INSERT … SELECT … GROUP BY`, a check is one statement comparing the grouped members with the stored rows.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from grassroots.core.scoping import unscoped
from grassroots.orgs.models import Org
from grassroots.orgs.registry import OwnCounts, Where

from .choices import ACTIVE_STATUSES, MemberStatus
from .models import Member, OrgMemberFigures

# One column per status, named after it.
COLUMNS: tuple[str, ...] = tuple(MemberStatus.values)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _table() -> str:
    return _q(OrgMemberFigures._meta.db_table)


def _now():
    return connection.ops.adapt_datetimefield_value(timezone.now())


def _path_filter(alias: str, prefix: str | None) -> tuple[str, list]:
    """`alias.path` inside the subtree at `prefix` (all rows for None), as core.scoping.subtree_q does it."""
    if prefix is None:
        return "1 = 1", []
    if connection.vendor == "postgresql":
        return f"{alias}.path LIKE %s", [prefix + "%"]
    return f"{alias}.path >= %s AND {alias}.path < %s", [prefix, prefix + "~"]


def _upsert(org_id: int, values: dict[str, int], *, add: bool) -> None:
    cols = ", ".join(_q(c) for c in COLUMNS)
    marks = ", ".join("%s" for _ in COLUMNS)
    table = _table()
    if add:
        sets = ", ".join(f"{_q(c)} = {table}.{_q(c)} + EXCLUDED.{_q(c)}" for c in COLUMNS)
    else:
        sets = ", ".join(f"{_q(c)} = EXCLUDED.{_q(c)}" for c in COLUMNS)
    sql = (
        f"INSERT INTO {table} ({_q('org_id')}, {cols}, {_q('updated_at')}) VALUES (%s, {marks}, %s) "
        f"ON CONFLICT ({_q('org_id')}) DO UPDATE SET {sets}, {_q('updated_at')} = EXCLUDED.{_q('updated_at')}"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [org_id, *(values.get(c, 0) for c in COLUMNS), _now()])


def shift(*, before: tuple[int, str] | None, after: tuple[int, str] | None) -> None:
    """Move one member's count from (org_id, status) `before` to `after` (None: not counted there).

    Creating a member is (None → (org, status)); a status change keeps the org; a transfer keeps the status.
    One upsert per org touched, inside the caller's transaction (a row is created when missing).
    """
    if before == after:
        return
    deltas: dict[int, dict[str, int]] = {}
    if before is not None:
        org_id, status = before
        deltas.setdefault(org_id, {})[status] = deltas.get(org_id, {}).get(status, 0) - 1
    if after is not None:
        org_id, status = after
        deltas.setdefault(org_id, {})[status] = deltas.get(org_id, {}).get(status, 0) + 1
    for org_id, values in deltas.items():
        _upsert(org_id, values, add=True)


@functools.cache
def _subtree_sums_sql(vendor: str) -> str:
    where, _params = _path_filter("o", "")
    sums = ", ".join(f"SUM(f.{_q(c)})" for c in COLUMNS)
    return f"SELECT {sums} FROM {_table()} f JOIN {_q(Org._meta.db_table)} o ON o.id = f.org_id WHERE {where}"


def subtree_sums(prefix: str) -> dict[str, int]:
    """The figures of every org in the subtree at `prefix` added up, one column per status: one statement
    (the orgs' path range, then each org's figures row by its unique org_id). The caller has checked that
    the subtree is inside its scope. Written out (and built once) rather than through the ORM, whose query
    building costs more than the query itself (see docs/benchmarks.md)."""
    _where, params = _path_filter("o", prefix)
    with connection.cursor() as cur:
        cur.execute(_subtree_sums_sql(connection.vendor), params)
        row = cur.fetchone()
    return {c: int(n or 0) for c, n in zip(COLUMNS, row, strict=True)}


# Where the full members are among the active statuses (own_counts reads the active columns only).
_FULL_AT = ACTIVE_STATUSES.index(MemberStatus.FULL)


def own_counts(where: Where) -> dict[int, OwnCounts]:
    """Each org's own active members (full ones, all active) for the orgs `where("org")` selects, from their
    figures rows: one query, whatever the number of orgs (the ORG-* facts, through orgs.registry). Orgs
    without a row are left out. The caller has checked the scope."""
    with unscoped():
        rows = list(
            OrgMemberFigures.objects.unscoped_all()
            .filter(where("org"))
            .values_list("org_id", *ACTIVE_STATUSES)
        )
    return {org_id: OwnCounts(full=counts[_FULL_AT], active=sum(counts)) for org_id, *counts in rows}


def fill() -> int:
    """Fill the (empty) table from all members in one `INSERT … SELECT … GROUP BY` (the seed, after loading)."""
    member = _q(Member._meta.db_table)
    sums = ", ".join("SUM(CASE WHEN m.status = %s THEN 1 ELSE 0 END)" for _ in COLUMNS)
    cols = ", ".join(_q(c) for c in COLUMNS)
    sql = (
        f"INSERT INTO {_table()} ({_q('org_id')}, {cols}, {_q('updated_at')}) "
        f"SELECT m.org_id, {sums}, %s FROM {member} m GROUP BY m.org_id"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [*COLUMNS, _now()])
        return cur.rowcount


@dataclass(frozen=True)
class Drift:
    """An org whose stored figures differ from its members."""

    org_id: int
    code: str
    name: str
    stored: dict[str, int]
    live: dict[str, int]

    def describe(self) -> str:
        diffs = [f"{c} {self.stored[c]}→{self.live[c]}" for c in COLUMNS if self.stored[c] != self.live[c]]
        return f"{self.code} {self.name}: " + ", ".join(diffs)


def drift(prefix: str | None = None) -> list[Drift]:
    """Orgs (in the subtree at `prefix`, or all) whose figures differ from their members, in tree order.

    One statement, so both sides are read from one snapshot: the members grouped per org and the stored rows,
    stacked (UNION ALL) and compared per org. An org with members and no row, or a row and no members,
    counts as drift unless every figure is zero.
    """
    member, org = _q(Member._meta.db_table), _q(Org._meta.db_table)
    where, params = _path_filter("o", prefix)
    live_sums = ", ".join(f"SUM(CASE WHEN m.status = %s THEN 1 ELSE 0 END) AS l_{c}" for c in COLUMNS)
    live_zeros = ", ".join(f"0 AS s_{c}" for c in COLUMNS)
    stored_zeros = ", ".join(f"0 AS l_{c}" for c in COLUMNS)
    stored_cols = ", ".join(f"f.{_q(c)} AS s_{c}" for c in COLUMNS)
    outer = ", ".join(f"SUM(x.l_{c}), SUM(x.s_{c})" for c in COLUMNS)
    differs = " OR ".join(f"SUM(x.l_{c}) <> SUM(x.s_{c})" for c in COLUMNS)
    sql = (
        f"SELECT x.org_id, o.code, o.name, {outer} FROM ("
        f"SELECT m.org_id AS org_id, {live_sums}, {live_zeros} FROM {member} m "
        f"JOIN {org} o ON o.id = m.org_id WHERE {where} GROUP BY m.org_id "
        f"UNION ALL "
        f"SELECT f.org_id AS org_id, {stored_zeros}, {stored_cols} FROM {_table()} f "
        f"JOIN {org} o ON o.id = f.org_id WHERE {where}"
        f") x JOIN {org} o ON o.id = x.org_id "
        f"GROUP BY x.org_id, o.code, o.name, o.path HAVING {differs} ORDER BY o.path"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [*COLUMNS, *params, *params])
        rows = cur.fetchall()
    out = []
    for row in rows:
        org_id, code, name, *pairs = row
        live = {c: int(pairs[2 * i]) for i, c in enumerate(COLUMNS)}
        stored = {c: int(pairs[2 * i + 1]) for i, c in enumerate(COLUMNS)}
        out.append(Drift(org_id=org_id, code=code, name=name, stored=stored, live=live))
    return out


def overwrite(drifted: list[Drift]) -> None:
    """Set the figures of the drifted orgs to their live counts (one upsert each)."""
    for d in drifted:
        _upsert(d.org_id, d.live, add=False)


def lock() -> None:
    """On PostgreSQL, hold the figures table against concurrent changes until the transaction ends, so that
    a refresh reads the members only once every writer that has touched the figures has committed (and
    writers arriving later apply their deltas on top of the refreshed rows). SQLite serializes writers."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(f"LOCK TABLE {_table()} IN EXCLUSIVE MODE")
