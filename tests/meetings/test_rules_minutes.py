"""Minutes (MTG-MINUTES-FINAL, MTG-MINUTES-LATE, MTG-DATES): late entry at its day boundary, finalizing,
changes to final minutes, amendments, and the canonical form of what a finalized record freezes."""

import datetime as dt
import json

import pytest

from grassroots.core.errors import RuleViolation
from grassroots.meetings import rules

D = dt.date
HELD = D(2026, 3, 10)


@pytest.mark.parametrize(
    ("finalized_on", "late_days", "late"),
    [
        (HELD, 7, False),
        (D(2026, 3, 17), 7, False),  # 7 days after: on time
        (D(2026, 3, 18), 7, True),  # 8 days after: late
        (D(2026, 4, 10), 7, True),
        (D(2026, 3, 13), 3, False),
        (D(2026, 3, 14), 3, True),
        (HELD, 0, False),
        (D(2026, 3, 11), 0, True),
    ],
)
def test_is_late_entry_when_finalized_after_the_policy_days(finalized_on, late_days, late):
    assert rules.is_late_entry(HELD, finalized_on, late_days) is late


def test_is_late_entry_uses_seven_days_when_no_policy_is_given():
    assert rules.MINUTES_LATE_DAYS == 7
    assert not rules.is_late_entry(HELD, D(2026, 3, 17))
    assert rules.is_late_entry(HELD, D(2026, 3, 18))


@pytest.mark.parametrize(
    ("today", "state"), [(HELD, "draft"), (D(2026, 3, 11), "draft"), (D(2027, 1, 1), "draft")]
)
def test_finalize_is_allowed_when_held_with_text_and_draft(today, state):
    assert rules.finalize_check(HELD, today, True, state) is None


@pytest.mark.parametrize(
    ("today", "has_text", "state", "rule_id", "field"),
    [
        (D(2026, 3, 9), True, "draft", "MTG-DATES", "held_on"),
        (HELD, False, "draft", "MTG-MINUTES-FINAL", "text"),
        (HELD, True, "finalized", "MTG-MINUTES-FINAL", "state"),
        (HELD, True, "confirmed", "MTG-MINUTES-FINAL", "state"),
        # Already final wins over every other reason.
        (D(2026, 3, 9), False, "finalized", "MTG-MINUTES-FINAL", "state"),
        (D(2026, 3, 9), False, "draft", "MTG-DATES", "held_on"),
    ],
)
def test_finalize_is_refused_when_not_held_empty_or_final(today, has_text, state, rule_id, field):
    with pytest.raises(RuleViolation) as refused:
        rules.finalize_check(HELD, today, has_text, state)
    assert (refused.value.rule_id, refused.value.field) == (rule_id, field)
    assert str(refused.value.message).endswith(f"（{rule_id}）")


def test_finalize_refusal_names_the_meeting_date_when_it_is_in_the_future():
    with pytest.raises(RuleViolation) as refused:
        rules.finalize_check(HELD, D(2026, 3, 1), True, "draft")
    assert "2026年3月10日" in str(refused.value.message)


@pytest.mark.parametrize("state", sorted(rules.MINUTES_FINAL_STATES))
def test_change_is_refused_when_the_minutes_are_final(state):
    with pytest.raises(RuleViolation) as refused:
        rules.change_check(state)
    assert refused.value.rule_id == "MTG-MINUTES-FINAL"
    assert str(refused.value.message).endswith("（MTG-MINUTES-FINAL）")


def test_change_is_allowed_when_the_minutes_are_a_draft():
    assert rules.change_check(rules.MINUTES_DRAFT) is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [("第三项议题的表决结果应为赞成6票", "记录笔误"), ("x", "r" * 200), ("x", "  " + "r" * 200 + "  ")],
)
def test_amendment_is_accepted_when_text_and_short_reason_are_given(text, reason):
    assert rules.amendment_check(text, reason) is None


@pytest.mark.parametrize(
    ("text", "reason", "field"),
    [
        ("", "记录笔误", "text"),
        ("   \n", "记录笔误", "text"),
        ("更正", "", "reason"),
        ("更正", " \t", "reason"),
        ("更正", "r" * 201, "reason"),
    ],
)
def test_amendment_is_refused_when_text_or_reason_is_missing_or_too_long(text, reason, field):
    with pytest.raises(RuleViolation) as refused:
        rules.amendment_check(text, reason)
    assert (refused.value.rule_id, refused.value.field) == ("MTG-MINUTES-FINAL", field)


ATTENDANCE = [
    {"member_id": 2, "status": "absent", "reason": ""},
    {"member_id": 1, "status": "excused", "reason": "出差", "since": D(2026, 3, 1)},
    {"member_id": 3, "status": "present", "guest": False, "signed_in_by": None},
]
VOTES = [
    {
        "subject": "admission",
        "should_attend": 10,
        "present": 6,
        "yes": 6,
        "no": 0,
        "abstain": 0,
        "passed": True,
    }
]
TEXT = "会议由张三主持。\r\n一、学习……"


def test_canonical_parts_are_stable_when_rows_and_keys_come_in_another_order():
    shuffled = [dict(reversed(list(row.items()))) for row in reversed(ATTENDANCE)]
    assert rules.canonical_parts(TEXT, ATTENDANCE, VOTES) == rules.canonical_parts(TEXT, shuffled, VOTES)
    assert rules.canonical_record(TEXT, ATTENDANCE, VOTES) == rules.canonical_record(TEXT, shuffled, VOTES)


def test_canonical_parts_are_utf8_json_with_sorted_keys_when_serialized():
    parts = rules.canonical_parts(TEXT, ATTENDANCE, VOTES)
    assert list(parts) == list(rules.RECORD_PARTS)
    text = parts["text"].decode("utf-8")
    assert "会议由张三主持" in text  # not \u-escaped
    assert json.loads(text) == {"part": "text", "v": rules.RECORD_FORMAT_VERSION, "value": TEXT}
    assert ", " not in text and ": " not in text
    attendance = json.loads(parts["attendance"])
    # Rows sorted by their own serialization: {"guest":… before {"member_id":1… before {"member_id":2….
    assert [row["member_id"] for row in attendance["value"]] == [3, 1, 2]
    assert attendance["value"][1]["since"] == "2026-03-01"
    assert parts["attendance"].index(b'"guest"') < parts["attendance"].index(b'"member_id"')


def test_canonical_record_joins_the_parts_when_whole():
    parts = rules.canonical_parts(TEXT, ATTENDANCE, VOTES)
    record = rules.canonical_record(TEXT, ATTENDANCE, VOTES)
    assert record.split(b"\n") == [parts["text"], parts["attendance"], parts["votes"]]


@pytest.mark.parametrize(
    ("text", "attendance", "votes", "changed"),
    [
        (TEXT, ATTENDANCE, VOTES, []),
        (TEXT + "。", ATTENDANCE, VOTES, ["text"]),
        (TEXT.replace("\r\n", "\n"), ATTENDANCE, VOTES, ["text"]),
        (TEXT, [*ATTENDANCE[:2], {**ATTENDANCE[2], "status": "absent"}], VOTES, ["attendance"]),
        (TEXT, ATTENDANCE[:2], VOTES, ["attendance"]),
        (TEXT, ATTENDANCE, [{**VOTES[0], "yes": 5}], ["votes"]),
        (TEXT, ATTENDANCE, [{**VOTES[0], "yes": "6"}], ["votes"]),
        ("", [], [], ["text", "attendance", "votes"]),
    ],
)
def test_changed_parts_names_the_part_when_one_changed(text, attendance, votes, changed):
    frozen = rules.canonical_parts(TEXT, ATTENDANCE, VOTES)
    assert rules.changed_parts(frozen, rules.canonical_parts(text, attendance, votes)) == changed


def test_changed_parts_names_a_missing_part_when_a_seal_lacks_it():
    frozen = rules.canonical_parts(TEXT, ATTENDANCE, VOTES)
    assert rules.changed_parts({"text": frozen["text"]}, frozen) == ["attendance", "votes"]


@pytest.mark.parametrize(
    "value",
    [1.5, dt.datetime(2026, 3, 10, 9, 0), object(), [1, 2]],
    ids=["float", "datetime", "object", "list"],
)
def test_canonical_parts_refuse_when_a_value_has_no_canonical_form(value):
    with pytest.raises(TypeError):
        rules.canonical_parts(TEXT, [{"member_id": 1, "x": value}], [])
