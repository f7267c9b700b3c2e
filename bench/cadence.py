"""The cadence table (三会一课) of the root and of a mid-level org, for bench/run.py's worker.

The seed has no meetings yet, so this first writes a year of finalized meetings for the seeded orgs set-based
(COPY on PostgreSQL, executemany in one transaction on SQLite; deterministic gaps: some branches skip
themed days and general meetings), then refreshes the derived tables (`services.cadence_refresh`: the counts
from the meetings, the subtree rollup). It times `cadence.subtree_rows` + `subtree_totals` (the upper org's
table: its children's rollup rows and its own) against the same work by hand, and the live computation the
rollup replaces (every org's cells from the rules, summed up the tree) once, for reference.

The lapse to-do (`lapse_rows`): the meetings written here have no attendance, so `load_lapse` records the
members of one branch in `LAPSE_SHARE` absent at their branch's meetings of the lapse window and syncs them
into the stored lapse state (`lapse_store.sync`, as the finalize hook would); then the to-do of the root and
the mid-level org read from it (the 10 items a page shows and the count of all) is timed against the same
statement by hand.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
import time


def _meeting_rows(orgs, year: int, today: dt.date, first_id: int):
    """(meeting row, minutes row) of a year of meetings for `orgs` [(id, kind)], up to yesterday."""
    rng = random.Random(year)
    now = dt.datetime.now(dt.UTC)
    plan = {
        "branch": [("general_meeting", (2, 5, 8, 11), 0.15), ("party_lecture", (3, 6, 9, 12), 0.2),
                   ("themed_day", tuple(range(1, 13)), 0.1), ("org_life_meeting", (12,), 0.3)],
        "group": [("group_meeting", tuple(range(1, 13)), 0.1)],
    }  # fmt: skip
    pk = first_id
    meetings, minutes = [], []
    for org_id, kind in orgs:
        for mkind, months, skip in plan.get(kind, ()):
            lazy = rng.random() < 0.2  # a fifth of the orgs skip far more often
            for month in months:
                day = dt.date(year, month, 1 + rng.randrange(27))
                if day >= today or rng.random() < (skip * 3 if lazy else skip):
                    continue
                meetings.append(
                    (
                        pk,
                        org_id,
                        mkind,
                        "会议",
                        "",
                        "",
                        day,
                        "held",
                        day,
                        "",
                        secrets.token_hex(8),
                        0,
                        0,
                        0,
                        0,
                        0,
                        now,
                        now,
                    )
                )
                minutes.append((pk, "", "finalized", now, now, False))
                pk += 1
    return meetings, minutes


MEETING_COLS = (
    "id, org_id, kind, topic, agenda, place, planned_on, status, held_on, cancelled_reason, sign_in_secret, "
    "expected_count, present_count, excused_count, absent_count, guest_count, created_at, updated_at"
)
MINUTES_COLS = "meeting_id, text, state, updated_at, finalized_at, is_late_entry"


def load_meetings(log) -> int:
    """Write a year of finalized meetings set-based and refresh the cadence tables; returns the meetings."""
    from django.db import connection, transaction
    from django.utils import timezone

    from grassroots.core.scoping import Scope, unscoped
    from grassroots.meetings import services
    from grassroots.meetings.models import Meeting
    from grassroots.orgs.models import Org

    today = timezone.localdate()
    started = time.perf_counter()
    with unscoped():
        orgs = list(Org.objects.unscoped_all().filter(kind__in=("branch", "group")).values_list("id", "kind"))
        first = (Meeting.objects.unscoped_all().order_by("-id").values_list("id", flat=True).first() or 0) + 1
    meetings, minutes = _meeting_rows(orgs, today.year, today, first)
    raw = connection.connection
    if connection.vendor == "postgresql":
        with raw.cursor() as cur:
            with cur.copy(f"COPY meetings_meeting ({MEETING_COLS}) FROM STDIN") as copy:
                for row in meetings:
                    copy.write_row(row)
            with cur.copy(f"COPY meetings_minutes ({MINUTES_COLS}) FROM STDIN") as copy:
                for row in minutes:
                    copy.write_row(row)
            cur.execute(
                "SELECT setval(pg_get_serial_sequence('meetings_meeting', 'id'), (SELECT MAX(id) FROM meetings_meeting))"
            )
    else:
        with transaction.atomic():
            cur = raw.cursor()
            marks = ", ".join("?" for _ in MEETING_COLS.split(","))
            cur.executemany(
                f"INSERT INTO meetings_meeting ({MEETING_COLS}) VALUES ({marks})",
                [tuple(v.isoformat() if isinstance(v, dt.date) else v for v in r) for r in meetings],
            )
            cur.executemany(
                f"INSERT INTO meetings_minutes ({MINUTES_COLS}) VALUES (?, ?, ?, ?, ?, ?)",
                [tuple(v.isoformat() if isinstance(v, dt.date) else v for v in r) for r in minutes],
            )
            cur.close()
    loaded = time.perf_counter()
    services.cadence_refresh(scope=Scope.system("bench"), actor=None, years=[today.year], today=today)
    log(
        f"cadence: {len(meetings)} finalized meetings written in {loaded - started:.1f}s, "
        f"counts and rollup refreshed in {time.perf_counter() - loaded:.1f}s"
    )
    return len(meetings)


def cadence_rows(log, timed, raw_conn, root, mid, explain) -> list[dict]:
    """The cadence table of `mid` and `root`: app against hand-written SQL (the ratio) and the live
    computation from the rules (once, the speed-up)."""
    from django.db import connection
    from django.utils import timezone

    from grassroots.meetings import cadence

    meetings = load_meetings(log)
    today = timezone.localdate()
    year = today.year
    pg = connection.vendor == "postgresql"
    mark = "%s" if pg else "?"
    where = f"o.path LIKE {mark}" if pg else f"o.path >= {mark} AND o.path < {mark}"
    children_sql = (
        "SELECT o.id, o.code, o.name, o.kind, o.path, s.rule_id, s.orgs_judged, s.orgs_behind, s.periods_behind, "
        f"s.as_of FROM orgs_org o LEFT JOIN meetings_subtreecadence s ON s.org_id = o.id AND s.year = {mark} "
        f"WHERE o.depth = {mark} AND {where} AND (o.ended_on IS NULL OR o.ended_on > {mark}) "
        "ORDER BY o.path, s.rule_id"
    )
    totals_sql = (
        "SELECT rule_id, orgs_judged, orgs_behind, periods_behind, as_of FROM meetings_subtreecadence "
        f"WHERE org_id = {mark} AND year = {mark}"
    )

    def params(org):
        jan1 = dt.date(year, 1, 1)
        path = (org.path + "%",) if pg else (org.path, org.path + "~")
        return (year, org.depth + 1, *path, jan1 if pg else jan1.isoformat())

    def raw(org):
        cur = raw_conn.cursor()
        cur.execute(children_sql, params(org))
        children = cur.fetchall()
        cur.execute(totals_sql, (org.pk, year))
        totals = cur.fetchall()
        cur.close()
        return (
            sorted((r[1], r[5], r[6], r[7], r[8]) for r in children if r[5] is not None),
            sorted(r[:4] for r in totals),
        )

    def app(org):
        rows, _as_of = cadence.subtree_rows(org, year)
        totals = cadence.subtree_totals(org, year)
        return (
            sorted((c.code, r, *v) for c in rows for r, v in c.rules.items()),
            sorted((r, *v[:3]) for r, v in totals.items()),
        )

    out = []
    for label, org in (("mid", mid), ("root", root)):
        if app(org) != raw(org):
            raise SystemExit(f"MISMATCH in the cadence table of {org.code}")
        app_ms, raw_ms, _none = timed(lambda o=org: app(o), lambda o=org: raw(o))
        t = time.perf_counter()
        cadence.compute(org.path, year, today)
        live_ms = (time.perf_counter() - t) * 1000
        children = len({r[0] for r in raw(org)[0]})
        row = {
            "engine": connection.vendor,
            "query": "cadence",
            "org": label,
            "code": org.code,
            "depth": org.depth,
            "members": children,
            "share": round(100 * children / max(1, children), 1),
            "app_ms": app_ms,
            "raw_ms": raw_ms,
            "ratio": app_ms / raw_ms,
            "live_ms": live_ms,
            "speedup": live_ms / app_ms,
            "meetings": meetings,
            "raw_explain": explain(children_sql, params(org)),
        }
        log(
            f"cadence {label} {org.code}: {children} children, app {app_ms:.2f} ms, raw {raw_ms:.2f} ms, "
            f"live from the rules {live_ms:.0f} ms"
        )
        out.append(row)
    return out


ATTENDANCE_COLS = (
    "meeting_id",
    "member_id",
    "expected",
    "voting",
    "status",
    "reason",
    "method",
    "leave_reason",
)
LAPSE_SHARE = 20  # one branch in 20 missed by all its members: what the lapse table holds in the bench
TODO_LIMIT = 10  # the items the home page and the org page show of a category


def load_lapse(log) -> int:
    """Give the stored lapse state something to read: `load_meetings` writes meetings without attendance, so
    the members of one branch in `LAPSE_SHARE` are recorded absent (expected) at their branch's meetings of the
    lapse window written there (those without attendance), written set-based, and those members are synced (`lapse_store.sync`, what the finalize
    hook does). Returns the rows the table holds (the seed's, when it loaded meetings, and these)."""
    from django.db import connection, transaction
    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    from grassroots.core.scoping import unscoped
    from grassroots.meetings import lapse, lapse_store
    from grassroots.meetings.models import Attendance, Meeting, MemberLapseState
    from grassroots.members.choices import ACTIVE_STATUSES
    from grassroots.members.models import Member
    from grassroots.orgs.models import Org

    today = timezone.localdate()
    first = lapse.add_months(today.replace(day=1), -6)
    started = time.perf_counter()
    with unscoped():
        branches = list(
            Org.objects.unscoped_all().filter(kind="branch").order_by("pk").values_list("pk", flat=True)
        )[::LAPSE_SHARE]
        meetings: dict[int, list[int]] = {}
        written_here = ~Exists(Attendance.objects.unscoped_all().filter(meeting_id=OuterRef("pk")))
        for pk, org_id in (
            Meeting.objects.unscoped_all()
            .filter(written_here, org_id__in=branches, held_on__gte=first, held_on__lte=today)
            .values_list("pk", "org_id")
        ):
            meetings.setdefault(org_id, []).append(pk)
        members = list(
            Member.objects.unscoped_all()
            .filter(org_id__in=list(meetings), status__in=ACTIVE_STATUSES)
            .values_list("pk", "org_id")
        )
    rows = [
        (meeting_id, member_id, True, False, "absent", "", "", "")
        for member_id, org_id in members
        for meeting_id in meetings[org_id]
    ]
    cols = ", ".join(ATTENDANCE_COLS)
    raw = connection.connection
    if connection.vendor == "postgresql":
        with raw.cursor() as cur, cur.copy(f"COPY meetings_attendance ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        with transaction.atomic():
            cur = raw.cursor()
            marks = ", ".join("?" for _ in ATTENDANCE_COLS)
            cur.executemany(f"INSERT INTO meetings_attendance ({cols}) VALUES ({marks})", rows)
            cur.close()
    loaded = time.perf_counter()
    done = lapse_store.sync([pk for pk, _org in members], today=today)
    log(
        f"lapse: {len(rows)} absences of {len(members)} members written in {loaded - started:.1f}s, "
        f"synced in {time.perf_counter() - loaded:.1f}s: {done.inserted} rows stored"
    )
    with unscoped():
        return MemberLapseState.objects.unscoped_all().count()


def lapse_rows(log, timed, raw_conn, root, mid, explain) -> list[dict]:
    """The lapse to-do (members at the lapse level) of `mid` and `root` from the stored lapse state: the app
    (`lapse_todo.lapse_items`, to-do items built) against the same statement by hand."""
    from django.db import connection
    from django.utils import timezone

    from grassroots.core.scoping import Scope
    from grassroots.meetings import lapse_todo
    from grassroots.members.choices import ACTIVE_STATUSES

    stored = load_lapse(log)
    today = timezone.localdate()
    scope = Scope.system("bench")
    pg = connection.vendor == "postgresql"
    mark = "%s" if pg else "?"
    where = f"o.path LIKE {mark}" if pg else f"o.path >= {mark} AND o.path < {mark}"
    statuses = ", ".join(mark for _ in ACTIVE_STATUSES)
    sql = (
        "SELECT s.member_id, m.name, o.code, o.name, o.path, s.streak, COUNT(*) OVER () "
        "FROM meetings_memberlapsestate s JOIN members_member m ON m.id = s.member_id "
        f"JOIN orgs_org o ON o.id = m.org_id WHERE s.level = {mark} AND m.status IN ({statuses}) AND {where} "
        f"ORDER BY m.name, s.member_id LIMIT {TODO_LIMIT}"
    )

    def params(org):
        return ("lapse", *ACTIVE_STATUSES, *((org.path + "%",) if pg else (org.path, org.path + "~")))

    def raw(org):
        cur = raw_conn.cursor()
        cur.execute(sql, params(org))
        rows = cur.fetchall()
        cur.close()
        return sorted((r[1], r[2]) for r in rows), rows[0][-1] if rows else 0

    def app(org):
        found = lapse_todo.lapse_items(scope=scope, org=org, today=today, limit=TODO_LIMIT)
        return sorted((i.subject, i.org.code) for i in found.items), found.total

    out = []
    for label, org in (("mid", mid), ("root", root)):
        if app(org) != raw(org):
            raise SystemExit(f"MISMATCH in the lapse to-do of {org.code}")
        app_ms, raw_ms, _none = timed(lambda o=org: app(o), lambda o=org: raw(o))
        n = raw(org)[1]
        out.append(
            {
                "engine": connection.vendor,
                "query": "lapse",
                "org": label,
                "code": org.code,
                "depth": org.depth,
                "members": n,
                "share": round(100 * n / max(1, stored), 1),
                "app_ms": app_ms,
                "raw_ms": raw_ms,
                "ratio": app_ms / raw_ms,
                "raw_explain": explain(sql, params(org)),
            }
        )
        log(
            f"lapse to-do {label} {org.code}: {n} members at the lapse level, app {app_ms:.2f} ms, raw {raw_ms:.2f} ms"
        )
    return out
