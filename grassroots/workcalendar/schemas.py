"""The calendar API's shapes."""

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from .rules import NAME_MAX

KindValue = Literal["holiday", "workday"]


class YearOut(Schema):
    """A year of the calendar: `complete` once its whole schedule is entered and confirmed; `source` "package"
    (seeded from chinesecalendar) or "admin"; `holidays` and `workdays` count the days in force."""

    year: int
    complete: bool
    source: str | None
    holidays: int
    workdays: int
    confirmed_at: dt.datetime | None = None


class DayOut(Schema):
    """A special day: `kind` "holiday" (放假) or "workday" (调休上班, a weekend day worked); a removed day keeps
    its row with `removed_at` and `removal_reason`."""

    id: int
    on: dt.date
    kind: str
    name: str
    source: str
    removed_at: dt.datetime | None = None
    removal_reason: str = ""


class YearDetailOut(YearOut):
    days: list[DayOut]


class DayIn(Schema):
    on: dt.date
    kind: KindValue
    name: str = Field(min_length=1, max_length=NAME_MAX)


class ScheduleIn(Schema):
    """A published schedule, one line per holiday or worked day (see rules.parse_schedule)."""

    text: str = Field(min_length=1, max_length=5000)


class RemoveIn(Schema):
    reason: str = Field(min_length=1, max_length=200)


class ConfirmIn(Schema):
    note: str = Field(default="", max_length=200)
