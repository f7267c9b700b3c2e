"""The org page shows the to-do of the org's subtree (core.todo) and the recruitment summary per stage, to the
roles that read members there, with a pinned number of queries; nothing of a sibling branch."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import make_org
from tests.support.dossiers import activist, applicant
from tests.support.personas import client_for
from tests.support.queries import few_vs_many

D = dt.date
LONG_AGO = D(2025, 1, 6)  # the talk (REC-TALK-1M) is long overdue


@pytest.mark.django_db
def test_org_page_lists_overdue_talk_in_red_with_rule_id_and_dossier_link_when_secretary_opens_it(
    tree, personas
):
    person = applicant(tree.a, "孙申请", applied_on=LONG_AGO)
    html = client_for("secretary_a").get(reverse("orgs:detail", args=[tree.a.code])).content.decode()
    assert 'id="todo"' in html and "待办" in html
    todo = html[html.index('id="todo"') : html.index('id="warnings"')]
    assert "孙申请 · 入党谈话" in todo and "link-danger" in todo and "REC-TALK-1M" in todo
    assert reverse("recruitment:detail", args=[person.pk]) in todo
    assert f"{reverse('recruitment:board')}?org={tree.a.code}" in todo  # 查看全部


@pytest.mark.django_db
def test_org_page_shows_no_todo_when_the_user_only_has_the_member_role(tree, personas):
    applicant(tree.b, "赵申请", applied_on=LONG_AGO)
    html = client_for("member_b").get(reverse("orgs:detail", args=[tree.b.code])).content.decode()
    assert 'id="todo"' not in html and "赵申请" not in html and 'id="summary-recruitment"' not in html


@pytest.mark.django_db
def test_upper_org_page_lists_the_subtree_todo_and_stage_counts_linking_to_the_board(tree, personas):
    applicant(tree.a, "孙申请", applied_on=LONG_AGO)
    applicant(tree.b, "赵申请", applied_on=LONG_AGO)
    activist(tree, "钱积极")
    response = client_for("county_admin").get(reverse("orgs:detail", args=[tree.g1.code]))
    html = response.content.decode()
    assert "孙申请 · 入党谈话" in html and "赵申请 · 入党谈话" in html
    [summary] = [s for s in response.context["summaries"] if s.category == "recruitment"]
    board = reverse("recruitment:board")
    assert summary.url == f"{board}?org={tree.g1.code}"
    assert [(f.label, f.value, f.url) for f in summary.figures] == [
        ("入党申请人", 2, f"{board}?org={tree.g1.code}&stage=applicant"),
        ("入党积极分子", 1, f"{board}?org={tree.g1.code}&stage=activist"),
        ("发展对象", 0, f"{board}?org={tree.g1.code}&stage=candidate"),
        ("预备党员", 0, f"{board}?org={tree.g1.code}&stage=probationary"),
    ]
    assert f"{board}?org={tree.g1.code}&amp;stage=applicant" in html


@pytest.mark.django_db
def test_branch_b_secretary_sees_nothing_of_a_in_the_org_page_todo_or_counts(tree, personas):
    applicant(tree.a, "孙申请", applied_on=LONG_AGO)
    activist(tree, "钱积极")
    response = client_for("secretary_b").get(reverse("orgs:detail", args=[tree.b.code]))
    html = response.content.decode()
    assert "孙申请" not in html and "钱积极" not in html
    [summary] = [s for s in response.context["summaries"] if s.category == "recruitment"]
    assert [f.value for f in summary.figures] == [0, 0, 0, 0]
    assert response.context["todo_total"] == 0


@pytest.mark.django_db
def test_org_page_query_count_does_not_grow_with_branches_and_dossiers(tree, personas):
    client = client_for("county_admin")
    url = reverse("orgs:detail", args=[tree.county.code])
    applicant(tree.a, "孙申请", applied_on=LONG_AGO)

    def more_branches_and_dossiers():
        for n in range(4):
            branch = make_org(tree.g1, f"X{n}", kind="branch", unit_kind="government")
            applicant(branch, f"新申请{n}", applied_on=LONG_AGO, birth=D(1990 + n, 1, 2))
        activist(tree, "钱积极")

    many = few_vs_many(lambda: client.get(url), more_branches_and_dossiers)
    assert many.result.status_code == 200
    # 12 before the to-do (session, user, grants, org, ancestors, committee, warnings, member counts,
    # children and their counts) + the to-do (the most urgent dossiers, each row with the counts of all)
    # + stage counts
    # + the member warnings card (issue 8, item 8); + the lapse to-do: the stored lapse state; + the
    # cadence card and the cadence to-do count (issue 10)
    assert many.many <= 18
