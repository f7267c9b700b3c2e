"""The calendar page of its administrators, and the home page's CAL-YEAR-MISSING warning from November."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from grassroots.core.scoping import Scope
from grassroots.workcalendar import services
from grassroots.workcalendar.models import CalendarDay, CalendarYear
from grassroots.workcalendar.todo import due_items
from tests.support.personas import client_for

D = dt.date
PAGE = reverse("workcalendar:calendar")


@pytest.fixture(autouse=True)
def _december_2026(today_is):
    """The case of the issue: December 2026, the package knowing 2004–2026 (a test may set another day)."""
    today_is(D(2026, 12, 4))


@pytest.fixture
def admin_page(personas):
    return client_for("county_admin")


def test_page_shows_a_year_with_its_days_and_status_when_admin_opens_it(admin_page):
    html = admin_page.get(PAGE + "?year=2026").content.decode()
    assert "2026 年工作日历" in html
    assert 'id="year-complete"' in html and "chinesecalendar" in html
    assert "2026-02-14" in html and "调休上班" in html
    assert 'id="year-2027"' in html and "未录入" in html


def test_page_opens_on_next_year_when_it_is_missing_from_november(admin_page, today_is):
    today_is(D(2026, 11, 1))
    html = admin_page.get(PAGE).content.decode()
    assert "2027 年工作日历" in html and 'id="year-incomplete"' in html and 'id="no-days"' in html


def test_admin_enters_removes_and_confirms_through_the_page(admin_page):
    response = admin_page.post(
        reverse("workcalendar:day_add"), {"on": "2027-01-01", "kind": "holiday", "name": "元旦"}
    )
    assert response.status_code == 302 and response["Location"].endswith("?year=2027")
    day = CalendarDay.objects.get(on=D(2027, 1, 1))
    html = admin_page.get(PAGE + "?year=2027").content.decode()
    assert f'id="day-{day.pk}"' in html and "录入节假日" in html  # the day and its audit event
    response = admin_page.post(reverse("workcalendar:day_remove"), {"day": day.pk, "reason": "录入错误"})
    assert response.status_code == 302
    day.refresh_from_db()
    assert day.removal_reason == "录入错误"
    response = admin_page.post(
        reverse("workcalendar:schedule"), {"year": 2027, "text": "元旦 2027-01-01\n春节 2027-02-14 上班"}
    )
    assert response.status_code == 302
    response = admin_page.post(reverse("workcalendar:confirm"), {"year": 2027, "note": ""})
    assert response.status_code == 302
    assert CalendarYear.objects.get(year=2027).complete
    html = admin_page.get(PAGE + "?year=2027").content.decode()
    assert 'id="year-complete"' in html and 'id="removed-days"' in html and "确认节假日安排完整" in html


def test_page_shows_refusal_with_rule_id_next_to_field_and_stores_nothing(admin_page):
    response = admin_page.post(
        reverse("workcalendar:day_add"), {"on": "2027-02-12", "kind": "workday", "name": "春节"}
    )
    assert response.status_code == 422
    assert "CAL-DAY-WEEKEND" in response.content.decode()
    response = admin_page.post(reverse("workcalendar:schedule"), {"year": 2027, "text": "国庆 十月一日"})
    assert response.status_code == 422 and "CAL-SCHEDULE-LINE" in response.content.decode()
    response = admin_page.post(reverse("workcalendar:confirm"), {"year": 2027})
    assert response.status_code == 422 and "CAL-YEAR-EMPTY" in response.content.decode()
    day = CalendarDay.objects.filter(year__year=2026).first()
    response = admin_page.post(reverse("workcalendar:day_remove"), {"day": day.pk, "reason": ""})
    assert response.status_code == 422
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(removed_at__isnull=False).exists()


@pytest.mark.parametrize("username", ["secretary_a", "county_viewer"])
def test_page_not_found_and_menu_entry_hidden_when_user_is_not_administrator(personas, username):
    client = client_for(username)
    assert client.get(PAGE).status_code == 404
    assert (
        client.post(
            reverse("workcalendar:day_add"), {"on": "2027-01-01", "kind": "holiday", "name": "元旦"}
        ).status_code
        == 404
    )
    assert not CalendarDay.objects.filter(on=D(2027, 1, 1)).exists()
    assert 'id="nav-calendar"' not in client.get(reverse("home")).content.decode()
    assert 'id="nav-calendar"' in client_for("county_admin").get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    ("today", "warned"),
    [(D(2026, 10, 31), False), (D(2026, 11, 1), True), (D(2026, 12, 31), True)],
)
def test_home_warns_administrator_from_november_when_next_year_is_missing(personas, today_is, today, warned):
    today_is(today)
    html = client_for("county_admin").get(reverse("home")).content.decode()
    assert ("CAL-YEAR-MISSING" in html or 'id="todo-calendar"' in html) is warned
    if warned:
        assert "录入 2027 年节假日安排并确认完整" in html and f'href="{PAGE}?year=2027"' in html
    # A branch secretary is never asked to.
    assert 'id="todo-calendar"' not in client_for("secretary_a").get(reverse("home")).content.decode()


def test_home_warning_ends_when_next_year_is_confirmed(personas, today_is):
    today_is(D(2026, 11, 2))
    scope = Scope.system()
    services.calendar_day_add(scope=scope, actor=None, on=D(2027, 1, 1), kind="holiday", name="元旦")
    assert 'id="todo-calendar"' in client_for("county_admin").get(reverse("home")).content.decode()
    services.calendar_year_confirm(scope=scope, actor=None, year=2027)
    assert 'id="todo-calendar"' not in client_for("county_admin").get(reverse("home")).content.decode()


def test_warning_overdue_when_this_year_is_not_complete(db):
    found = due_items(scope=Scope.system(), today=D(2027, 1, 4))
    assert found.total == found.overdue == 1
    item = found.items[0]
    assert (item.rule_id, item.due_by, item.overdue) == ("CAL-YEAR-MISSING", D(2026, 12, 31), True)
    # Not on an org's page, and never for a caller who does not administer the calendar.
    assert due_items(scope=Scope.system(), org=object(), today=D(2027, 1, 4)).total == 0
    assert due_items(scope=Scope.anonymous(), today=D(2027, 1, 4)).total == 0
