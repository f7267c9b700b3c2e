"""Cadence (三会一课 and the yearly duties): the stored per-org counts (`OrgCadenceCount`), the subtree rollup
(`SubtreeCadence`) and the reads of the cadence page, the API, the to-do and the org card.

- Counts: one row per (org, kind, period of the kind's rule), incremented set-based by the hooks
  (`services.cadence`) in the finalizing transaction; checked against the records (`count_drift`).
- Standing: an org's cells per rule and period come from the rules (`cadence_year`) over the stored counts,
  the org's facts (founded/created, ended, the committee history) and the policy (MTG-LECTURE-Q). The org's
  own page computes them live (always current).
- Rollup: per (org, year, rule) the org's own standing and its subtree's sums, computed for a whole subtree in
  one pass (`compute`), stored with the day computed (`as_of`) and refreshed nightly and on demand; a counted
  meeting also moves its org's own figures and its ancestors' at once (`services.cadence`).

No permission checks here except in the `*_for` readers, which take the caller's scope.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.core.scoping import unscoped
from grassroots.orgs.models import Org, OrgCommittee

from . import rules as crules
from .choices import MeetingStatus, MinutesState
from .models import Meeting, MeetingPolicy, OrgCadenceCount, SubtreeCadence, Talk

RULES = crules.CADENCE_RULES
RULE_IDS = tuple(r.rule_id for r in RULES)
RULE_OF_KIND = {r.kind: r for r in RULES}
# The column heads of the cadence tables: what a secretary calls each requirement, and how often it is due.
RULE_LABELS = {
    "MTG-GENERAL-Q": _("党员大会（每季度）"),
    "MTG-COMMITTEE-M": _("委员会会议（每月）"),
    "MTG-GROUP-M": _("党小组会（每月）"),
    "MTG-LECTURE-Q": _("党课（每季度）"),
    "MTG-THEMED-DAY-M": _("主题党日（每月）"),
    "MTG-ORG-LIFE-Y": _("组织生活会（每年）"),
    "MTG-APPRAISAL-Y": _("民主评议党员（每年）"),
    "MTG-TALK-Y": _("谈心谈话（每年）"),
}
FINAL_STATES = (MinutesState.FINALIZED, MinutesState.CONFIRMED)


def period_start(kind: str, on: dt.date) -> dt.date | None:
    """The first day of the period of `kind`'s rule that contains `on` (None: a kind no rule counts)."""
    rule = RULE_OF_KIND.get(kind)
    return crules.period_of(rule.unit, on).start if rule else None


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _path_filter(alias: str, prefix: str | None) -> tuple[str, list]:
    if prefix is None:
        return "1 = 1", []
    if connection.vendor == "postgresql":
        return f"{alias}.path LIKE %s", [prefix + "%"]
    return f"{alias}.path >= %s AND {alias}.path < %s", [prefix, prefix + "~"]


# --------------------------------------------------------------------------------------------- the counts


def bump(org_id: int, kind: str, start: dt.date, by: int = 1) -> None:
    """Add `by` to the count of (org, kind, period): one `INSERT … ON CONFLICT DO UPDATE SET held = held + n`,
    atomic on PostgreSQL under concurrent finalizations (SQLite serializes writers)."""
    table = _q(OrgCadenceCount._meta.db_table)
    sql = (
        f"INSERT INTO {table} (org_id, kind, period_start, held) VALUES (%s, %s, %s, %s) "
        f"ON CONFLICT (org_id, kind, period_start) DO UPDATE SET held = {table}.held + EXCLUDED.held"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [org_id, kind, start, by])


def counted_meetings():
    """The meetings that count for the cadence: held (not cancelled) with final minutes."""
    return (
        Meeting.objects.unscoped_all()
        .exclude(status=MeetingStatus.CANCELLED)
        .filter(minutes__state__in=FINAL_STATES)
    )


def live_counts(
    prefix: str | None, years: Iterable[int] | None = None
) -> dict[tuple[int, str, dt.date], int]:
    """What the counts should be, from the records: finalized meetings and talks of the subtree at `prefix`
    (None: all) per (org id, kind, period start); only `years` when given."""
    from grassroots.core.scoping import subtree_q

    out: dict[tuple[int, str, dt.date], int] = defaultdict(int)
    years = sorted(set(years)) if years is not None else None
    with unscoped():
        meetings = counted_meetings()
        talks = Talk.objects.unscoped_all()
        if prefix is not None:
            meetings = meetings.filter(subtree_q("org__path", prefix))
            talks = talks.filter(subtree_q("org__path", prefix))
        if years:
            lo, hi = dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31)
            meetings = meetings.filter(
                Q(held_on__range=(lo, hi)) | Q(held_on__isnull=True, planned_on__range=(lo, hi))
            )
            talks = talks.filter(held_on__range=(lo, hi))
        rows = [
            (org_id, kind, held_on or planned_on)
            for org_id, kind, held_on, planned_on in meetings.values_list(
                "org_id", "kind", "held_on", "planned_on"
            )
        ]
        rows += [(org_id, crules.TALK, on) for org_id, on in talks.values_list("org_id", "held_on")]
    for org_id, kind, on in rows:
        if years and on.year not in years:
            continue
        start = period_start(kind, on)
        if start is not None:
            out[(org_id, kind, start)] += 1
    return dict(out)


def stored_counts(
    prefix: str | None, years: Iterable[int] | None = None
) -> dict[tuple[int, str, dt.date], int]:
    from grassroots.core.scoping import subtree_q

    with unscoped():
        qs = OrgCadenceCount.objects.unscoped_all()
        if prefix is not None:
            qs = qs.filter(subtree_q("org__path", prefix))
        if years is not None:
            years = sorted(set(years))
            qs = qs.filter(period_start__range=(dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31)))
        return {(o, k, s): n for o, k, s, n in qs.values_list("org_id", "kind", "period_start", "held")}


@dataclass(frozen=True)
class CountDrift:
    org_id: int
    kind: str
    period_start: dt.date
    stored: int
    live: int
    present: bool = True  # a stored row exists

    def describe(self) -> str:
        return f"org {self.org_id} {self.kind} {self.period_start}: held {self.stored}→{self.live}"


def count_drift(prefix: str | None) -> list[CountDrift]:
    stored, live = stored_counts(prefix), live_counts(prefix)
    keys = sorted(set(stored) | set(live), key=lambda k: (k[0], k[1], k[2]))
    return [
        CountDrift(o, k, s, stored.get((o, k, s), 0), live.get((o, k, s), 0), (o, k, s) in stored)
        for o, k, s in keys
        if stored.get((o, k, s), 0) != live.get((o, k, s), 0)
    ]


def counts_overwrite(drifted: list[CountDrift]) -> None:
    """Set the drifted counts to their live values: missing rows in bulk, existing ones one UPDATE each."""
    with unscoped():
        manager = OrgCadenceCount.objects.unscoped_all()
        manager.bulk_create(
            [
                OrgCadenceCount(org_id=d.org_id, kind=d.kind, period_start=d.period_start, held=d.live)
                for d in drifted
                if not d.present
            ],
            batch_size=2000,
        )
        for d in drifted:
            if d.present:
                manager.filter(org_id=d.org_id, kind=d.kind, period_start=d.period_start).update(held=d.live)


# --------------------------------------------------------------------------------------- facts and cells


@dataclass(frozen=True)
class OrgRow:
    id: int
    path: str
    code: str
    name: str
    kind: str
    depth: int
    existed_from: dt.date | None
    existed_until: dt.date | None


_ORG_FIELDS = ("id", "path", "code", "name", "kind", "depth", "founded_on", "created_at", "ended_on")


def _org_row(values) -> OrgRow:
    pk, path, code, name, kind, depth, founded_on, created_at, ended_on = values
    start = founded_on or (created_at.date() if created_at else None)
    until = ended_on - dt.timedelta(days=1) if ended_on else None
    return OrgRow(pk, path, code, name, kind, depth, start, until)


def org_row(org: Org) -> OrgRow:
    return _org_row(tuple(getattr(org, f) for f in _ORG_FIELDS))


def _existed_in(row: OrgRow, year: int, today: dt.date) -> bool:
    last = min(today, dt.date(year, 12, 31))
    first = dt.date(year, 1, 1)
    return (row.existed_from is None or row.existed_from <= last) and (
        row.existed_until is None or row.existed_until >= first
    )


def committee_windows(org_ids: list[int], year: int) -> dict[int, tuple[dt.date | None, dt.date | None]]:
    """Per org, the span its committees were in office during `year` (the first election's day and the last
    term's end, None when open) — consecutive terms make one span."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    out: dict[int, tuple[dt.date | None, dt.date | None]] = {}
    with unscoped():
        rows = (
            OrgCommittee.objects.unscoped_all()
            .filter(org_id__in=org_ids, elected_on__lte=last)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=first))
            .values_list("org_id", "elected_on", "ended_on")
        )
        for org_id, elected_on, ended_on in rows:
            until = ended_on - dt.timedelta(days=1) if ended_on else None
            if org_id in out:
                start, end = out[org_id]
                start = min(start, elected_on) if start else elected_on
                end = None if end is None or until is None else max(end, until)
                out[org_id] = (start, end)
            else:
                out[org_id] = (elected_on, until)
    return out


def _policy_rows(on: dt.date) -> list[tuple[str, dt.date, int, int]]:
    with unscoped():
        return list(
            MeetingPolicy.objects.unscoped_all()
            .filter(effective_from__lte=on)
            .values_list("org__path", "effective_from", "id", "lectures_per_quarter")
        )


def lectures_for(paths: dict[int, str], on: dt.date) -> dict[int, int]:
    """MTG-LECTURE-Q's count per org: the policy in force on `on` (as `selectors.policy_for`, in batch)."""
    best: dict[str, tuple] = {}
    for path, since, pk, n in _policy_rows(on):
        if path not in best or (since, pk) > best[path][:2]:
            best[path] = (since, pk, n)
    out = {}
    for org_id, path in paths.items():
        n = crules.DEFAULT_POLICY.lectures_per_quarter
        for i in range(len(path), 0, -Org.steplen):
            if path[:i] in best:
                n = best[path[:i]][2]
                break
        out[org_id] = n
    return out


def facts_of(row: OrgRow, committee: tuple[dt.date | None, dt.date | None] | None) -> crules.OrgFacts:
    return crules.OrgFacts(
        kind=row.kind,
        existed_from=row.existed_from,
        existed_until=row.existed_until,
        has_committee=committee is not None,
        committee_from=committee[0] if committee else None,
        committee_until=committee[1] if committee else None,
    )


def cells_of(
    facts: crules.OrgFacts,
    counts: dict[tuple[str, dt.date], int],
    *,
    year: int,
    today: dt.date,
    lectures: int,
    calendar=None,
) -> list:
    """The rules' cells of one org for `year` (periods begun by `today`)."""
    policy = crules.MeetingPolicy(lectures_per_quarter=lectures)
    return crules.cadence_year(facts, counts, year=year, today=today, policy=policy, calendar=calendar)


def standing(cells) -> dict[str, tuple[bool, int]]:
    """Per rule: whether the org owes it in some begun period (judged) and how many periods ended short."""
    out: dict[str, tuple[bool, int]] = {}
    for cell in cells:
        judged, behind = out.get(cell.rule_id, (False, 0))
        out[cell.rule_id] = (
            judged or cell.state != crules.NOT_REQUIRED,
            behind + (1 if cell.state == crules.BEHIND else 0),
        )
    return out


def own_standing(org: Org, rule_ids: Iterable[str], year: int, today: dt.date) -> dict[str, tuple[bool, int]]:
    """One org's own standing for the rules named (the hooks: after a count moved)."""
    row = org_row(org)
    if not _existed_in(row, year, today):
        return {}
    committee = committee_windows([org.pk], year).get(org.pk)
    counts = {(k, s): n for (_o, k, s), n in stored_counts_of([org.pk], year).get(org.pk, {}).items()}
    lectures = lectures_for({org.pk: org.path}, min(today, dt.date(year, 12, 31)))[org.pk]
    cells = cells_of(facts_of(row, committee), counts, year=year, today=today, lectures=lectures)
    wanted = set(rule_ids)
    return {rule: v for rule, v in standing(cells).items() if rule in wanted}


def stored_counts_of(org_ids: list[int], year: int) -> dict[int, dict[tuple[int, str, dt.date], int]]:
    with unscoped():
        rows = (
            OrgCadenceCount.objects.unscoped_all()
            .filter(org_id__in=org_ids, period_start__range=(dt.date(year, 1, 1), dt.date(year, 12, 31)))
            .values_list("org_id", "kind", "period_start", "held")
        )
        out: dict[int, dict] = defaultdict(dict)
        for o, k, s, n in rows:
            out[o][(o, k, s)] = n
    return out


# ------------------------------------------------------------------------------------------------ rollup

Figures = tuple[
    bool, int, int, int, int
]  # own_judged, own_periods_behind, orgs_judged, orgs_behind, periods_behind


def compute(prefix: str, year: int, today: dt.date) -> dict[tuple[int, str], Figures]:
    """The rollup rows of the subtree at `prefix` for `year` as of `today`: each org's own standing per rule
    from the rules, then added up the tree in one pass. Rows only where the subtree owes the rule."""
    from grassroots.core.scoping import subtree_q

    with unscoped():
        orgs = [
            _org_row(v)
            for v in Org.objects.unscoped_all().filter(subtree_q("path", prefix)).values_list(*_ORG_FIELDS)
        ]
    orgs = [o for o in orgs if _existed_in(o, year, today)]
    by_path = {o.path: o for o in orgs}
    ids = [o.id for o in orgs]
    committees = committee_windows(ids, year) if ids else {}
    counts: dict[int, dict[tuple[str, dt.date], int]] = defaultdict(dict)
    for (o, k, s), n in stored_counts(prefix, [year]).items():
        counts[o][(k, s)] = n
    lectures = lectures_for({o.id: o.path for o in orgs}, min(today, dt.date(year, 12, 31)))
    own: dict[int, dict[str, tuple[bool, int]]] = {}
    for o in orgs:
        cells = cells_of(
            facts_of(o, committees.get(o.id)),
            counts.get(o.id, {}),
            year=year,
            today=today,
            lectures=lectures[o.id],
        )
        own[o.id] = standing(cells)
    sums: dict[tuple[int, str], list[int]] = {}
    steplen = Org.steplen
    for o in orgs:
        for rule, (judged, behind) in own[o.id].items():
            if not judged:
                continue
            for i in range(len(prefix), len(o.path) + 1, steplen):
                anc = by_path.get(o.path[:i])
                if anc is None:
                    continue
                acc = sums.setdefault((anc.id, rule), [0, 0, 0])
                acc[0] += 1
                acc[1] += 1 if behind else 0
                acc[2] += behind
    out: dict[tuple[int, str], Figures] = {}
    for (org_id, rule), (judged, behind_orgs, periods) in sums.items():
        own_judged, own_behind = own.get(org_id, {}).get(rule, (False, 0))
        out[(org_id, rule)] = (own_judged, own_behind, judged, behind_orgs, periods)
    return out


def stored_rollup(prefix: str, year: int) -> dict[tuple[int, str], tuple[Figures, dt.date]]:
    from grassroots.core.scoping import subtree_q

    with unscoped():
        rows = (
            SubtreeCadence.objects.unscoped_all()
            .filter(subtree_q("org__path", prefix), year=year)
            .values_list(
                "org_id",
                "rule_id",
                "own_judged",
                "own_periods_behind",
                "orgs_judged",
                "orgs_behind",
                "periods_behind",
                "as_of",
                "id",
            )
        )
        return {(r[0], r[1]): ((r[2], r[3], r[4], r[5], r[6]), r[7]) for r in rows}


@dataclass(frozen=True)
class RollupDiff:
    inserted: int = 0
    changed: int = 0
    deleted: int = 0


def rollup_drift(prefix: str, year: int, today: dt.date) -> list[str]:
    live, stored = compute(prefix, year, today), stored_rollup(prefix, year)
    out = []
    for key in sorted(set(live) | set(stored)):
        have = stored.get(key, (None, None))[0]
        want = live.get(key)
        if have != want:
            out.append(f"org {key[0]} {year} {key[1]}: {have}→{want}")
    return out


def rollup_write(prefix: str, year: int, today: dt.date, anchor: Org) -> RollupDiff:
    """Bring the stored rollup of the subtree at `prefix` to `compute`'s rows (only the differences written),
    stamp every row of the subtree with `as_of = today`, and shift the ancestors of `anchor` (above the
    subtree) by the change of the subtree's own totals."""
    live, stored = compute(prefix, year, today), stored_rollup(prefix, year)
    inserted, changed, deleted = [], [], []
    for key, fig in live.items():
        have = stored.get(key)
        if have is None:
            inserted.append(key)
        elif have[0] != fig:
            changed.append(key)
    deleted = [key for key in stored if key not in live]
    names = ("own_judged", "own_periods_behind", "orgs_judged", "orgs_behind", "periods_behind")
    with unscoped():
        manager = SubtreeCadence.objects.unscoped_all()
        if deleted:
            for chunk in _chunks(deleted, 500):
                q = Q()
                for org_id, rule in chunk:
                    q |= Q(org_id=org_id, rule_id=rule)
                manager.filter(q, year=year).delete()
        manager.bulk_create(
            [
                SubtreeCadence(
                    org_id=o, rule_id=r, year=year, as_of=today, **dict(zip(names, live[(o, r)], strict=True))
                )
                for o, r in inserted
            ],
            batch_size=2000,
        )
        for org_id, rule in changed:
            manager.filter(org_id=org_id, rule_id=rule, year=year).update(
                as_of=today, **dict(zip(names, live[(org_id, rule)], strict=True))
            )
        from grassroots.core.scoping import subtree_q

        manager.filter(subtree_q("org__path", prefix), year=year).exclude(as_of=today).update(as_of=today)
        # The ancestors above the subtree: shift by the subtree root's change.
        if len(prefix) > Org.steplen:
            ancestors = [prefix[:i] for i in range(Org.steplen, len(prefix), Org.steplen)]
            for rule in RULE_IDS:
                before = stored.get((anchor.pk, rule), ((False, 0, 0, 0, 0), None))[0]
                after = live.get((anchor.pk, rule), (False, 0, 0, 0, 0))
                shift_ancestors(
                    ancestors, year, rule, after[2] - before[2], after[3] - before[3], after[4] - before[4]
                )
    return RollupDiff(len(inserted), len(changed), len(deleted))


def shift_ancestors(paths: list[str], year: int, rule: str, judged: int, orgs: int, periods: int) -> None:
    """Add the deltas to the stored rollup rows of the orgs at `paths` (one set-based UPDATE; rows not yet
    stored are left to the next refresh)."""
    if not paths or not (judged or orgs or periods):
        return
    from django.db.models import F

    with unscoped():
        SubtreeCadence.objects.unscoped_all().filter(org__path__in=paths, year=year, rule_id=rule).update(
            orgs_judged=F("orgs_judged") + judged,
            orgs_behind=F("orgs_behind") + orgs,
            periods_behind=F("periods_behind") + periods,
        )


def _chunks(items: list, n: int):
    for i in range(0, len(items), n):
        yield items[i : i + n]


# ------------------------------------------------------------------------------------------------- reads


@dataclass(frozen=True)
class ChildRow:
    """One child org in an upper org's subtree table: per rule (orgs judged, orgs behind, periods behind)."""

    org_id: int
    code: str
    name: str
    kind: str
    path: str
    rules: dict[str, tuple[int, int, int]]

    @property
    def orgs_behind(self) -> int:
        return max((v[1] for v in self.rules.values()), default=0)

    @property
    def periods_behind(self) -> int:
        return sum(v[2] for v in self.rules.values())


@functools.cache
def _children_sql(vendor: str) -> str:
    where, _params = _path_filter("o", "")
    return (
        "SELECT o.id, o.code, o.name, o.kind, o.path, s.rule_id, s.orgs_judged, s.orgs_behind, s.periods_behind, "
        f"s.as_of FROM {_q(Org._meta.db_table)} o LEFT JOIN {_q(SubtreeCadence._meta.db_table)} s "
        f"ON s.org_id = o.id AND s.year = %s WHERE o.depth = %s AND {where} "
        "AND (o.ended_on IS NULL OR o.ended_on > %s) ORDER BY o.path, s.rule_id"
    )


def subtree_rows(org: Org, year: int) -> tuple[list[ChildRow], dt.date | None]:
    """The children of `org` (those open at some time in `year`) with their subtrees' stored rollup for `year`
    (one statement: the children by the (depth, path) index, each one's rows by the unique (org, year, rule)),
    and the oldest `as_of` among them. The caller has checked the scope."""
    _where, params = _path_filter("o", org.path)
    with connection.cursor() as cur:
        cur.execute(_children_sql(connection.vendor), [year, org.depth + 1, *params, dt.date(year, 1, 1)])
        rows = cur.fetchall()
    children: dict[int, ChildRow] = {}
    as_of = None
    for pk, code, name, kind, path, rule, judged, behind, periods, stamp in rows:
        child = children.get(pk)
        if child is None:
            child = children[pk] = ChildRow(pk, code, name, kind, path, {})
        if rule is None:
            continue
        child.rules[rule] = (judged, behind, periods)
        stamp = stamp if isinstance(stamp, dt.date) else dt.date.fromisoformat(stamp)
        as_of = stamp if as_of is None or stamp < as_of else as_of
    return list(children.values()), as_of


def subtree_totals(org: Org, year: int) -> dict[str, tuple[int, int, int, dt.date]]:
    """The org's own stored rollup rows for `year`: rule → (orgs judged, orgs behind, periods behind, as_of).
    One statement by the unique (org, year, rule), written out: building the ORM query cost more than running
    it (the cadence bench)."""
    sql = (
        "SELECT rule_id, orgs_judged, orgs_behind, periods_behind, as_of "
        f"FROM {_q(SubtreeCadence._meta.db_table)} WHERE org_id = %s AND year = %s"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [org.pk, year])
        rows = cur.fetchall()
    return {r: (j, b, p, a if isinstance(a, dt.date) else dt.date.fromisoformat(a)) for r, j, b, p, a in rows}


def org_cells(org: Org, year: int, today: dt.date, calendar=None) -> list:
    """The org's own cells per rule and period for `year`, live from the stored counts (always current)."""
    row = org_row(org)
    if not _existed_in(row, year, today):
        return []
    committee = committee_windows([org.pk], year).get(org.pk)
    counts = {(k, s): n for (_o, k, s), n in stored_counts_of([org.pk], year).get(org.pk, {}).items()}
    lectures = lectures_for({org.pk: org.path}, min(today, dt.date(year, 12, 31)))[org.pk]
    return cells_of(
        facts_of(row, committee), counts, year=year, today=today, lectures=lectures, calendar=calendar
    )


def meetings_per_day(org: Org, year: int) -> list[tuple[str, int]]:
    """The org's finalized meetings per held day in `year` (the heat map): [(ISO date, n)]."""
    lo, hi = dt.date(year, 1, 1), dt.date(year, 12, 31)
    per_day: dict[dt.date, int] = defaultdict(int)
    with unscoped():
        for held_on, planned_on in (
            counted_meetings()
            .filter(org=org)
            .filter(Q(held_on__range=(lo, hi)) | Q(held_on__isnull=True, planned_on__range=(lo, hi)))
            .values_list("held_on", "planned_on")
        ):
            per_day[held_on or planned_on] += 1
    return [(day.isoformat(), n) for day, n in sorted(per_day.items())]


# ------------------------------------------------------------------------------------- the page and the API

YEAR_MIN = 2000


def check_year(year, today: dt.date) -> int:
    """MTG-YEAR: a whole year from 2000 to next year."""
    from django.utils.translation import gettext as _

    from grassroots.core.errors import RuleViolation

    try:
        value = int(year)
    except (TypeError, ValueError):
        value = None
    if value is None or not YEAR_MIN <= value <= today.year + 1:
        raise RuleViolation(
            "MTG-YEAR",
            _("年份须为 %(low)s～%(high)s 之间的整数（MTG-YEAR）")
            % {"low": YEAR_MIN, "high": today.year + 1},
            field="year",
        )
    return value


@dataclass(frozen=True)
class RuleLine:
    """One rule of an org's cadence for a year: its cells (periods begun) in order."""

    rule_id: str
    kind: str
    unit: str
    cells: list

    @property
    def behind(self) -> int:
        return sum(1 for c in self.cells if c.state == crules.BEHIND)


@dataclass(frozen=True)
class CadenceReport:
    org: Org
    year: int
    today: dt.date
    rules: list[RuleLine]
    children: list[ChildRow]
    totals: dict[str, tuple[int, int, int, dt.date]]
    as_of: dt.date | None

    @property
    def is_upper(self) -> bool:
        return bool(self.children) or bool(self.totals and any(t[0] > 1 for t in self.totals.values()))


def cadence_for(*, scope, org: Org, year: int, today: dt.date, calendar=None) -> CadenceReport:
    """An org's cadence for `year`: its own cells per rule (live from the stored counts), and for an upper org
    its children's subtree rollup (stored, with its as-of day). The caller reads meetings at `org`."""
    from grassroots.core import permissions

    from .selectors import MEETING_VIEW

    permissions.require(scope, MEETING_VIEW, org.path)
    cells = org_cells(org, year, today, calendar=calendar)
    lines: dict[str, RuleLine] = {}
    for cell in cells:
        rule = next(r for r in RULES if r.rule_id == cell.rule_id)
        lines.setdefault(cell.rule_id, RuleLine(cell.rule_id, rule.kind, rule.unit, [])).cells.append(cell)
    children, as_of = subtree_rows(org, year)
    totals = subtree_totals(org, year)
    if totals:
        stamps = [t[3] for t in totals.values()]
        as_of = min([*stamps, as_of] if as_of else stamps)
    return CadenceReport(org, year, today, list(lines.values()), children, totals, as_of)
