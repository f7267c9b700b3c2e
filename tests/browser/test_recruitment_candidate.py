"""Acceptance (issue 3): a secretary takes an activist to candidate in the UI and sees the refusal message
when the year is not yet complete."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from grassroots.recruitment import services
from tests.factories import SYSTEM
from tests.support.dossiers import applicant
from tests.support.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = dt.date
ACTIVIST_ON = D(2025, 3, 3)
A_DAY_EARLY = D(2026, 3, 2)
A_YEAR_ON = D(2026, 3, 3)


def prepared_activist(tree):
    person = applicant(tree.a, "钱七", birth=D(1999, 8, 12), applied_on=D(2025, 2, 10))
    for kind, on, payload in [
        ("talk", D(2025, 2, 20), {}),
        ("activist_designated", ACTIVIST_ON, {"source": "member_recommendation"}),
        ("mentors_assigned", ACTIVIST_ON, {"mentors": [tree.zhang.pk, tree.li.pk]}),
        ("assessment", D(2025, 9, 1), {}),
        ("assessment", D(2026, 2, 27), {}),
    ]:
        services.event_record(scope=SYSTEM, actor=None, applicant=person, kind=kind, on=on, payload=payload)
    return person


def test_secretary_takes_activist_to_candidate_and_sees_refusal_before_the_year_is_complete(
    live_server, chromium, sign_in, screens, personas, tree
):
    person = prepared_activist(tree)
    page = chromium.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    sign_in(page, personas.secretary_a.username, PASSWORD)

    page.get_by_role("link", name="发展党员", exact=True).first.click()
    page.goto(f"{live_server.url}/recruitment/?org={tree.a.code}")
    expect(page.locator("#stage-activist")).to_contain_text("钱七")
    page.locator("#stage-activist").get_by_role("link", name="钱七").click()
    expect(page.locator("#applicant-name")).to_have_text("钱七")
    expect(page.locator("#stage")).to_have_text("入党积极分子")
    expect(page.locator("#next-steps")).to_contain_text("最早 2026年3月3日")

    page.locator("#next-steps").get_by_role("link", name="确定为发展对象").click()
    page.fill("#id_on", A_DAY_EARLY.isoformat())
    page.get_by_role("button", name="保存").click()
    refusal = page.locator("#refusal")
    expect(refusal).to_contain_text("REC-CANDIDATE-1Y")
    expect(refusal).to_contain_text("2026年3月3日")
    expect(page.locator("#stage")).to_have_text("入党积极分子")  # nothing saved
    page.screenshot(path=str(screens / "recruitment-refusal-1280.png"), full_page=True)

    page.fill("#id_on", A_YEAR_ON.isoformat())
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"{live_server.url}/recruitment/{person.pk}/")
    expect(page.locator("#stage")).to_have_text("发展对象")
    expect(page.locator("#timeline")).to_contain_text("确定为发展对象")
    expect(page.locator("#timeline")).to_contain_text("2026-03-03")
    page.screenshot(path=str(screens / "recruitment-dossier-1280.png"), full_page=True)
