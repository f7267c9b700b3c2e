"""The calendar's pure rules (CAL-DAY-*, CAL-YEAR-*, CAL-SCHEDULE-LINE, CAL-YEAR-MISSING), table-driven."""

from __future__ import annotations

import datetime as dt

import pytest

from grassroots.core.errors import RuleViolation
from grassroots.core.workdays import HOLIDAY, WORKDAY, SpecialDay
from grassroots.workcalendar import rules

D = dt.date
TODAY = D(2026, 12, 4)


@pytest.mark.parametrize(
    ("on", "kind", "name", "taken"),
    [
        (D(2027, 1, 1), HOLIDAY, "元旦", False),
        (D(2027, 2, 14), WORKDAY, "春节", False),  # a Sunday worked
        (D(2027, 2, 13), WORKDAY, "春节", False),  # a Saturday worked
        (D(1999, 10, 1), HOLIDAY, "国庆节", False),
        (D(2027, 10, 2), HOLIDAY, "国庆节", False),  # a holiday may fall on a weekend
    ],
)
def test_day_passes_when_year_name_kind_and_date_are_lawful(on, kind, name, taken):
    rules.check_day(on=on, kind=kind, name=name, today=TODAY, taken=taken)


@pytest.mark.parametrize(
    ("on", "kind", "name", "taken", "rule_id", "field"),
    [
        (D(2028, 1, 1), HOLIDAY, "元旦", False, "CAL-DAY-YEAR", "on"),  # beyond next year
        (D(1998, 10, 1), HOLIDAY, "国庆节", False, "CAL-DAY-YEAR", "on"),  # before 1999
        (D(2027, 1, 1), HOLIDAY, "  ", False, "CAL-DAY-NAME", "name"),
        (D(2027, 1, 1), HOLIDAY, "节" * 41, False, "CAL-DAY-NAME", "name"),
        (D(2027, 2, 12), WORKDAY, "春节", False, "CAL-DAY-WEEKEND", "on"),  # a Friday
        (D(2027, 1, 1), HOLIDAY, "元旦", True, "CAL-DAY-TWICE", "on"),
    ],
)
def test_day_refused_with_rule_when_unlawful(on, kind, name, taken, rule_id, field):
    with pytest.raises(RuleViolation) as refused:
        rules.check_day(on=on, kind=kind, name=name, today=TODAY, taken=taken)
    assert (refused.value.rule_id, refused.value.field) == (rule_id, field)


def test_removal_refused_without_reason():
    rules.check_removal(reason="录入错误")
    with pytest.raises(RuleViolation) as refused:
        rules.check_removal(reason=" ")
    assert refused.value.rule_id == "CAL-DAY-REASON"


@pytest.mark.parametrize(
    ("complete", "holidays", "rule_id"),
    [(False, 28, None), (True, 28, "CAL-YEAR-COMPLETE"), (False, 0, "CAL-YEAR-EMPTY")],
)
def test_confirm_refused_when_year_is_complete_already_or_has_no_holiday(complete, holidays, rule_id):
    if rule_id is None:
        rules.check_confirm(year=2027, complete=complete, holidays=holidays)
        return
    with pytest.raises(RuleViolation) as refused:
        rules.check_confirm(year=2027, complete=complete, holidays=holidays)
    assert refused.value.rule_id == rule_id


@pytest.mark.parametrize(
    ("today", "this_complete", "next_complete", "expected"),
    [
        (D(2026, 10, 31), True, False, None),  # the day before November: not yet
        (D(2026, 11, 1), True, False, (2027, D(2026, 12, 31), False)),  # from 1 November
        (D(2026, 12, 31), True, False, (2027, D(2026, 12, 31), False)),
        (D(2026, 11, 1), True, True, None),  # next year complete
        (D(2027, 1, 1), False, False, (2027, D(2026, 12, 31), True)),  # the year began without it: overdue
        (D(2027, 6, 1), False, True, (2027, D(2026, 12, 31), True)),
    ],
)
def test_missing_year_warns_from_november_and_is_overdue_once_the_year_began(
    today, this_complete, next_complete, expected
):
    missing = rules.missing_year(
        today=today, this_year_complete=this_complete, next_year_complete=next_complete
    )
    assert (None if missing is None else (missing.year, missing.due_by, missing.overdue)) == expected


SCHEDULE_2027 = """
# 2027 (an example of the format, not the published schedule)
元旦 2027-01-01
春节 2027-02-06 至 2027-02-08 放假
春节 2027年2月14日 上班
劳动节：2027/05/01~2027/05/03 休息
国庆节 2027.10.09 调休上班
"""


def test_schedule_parsed_into_days_when_lines_name_dates_ranges_and_kinds():
    days = rules.parse_schedule(SCHEDULE_2027, year=2027)
    assert days == [
        SpecialDay(D(2027, 1, 1), HOLIDAY, "元旦"),
        SpecialDay(D(2027, 2, 6), HOLIDAY, "春节"),
        SpecialDay(D(2027, 2, 7), HOLIDAY, "春节"),
        SpecialDay(D(2027, 2, 8), HOLIDAY, "春节"),
        SpecialDay(D(2027, 2, 14), WORKDAY, "春节"),
        SpecialDay(D(2027, 5, 1), HOLIDAY, "劳动节"),
        SpecialDay(D(2027, 5, 2), HOLIDAY, "劳动节"),
        SpecialDay(D(2027, 5, 3), HOLIDAY, "劳动节"),
        SpecialDay(D(2027, 10, 9), WORKDAY, "国庆节"),
    ]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("元旦 2027-01-01\n春节", "第 2 行"),  # no date
        ("元旦 2027-02-30", "第 1 行"),  # no such date
        ("元旦 2026-12-31", "第 1 行"),  # another year
        ("春节 2027-02-13 至 2027-02-06", "第 1 行"),  # backwards
        ("春节 2027-01-01 至 2027-03-01", "第 1 行"),  # over 31 days
        ("元旦 2027-01-01\n元旦 2027-01-01 放假", "第 2 行"),  # the same date twice
        ("\n# nothing\n", ""),  # no line at all
    ],
)
def test_schedule_refused_naming_the_line_when_a_line_cannot_be_read(text, line):
    with pytest.raises(RuleViolation) as refused:
        rules.parse_schedule(text, year=2027)
    assert refused.value.rule_id == "CAL-SCHEDULE-LINE"
    assert refused.value.field == "text"
    assert line in str(refused.value.message)
