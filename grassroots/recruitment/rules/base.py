"""Thresholds of the regulation, the values every check shares, and how a refusal is worded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from grassroots.core.dates import cn_date
from grassroots.core.errors import RuleViolation

MIN_AGE = 18  # REC-AGE-18
TALK_WITHIN_MONTHS = 1  # REC-TALK-1M
ASSESS_EVERY_MONTHS = 6  # REC-ASSESS-6M
CANDIDATE_AFTER_YEARS = 1  # REC-CANDIDATE-1Y
MENTORS = (1, 2)  # REC-MENTORS
SPONSORS = 2  # REC-SPONSORS
PROBATION_YEARS = 1  # REC-PROBATION-1Y
MAX_EXTENSION_MONTHS = 12  # REC-EXTENSION: never beyond one year in total


@dataclass(frozen=True)
class MemberFacts:
    """A member as a step sees it on its date: full member? under 留党察看 (`disciplinary_probation`)?
    `name` only serves messages."""

    member_id: int | str
    full: bool
    disciplinary_probation: bool = False
    name: str = field(default="", compare=False)


@dataclass(frozen=True)
class RecruitmentWarning:
    rule_id: str
    message: str
    params: dict = field(default_factory=dict, compare=False)


def _too_early(
    rule_id: str, earliest: dt.date, action: str, reason: str, field_name: str = "on"
) -> RuleViolation:
    return RuleViolation(
        rule_id,
        _("最早可于 %(date)s %(action)s（%(rule)s：%(reason)s）")
        % {"date": cn_date(earliest), "action": action, "rule": rule_id, "reason": reason},
        field=field_name,
        params={"earliest_on": earliest.isoformat()},
    )


def _refuse(rule_id: str, message: str, field_name: str | None = None) -> RuleViolation:
    return RuleViolation(
        rule_id, _("%(message)s（%(rule)s）") % {"message": message, "rule": rule_id}, field=field_name
    )
