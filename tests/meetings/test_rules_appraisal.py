"""Appraisal grades (MEM-APPRAISAL-GRADES): at most one third excellent at every size boundary, the handling of
unqualified members, unknown grades and handlings."""

import pytest

from grassroots.core.errors import RuleViolation
from grassroots.meetings import rules

EX, Q, BQ, UQ = rules.EXCELLENT, rules.QUALIFIED, rules.BASICALLY_QUALIFIED, rules.UNQUALIFIED


def grades(excellent, total):
    return {m: EX if m < excellent else Q for m in range(total)}


@pytest.mark.parametrize(
    ("appraised", "excellent", "ok"),
    [
        (9, 3, True),
        (9, 4, False),
        (10, 3, True),
        (10, 4, False),
        (11, 3, True),
        (11, 4, False),
        (12, 4, True),
        (12, 5, False),
        (2, 0, True),
        (2, 1, False),
        (3, 1, True),
        (3, 2, False),
        (1, 0, True),
        (1, 1, False),
        (0, 0, True),
    ],
)
def test_excellent_is_refused_when_more_than_a_third(appraised, excellent, ok):
    given = grades(excellent, appraised)
    if ok:
        counts = rules.appraisal_check(given, {}, appraised)
        assert counts == {EX: excellent, Q: appraised - excellent, BQ: 0, UQ: 0}
        assert excellent <= rules.max_excellent(appraised)
    else:
        with pytest.raises(RuleViolation) as refused:
            rules.appraisal_check(given, {}, appraised)
        assert (refused.value.rule_id, refused.value.field) == ("MEM-APPRAISAL-GRADES", "grades")
        assert str(refused.value.message).endswith("（MEM-APPRAISAL-GRADES）")
        assert f"最多{rules.max_excellent(appraised)}名" in str(refused.value.message)


def test_third_counts_those_appraised_when_only_some_are_graded_yet():
    # 3 excellent of 9 appraised, only 5 graded so far: fine.
    assert rules.appraisal_check(grades(3, 5), {}, 9)[EX] == 3


@pytest.mark.parametrize(
    ("appraised", "most"), [(0, 0), (2, 0), (3, 1), (9, 3), (10, 3), (11, 3), (12, 4), (-1, 0)]
)
def test_max_excellent_is_a_third_rounded_down_when_asked(appraised, most):
    assert rules.max_excellent(appraised) == most


@pytest.mark.parametrize("handling", sorted(rules.HANDLINGS))
def test_unqualified_is_accepted_when_handled(handling):
    counts = rules.appraisal_check({1: Q, 2: UQ, 3: BQ}, {2: handling}, 3)
    assert counts == {EX: 0, Q: 1, BQ: 1, UQ: 1}


@pytest.mark.parametrize(
    ("given", "handling", "appraised", "field", "words"),
    [
        ({1: Q, 2: UQ}, {}, 2, "handling", "须确定处置方式"),
        ({1: UQ, 2: UQ}, {1: rules.RECTIFY}, 2, "handling", "编号2的党员"),
        ({1: Q, 2: UQ}, {2: "warn"}, 2, "handling", "处置方式应为"),
        ({1: Q, 2: UQ}, {1: rules.RECTIFY, 2: rules.REMOVE}, 2, "handling", "未被评为不合格"),
        ({1: Q}, {9: rules.REMOVE}, 1, "handling", "未被评为不合格"),
        ({1: Q, 2: "good"}, {}, 2, "grades", "评议等次应为"),
        ({1: Q, 2: ""}, {}, 2, "grades", "评议等次应为"),
        ({1: Q, 2: Q}, {}, 1, "appraised_count", "少于"),
        ({}, {}, -1, "appraised_count", "少于"),
    ],
)
def test_appraisal_is_refused_when_grades_or_handling_are_wrong(given, handling, appraised, field, words):
    with pytest.raises(RuleViolation) as refused:
        rules.appraisal_check(given, handling, appraised)
    assert (refused.value.rule_id, refused.value.field) == ("MEM-APPRAISAL-GRADES", field)
    assert words in str(refused.value.message)


def test_refusal_names_the_member_when_a_name_is_given():
    with pytest.raises(RuleViolation) as refused:
        rules.appraisal_check({7: UQ}, {}, 1, names={7: "王五"})
    assert str(refused.value.message).startswith("王五被评为不合格")


def test_grade_and_handling_values_are_those_of_the_choices_when_compared():
    assert rules.GRADES == ("excellent", "qualified", "basically_qualified", "unqualified")
    assert rules.HANDLINGS == ("rectify", "persuade_to_leave", "remove")
