"""ORG-* warnings over a subtree: one set-based reader, the warnings page, its export, the home summary."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from grassroots.core.scoping import unscoped
from grassroots.orgs import selectors, services
from grassroots.orgs.models import Org
from tests import office
from tests.factories import SYSTEM, make_member, make_org

TODAY = dt.date(2026, 11, 23)


def add_branches(parent, n, start=0):
    """n more branches, each with one member and a lapsed committee: every branch warns of something."""
    for i in range(start, start + n):
        branch = make_org(parent, f"X{i}", f"中共测试第{i}支部委员会", kind="branch")
        secretary = make_member(branch, f"书记{i}")
        services.committee_elect(
            scope=SYSTEM,
            actor=None,
            org=branch,
            elected_on=dt.date(2020, 1, 1),
            posts=[(secretary, "secretary")],
        )


def test_subtree_warnings_equal_the_single_org_reader_for_every_org(tree):
    add_branches(tree.g1, 2)
    rows = selectors.subtree_warnings(scope=SYSTEM, org=tree.county, on=TODAY)
    assert [o.code for o, _w in rows][:3] == ["C", "G1", "A"]
    for org, warnings in rows:
        assert warnings == selectors.org_warnings(scope=SYSTEM, org=org, on=TODAY), org.code
    by_code = {o.code: {w.rule_id for w in ws} for o, ws in rows}
    assert by_code["A"] == {"ORG-BRANCH-MIN-3"}
    assert by_code["X0"] == {"ORG-BRANCH-MIN-3", "ORG-TERM"}
    assert by_code["A1"] == set()


def test_subtree_warnings_query_count_does_not_grow_with_the_number_of_orgs(tree, django_assert_num_queries):
    add_branches(tree.g1, 2)
    with django_assert_num_queries(5):
        small = selectors.subtree_warnings(scope=SYSTEM, org=tree.county, on=TODAY)
    add_branches(tree.g1, 8, start=2)
    with django_assert_num_queries(5):
        large = selectors.subtree_warnings(scope=SYSTEM, org=tree.county, on=TODAY)
    assert len(large) == len(small) + 8


def test_subtree_warnings_skip_ended_orgs_and_stay_inside_the_subtree(tree):
    ended = make_org(tree.b, "B9", "已撤销党小组", kind="group")
    services.org_end(scope=SYSTEM, actor=None, org=ended, ended_on=TODAY)
    codes = [o.code for o, _w in selectors.subtree_warnings(scope=SYSTEM, org=tree.g1, on=TODAY)]
    assert codes == ["G1", "A", "A1", "B"]


def test_subtree_warnings_404_outside_scope(tree, personas, scope_of):
    from grassroots.core.errors import NotFound

    with pytest.raises(NotFound):
        selectors.subtree_warnings(scope=scope_of(personas.secretary_a), org=tree.b, on=TODAY)


def test_warning_counts_count_each_org_once_per_rule(tree):
    add_branches(tree.g1, 3)
    summary = selectors.warning_counts(scope=SYSTEM, org=tree.county).by_rule
    # A, B and X0-X2 have fewer than three full members; X0-X2's committees have lapsed.
    assert summary == {
        "ORG-TERM": 3,
        "ORG-COMMITTEE-7": 2,  # the county committee and G1 have none recorded
        "ORG-SECRETARY-1Y": 0,
        "ORG-BRANCH-MIN-3": 5,
        "ORG-BRANCH-MAX-50": 0,
    }


# --- the warnings page -------------------------------------------------------------------------------------


def test_warnings_page_lists_orgs_with_links_kind_and_message(client, personas, tree):
    client.force_login(personas.county_admin)
    response = client.get(reverse("orgs:warnings", args=[tree.county.code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("orgs:detail", args=[tree.a.code]) in html
    assert "正式党员2名，不足3名" in html
    assert "党支部" in html
    assert "?rule=ORG-TERM" in html  # the rule filter


def test_warnings_page_filters_by_rule(client, personas, tree):
    add_branches(tree.g1, 1)
    client.force_login(personas.county_admin)
    html = client.get(
        reverse("orgs:warnings", args=[tree.county.code]), {"rule": "ORG-TERM"}
    ).content.decode()
    assert "中共测试第0支部委员会" in html
    assert tree.a.name not in html  # A warns of ORG-BRANCH-MIN-3 only
    assert "正式党员1名" not in html  # X0's other warning is filtered out too


def test_warnings_page_query_count_is_bounded(client, personas, tree, django_assert_max_num_queries):
    add_branches(tree.g1, 12)
    client.force_login(personas.county_admin)
    url = reverse("orgs:warnings", args=[tree.county.code])
    with django_assert_max_num_queries(
        9
    ):  # session, user, scope, org + counts, open orgs, page, rows, parents
        assert client.get(url).status_code == 200


def test_warnings_export_is_a_workbook_with_one_line_per_warning(client, personas, tree):
    client.force_login(personas.county_viewer)
    response = client.get(
        reverse("orgs:warnings", args=[tree.county.code]), {"rule": "ORG-BRANCH-MIN-3", "format": "xlsx"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert ws.title == "组织提醒"
    assert tree.county.name in ws["A1"].value
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert sorted(r[2] for r in rows) == ["A", "B"]
    assert {r[5] for r in rows} == {"ORG-BRANCH-MIN-3"}
    # The message once, without its id; the regulation in a column of its own (issue 8, item 14).
    assert all("ORG-" not in r[6] for r in rows)
    assert {r[7] for r in rows} == {"《中国共产党支部工作条例（试行）》第四条"}


def test_org_page_links_to_subtree_warnings_only_when_org_has_suborgs(client, personas, tree):
    client.force_login(personas.county_admin)
    url_g1 = reverse("orgs:warnings", args=[tree.g1.code])
    assert url_g1 in client.get(reverse("orgs:detail", args=[tree.g1.code])).content.decode()
    url_b = reverse("orgs:warnings", args=[tree.b.code])
    assert url_b not in client.get(reverse("orgs:detail", args=[tree.b.code])).content.decode()


# --- the home page -----------------------------------------------------------------------------------------


def test_home_of_upper_org_user_counts_orgs_per_rule_with_links(client, personas, tree):
    add_branches(tree.g1, 2)
    client.force_login(personas.county_admin)
    html = client.get(reverse("home")).content.decode()
    base = reverse("orgs:warnings", args=[tree.county.code])
    assert f"{base}?rule=ORG-BRANCH-MIN-3" in html
    assert f"{base}?rule=ORG-TERM" in html
    assert "4 个组织" in html  # ORG-BRANCH-MIN-3: A, B, X0, X1
    assert "换届逾期" in html


def test_home_of_upper_org_user_has_bounded_query_count(
    client, personas, tree, django_assert_max_num_queries
):
    from tests.support.dossiers import applicant

    client.force_login(personas.county_admin)
    client.get(reverse("home"))  # warm the session
    add_branches(tree.g1, 12)
    with unscoped():
        branches = list(Org.objects.unscoped_all().filter(code__startswith="X").order_by("code"))
    for n, branch in enumerate(branches):
        applicant(branch, f"申请{n}", applied_on=dt.date(2025, 1, 6), birth=dt.date(1990 + n, 1, 2))
    # + grants, member counts, stored warning counts (two) and the org's own, own record, letters to
    # receive, the recruitment to-do (its most
    # urgent dossiers with the counts of all, one query), the MEM-* warnings of the subtree (one aggregate),
    # whatever the number of dossiers; the calendar's CAL-YEAR-MISSING check of this year and, from November,
    # next year (the county admin administers it); the lapse to-do: the stored lapse state, the cadence
    # to-do count, 我的会议 (issue 10)
    with django_assert_max_num_queries(17):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    [section] = [s for s in response.context["todo_sections"] if s.count.category == "recruitment"]
    assert (section.count.total, len(section.items)) == (12, 10)


def test_home_of_branch_secretary_keeps_the_branch_own_warnings(client, personas, tree):
    client.force_login(personas.secretary_a)
    html = client.get(reverse("home")).content.decode()
    assert "ORG-BRANCH-MIN-3" in html
    assert "/warnings/" not in html


def test_warnings_export_opens_in_libreoffice(client, personas, tree, tmp_path):
    client.force_login(personas.county_viewer)
    response = client.get(
        reverse("orgs:warnings", args=[tree.county.code]), {"rule": "ORG-BRANCH-MIN-3", "format": "xlsx"}
    )
    text = office.as_csv(b"".join(response.streaming_content), tmp_path, "warnings")
    assert tree.county.name in text and "ORG-BRANCH-MIN-3" in text
