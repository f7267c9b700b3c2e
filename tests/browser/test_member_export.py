"""Acceptance (issue 8, item 15): the member roster's export button shows that the file is being prepared
(正在生成…, busy) from the click until the download starts, then returns to itself."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from grassroots.members import ledgers
from tests.support.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Records every state the button goes through (busy or not, its text), as the page shows them: while the
# download is pending, the browser answers Playwright's own queries only once the navigation has settled.
WATCH = """() => {
  const button = document.getElementById("export-xlsx");
  window.exportStates = [];
  const note = () => window.exportStates.push([button.getAttribute("aria-busy"), button.textContent.trim()]);
  new MutationObserver(note).observe(button, {attributes: true, childList: true, subtree: true, characterData: true});
}"""


def test_county_admin_exports_the_roster_and_sees_it_being_prepared(
    live_server, chromium, sign_in, personas, tree, monkeypatch
):
    real = ledgers.roster_workbook

    def slow(**kwargs):
        time.sleep(1)  # a large roster
        return real(**kwargs)

    monkeypatch.setattr(ledgers, "roster_workbook", slow)
    page = chromium.new_page(locale="zh-CN")
    sign_in(page, personas.county_admin.username, PASSWORD)
    page.goto(f"{live_server.url}/members/?org={tree.county.code}")
    button = page.locator("#export-xlsx")
    expect(button).to_contain_text("导出Excel")
    page.evaluate(WATCH)
    with page.expect_download() as started:
        button.click()
    assert "党员名册" in started.value.suggested_filename
    # The download has started: the button is itself again …
    expect(button).to_contain_text("导出Excel")
    expect(button).not_to_have_attribute("aria-busy", "true")
    # … after showing, from the click, that the file was being prepared.
    states = page.evaluate("window.exportStates")
    assert ["true", "正在生成…"] in states
    busy_at = states.index(["true", "正在生成…"])
    assert any(busy is None and text == "导出Excel" for busy, text in states[busy_at:])
