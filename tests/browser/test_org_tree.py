"""Browser journey: the org tree expands lazily and the org switcher finds an org by name."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_county_admin_expands_tree_and_switches_org_by_name(
    live_server, chromium, sign_in, screens, personas, tree
):
    page = chromium.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    sign_in(page, personas.county_admin.username, PASSWORD)
    page.goto(f"{live_server.url}/orgs/")
    page.locator(f"#children-{tree.county.code.lower()}").wait_for(state="attached")
    page.get_by_role("button", name="展开").first.click()
    expect(page.get_by_role("link", name=tree.g1.name)).to_be_visible()
    page.get_by_role("button", name="展开").nth(1).click()
    expect(page.get_by_role("link", name=tree.b.name)).to_be_visible()
    page.screenshot(path=str(screens / "tree-1280.png"), full_page=True)

    page.fill("input[name=q][hx-get]", "第二支部")
    page.locator("#org-switcher-results").get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(tree.b.name)
    page.goto(f"{live_server.url}/orgs/{tree.g1.code}/")
    page.screenshot(path=str(screens / "org-1280.png"), full_page=True)

    page.goto(f"{live_server.url}/members/{tree.zhang.pk}/edit/")
    page.fill("#id_id_number", "110101199005171230")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#field-id_number .invalid-feedback")).to_contain_text("MEM-ID-NUMBER")
    page.screenshot(path=str(screens / "member-edit-error-1280.png"), full_page=True)

    # The language switch in the navbar turns the UI to English and back.
    page.goto(f"{live_server.url}/members/")
    page.locator("nav button[value=en]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Member register")
    page.screenshot(path=str(screens / "members-en-1280.png"), full_page=True)
    page.locator("nav button[value=zh-hans]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("党员名册")
