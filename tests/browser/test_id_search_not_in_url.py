"""Acceptance (issue 9): a secretary types a whole ID number into the member list's search box and into the
ledger's; the person is found, and no request the browser sends carries the number, or any run of six of its
digits, in its URL — the request line is what runserver and gunicorn write to the access log."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from grassroots.core import crypto, id_number
from grassroots.core.scoping import unscoped
from tests.factories import make_member
from tests.support.dossiers import applicant
from tests.support.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NUMBER = id_number.make("110101", dt.date(1990, 5, 6), 123)


def leaks(urls: list[str], number: str) -> list[str]:
    """The URLs that hold six or more consecutive characters of `number`."""
    parts = {number[i : i + 6] for i in range(len(number) - 5)}
    return [u for u in urls if any(p in u for p in parts)]


def test_id_number_typed_in_search_boxes_never_reaches_a_url(live_server, chromium, sign_in, personas, tree):
    make_member(tree.a, "陈浩哲", birth_date=dt.date(1990, 5, 6), sex="male", id_number=NUMBER)
    person = applicant(tree.a, "钱七")
    with unscoped():
        dossier_number = crypto.decrypt(person.id_number_encrypted)
    page = chromium.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    sign_in(page, personas.secretary_a.username, PASSWORD)

    page.goto(f"{live_server.url}/members/")
    page.wait_for_load_state("load")
    page.locator("#id_q").press_sequentially(NUMBER, delay=60)  # live searches fire while typing
    results = page.locator("#results")
    expect(results.get_by_role("link", name="陈浩哲")).to_be_visible()
    expect(results.get_by_text("张三")).to_have_count(0)
    assert not leaks([*urls, page.url], NUMBER)

    page.goto(f"{live_server.url}/recruitment/ledger/?org={tree.a.code}")
    page.wait_for_load_state("load")
    page.fill("#ledger-q", dossier_number)
    page.locator("#ledger-q").press("Enter")
    expect(page.locator("main")).to_contain_text("钱七")
    expect(page.locator("main")).to_contain_text(re.compile("共 1 人"))
    assert not leaks([*urls, page.url], dossier_number)
