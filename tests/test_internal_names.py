"""Internal details never reach the screen (issue 8, item 13).

The demo (`demo_setup` at the tiny scale: the seeded county, its dossiers, and one demo user per role) is
crawled as each demo user, following the links each page offers, a few pages of each kind; the text people
read (outside <code>, <pre>, <script> and <style>, plus the title, placeholder and aria-label attributes), on
each page and on each kind of form sent back empty (its error messages), must hold none of the shapes below: model field names (`letter_serial`), login names where a person's name
belongs, materialized tree paths (`00010002…`), file names (RULES.md), Python reprs and leftover template or
format syntax.
"""

from __future__ import annotations

import io
import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from grassroots.accounts.models import User
from grassroots.demo.management.commands.demo_setup import DEMO_USERS

pytestmark = pytest.mark.django_db

# Pages of the same shape (digits and codes in the path replaced) after which the crawler moves on.
PER_SHAPE = 2
MAX_PAGES = 150
# Query keys whose values make a different page (a step's form, a rule's list, a stage's column).
KINDS = {"event", "rule", "stage", "status"}
SKIP = ("/static/", "/media/", "/api/", "/accounts/logout", "/i18n/", "/documents/")

INTERNAL = {
    "a field or login name (snake_case)": re.compile(r"(?<![\w.-])[a-z][a-z0-9]*_[a-z0-9_]+(?![\w.-])"),
    "a materialized tree path": re.compile(r"(?<![0-9A-Z])(?:00[0-9A-Z]{2}){2,}(?![0-9A-Z])"),
    "a file name": re.compile(r"\b[\w-]+\.(?:md|py|html|txt|json|po)\b", re.I),
    "a Python repr": re.compile(r"<[A-Z]\w+: |\bobject at 0x|\bQuerySet\b|\b(?:None|True|False)\b"),
    "template or format syntax": re.compile(r"\{\{|\{%|%\(\w+\)s|\bgettext\b"),
}


class _Text(HTMLParser):
    """The text a person reads, and the links a person can follow."""

    HIDDEN = {"script", "style", "code", "pre", "template"}
    SHOWN_ATTRS = ("title", "placeholder", "aria-label", "alt")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self.forms: list[str] = []  # the actions of the POST forms ("" = the page itself)
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        values = dict(attrs)
        self.parts.extend(values[a] for a in self.SHOWN_ATTRS if values.get(a))
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        if tag == "form" and (values.get("method") or "").lower() == "post":
            self.forms.append(values.get("action") or "")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def _shape(url: str) -> str:
    """The kind of page: the path with its ids and codes starred, the query's keys (with the values of the
    keys that choose a different form or list, as each step's form is a page of its own)."""
    parts = urlsplit(url)
    path = "/".join("*" if re.search(r"\d", seg) or seg.isupper() else seg for seg in parts.path.split("/"))
    pairs = sorted(
        {pair if pair.split("=")[0] in KINDS else pair.split("=")[0] for pair in parts.query.split("&")}
    )
    return path + "?" + "&".join(p for p in pairs if p)


def found_internal(text: str) -> list[tuple[str, str]]:
    return [(what, m.group(0)) for what, pattern in INTERNAL.items() for m in pattern.finditer(text)]


def _read(response) -> _Text | None:
    if "text/html" not in response.get("Content-Type", ""):
        return None
    parser = _Text()
    parser.feed(response.content.decode())
    return parser


def crawl(client: Client, *, submit_forms: bool = False) -> dict[str, list[tuple[str, str]]]:
    """{url: [(what, text)]} over the pages reachable from the home page; with `submit_forms`, each kind of
    form is also sent empty once, so its error messages are read too (bad input changes nothing)."""
    seen, shapes, posted, problems = set(), Counter(), set(), {}
    queue = deque(["/"])
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen or shapes[_shape(url)] >= PER_SHAPE:
            continue
        seen.add(url)
        shapes[_shape(url)] += 1
        response = client.get(url)
        parser = _read(response) if response.status_code == 200 else None
        if parser is None:
            continue
        found = found_internal(" ".join(parser.parts))
        if found:
            problems[url] = found
        for action in parser.forms if submit_forms else ():
            target = action or url
            if target.startswith(SKIP) or _shape(target) in posted:
                continue
            posted.add(_shape(target))
            refused = _read(client.post(target, {}))
            found = found_internal(" ".join(refused.parts)) if refused else []
            if found:
                problems[f"POST {target}"] = found
        for href in parser.links:
            target = urlsplit(href)
            if target.scheme or target.netloc or not target.path.startswith("/") or href.startswith(SKIP):
                continue
            if "format=" in target.query:
                continue
            queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return problems


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("请填写 letter_serial", "a field or login name (snake_case)"),
        ("操作人：secretary_a", "a field or login name (snake_case)"),
        ("路径 000100020003", "a materialized tree path"),
        ("见 RULES.md", "a file name"),
        ("<Org: 中共测试县委员会>", "a Python repr"),
        ("出生日期：None", "a Python repr"),
        ("%(date)s 前", "template or format syntax"),
    ],
)
def test_each_internal_shape_is_recognised(text, what):
    assert what in {w for w, _found in found_internal(text)}


@pytest.mark.parametrize(
    "text",
    [
        "联系电话 13912345678",
        "身份证号 110101********1234",
        "2026年3月3日 · 2026-03-03",
        "依据：《中国共产党发展党员工作细则》第十三条 REC-CANDIDATE-1Y",
        "介绍信编号 SWEEP-B-OUT",
        "组织代码 C0012",
        "¥1,234.50",
    ],
)
def test_legitimate_content_is_not_flagged(text):
    assert found_internal(text) == []


def test_demo_pages_show_no_internal_names_to_any_demo_user(tmp_path):
    with override_settings(DATA_DIR=tmp_path):
        call_command("demo_setup", "--scale", "tiny", stdout=io.StringIO())
    problems = {}
    for username, *_rest in DEMO_USERS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        for url, found in crawl(client, submit_forms=username != "demo_viewer").items():
            problems[f"{username} {url}"] = found
    assert problems == {}, "\n".join(f"{where}: {found}" for where, found in problems.items())
