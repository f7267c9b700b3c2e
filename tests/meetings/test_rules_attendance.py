"""Attendance (MTG-ATTENDANCE): the rate at its rounding edges and with no one expected, statuses, reasons for
an excused absence, and guests."""

from decimal import Decimal

import pytest

from grassroots.core.errors import RuleViolation
from grassroots.meetings import rules


@pytest.mark.parametrize(
    ("present", "excused", "absent", "rate"),
    [
        (0, 0, 0, None),
        (1, 0, 0, Decimal("100.00")),
        (0, 1, 0, Decimal("0.00")),
        (0, 0, 1, Decimal("0.00")),
        (2, 1, 0, Decimal("66.67")),  # 66.666… half up
        (1, 1, 1, Decimal("33.33")),
        (1, 7, 0, Decimal("12.50")),
        (1, 199_999, 0, Decimal("0.00")),  # 0.0005 → 0.00
        (1, 0, 79_999, Decimal("0.00")),  # 0.00125 → 0.00
        (1, 0, 7_999, Decimal("0.01")),  # 0.0125 → 0.01
        (1, 0, 1_599, Decimal("0.06")),  # 0.0625 → 0.06
        (1, 0, 399, Decimal("0.25")),
        (9, 0, 1, Decimal("90.00")),
        (17, 2, 1, Decimal("85.00")),
    ],
)
def test_attendance_rate_is_present_over_expected_when_counted(present, excused, absent, rate):
    assert rules.attendance_rate(present, excused, absent) == rate


def test_attendance_rate_rounds_half_up_when_exactly_at_half_a_cent():
    # 1 of 800 = 0.125 % → 0.13 (half up, not half even).
    assert rules.attendance_rate(1, 0, 799) == Decimal("0.13")


@pytest.mark.parametrize("counts", [(-1, 0, 0), (0, -1, 0), (0, 0, -1)])
def test_attendance_rate_refuses_when_a_count_is_negative(counts):
    with pytest.raises(ValueError):
        rules.attendance_rate(*counts)


@pytest.mark.parametrize(
    ("status", "reason", "expected"),
    [
        (rules.PRESENT, "", True),
        (rules.PRESENT, "", False),
        (rules.ABSENT, "", True),
        (rules.EXCUSED, "出差", True),
        (rules.EXCUSED, "r" * 200, True),
        (rules.EXCUSED, " " + "r" * 200 + " ", True),
    ],
)
def test_attendance_is_accepted_when_status_and_reason_fit(status, reason, expected):
    assert rules.attendance_check(status, reason, expected=expected) is None


@pytest.mark.parametrize(
    ("status", "reason", "expected", "field"),
    [
        ("late", "", True, "status"),
        ("", "", True, "status"),
        ("late", "", False, "status"),
        (rules.EXCUSED, "", True, "reason"),
        (rules.EXCUSED, " \n", True, "reason"),
        (rules.EXCUSED, "r" * 201, True, "reason"),
        (rules.ABSENT, "", False, "status"),
        (rules.EXCUSED, "出差", False, "status"),
    ],
)
def test_attendance_is_refused_when_status_reason_or_guest_is_wrong(status, reason, expected, field):
    with pytest.raises(RuleViolation) as refused:
        rules.attendance_check(status, reason, expected=expected)
    assert (refused.value.rule_id, refused.value.field) == ("MTG-ATTENDANCE", field)
    assert str(refused.value.message).endswith("（MTG-ATTENDANCE）")


def test_attendance_check_defaults_to_an_expected_member_when_not_told():
    assert rules.attendance_check(rules.ABSENT) is None
