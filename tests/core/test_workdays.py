"""CAL-WORKDAY: Chinese working days, and the Monday–Friday fallback outside the calendar's known years."""

import datetime as dt

import pytest

from grassroots.core.workdays import (
    CHINA,
    WeekdayCalendar,
    add_workdays,
    is_workday,
    workday_period_end,
)

D = dt.date


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 2, 13), True),  # Friday
        (D(2026, 2, 14), True),  # Saturday worked for the Spring Festival (调休)
        (D(2026, 2, 16), False),  # Spring Festival holiday, a Monday
        (D(2026, 2, 28), True),  # Saturday worked for the Spring Festival
        (D(2026, 3, 1), False),  # Sunday
        (D(2026, 10, 1), False),  # National Day
        (D(2026, 10, 10), True),  # Saturday worked for National Day
    ],
)
def test_is_workday_follows_holidays_and_swapped_days_when_year_is_known(day, expected):
    assert is_workday(day) is expected
    assert CHINA.is_known(day)


@pytest.mark.parametrize(
    ("day", "expected"),
    [(D(2035, 1, 1), True), (D(2035, 1, 6), False), (D(2003, 10, 1), True)],
)
def test_is_workday_counts_monday_to_friday_when_year_is_unknown(day, expected):
    assert is_workday(day) is expected
    assert not CHINA.is_known(day)


def test_period_ends_friday_9_october_when_notice_starts_monday_28_september_2026():
    period = workday_period_end(D(2026, 9, 28), 5)
    assert (period.first, period.end, period.next_day) == (D(2026, 9, 28), D(2026, 10, 9), D(2026, 10, 10))
    assert period.fallback is False
    assert period.working_days == 5


def test_period_counts_swapped_saturday_when_spanning_spring_festival_2026():
    # 12, 13, 14 (Saturday, worked) February, then 24 and 25 February after the holiday.
    period = workday_period_end(D(2026, 2, 12), 5)
    assert period.end == D(2026, 2, 25)
    # Counted Monday–Friday the same notice would end a day later.
    assert workday_period_end(D(2026, 2, 12), 5, calendar=WeekdayCalendar()).end == D(2026, 2, 18)


def test_period_starts_on_first_workday_after_when_start_is_a_holiday():
    period = workday_period_end(D(2026, 10, 3), 5)
    # 8, 9, 10 (Saturday, worked), 12, 13 October.
    assert (period.start, period.first, period.end) == (D(2026, 10, 3), D(2026, 10, 8), D(2026, 10, 13))


def test_period_counts_start_day_when_it_is_a_working_day():
    period = workday_period_end(D(2026, 3, 2), 1)
    assert period.first == period.end == D(2026, 3, 2)


def test_period_says_fallback_when_it_runs_into_an_unknown_year():
    period = workday_period_end(D(2026, 12, 29), 5)
    # 29, 30, 31 December 2026 (known), then 1 and 4 January 2027 counted Monday–Friday.
    assert period.end == D(2027, 1, 4)
    assert period.fallback is True


def test_period_says_fallback_when_year_is_entirely_unknown():
    period = workday_period_end(D(2035, 1, 5), 5)
    assert (period.end, period.fallback) == (D(2035, 1, 11), True)


def test_weekday_calendar_knows_no_year_when_used_as_fallback():
    period = workday_period_end(D(2026, 10, 1), 2, calendar=WeekdayCalendar())
    assert (period.end, period.fallback) == (D(2026, 10, 2), True)


def test_add_workdays_skips_start_when_counting_after_it():
    period = add_workdays(D(2026, 9, 30), 1)
    assert (period.first, period.end) == (D(2026, 10, 8), D(2026, 10, 8))


def test_add_workdays_returns_start_when_n_is_zero():
    period = add_workdays(D(2026, 10, 1), 0)
    assert (period.first, period.end, period.fallback) == (D(2026, 10, 1), D(2026, 10, 1), False)


def test_add_workdays_raises_when_n_is_negative():
    with pytest.raises(ValueError):
        add_workdays(D(2026, 10, 1), -1)


def test_period_end_raises_when_n_is_below_one():
    with pytest.raises(ValueError):
        workday_period_end(D(2026, 10, 1), 0)
