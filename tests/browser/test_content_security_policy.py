"""The Content-Security-Policy holds in a real browser: the main pages, their htmx requests, the org tree's
lazy expansion, the navbar dropdown and the print buttons report no violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories import make_transfer
from tests.support.dossiers import activist
from tests.support.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Registered before any page script runs (by the browser, not as an inline script the policy would refuse).
LISTEN = """() => {
  window.__csp = [];
  document.addEventListener("securitypolicyviolation", (e) => {
    window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || "") + ":" + e.lineNumber);
  });
}"""


def test_no_csp_violation_is_reported_on_the_main_pages(live_server, chromium, sign_in, personas, tree):
    transfer = make_transfer(tree.wang)
    person = activist(tree)
    a, county, zhang = tree.a.code, tree.county.code, tree.zhang.pk
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.add_init_script(script=f"({LISTEN})()")
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    violations: dict[str, list[str]] = {}

    def visit(path: str, then=None) -> None:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        if then:
            then()
            page.wait_for_load_state("networkidle")
        found = page.evaluate("() => window.__csp")
        if found:
            violations[path] = found

    visit("/accounts/login/")
    visit("/no-such-page/")
    sign_in(page, personas.county_admin.username, PASSWORD)

    def expand_tree():
        page.get_by_role("button", name="展开").first.click()
        expect(page.get_by_role("link", name=tree.g1.name)).to_be_visible()
        expect(page.locator(".toggle i.bi-chevron-down").first).to_be_attached()  # app.js turned the chevron

    def search_members():
        page.fill("input[name=q][hx-get]", "第二")  # the org switcher (htmx)
        page.locator("#org-switcher-results a").first.wait_for()
        page.locator("nav .dropdown-toggle").click()  # Bootstrap's dropdown (Popper)
        expect(page.locator("#nav-me")).to_be_visible()

    for path, then in (
        ("/", None),
        ("/orgs/", expand_tree),
        (f"/orgs/{county}/", None),
        (f"/orgs/{a}/", None),
        (f"/orgs/{a}/history/", None),
        ("/members/", search_members),
        (f"/members/?org={a}&q=zs", None),
        (f"/members/{zhang}/", None),
        (f"/members/{zhang}/edit/", None),
        ("/members/transfers/", None),
        (f"/members/transfers/{transfer.pk}/print/", None),
        ("/recruitment/", None),
        ("/recruitment/ledger/", None),
        (f"/recruitment/{person.pk}/", None),
        (f"/recruitment/{person.pk}/summary/", None),
        ("/calendar/", None),
    ):
        visit(path, then)
    context.close()
    assert violations == {} and console == [], (violations, console)


def test_a_csp_violation_would_be_reported(live_server, chromium, personas):
    """The listener above is live: an inline script added to a page is refused and reported."""
    context = chromium.new_context()
    context.add_init_script(script=f"({LISTEN})()")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_function("() => window.__csp.length > 0")
    assert page.evaluate("() => window.ran") is None
    assert page.evaluate("() => window.__csp")[0].startswith("script-src")
    context.close()
