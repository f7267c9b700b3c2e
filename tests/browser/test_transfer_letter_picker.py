"""Acceptance (issue 8, item 16): a secretary issues a letter choosing the receiving branch by its initials in
the org picker, then opens the printable letter and its receipt, on a desktop and on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from grassroots.core.scoping import unscoped
from grassroots.members.models import Transfer
from tests.support.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_picks_the_receiving_branch_by_initials_and_prints_the_letter(
    live_server, chromium, sign_in, screens, personas, tree
):
    page = chromium.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    sign_in(page, personas.secretary_a.username, PASSWORD)
    page.goto(f"{live_server.url}/members/{tree.zhang.pk}/transfer/")
    page.fill("#id_to_org_code", "csjde")
    choice = page.locator("#id_to_org_code-results input[type=radio][value=B]")
    expect(choice).to_be_visible()
    expect(page.locator("#id_to_org_code-results")).to_contain_text(tree.b.name)
    page.screenshot(path=str(screens / "transfer-picker-1280.png"), full_page=True)
    choice.check()
    page.fill("#id_letter_serial", "JS-BR-1")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#member-name")).to_have_text("张三")
    with unscoped():
        letter = Transfer.objects.unscoped_all().get(letter_serial="JS-BR-1")
    assert letter.to_org_id == tree.b.pk

    page.click(f"#member-transfer-{letter.pk} a[href$='/print/']")
    expect(page.locator("#letter-body")).to_contain_text("第 JS-BR-1 号")
    expect(page.locator("#letter-receipt")).to_contain_text("张三同志的党员组织关系已转达我处")
    page.screenshot(path=str(screens / "transfer-letter-1280.png"), full_page=True)
    page.emulate_media(media="print")
    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(page.locator("#print")).to_be_hidden()

    phone = chromium.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    sign_in(phone, personas.secretary_a.username, PASSWORD)
    phone.goto(f"{live_server.url}/members/transfers/{letter.pk}/print/")
    expect(phone.locator("#letter-body")).to_be_visible()
    overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    phone.screenshot(path=str(screens / "transfer-letter-390.png"), full_page=True)
