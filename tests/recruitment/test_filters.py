"""One filterset for the dossier list (filters.ApplicantFilter): the ledger page, its .xlsx export and
`GET /recruitment/applicants` take the same filters and list the same dossiers, in the same order."""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO

import pytest
from django.urls import reverse

from grassroots.core.id_search import holds_id_number
from grassroots.core.scoping import unscoped
from grassroots.recruitment.filters import ApplicantFilter, BoardFilter
from grassroots.recruitment.models import Applicant
from tests.factories import ApplicantFactory, make_id_number
from tests.support.dossiers import activist, applicant
from tests.support.personas import client_for

D = dt.date
ID_NUMBER = make_id_number(D(1990, 7, 1), "male")


@pytest.fixture
def dossiers(tree, personas):
    """Four dossiers in branch A (one admitted in 2025, one found by its ID number) and one in branch B."""
    activist(tree, "钱积极")
    applicant(tree.a, "孙申请", birth=D(1996, 4, 2))
    admitted = applicant(tree.a, "李入党", birth=D(1995, 4, 2))
    with unscoped():
        Applicant.objects.unscoped_all().filter(pk=admitted.pk).update(
            stage="probationary", admitted_on=D(2025, 10, 10)
        )
    ApplicantFactory(org=tree.a, name="周身份", sex="male", birth_date=D(1990, 7, 1), id_number=ID_NUMBER)
    applicant(tree.b, "赵别支部")
    return tree


def _split(query: dict) -> tuple[dict, dict]:
    """The query's parameters and headers: a search by ID number travels in X-Search (core.id_search)."""
    if holds_id_number(query.get("q")):
        return {k: v for k, v in query.items() if k != "q"}, {"X-Search": query["q"]}
    return query, {}


def _page_names(query: dict) -> list[str]:
    params, headers = _split(query)
    response = client_for("secretary_a").get(reverse("recruitment:ledger"), params, headers=headers)
    assert response.status_code == 200
    return [r["name"] for r in response.context["rows"]]


def _export_names(query: dict) -> list[str]:
    from openpyxl import load_workbook

    params, headers = _split(query)
    response = client_for("secretary_a").get(
        reverse("recruitment:ledger"), {**params, "format": "xlsx"}, headers=headers
    )
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    return [r[1] for r in sheet.iter_rows(min_row=3, values_only=True)]


def _api_names(secretary, query: dict) -> list[str]:
    params, headers = _split(query)
    response = secretary.get("/recruitment/applicants", headers=headers, **params)
    assert response.status_code == 200, response.json()
    return [i["name"] for i in response.json()["items"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["李入党", "钱积极", "孙申请", "周身份"]),
        ({"q": "qjj"}, ["钱积极"]),
        ({"q": "sunshenqing"}, ["孙申请"]),
        ({"q": "孙"}, ["孙申请"]),
        ({"q": ID_NUMBER}, ["周身份"]),
        ({"stage": "applicant"}, ["孙申请", "周身份"]),
        ({"stage": "activist", "q": "qian"}, ["钱积极"]),
        ({"year": "2025"}, ["李入党"]),
        ({"year": "2026"}, []),
        ({"stage": "probationary", "year": "2025"}, ["李入党"]),
    ],
)
def test_ledger_page_export_and_api_list_the_same_dossiers_for_the_same_filters(
    dossiers, secretary, query, expected
):
    query = {"org": dossiers.a.code, **query}
    assert _page_names(query) == expected
    assert _export_names(query) == expected
    assert _api_names(secretary, query) == expected


def test_ledger_page_sends_exactly_the_filters_the_api_takes(dossiers):
    html = client_for("secretary_a").get(reverse("recruitment:ledger"), {"org": dossiers.a.code}).content
    form = re.search(r'<form[^>]*id="ledger-filters".*?</form>', html.decode(), re.S).group(0)
    assert set(re.findall(r'name="([a-z_]+)"', form)) == set(ApplicantFilter.base_filters)


@pytest.mark.parametrize("query", [{"stage": "nobody"}, {"year": "1800"}, {"year": "20x5"}])
def test_page_ignores_a_value_it_cannot_use_where_the_api_refuses_it(dossiers, secretary, query):
    query = {"org": dossiers.a.code, **query}
    assert _page_names(query) == ["李入党", "钱积极", "孙申请", "周身份"]
    response = secretary.get("/recruitment/applicants", **query)
    assert response.status_code == 422


def test_board_filter_keeps_only_the_board_stages_and_overdue_flag(dossiers):
    from grassroots.accounts.models import User
    from grassroots.accounts.selectors import scope_for_user

    scope = scope_for_user(User.objects.get(username="secretary_a"))
    kept = BoardFilter({"org": dossiers.a.code, "stage": "activist", "overdue": "1"}, scope=scope)
    assert (kept.org, kept.value("stage"), kept.overdue_only) == (dossiers.a, "activist", True)
    ignored = BoardFilter({"stage": "full_member", "overdue": "yes"}, scope=scope)
    assert (ignored.org, ignored.value("stage"), ignored.overdue_only) == (None, None, False)
    assert [a.name for a in BoardFilter({"stage": "activist"}, scope=scope).qs] == ["钱积极"]
