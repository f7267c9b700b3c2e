"""Rules on member records: 党章 Art. 7, 9 and 39; 中国共产党党员教育管理工作条例 (2019); GB 11643-1999;
组通字〔2006〕45号 on introduction letters.

Pure functions: values and dates in, verdicts or a RuleViolation out. No ORM, no clock.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from grassroots.core import id_number
from grassroots.core.dates import add_months, add_years, cn_date, full_years_between
from grassroots.core.errors import RuleViolation

from .choices import END_STATUSES, MemberStatus

LETTER_VALID_MONTHS = 3  # MEM-TRANSFER-LETTER (policy default)
MIN_AGE = 18
PROBATION_YEARS = 1  # REC-DATES: probation (预备期) lasts one year (党章 Art. 7)
MAX_EXTENSION_MONTHS = 12  # it may be extended once, by at most a year

_ID_REASONS = {
    "length": "身份证号应为18位（MEM-ID-NUMBER）",
    "chars": "身份证号前17位应为数字，末位为数字或X（MEM-ID-NUMBER）",
    "region": "身份证号前6位不是有效的行政区划代码：前两位应为省级行政区代码，省级代码（如110000）之后不能再有县级部分（MEM-ID-NUMBER）",
    "birth_date": "身份证号中的出生日期无效（MEM-ID-NUMBER）",
    "checksum": "身份证号校验位不正确，请核对（MEM-ID-NUMBER）",
}

DISCIPLINE_TERM_YEARS = (1, 2)  # MEM-DISCIPLINE-TERM: 留党察看 lasts one year or two (党章 Art. 39)

# Which status changes a record may go through. Ended memberships never change again (MEM-NO-DELETE);
# conversion (probationary → full) belongs to the recruitment pipeline, and only a probationary membership
# can be cancelled (取消预备党员资格, 党章 Art. 7).
_FULL_ENDS = frozenset(END_STATUSES) - {MemberStatus.PROBATION_CANCELLED}
STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    MemberStatus.PROBATIONARY: frozenset({MemberStatus.FULL, MemberStatus.TRANSFERRED_OUT, *END_STATUSES}),
    MemberStatus.FULL: frozenset({MemberStatus.SUSPENDED, MemberStatus.TRANSFERRED_OUT, *_FULL_ENDS}),
    MemberStatus.SUSPENDED: frozenset({MemberStatus.FULL, *_FULL_ENDS}),
    MemberStatus.TRANSFERRED_OUT: frozenset({MemberStatus.PROBATIONARY, MemberStatus.FULL}),
}


def check_id_number(raw: str, *, birth_date: dt.date | None, sex: str | None) -> id_number.IdNumberInfo:
    """MEM-ID-NUMBER: 18 characters, a valid check digit, and birth date and sex as on the record."""
    try:
        info = id_number.parse(raw)
    except id_number.InvalidIdNumber as exc:
        raise RuleViolation("MEM-ID-NUMBER", _(_ID_REASONS[exc.reason]), field="id_number") from exc
    if birth_date is not None and info.birth_date != birth_date:
        raise RuleViolation(
            "MEM-ID-NUMBER",
            _("身份证号中的出生日期（%(id_date)s）与填写的出生日期（%(date)s）不一致（MEM-ID-NUMBER）")
            % {"id_date": info.birth_date.isoformat(), "date": birth_date.isoformat()},
            field="id_number",
        )
    if sex is not None and info.sex != sex:
        raise RuleViolation(
            "MEM-ID-NUMBER",
            _("身份证号第17位表示的性别与填写的性别不一致（MEM-ID-NUMBER）"),
            field="id_number",
        )
    return info


def party_standing_years(converted_on: dt.date | None, on: dt.date) -> int | None:
    """党龄: completed years from the conversion date (REC-DATES); None for a probationary member."""
    if converted_on is None:
        return None
    return full_years_between(converted_on, on)


def probation_ends_on(admitted_on: dt.date, extension_months: int = 0) -> dt.date:
    """REC-DATES: probation ends one year after admission, later by a recorded extension (党章 Art. 7)."""
    return add_months(add_years(admitted_on, PROBATION_YEARS), extension_months)


def check_dates(
    *,
    birth_date: dt.date,
    admitted_on: dt.date,
    converted_on: dt.date | None,
    extension_months: int = 0,
    today: dt.date | None = None,
) -> None:
    """REC-AGE-18, REC-DATES and REC-NOT-FUTURE: admitted at 18 or older; converted on the day probation ends
    (one year after admission, plus an extension of at most a year); with `today`, neither date after it."""
    if full_years_between(birth_date, admitted_on) < MIN_AGE:
        raise RuleViolation(
            "REC-AGE-18",
            _("入党时未满18周岁（REC-AGE-18）"),
            field="admitted_on",
        )
    if not 0 <= extension_months <= MAX_EXTENSION_MONTHS:
        raise RuleViolation(
            "REC-DATES",
            _("预备期最多延长%(n)d个月（REC-DATES）") % {"n": MAX_EXTENSION_MONTHS},
            field="probation_extension_months",
        )
    if converted_on is not None:
        ends = probation_ends_on(admitted_on, extension_months)
        if converted_on != ends:
            raise RuleViolation(
                "REC-DATES",
                _("转正时间应为预备期满之日（入党时间满一年，延长预备期的顺延）：%(date)s（REC-DATES）")
                % {"date": ends.isoformat()},
                field="converted_on",
                params={"converted_on": ends.isoformat()},
            )
    if today is not None:
        for name, value in (("admitted_on", admitted_on), ("converted_on", converted_on)):
            if value is not None and value > today:
                raise RuleViolation(
                    "REC-NOT-FUTURE",
                    _("日期%(date)s晚于今天（%(today)s），只能记录已经发生的事项（REC-NOT-FUTURE）")
                    % {"date": value.isoformat(), "today": today.isoformat()},
                    field=name,
                    params={"latest_on": today.isoformat()},
                )


def check_disciplinary_probation(start: dt.date | None, until: dt.date | None) -> None:
    """MEM-DISCIPLINE-TERM: 留党察看 is recorded with both dates, and lasts one year or two (党章 Art. 39):
    `until` (the day the member's rights are restored) is one or two calendar years after `start`."""
    if start is None and until is None:
        return
    if start is None or until is None:
        raise RuleViolation(
            "MEM-DISCIPLINE-TERM",
            _("留党察看应同时填写起始日期和期满日期（MEM-DISCIPLINE-TERM）"),
            field="disciplinary_probation_until" if until is None else "disciplinary_probation_from",
        )
    if until <= start:
        raise RuleViolation(
            "MEM-DISCIPLINE-TERM",
            _("留党察看期满日期应晚于起始日期（MEM-DISCIPLINE-TERM）"),
            field="disciplinary_probation_until",
        )
    if until not in {add_years(start, n) for n in DISCIPLINE_TERM_YEARS}:
        raise RuleViolation(
            "MEM-DISCIPLINE-TERM",
            _(
                "留党察看期限为一年或两年（党章第三十九条），期满日期应为%(one)s或%(two)s（MEM-DISCIPLINE-TERM）"
            )
            % {
                "one": add_years(start, 1).isoformat(),
                "two": add_years(start, 2).isoformat(),
            },
            field="disciplinary_probation_until",
        )


def under_disciplinary_probation(start: dt.date | None, until: dt.date | None, on: dt.date) -> bool:
    """Whether a member is under 留党察看 on `on`: from `start` (inclusive) to `until` (exclusive)."""
    return start is not None and start <= on and (until is None or on < until)


def check_record_open(status: str) -> None:
    """MEM-NO-DELETE: the record of an ended membership is kept as it was, read-only."""
    if status in END_STATUSES:
        raise RuleViolation(
            "MEM-NO-DELETE",
            _("党籍已终止（%(status)s），记录只能查阅，不能再变更（MEM-NO-DELETE）")
            % {"status": MemberStatus(status).label},
            field="status",
        )


def check_status_change(old: str, new: str) -> None:
    """MEM-NO-DELETE: ended memberships stay ended; other changes follow STATUS_TRANSITIONS."""
    if old == new:
        return
    check_record_open(old)
    if new not in STATUS_TRANSITIONS.get(old, frozenset()):
        raise RuleViolation(
            "MEM-STATUS",
            _("党员状态不能从“%(old)s”变为“%(new)s”（MEM-STATUS）")
            % {"old": MemberStatus(old).label, "new": MemberStatus(new).label},
            field="status",
        )


def letter_valid_until(issued_on: dt.date, months: int = LETTER_VALID_MONTHS) -> dt.date:
    """MEM-TRANSFER-LETTER: a letter is valid for `months` calendar months from the day it is issued."""
    return add_months(issued_on, months)


def check_letter_valid(valid_until: dt.date, on: dt.date) -> None:
    """MEM-TRANSFER-LETTER: a receiving org accepts the letter only while it is valid."""
    if on > valid_until:
        raise RuleViolation(
            "MEM-TRANSFER-LETTER",
            _("介绍信已于%(date)s过期，应由转出党组织重新开具（MEM-TRANSFER-LETTER）")
            % {"date": valid_until.isoformat()},
            field="received_on",
        )


# --- Member warnings (教育管理条例2019): facts the record holds, each warning with the day it holds from ------

LOST_CONTACT_SUSPEND_MONTHS = 6  # MEM-LOST-CONTACT: out of contact six months → suspend (停止党籍)
LOST_CONTACT_REMOVE_YEARS = (
    2  # MEM-LOST-CONTACT: still unreachable two years after suspension → remove (除名)
)
TRANSFER_REQUIRED_MONTHS = 6  # MEM-TRANSFER-REQUIRED: away six months or more → transfer the membership

# The member warning rules, in the order they are shown and counted, with short labels for dashboards.
MEMBER_WARNING_RULES: dict[str, str] = {
    "MEM-LOST-CONTACT": gettext_lazy("失联党员应作处置"),
    "MEM-TRANSFER-REQUIRED": gettext_lazy("组织关系应转未转"),
}

_LOST_SUSPEND = gettext_noop("自%(since)s失去联系，已满6个月，应按规定停止其党籍（MEM-LOST-CONTACT）")
_LOST_REMOVE = gettext_noop("%(since)s停止党籍，满2年仍无法取得联系，应予除名（MEM-LOST-CONTACT）")
_AWAY_TO = gettext_noop("自%(since)s外出（%(to)s）已满6个月，应转移组织关系（MEM-TRANSFER-REQUIRED）")
_AWAY = gettext_noop("自%(since)s外出已满6个月，应转移组织关系（MEM-TRANSFER-REQUIRED）")


@dataclass(frozen=True)
class MemberWarningFacts:
    """What the member warnings read from a record. `suspended_on` is the date of a suspension (停止党籍);
    `transfer_pending`: an introduction letter is out and not yet received."""

    status: str
    is_lost_contact: bool = False
    lost_contact_since: dt.date | None = None
    suspended_on: dt.date | None = None
    is_mobile: bool = False
    mobile_since: dt.date | None = None
    mobile_to: str = ""
    transfer_pending: bool = False


@dataclass(frozen=True)
class MemberWarning:
    """A warning on a member's record from `holds_from` on: its rule, and its message untranslated (`msgid`,
    filled with `values`: ISO dates and text), shown in the reader's language by `message`."""

    rule_id: str
    holds_from: dt.date
    msgid: str
    values: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        return warning_message(self.msgid, self.values)


def warning_message(msgid: str, values: dict) -> str:
    """A member warning's text in the active language; `since` (every message has it) is an ISO date shown as
    prose writes dates."""
    shown = dict(values)
    shown["since"] = cn_date(dt.date.fromisoformat(shown["since"]))
    return _(msgid) % shown


def member_warnings(f: MemberWarningFacts) -> list[MemberWarning]:
    """The warnings the record calls for, each with the day from which it holds (it may lie ahead: the rule
    reads no clock). MEM-LOST-CONTACT: a member on the roll out of contact since a known date must be suspended
    six months later; a suspended member still out of contact must be removed two years after the suspension.
    MEM-TRANSFER-REQUIRED: a member on the roll away since a known date must have the membership transferred
    six months later, unless a letter is already out (or the member cannot be reached)."""
    on_roll = f.status in (MemberStatus.PROBATIONARY, MemberStatus.FULL)
    out: list[MemberWarning] = []
    if f.is_lost_contact and on_roll and f.lost_contact_since is not None:
        out.append(
            MemberWarning(
                "MEM-LOST-CONTACT",
                add_months(f.lost_contact_since, LOST_CONTACT_SUSPEND_MONTHS),
                _LOST_SUSPEND,
                {"since": f.lost_contact_since.isoformat()},
            )
        )
    elif f.is_lost_contact and f.status == MemberStatus.SUSPENDED:
        suspended = f.suspended_on
        if suspended is None and f.lost_contact_since is not None:
            suspended = add_months(f.lost_contact_since, LOST_CONTACT_SUSPEND_MONTHS)
        if suspended is not None:
            out.append(
                MemberWarning(
                    "MEM-LOST-CONTACT",
                    add_years(suspended, LOST_CONTACT_REMOVE_YEARS),
                    _LOST_REMOVE,
                    {"since": suspended.isoformat()},
                )
            )
    if (
        f.is_mobile
        and on_roll
        and f.mobile_since is not None
        and not f.transfer_pending
        and not f.is_lost_contact
    ):
        to = f.mobile_to.strip()
        out.append(
            MemberWarning(
                "MEM-TRANSFER-REQUIRED",
                add_months(f.mobile_since, TRANSFER_REQUIRED_MONTHS),
                _AWAY_TO if to else _AWAY,
                {"since": f.mobile_since.isoformat(), "to": to}
                if to
                else {"since": f.mobile_since.isoformat()},
            )
        )
    return out


def member_warnings_on(f: MemberWarningFacts, on: dt.date) -> list[MemberWarning]:
    """The warnings that hold on `on`."""
    return [w for w in member_warnings(f) if w.holds_from <= on]


# A phone number as people write it: digits with an optional leading +, spaces, dashes or an extension.
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{4,18}[0-9](\s*(转|ext\.?|x)\s*[0-9]{1,6})?$")


def check_phone(phone: str) -> None:
    """MEM-SELF-SERVICE: a phone number a member enters for themself is empty or looks like one (a mobile or a
    landline with its area code: digits, spaces and dashes, an optional + and extension)."""
    if phone and not _PHONE.match(phone):
        raise RuleViolation(
            "MEM-SELF-SERVICE",
            _("联系电话格式不正确，请填写手机号或带区号的固定电话（MEM-SELF-SERVICE）"),
            field="phone",
        )
