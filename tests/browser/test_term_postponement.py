"""A branch secretary records the upper organization's approval to postpone the election, and the org page
shows the approved date instead of the ORG-TERM warning (issue 8, item 6)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grassroots.core.dates import add_years
from grassroots.orgs import services
from tests.factories import SYSTEM
from tests.support.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_postpones_the_election_and_the_warning_follows_the_approved_date(
    live_server, chromium, sign_in, screens, personas, tree
):
    today = timezone.localdate()
    services.committee_elect(
        scope=SYSTEM,
        actor=None,
        org=tree.a,
        elected_on=add_years(today, -3) - dt.timedelta(days=3),
        posts=[(tree.zhang, "secretary")],
    )
    page = chromium.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    sign_in(page, personas.secretary_a.username, PASSWORD)
    page.goto(f"{live_server.url}/orgs/{tree.a.code}/")
    expect(page.get_by_text("应按期换届").first).to_be_visible()
    page.click("#action-term")
    due = today + dt.timedelta(days=120)
    page.fill("#id_due_on", due.isoformat())
    page.fill("#id_approved_by", "中共测试局总支部委员会")
    page.fill("#id_document_number", "局总支〔2026〕3号")
    page.screenshot(path=str(screens / "term-1280.png"), full_page=True)
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#committee-due-on")).to_have_text(f"{due.year}年{due.month}月{due.day}日")
    expect(page.get_by_text("应按期换届")).to_have_count(0)
    page.screenshot(path=str(screens / "org-after-term-1280.png"), full_page=True)
