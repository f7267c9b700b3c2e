"""The Chinese working-day calendar (CAL-WORKDAY, see docs/rules.md).

"N working days" counts Chinese working days: weekends and statutory holidays are excluded, swapped working
weekend days (调休) are included. The holidays come from the pinned `chinesecalendar` package; dates outside
the years it knows fall back to Monday–Friday, and every result says whether it did.

How a period is counted (RULES.md, "Working days"):

- A period of N working days that starts on a working day counts that day as its first and ends at the close
  of its Nth working day; what must follow it (a vote after a public notice) may happen from the next
  calendar day (`WorkdayPeriod.next_day`).
- Our reading for a period that starts on a non-working day (a notice posted on a Saturday or during a
  holiday): the first working day after the start is day 1. Such a period therefore ends on the same day as
  one started on that first working day.

Rules never import the package and never ask for today: they receive a `WorkdayCalendar` (the protocol
below) as a parameter, so tests can pass the real calendar or a plain Monday–Friday one.

The calendar the application computes with is the stored one (the `workcalendar` app): a table of special
days (holidays and swapped working days) per year, seeded from the package (`package_year`) and completed by
an administrator for the years the package does not know. `TableCalendar` reads such a table year by year
through a loader and keeps each year it has read (`YearDays`).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import chinese_calendar

ONE_DAY = dt.timedelta(days=1)


class WorkdayCalendar(Protocol):
    """What rules need from a calendar."""

    def is_workday(self, day: dt.date) -> bool:
        """Whether `day` is a working day (on unknown days: Monday–Friday)."""

    def is_known(self, day: dt.date) -> bool:
        """Whether the calendar has holiday data for `day` (False: `is_workday` fell back to Mon–Fri)."""


def _weekday_is_workday(day: dt.date) -> bool:
    return day.weekday() < 5


class WeekdayCalendar:
    """Monday–Friday, knowing no holidays: the fallback, and a simple calendar for tests."""

    def is_workday(self, day: dt.date) -> bool:
        return _weekday_is_workday(day)

    def is_known(self, day: dt.date) -> bool:
        return False


@functools.lru_cache(maxsize=256)
def _year_known(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


@functools.lru_cache(maxsize=8192)
def _chinese_is_workday(day: dt.date) -> bool:
    # chinese_calendar validates every date against its whole table (~30 µs a call); the answer never changes.
    return chinese_calendar.is_workday(day)


class ChineseWorkdayCalendar:
    """Working days of the People's Republic of China as published by the State Council (via
    `chinesecalendar`), with the Monday–Friday fallback for years the package does not know."""

    def is_workday(self, day: dt.date) -> bool:
        if not self.is_known(day):
            return _weekday_is_workday(day)
        return _chinese_is_workday(day)

    def is_known(self, day: dt.date) -> bool:
        return _year_known(day.year)


CHINA = ChineseWorkdayCalendar()

HOLIDAY = "holiday"  # a day off of a statutory holiday (放假)
WORKDAY = "workday"  # a weekend day worked in exchange (调休上班)


@dataclass(frozen=True)
class SpecialDay:
    """One day of a published holiday schedule: `kind` HOLIDAY or WORKDAY, `name` the holiday (春节)."""

    on: dt.date
    kind: str
    name: str


@dataclass(frozen=True)
class YearDays:
    """What a calendar table knows of one year: its days off (`holidays`), its swapped working days
    (`workdays`), and whether the year is complete (its whole schedule entered and confirmed)."""

    year: int
    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    workdays: frozenset[dt.date] = field(default_factory=frozenset)
    complete: bool = False

    @classmethod
    def of(cls, year: int, days: list[SpecialDay], *, complete: bool) -> YearDays:
        return cls(
            year=year,
            holidays=frozenset(d.on for d in days if d.kind == HOLIDAY),
            workdays=frozenset(d.on for d in days if d.kind == WORKDAY),
            complete=complete,
        )


class TableCalendar:
    """The working days of a table of special days, read one year at a time through `load(year)` (a
    `YearDays`, or None for a year the table has nothing of) and kept: each year is loaded once per calendar.

    A day is a working day when it is a swapped working day, not when it is a holiday, and otherwise when it
    falls on Monday–Friday. Days entered for a year not yet complete count; the year stays unknown
    (`is_known` False, so periods over it say `fallback`) until it is complete."""

    def __init__(self, load: Callable[[int], YearDays | None]) -> None:
        self._load = load
        self._years: dict[int, YearDays] = {}

    def year(self, year: int) -> YearDays:
        known = self._years.get(year)
        if known is None:
            known = self._years[year] = self._load(year) or YearDays(year=year)
        return known

    def forget(self) -> None:
        """Drop the years read so far: the next question reads them again."""
        self._years.clear()

    def is_workday(self, day: dt.date) -> bool:
        year = self.year(day.year)
        if day in year.workdays:
            return True
        if day in year.holidays:
            return False
        return _weekday_is_workday(day)

    def is_known(self, day: dt.date) -> bool:
        return self.year(day.year).complete


def package_year(year: int) -> list[SpecialDay]:
    """The special days of `year` as the pinned `chinesecalendar` package has them (Chinese holiday names),
    in date order; [] for a year it does not know. The seed of the stored calendar."""
    from chinese_calendar.constants import Holiday, holidays, workdays

    def name(value: str) -> str:
        return Holiday(value).chinese

    days = [SpecialDay(d, HOLIDAY, name(v)) for d, v in holidays.items() if d.year == year]
    days += [SpecialDay(d, WORKDAY, name(v)) for d, v in workdays.items() if d.year == year]
    return sorted(days, key=lambda d: d.on)


def package_years() -> range:
    """The years the package knows (2004–2026 for chinesecalendar 1.11)."""
    from chinese_calendar.constants import holidays

    return range(min(holidays).year, max(holidays).year + 1)


@dataclass(frozen=True)
class WorkdayPeriod:
    """A counted run of working days.

    `start` is the given start date, `first` its day 1 (the first working day on or after `start`), `end` the
    last working day counted, and `fallback` is True when any day counted lay outside the calendar's known
    years and was counted Monday–Friday.
    """

    start: dt.date
    first: dt.date
    end: dt.date
    working_days: int
    fallback: bool

    @property
    def next_day(self) -> dt.date:
        """The first calendar day on which what must follow the period may happen."""
        return self.end + ONE_DAY


def is_workday(day: dt.date, *, calendar: WorkdayCalendar = CHINA) -> bool:
    return calendar.is_workday(day)


def add_workdays(start: dt.date, n: int, *, calendar: WorkdayCalendar = CHINA) -> WorkdayPeriod:
    """The `n`th working day *after* `start` (`start` itself is not counted); n = 0 gives `start`."""
    if n < 0:
        raise ValueError("n must not be negative")
    day = start
    first: dt.date | None = None
    fallback = False
    counted = 0
    while counted < n:
        day += ONE_DAY
        fallback = fallback or not calendar.is_known(day)
        if calendar.is_workday(day):
            counted += 1
            first = first or day
    return WorkdayPeriod(start=start, first=first or start, end=day, working_days=n, fallback=fallback)


def workday_period_end(start: dt.date, n: int, *, calendar: WorkdayCalendar = CHINA) -> WorkdayPeriod:
    """The period of `n` working days starting on `start` (day 1 = `start` if it is a working day, else the
    first working day after it); `.end` is its last day, `.next_day` the day after."""
    if n < 1:
        raise ValueError("a period has at least one working day")
    period = add_workdays(start - ONE_DAY, n, calendar=calendar)
    return WorkdayPeriod(
        start=start,
        first=period.first,
        end=period.end,
        working_days=n,
        fallback=period.fallback,
    )
