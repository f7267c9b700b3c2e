"""The lapse watch (MEM-LAPSE-6M): each member's current streak of months without organizational life, with
the evidence, the excusals and the level the meeting policy gives it. Reads only; every function takes the
caller's scope.

Set-based: a *source* answers, in one grouped query over the members of a subtree and a window of months,
each member's state per month (`SOURCES`; the organizational-life source reads the attendance of finalized
meetings). The dues source joins later as a second entry of `SOURCES`: a member's level is the highest any
source gives. Excusals (LapseExcusal) are read in one query and apply to every source. The evidence (the
meetings missed) is read in one query, only for the members of the page shown.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext_lazy as _

from grassroots.core import permissions
from grassroots.core.scoping import Scope, subtree_q, unscoped
from grassroots.members.choices import ACTIVE_STATUSES
from grassroots.orgs.models import Org

from . import rules, selectors
from .choices import AttendanceStatus, MeetingKind, MeetingStatus, MinutesState
from .models import Attendance, LapseExcusal, MeetingPolicy

LEVEL_RANK = {rules.LEVEL_LAPSE: 0, rules.LEVEL_WARN: 1, rules.LEVEL_NONE: 2}
LEVEL_LABELS = {rules.LEVEL_LAPSE: _("已达处置月数"), rules.LEVEL_WARN: _("提醒"), rules.LEVEL_NONE: _("—")}


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(month: dt.date) -> dt.date:
    return add_months(month, 1) - dt.timedelta(days=1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every month (its first day) from `first`'s to `last`'s, oldest first."""
    out, month, end = [], rules.month_start(first), rules.month_start(last)
    while month <= end:
        out.append(month)
        month = add_months(month, 1)
    return out


@dataclass(frozen=True)
class Person:
    name: str
    name_sort: str
    org_id: int
    org_path: str
    org_code: str
    org_name: str


@dataclass(frozen=True)
class Missed:
    """One finalized meeting a member was expected at and missed without leave (the evidence)."""

    meeting_id: int
    org_path: str
    org_name: str
    kind: str
    kind_label: str
    topic: str
    held_on: dt.date


@dataclass
class LapseRow:
    member_id: int
    person: Person
    streak: int
    since: dt.date | None
    months: tuple[dt.date, ...]  # the missed months of the streak, newest first
    level: str
    source: str
    warn_months: int
    lapse_months: int
    evidence: list[Missed] = field(default_factory=list)
    excusals: list[LapseExcusal] = field(default_factory=list)

    @property
    def level_label(self):
        return LEVEL_LABELS[self.level]

    @property
    def sort_key(self) -> tuple:
        return (LEVEL_RANK[self.level], -self.streak, self.person.name_sort, self.member_id)


class OrgLifeSource:
    """Organizational life: the attendance of finalized meetings (minutes not a draft, meeting not cancelled),
    by the month of the day the meeting was held (its planned day when no held day is stored)."""

    key = "org_life"
    label = _("组织生活")

    @staticmethod
    def _rows(member_where: Q, first: dt.date, last: dt.date):
        return (
            Attendance.objects.unscoped_all()
            .filter(member_where)
            .exclude(meeting__minutes__state=MinutesState.DRAFT)
            .exclude(meeting__status=MeetingStatus.CANCELLED)
            .annotate(on=Coalesce("meeting__held_on", "meeting__planned_on"))
            .filter(on__gte=first, on__lte=last)
        )

    def month_counts(
        self, member_where: Q, first: dt.date, last: dt.date
    ) -> tuple[dict[int, dict[dt.date, tuple[int, int, int]]], dict[int, Person]]:
        """One grouped query: for each member with any row, {month: (present, excused, absent)} — present
        as expected or as a guest; excused (leave granted) and absent (or never recorded) where expected —
        and who they are (name, org)."""
        missed = Q(expected=True) & (Q(status=AttendanceStatus.ABSENT) | Q(status=""))
        excused = Q(expected=True, status=AttendanceStatus.EXCUSED)
        rows = (
            self._rows(member_where, first, last)
            .annotate(month=TruncMonth("on"))
            .values(
                "member_id",
                "member__name",
                "member__name_sort",
                "member__org_id",
                "member__org__path",
                "member__org__code",
                "member__org__name",
                "month",
            )
            .annotate(
                present=Count("id", filter=Q(status=AttendanceStatus.PRESENT)),
                excused=Count("id", filter=excused),
                absent=Count("id", filter=missed),
            )
            .order_by()
        )
        counts: dict[int, dict[dt.date, tuple[int, int]]] = defaultdict(dict)
        people: dict[int, Person] = {}
        with unscoped():
            for r in rows:
                month = r["month"]
                month = month.date() if isinstance(month, dt.datetime) else month
                counts[r["member_id"]][month] = (r["present"], r["excused"], r["absent"])
                people[r["member_id"]] = Person(
                    r["member__name"],
                    r["member__name_sort"],
                    r["member__org_id"],
                    r["member__org__path"],
                    r["member__org__code"],
                    r["member__org__name"],
                )
        return counts, people

    def evidence(self, member_ids: Sequence[int], first: dt.date, last: dt.date) -> dict[int, list[Missed]]:
        """The finalized meetings each of `member_ids` was expected at and missed, newest first (one query)."""
        out: dict[int, list[Missed]] = defaultdict(list)
        if not member_ids:
            return out
        with unscoped():
            rows = (
                self._rows(Q(member_id__in=list(member_ids)), first, last)
                .filter(expected=True)
                .filter(Q(status=AttendanceStatus.ABSENT) | Q(status=""))
                .values_list(
                    "member_id",
                    "meeting_id",
                    "meeting__org__path",
                    "meeting__org__name",
                    "meeting__kind",
                    "meeting__topic",
                    "on",
                )
                .order_by("-on", "-meeting_id")
            )
            for member_id, meeting_id, path, org_name, kind, topic, on in rows:
                out[member_id].append(
                    Missed(meeting_id, path, org_name, kind, str(MeetingKind(kind).label), topic, on)
                )
        return out


# The sources of MEM-LAPSE-6M; dues adds its own (same interface) when it arrives.
SOURCES: list = [OrgLifeSource()]


def policies_in(org: Org, on: dt.date) -> list[tuple[str, MeetingPolicy]]:
    """The policy rows in force on `on` that may govern a member of `org`'s subtree (set on its path or
    inside it), as (org path, row), deepest org first then latest: one query."""
    prefixes = [org.path[:i] for i in range(Org.steplen, len(org.path) + 1, Org.steplen)]
    return _policies(Q(org__path__in=prefixes) | subtree_q("org__path", org.path), on)


def policies_all(on: dt.date) -> list[tuple[str, MeetingPolicy]]:
    """Every policy row in force on `on`, as `policies_in` gives them (for members anywhere in the tree: the
    stored lapse state). One query; policy rows are few (set by org admins)."""
    return _policies(Q(), on)


def _policies(where: Q, on: dt.date) -> list[tuple[str, MeetingPolicy]]:
    with unscoped():
        rows = list(
            MeetingPolicy.objects.unscoped_all()
            .filter(where)
            .filter(effective_from__lte=on)
            .annotate(org_path=F("org__path"))
        )
    rows.sort(key=lambda r: (-len(r.org_path), -r.effective_from.toordinal(), -r.pk))
    return [(r.org_path, r) for r in rows]


def policy_of_path(path: str, rows: list[tuple[str, MeetingPolicy]]) -> selectors.Policy:
    """The policy in force for the org at `path`, from `policies_in`'s rows (the deepest org on the path,
    its latest row), or the defaults."""
    for org_path, row in rows:
        if path.startswith(org_path):
            return selectors.policy_of_row(row)
    return selectors.Policy()


class LapseList(Sequence):
    """The members of a subtree with a current streak (at least `min_streak` missed months), most urgent first
    (lapse, then warn, then the longest streak, then pinyin). Sliced like a list; the evidence and excusals
    are read only for the slice taken (the page shown), in one query each."""

    def __init__(self, rows: list[LapseRow], *, first: dt.date, last: dt.date):
        self._rows = rows
        self.first = first
        self.last = last

    def __len__(self) -> int:
        return len(self._rows)

    def count(self) -> int:  # what a paginator asks
        return len(self._rows)

    def levels(self) -> dict[str, int]:
        """How many members are at each level (lapse, warn), over the whole list."""
        out = {rules.LEVEL_LAPSE: 0, rules.LEVEL_WARN: 0}
        for r in self._rows:
            if r.level in out:
                out[r.level] += 1
        return out

    def __getitem__(self, key):
        if isinstance(key, slice):
            rows = self._rows[key]
            _enrich(rows, self.first, self.last)
            return rows
        row = self._rows[key]
        _enrich([row], self.first, self.last)
        return row


def _enrich(rows: list[LapseRow], first: dt.date, last: dt.date) -> None:
    todo = [r for r in rows if not r.evidence]
    if not todo:
        return
    ids = [r.member_id for r in todo]
    evidence = SOURCES[0].evidence(ids, first, last)
    with unscoped():
        excusals = defaultdict(list)
        for e in LapseExcusal.objects.unscoped_all().filter(member_id__in=ids).order_by("-from_month", "-id"):
            excusals[e.member_id].append(e)
    for r in todo:
        streak_months = set(r.months)
        r.evidence = [
            m for m in evidence.get(r.member_id, []) if rules.month_start(m.held_on) in streak_months
        ]
        r.excusals = excusals.get(r.member_id, [])


def _meetings_of(month: dt.date, counts: tuple[int, int, int] | None) -> list:
    """The month's finalized meetings as the rule reads them, from the grouped counts: one entry per
    attendance (held on the month's first day, so an excusal covers them when it covers the month)."""
    if not counts:
        return []
    present, excused, absent = counts
    return [
        rules.ExpectedMeeting((month, status, i), month, status)
        for status, n in ((rules.PRESENT, present), (rules.EXCUSED, excused), (rules.ABSENT, absent))
        for i in range(n)
    ]


def lapse_watch(
    *,
    scope: Scope,
    org: Org,
    today: dt.date,
    level: str | None = None,
    min_streak: int = 1,
    member_id: int | None = None,
) -> LapseList:
    """The lapse watch of `org`'s subtree on `today`: the active members with a current streak of missed
    months (at least `min_streak`; `level` "warn"/"lapse": only those at that level or above), most urgent
    first. Readers of the org's members (MEETING_VIEW). The window is the current month and the
    `lapse_months` months before it (the largest any policy of the subtree sets). `member_id`: only that
    member (the member page's badge)."""
    permissions.require(scope, selectors.MEETING_VIEW, org.path)
    member_where = subtree_q("member__org__path", org.path)
    if member_id is not None:
        member_where &= Q(member_id=member_id)
    rows, first = judge_members(
        member_where, policies_in(org, today), today, level=level, min_streak=min_streak
    )
    return LapseList(rows, first=first, last=today)


def judge_members(
    member_where: Q,
    policies: list[tuple[str, MeetingPolicy]],
    today: dt.date,
    *,
    level: str | None = None,
    min_streak: int = 1,
) -> tuple[list[LapseRow], dt.date]:
    """The judging behind the lapse watch, for the active members `member_where` selects (a Q on Attendance:
    a subtree, some members) under `policies` (`policies_in` or `policies_all`): their rows (at least
    `min_streak` missed months, at `level` or above), most urgent first, and the window's first month. No
    permission check: `lapse_watch` checks the caller's, and the stored lapse state (`lapse_store`) is written
    by the services. Three queries at most: grouped attendance, excusal ranges (only when somebody
    qualifies)."""
    longest = max([selectors.Policy().lapse_months] + [r.lapse_months for _path, r in policies])
    first = add_months(rules.month_start(today), -longest)
    months = months_between(first, today)
    member_where = member_where & Q(member__status__in=ACTIVE_STATUSES)
    with unscoped():
        # Per source: {member: {month: (present, absent)}}.
        found = [source.month_counts(member_where, first, today) for source in SOURCES]
    people: dict[int, Person] = {}
    for _counts, who in found:
        people.update(who)

    def judge(pk: int, person: Person, excusals: tuple) -> LapseRow | None:
        policy = policy_of_path(person.org_path, policies)
        window = months[-(policy.lapse_months + 1) :]
        best = None
        for source, (counts, _who) in zip(SOURCES, found, strict=True):
            mine = counts.get(pk, {})
            watched = rules.lapse_watch(
                {m: _meetings_of(m, mine.get(m)) for m in window},
                excusals,
                today,
                warn_months=policy.lapse_warn_months,
                lapse_months=policy.lapse_months,
            )
            if best is None or watched.streak > best[1].streak:
                best = (source, watched)
        source, watched = best
        if watched.streak < min_streak:
            return None
        lvl = watched.level
        if (level == rules.LEVEL_LAPSE and lvl != rules.LEVEL_LAPSE) or (
            level == rules.LEVEL_WARN and lvl == rules.LEVEL_NONE
        ):
            return None
        return LapseRow(
            member_id=pk,
            person=person,
            streak=watched.streak,
            since=watched.since,
            months=watched.months,
            level=lvl,
            source=source.key,
            warn_months=policy.lapse_warn_months,
            lapse_months=policy.lapse_months,
        )

    # An excusal only shortens a streak: judge without them first, then read the excusals of those who
    # still qualify (none to read, no query, when nobody does) and judge them again.
    candidates = {pk: person for pk, person in people.items() if judge(pk, person, ()) is not None}
    excused_ranges: dict[int, list[rules.Excusal]] = defaultdict(list)
    if candidates:
        with unscoped():
            for excused_id, start, until, kind in (
                LapseExcusal.objects.unscoped_all()
                .filter(member_id__in=list(candidates))
                .filter(Q(until_month__isnull=True) | Q(until_month__gte=first), from_month__lte=today)
                .values_list("member_id", "from_month", "until_month", "reason_kind")
            ):
                # Recorded by the month: from the first day of the first month to the last of the last.
                excused_ranges[excused_id].append(
                    rules.Excusal(rules.month_start(start), month_end(until) if until else None, kind)
                )
    rows = [
        row
        for pk, person in candidates.items()
        if (row := judge(pk, person, tuple(excused_ranges.get(pk, ())))) is not None
    ]
    rows.sort(key=lambda r: r.sort_key)
    return rows, first
