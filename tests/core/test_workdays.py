"""CAL-WORKDAY: Chinese working days, and the Monday–Friday fallback outside the calendar's known years."""

import datetime as dt

import pytest

from grassroots.core.workdays import (
    CHINA,
    HOLIDAY,
    WORKDAY,
    SpecialDay,
    TableCalendar,
    WeekdayCalendar,
    YearDays,
    add_workdays,
    is_workday,
    package_year,
    package_years,
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


# ------------------------------------------------------------------------ a table of special days, per year

NEW_YEAR_2027 = YearDays.of(
    2027,
    [SpecialDay(D(2027, 1, 1), HOLIDAY, "元旦"), SpecialDay(D(2027, 1, 9), WORKDAY, "元旦")],
    complete=False,
)


class CountingLoader:
    """A table's loader that counts the years it is asked for."""

    def __init__(self, years: dict[int, YearDays]):
        self.years = years
        self.asked: list[int] = []

    def __call__(self, year: int) -> YearDays | None:
        self.asked.append(year)
        return self.years.get(year)


def test_table_calendar_counts_entered_holidays_and_swapped_days_when_year_is_incomplete():
    calendar = TableCalendar(CountingLoader({2027: NEW_YEAR_2027}))
    assert calendar.is_workday(D(2027, 1, 1)) is False  # a Friday off
    assert calendar.is_workday(D(2027, 1, 9)) is True  # a Saturday worked
    assert calendar.is_workday(D(2027, 1, 4)) is True  # a plain Monday
    assert calendar.is_workday(D(2027, 1, 10)) is False  # a plain Sunday
    # Not complete: periods over it say fallback (CAL-WORKDAY) though they count the days entered.
    period = workday_period_end(D(2026, 12, 31), 2, calendar=calendar)
    assert (period.end, period.fallback) == (D(2027, 1, 4), True)


def test_table_calendar_knows_year_when_it_is_complete():
    complete = YearDays.of(2027, [SpecialDay(D(2027, 1, 1), HOLIDAY, "元旦")], complete=True)
    calendar = TableCalendar(CountingLoader({2027: complete}))
    assert calendar.is_known(D(2027, 6, 1)) is True
    assert calendar.is_known(D(2028, 6, 1)) is False  # a year the table has nothing of
    assert calendar.is_workday(D(2028, 6, 1)) is True  # counted Monday–Friday


def test_table_calendar_loads_each_year_once_until_forgotten():
    loader = CountingLoader({2027: NEW_YEAR_2027})
    calendar = TableCalendar(loader)
    for day in (D(2027, 1, 1), D(2027, 1, 2), D(2027, 5, 1), D(2028, 1, 1), D(2028, 1, 2)):
        calendar.is_workday(day)
        calendar.is_known(day)
    assert loader.asked == [2027, 2028]
    calendar.forget()
    calendar.is_workday(D(2027, 1, 1))
    assert loader.asked == [2027, 2028, 2027]


def test_package_year_gives_the_published_days_with_chinese_names():
    days = package_year(2026)
    assert SpecialDay(D(2026, 2, 14), WORKDAY, "春节") in days
    assert SpecialDay(D(2026, 10, 1), HOLIDAY, "国庆节") in days
    assert days == sorted(days, key=lambda d: d.on)
    # The same calendar as the package's own answer, day by day.
    table = TableCalendar(lambda year: YearDays.of(year, package_year(year), complete=True))
    day = D(2026, 1, 1)
    while day.year == 2026:
        assert table.is_workday(day) is CHINA.is_workday(day), day
        day += dt.timedelta(days=1)


def test_package_year_is_empty_when_package_does_not_know_the_year():
    assert package_year(2027) == []
    assert package_years() == range(2004, 2027)
