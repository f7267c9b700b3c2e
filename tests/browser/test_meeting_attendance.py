"""Acceptance: a branch secretary opens 组织生活 from the menu, finds the meeting, records 李四 excused in
place (htmx: the line and the counts change without a reload), adds a guest, and the list and the meeting's
page read at desk and phone width without sideways scrolling."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grassroots.core.scoping import unscoped
from grassroots.meetings import services
from grassroots.meetings.models import Attendance, Minutes
from tests.factories import SYSTEM, make_meeting
from tests.support.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_records_attendance_in_place_and_pages_fit_the_phone(
    live_server, chromium, sign_in, screens, personas, tree
):
    today = timezone.localdate()
    meeting = make_meeting(tree.a, planned_on=today, starts_at=dt.time(14, 30), topic="本月支部党员大会")
    make_meeting(tree.a, kind="party_lecture", planned_on=today + dt.timedelta(days=14), topic="专题党课")
    old = make_meeting(tree.a, planned_on=today - dt.timedelta(days=60), topic="两个月前的党员大会")
    services.attendance_record(scope=SYSTEM, actor=None, meeting=old, member=tree.zhang, status="present")
    services.attendance_record(scope=SYSTEM, actor=None, meeting=old, member=tree.li, status="absent")
    with unscoped():
        Minutes.objects.unscoped_all().filter(meeting=old).update(state="finalized", is_late_entry=True)
    cancelled = make_meeting(
        tree.a, kind="themed_day", planned_on=today + dt.timedelta(days=3), topic="主题党日"
    )
    services.meeting_cancel(scope=SYSTEM, actor=None, meeting=cancelled, reason="与上级会议冲突")

    page = chromium.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    sign_in(page, personas.secretary_a.username, PASSWORD)
    page.click("#nav-meetings")
    page.wait_for_url(re.compile(r"/meetings/org/A/$"))
    expect(page.locator("#result-count")).to_contain_text("共 4 次会议")
    expect(page.locator(".late-entry")).to_have_count(1)
    page.screenshot(path=str(screens / "meetings-list-1280.png"), full_page=True)

    page.get_by_role("link", name="本月支部党员大会").click()
    expect(page.locator("h1")).to_contain_text("本月支部党员大会")
    with unscoped():
        li = Attendance.objects.unscoped_all().get(meeting=meeting, member=tree.li)
    row = page.locator(f"#line-{li.pk}")
    row.locator("select[name=status]").select_option("excused")
    row.locator("input[name=reason]").fill("出差")
    row.get_by_role("button", name="登记").click()
    expect(page.locator(f"#line-{li.pk} .attendance-status")).to_contain_text("请假")
    expect(page.locator("#count-excused")).to_have_text("1")
    expect(page.locator("#unrecorded-note")).to_contain_text("尚有 1 人未登记")
    page.screenshot(path=str(screens / "meeting-detail-1280.png"), full_page=True)

    phone = chromium.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    sign_in(phone, personas.secretary_a.username, PASSWORD)
    phone.goto(f"{live_server.url}/meetings/org/A/")
    phone.screenshot(path=str(screens / "meetings-list-390.png"), full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    expect(phone.locator("#count-excused")).to_have_text("1")
    phone.screenshot(path=str(screens / "meeting-detail-390.png"), full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
