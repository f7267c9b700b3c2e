"""The record of what really happened (issue 8): a secretary records a branch vote that fails — a quorum, but
not the majority of those who should attend — sees it in the timeline as 未通过 with nothing advanced, then
records a later vote that passes and the approval is offered next. At desktop and phone width."""

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
def test_secretary_records_a_failed_vote_sees_未通过_and_records_a_later_vote_that_passes(
    live_server, chromium, sign_in, screens, personas, tree, width
):
    make_member(tree.a, "赵六")
    person = candidate_ready(tree)  # branch A: 张三, 李四, 赵六 should attend
    page = chromium.new_page(viewport={"width": width, "height": 900}, locale="zh-CN")
    sign_in(page, personas.secretary_a.username, PASSWORD)

    page.goto(f"{live_server.url}/recruitment/{person.pk}/event/?event=branch_vote&on={VOTE_ON.isoformat()}")
    expect(page.locator("#total-should-attend")).to_have_text("3")
    page.get_by_role("button", name="全部到会").click()
    expect(page.locator("#total-present")).to_have_text("3")
    page.fill("#id_yes", "1")
    page.fill("#id_no", "2")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"{live_server.url}/recruitment/{person.pk}/")
    expect(page.get_by_text("表决未通过（REC-VOTE-MAJORITY）")).to_be_visible()
    failed = page.locator("#timeline .timeline-item").last
    expect(failed).to_contain_text("支部大会讨论接收预备党员")
    expect(failed.locator(".vote-failed")).to_have_text("未通过")
    expect(failed).to_contain_text("表决结果 未通过")
    # Nothing advanced: still a candidate, and the next step is again a vote, from the next day.
    expect(page.locator("#next-steps")).to_contain_text("支部大会讨论接收预备党员")
    expect(page.locator("#next-steps")).not_to_contain_text("上级党委审批")
    page.screenshot(path=str(screens / f"recruitment-vote-failed-{width}.png"), full_page=True)

    later = VOTE_ON + dt.timedelta(days=1)
    page.goto(f"{live_server.url}/recruitment/{person.pk}/event/?event=branch_vote&on={later.isoformat()}")
    page.get_by_role("button", name="全部到会").click()
    page.fill("#id_yes", "3")
    page.fill("#id_no", "0")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"{live_server.url}/recruitment/{person.pk}/")
    votes = page.locator("#timeline .timeline-item", has_text="支部大会讨论接收预备党员")
    expect(votes).to_have_count(2)
    expect(votes.first.locator(".vote-failed")).to_have_text("未通过")
    expect(votes.last).to_contain_text("表决结果 通过")
    expect(votes.last.locator(".vote-failed")).to_have_count(0)
    expect(page.locator("#next-steps")).to_contain_text("上级党委审批")
    page.screenshot(path=str(screens / f"recruitment-vote-passed-later-{width}.png"), full_page=True)
