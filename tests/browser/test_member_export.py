"""Acceptance (issue 8, item 15): the member roster's export button shows that the file is being prepared
(正在生成…, busy) from the click until the download starts, then returns to itself."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from grassroots.members import ledgers
from tests.support.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_county_admin_exports_the_roster_and_sees_it_being_prepared(
    live_server, chromium, sign_in, personas, tree, monkeypatch
):
    real = ledgers.roster_workbook

    def slow(**kwargs):
        time.sleep(3)  # a large roster: long enough to see the busy state
        return real(**kwargs)

    monkeypatch.setattr(ledgers, "roster_workbook", slow)
    page = chromium.new_page(locale="zh-CN")
    sign_in(page, personas.county_admin.username, PASSWORD)
    page.goto(f"{live_server.url}/members/?org={tree.county.code}")
    button = page.locator("#export-xlsx")
    expect(button).to_contain_text("导出Excel")
    with page.expect_download() as started:
        # A click that does not wait for the navigation it starts (the download) to be answered.
        button.dispatch_event("click")
        # One check: while the download is pending, the page answers a second query only once it has started.
        expect(page.locator('#export-xlsx.disabled[aria-busy="true"]')).to_contain_text("正在生成…")
    assert "党员名册" in started.value.suggested_filename
    # The download has started: the button is itself again.
    expect(button).to_contain_text("导出Excel")
    expect(button).not_to_have_attribute("aria-busy", "true")
