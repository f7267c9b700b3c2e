"""The working-day calendar's rules (CAL-*, docs/rules.md): what a special day of a holiday schedule must be,
when a year's schedule may be confirmed complete, how a published schedule is read from text, and when the
next year's schedule is awaited.

The State Council's General Office publishes each autumn the next year's holidays and the weekend days worked
in exchange (国务院办公厅关于××年部分节假日安排的通知). Working days are counted with them (CAL-WORKDAY,
`core.workdays`); a year without them is counted Monday–Friday and flagged.

Pure: values and a date in, verdicts out — no ORM, no clock.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from grassroots.core.errors import RuleViolation
from grassroots.core.workdays import HOLIDAY, WORKDAY, SpecialDay

# The first year a schedule may be entered for: the present system of holidays and swapped days began in 1999.
FIRST_YEAR = 1999
# From this day of the year (month, day) the next year's schedule is awaited (CAL-YEAR-MISSING).
MISSING_FROM = (11, 1)
NAME_MAX = 40


def check_day(*, on: dt.date, kind: str, name: str, today: dt.date, taken: bool) -> None:
    """A special day may be entered (CAL-DAY-*): its year lies between FIRST_YEAR and next year, it has a
    name, a swapped working day falls on a Saturday or Sunday, and no other day in force has its date."""
    if not FIRST_YEAR <= on.year <= today.year + 1:
        raise RuleViolation(
            "CAL-DAY-YEAR",
            _("只能录入 %(first)s 年至 %(last)s 年的节假日安排")
            % {"first": FIRST_YEAR, "last": today.year + 1},
            field="on",
        )
    if not name.strip() or len(name.strip()) > NAME_MAX:
        raise RuleViolation(
            "CAL-DAY-NAME", _("请填写节日名称（不超过 %(max)s 个字）") % {"max": NAME_MAX}, field="name"
        )
    if kind == WORKDAY and on.weekday() < 5:
        raise RuleViolation(
            "CAL-DAY-WEEKEND",
            _("%(date)s 是周一至周五，本来就是工作日：调休上班日只能是周六或周日") % {"date": on.isoformat()},
            field="on",
        )
    if taken:
        raise RuleViolation(
            "CAL-DAY-TWICE",
            _("%(date)s 已在日历中；如需更改，请先撤销原记录") % {"date": on.isoformat()},
            field="on",
        )


def check_removal(*, reason: str) -> None:
    """A day is taken out of the calendar only with a reason (CAL-DAY-REASON): it stays, marked removed."""
    if not reason.strip():
        raise RuleViolation("CAL-DAY-REASON", _("请填写撤销原因"), field="reason")


def check_confirm(*, year: int, complete: bool, holidays: int) -> None:
    """A year is confirmed complete once (CAL-YEAR-COMPLETE), and only with its holidays entered
    (CAL-YEAR-EMPTY: every year has at least New Year's Day)."""
    if complete:
        raise RuleViolation("CAL-YEAR-COMPLETE", _("%(year)s 年的节假日安排已确认完整") % {"year": year})
    if holidays == 0:
        raise RuleViolation(
            "CAL-YEAR-EMPTY", _("%(year)s 年尚未录入任何放假日期，不能确认完整") % {"year": year}
        )


@dataclass(frozen=True)
class MissingYear:
    """CAL-YEAR-MISSING: the schedule of `year` is not complete and was due by `due_by`."""

    year: int
    due_by: dt.date
    overdue: bool


def missing_year(*, today: dt.date, this_year_complete: bool, next_year_complete: bool) -> MissingYear | None:
    """CAL-YEAR-MISSING (warn): the year whose schedule an administrator must enter, if any. This year's when
    it is not complete (overdue since 31 December); else, from 1 November, next year's while it is not complete
    (due by 31 December, before its first working day is counted)."""
    if not this_year_complete:
        return MissingYear(today.year, dt.date(today.year - 1, 12, 31), overdue=True)
    if (today.month, today.day) >= MISSING_FROM and not next_year_complete:
        return MissingYear(today.year + 1, dt.date(today.year, 12, 31), overdue=False)
    return None


# ------------------------------------------------------------------------------------- a published schedule

_DATE = r"(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?"
_LINE = re.compile(
    rf"^(?P<name>.+?)[\s:：]+{_DATE}(?:\s*(?:~|～|至|到|—|－)\s*{_DATE})?\s*(?P<kind>放假|休息|上班|调休上班)?$"
)
_KIND_WORDS = {None: HOLIDAY, "放假": HOLIDAY, "休息": HOLIDAY, "上班": WORKDAY, "调休上班": WORKDAY}
MAX_RANGE_DAYS = 31


@dataclass(frozen=True)
class ScheduleLine:
    number: int
    text: str


def _bad_line(line: ScheduleLine, why: str) -> RuleViolation:
    return RuleViolation(
        "CAL-SCHEDULE-LINE",
        _("第 %(n)s 行「%(text)s」：%(why)s") % {"n": line.number, "text": line.text, "why": why},
        field="text",
    )


def _date(line: ScheduleLine, y: str, m: str, d: str) -> dt.date:
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        raise _bad_line(line, _("日期不存在")) from None


def parse_schedule(text: str, *, year: int) -> list[SpecialDay]:
    """The special days of a schedule written one line per holiday or worked day, as the notice lists them:

        春节 2027-02-06 至 2027-02-13 放假
        春节 2027-02-14 上班

    a name, a date or a range of dates (至, 到, ~), and 放假 (the default) or 上班. Blank lines and lines
    starting with # are skipped. Every date must lie in `year`; a range covers at most 31 days. The days come
    out in date order; the same date twice, or no line at all, is refused (CAL-SCHEDULE-LINE, naming the line)."""
    days: dict[dt.date, SpecialDay] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = ScheduleLine(number, raw.strip())
        if not line.text or line.text.startswith("#"):
            continue
        match = _LINE.match(line.text)
        if match is None:
            raise _bad_line(line, _("应写作「节日 日期 [至 日期] [放假|上班]」"))
        first = _date(line, *match.group(2, 3, 4))
        last = _date(line, *match.group(5, 6, 7)) if match.group(5) else first
        if first.year != year or last.year != year:
            raise _bad_line(line, _("日期不在 %(year)s 年") % {"year": year})
        if not 0 <= (last - first).days < MAX_RANGE_DAYS:
            raise _bad_line(line, _("日期范围应从前到后且不超过 %(max)s 天") % {"max": MAX_RANGE_DAYS})
        kind = _KIND_WORDS[match.group("kind")]
        on = first
        while on <= last:
            if on in days:
                raise _bad_line(line, _("%(date)s 重复") % {"date": on.isoformat()})
            days[on] = SpecialDay(on, kind, match.group("name"))
            on += dt.timedelta(days=1)
    if not days:
        raise RuleViolation("CAL-SCHEDULE-LINE", _("请至少填写一行"), field="text")
    return sorted(days.values(), key=lambda d: d.on)
