"""MEM-* rules (and the REC-DATES / REC-AGE-18 checks on hand-entered records) at their boundaries."""

import datetime as dt

import pytest

from grassroots.core import id_number
from grassroots.core.errors import RuleViolation
from grassroots.members import rules
from grassroots.members.choices import MemberStatus as S

BIRTH = dt.date(1990, 5, 17)
VALID_MALE = id_number.make("110101", BIRTH, 11)


def test_id_number_accepted_when_valid_and_consistent():
    assert rules.check_id_number(VALID_MALE, birth_date=BIRTH, sex="male").number == VALID_MALE


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("12345", "18位"),
        ("11010119900517A11" + "1", "前17位"),
        ("110101199002300111", "出生日期无效"),
        (VALID_MALE[:17] + ("0" if VALID_MALE[17] != "0" else "1"), "校验位"),
    ],
)
def test_id_number_refused_with_chinese_reason_when_invalid(raw, fragment):
    with pytest.raises(RuleViolation) as exc:
        rules.check_id_number(raw, birth_date=None, sex=None)
    assert exc.value.rule_id == "MEM-ID-NUMBER"
    assert exc.value.field == "id_number"
    assert fragment in str(exc.value.message)


def test_id_number_refused_when_birth_date_differs_from_record():
    with pytest.raises(RuleViolation) as exc:
        rules.check_id_number(VALID_MALE, birth_date=BIRTH + dt.timedelta(days=1), sex="male")
    assert "出生日期" in str(exc.value.message)


def test_id_number_refused_when_sex_differs_from_record():
    with pytest.raises(RuleViolation) as exc:
        rules.check_id_number(VALID_MALE, birth_date=BIRTH, sex="female")
    assert "性别" in str(exc.value.message)


@pytest.mark.parametrize(
    ("converted", "on", "years"),
    [
        (None, dt.date(2026, 1, 1), None),
        (dt.date(2016, 7, 1), dt.date(2026, 6, 30), 9),
        (dt.date(2016, 7, 1), dt.date(2026, 7, 1), 10),
    ],
)
def test_party_standing_counts_from_conversion_when_computed(converted, on, years):
    assert rules.party_standing_years(converted, on) == years


@pytest.mark.parametrize(
    ("admitted", "ok"),
    [(dt.date(2008, 5, 16), False), (dt.date(2008, 5, 17), True)],
)
def test_age_18_refused_when_admitted_before_eighteenth_birthday(admitted, ok):
    if ok:
        rules.check_dates(birth_date=BIRTH, admitted_on=admitted, converted_on=None)
    else:
        with pytest.raises(RuleViolation) as exc:
            rules.check_dates(birth_date=BIRTH, admitted_on=admitted, converted_on=None)
        assert exc.value.rule_id == "REC-AGE-18"


@pytest.mark.parametrize(
    ("converted", "extension", "ok"),
    [
        (dt.date(2015, 7, 1), 0, False),  # the day of admission
        (dt.date(2015, 7, 2), 0, False),  # one day later: accepted before, refused now
        (dt.date(2016, 6, 30), 0, False),
        (dt.date(2016, 7, 1), 0, True),  # one year after admission
        (dt.date(2016, 7, 2), 0, False),
        (dt.date(2016, 7, 1), 6, False),  # an extension recorded: one year plus the extension
        (dt.date(2017, 1, 1), 6, True),
        (dt.date(2017, 7, 1), 12, True),
    ],
)
def test_conversion_date_is_one_year_after_admission_plus_the_recorded_extension(converted, extension, ok):
    admitted = dt.date(2015, 7, 1)
    if ok:
        rules.check_dates(
            birth_date=BIRTH, admitted_on=admitted, converted_on=converted, extension_months=extension
        )
    else:
        with pytest.raises(RuleViolation) as exc:
            rules.check_dates(
                birth_date=BIRTH, admitted_on=admitted, converted_on=converted, extension_months=extension
            )
        assert exc.value.rule_id == "REC-DATES"
        assert exc.value.field == "converted_on"
        assert exc.value.params == {"converted_on": rules.probation_ends_on(admitted, extension).isoformat()}


@pytest.mark.parametrize("extension", [-1, 13])
def test_extension_of_probation_is_refused_beyond_a_year(extension):
    with pytest.raises(RuleViolation) as exc:
        rules.check_dates(
            birth_date=BIRTH, admitted_on=dt.date(2015, 7, 1), converted_on=None, extension_months=extension
        )
    assert (exc.value.rule_id, exc.value.field) == ("REC-DATES", "probation_extension_months")


@pytest.mark.parametrize(
    ("admitted", "converted", "field"),
    [
        (dt.date(2026, 12, 2), None, "admitted_on"),
        (dt.date(2025, 12, 2), dt.date(2026, 12, 2), "converted_on"),
    ],
)
def test_member_dates_after_today_are_refused_with_rec_not_future(admitted, converted, field):
    today = dt.date(2026, 12, 1)
    with pytest.raises(RuleViolation) as exc:
        rules.check_dates(birth_date=BIRTH, admitted_on=admitted, converted_on=converted, today=today)
    assert (exc.value.rule_id, exc.value.field) == ("REC-NOT-FUTURE", field)
    rules.check_dates(
        birth_date=BIRTH, admitted_on=admitted, converted_on=converted, today=dt.date(2026, 12, 2)
    )


@pytest.mark.parametrize("ended", [S.WITHDRAWN, S.REMOVED, S.EXPELLED, S.DECEASED])
def test_no_delete_refuses_any_change_when_membership_ended(ended):
    with pytest.raises(RuleViolation) as exc:
        rules.check_status_change(ended, S.FULL)
    assert exc.value.rule_id == "MEM-NO-DELETE"
    with pytest.raises(RuleViolation):
        rules.check_record_open(ended)


@pytest.mark.parametrize(
    ("old", "new", "ok"),
    [
        (S.FULL, S.FULL, True),
        (S.FULL, S.SUSPENDED, True),
        (S.FULL, S.DECEASED, True),
        (S.PROBATIONARY, S.FULL, True),
        (S.PROBATIONARY, S.SUSPENDED, False),
        (S.SUSPENDED, S.FULL, True),
        (S.SUSPENDED, S.PROBATIONARY, False),
        (S.TRANSFERRED_OUT, S.FULL, True),
    ],
)
def test_status_change_follows_transition_table(old, new, ok):
    if ok:
        rules.check_status_change(old, new)
        rules.check_record_open(old)
    else:
        with pytest.raises(RuleViolation) as exc:
            rules.check_status_change(old, new)
        assert exc.value.rule_id == "MEM-STATUS"


def test_letter_valid_three_months_when_issued():
    assert rules.letter_valid_until(dt.date(2026, 11, 30)) == dt.date(2027, 2, 28)


@pytest.mark.parametrize(("offset", "ok"), [(-1, True), (0, True), (1, False)])
def test_transfer_letter_refused_when_received_after_validity(offset, ok):
    until = dt.date(2027, 2, 28)
    on = until + dt.timedelta(days=offset)
    if ok:
        rules.check_letter_valid(until, on)
    else:
        with pytest.raises(RuleViolation) as exc:
            rules.check_letter_valid(until, on)
        assert exc.value.rule_id == "MEM-TRANSFER-LETTER"
