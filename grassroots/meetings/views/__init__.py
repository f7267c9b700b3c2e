"""The pages of organizational life, in modules by sub-domain; every view is re-exported here."""

from .cadence import cadence_page

__all__ = ["cadence_page"]
