"""Acceptance (MTG-SIGN-IN): a member on a 390 px phone signs in with the code read from the screen at the
meeting; the screen lists him; the recorder finalizes the minutes and the convener confirms them; an upper-level
officer sees the branch's general meeting counted for the quarter on the cadence page. Screenshots of the
screen (1280) and the phone page (390); axe-core finds nothing on either."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from grassroots.core.scoping import unscoped
from grassroots.meetings import services as meeting_services
from grassroots.members import services as member_services
from grassroots.orgs.models import Org
from tests.factories import SYSTEM, make_meeting
from tests.support.personas import PASSWORD
from tests.support.signin import account_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
RUN_AXE = """async () => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa"]},
                                          resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}));
}"""


def axe_violations(context, url: str) -> list:
    """axe-core on `url` in a context that lets the injected script run (the page's CSP is checked elsewhere)."""
    page = context.new_page()
    page.goto(url)
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(RUN_AXE)
    page.close()
    return found


def test_member_signs_in_on_a_phone_with_the_screen_code_and_the_meeting_counts_for_the_quarter(
    live_server, chromium, sign_in, screens, personas, tree
):
    # 李四 records and convenes, by the branch secretary's account; 张三 signs in by his own.
    account_for(tree.zhang, "zhang")
    member_services.member_link_user(scope=SYSTEM, actor=None, member=tree.li, user=personas.secretary_a)
    now = timezone.localtime()
    # Branch A was founded at the start of this quarter: the quarter is the only period MTG-GENERAL-Q judges.
    quarter_start = now.date().replace(month=(now.month - 1) // 3 * 3 + 1, day=1)
    with unscoped():
        Org.objects.unscoped_all().filter(pk=tree.a.pk).update(founded_on=quarter_start)
    # Last night's refresh wrote the subtree rollup (branch A behind: no general meeting yet this quarter).
    meeting_services.cadence_refresh(scope=SYSTEM, actor=None, years=[now.year], today=now.date())
    meeting = make_meeting(
        tree.a,
        topic="本季度支部党员大会",
        planned_on=now.date(),
        starts_at=now.time().replace(second=0, microsecond=0),
        place="三楼会议室",
        recorder=tree.li,
        convener=tree.li,
    )

    # The screen at the meeting (a projector, 1280 wide).
    screen = chromium.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    sign_in(screen, personas.secretary_a.username, PASSWORD)
    screen.goto(f"{live_server.url}/meetings/{meeting.pk}/minutes/")
    screen.click("#sign-in-screen-link")
    code_box = screen.locator("#sign-in-code")
    expect(code_box).to_be_visible()
    expect(screen.locator("#sign-in-qr svg")).to_be_visible()
    expect(screen.locator("#signed-none")).to_be_visible()
    screen.screenshot(path=str(screens / "sign-in-screen-1280.png"), full_page=True)

    # 张三's phone: 我的会议 offers the sign-in; he types the code the screen shows.
    phone = chromium.new_page(
        viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True
    )
    sign_in(phone, "zhang", PASSWORD)
    phone.goto(f"{live_server.url}/meetings/mine/")
    phone.click("#mine-sign-in-link")
    field = phone.locator(f"#id_m{meeting.pk}_code")
    expect(field).to_have_attribute("inputmode", "numeric")
    phone.screenshot(path=str(screens / "sign-in-phone-390.png"), full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    field.fill(code_box.get_attribute("data-code"))
    phone.get_by_role("button", name="签到").click()
    expect(phone.locator(".alert-success").first).to_contain_text("签到成功")
    expect(phone.locator(f"#sign-in-{meeting.pk} .signed-mark")).to_contain_text("签到")
    phone.screenshot(path=str(screens / "sign-in-phone-done-390.png"), full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    # A second meeting today: the QR code's target asks him to confirm (nothing is signed until he does).
    other = make_meeting(
        tree.a, topic="主题党日活动", planned_on=now.date(), starts_at=now.time().replace(second=0)
    )
    phone.goto(f"{live_server.url}/meetings/{other.pk}/sign-in/?c=123456")
    expect(phone.locator("#sign-in-confirm")).to_contain_text("确认签到")
    phone.screenshot(path=str(screens / "sign-in-qr-390.png"), full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    # The screen refreshes itself and lists him.
    expect(screen.locator("#signed-list")).to_contain_text("张三", timeout=10_000)
    expect(screen.locator("#present-count")).to_have_text("1")
    screen.screenshot(path=str(screens / "sign-in-screen-signed-1280.png"), full_page=True)

    # The recorder writes and finalizes the minutes; the convener (the same account) confirms them.
    screen.goto(f"{live_server.url}/meetings/{meeting.pk}/minutes/")
    screen.fill("#id_text", "会议由李四主持，应到2人，实到1人。会议学习了党章。")
    screen.get_by_role("button", name="保存草稿").click()
    expect(screen.locator("#draft-status")).not_to_be_empty()
    screen.check("#finalize-confirm")
    screen.get_by_role("button", name="记录人定稿").click()
    expect(screen.locator(".minutes-state")).to_have_text("记录人已定稿")
    screen.get_by_role("button", name="主持人确认").click()
    expect(screen.locator(".minutes-state")).to_have_text("主持人已确认")
    expect(screen.locator("#sign-in-screen-link")).to_have_count(0)

    # The upper committee (general branch G1) opens its cadence table: branch A is up to date on general
    # meetings (no org behind, of one judged). A running quarter is never behind, so this alone would also hold
    # before the meeting: the branch's own page below shows the meeting counted and the quarter done.
    county = chromium.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    sign_in(county, personas.county_admin.username, PASSWORD)
    county.goto(f"{live_server.url}/meetings/org/{tree.g1.code}/cadence/")
    heads = county.locator("#cadence-subtree thead th").all_inner_texts()
    column = next(i for i, text in enumerate(heads) if "MTG-GENERAL-Q" in text)
    row_a = county.locator(f"#cadence-child-{tree.a.code}")
    expect(row_a.locator("td").nth(column - 1)).to_have_text("0 / 1")
    county.screenshot(path=str(screens / "sign-in-cadence-1280.png"), full_page=True)
    # Branch A's own page: this quarter's general meeting is held and the quarter is done.
    county.goto(f"{live_server.url}/meetings/org/{tree.a.code}/cadence/")
    grid = county.locator("#rule-MTG-GENERAL-Q + div table")
    headers = grid.locator("thead th").all_inner_texts()
    column = next(i for i, text in enumerate(headers) if text.startswith(f"{quarter_start.month}月–"))
    cells = grid.locator("tbody tr")
    expect(cells.nth(1).locator("td").nth(column - 1)).to_have_text("1")  # 已开
    expect(cells.nth(2).locator("td").nth(column - 1)).to_have_attribute("data-state", "done")

    # Both pages pass axe-core (WCAG 2 A and AA).
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    sign_in(page, "zhang", PASSWORD)
    page.close()
    found = {"phone": axe_violations(context, f"{live_server.url}/meetings/sign-in/")}
    context.close()
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    sign_in(page, personas.secretary_a.username, PASSWORD)
    page.close()
    other = make_meeting(
        tree.a, topic="另一次会议", planned_on=now.date(), starts_at=now.time().replace(second=0)
    )
    found["screen"] = axe_violations(context, f"{live_server.url}/meetings/{other.pk}/sign-in/screen/")
    context.close()
    assert not any(found.values()), json.dumps(found, ensure_ascii=False, indent=1)
