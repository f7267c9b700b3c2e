"""Acceptance (documents): a secretary uploads a talk record PDF under the talk step of a dossier, at phone
width, and sees it listed with its download link."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from grassroots.recruitment import services
from tests.factories import SYSTEM
from tests.support.documents import PDF_BYTES
from tests.support.dossiers import applicant
from tests.support.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = dt.date


def test_secretary_uploads_talk_record_pdf_on_a_dossier_and_sees_it_listed(
    live_server, chromium, sign_in, screens, personas, tree
):
    person = applicant(tree.a, "钱七", birth=D(1999, 8, 12), applied_on=D(2025, 2, 10))
    talk = services.event_record(
        scope=SYSTEM, actor=None, applicant=person, kind="talk", on=D(2025, 2, 20), payload={}
    )
    page = chromium.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
    sign_in(page, personas.secretary_a.username, PASSWORD)
    page.goto(f"{live_server.url}/recruitment/{person.pk}/")

    step = page.locator(f"#step-{talk.pk}")
    step.get_by_text("上传材料").click()
    step.locator("input[type=file]").set_input_files(
        files=[{"name": "入党谈话记录.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    expect(step.locator("select[name=kind]")).to_have_value("talk_record")
    step.locator("input[name=title]").fill("与钱七同志的入党谈话记录")
    step.get_by_role("button", name="上传", exact=True).click()

    page.wait_for_url(f"{live_server.url}/recruitment/{person.pk}/#step-{talk.pk}")
    step = page.locator(f"#step-{talk.pk}")
    expect(step.locator(".document")).to_have_count(1)
    expect(step.locator(".document")).to_contain_text("与钱七同志的入党谈话记录")
    expect(step.locator(".document")).to_contain_text("谈话记录")
    href = step.get_by_role("link", name="与钱七同志的入党谈话记录").get_attribute("href")
    download = page.request.get(live_server.url + href)  # with the page's session
    assert download.status == 200 and download.body() == PDF_BYTES
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the dossier scrolls sideways at phone width ({width}px)"
    page.screenshot(path=str(screens / "dossier-documents-390.png"), full_page=True)
