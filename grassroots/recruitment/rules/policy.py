"""The durations and thresholds an organization department may set (RULES.md *policy*)."""

from __future__ import annotations

from dataclasses import dataclass

from ..choices import (
    EventKind,
)
from .base import MAX_EXTENSION_MONTHS

NOTICE_STEPS = frozenset(
    {
        EventKind.ACTIVIST_DESIGNATED,
        EventKind.CANDIDATE_DESIGNATED,
        EventKind.BRANCH_VOTE,
        EventKind.CONVERSION_VOTE,
    }
)


@dataclass(frozen=True)
class Policy:
    """Durations and thresholds an organization department may set for its subtree (RULES.md *policy*)."""

    activist_wait_months: int = 0  # REC-ACTIVIST-WAIT (many places use 6)
    training_days: int = 3  # REC-TRAINING: days …
    training_hours: int = 24  # … or class hours
    notice_working_days: int = 5  # REC-NOTICE
    notice_before: frozenset[str] = frozenset({EventKind.BRANCH_VOTE})  # REC-NOTICE: steps needing one
    extension_months: tuple[int, int] = (6, 12)  # REC-EXTENSION
    approval_warn_months: int = 3  # REC-APPROVAL-3M
    approval_block_months: int = 6  # REC-APPROVAL-3M
    conversion_vote_grace_months: int = 1  # REC-PROBATION-1Y: late after this (project default)

    def __post_init__(self) -> None:
        low, high = self.extension_months
        if not 0 < low <= high <= MAX_EXTENSION_MONTHS:
            raise ValueError("extension_months must satisfy 0 < min <= max <= 12")
        if not self.notice_before <= NOTICE_STEPS:
            raise ValueError("notice_before names a step that takes no public notice")
        if not 0 <= self.approval_warn_months <= self.approval_block_months:
            raise ValueError("approval_warn_months must not exceed approval_block_months")
        if self.notice_working_days < 1 or self.training_days < 1 or self.training_hours < 1:
            raise ValueError("notice and training thresholds must be positive")
