"""A secretary voids a wrongly dated step and sees both entries: the activist designation was recorded on
24 September instead of 24 March; she opens the correction form on that step of the dossier's timeline,
gives the reason, and the timeline keeps the original (struck through, 已作废) with the correction entry
beside it (who, when, why); the dossier is back at its earlier stage and the right step is recorded. At
desktop and phone width."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.support.dossiers import applicant, step
from tests.support.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = dt.date
VOIDED = re.compile(r"\bstep-voided\b")


@pytest.mark.parametrize("width", [1280, 390])
def test_secretary_voids_a_wrongly_dated_step_and_sees_both_entries(
    live_server, chromium, sign_in, screens, personas, tree, width
):
    person = applicant(tree.a, "钱七")
    step(person, "talk", D(2025, 2, 20))
    step(person, "activist_designated", D(2025, 9, 24), source="member_recommendation")
    page = chromium.new_page(viewport={"width": width, "height": 900}, locale="zh-CN")
    sign_in(page, personas.secretary_a.username, PASSWORD)
    page.goto(f"{live_server.url}/recruitment/{person.pk}/")
    timeline = page.locator("#timeline")
    wrong = timeline.locator(".timeline-item").filter(has_text="确定为入党积极分子")
    expect(wrong).to_contain_text("2025-09-24")
    # Only the latest step offers the correction.
    expect(timeline.locator(".step-void-form")).to_have_count(1)
    wrong.get_by_text("记录有误？作废此步骤").click()
    wrong.get_by_label("作废理由").fill("日期记错，应为2025年3月24日")
    page.screenshot(path=str(screens / f"recruitment-void-form-{width}.png"), full_page=True)
    wrong.get_by_role("button", name="作废").click()
    page.wait_for_url(f"{live_server.url}/recruitment/{person.pk}/*")

    expect(page.locator(".alert-success")).to_contain_text("已作废步骤：确定为入党积极分子（2025-09-24）")
    voided = page.locator("#timeline .step-voided")
    expect(voided).to_have_count(1)
    expect(voided).to_contain_text("确定为入党积极分子")
    expect(voided).to_contain_text("2025-09-24")
    expect(voided).to_contain_text("已作废")
    expect(voided.locator(".step-void")).to_contain_text("secretary_a")
    expect(voided.locator(".step-void")).to_contain_text("日期记错，应为2025年3月24日")
    expect(page.locator("#timeline .timeline-item").filter(has_text="入党谈话")).not_to_have_class(
        "step-voided"
    )
    page.screenshot(path=str(screens / f"recruitment-void-dossier-{width}.png"), full_page=True)

    # The voided step no longer counts: the designation may be recorded again, on the right date.
    page.goto(f"{live_server.url}/recruitment/{person.pk}/event/?event=activist_designated")
    page.fill("#id_on", "2025-03-24")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"{live_server.url}/recruitment/{person.pk}/*")
    items = page.locator("#timeline .timeline-item").filter(has_text="确定为入党积极分子")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_have_class(VOIDED)
    expect(items.nth(1)).to_contain_text("2025-03-24")
    expect(items.nth(1)).not_to_have_class(VOIDED)
