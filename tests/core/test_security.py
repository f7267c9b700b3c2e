"""Headers of every rendered response: Content-Security-Policy (django-csp) and `Cache-Control: no-store`
(core.security.NoStoreMiddleware); templates written so that the policy needs no 'unsafe-inline'."""

from __future__ import annotations

import re
from pathlib import Path

from django.templatetags.static import static
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2] / "grassroots"
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
}


def directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        name: value for name, _sp, value in (d.strip().partition(" ") for d in header.split(";") if d.strip())
    }


def assert_no_store(response):
    assert "no-store" in response["Cache-Control"], response.get("Cache-Control")
    assert "private" in response["Cache-Control"]


def test_member_page_is_not_stored_by_browsers_or_proxies(client, personas, tree):
    client.force_login(personas.county_admin)
    response = client.get(reverse("members:detail", args=[tree.zhang.pk]))
    assert response.status_code == 200
    assert_no_store(response)
    assert_no_store(client.get(reverse("members:list"), {"org": tree.a.code}))


def test_member_export_is_not_stored(client, personas, tree):
    client.force_login(personas.county_admin)
    response = client.get(reverse("members:export"), {"org": tree.a.code})
    assert response.status_code == 200
    assert_no_store(response)


def test_api_member_operations_are_not_stored(api_as, tree):
    api = api_as("county_admin")
    assert_no_store(api.get(f"/members/{tree.zhang.pk}"))
    assert_no_store(api.get("/members", org=tree.a.code))


def test_static_files_keep_their_cache_headers_without_no_store(client):
    response = client.get(static("grassroots/app.css"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "Content-Security-Policy" not in response


def test_every_page_carries_the_content_security_policy_without_unsafe_sources(client, personas, tree):
    for response in (
        client.get(reverse("accounts:login")),
        client.get("/no-such-page/"),
    ):
        assert response["Content-Security-Policy"]
        assert_no_store(response)
    client.force_login(personas.county_admin)
    response = client.get(reverse("members:detail", args=[tree.zhang.pk]))
    found = directives(response)
    for name, value in POLICY.items():
        assert found[name] == value
    assert "unsafe" not in response["Content-Security-Policy"]


INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>"),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "style attribute": re.compile(r"\sstyle\s*="),
    "style element": re.compile(r"<style\b"),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
    "htmx hx-on (eval)": re.compile(r"\shx-on"),
    "htmx js: values (eval)": re.compile(r"hx-va(?:ls|rs)\s*=\s*['\"]\s*js:"),
}


def test_templates_hold_nothing_the_policy_would_block():
    """Inline scripts, handlers and styles would be refused by the browser under the policy: none is left."""
    found = []
    for path in sorted(ROOT.glob("**/templates/**/*.html")):
        text = path.read_text(encoding="utf-8")
        for what, pattern in INLINE.items():
            for match in pattern.finditer(text):
                found.append(f"{path.relative_to(ROOT)}: {what}: {match.group(0)!r}")
    assert found == []


def test_the_template_scan_finds_each_kind_of_inline_code():
    """The scan above can fail: each pattern recognises what it is meant to refuse."""
    samples = {
        "inline script": "<script>alert(1)</script>",
        "event handler attribute": '<button onclick="x()">',
        "style attribute": '<div style="width: 1em">',
        "style element": "<style>p{}</style>",
        "javascript: URL": '<a href="javascript:history.back()">',
        "htmx hx-on (eval)": '<div hx-on::after-request="x()">',
        "htmx js: values (eval)": "<div hx-vals='js:{a: 1}'>",
    }
    for what, sample in samples.items():
        assert INLINE[what].search(sample), what
    assert not INLINE["inline script"].search('<script src="/static/a.js" defer></script>')


def test_htmx_runs_without_eval_and_without_injected_styles(client, personas):
    client.force_login(personas.county_admin)
    html = client.get(reverse("home")).content.decode()
    assert (
        '<meta name="htmx-config" content=\'{"allowEval": false, "includeIndicatorStyles": false}\'>' in html
    )
