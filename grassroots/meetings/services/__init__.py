"""Every write of organizational life: `<entity>_<verb>(*, scope, actor, …)`, one transaction each, permission
checked, rules applied, audit event recorded. Modules by sub-domain; every public name is re-exported here."""

from .cadence import cadence_refresh, meeting_counted, talk_counted
from .feeds import NewFeed, feed_create, feed_revoke
from .guards import ensure_not_final, is_final
from .lapse import excusal_record
from .meetings import meeting_create, notices_send, roster_build
from .notices import notice_read
from .policies import policy_set
from .talks import talk_record

__all__ = [
    "NewFeed",
    "cadence_refresh",
    "ensure_not_final",
    "excusal_record",
    "feed_create",
    "feed_revoke",
    "is_final",
    "meeting_counted",
    "meeting_create",
    "notice_read",
    "notices_send",
    "policy_set",
    "roster_build",
    "talk_counted",
    "talk_record",
]
