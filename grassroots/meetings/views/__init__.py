"""The pages of organizational life, in modules by sub-domain; every view is re-exported here."""

from .attendance import attendance_record, guest_add, leave, leave_decide
from .cadence import cadence_page
from .documents import document_add, document_withdraw
from .feeds import feed_create, feed_list, feed_revoke, ical
from .lapse import lapse
from .meetings import (
    index,
    meeting_cancel,
    meeting_create,
    meeting_detail,
    meeting_edit,
    meeting_hold,
    meeting_list,
)
from .mine import mine, notice
from .minutes import (
    amendment_add,
    appraisal_record,
    minutes,
    minutes_confirm,
    minutes_finalize,
    minutes_save,
    vote_record,
)
from .policies import policy
from .registers import register, register_print, register_xlsx
from .signin import sign_in, sign_in_code, sign_in_home, sign_in_screen
from .talks import talks

__all__ = [
    "amendment_add",
    "appraisal_record",
    "attendance_record",
    "cadence_page",
    "document_add",
    "document_withdraw",
    "feed_create",
    "feed_list",
    "feed_revoke",
    "guest_add",
    "ical",
    "index",
    "lapse",
    "leave",
    "leave_decide",
    "meeting_cancel",
    "meeting_create",
    "meeting_detail",
    "meeting_edit",
    "meeting_hold",
    "meeting_list",
    "mine",
    "minutes",
    "minutes_confirm",
    "minutes_finalize",
    "minutes_save",
    "notice",
    "policy",
    "register",
    "register_print",
    "register_xlsx",
    "sign_in",
    "sign_in_code",
    "sign_in_home",
    "sign_in_screen",
    "talks",
    "vote_record",
]
