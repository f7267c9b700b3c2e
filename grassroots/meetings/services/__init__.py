"""Every write of organizational life: `<entity>_<verb>(*, scope, actor, …)`, one transaction each, permission
checked, rules applied, audit event recorded. Modules by sub-domain; every public name is re-exported here."""

from .cadence import cadence_refresh, meeting_counted, talk_counted
from .guards import ensure_not_final, is_final
from .meetings import meeting_create, notices_send, roster_build

__all__ = [
    "cadence_refresh",
    "ensure_not_final",
    "is_final",
    "meeting_counted",
    "meeting_create",
    "notices_send",
    "roster_build",
    "talk_counted",
]
