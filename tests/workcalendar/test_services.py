"""The calendar's services and its stored calendar: the seed from the package, the per-year cache that every
working-day computation reads, and a change seen at once."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time

import pytest
from django.db import connection, transaction

from grassroots.core.errors import RuleViolation
from grassroots.core.scoping import Scope
from grassroots.core.workdays import CHINA, workday_period_end
from grassroots.workcalendar import selectors, services
from grassroots.workcalendar.models import CalendarDay, CalendarYear

D = dt.date
SYSTEM = Scope.system("tests")


@pytest.fixture(autouse=True)
def _december_2026(today_is):
    """The case of the issue: December 2026, the package knowing 2004–2026 (a test may set another day)."""
    today_is(D(2026, 12, 4))


def test_seeded_calendar_counts_every_day_as_the_package_does(db):
    calendar = selectors.calendar()
    day = D(2024, 1, 1)
    while day.year < 2027:
        assert calendar.is_workday(day) is CHINA.is_workday(day), day
        assert calendar.is_known(day)
        day += dt.timedelta(days=1)


def test_seed_runs_once_and_never_touches_a_year_already_there(db):
    counts = (CalendarYear.objects.count(), CalendarDay.objects.count())
    assert services.calendar_seed() == []
    assert (CalendarYear.objects.count(), CalendarDay.objects.count()) == counts
    # A year an administrator has (here: 2025 begun by hand) is not seeded over.
    CalendarDay.objects.filter(year__year=2025).delete()
    CalendarYear.objects.filter(year=2025).delete()
    services.calendar_day_add(scope=SYSTEM, actor=None, on=D(2025, 1, 1), kind="holiday", name="元旦")
    assert services.calendar_seed() == []
    assert CalendarDay.objects.filter(year__year=2025).count() == 1
    # A year missing altogether is seeded from the package, complete.
    CalendarDay.objects.filter(year__year=2004).delete()
    CalendarYear.objects.filter(year=2004).delete()
    assert services.calendar_seed() == [2004]
    assert CalendarYear.objects.get(year=2004).complete


def test_stored_calendar_reads_each_year_once_until_forgotten(db, django_assert_num_queries):
    calendar = selectors.calendar()
    with django_assert_num_queries(1):
        workday_period_end(D(2026, 9, 28), 5, calendar=calendar)
        calendar.is_workday(D(2026, 2, 14))
    with django_assert_num_queries(0):
        calendar.is_known(D(2026, 10, 1))
    selectors.forget()
    with django_assert_num_queries(1):
        calendar.is_workday(D(2026, 2, 14))


def test_change_of_the_calendar_is_seen_at_once_by_the_next_computation(db):
    calendar = selectors.calendar()
    assert calendar.is_workday(D(2027, 1, 1)) is True  # Friday, 2027 unknown
    day = services.calendar_day_add(scope=SYSTEM, actor=None, on=D(2027, 1, 1), kind="holiday", name="元旦")
    assert calendar.is_workday(D(2027, 1, 1)) is False
    assert workday_period_end(D(2026, 12, 28), 5, calendar=calendar).end == D(2027, 1, 4)
    services.calendar_day_remove(scope=SYSTEM, actor=None, day_id=day.pk, reason="录入错误")
    assert calendar.is_workday(D(2027, 1, 1)) is True
    assert calendar.is_known(D(2027, 1, 4)) is False
    services.calendar_day_add(scope=SYSTEM, actor=None, on=D(2027, 1, 1), kind="holiday", name="元旦")
    services.calendar_year_confirm(scope=SYSTEM, actor=None, year=2027)
    assert calendar.is_known(D(2027, 1, 4)) is True
    assert workday_period_end(D(2026, 12, 28), 5, calendar=calendar).fallback is False


def test_new_request_reads_the_calendar_again(db, client):
    """Another process's change is seen by this one's next request: each request forgets the cached years."""
    calendar = selectors.calendar()
    assert calendar.is_workday(D(2027, 1, 1)) is True
    # Written behind the cache's back, as another server process would.
    year = CalendarYear.objects.create(year=2027, source="admin")
    CalendarDay.objects.create(year=year, on=D(2027, 1, 1), kind="holiday", name="元旦", source="admin")
    assert calendar.is_workday(D(2027, 1, 1)) is True  # still this "request"'s calendar
    client.get("/accounts/login/")
    assert calendar.is_workday(D(2027, 1, 1)) is False


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="concurrent writers need PostgreSQL"
)
def test_second_concurrent_entry_of_a_day_is_refused_as_taken_not_a_server_error(transactional_db):
    """Two clerks enter the same day at once: the second waits for the first and gets CAL-DAY-TWICE."""
    outcome: list[object] = []

    def second_clerk():
        try:
            services.calendar_day_add(scope=SYSTEM, actor=None, on=D(2027, 1, 1), kind="holiday", name="元旦")
            outcome.append("added")
        except Exception as exc:  # the outcome is the assertion
            outcome.append(exc)
        finally:
            connection.close()

    services.calendar_seed()
    with transaction.atomic():
        services._year_row(2027)  # the first clerk holds the year while entering the day
        other = threading.Thread(target=second_clerk)
        other.start()
        time.sleep(0.5)  # the second clerk is now waiting for the year
        services.calendar_day_add(scope=SYSTEM, actor=None, on=D(2027, 1, 1), kind="holiday", name="元旦")
    other.join(timeout=30)
    assert len(outcome) == 1 and isinstance(outcome[0], RuleViolation), outcome
    assert outcome[0].rule_id == "CAL-DAY-TWICE"
    assert CalendarDay.objects.filter(on=D(2027, 1, 1), removed_at__isnull=True).count() == 1
