"""Every write of organizational life: `<entity>_<verb>(*, scope, actor, …)`, one transaction each, permission
checked, rules applied, audit event recorded. Modules by sub-domain; every public name is re-exported here."""

from .appraisal import appraisal_record
from .cadence import meeting_counted
from .guards import ensure_not_final, is_final
from .meetings import meeting_create, notices_send, roster_build
from .minutes import (
    amendment_add,
    may_act_as,
    may_amend,
    may_draft,
    minutes_confirm,
    minutes_finalize,
    minutes_save,
)
from .seals import Finding, meeting_seal_findings, seals_verify
from .votes import vote_record, vote_roster

__all__ = [
    "Finding",
    "amendment_add",
    "appraisal_record",
    "ensure_not_final",
    "is_final",
    "may_act_as",
    "may_amend",
    "may_draft",
    "meeting_counted",
    "meeting_create",
    "meeting_seal_findings",
    "minutes_confirm",
    "minutes_finalize",
    "minutes_save",
    "notices_send",
    "roster_build",
    "seals_verify",
    "vote_record",
    "vote_roster",
]
