"""Calendar arithmetic as the regulations count it (see docs/rules.md, CAL-WORKDAY).

"Within one month" and "after one year" are calendar months and years from the date; a period from the 31st
ends on the last day of a shorter month; one year after 29 February is 28 February.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.utils.translation import gettext as _


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def add_years(day: dt.date, years: int) -> dt.date:
    return add_months(day, 12 * years)


def full_years_between(start: dt.date, end: dt.date) -> int:
    """Completed years from `start` to `end` (an age, a party standing); 0 if `end` is before `start`."""
    if end < start:
        return 0
    years = end.year - start.year
    if add_years(start, years) > end:
        years -= 1
    return years


def cn_date(day: dt.date) -> str:
    """A date as messages write it: 2026年3月3日 (or the active language's form)."""
    return _("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day}
