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


def test_term_warning_names_the_approved_date_when_postponed_and_passed():
    c = committee(term_ends_on=dt.date(2026, 1, 1), due_on=dt.date(2026, 6, 1))
    [w] = [w for w in rules.org_warnings(facts(committee=c), ON) if w.rule_id == "ORG-TERM"]
    assert "经上级批准的换届日期" in w.message and w.values == {"date": "2026-06-01"}


@pytest.mark.parametrize(
    ("kind", "unit_kind", "years"),
    [
        ("branch", "government", 2),
        ("general_branch", "other", 2),
        ("committee", "other", 3),
        ("branch", "village", 4),
    ],
)
def test_term_years_follow_the_policy_when_one_is_given(kind, unit_kind, years):
    policy = rules.OrgPolicy(branch_term_years=2, village_term_years=4, committee_term_years=3)
    assert rules.term_years(kind, unit_kind, policy) == years


@pytest.mark.parametrize(
    ("field", "value", "ok"),
    [
        ("branch_term_years", 2, True),
        ("branch_term_years", 3, True),
        ("branch_term_years", 4, False),
        ("branch_term_years", 1, False),
        ("village_term_years", 3, True),
        ("village_term_years", 6, False),
        ("committee_term_years", 5, True),
        ("committee_term_years", 2, False),
        ("letter_valid_months", 6, True),
        ("letter_valid_months", 0, False),
        ("letter_valid_months", True, False),
        ("letter_valid_months", "3", False),
    ],
)
def test_policy_refused_when_a_value_is_outside_its_range(field, value, ok):
    values = {
        "branch_term_years": 3,
        "village_term_years": 5,
        "committee_term_years": 5,
        "letter_valid_months": 3,
    }
    values[field] = value
    if ok:
        assert getattr(rules.check_policy(values), field) == value
    else:
        with pytest.raises(RuleViolation) as exc:
            rules.check_policy(values)
        assert (exc.value.rule_id, exc.value.field) == ("ORG-POLICY", field)


ELECTED = dt.date(2023, 3, 1)
TERM_END = dt.date(2026, 3, 1)


def adjustment(**kw):
    values = dict(
        kind="postpone",
        elected_on=ELECTED,
        term_ends_on=TERM_END,
        due_on=dt.date(2026, 9, 1),
        approved_by="县委组织部",
        document_number="县组〔2026〕1号",
        approved_on=dt.date(2026, 2, 1),
        today=ON,
    )
    values.update(kw)
    rules.check_term_adjustment(**values)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({}, None),
        ({"due_on": dt.date(2027, 3, 1)}, None),  # exactly one year
        ({"due_on": dt.date(2027, 3, 2)}, "due_on"),  # more than one year
        ({"due_on": TERM_END}, "due_on"),  # not later
        ({"kind": "advance", "due_on": dt.date(2025, 3, 1)}, None),  # exactly one year earlier
        ({"kind": "advance", "due_on": dt.date(2025, 2, 28)}, "due_on"),
        ({"kind": "advance", "due_on": TERM_END}, "due_on"),  # not earlier
        ({"kind": "advance", "elected_on": dt.date(2025, 6, 1), "due_on": dt.date(2025, 6, 1)}, "due_on"),
        ({"kind": "other"}, "kind"),
        ({"approved_by": " "}, "approved_by"),
        ({"document_number": ""}, "document_number"),
        ({"approved_on": ON + dt.timedelta(days=1)}, "approved_on"),
        ({"approved_on": ELECTED - dt.timedelta(days=1)}, "approved_on"),
    ],
)
def test_term_adjustment_needs_upper_approval_and_at_most_one_year(change, field):
    if field is None:
        adjustment(**change)
    else:
        with pytest.raises(RuleViolation) as exc:
            adjustment(**change)
        assert (exc.value.rule_id, exc.value.field) == ("ORG-TERM", field)


D = dt.date


@pytest.mark.parametrize(
    ("spans", "most"),
    [
        ([], 0),
        ([(None, None)] * 3, 3),
        ([(None, D(2026, 1, 31)), (D(2026, 2, 1), None)], 1),
        ([(None, D(2026, 2, 1)), (D(2026, 2, 1), None)], 2),  # both on 1 February (inclusive)
        ([(D(2026, 1, 1), D(2026, 1, 31)), (D(2026, 3, 1), None), (None, None)], 2),
    ],
)
def test_most_units_at_once_counts_the_busiest_day(spans, most):
    assert rules.most_units_at_once(spans) == most


@pytest.mark.parametrize(
    ("kind", "is_joint", "spans", "field"),
    [
        ("branch", True, [(None, None)] * 5, None),
        ("branch", True, [(None, None)] * 6, "units"),
        ("branch", False, [(None, None)] * 6, None),  # not joint: no limit
        ("branch", True, [(None, None)] * 5 + [(D(2026, 1, 1), None)], "units"),
        ("branch", True, [(None, D(2025, 12, 31))] + [(None, None)] * 4 + [(D(2026, 1, 1), None)], None),
        ("general_branch", True, [], "is_joint"),
        ("general_branch", False, [], None),
        ("branch", False, [(D(2026, 2, 1), D(2026, 1, 31))], "valid_until"),
    ],
)
def test_unit_check_refuses_a_sixth_unit_a_joint_non_branch_and_reversed_dates(kind, is_joint, spans, field):
    if field is None:
        rules.check_units(kind=kind, is_joint=is_joint, spans=spans)
    else:
        with pytest.raises(RuleViolation) as exc:
            rules.check_units(kind=kind, is_joint=is_joint, spans=spans)
        assert (exc.value.rule_id, exc.value.field) == ("ORG-BRANCH-MIN-3", field)
