"""Templates keep the layers too: an app's templates (templates/<app>/) name in `{% url %}` only pages of
their own app or of apps in lower layers (pyproject.toml [tool.importlinter]); a page of a higher app comes
through a registry it fills (orgs.registry, core.menu)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from django.urls import NoReverseMatch, resolve, reverse

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "grassroots" / "templates"
URL_TAG = re.compile(r"""\{%\s*url\s+['"]([\w:-]+)['"]""")


def layers() -> dict[str, int]:
    """App label -> layer, 0 the lowest: apps on one line share a layer (and may not use each other)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    [contract] = [c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "layers"]
    out = {}
    for level, line in enumerate(reversed(contract["layers"])):
        for module in line.split("|"):
            out[module.strip().removeprefix("grassroots.")] = level
    return out


def app_of(url_name: str) -> str | None:
    """The app whose page `url_name` is: its namespace, or for a name without one, its view's app."""
    if ":" in url_name:
        return url_name.split(":", 1)[0]
    try:
        module = resolve(reverse(url_name)).func.__module__
    except NoReverseMatch:
        pytest.fail(f"cannot tell the app of the URL name {url_name!r}: give it a namespace")
    parts = module.split(".")
    return parts[1] if parts[0] == "grassroots" else None  # None: Django's own (set_language, …)


def named_urls(app: str) -> list[tuple[str, str]]:
    return [
        (str(path.relative_to(TEMPLATES)), name)
        for path in sorted((TEMPLATES / app).rglob("*.html"))
        for name in URL_TAG.findall(path.read_text(encoding="utf-8"))
    ]


@pytest.mark.parametrize("app", sorted(p.name for p in TEMPLATES.iterdir() if p.is_dir()))
def test_an_apps_templates_name_no_page_of_a_higher_or_sibling_app(app):
    level = layers()
    assert app in level, f"templates/{app}/ belongs to no layer of the contract"
    wrong = [
        (template, name)
        for template, name in named_urls(app)
        if (other := app_of(name)) is not None and other != app and level[other] >= level[app]
    ]
    assert wrong == []


def test_the_check_sees_the_url_tags_and_would_catch_orgs_naming_a_member_page():
    assert ("orgs/detail.html", "orgs:warnings") in named_urls("orgs")
    level = layers()
    assert level[app_of("members:list")] > level["orgs"]
    assert level[app_of("home")] > level["members"]  # the home page is the reports app's
