"""The pages of organizational life, in modules by sub-domain; every view is re-exported here."""

from .minutes import (
    amendment_add,
    appraisal_record,
    minutes,
    minutes_confirm,
    minutes_finalize,
    minutes_save,
    vote_record,
)

__all__ = [
    "amendment_add",
    "appraisal_record",
    "minutes",
    "minutes_confirm",
    "minutes_finalize",
    "minutes_save",
    "vote_record",
]
