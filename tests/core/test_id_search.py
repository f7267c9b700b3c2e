"""Searches by ID number stay out of URLs (core.id_search): the API refuses a whole number in `?q=` and reads
it from the X-Search header; a page redirects such a URL to itself without the number; the search boxes send
it in the header, so that neither the request line nor a server's access log holds it."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pytest
from django.urls import reverse

from grassroots.core import crypto, id_number, id_search
from grassroots.core.scoping import unscoped
from tests.factories import make_member
from tests.support.dossiers import applicant

NUMBER = id_number.make("110101", dt.date(1990, 5, 6), 123)


@pytest.fixture
def member(tree):
    return make_member(tree.a, "陈浩哲", birth_date=dt.date(1990, 5, 6), sex="male", id_number=NUMBER)


@pytest.mark.parametrize(
    ("text", "holds"),
    [(NUMBER, True), (NUMBER.lower(), True), (f"张 {NUMBER}", True), ("１" * 17 + "Ｘ", True),
     (NUMBER[:17], False), (NUMBER + "1", False), ("13912345678", False), ("陈浩哲", False), ("", False)],
)  # fmt: skip
def test_holds_id_number_finds_a_whole_number_when_one_is_in_the_text(text, holds):
    assert id_search.holds_id_number(text) is holds


def test_api_refuses_an_id_number_in_the_url_when_listing_members(api_as, member):
    response = api_as("secretary_a").get("/members", q=NUMBER)
    assert response.status_code == 422
    assert response.json()["rule_id"] == "API-ID-SEARCH" and response.json()["field"] == "q"


def test_api_finds_a_member_by_id_number_when_sent_in_the_header(api_as, member):
    response = api_as("secretary_a").get("/members", headers={"X-Search": NUMBER})
    assert response.status_code == 200 and [i["name"] for i in response.json()["items"]] == ["陈浩哲"]


def test_api_searches_dossiers_by_id_number_only_from_the_header(api_as, tree):
    person = applicant(tree.a, "陈浩哲")
    with unscoped():
        number = crypto.decrypt(person.id_number_encrypted)
    client = api_as("secretary_a")
    assert client.get("/recruitment/applicants", q=number).status_code == 422
    found = client.get("/recruitment/applicants", headers={"X-Search": quote(number)})
    assert [i["name"] for i in found.json()["items"]] == ["陈浩哲"]


def test_openapi_documents_the_search_header_when_listing(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/members", "/api/v1/recruitment/applicants"):
        params = schema["paths"][path]["get"]["parameters"]
        assert any(p["in"] == "header" and p["name"] == "X-Search" for p in params), path


@pytest.mark.parametrize("name", ["members:list", "members:export", "recruitment:ledger"])
def test_page_redirects_without_the_number_when_the_url_holds_one(client, personas, member, name):
    client.force_login(personas.secretary_a)
    response = client.get(reverse(name), {"q": NUMBER, "status": "all"})
    assert response.status_code == 302
    assert NUMBER not in response["Location"] and "status=all" in response["Location"]


def test_member_list_page_finds_by_id_number_when_sent_in_the_header(client, personas, member):
    client.force_login(personas.secretary_a)
    response = client.get(reverse("members:list"), headers={"X-Search": NUMBER, "HX-Request": "true"})
    assert response.status_code == 200 and "陈浩哲" in response.content.decode()


def test_search_boxes_send_long_digit_runs_in_the_header_when_the_pages_load(client, personas, member):
    """The list and the ledger mark their search box for idsearch.js, which sends it in the header."""
    client.force_login(personas.secretary_a)
    for name in ("members:list", "recruitment:ledger"):
        html = client.get(reverse(name)).content.decode()
        assert "data-search-header" in html and "grassroots/idsearch.js" in html, name


def test_list_offers_no_export_link_when_searched_through_the_header(client, personas, member):
    """An export link cannot carry a search sent in the header: the list offers none rather than one that
    would export more than it shows."""
    client.force_login(personas.secretary_a)
    by_header = client.get(reverse("members:list"), headers={"X-Search": NUMBER}).content.decode()
    by_name = client.get(reverse("members:list"), {"q": "陈浩哲"}).content.decode()
    assert 'id="export-xlsx"' in by_name and 'id="export-xlsx"' not in by_header
    ledger = client.get(reverse("recruitment:ledger"), headers={"X-Search": NUMBER}).content.decode()
    assert 'id="ledger-xlsx"' not in ledger
