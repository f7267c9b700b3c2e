"""Every write of organizational life: `<entity>_<verb>(*, scope, actor, …)`, one transaction each, permission
checked, rules applied, audit event recorded. Modules by sub-domain; every public name is re-exported here."""

from .appraisal import appraisal_record
from .attendance import attendance_record, guest_add, leave_decide, leave_request
from .cadence import cadence_refresh, meeting_counted, talk_counted
from .documents import meeting_document_attach, meeting_document_withdraw
from .feeds import NewFeed, feed_create, feed_revoke
from .guards import ensure_not_final, is_final
from .lapse import excusal_record, lapse_refresh
from .meetings import (
    counts_refresh,
    meeting_cancel,
    meeting_create,
    meeting_hold,
    meeting_update,
    notices_send,
    roster_build,
    roster_is_untouched,
)
from .minutes import (
    amendment_add,
    may_act_as,
    may_amend,
    may_draft,
    minutes_confirm,
    minutes_finalize,
    minutes_save,
)
from .notices import notice_read
from .policies import policy_set
from .seals import Finding, meeting_seal_findings, seals_verify
from .signin import ScreenCode, may_show_code, sign_in, sign_in_screen
from .talks import talk_record
from .votes import vote_record, vote_roster

__all__ = [
    "Finding",
    "NewFeed",
    "ScreenCode",
    "amendment_add",
    "appraisal_record",
    "attendance_record",
    "cadence_refresh",
    "counts_refresh",
    "ensure_not_final",
    "excusal_record",
    "feed_create",
    "feed_revoke",
    "guest_add",
    "is_final",
    "lapse_refresh",
    "leave_decide",
    "leave_request",
    "may_act_as",
    "may_amend",
    "may_draft",
    "may_show_code",
    "meeting_cancel",
    "meeting_counted",
    "meeting_create",
    "meeting_document_attach",
    "meeting_document_withdraw",
    "meeting_hold",
    "meeting_seal_findings",
    "meeting_update",
    "minutes_confirm",
    "minutes_finalize",
    "minutes_save",
    "notice_read",
    "notices_send",
    "policy_set",
    "roster_build",
    "roster_is_untouched",
    "seals_verify",
    "sign_in",
    "sign_in_screen",
    "talk_counted",
    "talk_record",
    "vote_record",
    "vote_roster",
]
