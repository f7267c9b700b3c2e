"""Item 19 of issue 8: the lists' pagination shows numbered pages (elided with ellipses) besides previous and
next, and a box to jump to a page that keeps the list's filters and works without JavaScript."""

from __future__ import annotations

import re

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory


def render(number: int, query: str = "", **context) -> str:
    request = RequestFactory().get("/members/" + query)
    page = Paginator(list(range(1000)), 10).get_page(number)
    return render_to_string("_pagination.html", {"page": page, "request": request, **context})


def link_numbers(html: str) -> list[str]:
    return re.findall(r'<a class="page-link" href="[^"]*"[^>]*>(\d+)</a>', html)


def test_numbered_pages_with_ellipses_around_the_current_page_when_a_list_has_many_pages():
    html = render(50, "?status=full&page=50")
    assert link_numbers(html) == ["1", "48", "49", "51", "52", "100"]
    assert html.count("…") == 2
    assert 'aria-current="page"><span class="page-link">50</span>' in html
    assert 'href="?status=full&amp;page=49"' in html and 'rel="prev"' in html and 'rel="next"' in html


def test_no_ellipsis_at_the_start_when_the_first_page_is_shown():
    html = render(1)
    assert link_numbers(html)[:3] == ["2", "3", "100"]
    assert html.count("…") == 1
    assert 'rel="prev"' not in html


def test_jump_box_keeps_the_filters_and_drops_the_page_when_jumping():
    html = render(3, "?q=%E5%BC%A0&flags=is_mobile&flags=is_needy&page=3")
    form = html[html.index("<form") : html.index("</form>")]
    assert 'method="get"' in form
    hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form)
    assert hidden == [("q", "张"), ("flags", "is_mobile"), ("flags", "is_needy")]
    assert 'name="page"' in form and 'max="100"' in form and 'value="3"' in form


def test_jump_box_swaps_the_results_in_place_when_the_list_uses_htmx():
    html = render(3, htmx_target="#results")
    assert 'hx-get="/members/" hx-target="#results"' in html


def test_jumping_to_a_page_of_the_member_list_shows_that_page(client, personas, tree):
    from tests.factories import make_member

    for i in range(55):
        make_member(tree.a, f"测试{i:02d}")
    client.force_login(personas.secretary_a)
    html = client.get("/members/", {"org": tree.a.code, "page": "2"}).content.decode()
    assert html.count('data-label="性别"') == 7  # 57 members in A's subtree, 50 a page
    assert '<input type="hidden" name="org" value="A">' in html
    assert 'aria-current="page"><span class="page-link">2</span>' in html
