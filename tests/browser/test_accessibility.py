"""Item 22 of issue 8: axe-core (the WCAG 2 A and AA rules) finds nothing on any page a persona reaches.

axe-core is read from node_modules (package.json pins it; never a CDN) and injected into each page after it
loads. One browser; one sign-in per persona; each page once, at desktop width.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import make_member, make_transfer
from tests.support.dossiers import activist
from tests.support.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa"]
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.slice(0, 10).map(n => n.target.join(" ") + " :: " + (n.any[0]||n.all[0]||{message:""}).message)}));
}"""


def pages_of(tree) -> dict[str, list[str]]:
    """The pages each persona reaches, by username (None: signed out): every kind of page of the site."""
    for i in range(55):  # a list long enough to be paged (50 a page): the pagination is checked too
        make_member(tree.a, f"测试{i:02d}", is_mobile=i == 0, is_lost_contact=i == 1, is_needy=i == 2)
    transfer = make_transfer(tree.wang)
    person = activist(tree)
    zhang, a, county = tree.zhang.pk, tree.a.code, tree.county.code
    return {
        None: ["/accounts/login/", "/no-such-page/"],
        "county_admin": [
            "/",
            "/orgs/",
            f"/orgs/{county}/",
            f"/orgs/{a}/",
            f"/orgs/{a}/history/",
            f"/orgs/{county}/warnings/",
            f"/orgs/{a}/edit/",
            f"/orgs/{a}/new-child/",
            f"/orgs/{a}/move/",
            f"/orgs/{a}/elect/",
            "/members/",
            f"/members/?org={a}&page=2",
            "/members/transfers/",
            f"/members/new/{a}/",
            f"/members/{zhang}/",
            f"/members/{zhang}/edit/",
            f"/members/{zhang}/end/",
            f"/members/{zhang}/transfer/",
            f"/members/transfers/{transfer.pk}/receive/",
            "/recruitment/",
            "/recruitment/ledger/",
            f"/recruitment/new/{a}/",
            f"/recruitment/policy/{county}/",
            f"/recruitment/{person.pk}/",
            f"/recruitment/{person.pk}/event/",
            f"/recruitment/{person.pk}/summary/",
        ],
        "secretary_a": ["/", "/members/?q=cs", "/members/?q=zs", "/recruitment/"],
        "member_b": ["/"],
    }


def test_axe_finds_no_wcag_2_a_or_aa_violation_on_any_page(live_server, chromium, personas, tree):
    assert AXE.exists(), "npm ci installs axe-core (package.json)"
    violations: dict[str, list] = {}
    visited = 0
    for username, paths in pages_of(tree).items():
        # axe is injected as an inline script: the page's Content-Security-Policy is bypassed for it (the
        # policy itself is checked in test_content_security_policy.py).
        context = chromium.new_context(
            viewport={"width": 1280, "height": 900}, locale="zh-CN", bypass_csp=True
        )
        page = context.new_page()
        if username:
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", PASSWORD)
            page.click("main form button[type=submit]")
            page.wait_for_url(f"{live_server.url}/")
        for path in paths:
            page.goto(live_server.url + path)
            page.add_script_tag(path=str(AXE))
            found = page.evaluate(RUN_AXE, WCAG_TAGS)
            visited += 1
            if found:
                violations[f"{username or 'anonymous'} {path}"] = found
        context.close()
    assert visited >= 30
    assert not violations, json.dumps(violations, ensure_ascii=False, indent=1)
