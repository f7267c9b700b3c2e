"""Acceptance (issue 8, item 18): the printable 发展党员纪实表 fits a 390 px phone screen and A4 portrait paper —
nothing overflows sideways and no column is squeezed to a character or two."""

from __future__ import annotations

import re

import pytest

from grassroots.core.scoping import unscoped
from grassroots.recruitment import services
from grassroots.recruitment.models import Applicant
from tests.factories import SYSTEM
from tests.support.documents import pdf
from tests.support.personas import PASSWORD
from tests.support.road import apply, steps, walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A4 portrait less the 15 mm margins of the print CSS, in CSS pixels (96 per inch).
A4_CONTENT_PX = round((210 - 2 * 15) / 25.4 * 96)

# The narrowest visible cell of the sheet's tables, in units of its own font size (em).
NARROWEST_CELL = """() => {
  let narrowest = Infinity, where = "";
  for (const cell of document.querySelectorAll(".record-sheet td, .record-sheet th")) {
    const box = cell.getBoundingClientRect();
    if (!box.width || getComputedStyle(cell).display === "none") continue;
    const em = box.width / parseFloat(getComputedStyle(cell).fontSize);
    if (em < narrowest) { narrowest = em; where = cell.textContent.trim().slice(0, 20); }
  }
  return [narrowest, where];
}"""


def full_dossier(tree, secretary) -> int:
    """A dossier taken the whole road to full member, with a long-titled document, the fullest sheet there is."""
    applicant_id = apply(secretary, tree).json()["id"]
    walk(secretary, applicant_id, steps(tree))
    services.dossier_document_attach(
        scope=SYSTEM,
        actor=None,
        applicant=_applicant(applicant_id),
        kind="application_letter",
        title="入党申请书及四个季度的思想汇报材料汇总扫描件（二〇二五年第一季度至第四季度）",
        file=pdf("a-very-long-file-name-without-any-spaces-for-the-catalogue-2025.pdf"),
    )
    return applicant_id


def _applicant(pk: int) -> Applicant:
    with unscoped():
        return Applicant.objects.unscoped_all().get(pk=pk)


def test_summary_fits_a_phone_screen_and_a4_paper_without_squeezed_columns(
    live_server, chromium, sign_in, screens, personas, tree, secretary, road_clock
):
    applicant_id = full_dossier(tree, secretary)
    url = f"{live_server.url}/recruitment/{applicant_id}/summary/"

    phone = chromium.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    sign_in(phone, personas.secretary_a.username, PASSWORD)
    phone.goto(url)
    phone.screenshot(path=str(screens / "summary-390.png"), full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    narrowest, where = phone.evaluate(NARROWEST_CELL)
    assert narrowest >= 3, (narrowest, where)

    # Printed: A4 portrait. The sheet laid out at the printable width keeps every column readable, and the
    # PDF Chromium prints is a few A4 pages, not dozens of slivers.
    paper = chromium.new_page(viewport={"width": A4_CONTENT_PX, "height": 1000}, locale="zh-CN")
    sign_in(paper, personas.secretary_a.username, PASSWORD)
    paper.goto(url)
    paper.emulate_media(media="print")
    paper.screenshot(path=str(screens / "summary-a4.png"), full_page=True)
    assert paper.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    narrowest, where = paper.evaluate(NARROWEST_CELL)
    assert narrowest >= 3, (narrowest, where)
    printed = paper.pdf(format="A4", print_background=True)
    (screens / "summary-a4.pdf").write_bytes(printed)
    assert printed.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", printed))
    assert 1 <= pages <= 3, pages
