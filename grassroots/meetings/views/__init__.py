"""The pages of organizational life, in modules by sub-domain; every view is re-exported here."""

from .cadence import cadence_page
from .feeds import feed_create, feed_list, feed_revoke, ical
from .mine import mine, notice
from .registers import register, register_print, register_xlsx

__all__ = [
    "cadence_page",
    "feed_create",
    "feed_list",
    "feed_revoke",
    "ical",
    "mine",
    "notice",
    "register",
    "register_print",
    "register_xlsx",
]
