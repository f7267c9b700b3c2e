"""Acceptance: a branch secretary finds 张三 by initials, edits the phone and sees it in the history."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PHONE = "13912345678"


def test_secretary_finds_member_by_initials_edits_phone_and_sees_history(
    live_server, chromium, sign_in, screens, personas, tree
):
    page = chromium.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    sign_in(page, personas.secretary_a.username, PASSWORD)
    expect(page.get_by_role("heading", name="我的待办")).to_be_visible()
    page.screenshot(path=str(screens / "home-1280.png"), full_page=True)

    page.get_by_role("link", name="党员", exact=True).first.click()
    # Typed before the page's scripts have run, the text would only be searched on submit: wait for them.
    page.wait_for_url(re.compile(r"/members/$"))
    page.wait_for_load_state("load")
    page.fill("#id_q", "zs")
    expect(page.locator("#result-count")).to_have_text(re.compile("共 1 名党员"))
    results = page.locator("#results")
    expect(results.get_by_role("link", name="张三")).to_be_visible()
    expect(results.get_by_text("李四")).to_have_count(0)
    assert "q=zs" in page.url  # the filtered list is bookmarkable
    page.screenshot(path=str(screens / "members-1280.png"), full_page=True)

    results.get_by_role("link", name="张三").click()
    expect(page.locator("#member-name")).to_have_text("张三")
    page.click("#edit-member")
    page.fill("#id_phone", NEW_PHONE)
    page.get_by_role("button", name="保存").click()

    expect(page.locator("#member-phone")).to_have_text(NEW_PHONE)
    latest = page.locator("#history .history-entry").first
    expect(latest).to_contain_text("修改党员信息")
    expect(latest).to_contain_text("联系电话")
    expect(latest.locator(".after")).to_contain_text(NEW_PHONE)
    page.screenshot(path=str(screens / "member-1280.png"), full_page=True)

    # The same pages at phone width: lists become cards, nothing overflows sideways.
    phone = chromium.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    sign_in(phone, personas.secretary_a.username, PASSWORD)
    phone.screenshot(path=str(screens / "home-390.png"), full_page=True)
    phone.goto(f"{live_server.url}/members/?q=zs")
    expect(phone.locator("#results")).to_contain_text(NEW_PHONE)
    phone.screenshot(path=str(screens / "members-390.png"), full_page=True)
    phone.goto(f"{live_server.url}/members/{tree.zhang.pk}/")
    phone.screenshot(path=str(screens / "member-390.png"), full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.goto(f"{live_server.url}/orgs/{tree.a.code}/")
    phone.screenshot(path=str(screens / "org-390.png"), full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
