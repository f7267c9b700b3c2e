"""The maintained cadence counts (per org, kind and period), kept by the services that change meetings."""

from __future__ import annotations

from ..models import Meeting


def meeting_counted(meeting: Meeting) -> None:
    """Hook called in the finalizing transaction, once the meeting's minutes are final: the meeting now counts
    for its org's cadence in the period of its held date."""
