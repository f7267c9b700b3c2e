"""What every rule of organizational life shares: the kinds (plain strings, the values of
`meetings.choices.MeetingKind` and the record kind "talk"), the policy values an organization department may
set (RULES.md *policy*), and how a refusal is worded."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from grassroots.core.errors import RuleViolation

# Meeting kinds (三会一课 and the rest of organizational life), as stored in Meeting.kind.
GENERAL = "general_meeting"  # 支部党员大会
COMMITTEE = "committee_meeting"  # 支委会
GROUP = "group_meeting"  # 党小组会
LECTURE = "party_lecture"  # 党课
THEMED_DAY = "themed_day"  # 主题党日
ORG_LIFE = "org_life_meeting"  # 组织生活会
APPRAISAL = "appraisal"  # 民主评议党员
# Heart-to-heart talks (谈心谈话) are a record kind of their own, not a meeting.
TALK = "talk"

MEETING_KINDS = frozenset({GENERAL, COMMITTEE, GROUP, LECTURE, THEMED_DAY, ORG_LIFE, APPRAISAL})
KINDS = MEETING_KINDS | {TALK}

# Org kinds (orgs.choices.OrgKind values).
ORG_COMMITTEE = "committee"  # 基层党委
ORG_WORKING_COMMITTEE = "working_committee"  # 党工委
ORG_GENERAL_BRANCH = "general_branch"  # 党总支
ORG_BRANCH = "branch"  # 党支部
ORG_GROUP = "group"  # 党小组
ORG_KINDS = frozenset({ORG_COMMITTEE, ORG_WORKING_COMMITTEE, ORG_GENERAL_BRANCH, ORG_BRANCH, ORG_GROUP})

# Attendance statuses (meetings.choices.AttendanceStatus values).
PRESENT = "present"  # 出席
EXCUSED = "excused"  # 请假
ABSENT = "absent"  # 缺席
STATUSES = (PRESENT, EXCUSED, ABSENT)

MAX_LAPSE_MONTHS = 24  # the longest watch a policy may set (MEM-LAPSE-6M)


@dataclass(frozen=True)
class MeetingPolicy:
    """Durations and thresholds an organization department may set for its subtree (RULES.md *policy*);
    the defaults are those of RULES.md. Invalid values are a programming error (ValueError): the service that
    stores a policy checks them first with `MeetingPolicy(...)`."""

    lectures_per_quarter: int = 1  # MTG-LECTURE-Q
    minutes_late_days: int = 7  # MTG-MINUTES-LATE
    lapse_warn_months: int = 3  # MEM-LAPSE-6M: warn from …
    lapse_months: int = 6  # … flagged at

    def __post_init__(self) -> None:
        if not 1 <= self.lectures_per_quarter <= 12:
            raise ValueError("lectures_per_quarter must be between 1 and 12")
        if not 0 <= self.minutes_late_days <= 366:
            raise ValueError("minutes_late_days must be between 0 and 366")
        check_lapse_policy(self.lapse_warn_months, self.lapse_months)


def check_lapse_policy(warn_months: int, lapse_months: int) -> None:
    """MEM-LAPSE-6M's policy values: 0 < warn ≤ lapse ≤ 24 (ValueError otherwise)."""
    if not 0 < warn_months <= lapse_months <= MAX_LAPSE_MONTHS:
        raise ValueError("lapse months must satisfy 0 < warn <= lapse <= 24")


DEFAULT_POLICY = MeetingPolicy()


def _refuse(
    rule_id: str, message: str, field_name: str | None = None, params: dict | None = None
) -> RuleViolation:
    """A refusal whose message ends with its rule id: “…（MTG-QUORUM-GENERAL）”."""
    return RuleViolation(
        rule_id,
        _("%(message)s（%(rule)s）") % {"message": message, "rule": rule_id},
        field=field_name,
        params=params,
    )
