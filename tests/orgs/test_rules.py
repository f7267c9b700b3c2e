"""ORG-* rules at their boundaries."""

import datetime as dt

import pytest

from grassroots.core.errors import RuleViolation
from grassroots.orgs import rules

ON = dt.date(2026, 11, 23)
FULL_COMMITTEE = ("secretary", "organization_officer", "publicity_officer", "discipline_officer")


def committee(**kw):
    values = dict(
        elected_on=dt.date(2024, 1, 10),
        term_ends_on=dt.date(2027, 1, 10),
        roles=FULL_COMMITTEE,
        secretary_converted_on=dt.date(2010, 1, 1),
    )
    values.update(kw)
    return rules.CommitteeFacts(**values)


def facts(**kw):
    values = dict(kind="branch", unit_kind="government", full_members=10, members=10, committee=committee())
    values.update(kw)
    return rules.OrgFacts(**values)


def ids(warnings):
    return [w.rule_id for w in warnings]


def test_no_warning_when_branch_is_healthy():
    assert rules.org_warnings(facts(), ON) == []


@pytest.mark.parametrize(("full", "warned"), [(2, True), (3, False), (4, False)])
def test_branch_min_3_warns_when_fewer_than_three_full_members(full, warned):
    w = rules.org_warnings(facts(full_members=full, members=full, committee=None), ON)
    assert ("ORG-BRANCH-MIN-3" in ids(w)) is warned


@pytest.mark.parametrize(("members", "warned"), [(50, False), (51, True)])
def test_branch_max_50_warns_when_more_than_fifty_members(members, warned):
    w = rules.org_warnings(facts(full_members=members, members=members), ON)
    assert ("ORG-BRANCH-MAX-50" in ids(w)) is warned


@pytest.mark.parametrize(("units", "warned"), [(5, False), (6, True)])
def test_joint_branch_warns_when_more_than_five_units(units, warned):
    w = rules.org_warnings(facts(is_joint=True, unit_count=units), ON)
    assert ("ORG-BRANCH-MIN-3" in ids(w)) is warned


@pytest.mark.parametrize(("full", "warned"), [(6, False), (7, True)])
def test_committee_7_warns_when_branch_of_seven_has_no_committee(full, warned):
    w = rules.org_warnings(facts(full_members=full, members=full, committee=None), ON)
    assert ("ORG-COMMITTEE-7" in ids(w)) is warned


def test_committee_7_warns_when_general_branch_has_no_committee():
    w = rules.org_warnings(facts(kind="general_branch", full_members=1, members=1, committee=None), ON)
    assert ids(w) == ["ORG-COMMITTEE-7"]


@pytest.mark.parametrize(("size", "warned"), [(2, True), (3, False), (7, False), (8, True)])
def test_committee_7_warns_when_committee_size_outside_three_to_seven(size, warned):
    roles = (*FULL_COMMITTEE, "deputy_secretary", "member", "member", "member")[:size]
    w = rules.org_warnings(facts(committee=committee(roles=roles)), ON)
    size_warned = any(x.rule_id == "ORG-COMMITTEE-7" and "size" in x.params for x in w)
    assert size_warned is warned


def test_committee_7_lists_missing_roles_when_officer_posts_are_vacant():
    w = rules.org_warnings(
        facts(committee=committee(roles=("secretary", "organization_officer", "member"))), ON
    )
    missing = [x for x in w if "missing" in x.params]
    assert missing[0].params["missing"] == ["publicity_officer", "discipline_officer"]
    assert "宣传委员" in missing[0].message


@pytest.mark.parametrize(
    ("ends", "warned"),
    [(ON - dt.timedelta(days=1), True), (ON, False), (ON + dt.timedelta(days=1), False)],
)
def test_term_warns_when_term_end_has_passed(ends, warned):
    w = rules.org_warnings(facts(committee=committee(term_ends_on=ends)), ON)
    assert ("ORG-TERM" in ids(w)) is warned


def test_term_does_not_warn_when_postponement_approved():
    c = committee(term_ends_on=dt.date(2026, 1, 1), due_on=dt.date(2027, 1, 1))
    assert "ORG-TERM" not in ids(rules.org_warnings(facts(committee=c), ON))


def test_secretary_warns_with_date_when_post_vacant():
    c = committee(roles=("organization_officer", "publicity_officer", "discipline_officer"))
    w = rules.org_warnings(facts(committee=c, secretary_vacant_since=dt.date(2026, 3, 1)), ON)
    vacant = [x for x in w if x.rule_id == "ORG-SECRETARY-1Y"]
    assert vacant[0].params == {"vacant_since": "2026-03-01"}
    assert "2026年3月1日" in vacant[0].message
    w2 = rules.org_warnings(facts(committee=c), ON)
    assert [x.params for x in w2 if x.rule_id == "ORG-SECRETARY-1Y"] == [{"vacant_since": None}]


@pytest.mark.parametrize(
    ("converted", "warned"),
    [(dt.date(2025, 11, 24), True), (dt.date(2025, 11, 23), False), (None, True)],
)
def test_secretary_1y_warns_when_standing_under_one_year(converted, warned):
    w = rules.org_warnings(facts(committee=committee(secretary_converted_on=converted)), ON)
    assert ("ORG-SECRETARY-1Y" in ids(w)) is warned


def test_group_has_no_committee_warnings():
    assert rules.org_warnings(facts(kind="group", full_members=0, members=0, committee=None), ON) == []


@pytest.mark.parametrize(
    ("kind", "unit_kind", "years"),
    [
        ("branch", "government", 3),
        ("general_branch", "state_enterprise", 3),
        ("committee", "government", 5),
        ("working_committee", "other", 5),
        ("branch", "village", 5),
        ("branch", "community", 5),
    ],
)
def test_term_years_default_when_kind_and_unit_given(kind, unit_kind, years):
    assert rules.term_years(kind, unit_kind) == years


@pytest.mark.parametrize(
    ("parent", "child", "ok"),
    [
        ("", "committee", True),
        ("", "branch", False),
        ("committee", "branch", True),
        ("general_branch", "branch", True),
        ("general_branch", "committee", False),
        ("branch", "group", True),
        ("group", "group", False),
    ],
)
def test_kind_nesting_refuses_when_child_kind_not_allowed(parent, child, ok):
    if ok:
        rules.check_child_kind(parent, child)
    else:
        with pytest.raises(RuleViolation) as exc:
            rules.check_child_kind(parent, child)
        assert exc.value.rule_id == "ORG-KIND-NESTING"


@pytest.mark.parametrize(
    ("node", "target", "ok"),
    [("00010001", "00010001", False), ("00010001", "000100010002", False), ("00010001", "00010002", True)],
)
def test_move_refuses_when_target_is_self_or_descendant(node, target, ok):
    if ok:
        rules.check_move(node, target)
    else:
        with pytest.raises(RuleViolation) as exc:
            rules.check_move(node, target)
        assert exc.value.rule_id == "ORG-MOVE-CYCLE"
        assert "下级组织" in str(exc.value.message)


@pytest.mark.parametrize(("units", "ok"), [(5, True), (6, False)])
def test_joint_units_refused_when_more_than_five(units, ok):
    if ok:
        rules.check_joint_units(units)
    else:
        with pytest.raises(RuleViolation):
            rules.check_joint_units(units)


def test_committee_7_does_not_list_secretary_when_secretary_1y_reports_the_vacancy():
    c = committee(roles=("organization_officer", "member", "member"))
    w = rules.org_warnings(facts(committee=c), ON)
    missing = [x for x in w if "missing" in x.params]
    assert missing[0].params["missing"] == ["publicity_officer", "discipline_officer"]
    assert "书记" not in missing[0].message
    assert [x.rule_id for x in w if "书记" in x.message] == ["ORG-SECRETARY-1Y"]


def test_committee_7_silent_when_only_the_secretary_is_missing():
    c = committee(roles=("organization_officer", "publicity_officer", "discipline_officer"))
    w = rules.org_warnings(facts(committee=c), ON)
    assert ids(w) == ["ORG-SECRETARY-1Y"]


def test_every_warning_rule_has_a_summary_label():
    assert list(rules.WARNING_RULES) == [
        "ORG-TERM",
        "ORG-COMMITTEE-7",
        "ORG-SECRETARY-1Y",
        "ORG-BRANCH-MIN-3",
        "ORG-BRANCH-MAX-50",
    ]
