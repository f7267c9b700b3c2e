"""The board of an upper org: a table of each direct child org's open dossiers per stage and overdue, every
count opening the board behind it (?org=&stage=, ?overdue=1), a totals row, an xlsx export, and a constant
number of queries; ?stage= keeps one column."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from grassroots.accounts import services as account_services
from tests import office
from tests.factories import SYSTEM, make_org
from tests.support.dossiers import activist, applicant
from tests.support.personas import client_for
from tests.support.queries import few_vs_many

D = dt.date
LONG_AGO = D(2025, 1, 6)  # talk overdue (REC-TALK-1M)
RECENT = D(2026, 11, 10)  # talk due, not overdue
BOARD = reverse("recruitment:board")


def rows_of(response) -> dict[str, tuple]:
    return {
        r["org"].code: (*(n for _s, _l, n in r["stages"]), r["total"], r["overdue"])
        for r in response.context["children"]
    }


@pytest.fixture
def dossiers(tree):
    applicant(tree.a, "孙逾期", applied_on=LONG_AGO)
    applicant(tree.a, "周新", applied_on=RECENT, birth=D(1999, 1, 2))
    activist(tree, "钱积极")
    applicant(tree.b, "赵逾期", applied_on=LONG_AGO, birth=D(1997, 3, 4))


@pytest.mark.django_db
def test_board_of_general_branch_counts_each_child_per_stage_with_overdue_and_totals(
    tree, personas, dossiers
):
    response = client_for("county_admin").get(f"{BOARD}?org={tree.g1.code}")
    assert response.status_code == 200
    # applicant, activist, candidate, probationary, total, overdue
    assert rows_of(response) == {"A": (2, 1, 0, 0, 3, 2), "B": (1, 0, 0, 0, 1, 1)}
    totals = response.context["totals"]
    assert ([n for _s, _l, n in totals["stages"]], totals["total"], totals["overdue"]) == ([3, 1, 0, 0], 4, 3)
    html = response.content.decode()
    assert "各下级组织发展党员情况" in html


@pytest.mark.django_db
def test_child_counts_link_to_the_board_of_that_child_and_stage_when_rendered(tree, personas, dossiers):
    html = client_for("county_admin").get(f"{BOARD}?org={tree.g1.code}").content.decode()
    assert f'href="?org={tree.a.code}&stage=applicant"' in html
    assert f'href="?org={tree.b.code}&overdue=1"' in html
    assert f'href="?org={tree.g1.code}&stage=activist"' in html  # totals row
    drilled = client_for("county_admin").get(f"{BOARD}?org={tree.a.code}&stage=applicant")
    assert [c["stage"] for c in drilled.context["columns"]] == ["applicant"]
    assert sorted(card["name"] for card in drilled.context["columns"][0]["cards"]) == ["周新", "孙逾期"]


@pytest.mark.django_db
def test_overdue_filter_keeps_only_dossiers_with_an_overdue_step(tree, personas, dossiers):
    response = client_for("county_admin").get(f"{BOARD}?org={tree.g1.code}&overdue=1")
    names = sorted(card["name"] for col in response.context["columns"] for card in col["cards"])
    assert names == ["孙逾期", "赵逾期", "钱积极"]  # 钱积极: the half-yearly assessment


@pytest.mark.django_db
def test_unknown_stage_shows_every_column_when_given(tree, personas, dossiers):
    response = client_for("secretary_a").get(f"{BOARD}?org={tree.a.code}&stage=nonsense")
    assert len(response.context["columns"]) == 4


@pytest.mark.django_db
def test_branch_board_has_no_children_table_when_its_only_children_are_party_groups(tree, personas, dossiers):
    response = client_for("secretary_a").get(f"{BOARD}?org={tree.a.code}")
    assert response.context["children"] == []
    assert "各下级组织发展党员情况" not in response.content.decode()


@pytest.mark.django_db
def test_children_table_exports_the_same_figures_as_xlsx(tree, personas, dossiers):
    export = client_for("county_admin").get(f"{BOARD}?org={tree.g1.code}&format=xlsx")
    assert export.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(export.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[0][1:] == ("组织名称", "入党申请人", "入党积极分子", "发展对象", "预备党员", "合计", "逾期")
    assert [r[1:] for r in rows[1:]] == [
        (tree.a.name, 2, 1, 0, 0, 3, 2),
        (tree.b.name, 1, 0, 0, 0, 1, 1),
        ("合计", 3, 1, 0, 0, 4, 3),
    ]


@pytest.mark.django_db
def test_branch_b_secretary_sees_nothing_of_a_in_counts_when_opening_the_general_branch_board(
    tree, personas, dossiers
):
    response = client_for("secretary_b").get(f"{BOARD}?org={tree.g1.code}")
    assert response.status_code == 404
    html = client_for("secretary_b").get(f"{BOARD}?org={tree.b.code}").content.decode()
    assert "赵逾期" in html and "钱积极" not in html and "孙逾期" not in html


@pytest.mark.django_db
def test_board_with_children_query_count_does_not_grow_with_children_and_dossiers(tree, personas, dossiers):
    client = client_for("county_admin")
    url = f"{BOARD}?org={tree.g1.code}"

    def more_branches():
        for n in range(5):
            branch = make_org(tree.g1, f"X{n}", kind="branch", unit_kind="government")
            applicant(branch, f"新申请{n}", applied_on=LONG_AGO, birth=D(1990 + n, 1, 2))

    many = few_vs_many(lambda: client.get(url), more_branches)
    # session, user, grants, org, counts per child and stage (overdue too), child orgs, the cards
    assert many.many <= 7
    assert len(many.result.context["children"]) == 7


@pytest.mark.django_db
def test_board_without_org_opens_the_board_of_the_callers_only_org_keeping_the_filters(tree, personas):
    response = client_for("county_admin").get(BOARD + "?stage=activist")
    assert response.status_code == 302
    assert response["Location"] == f"{BOARD}?stage=activist&org={tree.county.code}"


@pytest.mark.django_db
def test_board_without_org_lists_the_whole_scope_when_the_caller_has_grants_on_two_orgs(tree, personas):
    account_services.grant_add(
        scope=SYSTEM, actor=None, user=personas.secretary_a, org=tree.b, role="secretary"
    )
    response = client_for("secretary_a").get(BOARD)
    assert response.status_code == 200 and response.context["org"] is None


@pytest.mark.django_db
def test_children_table_export_opens_in_libreoffice(tree, personas, dossiers, tmp_path):
    export = client_for("county_admin").get(f"{BOARD}?org={tree.g1.code}&format=xlsx")
    text = office.as_csv(b"".join(export.streaming_content), tmp_path, "children")
    assert tree.a.name in text and "入党积极分子" in text
