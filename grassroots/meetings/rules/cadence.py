"""How often each kind of organizational life is due (三会一课 and the yearly duties): MTG-GENERAL-Q,
MTG-COMMITTEE-M, MTG-GROUP-M, MTG-LECTURE-Q, MTG-THEMED-DAY-M, MTG-ORG-LIFE-Y, MTG-APPRAISAL-Y, MTG-TALK-Y
(中国共产党支部工作条例（试行）2018, Art. 11–17; the lecture count is local *policy*).

Readings taken:
- Calendar periods: a month, a quarter (Q1 = January–March) or a calendar year; `Period.end` is inclusive.
- A meeting counts for the period that contains the day it was held (31 March → Q1, 1 April → Q2). Only
  finalized meetings count: the caller counts them (`count_held`) and passes the counts; these rules never see
  a draft or a cancelled meeting.
- Who owes what: the branch (党支部) owes the general meeting, the lecture, the themed day, the organizational
  life meeting, the appraisal and the talks; a party group (党小组) its monthly meeting; any org with a
  committee in office (branch, general branch, basic committee, working committee) its monthly committee
  meeting.
- An org that begins or ends within a period owes its share of it: required = count × (days it existed in the
  period ÷ days of the period), rounded half up. With a count of 1 it owes the meeting iff it existed at least
  half the period (a group formed on 20 February owes March's meeting, not February's; a branch formed in
  August owes no organizational life meeting that year). For the committee meeting the days counted are the
  days the committee was in office (`OrgFacts.committee_from`/`committee_until`) as well.
- The state of a period: `not_required` (nothing owed), `done` (held ≥ required), `due` (still open — today is
  within it — and not yet held enough), `behind` (ended short). The current period is never behind: it may
  still be held. `due_on` is the period's last working day (`due_by`), shown as the deadline; the period is
  behind only once its last calendar day has passed.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from grassroots.core.workdays import WorkdayCalendar

from .base import (
    APPRAISAL,
    COMMITTEE,
    DEFAULT_POLICY,
    GENERAL,
    GROUP,
    LECTURE,
    ORG_BRANCH,
    ORG_COMMITTEE,
    ORG_GENERAL_BRANCH,
    ORG_GROUP,
    ORG_LIFE,
    ORG_WORKING_COMMITTEE,
    TALK,
    THEMED_DAY,
    MeetingPolicy,
)

MONTH = "month"
QUARTER = "quarter"
YEAR = "year"
UNITS = (MONTH, QUARTER, YEAR)
_MONTHS = {MONTH: 1, QUARTER: 3, YEAR: 12}

# Cell states.
DONE = "done"
BEHIND = "behind"
DUE = "due"
NOT_REQUIRED = "not_required"


@dataclass(frozen=True, order=True)
class Period:
    """A calendar month, quarter or year: `start` and `end` inclusive. Ordered by start."""

    start: dt.date
    end: dt.date
    unit: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def next(self) -> Period:
        return period_of(self.unit, self.end + dt.timedelta(days=1))

    def previous(self) -> Period:
        return period_of(self.unit, self.start - dt.timedelta(days=1))


def period_of(unit: str, day: dt.date) -> Period:
    """The month, quarter or year that contains `day`."""
    if unit not in _MONTHS:
        raise ValueError(f"unknown period unit {unit!r}")
    length = _MONTHS[unit]
    first_month = (day.month - 1) // length * length + 1
    last_month = first_month + length - 1
    start = dt.date(day.year, first_month, 1)
    end = dt.date(day.year, last_month, _calendar.monthrange(day.year, last_month)[1])
    return Period(start=start, end=end, unit=unit)


def periods_in_year(unit: str, year: int) -> list[Period]:
    """The 12 months, 4 quarters or 1 year of a calendar year, in order."""
    period = period_of(unit, dt.date(year, 1, 1))
    out = [period]
    while period.end.month != 12:
        period = period.next()
        out.append(period)
    return out


def next_period(period: Period) -> Period:
    return period.next()


def previous_period(period: Period) -> Period:
    return period.previous()


def due_by(period: Period, calendar: WorkdayCalendar) -> dt.date:
    """The period's deadline: its last working day under `calendar` (a month ending on a weekend or in a
    holiday is due on the working day before; a swapped working Saturday counts). The period's last day when
    it has no working day at all."""
    day = period.end
    while day >= period.start:
        if calendar.is_workday(day):
            return day
        day -= dt.timedelta(days=1)
    return period.end


@dataclass(frozen=True)
class CadenceRule:
    """One cadence rule: at least `count` records of `kind` per `unit`, owed by the org kinds `org_kinds`
    (only while they have a committee in office when `needs_committee`)."""

    rule_id: str
    kind: str
    unit: str
    count: int
    org_kinds: frozenset[str]
    needs_committee: bool = False


_BRANCH = frozenset({ORG_BRANCH})
_WITH_COMMITTEE = frozenset({ORG_BRANCH, ORG_GENERAL_BRANCH, ORG_COMMITTEE, ORG_WORKING_COMMITTEE})

# The table, as data. MTG-LECTURE-Q's count is the policy's (`cadence_rules`).
CADENCE_RULES: tuple[CadenceRule, ...] = (
    CadenceRule("MTG-GENERAL-Q", GENERAL, QUARTER, 1, _BRANCH),
    CadenceRule("MTG-COMMITTEE-M", COMMITTEE, MONTH, 1, _WITH_COMMITTEE, needs_committee=True),
    CadenceRule("MTG-GROUP-M", GROUP, MONTH, 1, frozenset({ORG_GROUP})),
    CadenceRule("MTG-LECTURE-Q", LECTURE, QUARTER, 1, _BRANCH),
    CadenceRule("MTG-THEMED-DAY-M", THEMED_DAY, MONTH, 1, _BRANCH),
    CadenceRule("MTG-ORG-LIFE-Y", ORG_LIFE, YEAR, 1, _BRANCH),
    CadenceRule("MTG-APPRAISAL-Y", APPRAISAL, YEAR, 1, _BRANCH),
    CadenceRule("MTG-TALK-Y", TALK, YEAR, 1, _BRANCH),
)
CADENCE_RULE_IDS = tuple(r.rule_id for r in CADENCE_RULES)


def cadence_rules(policy: MeetingPolicy = DEFAULT_POLICY) -> tuple[CadenceRule, ...]:
    """The table with the policy's counts (MTG-LECTURE-Q: `policy.lectures_per_quarter`)."""
    return tuple(
        replace(r, count=policy.lectures_per_quarter) if r.rule_id == "MTG-LECTURE-Q" else r
        for r in CADENCE_RULES
    )


def cadence_rule(rule_id: str, policy: MeetingPolicy = DEFAULT_POLICY) -> CadenceRule:
    """One rule of the table by id (KeyError for an unknown id)."""
    for r in cadence_rules(policy):
        if r.rule_id == rule_id:
            return r
    raise KeyError(rule_id)


def applies(rule: CadenceRule, org_kind: str, has_committee: bool) -> bool:
    """Whether an org of `org_kind` owes the rule (committee meetings only with a committee in office)."""
    return org_kind in rule.org_kinds and (has_committee or not rule.needs_committee)


def _overlap_days(period: Period, existed_from: dt.date | None, existed_until: dt.date | None) -> int:
    start = max(period.start, existed_from) if existed_from else period.start
    end = min(period.end, existed_until) if existed_until else period.end
    return max(0, (end - start).days + 1)


def required_in(
    count: int, period: Period, existed_from: dt.date | None = None, existed_until: dt.date | None = None
) -> int:
    """How many of `count` an org owes for `period` given the days it existed in it (`existed_from` its first
    day, `existed_until` its last, both inclusive; None: before / after the period): count × days existed ÷
    days of the period, rounded half up."""
    if count < 0:
        raise ValueError("count must not be negative")
    days = _overlap_days(period, existed_from, existed_until)
    # Half up in integers: floor(count * days / period.days + 1/2).
    return (2 * count * days + period.days) // (2 * period.days)


@dataclass(frozen=True)
class OrgFacts:
    """What the cadence needs to know of an org: its kind, the days it existed (`existed_from`,
    `existed_until`, inclusive; None: open), and whether a committee was in office during the year asked about
    (`has_committee`) with the days it was in office (`committee_from`, `committee_until`; None: open)."""

    kind: str
    existed_from: dt.date | None = None
    existed_until: dt.date | None = None
    has_committee: bool = False
    committee_from: dt.date | None = None
    committee_until: dt.date | None = None


@dataclass(frozen=True)
class CadenceCell:
    """One rule in one period: `required` and `held` counts and the `state` (done / behind / due /
    not_required). `short` = max(0, required − held) whatever the state; `behind` is that shortfall once the
    period has ended (0 while it is open). `due_on`: the period's last working day (None without calendar)."""

    rule_id: str
    kind: str
    period: Period
    required: int
    held: int
    state: str
    due_on: dt.date | None = None

    @property
    def short(self) -> int:
        return max(0, self.required - self.held)

    @property
    def behind(self) -> int:
        return self.short if self.state == BEHIND else 0


def count_held(
    held: Iterable[tuple[str, dt.date]], rules: Iterable[CadenceRule] = CADENCE_RULES
) -> dict[tuple[str, dt.date], int]:
    """Counts per (kind, period start) of finalized meetings and talks given as (kind, held date): each
    counts for the period of its kind's rule that contains its date. Kinds no rule counts are left out."""
    units = {r.kind: r.unit for r in rules}
    out: dict[tuple[str, dt.date], int] = {}
    for kind, on in held:
        if kind in units:
            key = (kind, period_of(units[kind], on).start)
            out[key] = out.get(key, 0) + 1
    return out


def _window(rule: CadenceRule, org: OrgFacts) -> tuple[dt.date | None, dt.date | None]:
    start, end = org.existed_from, org.existed_until
    if rule.needs_committee:
        if org.committee_from and (start is None or org.committee_from > start):
            start = org.committee_from
        if org.committee_until and (end is None or org.committee_until < end):
            end = org.committee_until
    return start, end


def cadence_cell(
    rule: CadenceRule,
    org: OrgFacts,
    period: Period,
    held: int,
    *,
    today: dt.date,
    calendar: WorkdayCalendar | None = None,
) -> CadenceCell:
    """One rule in one period for one org (the rule is assumed to apply: `applies`)."""
    start, end = _window(rule, org)
    required = required_in(rule.count, period, start, end)
    if required == 0:
        state = NOT_REQUIRED
    elif held >= required:
        state = DONE
    elif today > period.end:
        state = BEHIND
    else:
        state = DUE
    return CadenceCell(
        rule_id=rule.rule_id,
        kind=rule.kind,
        period=period,
        required=required,
        held=held,
        state=state,
        due_on=due_by(period, calendar) if calendar is not None else None,
    )


def cadence_year(
    org: OrgFacts,
    held: Mapping[tuple[str, dt.date], int],
    *,
    year: int,
    today: dt.date,
    policy: MeetingPolicy = DEFAULT_POLICY,
    calendar: WorkdayCalendar | None = None,
) -> list[CadenceCell]:
    """The cells of every rule that applies to `org`, for each period of `year` that has begun by `today`
    (the current one included, as `due` until it ends), in table order then period order. `held`: counts of
    finalized records per (kind, period start) (`count_held`)."""
    out: list[CadenceCell] = []
    for rule in cadence_rules(policy):
        if not applies(rule, org.kind, org.has_committee):
            continue
        for period in periods_in_year(rule.unit, year):
            if period.start > today:
                break
            count = held.get((rule.kind, period.start), 0)
            out.append(cadence_cell(rule, org, period, count, today=today, calendar=calendar))
    return out
