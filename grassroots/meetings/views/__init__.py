"""The pages of organizational life, in modules by sub-domain; every view is re-exported here."""

from .lapse import lapse
from .policies import policy
from .talks import talks

__all__ = ["lapse", "policy", "talks"]
