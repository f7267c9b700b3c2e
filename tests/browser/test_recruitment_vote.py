"""A secretary records a branch vote from the roster: picks the date (the roster lists the branch's full
members on that day, the one under 留党察看 greyed), ticks attendance, watches the totals, sees the quorum
refusal, marks everyone present and turns one member into a written opinion, then records a passing vote; the dossier shows the roster. At desktop and phone width."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.factories import make_member
from tests.support.dossiers import VOTE_ON, candidate_ready
from tests.support.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = dt.date


@pytest.mark.parametrize("width", [1280, 390])
def test_secretary_ticks_attendance_and_records_a_passing_branch_vote(
    live_server, chromium, sign_in, screens, personas, tree, width
):
    zhao = make_member(tree.a, "赵六")
    make_member(
        tree.a, "孙八", disciplinary_probation_from=D(2026, 1, 5), disciplinary_probation_until=D(2027, 1, 5)
    )
    person = candidate_ready(tree)
    page = chromium.new_page(viewport={"width": width, "height": 900}, locale="zh-CN")
    sign_in(page, personas.secretary_a.username, PASSWORD)
    page.goto(f"{live_server.url}/recruitment/{person.pk}/event/?event=branch_vote")
    page.fill("#id_on", VOTE_ON.isoformat())
    page.locator("#id_on").dispatch_event("change")
    expect(page.locator("#roster-date-changed")).to_be_visible()
    page.locator("#roster-relist").click()
    page.wait_for_url(f"**on={VOTE_ON.isoformat()}*")
    expect(page.locator("#roster-date-changed")).to_be_hidden()
    roster = page.locator("#roster")
    expect(roster).to_contain_text("孙八")
    expect(roster).to_contain_text("受留党察看处分，没有表决权")
    expect(page.locator("#total-should-attend")).to_have_text("3")

    page.get_by_label("张三 到会").check()
    expect(page.locator("#total-present")).to_have_text("1")
    page.fill("#id_yes", "1")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#refusal")).to_contain_text("REC-VOTE-QUORUM")
    expect(page.locator("#refusal")).to_contain_text("实到正式党员1名，未超过应到正式党员3名的半数")

    page.get_by_role("button", name="全部到会").click()
    expect(page.locator("#total-present")).to_have_text("3")
    # A written opinion comes from someone absent: choosing one unticks 到会.
    page.get_by_label("赵六 书面意见").select_option("yes")
    expect(page.get_by_label("赵六 到会")).not_to_be_checked()
    expect(page.locator("#total-present")).to_have_text("2")
    expect(page.locator("#total-written-yes")).to_have_text("1")
    page.fill("#id_yes", "2")
    page.screenshot(path=str(screens / f"recruitment-vote-roster-{width}.png"), full_page=True)
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"{live_server.url}/recruitment/{person.pk}/")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("支部大会讨论接收预备党员")
    expect(timeline).to_contain_text(f"{zhao.name}（赞成）")
    expect(timeline).to_contain_text("孙八（受留党察看处分，没有表决权）")
    page.screenshot(path=str(screens / f"recruitment-vote-dossier-{width}.png"), full_page=True)
