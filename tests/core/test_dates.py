import datetime as dt

import pytest

from grassroots.core.dates import add_months, add_years, full_years_between


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2026, 3, 31), 3, dt.date(2026, 6, 30)),
        (dt.date(2026, 11, 15), 3, dt.date(2027, 2, 15)),
        (dt.date(2026, 3, 15), -3, dt.date(2025, 12, 15)),
    ],
)
def test_add_months_ends_on_last_day_when_target_month_is_shorter(start, months, expected):
    assert add_months(start, months) == expected


def test_add_years_gives_28_february_when_starting_29_february():
    assert add_years(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)


@pytest.mark.parametrize(
    ("start", "end", "years"),
    [
        (dt.date(2000, 6, 1), dt.date(2018, 5, 31), 17),
        (dt.date(2000, 6, 1), dt.date(2018, 6, 1), 18),
        (dt.date(2000, 6, 1), dt.date(2018, 6, 2), 18),
        (dt.date(2000, 6, 1), dt.date(1999, 6, 1), 0),
    ],
)
def test_full_years_between_counts_completed_years_when_around_the_anniversary(start, end, years):
    assert full_years_between(start, end) == years


def test_cn_date_writes_year_month_day_without_leading_zeros_when_in_chinese():
    from django.utils import translation

    from grassroots.core.dates import cn_date

    with translation.override("zh-hans"):
        assert cn_date(dt.date(2026, 3, 3)) == "2026年3月3日"
