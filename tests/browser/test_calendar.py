"""Acceptance (issue 8, item 21): in December 2026 the county's org admin is warned on the home page that the
2027 holiday schedule is missing, follows the warning to the calendar, enters the schedule in one form,
confirms the year, and the warning is gone."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from grassroots.workcalendar.models import CalendarYear
from tests.support.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# An example in the notice's format, not the published 2027 schedule.
SCHEDULE = "元旦 2027-01-01\n春节 2027-02-06 至 2027-02-12 放假\n春节 2027-02-14 上班"


def test_admin_follows_missing_year_warning_enters_schedule_and_confirms_it(
    live_server, chromium, sign_in, screens, personas, today_is
):
    today_is(dt.date(2026, 12, 4))
    page = chromium.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    sign_in(page, personas.county_admin.username, PASSWORD)

    warning = page.locator("#todo-calendar")
    expect(warning).to_contain_text("录入 2027 年节假日安排并确认完整")
    warning.get_by_role("link", name="工作日历 · 录入 2027 年节假日安排并确认完整").click()

    expect(page.locator("h1")).to_have_text("2027 年工作日历")
    expect(page.locator("#year-incomplete")).to_be_visible()
    page.locator("#schedule-form textarea[name=text]").fill(SCHEDULE)
    page.locator("#schedule-form").get_by_role("button", name="录入").click()
    expect(page.locator(".calendar-day")).to_have_count(9)
    expect(page.locator(".calendar-day.workday")).to_contain_text("2027-02-14")
    page.screenshot(path=str(screens / "calendar-2027-entered.png"), full_page=True)

    page.locator("#confirm-form input[name=note]").fill("国务院办公厅通知")
    page.locator("#confirm-form").get_by_role("button", name="确认完整").click()
    expect(page.locator("#year-complete")).to_be_visible()
    assert CalendarYear.objects.get(year=2027).complete

    page.goto(f"{live_server.url}/")
    expect(page.locator("#todo-calendar")).to_have_count(0)
