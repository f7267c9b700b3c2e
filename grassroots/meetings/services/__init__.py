"""Every write of organizational life: `<entity>_<verb>(*, scope, actor, …)`, one transaction each, permission
checked, rules applied, audit event recorded. Modules by sub-domain; every public name is re-exported here."""

from .meetings import meeting_create

__all__ = ["meeting_create"]
