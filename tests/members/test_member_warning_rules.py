"""MEM-LOST-CONTACT and MEM-TRANSFER-REQUIRED as pure rules: each warning with the day it holds from."""

from __future__ import annotations

import datetime as dt

import pytest

from grassroots.members import rules
from grassroots.members.rules import MemberWarningFacts as F

D = dt.date


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        # Out of contact since a known date, on the roll: suspend six months later.
        (
            F("full", is_lost_contact=True, lost_contact_since=D(2025, 8, 31)),
            [("MEM-LOST-CONTACT", D(2026, 2, 28))],
        ),
        (
            F("probationary", is_lost_contact=True, lost_contact_since=D(2026, 1, 1)),
            [("MEM-LOST-CONTACT", D(2026, 7, 1))],
        ),
        # No date recorded: nothing to count from.
        (F("full", is_lost_contact=True), []),
        # Suspended and still out of contact: remove two years after the suspension …
        (
            F(
                "suspended",
                is_lost_contact=True,
                lost_contact_since=D(2023, 1, 1),
                suspended_on=D(2023, 8, 1),
            ),
            [("MEM-LOST-CONTACT", D(2025, 8, 1))],
        ),
        # … counted from when it should have been, when the suspension's date is missing.
        (
            F("suspended", is_lost_contact=True, lost_contact_since=D(2023, 1, 1)),
            [("MEM-LOST-CONTACT", D(2025, 7, 1))],
        ),
        (F("suspended", is_lost_contact=True), []),
        # Suspended for another reason, or an ended membership: no warning.
        (F("suspended", suspended_on=D(2023, 8, 1)), []),
        (F("deceased", is_lost_contact=True, lost_contact_since=D(2023, 1, 1)), []),
        # Away since a known date, on the roll: transfer six months later …
        (
            F("full", is_mobile=True, mobile_since=D(2026, 3, 10), mobile_to="深圳"),
            [("MEM-TRANSFER-REQUIRED", D(2026, 9, 10))],
        ),
        (F("full", is_mobile=True, mobile_since=D(2026, 3, 10)), [("MEM-TRANSFER-REQUIRED", D(2026, 9, 10))]),
        # … unless a letter is already out, the member cannot be reached, or no date is recorded.
        (F("full", is_mobile=True, mobile_since=D(2026, 3, 10), transfer_pending=True), []),
        (F("full", is_mobile=True, mobile_since=D(2026, 3, 10), is_lost_contact=True), []),
        (F("full", is_mobile=True), []),
        (F("transferred_out", is_mobile=True, mobile_since=D(2026, 3, 10)), []),
        (F("full"), []),
    ],
)
def test_member_warnings_hold_from_the_day_the_record_calls_for(facts, expected):
    assert [(w.rule_id, w.holds_from) for w in rules.member_warnings(facts)] == expected


@pytest.mark.parametrize(
    ("on", "held"), [(D(2026, 2, 27), False), (D(2026, 2, 28), True), (D(2026, 3, 1), True)]
)
def test_lost_contact_warns_from_six_months_to_the_day(on, held):
    facts = F("full", is_lost_contact=True, lost_contact_since=D(2025, 8, 31))
    assert bool(rules.member_warnings_on(facts, on)) is held


@pytest.mark.parametrize(("on", "held"), [(D(2026, 9, 9), False), (D(2026, 9, 10), True)])
def test_transfer_required_warns_from_six_months_away(on, held):
    facts = F("full", is_mobile=True, mobile_since=D(2026, 3, 10))
    assert bool(rules.member_warnings_on(facts, on)) is held


def test_member_warning_messages_name_the_dates_and_the_place():
    lost, removal, away, away_nowhere = (
        rules.member_warnings(f)[0]
        for f in (
            F("full", is_lost_contact=True, lost_contact_since=D(2025, 8, 31)),
            F("suspended", is_lost_contact=True, suspended_on=D(2023, 8, 1)),
            F("full", is_mobile=True, mobile_since=D(2026, 3, 10), mobile_to=" 深圳 "),
            F("full", is_mobile=True, mobile_since=D(2026, 3, 10)),
        )
    )
    assert lost.message == "自2025年8月31日失去联系，已满6个月，应按规定停止其党籍（MEM-LOST-CONTACT）"
    assert removal.message == "2023年8月1日停止党籍，满2年仍无法取得联系，应予除名（MEM-LOST-CONTACT）"
    assert away.message == "自2026年3月10日外出（深圳）已满6个月，应转移组织关系（MEM-TRANSFER-REQUIRED）"
    assert away_nowhere.values == {"since": "2026-03-10"} and "外出已满6个月" in away_nowhere.message
