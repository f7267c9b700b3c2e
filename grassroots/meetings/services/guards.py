"""What every write to a meeting checks first."""

from __future__ import annotations

from django.utils.translation import gettext as _

from grassroots.core.errors import RuleViolation

from ..choices import MinutesState
from ..models import Meeting


def is_final(meeting: Meeting) -> bool:
    """Whether the meeting's minutes are finalized (or confirmed): its record is frozen."""
    minutes = getattr(meeting, "minutes", None)
    return minutes is not None and minutes.state != MinutesState.DRAFT


def ensure_not_final(meeting: Meeting, *, field: str | None = None) -> None:
    """MTG-MINUTES-FINAL: finalized minutes, their attendance, votes and appraisal never change."""
    if is_final(meeting):
        raise RuleViolation(
            "MTG-MINUTES-FINAL",
            _(
                "会议记录已定稿，会议记录、出席情况和表决结果不能再修改；如需更正，请添加更正说明（MTG-MINUTES-FINAL）"
            ),
            field=field,
        )
